/* ksuspend: the suspend count's limits and what a suspension does to a wait (NT semantics).
 *   1. NtSuspendThread on a thread that exited: STATUS_THREAD_IS_TERMINATING, nothing written;
 *   3. a suspension aborts a wait: of two threads waiting on one auto-reset event (A first), A is
 *      suspended and the event set once: B gets it, A does not run; A resumed re-issues its
 *      wait, which the next set satisfies;
 *   4. a re-issued wait keeps its deadline: a 2 ms timed wait suspended past its deadline times
 *      out as soon as it is resumed; a 3 ms delay suspended for 1 ms still ends 3 ms after it began;
 *   2. (after 3 and 4, which need no new export) the count stops at 127 (MAXIMUM_SUSPEND_COUNT):
 *      the 128th NtSuspendThread is STATUS_SUSPEND_COUNT_EXCEEDED and changes nothing;
 *      KeSuspendThread there returns 127 and changes nothing; KeSuspendThread/KeResumeThread
 *      return the previous count; 127 resumes later the thread runs;
 *   5. hostile arguments: a bad handle, an event's handle, a KTHREAD pointer that is no thread;
 *   6. the run ends with a waiter (tid 8) suspended in its wait: the dump shows it Suspended with
 *      its wait to re-issue, and no waiter on the event it waited for.
 * Tids: 2 the exited thread, 3 A, 4 B, 5 the timed waiter, 6 the sleeper, 7 the parked one,
 * 8 the forever waiter. */
#define TITLE "ksuspend"
#include "title_util.h"

static HANDLE ev;
static volatile uint32_t a_woke, b_woke, sleeper_woke;
static volatile NTSTATUS a_status = 0x1234, b_status = 0x1234, timed_status = 0x1234;

static uint32_t quick(void* ctx) {
  (void)ctx;
  return 5;
}

static uint32_t parked(void* ctx) {
  (void)ctx;
  return 0;
}

static uint32_t waiter_a(void* ctx) {
  (void)ctx;
  a_status = NtWaitForSingleObjectEx(ev, UserMode, FALSE, NULL);
  a_woke = 1;
  return 0;
}

static uint32_t waiter_b(void* ctx) {
  (void)ctx;
  b_status = NtWaitForSingleObjectEx(ev, UserMode, FALSE, NULL);
  b_woke = 1;
  return 0;
}

static uint32_t waits_forever(void* ctx) {
  (void)ctx;
  NtWaitForSingleObjectEx((HANDLE)ctx, UserMode, FALSE, NULL);
  DbgPrint("ksuspend: the forever waiter woke FAIL\n");
  return 0;
}

static uint32_t timed_waiter(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(2);
  timed_status = NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t);
  return 0;
}

static uint32_t sleeper(void* ctx) {
  (void)ctx;
  sleep_ms(3);
  sleeper_woke = 1;
  return 0;
}

int main(void) {
  DWORD previous = 99;
  NtCreateEvent(&ev, NULL, SynchronizationEvent, FALSE);

  /* 1. An exited thread. */
  HANDLE done;
  ExCreateThread(&done, 0, NULL, NULL, quick, NULL, 0);
  expect("join the quick thread", NtWaitForSingleObjectEx(done, UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("suspend an exited thread", NtSuspendThread(done, &previous), STATUS_THREAD_IS_TERMINATING);
  expect("nothing written for an exited thread", previous, 99);
  expect("KeResumeThread on an exited thread: count", KeResumeThread((void*)done), 0);

  /* 3. A suspension aborts a wait. */
  HANDLE a, b;
  ExCreateThread(&a, 0, NULL, NULL, waiter_a, NULL, 0);
  sleep_ms(1);
  ExCreateThread(&b, 0, NULL, NULL, waiter_b, NULL, 0);
  sleep_ms(1);
  expect("suspend A while it waits", NtSuspendThread(a, &previous), STATUS_SUCCESS);
  expect("suspend A: previous count", previous, 0);
  NtSetEvent(ev, NULL);
  sleep_ms(1);
  expect("B, the second waiter, got the event", b_woke, 1);
  expect("B's status", (uint32_t)b_status, STATUS_SUCCESS);
  expect("A, suspended, did not", a_woke, 0);
  expect("the event was consumed once", poll(ev), STATUS_TIMEOUT);
  expect("resume A", NtResumeThread(a, &previous), STATUS_SUCCESS);
  sleep_ms(1);
  expect("A waits again after its resume", a_woke, 0);
  NtSetEvent(ev, NULL);
  expect("join A", NtWaitForSingleObjectEx(a, UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("A's re-issued wait got the second set", (uint32_t)a_status, STATUS_SUCCESS);
  NtWaitForSingleObjectEx(b, UserMode, FALSE, NULL);

  /* 4. Deadlines survive the abort. */
  HANDLE timed, sleepy;
  ExCreateThread(&timed, 0, NULL, NULL, timed_waiter, NULL, 0);
  sleep_ms(1);
  expect("suspend the timed waiter", NtSuspendThread(timed, &previous), STATUS_SUCCESS);
  sleep_ms(3);
  expect("no timeout while suspended", (uint32_t)timed_status, 0x1234);
  expect("resume the timed waiter", NtResumeThread(timed, &previous), STATUS_SUCCESS);
  expect("join the timed waiter", NtWaitForSingleObjectEx(timed, UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("its deadline had passed: timeout", (uint32_t)timed_status, STATUS_TIMEOUT);
  ExCreateThread(&sleepy, 0, NULL, NULL, sleeper, NULL, 0);
  sleep_ms(1);
  expect("suspend the sleeper", NtSuspendThread(sleepy, &previous), STATUS_SUCCESS);
  sleep_ms(1);
  expect("resume the sleeper", NtResumeThread(sleepy, &previous), STATUS_SUCCESS);
  LARGE_INTEGER t;
  t.QuadPart = -12000; /* 1.2 ms: past the sleeper's 3 ms, before a restarted 3 ms would end */
  KeDelayExecutionThread(UserMode, FALSE, &t);
  expect("the sleeper woke at its first deadline", sleeper_woke, 1);

  /* 2. The limit. */
  HANDLE park;
  void* park_kt;
  ExCreateThread(&park, 0, NULL, NULL, parked, NULL, HX_CREATE_SUSPENDED);
  expect("KTHREAD of the parked thread", ObReferenceObjectByHandle(park, NULL, &park_kt), STATUS_SUCCESS);
  uint32_t counts_ok = 1;
  for (uint32_t i = 1; i < HX_MAXIMUM_SUSPEND_COUNT; ++i) {
    NTSTATUS st = NtSuspendThread(park, &previous);
    counts_ok &= st == STATUS_SUCCESS && previous == i;
  }
  expect("126 suspensions return counts 1..126", counts_ok, 1);
  previous = 99;
  expect("the 128th suspension", NtSuspendThread(park, &previous), STATUS_SUSPEND_COUNT_EXCEEDED);
  expect("nothing written at the limit", previous, 99);
  expect("KeSuspendThread at the limit returns the count", KeSuspendThread(park_kt), 127);
  expect("KeResumeThread: previous count", KeResumeThread(park_kt), 127);
  expect("KeSuspendThread below the limit: previous count", KeSuspendThread(park_kt), 126);
  expect("the count is back at the limit", NtSuspendThread(park, &previous), STATUS_SUSPEND_COUNT_EXCEEDED);
  counts_ok = 1;
  for (uint32_t i = HX_MAXIMUM_SUSPEND_COUNT; i > 1; --i)
    counts_ok &= NtResumeThread(park, &previous) == STATUS_SUCCESS && previous == i;
  expect("126 resumes return counts 127..2", counts_ok, 1);
  sleep_ms(1);
  expect("count 1: it has not run", poll(park), STATUS_TIMEOUT);
  expect("the last resume", NtResumeThread(park, &previous), STATUS_SUCCESS);
  expect("the last resume: previous count", previous, 1);
  expect("it runs to its end", NtWaitForSingleObjectEx(park, UserMode, FALSE, NULL), STATUS_SUCCESS);
  ObDereferenceObject(park_kt);

  /* 5. Hostile arguments. */
  expect("suspend a bad handle", NtSuspendThread((HANDLE)0xF8FFFFF0u, &previous), STATUS_INVALID_HANDLE);
  expect("suspend an event", NtSuspendThread(ev, &previous), STATUS_OBJECT_TYPE_MISMATCH);
  expect("KeSuspendThread of no thread", KeSuspendThread((void*)0x00001000u), 0);
  expect("KeResumeThread of no thread", KeResumeThread(NULL), 0);

  /* 6. Left suspended in its wait. */
  HANDLE never, forever;
  NtCreateEvent(&never, NULL, NotificationEvent, FALSE);
  ExCreateThread(&forever, 0, NULL, NULL, waits_forever, (void*)never, 0);
  sleep_ms(1);
  expect("suspend the forever waiter", NtSuspendThread(forever, &previous), STATUS_SUCCESS);

  DbgPrint("ksuspend: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
