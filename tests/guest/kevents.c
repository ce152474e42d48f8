/* kevents: KEVENTs the title keeps in its own memory (KeInitializeEvent, KeSetEvent,
 * KeResetEvent, KeWaitForSingleObject, KeWaitForMultipleObjects), as NT defines them:
 *   - Ke{Set,Reset}Event return the previous signal state, and the state is mirrored into the
 *     title's DISPATCHER_HEADER (Type 0 = notification, 1 = synchronization; SignalState);
 *   - a notification event, once set, satisfies every waiter (three threads blocked on it all
 *     wake, in the order they began to wait) and stays set until reset;
 *   - a synchronization event satisfies exactly one waiter per set — the one that waited
 *     longest — and is reset by that satisfaction;
 *   - KeWaitForMultipleObjects: WaitAny returns STATUS_WAIT_0 + the index of the first signaled
 *     object; WaitAll over thread objects returns when all have exited.
 * The waiters are started one at a time (each blocks before the next is created), so the wait
 * order is known: worker 0, then 1, then 2 (tids 2, 3, 4 for the notification event; tids 5, 6,
 * 7 for the synchronization event). */
#define TITLE "kevents"
#include "title_util.h"

static KEVENT notification, synchronization, unused;
static volatile uint32_t woke_notification[3], woke_synchronization[3];
static volatile NTSTATUS status_notification[3], status_synchronization[3];

static NTSTATUS poll_kevent(KEVENT* e) {
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  return KeWaitForSingleObject(e, Executive, KernelMode, FALSE, &zero);
}

static uint32_t notification_waiter(void* ctx) {
  uint32_t i = (uint32_t)ctx;
  status_notification[i] = KeWaitForSingleObject(&notification, Executive, KernelMode, FALSE, NULL);
  woke_notification[i] = 1;
  return i;
}

static uint32_t synchronization_waiter(void* ctx) {
  uint32_t i = (uint32_t)ctx;
  status_synchronization[i] = KeWaitForSingleObject(&synchronization, Executive, KernelMode, FALSE, NULL);
  woke_synchronization[i] = 1;
  return 0x10 + i;
}

static void* kthread_of(HANDLE h) {
  void* object = NULL;
  ObReferenceObjectByHandle(h, NULL, &object);
  return object;
}

/* Starts three waiters, each blocked before the next is created (1 ms each is ample). */
static void start_waiters(HX_THREAD_START start, void* threads[3]) {
  for (uint32_t i = 0; i < 3; ++i) {
    HANDLE h;
    ExCreateThread(&h, 0, NULL, NULL, start, (void*)i, 0);
    threads[i] = kthread_of(h);
    sleep_ms(1);
  }
}

static uint32_t woken_mask(volatile uint32_t* flags) { return flags[0] | flags[1] << 1 | flags[2] << 2; }

int main(void) {
  KeInitializeEvent(&notification, NotificationEvent, FALSE);
  KeInitializeEvent(&synchronization, SynchronizationEvent, FALSE);
  KeInitializeEvent(&unused, SynchronizationEvent, FALSE);
  expect("notification header type", notification.Header.Type, HX_OBJ_NOTIFICATION_EVENT);
  expect("synchronization header type", synchronization.Header.Type, HX_OBJ_SYNCHRONIZATION_EVENT);
  expect("initial signal state", (uint32_t)notification.Header.SignalState, 0);

  /* Set and reset with nobody waiting. */
  expect("KeSetEvent on a reset event returns", (uint32_t)KeSetEvent(&notification, 0, FALSE), 0);
  expect("signal state after set", (uint32_t)notification.Header.SignalState, 1);
  expect("KeSetEvent on a set event returns", (uint32_t)KeSetEvent(&notification, 0, FALSE), 1);
  expect("a set notification event satisfies a wait", poll_kevent(&notification), STATUS_SUCCESS);
  expect("and stays set", poll_kevent(&notification), STATUS_SUCCESS);
  expect("KeResetEvent on a set event returns", (uint32_t)KeResetEvent(&notification), 1);
  expect("signal state after reset", (uint32_t)notification.Header.SignalState, 0);
  expect("KeResetEvent on a reset event returns", (uint32_t)KeResetEvent(&notification), 0);
  expect("a reset event times out", poll_kevent(&notification), STATUS_TIMEOUT);

  expect("KeSetEvent on the synchronization event returns", (uint32_t)KeSetEvent(&synchronization, 0, FALSE), 0);
  expect("a set synchronization event satisfies one wait", poll_kevent(&synchronization), STATUS_SUCCESS);
  expect("which resets it", (uint32_t)synchronization.Header.SignalState, 0);
  expect("so the next wait times out", poll_kevent(&synchronization), STATUS_TIMEOUT);

  /* WaitAny returns the index of the first signaled object. */
  void* any[3] = {&unused, &synchronization, &notification};
  KeSetEvent(&synchronization, 0, FALSE);
  KeSetEvent(&notification, 0, FALSE);
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  expect("WaitAny{unset, set sync, set notif}",
         KeWaitForMultipleObjects(3, any, WaitAny, Executive, KernelMode, FALSE, &zero, NULL), STATUS_WAIT_0 + 1);
  expect("WaitAny consumed the synchronization event", (uint32_t)synchronization.Header.SignalState, 0);
  expect("WaitAny again", KeWaitForMultipleObjects(3, any, WaitAny, Executive, KernelMode, FALSE, &zero, NULL),
         STATUS_WAIT_0 + 2);
  expect("WaitAll with one unset object times out",
         KeWaitForMultipleObjects(3, any, WaitAll, Executive, KernelMode, FALSE, &zero, NULL), STATUS_TIMEOUT);
  KeResetEvent(&notification);

  /* Three waiters on the notification event: one set wakes them all. */
  void* n_threads[3];
  start_waiters(notification_waiter, n_threads);
  expect("notification waiters woken before the set", woken_mask(woke_notification), 0);
  expect("KeSetEvent with three waiters returns", (uint32_t)KeSetEvent(&notification, 0, FALSE), 0);
  expect("the notification event stays set", (uint32_t)notification.Header.SignalState, 1);
  expect("join the notification waiters",
         KeWaitForMultipleObjects(3, n_threads, WaitAll, Executive, KernelMode, FALSE, NULL, NULL), STATUS_SUCCESS);
  expect("notification waiters woken", woken_mask(woke_notification), 7);
  for (int i = 0; i < 3; ++i) expect("notification waiter status", (uint32_t)status_notification[i], STATUS_SUCCESS);

  /* Three waiters on the synchronization event: each set wakes the longest waiter only. */
  void* s_threads[3];
  start_waiters(synchronization_waiter, s_threads);
  expect("synchronization waiters woken before the first set", woken_mask(woke_synchronization), 0);
  for (uint32_t n = 1; n <= 3; ++n) {
    expect("KeSetEvent with synchronization waiters returns", (uint32_t)KeSetEvent(&synchronization, 0, FALSE), 0);
    expect("the satisfied wait reset the event", (uint32_t)synchronization.Header.SignalState, 0);
    sleep_ms(1);
    expect("synchronization waiters woken, in wait order", woken_mask(woke_synchronization), (1u << n) - 1);
  }
  expect("join the synchronization waiters",
         KeWaitForMultipleObjects(3, s_threads, WaitAll, Executive, KernelMode, FALSE, NULL, NULL), STATUS_SUCCESS);
  for (int i = 0; i < 3; ++i)
    expect("synchronization waiter status", (uint32_t)status_synchronization[i], STATUS_SUCCESS);
  expect("the event is reset at the end", poll_kevent(&synchronization), STATUS_TIMEOUT);

  DbgPrint("kevents: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
