/* waitall: NT WaitAll atomicity and WaitAny indices.
 *   - WaitAll {sync event A (set), semaphore S (0)} with a zero timeout times out and leaves A set;
 *   - a thread blocked in WaitAll {A, S} does not take A while S is unavailable: main can still
 *     acquire A; once A and S are both signaled the waiter takes both at once;
 *   - WaitAny returns STATUS_WAIT_0 + the index of the first signaled object. */
#define TITLE "waitall"
#include "title_util.h"

static HANDLE ev_a, sem_s;

static uint32_t all_waiter(void* ctx) {
  (void)ctx;
  HANDLE both[2] = {ev_a, sem_s};
  return (uint32_t)NtWaitForMultipleObjectsEx(2, both, WaitAll, UserMode, FALSE, NULL);
}

int main(void) {
  LARGE_INTEGER zero, one_ms;
  zero.QuadPart = 0;
  one_ms.QuadPart = HX_RELATIVE_MS(1);
  NtCreateEvent(&ev_a, NULL, SynchronizationEvent, TRUE);
  NtCreateSemaphore(&sem_s, NULL, 0, 1);
  HANDLE both[2] = {ev_a, sem_s};

  expect("WaitAll{A,S} zero timeout", NtWaitForMultipleObjectsEx(2, both, WaitAll, UserMode, FALSE, &zero), STATUS_TIMEOUT);
  expect("A still set after the failed WaitAll", poll(ev_a), STATUS_SUCCESS);
  expect("A consumed by the single wait", poll(ev_a), STATUS_TIMEOUT);

  NtSetEvent(ev_a, NULL);
  HANDLE waiter;
  ExCreateThread(&waiter, 0, NULL, NULL, all_waiter, NULL, HX_CREATE_SUSPENDED);
  KeSetAffinityThread((void*)waiter, 1u << 1, NULL);
  NtResumeThread(waiter, NULL);
  KeDelayExecutionThread(UserMode, FALSE, &one_ms); /* the waiter blocks in its WaitAll meanwhile */
  expect("A available while the WaitAll waiter lacks S", poll(ev_a), STATUS_SUCCESS);
  expect("waiter still blocked", poll(waiter), STATUS_TIMEOUT);

  NtSetEvent(ev_a, NULL);
  expect("waiter still blocked with only A", poll(waiter), STATUS_TIMEOUT);
  LONG previous = -1;
  expect("release S", NtReleaseSemaphore(sem_s, 1, &previous), STATUS_SUCCESS);
  expect("S previous count", previous, 0);
  expect("join the waiter", NtWaitForSingleObjectEx(waiter, UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("A consumed by the WaitAll", poll(ev_a), STATUS_TIMEOUT);
  expect("S consumed by the WaitAll", poll(sem_s), STATUS_TIMEOUT);

  /* WaitAny: the index of the first signaled object in array order. */
  NtReleaseSemaphore(sem_s, 1, NULL);
  NtSetEvent(ev_a, NULL);
  HANDLE any[2] = {sem_s, ev_a};
  expect("WaitAny{S,A} both set", NtWaitForMultipleObjectsEx(2, any, WaitAny, UserMode, FALSE, &zero), 0);
  expect("WaitAny{S,A} only A", NtWaitForMultipleObjectsEx(2, any, WaitAny, UserMode, FALSE, &zero), 1);
  expect("WaitAny{S,A} none", NtWaitForMultipleObjectsEx(2, any, WaitAny, UserMode, FALSE, &zero), STATUS_TIMEOUT);

  DbgPrint("waitall: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
