/* suspend: NtSuspendThread / NtResumeThread and their counts (NT: both return the previous
 * suspend count; a thread runs only while its count is 0).
 *   1. a running (Ready) spinner is suspended: it makes no progress until its count is back to 0
 *      (suspended twice, it needs two resumes);
 *   2. a thread blocked on an event is suspended, the event is set, and the thread does not run
 *      until it is resumed; its wait then completes with STATUS_SUCCESS;
 *   3. NtResumeThread on a thread that is not suspended returns previous count 0 and changes
 *      nothing; a thread created suspended has count 1;
 *   4. the run ends (main exits) with a thread created suspended and suspended once more, so
 *      the exit dump shows it Suspended with suspend_count 2.
 * Tids: 2 the spinner (slot 2), 3 the blocked thread, 4 the one left suspended. */
#define TITLE "suspend"
#include "title_util.h"

static HANDLE ev;
static volatile uint32_t spins, stop_spinning, blocked_woke;
static volatile NTSTATUS blocked_status = 0x1234;

static uint32_t spinner(void* ctx) {
  (void)ctx;
  while (!stop_spinning) ++spins;
  return 0;
}

static uint32_t blocked(void* ctx) {
  (void)ctx;
  blocked_status = NtWaitForSingleObjectEx(ev, UserMode, FALSE, NULL);
  blocked_woke = 1;
  return 0;
}

static uint32_t never_runs(void* ctx) {
  (void)ctx;
  DbgPrint("suspend: the suspended thread ran FAIL\n");
  return 0;
}

int main(void) {
  DWORD previous = 99;
  NtCreateEvent(&ev, NULL, SynchronizationEvent, FALSE);

  /* 1. The spinner, on slot 2. */
  HANDLE spin;
  ExCreateThread(&spin, 0, NULL, NULL, spinner, NULL, HX_CREATE_SUSPENDED);
  KeSetAffinityThread((void*)spin, 1u << 2, NULL);
  expect("resume the spinner", NtResumeThread(spin, &previous), STATUS_SUCCESS);
  expect("created suspended: previous count", previous, 1);
  sleep_ms(1);
  expect("the spinner runs", spins > 0, 1);
  expect("suspend the spinner", NtSuspendThread(spin, &previous), STATUS_SUCCESS);
  expect("suspend: previous count", previous, 0);
  uint32_t at_suspend = spins;
  sleep_ms(1);
  expect("no progress while suspended", spins - at_suspend, 0);
  expect("suspend again", NtSuspendThread(spin, &previous), STATUS_SUCCESS);
  expect("suspend again: previous count", previous, 1);
  expect("first resume", NtResumeThread(spin, &previous), STATUS_SUCCESS);
  expect("first resume: previous count", previous, 2);
  sleep_ms(1);
  expect("no progress with count 1", spins - at_suspend, 0);
  expect("second resume", NtResumeThread(spin, &previous), STATUS_SUCCESS);
  expect("second resume: previous count", previous, 1);
  sleep_ms(1);
  expect("progress after the count is back to 0", spins != at_suspend, 1);
  expect("resume a running thread", NtResumeThread(spin, &previous), STATUS_SUCCESS);
  expect("resume a running thread: previous count", previous, 0);
  stop_spinning = 1;
  expect("join the spinner", NtWaitForSingleObjectEx(spin, UserMode, FALSE, NULL), STATUS_SUCCESS);

  /* 2. Suspended while blocked. */
  HANDLE waiter;
  ExCreateThread(&waiter, 0, NULL, NULL, blocked, NULL, 0);
  sleep_ms(1);
  expect("the waiter is blocked", blocked_woke, 0);
  expect("suspend the blocked thread", NtSuspendThread(waiter, &previous), STATUS_SUCCESS);
  expect("suspend the blocked thread: previous count", previous, 0);
  NtSetEvent(ev, NULL);
  sleep_ms(1);
  expect("a suspended thread does not run when its object is signaled", blocked_woke, 0);
  expect("resume it", NtResumeThread(waiter, &previous), STATUS_SUCCESS);
  expect("resume it: previous count", previous, 1);
  expect("join it", NtWaitForSingleObjectEx(waiter, UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("it ran after the resume", blocked_woke, 1);
  expect("its wait status", (uint32_t)blocked_status, STATUS_SUCCESS);

  /* 3-4. Created suspended, suspended once more, never resumed. */
  HANDLE parked;
  ExCreateThread(&parked, 0, NULL, NULL, never_runs, NULL, HX_CREATE_SUSPENDED);
  expect("suspend a thread created suspended", NtSuspendThread(parked, &previous), STATUS_SUCCESS);
  expect("its previous count", previous, 1);
  sleep_ms(1);

  DbgPrint("suspend: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
