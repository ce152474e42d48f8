/* kapcs: APCs (docs/architecture.md, "Timers, DPCs and APCs"):
 *   - a user APC queued (NtQueueApcThread) to a thread blocked in an alertable wait ends the wait:
 *     the APC routine runs on that thread with its context and arguments, then the wait returns
 *     STATUS_USER_APC;
 *   - one queued to a thread in a non-alertable wait does not run: the wait ends by its signal
 *     (STATUS_WAIT_0) and the APC stays queued until the thread's next alertable wait, which then
 *     returns STATUS_USER_APC at once (an alertable KeDelayExecutionThread here);
 *   - several queued APCs all run in queue order in one alertable wait;
 *   - a KAPC (KeInitializeApc, KeInsertQueueApc): the kernel routine runs first and may change
 *     the normal routine's arguments; inserting a queued KAPC returns FALSE; KeRemoveQueueApc
 *     takes it out; KAPC.Inserted follows;
 *   - NtSetTimerEx's completion routine is a user APC to the thread that set the timer;
 *   - hostile arguments: bad, wrong-type and exited thread handles. */
#define TITLE "kapcs"
#include "title_util.h"

static HANDLE never, gate, worker_done, worker;
static volatile uint32_t order[8], order_len;
static volatile uint32_t args_ok, wait1, wait2, wait3, wait4, wait5, apc_tid_ok, timer_apc_context_ok;
static volatile uint32_t kernel_routine_runs, normal_arg1;
static volatile uint32_t step;  /* how far the worker got */
static KAPC kapc;

static void note(uint32_t what) {
  if (order_len < 8) order[order_len++] = what;
}

static void apc_routine(void* context, void* arg1, void* arg2) {
  note((uint32_t)context);
  args_ok += arg1 == (void*)0x11 && arg2 == (void*)0x22;
}

static void kernel_routine(KAPC* apc, HX_NORMAL_ROUTINE* normal, void** context, void** arg1, void** arg2) {
  ++kernel_routine_runs;
  *arg1 = (void*)0x55; /* the normal routine gets this instead */
  (void)apc, (void)normal, (void)context, (void)arg2;
}

static void normal_routine(void* context, void* arg1, void* arg2) {
  note((uint32_t)context);
  normal_arg1 = (uint32_t)arg1;
  (void)arg2;
}

static void timer_apc(void* context, uint32_t low, uint32_t high) {
  note(0x70);
  timer_apc_context_ok = context == (void*)&timer_apc_context_ok && high != 0;
  (void)low;
}

static uint32_t worker_main(void* ctx) {
  /* 1: alertable wait, ended by an APC. */
  step = 1;
  wait1 = NtWaitForSingleObjectEx(never, UserMode, TRUE, NULL);
  /* 2: non-alertable wait: the APC queued meanwhile does not run; the gate's signal ends it. */
  step = 2;
  wait2 = NtWaitForSingleObjectEx(gate, UserMode, FALSE, NULL);
  /* 3: the queued APC runs in the next alertable wait, which does not block. */
  LARGE_INTEGER long_delay;
  long_delay.QuadPart = HX_RELATIVE_MS(1000);
  wait3 = KeDelayExecutionThread(UserMode, TRUE, &long_delay);
  /* 4: three APCs queued while it sleeps (not alertable) all run in one alertable wait. */
  step = 4;
  LARGE_INTEGER short_delay;
  short_delay.QuadPart = HX_RELATIVE_MS(3);
  KeDelayExecutionThread(UserMode, FALSE, &short_delay);
  wait4 = NtWaitForSingleObjectEx(never, UserMode, TRUE, NULL);
  /* 5: a timer's completion routine, set by this thread. */
  HANDLE timer;
  NtCreateTimer(&timer, NULL, NotificationTimer);
  LARGE_INTEGER due;
  due.QuadPart = HX_RELATIVE_MS(2);
  NtSetTimerEx(timer, &due, (HX_TIMER_APC_ROUTINE)timer_apc, UserMode, (void*)&timer_apc_context_ok, FALSE, 0, NULL);
  wait5 = NtWaitForSingleObjectEx(never, UserMode, TRUE, NULL);
  NtClose(timer);
  step = 6;
  NtSetEvent(worker_done, NULL);
  /* 6: the KAPC test: main queues it, then lets this wait go. */
  NtWaitForSingleObjectEx(never, UserMode, TRUE, NULL);
  return (uint32_t)ctx;
}

static uint32_t quick(void* ctx) { return (uint32_t)ctx; }

int main(void) {
  NtCreateEvent(&never, NULL, NotificationEvent, FALSE);
  NtCreateEvent(&gate, NULL, SynchronizationEvent, FALSE);
  NtCreateEvent(&worker_done, NULL, NotificationEvent, FALSE);
  ExCreateThread(&worker, 0, NULL, NULL, worker_main, (void*)7, 0);
  sleep_ms(1); /* the worker blocks in its alertable wait */
  expect("worker in its alertable wait", step, 1);
  expect("NtQueueApcThread", NtQueueApcThread(worker, apc_routine, (void*)1, (void*)0x11, (void*)0x22), STATUS_SUCCESS);
  sleep_ms(1);
  expect("alertable wait returns STATUS_USER_APC", wait1, STATUS_USER_APC);
  expect("the APC ran", order_len, 1);
  expect("worker in its non-alertable wait", step, 2);
  NtQueueApcThread(worker, apc_routine, (void*)2, (void*)0x11, (void*)0x22);
  sleep_ms(2);
  expect("no APC in a non-alertable wait", order_len, 1);
  NtSetEvent(gate, NULL);
  sleep_ms(1);
  expect("the non-alertable wait ends by its signal", wait2, STATUS_WAIT_0);
  expect("an alertable delay with an APC queued returns STATUS_USER_APC", wait3, STATUS_USER_APC);
  expect("the queued APC ran in the delay", order_len, 2);
  expect("worker sleeps, not alertable", step, 4);
  NtQueueApcThread(worker, apc_routine, (void*)3, (void*)0x11, (void*)0x22);
  NtQueueApcThread(worker, apc_routine, (void*)4, (void*)0x11, (void*)0x22);
  NtQueueApcThread(worker, apc_routine, (void*)5, (void*)0x11, (void*)0x22);
  NtWaitForSingleObjectEx(worker_done, UserMode, FALSE, NULL);
  expect("three queued APCs in one wait", wait4, STATUS_USER_APC);
  expect("timer completion routine ends the alertable wait", wait5, STATUS_USER_APC);
  expect("timer APC context and time", timer_apc_context_ok, 1);
  expect("APC count", order_len, 6);
  expect("APC order", order[0] == 1 && order[1] == 2 && order[2] == 3 && order[3] == 4 && order[4] == 5 &&
                          order[5] == 0x70, 1);
  expect("APC arguments", args_ok, 5);

  /* KAPC: the worker waits alertably again (step 6). */
  KeInitializeApc(&kapc, (void*)worker, kernel_routine, NULL, normal_routine, UserMode, (void*)0x60);
  expect("KAPC type", kapc.Type, 18);
  expect("KeInsertQueueApc", KeInsertQueueApc(&kapc, (void*)0x11, (void*)0x22, 0), TRUE);
  sleep_ms(1);
  expect("kernel routine ran", kernel_routine_runs, 1);
  expect("normal routine ran after it", order_len, 7);
  expect("normal routine got the kernel routine's argument", normal_arg1, 0x55);
  expect("KeInsertQueueApc for an exited thread", KeInsertQueueApc(&kapc, NULL, NULL, 0), FALSE);

  /* Insert twice and remove, on a thread that is not waiting (main itself: never alertable here). */
  HANDLE self_target;
  ExCreateThread(&self_target, 0, NULL, NULL, quick, NULL, 1 /* suspended */);
  KeInitializeApc(&kapc, (void*)self_target, NULL, NULL, normal_routine, UserMode, (void*)0x61);
  expect("KeInsertQueueApc to a suspended thread", KeInsertQueueApc(&kapc, NULL, NULL, 0), TRUE);
  expect("KAPC.Inserted", kapc.Inserted, 1);
  expect("KeInsertQueueApc of a queued KAPC", KeInsertQueueApc(&kapc, NULL, NULL, 0), FALSE);
  expect("KeRemoveQueueApc", KeRemoveQueueApc(&kapc), TRUE);
  expect("KAPC.Inserted after the remove", kapc.Inserted, 0);
  expect("KeRemoveQueueApc again", KeRemoveQueueApc(&kapc), FALSE);

  /* Hostile handles. */
  expect("NtQueueApcThread bad handle", NtQueueApcThread((HANDLE)0xDEAD, apc_routine, NULL, NULL, NULL),
         STATUS_INVALID_HANDLE);
  expect("NtQueueApcThread on an event", NtQueueApcThread(gate, apc_routine, NULL, NULL, NULL),
         STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtQueueApcThread on an exited thread", NtQueueApcThread(worker, apc_routine, NULL, NULL, NULL),
         STATUS_UNSUCCESSFUL);
  KeInitializeApc(&kapc, (void*)0x12345678, NULL, NULL, normal_routine, UserMode, NULL);
  expect("KeInsertQueueApc for no thread", KeInsertQueueApc(&kapc, NULL, NULL, 0), FALSE);
  NtResumeThread(self_target, NULL);
  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
