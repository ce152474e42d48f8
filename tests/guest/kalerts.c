/* kalerts: thread alerts and asynchronous kernel-mode APCs (exports/alerts.cc, deferred.h).
 * Alerts (NT semantics; KeAlertThread, KeAlertResumeThread, KeTestAlertThread):
 *   - an alert ends the target's alertable wait with STATUS_ALERTED (0x101) when the wait's mode
 *     is at least the alert's: a user-mode alert does not end a kernel-mode wait (its flag stays
 *     set), a kernel-mode alert ends any alertable wait;
 *   - otherwise the flag is set: KeAlertThread returns TRUE while it is set, the next alertable
 *     wait returns STATUS_ALERTED at once and clears it, a non-alertable wait leaves it, and
 *     KeTestAlertThread returns and clears it;
 *   - KeAlertResumeThread alerts for kernel mode and resumes (-> the previous suspend count);
 *   - KeTestAlertThread(UserMode) with a user APC queued runs it as the call returns;
 *   - hostile: no thread, a mode other than 0/1, an event handle.
 * Kernel-mode APCs (KeInitializeApc with KernelMode; KeInsertQueueApc):
 *   - one queued to a thread in a NON-alertable wait runs at once: the wait is interrupted, the
 *     APC runs, the wait is re-issued and ends by its own signal (STATUS_WAIT_0), or at its first
 *     deadline (STATUS_TIMEOUT);
 *   - its kernel routine runs, then its normal routine;
 *   - one queued by a thread to itself runs as KeInsertQueueApc returns;
 *   - one queued to a suspended thread runs once it is resumed, before its own code. */
#define TITLE "kalerts"
#include "title_util.h"

static HANDLE never, gate, waiter;
static volatile uint32_t step, wait_result, wait2_result, timed_result, kernel_runs, normal_runs, user_apcs;
static volatile uint32_t kernel_runs_at_entry = 0xFFFFFFFF;
static KAPC kapc, kapc2, kapc_self, kapc_suspended, kapc_timed;

static void kernel_routine(KAPC* apc, HX_NORMAL_ROUTINE* normal, void** context, void** arg1, void** arg2) {
  ++kernel_runs;
  (void)apc, (void)normal, (void)context, (void)arg1, (void)arg2;
}

static void normal_routine(void* context, void* arg1, void* arg2) {
  normal_runs += (uint32_t)context;
  (void)arg1, (void)arg2;
}

static void user_apc(void* context, void* arg1, void* arg2) {
  ++user_apcs;
  (void)context, (void)arg1, (void)arg2;
}

/* tid 2: alertable user-mode wait, then alertable kernel-mode wait, then a non-alertable wait. */
static uint32_t waiter_main(void* ctx) {
  step = 1;
  wait_result = NtWaitForSingleObjectEx(never, UserMode, TRUE, NULL);
  step = 2;
  wait2_result = NtWaitForSingleObjectEx(never, KernelMode, TRUE, NULL);
  step = 3;
  wait_result = NtWaitForSingleObjectEx(gate, UserMode, FALSE, NULL);
  step = 4;
  return (uint32_t)ctx;
}

/* tid 3: created suspended; a kernel APC queued meanwhile runs before this code. */
static uint32_t suspended_main(void* ctx) {
  kernel_runs_at_entry = kernel_runs;
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  /* KeAlertResumeThread alerted it for kernel mode: its first alertable wait returns at once. */
  wait2_result = NtWaitForSingleObjectEx(never, UserMode, TRUE, &zero);
  return (uint32_t)ctx;
}

/* tid 4: a 5 ms non-alertable wait, interrupted by a kernel APC at about 2 ms. */
static uint32_t timed_main(void* ctx) {
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(5);
  timed_result = NtWaitForSingleObjectEx(never, UserMode, FALSE, &t);
  return (uint32_t)ctx;
}

static void alerts_of_the_caller(void) {
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  expect("KeTestAlertThread(KernelMode), not alerted", KeTestAlertThread(KernelMode), FALSE);
  expect("KeAlertThread(self, KernelMode)", KeAlertThread((void*)NtCurrentThread(), KernelMode), FALSE);
  expect("KeAlertThread again: already alerted", KeAlertThread((void*)NtCurrentThread(), KernelMode), TRUE);
  expect("KeTestAlertThread(KernelMode) takes it", KeTestAlertThread(KernelMode), TRUE);
  expect("KeTestAlertThread(KernelMode) again", KeTestAlertThread(KernelMode), FALSE);
  KeAlertThread((void*)NtCurrentThread(), UserMode);
  expect("a non-alertable wait leaves the flag", (uint32_t)NtWaitForSingleObjectEx(never, UserMode, FALSE, &zero),
         STATUS_TIMEOUT);
  expect("an alertable wait of an alerted thread returns at once",
         (uint32_t)NtWaitForSingleObjectEx(never, UserMode, TRUE, &zero), STATUS_ALERTED);
  expect("  and took the flag", KeTestAlertThread(UserMode), FALSE);
  KeAlertThread((void*)NtCurrentThread(), KernelMode);
  expect("a kernel-mode alert ends an alertable user-mode delay", (uint32_t)KeDelayExecutionThread(UserMode, TRUE, &zero),
         STATUS_ALERTED);

  HANDLE self;
  NtDuplicateObject(NtCurrentThread(), &self, 0);
  NtQueueApcThread(self, user_apc, NULL, NULL, NULL);
  expect("the user APC waits for an alertable wait", user_apcs, 0);
  expect("KeTestAlertThread(UserMode) with a user APC queued", KeTestAlertThread(UserMode), FALSE);
  expect("  the APC ran as it returned", user_apcs, 1);

  KeInitializeApc(&kapc_self, (void*)self, kernel_routine, NULL, normal_routine, KernelMode, (void*)0x10);
  uint32_t before = kernel_runs;
  expect("KeInsertQueueApc kernel-mode to itself", KeInsertQueueApc(&kapc_self, NULL, NULL, 0), TRUE);
  expect("  the kernel routine ran as it returned", kernel_runs - before, 1);
  expect("  then its normal routine", normal_runs, 0x10);
  expect("  KAPC.Inserted cleared", kapc_self.Inserted, 0);
  NtClose(self);
}

int main(void) {
  NtCreateEvent(&never, NULL, NotificationEvent, FALSE);
  NtCreateEvent(&gate, NULL, SynchronizationEvent, FALSE);
  alerts_of_the_caller();

  ExCreateThread(&waiter, 0, NULL, NULL, waiter_main, (void*)5, 0);
  sleep_ms(1);
  expect("the waiter is in its alertable user-mode wait", step, 1);
  expect("KeAlertThread(waiter, UserMode)", KeAlertThread((void*)waiter, UserMode), FALSE);
  sleep_ms(1);
  expect("its alertable wait returned STATUS_ALERTED", wait_result, STATUS_ALERTED);
  expect("the waiter is in its alertable kernel-mode wait", step, 2);
  expect("KeAlertThread(waiter, UserMode) does not end a kernel-mode wait", KeAlertThread((void*)waiter, UserMode),
         FALSE);
  sleep_ms(1);
  expect("  it still waits", step, 2);
  expect("  and is alerted for user mode", KeAlertThread((void*)waiter, UserMode), TRUE);
  expect("KeAlertThread(waiter, KernelMode) ends it", KeAlertThread((void*)waiter, KernelMode), FALSE);
  sleep_ms(1);
  expect("its kernel-mode wait returned STATUS_ALERTED", wait2_result, STATUS_ALERTED);
  expect("the waiter is in its non-alertable wait", step, 3);

  /* A kernel-mode APC interrupts the non-alertable wait; the wait is re-issued. */
  KeInitializeApc(&kapc, (void*)waiter, kernel_routine, NULL, NULL, UserMode /* no normal routine: kernel mode */, NULL);
  expect("KAPC without a normal routine is kernel mode", kapc.ApcMode, KernelMode);
  uint32_t before = kernel_runs;
  expect("KeInsertQueueApc kernel-mode to a waiting thread", KeInsertQueueApc(&kapc, NULL, NULL, 0), TRUE);
  sleep_ms(1);
  expect("  its kernel routine ran during the non-alertable wait", kernel_runs - before, 1);
  expect("  the wait goes on", step, 3);
  KeInitializeApc(&kapc2, (void*)waiter, kernel_routine, NULL, normal_routine, KernelMode, (void*)0x100);
  KeInsertQueueApc(&kapc2, NULL, NULL, 0);
  sleep_ms(1);
  expect("  a kernel-mode KAPC's normal routine runs after its kernel routine", normal_runs, 0x110);
  expect("  the wait still goes on", step, 3);
  NtSetEvent(gate, NULL);
  sleep_ms(1);
  expect("the re-issued wait ends by its signal", wait_result, STATUS_WAIT_0);
  expect("the waiter ended", step, 4);

  /* A kernel APC to a suspended thread runs when it resumes, before its code. */
  HANDLE suspended;
  ExCreateThread(&suspended, 0, NULL, NULL, suspended_main, NULL, HX_CREATE_SUSPENDED);
  KeInitializeApc(&kapc_suspended, (void*)suspended, kernel_routine, NULL, NULL, KernelMode, NULL);
  before = kernel_runs;
  KeInsertQueueApc(&kapc_suspended, NULL, NULL, 0);
  sleep_ms(1);
  expect("not while it is suspended", kernel_runs - before, 0);
  expect("KeAlertResumeThread: previous suspend count", KeAlertResumeThread((void*)suspended), 1);
  sleep_ms(1);
  expect("the kernel APC ran before the thread's code", kernel_runs_at_entry, before + 1);
  expect("its alertable wait returned STATUS_ALERTED at once", wait2_result, STATUS_ALERTED);
  expect("KeAlertResumeThread of an exited thread: count 0", KeAlertResumeThread((void*)waiter), 0);

  /* The re-issued wait keeps its deadline. */
  HANDLE timed;
  ExCreateThread(&timed, 0, NULL, NULL, timed_main, NULL, 0);
  sleep_ms(2);
  KeInitializeApc(&kapc_timed, (void*)timed, kernel_routine, NULL, NULL, KernelMode, NULL);
  KeInsertQueueApc(&kapc_timed, NULL, NULL, 0);
  NtWaitForSingleObjectEx(timed, UserMode, FALSE, NULL);
  expect("the interrupted timed wait times out", timed_result, STATUS_TIMEOUT);

  /* Hostile arguments. */
  expect("KeAlertThread of no thread", KeAlertThread((void*)0x12345678, UserMode), FALSE);
  expect("KeAlertThread of an event", KeAlertThread((void*)gate, UserMode), FALSE);
  expect("KeAlertThread mode 5", KeAlertThread((void*)timed, 5), FALSE);
  expect("KeAlertThread mode 5 changed nothing", KeAlertThread((void*)timed, UserMode), FALSE);
  expect("KeAlertResumeThread of no thread", KeAlertResumeThread((void*)0xDEAD), 0);
  expect("KeTestAlertThread mode 7", KeTestAlertThread(7), FALSE);
  NtClose(suspended);
  NtClose(timed);
  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
