/* kobjects: the kernel-object defects of issue #12 and the Ke* basics, each checked against
 * what the console's kernel does (the kernel's comments cite xenia's sources and NT):
 *   - KeInitializeSemaphore/KeReleaseSemaphore on a KSEMAPHORE in guest memory (a release past
 *     the limit changes nothing), a release waking a waiter;
 *   - KeTlsAlloc/Free/GetValue/SetValue: lowest free slot, a value per thread, FreeTLS zeroing,
 *     64 slots then TLS_OUT_OF_INDEXES, out-of-range slots refused;
 *   - releasing an abandoned mutant the caller does not own: STATUS_ABANDONED;
 *   - a zero-interval KeDelayExecutionThread yields to a ready thread of the same slot;
 *   - NtCurrentThread() (0xFFFFFFFE) names the calling thread; NtCurrentProcess() no object;
 *   - handle values freed by NtClose are reused, lowest first;
 *   - named objects: a second create of a name (any case) opens the first with
 *     STATUS_OBJECT_NAME_EXISTS, another type's name is STATUS_OBJECT_NAME_COLLISION, the name
 *     lives until the last handle is closed;
 *   - re-initialising a KEVENT with a waiter orphans the waiter (it times out, the event's next
 *     set does not wake it); a guest write to SignalState counts at the next Ke* call;
 *   - KePulseEvent, NtQueryEvent, KeInitializeMutant/KeReleaseMutant.
 *   - hostile arguments: an unreadable ObjectName (ANSI_STRING or its buffer), a NULL
 *     EVENT_BASIC_INFORMATION, a NULL KSEMAPHORE fault the calling thread (tids 11-14, checked by
 *     kernel_checks.py), before anything is created; closed and wrong-type handles get a status;
 *     256 names of 64 KiB spend the 16 MiB name budget (STATUS_INSUFFICIENT_RESOURCES after).
 * Tids: 2 semaphore waiter, 3 TLS thread, 4 exits owning a mutant, 5 yield partner, 6 orphaned
 * waiter, 7-8 pulse waiters, 9-10 Ke mutant probers, 11-14 hostile calls that fault. */
#define TITLE "kobjects"
#include "title_util.h"

static KSEMAPHORE ksem;
static KEVENT reinit_event, written_event, pulse_event;
static KMUTANT kmutant;
static HANDLE abandoned;
static volatile uint32_t tls_seen = 0xDEAD, yielded, pulse_woken;
static volatile NTSTATUS sem_wait_status = 0x1234, orphan_status = 0x1234, prober_status = 0x1234;

static uint32_t sem_waiter(void* ctx) {
  (void)ctx;
  sem_wait_status = KeWaitForSingleObject(&ksem, Executive, KernelMode, FALSE, NULL);
  return 0;
}

static uint32_t tls_thread(void* ctx) {
  DWORD slot = (DWORD)ctx;
  tls_seen = (uint32_t)KeTlsGetValue(slot);  /* another thread's value is not ours: 0 */
  KeTlsSetValue(slot, (void*)0xBEEF);
  return 0;
}

static uint32_t create_owned_and_exit(void* ctx) {
  (void)ctx;
  return (uint32_t)NtCreateMutant(&abandoned, NULL, TRUE);
}

static uint32_t yield_partner(void* ctx) {
  (void)ctx;
  yielded = 1;
  return 0;
}

static uint32_t orphan_waiter(void* ctx) {
  LARGE_INTEGER t;
  (void)ctx;
  t.QuadPart = HX_RELATIVE_MS(20);
  orphan_status = KeWaitForSingleObject(&reinit_event, Executive, KernelMode, FALSE, &t);
  return 0;
}

static uint32_t pulse_waiter(void* ctx) {
  (void)ctx;
  KeWaitForSingleObject(&pulse_event, Executive, KernelMode, FALSE, NULL);
  pulse_woken++;
  return 0;
}

static uint32_t kmutant_prober(void* ctx) {
  LARGE_INTEGER zero;
  (void)ctx;
  zero.QuadPart = 0;
  prober_status = KeWaitForSingleObject(&kmutant, Executive, KernelMode, FALSE, &zero);
  return 0;
}

static volatile uint32_t survived_bad_call;
static HANDLE query_target;

static uint32_t bad_name_string(void* ctx) {
  OBJECT_ATTRIBUTES attrs = {0, (ANSI_STRING*)0x10, 0};
  HANDLE h;
  (void)ctx;
  NtCreateEvent(&h, &attrs, NotificationEvent, FALSE);
  survived_bad_call++;
  return 0;
}

static uint32_t bad_name_buffer(void* ctx) {
  ANSI_STRING name = {5, 6, (char*)0x10};
  OBJECT_ATTRIBUTES attrs = {0, &name, 0};
  HANDLE h;
  (void)ctx;
  NtCreateEvent(&h, &attrs, NotificationEvent, FALSE);
  survived_bad_call++;
  return 0;
}

static uint32_t null_query_info(void* ctx) {
  (void)ctx;
  NtQueryEvent(query_target, NULL);
  survived_bad_call++;
  return 0;
}

static uint32_t null_ksemaphore(void* ctx) {
  (void)ctx;
  KeReleaseSemaphore(NULL, 0, 1, FALSE);
  survived_bad_call++;
  return 0;
}

static HANDLE spawn(HX_THREAD_START start, void* ctx, DWORD flags) {
  HANDLE h = 0;
  ExCreateThread(&h, 0, NULL, NULL, start, ctx, flags);
  return h;
}

static void join(HANDLE h) { NtWaitForSingleObjectEx(h, UserMode, FALSE, NULL); }

static NTSTATUS ke_poll(void* object) {
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &zero);
}

static void check_semaphores(void) {
  HANDLE waiter;
  KeInitializeSemaphore(&ksem, 1, 2);
  expect("KSEMAPHORE header type", ksem.Header.Type, HX_OBJ_SEMAPHORE);
  expect("KSEMAPHORE limit", (uint32_t)ksem.Limit, 2);
  expect("take the one count", ke_poll(&ksem), STATUS_SUCCESS);
  expect("none left", ke_poll(&ksem), STATUS_TIMEOUT);
  waiter = spawn(sem_waiter, NULL, 0);
  sleep_ms(1);
  expect("KeReleaseSemaphore returns the previous count", (uint32_t)KeReleaseSemaphore(&ksem, 0, 1, FALSE), 0);
  join(waiter);
  expect("the release woke the waiter", (uint32_t)sem_wait_status, STATUS_SUCCESS);
  expect("KeReleaseSemaphore 2 of limit 2", (uint32_t)KeReleaseSemaphore(&ksem, 0, 2, FALSE), 0);
  expect("KeReleaseSemaphore past the limit returns the count", (uint32_t)KeReleaseSemaphore(&ksem, 0, 1, FALSE), 2);
  expect("... and leaves it", (uint32_t)ksem.Header.SignalState, 2);
  expect("KeReleaseSemaphore negative leaves it", (uint32_t)KeReleaseSemaphore(&ksem, 0, -1, FALSE), 2);
  expect("count after refused releases", (uint32_t)ksem.Header.SignalState, 2);
}

static void check_tls(void) {
  DWORD a = KeTlsAlloc(), b = KeTlsAlloc(), again, slots[64];
  int i, n = 0;
  expect("first KeTlsAlloc", a, 0);
  expect("second KeTlsAlloc", b, 1);
  expect("KeTlsSetValue", KeTlsSetValue(a, (void*)0x1234), TRUE);
  expect("KeTlsGetValue", (uint32_t)KeTlsGetValue(a), 0x1234);
  join(spawn(tls_thread, (void*)a, 0));
  expect("another thread's slot value starts at 0", tls_seen, 0);
  expect("our value after the other thread set its own", (uint32_t)KeTlsGetValue(a), 0x1234);
  expect("KeTlsFree", KeTlsFree(a), TRUE);
  expect("KeTlsFree of a free slot", KeTlsFree(a), FALSE);
  expect("KeTlsFree(TLS_OUT_OF_INDEXES)", KeTlsFree(0xFFFFFFFF), FALSE);
  expect("a freed slot reads 0", (uint32_t)KeTlsGetValue(a), 0);
  again = KeTlsAlloc();
  expect("KeTlsAlloc reuses the lowest free slot", again, a);
  expect("KeTlsSetValue(64)", KeTlsSetValue(64, (void*)1), FALSE);
  expect("KeTlsGetValue(64)", (uint32_t)KeTlsGetValue(64), 0);
  for (i = 0; i < 64; ++i) {
    slots[i] = KeTlsAlloc();
    if (slots[i] == 0xFFFFFFFF) break;
    ++n;
  }
  expect("slots left after two", n, 62);
  expect("KeTlsAlloc when all 64 are taken", slots[n], 0xFFFFFFFF);
  for (i = 0; i < n; ++i) KeTlsFree(slots[i]);
  KeTlsSetValue(b, (void*)0xC0FFEE);  /* left set: the exit dump shows it */
}

static void check_abandoned_release(void) {
  join(spawn(create_owned_and_exit, NULL, 0));
  expect("release of an abandoned mutant we do not own", NtReleaseMutant(abandoned, NULL), STATUS_ABANDONED);
  expect("acquiring it reports the abandonment", poll(abandoned), STATUS_ABANDONED_WAIT_0);
  expect("its new owner releases it", NtReleaseMutant(abandoned, NULL), STATUS_SUCCESS);
  expect("release again: not owned", NtReleaseMutant(abandoned, NULL), STATUS_MUTANT_NOT_OWNED);
}

static void check_zero_delay_yields(void) {
  LARGE_INTEGER zero;
  DWORD previous = 0;
  HANDLE partner;
  zero.QuadPart = 0;
  expect("pin ourselves to slot 0", KeSetAffinityThread((void*)NtCurrentThread(), 1, &previous), STATUS_SUCCESS);
  sleep_ms(1);  /* we wake on slot 0 */
  partner = spawn(yield_partner, NULL, HX_CREATE_SUSPENDED);
  KeSetAffinityThread((void*)partner, 1, NULL);
  NtResumeThread(partner, NULL);
  expect("the partner has not run yet", yielded, 0);
  expect("zero-interval delay", KeDelayExecutionThread(UserMode, FALSE, &zero), STATUS_SUCCESS);
  expect("it yielded to the partner", yielded, 1);
  join(partner);
  KeSetAffinityThread((void*)NtCurrentThread(), previous, NULL);
}

static void check_pseudo_handles(void) {
  void* object = NULL;
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  expect("wait on NtCurrentThread() (not exited)", NtWaitForSingleObjectEx(NtCurrentThread(), UserMode, FALSE, &zero),
         STATUS_TIMEOUT);
  expect("ObReferenceObjectByHandle(NtCurrentThread())", ObReferenceObjectByHandle(NtCurrentThread(), NULL, &object),
         STATUS_SUCCESS);
  expect("it is our thread object (type 6)", object ? ((DISPATCHER_HEADER*)object)->Type : 0xFF, 6);
  expect("wait on NtCurrentProcess()", NtWaitForSingleObjectEx(NtCurrentProcess(), UserMode, FALSE, &zero),
         STATUS_INVALID_HANDLE);
  expect("NtClose(NtCurrentThread())", NtClose(NtCurrentThread()), STATUS_INVALID_HANDLE);
  expect("NtSetEvent(NtCurrentThread())", NtSetEvent(NtCurrentThread(), NULL), STATUS_OBJECT_TYPE_MISMATCH);
}

static void check_handle_reuse(void) {
  HANDLE h1, h2, h3, h4;
  NtCreateEvent(&h1, NULL, NotificationEvent, FALSE);
  NtCreateEvent(&h2, NULL, NotificationEvent, FALSE);
  NtClose(h1);
  NtCreateEvent(&h3, NULL, NotificationEvent, FALSE);
  expect("a freed handle value is reused", (uint32_t)h3, (uint32_t)h1);
  NtClose(h3);
  NtClose(h2);
  NtCreateEvent(&h4, NULL, NotificationEvent, FALSE);
  expect("the lowest free value first", (uint32_t)h4, (uint32_t)h1);
  expect("the reused handle is the new object (not signaled)", poll(h4), STATUS_TIMEOUT);
  NtClose(h4);
}

static void check_names(void) {
  static char name_text[] = "HexadNamedEvent", other_case[] = "hexadnamedevent";
  ANSI_STRING name = {sizeof name_text - 1, sizeof name_text, name_text};
  ANSI_STRING name2 = {sizeof other_case - 1, sizeof other_case, other_case};
  OBJECT_ATTRIBUTES attrs = {0, &name, 0}, attrs2 = {0, &name2, 0}, unnamed = {0, NULL, 0};
  HANDLE first, second = 0, sem = 0, third, plain;
  expect("create a named event", NtCreateEvent(&first, &attrs, NotificationEvent, FALSE), STATUS_SUCCESS);
  expect("create it again (other case)", NtCreateEvent(&second, &attrs2, SynchronizationEvent, TRUE),
         STATUS_OBJECT_NAME_EXISTS);
  expect("... opens the same object", (uint32_t)second, (uint32_t)first);
  expect("... keeping its state", poll(first), STATUS_TIMEOUT);
  NtSetEvent(second, NULL);
  expect("a set through one open is seen through the other", poll(first), STATUS_SUCCESS);
  expect("a semaphore of that name", NtCreateSemaphore(&sem, &attrs, 0, 1), STATUS_OBJECT_NAME_COLLISION);
  expect("... writes no handle", (uint32_t)sem, 0);
  expect("NtClose of one open", NtClose(first), STATUS_SUCCESS);
  expect("the other open still works", NtClearEvent(second), STATUS_SUCCESS);
  expect("NtClose of the last open", NtClose(second), STATUS_SUCCESS);
  expect("the handle is gone", NtClearEvent(second), STATUS_INVALID_HANDLE);
  expect("the name is free again", NtCreateEvent(&third, &attrs, NotificationEvent, FALSE), STATUS_SUCCESS);
  expect("attributes without a name", NtCreateEvent(&plain, &unnamed, NotificationEvent, FALSE), STATUS_SUCCESS);
  expect("... make another object", plain != third, 1);
  NtClose(plain);
  /* third stays open: the exit dump lists nothing for it (no waiters), the trace has its creation. */
}

static void check_reinitialise(void) {
  HANDLE waiter;
  KeInitializeEvent(&reinit_event, NotificationEvent, FALSE);
  waiter = spawn(orphan_waiter, NULL, 0);
  sleep_ms(1);
  KeInitializeEvent(&reinit_event, NotificationEvent, FALSE);  /* over the blocked waiter */
  expect("KeSetEvent on the re-initialised event", (uint32_t)KeSetEvent(&reinit_event, 0, FALSE), 0);
  join(waiter);
  expect("the orphaned waiter timed out", (uint32_t)orphan_status, STATUS_TIMEOUT);
  expect("a new wait sees the set", ke_poll(&reinit_event), STATUS_SUCCESS);

  KeInitializeEvent(&written_event, NotificationEvent, FALSE);
  expect("not signaled after init", ke_poll(&written_event), STATUS_TIMEOUT);
  written_event.Header.SignalState = 1;  /* the guest writes its own header */
  expect("a guest-written SignalState counts", ke_poll(&written_event), STATUS_SUCCESS);
  written_event.Header.SignalState = 0;
  expect("... both ways", ke_poll(&written_event), STATUS_TIMEOUT);
  KeInitializeSemaphore((KSEMAPHORE*)&ksem, 0, 1);
  ksem.Header.SignalState = 1;
  expect("a guest-written semaphore count", ke_poll(&ksem), STATUS_SUCCESS);
  expect("... is taken", (uint32_t)ksem.Header.SignalState, 0);
}

static void check_pulse_query_kmutant(void) {
  EVENT_BASIC_INFORMATION info = {0xFF, 0xFF};
  HANDLE a, b, ev, sem;
  KeInitializeEvent(&pulse_event, NotificationEvent, FALSE);
  a = spawn(pulse_waiter, NULL, 0);
  b = spawn(pulse_waiter, NULL, 0);
  sleep_ms(1);
  expect("KePulseEvent returns the previous state", (uint32_t)KePulseEvent(&pulse_event, 0, FALSE), 0);
  join(a);
  join(b);
  expect("the pulse woke both waiters", pulse_woken, 2);
  expect("and left the event not signaled", ke_poll(&pulse_event), STATUS_TIMEOUT);
  expect("KePulseEvent on a signaled event returns 1", (KeSetEvent(&pulse_event, 0, FALSE),
                                                        (uint32_t)KePulseEvent(&pulse_event, 0, FALSE)), 1);
  expect("... and resets it", ke_poll(&pulse_event), STATUS_TIMEOUT);

  NtCreateEvent(&ev, NULL, SynchronizationEvent, TRUE);
  expect("NtQueryEvent", NtQueryEvent(ev, &info), STATUS_SUCCESS);
  expect("EventType", info.EventType, SynchronizationEvent);
  expect("EventState", (uint32_t)info.EventState, 1);
  NtCreateSemaphore(&sem, NULL, 0, 1);
  expect("NtQueryEvent on a semaphore", NtQueryEvent(sem, &info), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtQueryEvent on a bad handle", NtQueryEvent((HANDLE)0x1234, &info), STATUS_INVALID_HANDLE);

  KeInitializeMutant(&kmutant, TRUE);
  expect("KMUTANT header type", kmutant.Header.Type, HX_OBJ_MUTANT);
  expect("owned: SignalState 0", (uint32_t)kmutant.Header.SignalState, 0);
  join(spawn(kmutant_prober, NULL, 0));
  expect("another thread cannot take it", (uint32_t)prober_status, STATUS_TIMEOUT);
  expect("the owner takes it again (recursion)", ke_poll(&kmutant), STATUS_SUCCESS);
  expect("KeReleaseMutant returns the previous state", (uint32_t)KeReleaseMutant(&kmutant, 0, FALSE, FALSE),
         (uint32_t)-1);
  expect("KeReleaseMutant to free", (uint32_t)KeReleaseMutant(&kmutant, 0, FALSE, FALSE), 0);
  expect("KeReleaseMutant when not owned changes nothing", (uint32_t)KeReleaseMutant(&kmutant, 0, FALSE, FALSE), 1);
  join(spawn(kmutant_prober, NULL, 0));
  expect("now another thread takes it", (uint32_t)prober_status, STATUS_SUCCESS);
}

/* Names take the console's pool: 16 MiB of names in all (docs/kernel-objects.md). */
static char long_name[65535];
static HANDLE long_named[300];

static void check_name_budget(void) {
  ANSI_STRING name = {sizeof long_name, sizeof long_name, long_name};
  OBJECT_ATTRIBUTES attrs = {0, &name, 0};
  NTSTATUS st = STATUS_SUCCESS;
  int i, n = 0;
  for (i = 0; i < (int)sizeof long_name; ++i) long_name[i] = 'a' + i % 26;
  for (i = 0; i < 300 && st == STATUS_SUCCESS; ++i) {
    long_name[0] = (char)('A' + i / 26 % 26);
    long_name[1] = (char)('A' + i % 26);
    st = NtCreateEvent(&long_named[i], &attrs, NotificationEvent, FALSE);
    if (st == STATUS_SUCCESS) ++n;
  }
  expect("64 KiB names until the name budget is spent", n, 256);
  expect("... then", st, STATUS_INSUFFICIENT_RESOURCES);
  NtClose(long_named[0]);
  long_name[0] = long_name[1] = 'z';
  expect("a closed name's bytes are free again", NtCreateEvent(&long_named[n], &attrs, NotificationEvent, FALSE),
         STATUS_SUCCESS);
  for (i = 1; i <= n; ++i) NtClose(long_named[i]);
}

static void check_hostile(void) {
  static char empty_text[] = "";
  ANSI_STRING empty = {0, 1, empty_text};
  OBJECT_ATTRIBUTES attrs = {0, &empty, 0};
  EVENT_BASIC_INFORMATION info;
  HANDLE closed, plain;
  NtCreateEvent(&query_target, NULL, NotificationEvent, FALSE);
  spawn(bad_name_string, NULL, 0);
  spawn(bad_name_buffer, NULL, 0);
  spawn(null_query_info, NULL, 0);
  spawn(null_ksemaphore, NULL, 0);
  sleep_ms(1);
  expect("no bad call returned (each faulted its thread)", survived_bad_call, 0);
  expect("an empty name is no name", NtCreateEvent(&plain, &attrs, NotificationEvent, FALSE), STATUS_SUCCESS);
  NtCreateEvent(&closed, NULL, NotificationEvent, FALSE);
  NtClose(closed);
  expect("NtQueryEvent on a closed handle", NtQueryEvent(closed, &info), STATUS_INVALID_HANDLE);
  NtClose(plain);
}

int main(void) {
  check_semaphores();
  check_tls();
  check_abandoned_release();
  check_zero_delay_yields();
  check_pseudo_handles();
  check_handle_reuse();
  check_names();
  check_reinitialise();
  check_pulse_query_kmutant();
  check_hostile();
  check_name_budget();
  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
