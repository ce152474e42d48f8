/* multiwait: one signal satisfying several waiters, in wait order (NT: a signal satisfies the
 * waiters in the order they began to wait, while the object stays signaled):
 *   1. a notification event set once wakes all three threads waiting on it;
 *   2. NtReleaseSemaphore(count 3) wakes the first three of four waiters — the count is then 0
 *      and the fourth stays blocked until one more release;
 *   3. a thread's exit wakes all three threads joining it;
 *   4. the end: three threads and then main wait forever on one event nobody sets — a deadlock
 *      whose wedge map lists the four waiters in wait order.
 * Waiters are created one at a time, each blocked before the next one starts (a 1 ms delay), so
 * the wait order is the creation order. Tids: 2-4 (phase 1), 5-8 (phase 2), 9 the exiting thread
 * and 10-12 its joiners (phase 3), 13-15 (phase 4). */
#define TITLE "multiwait"
#include "title_util.h"

static HANDLE notification, semaphore, release_target, never;
static HANDLE target;
static volatile uint32_t woken[16];

struct waiter {
  uint32_t index;
  HANDLE* object;
};

static uint32_t wait_then_mark(void* ctx) {
  struct waiter* w = (struct waiter*)ctx;
  NTSTATUS st = NtWaitForSingleObjectEx(*w->object, UserMode, FALSE, NULL);
  woken[w->index] = 1;
  return (uint32_t)st;
}

static uint32_t exit_when_released(void* ctx) {
  (void)ctx;
  NtWaitForSingleObjectEx(release_target, UserMode, FALSE, NULL);
  return 0x99;
}

static struct waiter waiters[16];

/* Starts waiters first..last-1 on *object, one at a time, each blocked before the next. */
static void start_waiters(uint32_t first, uint32_t last, HANDLE* object, HANDLE* threads) {
  for (uint32_t i = first; i < last; ++i) {
    waiters[i].index = i;
    waiters[i].object = object;
    ExCreateThread(&threads[i - first], 0, NULL, NULL, wait_then_mark, &waiters[i], 0);
    sleep_ms(1);
  }
}

static uint32_t count_woken(uint32_t first, uint32_t last) {
  uint32_t n = 0;
  for (uint32_t i = first; i < last; ++i) n += woken[i];
  return n;
}

int main(void) {
  HANDLE threads[4];
  LONG previous = 99;
  NtCreateEvent(&notification, NULL, NotificationEvent, FALSE);
  NtCreateSemaphore(&semaphore, NULL, 0, 10);
  NtCreateEvent(&release_target, NULL, SynchronizationEvent, FALSE);
  NtCreateEvent(&never, NULL, NotificationEvent, FALSE);

  /* 1. Notification event, three waiters (tids 2, 3, 4). */
  start_waiters(0, 3, &notification, threads);
  expect("phase 1 waiters woken before the set", count_woken(0, 3), 0);
  expect("NtSetEvent", NtSetEvent(notification, &previous), STATUS_SUCCESS);
  expect("NtSetEvent previous state", (uint32_t)previous, 0);
  expect("join the three", NtWaitForMultipleObjectsEx(3, threads, WaitAll, UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("phase 1 waiters woken by one set", count_woken(0, 3), 3);
  expect("the notification event stays set", poll(notification), STATUS_SUCCESS);

  /* 2. Semaphore, four waiters (tids 5..8); one release of 3, then one of 1. */
  start_waiters(4, 8, &semaphore, threads);
  expect("NtReleaseSemaphore(3)", NtReleaseSemaphore(semaphore, 3, &previous), STATUS_SUCCESS);
  expect("NtReleaseSemaphore(3) previous count", (uint32_t)previous, 0);
  expect("the release of 3 was consumed by the three waits", poll(semaphore), STATUS_TIMEOUT);
  sleep_ms(1);
  expect("waiters woken by the release of 3", count_woken(4, 8), 3);
  expect("the fourth waiter (tid 8) is still blocked", woken[7], 0);
  expect("NtReleaseSemaphore(1)", NtReleaseSemaphore(semaphore, 1, &previous), STATUS_SUCCESS);
  expect("NtReleaseSemaphore(1) previous count", (uint32_t)previous, 0);
  expect("join the four", NtWaitForMultipleObjectsEx(4, threads, WaitAll, UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("all four woken", count_woken(4, 8), 4);
  expect("the semaphore count is 0 again", poll(semaphore), STATUS_TIMEOUT);

  /* 3. A thread's exit wakes its three joiners (tid 9 exits; tids 10, 11, 12 join it). */
  ExCreateThread(&target, 0, NULL, NULL, exit_when_released, NULL, 0);
  start_waiters(8, 11, &target, threads);
  expect("joiners woken before the exit", count_woken(8, 11), 0);
  NtSetEvent(release_target, NULL);
  expect("join the joiners", NtWaitForMultipleObjectsEx(3, threads, WaitAll, UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("joiners woken by the exit", count_woken(8, 11), 3);
  expect("the exited thread stays signaled", poll(target), STATUS_SUCCESS);

  /* 4. Three threads (tids 13, 14, 15) and then main wait on `never`: a deadlock. */
  start_waiters(12, 15, &never, threads);
  DbgPrint("multiwait: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  NtWaitForSingleObjectEx(never, UserMode, FALSE, NULL);
  return 0x7E;  /* never reached */
}
