/* misc: the remaining exports and corners of the NT semantics.
 *   - KeQueryPerformanceFrequency is 50,000,000 (the timebase) and KeGetCurrentProcessType 1
 *     (a title process);
 *   - NtClose: the handle is gone afterwards (STATUS_INVALID_HANDLE for every use, and for a
 *     second NtClose);
 *   - NtClearEvent resets; NtPulseEvent returns the previous state and leaves the event reset:
 *     with no waiters it only resets, on a notification event it wakes every waiter, on a
 *     synchronization event only the first;
 *   - event calls on a mutant, and NtReleaseMutant on an event, fail with
 *     STATUS_OBJECT_TYPE_MISMATCH;
 *   - alertable waits with no alert or APC pending behave like other waits (timeout, delay);
 *   - a mutant created owned is owned by its creator (another thread cannot take it; the owner
 *     can, recursively) and one created owned by a thread that exits is abandoned: a WaitAll
 *     that takes it returns STATUS_ABANDONED_WAIT_0 whatever its index (NT's KiWaitSatisfyAll).
 * Tids: 2-3 pulse waiters (notification), 4-5 pulse waiters (synchronization), 6 the mutant
 * prober, 7 the thread that exits owning a mutant. */
#define TITLE "misc"
#include "title_util.h"

static HANDLE notif, sync, owned_by_main, abandoned;
static volatile uint32_t woken[4];
static volatile NTSTATUS probe_status = 0x1234;

static uint32_t pulse_waiter(void* ctx) {
  uint32_t i = (uint32_t)ctx;
  NTSTATUS st = NtWaitForSingleObjectEx(i < 2 ? notif : sync, UserMode, FALSE, NULL);
  woken[i] = 1;
  return (uint32_t)st;
}

static uint32_t probe_mutant(void* ctx) {
  (void)ctx;
  probe_status = poll(owned_by_main);
  return (uint32_t)probe_status;
}

static uint32_t create_owned_and_exit(void* ctx) {
  (void)ctx;
  return (uint32_t)NtCreateMutant(&abandoned, NULL, TRUE);
}

static uint32_t run_and_join(HX_THREAD_START start, void* ctx) {
  HANDLE h;
  ExCreateThread(&h, 0, NULL, NULL, start, ctx, 0);
  return (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, NULL);
}

int main(void) {
  LONG previous = 99;
  HANDLE h;

  expect("KeQueryPerformanceFrequency low word", (uint32_t)KeQueryPerformanceFrequency(), 50000000);
  expect("KeQueryPerformanceFrequency high word", (uint32_t)(KeQueryPerformanceFrequency() >> 32), 0);
  expect("KeGetCurrentProcessType", KeGetCurrentProcessType(), 1);

  /* NtClose. */
  NtCreateEvent(&h, NULL, NotificationEvent, TRUE);
  expect("wait on the event before NtClose", poll(h), STATUS_SUCCESS);
  expect("NtClose", NtClose(h), STATUS_SUCCESS);
  expect("NtSetEvent on a closed handle", NtSetEvent(h, NULL), STATUS_INVALID_HANDLE);
  expect("wait on a closed handle", poll(h), STATUS_INVALID_HANDLE);
  expect("NtClose again", NtClose(h), STATUS_INVALID_HANDLE);
  expect("NtClearEvent on a closed handle", NtClearEvent(h), STATUS_INVALID_HANDLE);
  expect("NtPulseEvent on a closed handle", NtPulseEvent(h, NULL), STATUS_INVALID_HANDLE);

  /* NtClearEvent and NtPulseEvent with nobody waiting. */
  NtCreateEvent(&notif, NULL, NotificationEvent, TRUE);
  NtCreateEvent(&sync, NULL, SynchronizationEvent, FALSE);
  expect("NtClearEvent", NtClearEvent(notif), STATUS_SUCCESS);
  expect("cleared", poll(notif), STATUS_TIMEOUT);
  expect("NtClearEvent on a reset event", NtClearEvent(notif), STATUS_SUCCESS);
  expect("NtPulseEvent, no waiters", NtPulseEvent(notif, &previous), STATUS_SUCCESS);
  expect("NtPulseEvent, no waiters: previous state", (uint32_t)previous, 0);
  expect("a pulse with no waiters leaves the event reset", poll(notif), STATUS_TIMEOUT);
  NtSetEvent(notif, NULL);
  expect("NtPulseEvent on a set event", NtPulseEvent(notif, &previous), STATUS_SUCCESS);
  expect("NtPulseEvent on a set event: previous state", (uint32_t)previous, 1);
  expect("a pulse resets a set event", poll(notif), STATUS_TIMEOUT);

  /* NtPulseEvent with waiters (each created after the previous one blocked). */
  for (uint32_t i = 0; i < 4; ++i) {
    ExCreateThread(&h, 0, NULL, NULL, pulse_waiter, (void*)i, 0);
    sleep_ms(1);
  }
  expect("NtPulseEvent, two notification waiters", NtPulseEvent(notif, &previous), STATUS_SUCCESS);
  expect("previous state", (uint32_t)previous, 0);
  expect("the notification event is reset after the pulse", poll(notif), STATUS_TIMEOUT);
  sleep_ms(1);
  expect("both notification waiters woken", woken[0] + woken[1], 2);
  expect("NtPulseEvent, two synchronization waiters", NtPulseEvent(sync, &previous), STATUS_SUCCESS);
  expect("the synchronization event is reset after the pulse", poll(sync), STATUS_TIMEOUT);
  sleep_ms(1);
  expect("only the first synchronization waiter woken", woken[2] * 2 + woken[3], 2);
  NtSetEvent(sync, NULL);
  sleep_ms(1);
  expect("the second one wakes on the next set", woken[3], 1);

  /* Alertable waits with nothing to deliver. */
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(1);
  expect("alertable wait, timeout", NtWaitForSingleObjectEx(sync, UserMode, TRUE, &t), STATUS_TIMEOUT);
  expect("alertable delay", KeDelayExecutionThread(UserMode, TRUE, &t), STATUS_SUCCESS);
  NtSetEvent(sync, NULL);
  expect("alertable wait on a set event", NtWaitForSingleObjectEx(sync, UserMode, TRUE, &t), STATUS_SUCCESS);

  /* A mutant created owned. */
  expect("NtCreateMutant owned", NtCreateMutant(&owned_by_main, NULL, TRUE), STATUS_SUCCESS);
  expect("NtSetEvent on a mutant", NtSetEvent(owned_by_main, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtClearEvent on a mutant", NtClearEvent(owned_by_main), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtPulseEvent on a mutant", NtPulseEvent(owned_by_main, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtReleaseMutant on an event", NtReleaseMutant(sync, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  expect("join the prober", run_and_join(probe_mutant, NULL), STATUS_SUCCESS);
  expect("another thread cannot take it", (uint32_t)probe_status, STATUS_TIMEOUT);
  expect("the owner takes it again", poll(owned_by_main), STATUS_SUCCESS);
  expect("release 1", NtReleaseMutant(owned_by_main, &previous), STATUS_SUCCESS);
  expect("release 1 previous", (uint32_t)previous, (uint32_t)-1);
  expect("release 2", NtReleaseMutant(owned_by_main, &previous), STATUS_SUCCESS);
  expect("release 2 previous", (uint32_t)previous, 0);
  expect("release 3 (not owned)", NtReleaseMutant(owned_by_main, NULL), STATUS_MUTANT_NOT_OWNED);

  /* WaitAll over a mutant abandoned by its creator; the mutant is the second object. */
  expect("the creator exits", run_and_join(create_owned_and_exit, NULL), STATUS_SUCCESS);
  NtSetEvent(notif, NULL);
  HANDLE all[2] = {notif, abandoned};
  expect("WaitAll{set event, abandoned mutant}", NtWaitForMultipleObjectsEx(2, all, WaitAll, UserMode, FALSE, &t),
         STATUS_ABANDONED_WAIT_0);
  expect("main owns it now", NtReleaseMutant(abandoned, &previous), STATUS_SUCCESS);
  expect("released once", (uint32_t)previous, 0);
  expect("WaitAll again: no longer abandoned", NtWaitForMultipleObjectsEx(2, all, WaitAll, UserMode, FALSE, &t),
         STATUS_SUCCESS);
  NtReleaseMutant(abandoned, NULL);

  DbgPrint("misc: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
