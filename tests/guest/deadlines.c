/* deadlines: the run ends (main exits) while threads wait with timeouts, so the exit dump
 * shows finite deadlines. Each waiter prints the timeout it passes (100 ns units, as the
 * LARGE_INTEGER holds it) before it waits; the check computes each deadline from that value and
 * the moment the wait began, and compares it with the dump's deadline_ns_or_inf.
 *   tid 2: NtWaitForSingleObjectEx, alertable, relative REL_WAIT on an event nobody sets;
 *   tid 3: KeDelayExecutionThread, relative REL_DELAY;
 *   tid 4: NtWaitForMultipleObjectsEx WaitAll, absolute: system time + ABS_AHEAD;
 *   tid 5: KeWaitForSingleObject on a KEVENT, relative REL_KWAIT;
 *   tid 6: NtWaitForSingleObjectEx with no timeout (deadline "inf"). */
#include "hx/kernel.h"

#define REL_WAIT 10000000LL   /* 1 s */
#define REL_DELAY 20000000LL  /* 2 s */
#define ABS_AHEAD 300000000LL /* 30 s */
#define REL_KWAIT 5000000LL   /* 0.5 s */

static HANDLE never, sem;
static KEVENT kevent;

static void print_value(const char* what, int64_t value) {
  DbgPrint("deadlines: %s %08x%08x\n", what, (uint32_t)((uint64_t)value >> 32), (uint32_t)value);
}

static uint32_t relative_wait(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  t.QuadPart = -REL_WAIT;
  print_value("wait timeout", t.QuadPart);
  return (uint32_t)NtWaitForSingleObjectEx(never, UserMode, TRUE, &t);
}

static uint32_t delay(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  t.QuadPart = -REL_DELAY;
  print_value("delay timeout", t.QuadPart);
  return (uint32_t)KeDelayExecutionThread(UserMode, FALSE, &t);
}

static uint32_t absolute_wait_all(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  KeQuerySystemTime(&t);
  print_value("system time", t.QuadPart);
  t.QuadPart += ABS_AHEAD;
  print_value("absolute timeout", t.QuadPart);
  HANDLE both[2] = {never, sem};
  return (uint32_t)NtWaitForMultipleObjectsEx(2, both, WaitAll, UserMode, FALSE, &t);
}

static uint32_t kwait(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  t.QuadPart = -REL_KWAIT;
  print_value("kwait timeout", t.QuadPart);
  return (uint32_t)KeWaitForSingleObject(&kevent, Executive, KernelMode, FALSE, &t);
}

static uint32_t forever(void* ctx) {
  (void)ctx;
  DbgPrint("deadlines: forever timeout none\n");
  return (uint32_t)NtWaitForSingleObjectEx(never, UserMode, FALSE, NULL);
}

int main(void) {
  static const HX_THREAD_START waiters[] = {relative_wait, delay, absolute_wait_all, kwait, forever};
  NtCreateEvent(&never, NULL, NotificationEvent, FALSE);
  NtCreateSemaphore(&sem, NULL, 0, 1);
  KeInitializeEvent(&kevent, SynchronizationEvent, FALSE);
  for (int i = 0; i < 5; ++i) {
    HANDLE h;
    ExCreateThread(&h, 0, NULL, NULL, waiters[i], NULL, 0);
  }
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(1);
  KeDelayExecutionThread(UserMode, FALSE, &t);
  DbgPrint("deadlines: main exits with five threads waiting\n");
  return 0;
}
