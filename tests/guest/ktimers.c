/* ktimers: timers on the guest-time event queue and DPCs (docs/architecture.md, "Timers, DPCs and
 * APCs"):
 *   - a periodic synchronization KTIMER satisfies one wait per period: five waits, five ticks, each
 *     exactly one period (5 ms of guest time) after the one before;
 *   - a periodic timer with a DPC: the DPC runs once per expiry (10 expiries in 10.5 ms at 1 ms),
 *     on its slot's DPC thread, with the DPC, its context and the expiry's system time as arguments;
 *   - a one-shot timer's DPC sets a KEVENT the main thread waits on;
 *   - NtCreateTimer / NtSetTimerEx / NtWaitForSingleObjectEx: a notification timer stays signaled
 *     after a wait, a synchronization timer is taken by it; setting a timer clears its state;
 *   - KeCancelTimer / NtCancelTimer: a cancelled timer never fires (a wait on it times out);
 *     cancelling returns whether it was armed;
 *   - KeInsertQueueDpc runs the DPC before the caller goes on; inserting a queued DPC returns
 *     FALSE; KeRemoveQueueDpc takes a queued DPC out (it never runs);
 *   - hostile arguments: bad and wrong-type handles, NULL handle pointers, bad types and negative
 *     periods return statuses; NULL or unmapped KTIMERs and KDPCs fault the calling thread. */
#define TITLE "ktimers"
#include "title_util.h"

#define BAD_HIGH 0xDEAD0000u /* unmapped */

static KTIMER periodic, dpc_timer, one_shot, cancelled, not_set;
static KDPC tick_dpc, event_dpc, direct_dpc, inner_dpc, removed_dpc;
static KEVENT dpc_done, not_a_timer;
static volatile uint32_t ticks, tick_time_high, tick_context_ok, tick_dpc_arg_ok;
static volatile uint32_t direct_runs, inner_runs, removed_runs, inner_insert_again, inner_remove;
static volatile uint32_t event_dpc_runs;

static int64_t now(void) {
  LARGE_INTEGER t;
  KeQuerySystemTime(&t);
  return t.QuadPart;
}

static void tick_routine(KDPC* dpc, void* context, void* arg1, void* arg2) {
  ++ticks;
  tick_context_ok += context == (void*)&ticks;
  tick_dpc_arg_ok += dpc == &tick_dpc;
  tick_time_high = (uint32_t)arg2; /* the expiry's system time, high part */
  (void)arg1;
}

static void event_routine(KDPC* dpc, void* context, void* arg1, void* arg2) {
  ++event_dpc_runs;
  KeSetEvent((KEVENT*)context, 0, FALSE);
  (void)dpc, (void)arg1, (void)arg2;
}

static void inner_routine(KDPC* dpc, void* context, void* arg1, void* arg2) {
  ++inner_runs;
  (void)dpc, (void)context, (void)arg1, (void)arg2;
}
static void removed_routine(KDPC* dpc, void* context, void* arg1, void* arg2) {
  ++removed_runs;
  (void)dpc, (void)context, (void)arg1, (void)arg2;
}

/* Runs on the DPC thread: the DPCs it queues wait behind it, so a second insert finds it queued. */
static void direct_routine(KDPC* dpc, void* context, void* arg1, void* arg2) {
  ++direct_runs;
  KeInsertQueueDpc(&inner_dpc, NULL, NULL);
  inner_insert_again = KeInsertQueueDpc(&inner_dpc, NULL, NULL);
  KeInsertQueueDpc(&removed_dpc, NULL, NULL);
  inner_remove = KeRemoveQueueDpc(&removed_dpc);
  (void)dpc, (void)context, (void)arg1, (void)arg2;
}

static void periodic_waits(void) {
  KeInitializeTimerEx(&periodic, SynchronizationTimer, 0);
  expect("timer header type", periodic.Header.Type, HX_OBJ_SYNCHRONIZATION_TIMER);
  expect("KeSetTimerEx on an idle timer", KeSetTimerEx(&periodic, HX_RELATIVE_MS(10), 5, NULL), FALSE);
  expect("KTIMER.Period", (uint32_t)periodic.Period, 5);
  int64_t woke[5];
  uint32_t ok = 0;
  for (int i = 0; i < 5; ++i) {
    ok += KeWaitForSingleObject(&periodic, Executive, KernelMode, FALSE, NULL) == STATUS_WAIT_0;
    woke[i] = now();
  }
  expect("periodic waits satisfied", ok, 5);
  /* 100 ns units: one period is 50000. The waits end at the expiries, which are a period apart. */
  uint32_t exact = 0;
  for (int i = 1; i < 5; ++i) exact += woke[i] - woke[i - 1] >= 49999 && woke[i] - woke[i - 1] <= 50001;
  expect("ticks one period apart", exact, 4);
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  expect("synchronization timer taken by the wait",
         KeWaitForSingleObject(&periodic, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
  expect("KeCancelTimer of an armed periodic timer", KeCancelTimer(&periodic), TRUE);
  expect("KeCancelTimer again", KeCancelTimer(&periodic), FALSE);
}

static void periodic_dpc(void) {
  KeInitializeTimerEx(&dpc_timer, NotificationTimer, 0);
  KeInitializeDpc(&tick_dpc, tick_routine, (void*)&ticks);
  expect("KDPC type", tick_dpc.Type, 19);
  KeSetTimerEx(&dpc_timer, HX_RELATIVE_MS(1), 1, &tick_dpc);
  LARGE_INTEGER t;
  t.QuadPart = -105000; /* 10.5 ms: expiries at 1, 2, ... 10 ms */
  KeDelayExecutionThread(UserMode, FALSE, &t);
  expect("DPC ticks in 10.5 ms at 1 ms", ticks, 10);
  expect("KeCancelTimer of the ticking timer", KeCancelTimer(&dpc_timer), TRUE);
  expect("DPC context", tick_context_ok, 10);
  expect("DPC's first argument is its KDPC", tick_dpc_arg_ok, 10);
  expect("DPC system time high part", tick_time_high, (uint32_t)(now() >> 32));
  sleep_ms(3);
  expect("no tick after the cancel", ticks, 10);
}

static void one_shot_dpc(void) {
  KeInitializeEvent(&dpc_done, NotificationEvent, FALSE);
  KeInitializeTimerEx(&one_shot, NotificationTimer, 0);
  KeInitializeDpc(&event_dpc, event_routine, &dpc_done);
  KeSetTimer(&one_shot, HX_RELATIVE_MS(2), &event_dpc);
  expect("wait for the DPC's event", KeWaitForSingleObject(&dpc_done, Executive, KernelMode, FALSE, NULL),
         STATUS_WAIT_0);
  expect("one-shot DPC runs", event_dpc_runs, 1);
  expect("one-shot notification timer signaled", (uint32_t)one_shot.Header.SignalState, 1);
  expect("KeCancelTimer of an expired timer", KeCancelTimer(&one_shot), FALSE);
}

static void handle_timers(void) {
  HANDLE notification, synchronization;
  expect("NtCreateTimer notification", NtCreateTimer(&notification, NULL, NotificationTimer), STATUS_SUCCESS);
  expect("NtCreateTimer synchronization", NtCreateTimer(&synchronization, NULL, SynchronizationTimer),
         STATUS_SUCCESS);
  LARGE_INTEGER due;
  due.QuadPart = HX_RELATIVE_MS(3);
  DWORD previous = 7;
  expect("NtSetTimerEx", NtSetTimerEx(notification, &due, NULL, UserMode, NULL, FALSE, 0, &previous), STATUS_SUCCESS);
  expect("previous state of a new timer", previous, 0);
  expect("wait on a notification timer", NtWaitForSingleObjectEx(notification, UserMode, FALSE, NULL), STATUS_WAIT_0);
  expect("notification timer stays signaled", poll(notification), STATUS_WAIT_0);
  /* Setting a signaled timer clears it: the previous state says it was signaled. */
  due.QuadPart = HX_RELATIVE_MS(50);
  NtSetTimerEx(notification, &due, NULL, UserMode, NULL, FALSE, 0, &previous);
  expect("previous state of a signaled timer", previous, 1);
  expect("set clears the state", poll(notification), STATUS_TIMEOUT);
  DWORD state = 7;
  expect("NtCancelTimer", NtCancelTimer(notification, &state), STATUS_SUCCESS);
  expect("NtCancelTimer current state", state, 0);
  due.QuadPart = HX_RELATIVE_MS(1);
  NtSetTimerEx(synchronization, &due, NULL, UserMode, NULL, FALSE, 0, NULL);
  expect("wait on a synchronization timer", NtWaitForSingleObjectEx(synchronization, UserMode, FALSE, NULL),
         STATUS_WAIT_0);
  expect("synchronization timer taken", poll(synchronization), STATUS_TIMEOUT);
  /* Absolute due time: 2 ms from now in system time. */
  due.QuadPart = now() + 20000;
  NtSetTimerEx(synchronization, &due, NULL, UserMode, NULL, FALSE, 0, NULL);
  int64_t before = now();
  expect("wait on an absolute timer", NtWaitForSingleObjectEx(synchronization, UserMode, FALSE, NULL), STATUS_WAIT_0);
  expect("absolute timer expired on time", now() - before >= 19999 && now() - before <= 20001, 1);
  NtClose(notification);
  NtClose(synchronization);
}

static void cancel(void) {
  KeInitializeTimerEx(&cancelled, NotificationTimer, 0);
  KeSetTimer(&cancelled, HX_RELATIVE_MS(1), NULL);
  expect("KeSetTimer again while armed", KeSetTimer(&cancelled, HX_RELATIVE_MS(1), NULL), TRUE);
  expect("KeCancelTimer of an armed timer", KeCancelTimer(&cancelled), TRUE);
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(5);
  expect("a cancelled timer never fires", KeWaitForSingleObject(&cancelled, Executive, KernelMode, FALSE, &t),
         STATUS_TIMEOUT);
  expect("KTIMER.Header.Inserted after the cancel", cancelled.Header.Inserted, 0);
}

static void direct_dpcs(void) {
  KeInitializeDpc(&direct_dpc, direct_routine, NULL);
  KeInitializeDpc(&inner_dpc, inner_routine, NULL);
  KeInitializeDpc(&removed_dpc, removed_routine, NULL);
  expect("KeInsertQueueDpc", KeInsertQueueDpc(&direct_dpc, (void*)1, (void*)2), TRUE);
  expect("the DPC ran before KeInsertQueueDpc returned", direct_runs, 1);
  expect("a queued DPC ran after the one that queued it", inner_runs, 1);
  expect("KeInsertQueueDpc of a queued DPC", inner_insert_again, FALSE);
  expect("KeRemoveQueueDpc of a queued DPC", inner_remove, TRUE);
  expect("a removed DPC never runs", removed_runs, 0);
  expect("KeRemoveQueueDpc of an idle DPC", KeRemoveQueueDpc(&removed_dpc), FALSE);
  expect("DPC arguments", (uint32_t)direct_dpc.SystemArgument1 + (uint32_t)direct_dpc.SystemArgument2, 3);
}

/* Each faulting case runs in its own thread: the fault is recorded on it, the run goes on. */
static uint32_t f_set_null(void* ctx) {
  KeSetTimerEx(NULL, HX_RELATIVE_MS(1), 0, NULL);
  return (uint32_t)ctx;
}
static uint32_t f_set_bad_dpc(void* ctx) {
  KeSetTimerEx(&not_set, HX_RELATIVE_MS(1), 0, (KDPC*)BAD_HIGH);
  return (uint32_t)ctx;
}
static uint32_t f_insert_dpc_bad(void* ctx) {
  KeInsertQueueDpc((KDPC*)BAD_HIGH, NULL, NULL);
  return (uint32_t)ctx;
}
static uint32_t f_init_timer_bad(void* ctx) {
  KeInitializeTimerEx((KTIMER*)BAD_HIGH, NotificationTimer, 0);
  return (uint32_t)ctx;
}
static uint32_t f_set_due_bad(void* ctx) {
  HANDLE h = (HANDLE)ctx;
  NtSetTimerEx(h, (LARGE_INTEGER*)BAD_HIGH, NULL, UserMode, NULL, FALSE, 0, NULL);
  return 0;
}

static void hostile(void) {
  HANDLE timer, event, h;
  NtCreateTimer(&timer, NULL, NotificationTimer);
  NtCreateEvent(&event, NULL, NotificationEvent, FALSE);
  LARGE_INTEGER due;
  due.QuadPart = HX_RELATIVE_MS(1);
  expect("NtSetTimerEx bad handle", NtSetTimerEx((HANDLE)0x1234, &due, NULL, UserMode, NULL, FALSE, 0, NULL),
         STATUS_INVALID_HANDLE);
  expect("NtSetTimerEx on an event", NtSetTimerEx(event, &due, NULL, UserMode, NULL, FALSE, 0, NULL),
         STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtSetTimerEx negative period", NtSetTimerEx(timer, &due, NULL, UserMode, NULL, FALSE, -1, NULL),
         STATUS_INVALID_PARAMETER);
  expect("NtCancelTimer bad handle", NtCancelTimer((HANDLE)0xF8FFFFF0, NULL), STATUS_INVALID_HANDLE);
  expect("NtCancelTimer on an event", NtCancelTimer(event, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtCreateTimer NULL handle", NtCreateTimer(NULL, NULL, NotificationTimer), STATUS_INVALID_PARAMETER);
  expect("NtCreateTimer bad type", NtCreateTimer(&h, NULL, 7), STATUS_INVALID_PARAMETER);
  KeInitializeEvent(&not_a_timer, NotificationEvent, FALSE);
  expect("KeSetTimerEx on a KEVENT", KeSetTimerEx((KTIMER*)&not_a_timer, HX_RELATIVE_MS(1), 0, NULL), FALSE);
  expect("KeCancelTimer on a KEVENT", KeCancelTimer((KTIMER*)&not_a_timer), FALSE);
  KeInitializeTimerEx(&not_set, NotificationTimer, 0);
  expect("KeSetTimerEx negative period", KeSetTimerEx(&not_set, HX_RELATIVE_MS(1), -5, NULL), FALSE);
  expect("KeCancelTimer of a timer never set", KeCancelTimer(&not_set), FALSE);
  expect("KeInitializeTimerEx bad type leaves it", (KeInitializeTimerEx(&not_set, 5, 0), not_set.Header.Type),
         HX_OBJ_NOTIFICATION_TIMER);
  HX_THREAD_START faulting[] = {f_set_null, f_set_bad_dpc, f_insert_dpc_bad, f_init_timer_bad, f_set_due_bad};
  for (uint32_t i = 0; i < sizeof faulting / sizeof faulting[0]; ++i) {
    HANDLE t;
    ExCreateThread(&t, 0, NULL, NULL, faulting[i], faulting[i] == f_set_due_bad ? (void*)timer : NULL, 0);
    LARGE_INTEGER limit;
    limit.QuadPart = HX_RELATIVE_MS(1);
    NtWaitForSingleObjectEx(t, UserMode, FALSE, &limit);
  }
  expect("the bad-pointer NtSetTimerEx left the timer unset", NtCancelTimer(timer, NULL), STATUS_SUCCESS);
  NtClose(timer);
  NtClose(event);
}

int main(void) {
  periodic_waits();
  periodic_dpc();
  one_shot_dpc();
  handle_timers();
  cancel();
  direct_dpcs();
  hostile();
  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
