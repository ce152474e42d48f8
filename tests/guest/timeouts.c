/* timeouts: waits with relative and absolute timeouts end with STATUS_TIMEOUT (0x102) no earlier
 * than asked on the guest clock; KeDelayExecutionThread wakes on time with STATUS_SUCCESS; a
 * wait with a long timeout that is signaled early returns STATUS_SUCCESS before its deadline, and
 * that deadline no longer wakes the thread (a later, longer wait ends at its own).
 * Timers must not fire early on a busy machine either: a thread on slot 4 sleeps and waits with
 * timeouts of assorted lengths while a thread on slot 1 keeps yielding (so slot 1's visits make
 * many scheduling decisions at clock readings ahead of slot 4's). */
#define TITLE "timeouts"
#include "title_util.h"

static HANDLE ev;

static void expect_between(const char* what, int64_t got, int64_t lo, int64_t hi) {
  int ok = got >= lo && got < hi;
  DbgPrint("timeouts: %s elapsed %u x100ns in [%u, %u) %s\n", what, (uint32_t)got, (uint32_t)lo, (uint32_t)hi,
           ok ? "ok" : "FAIL");
  failures += !ok;
}

static int64_t now(void) {
  LARGE_INTEGER t;
  KeQuerySystemTime(&t);
  return t.QuadPart;
}

static uint32_t setter(void* ctx) {
  (void)ctx;
  LARGE_INTEGER two_ms;
  two_ms.QuadPart = HX_RELATIVE_MS(2);
  KeDelayExecutionThread(UserMode, FALSE, &two_ms);
  NtSetEvent(ev, NULL);
  return 0;
}

static volatile uint32_t stop_yielding, yields, early_wakes, checked_waits;

static uint32_t yielder(void* ctx) {
  (void)ctx;
  while (!stop_yielding) {
    for (volatile uint32_t i = 0; i < 200; ++i) {
    }
    NtYieldExecution();
    ++yields;
  }
  return 0;
}

static uint32_t sleeper(void* ctx) {
  (void)ctx;
  HANDLE never;
  NtCreateEvent(&never, NULL, NotificationEvent, FALSE);
  for (uint32_t i = 0; i < 24; ++i) {
    LARGE_INTEGER t;
    int64_t units = 37 + 13 * (int64_t)i; /* 3.7 us .. 33.6 us, in 100 ns units */
    t.QuadPart = -units;
    int64_t start = now();
    NTSTATUS st = (i & 1) ? NtWaitForSingleObjectEx(never, UserMode, FALSE, &t)
                          : KeDelayExecutionThread(UserMode, FALSE, &t);
    int64_t elapsed = now() - start;
    if (st != ((i & 1) ? STATUS_TIMEOUT : STATUS_SUCCESS)) ++failures;
    if (elapsed < units) {
      DbgPrint("timeouts: busy wait %u of %u x100ns woke after %u\n", i, (uint32_t)units, (uint32_t)elapsed);
      ++early_wakes;
    }
    ++checked_waits;
  }
  return 0;
}

int main(void) {
  LARGE_INTEGER t;
  NtCreateEvent(&ev, NULL, SynchronizationEvent, FALSE);

  t.QuadPart = 0;
  int64_t start = now();
  expect("zero timeout on an unset event", NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t), STATUS_TIMEOUT);
  expect_between("zero timeout", now() - start, 0, 10000);

  t.QuadPart = HX_RELATIVE_MS(10);
  start = now();
  expect("10 ms relative timeout", NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t), STATUS_TIMEOUT);
  expect_between("10 ms relative timeout", now() - start, 100000, 110000);

  t.QuadPart = HX_RELATIVE_MS(5);
  start = now();
  expect("KeDelayExecutionThread 5 ms", KeDelayExecutionThread(UserMode, FALSE, &t), STATUS_SUCCESS);
  expect_between("KeDelayExecutionThread 5 ms", now() - start, 50000, 60000);

  start = now();
  t.QuadPart = start + 30000; /* absolute: 3 ms from now */
  DbgPrint("timeouts: absolute timeout %08x%08x, system time %08x%08x\n", (uint32_t)((uint64_t)t.QuadPart >> 32),
           (uint32_t)t.QuadPart, (uint32_t)((uint64_t)start >> 32), (uint32_t)start);
  expect("absolute timeout 3 ms ahead", NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t), STATUS_TIMEOUT);
  expect_between("absolute timeout", now() - start, 30000, 40000);

  HANDLE th;
  ExCreateThread(&th, 0, NULL, NULL, setter, NULL, 0);
  t.QuadPart = HX_RELATIVE_MS(1000);
  start = now();
  expect("1 s timeout, set after 2 ms", NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t), STATUS_SUCCESS);
  expect_between("early signal", now() - start, 20000, 1000000);
  expect("join the setter", NtWaitForSingleObjectEx(th, UserMode, FALSE, NULL), STATUS_SUCCESS);
  /* The early-signaled wait's 1 s deadline went with it: a later wait outlasting that deadline
   * ends at its own. */
  t.QuadPart = HX_RELATIVE_MS(1500);
  start = now();
  expect("1.5 s timeout past the signaled wait's deadline", NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t),
         STATUS_TIMEOUT);
  expect_between("1.5 s timeout", now() - start, 15000000, 15100000);

  /* Busy machine: slot 1 yields continuously while slot 4 sleeps. */
  HANDLE busy[2];
  ExCreateThread(&busy[0], 0, NULL, NULL, yielder, NULL, HX_CREATE_SUSPENDED);
  ExCreateThread(&busy[1], 0, NULL, NULL, sleeper, NULL, HX_CREATE_SUSPENDED);
  KeSetAffinityThread((void*)busy[0], 1u << 1, NULL);
  KeSetAffinityThread((void*)busy[1], 1u << 4, NULL);
  NtResumeThread(busy[0], NULL);
  NtResumeThread(busy[1], NULL);
  expect("join the sleeper", NtWaitForSingleObjectEx(busy[1], UserMode, FALSE, NULL), STATUS_SUCCESS);
  stop_yielding = 1;
  expect("join the yielder", NtWaitForSingleObjectEx(busy[0], UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("busy waits checked", checked_waits, 24);
  expect("busy waits woken early", early_wakes, 0);
  expect("the yielder kept yielding", yields > 100, 1);

  DbgPrint("timeouts: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
