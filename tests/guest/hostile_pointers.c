/* hostile_pointers: NULL and unmapped pointers for every pointer argument of every implemented
 * export. Where the console's kernel would dereference the pointer, the caller faults (a memory
 * fault at that address, recorded on the calling thread) and the call has no effect: no thread
 * or object is created, no event set, no count changed. Each such case runs in its own thread
 * (tids 2, 3, ... in table order: a case that left a thread behind would shift them); main
 * joins it with a 1 ms timeout, which it need not wait for (a fault ends the thread as NT does,
 * signaling its handle), and checks that the call never returned and changed nothing. The check compares every
 * thread.fault with the address and access printed here.
 * Optional out-parameters may be NULL (nothing is written); NULL where a value is required is
 * STATUS_INVALID_PARAMETER for the Nt*Create calls and KeDelayExecutionThread; DbgPrint reads
 * its format leniently ("(null)"; an unmapped format prints nothing). */
#define TITLE "hostile_pointers"
#include "title_util.h"

#define BAD 0x00001000u      /* unmapped */
#define BAD_HIGH 0xDEAD0000u /* unmapped */

static HANDLE event, semaphore, mutant, victim;
static KEVENT kevent;
static volatile uint32_t returned;

static uint32_t quick(void* ctx) { return (uint32_t)ctx; }

static LARGE_INTEGER zero_timeout;

static void c_create_thread_handle(void) { ExCreateThread((HANDLE*)BAD, 0, NULL, NULL, quick, NULL, 0); }
static void c_create_thread_id(void) {
  HANDLE h;
  ExCreateThread(&h, 0, (DWORD*)BAD_HIGH, NULL, quick, NULL, 0);
}
static void c_delay_interval(void) { KeDelayExecutionThread(UserMode, FALSE, (LARGE_INTEGER*)BAD); }
static void c_init_event_null(void) { KeInitializeEvent(NULL, NotificationEvent, TRUE); }
static void c_init_event_bad(void) { KeInitializeEvent((KEVENT*)BAD_HIGH, NotificationEvent, TRUE); }
static void c_system_time(void) { KeQuerySystemTime((LARGE_INTEGER*)BAD); }
static void c_system_time_null(void) { KeQuerySystemTime(NULL); }
static void c_reset_event_bad(void) { KeResetEvent((KEVENT*)BAD_HIGH); }
static void c_kwait_multiple_array_bad(void) {
  KeWaitForMultipleObjects(2, (void**)BAD, WaitAny, Executive, KernelMode, FALSE, &zero_timeout, NULL);
}
static void c_create_mutant_attributes(void) {
  HANDLE h;
  NtCreateMutant(&h, (OBJECT_ATTRIBUTES*)BAD_HIGH, FALSE);
}
static void c_create_semaphore_attributes(void) {
  HANDLE h;
  NtCreateSemaphore(&h, (OBJECT_ATTRIBUTES*)BAD_HIGH, 0, 1);
}
static void c_reset_event_null(void) { KeResetEvent(NULL); }
static void c_set_event_null(void) { KeSetEvent(NULL, 0, FALSE); }
static void c_set_event_bad(void) { KeSetEvent((KEVENT*)BAD_HIGH, 0, FALSE); }
static void c_affinity_previous(void) { KeSetAffinityThread((void*)victim, 1, (DWORD*)BAD); }
static void c_kwait_multiple_array(void) {
  KeWaitForMultipleObjects(1, NULL, WaitAny, Executive, KernelMode, FALSE, &zero_timeout, NULL);
}
static void c_kwait_multiple_element(void) {
  void* objects[2] = {&kevent, (void*)BAD_HIGH};
  KeWaitForMultipleObjects(2, objects, WaitAny, Executive, KernelMode, FALSE, &zero_timeout, NULL);
}
static void c_kwait_multiple_timeout(void) {
  void* objects[1] = {&kevent};
  KeWaitForMultipleObjects(1, objects, WaitAny, Executive, KernelMode, FALSE, (LARGE_INTEGER*)BAD, NULL);
}
static void c_kwait_single_null(void) { KeWaitForSingleObject(NULL, Executive, KernelMode, FALSE, &zero_timeout); }
static void c_kwait_single_bad(void) {
  KeWaitForSingleObject((void*)BAD_HIGH, Executive, KernelMode, FALSE, &zero_timeout);
}
static void c_kwait_single_timeout(void) {
  KeWaitForSingleObject(&kevent, Executive, KernelMode, FALSE, (LARGE_INTEGER*)BAD);
}
static void c_create_event_handle(void) { NtCreateEvent((HANDLE*)BAD, NULL, NotificationEvent, FALSE); }
static void c_create_event_attributes(void) {
  HANDLE h;
  NtCreateEvent(&h, (OBJECT_ATTRIBUTES*)BAD_HIGH, NotificationEvent, FALSE);
}
static void c_create_mutant_handle(void) { NtCreateMutant((HANDLE*)BAD, NULL, FALSE); }
static void c_create_semaphore_handle(void) { NtCreateSemaphore((HANDLE*)BAD, NULL, 0, 1); }
static void c_pulse_event_previous(void) { NtPulseEvent(event, (LONG*)BAD); }
static void c_set_event_previous(void) { NtSetEvent(event, (LONG*)BAD); }
static void c_release_mutant_previous(void) {
  HANDLE own;
  NtCreateMutant(&own, NULL, TRUE);
  NtReleaseMutant(own, (LONG*)BAD);
}
static void c_release_semaphore_previous(void) { NtReleaseSemaphore(semaphore, 1, (LONG*)BAD); }
static void c_resume_previous(void) { NtResumeThread(victim, (DWORD*)BAD); }
static void c_suspend_previous(void) { NtSuspendThread(victim, (DWORD*)BAD); }
static void c_wait_multiple_array_null(void) {
  NtWaitForMultipleObjectsEx(1, NULL, WaitAny, UserMode, FALSE, &zero_timeout);
}
static void c_wait_multiple_array_bad(void) {
  NtWaitForMultipleObjectsEx(2, (HANDLE*)BAD_HIGH, WaitAny, UserMode, FALSE, &zero_timeout);
}
static void c_wait_multiple_timeout(void) {
  NtWaitForMultipleObjectsEx(1, &event, WaitAny, UserMode, FALSE, (LARGE_INTEGER*)BAD);
}
static void c_wait_single_timeout(void) { NtWaitForSingleObjectEx(event, UserMode, FALSE, (LARGE_INTEGER*)BAD); }
static void c_reference_out(void) { ObReferenceObjectByHandle(event, NULL, (void**)BAD); }

typedef struct {
  const char* name;
  void (*call)(void);
  uint32_t address;
  const char* access;
} Case;

static const Case kCases[] = {
    {"ExCreateThread handle", c_create_thread_handle, BAD, "write"},
    {"ExCreateThread thread_id", c_create_thread_id, BAD_HIGH, "write"},
    {"KeDelayExecutionThread interval", c_delay_interval, BAD, "read"},
    {"KeInitializeEvent NULL", c_init_event_null, 0, "write"},
    {"KeInitializeEvent unmapped", c_init_event_bad, BAD_HIGH, "write"},
    {"KeQuerySystemTime", c_system_time, BAD, "write"},
    {"KeQuerySystemTime NULL", c_system_time_null, 0, "write"},
    {"KeResetEvent unmapped", c_reset_event_bad, BAD_HIGH, "write"},
    {"KeWaitForMultipleObjects array unmapped", c_kwait_multiple_array_bad, BAD, "read"},
    {"NtCreateMutant attributes", c_create_mutant_attributes, BAD_HIGH, "read"},
    {"NtCreateSemaphore attributes", c_create_semaphore_attributes, BAD_HIGH, "read"},
    {"KeResetEvent NULL", c_reset_event_null, 0, "write"},
    {"KeSetEvent NULL", c_set_event_null, 0, "write"},
    {"KeSetEvent unmapped", c_set_event_bad, BAD_HIGH, "write"},
    {"KeSetAffinityThread previous", c_affinity_previous, BAD, "write"},
    {"KeWaitForMultipleObjects array NULL", c_kwait_multiple_array, 0, "read"},
    {"KeWaitForMultipleObjects element", c_kwait_multiple_element, BAD_HIGH, "write"},
    {"KeWaitForMultipleObjects timeout", c_kwait_multiple_timeout, BAD, "read"},
    {"KeWaitForSingleObject NULL", c_kwait_single_null, 0, "write"},
    {"KeWaitForSingleObject unmapped", c_kwait_single_bad, BAD_HIGH, "write"},
    {"KeWaitForSingleObject timeout", c_kwait_single_timeout, BAD, "read"},
    {"NtCreateEvent handle", c_create_event_handle, BAD, "write"},
    {"NtCreateEvent attributes", c_create_event_attributes, BAD_HIGH, "read"},
    {"NtCreateMutant handle", c_create_mutant_handle, BAD, "write"},
    {"NtCreateSemaphore handle", c_create_semaphore_handle, BAD, "write"},
    {"NtPulseEvent previous", c_pulse_event_previous, BAD, "write"},
    {"NtSetEvent previous", c_set_event_previous, BAD, "write"},
    {"NtReleaseMutant previous", c_release_mutant_previous, BAD, "write"},
    {"NtReleaseSemaphore previous", c_release_semaphore_previous, BAD, "write"},
    {"NtResumeThread previous", c_resume_previous, BAD, "write"},
    {"NtSuspendThread previous", c_suspend_previous, BAD, "write"},
    {"NtWaitForMultipleObjectsEx handles NULL", c_wait_multiple_array_null, 0, "read"},
    {"NtWaitForMultipleObjectsEx handles unmapped", c_wait_multiple_array_bad, BAD_HIGH, "read"},
    {"NtWaitForMultipleObjectsEx timeout", c_wait_multiple_timeout, BAD, "read"},
    {"NtWaitForSingleObjectEx timeout", c_wait_single_timeout, BAD, "read"},
    {"ObReferenceObjectByHandle out", c_reference_out, BAD, "write"},
};
#define CASES (sizeof kCases / sizeof kCases[0])

static uint32_t run_case(void* ctx) {
  kCases[(uint32_t)ctx].call();
  returned = 1;
  return 0;
}


/* The calls that take NULL for an optional or required pointer without faulting. */
static void null_but_fine(void) {
  LARGE_INTEGER t;
  HANDLE h = 0x1234;
  expect("ExCreateThread with NULL handle and id", (uint32_t)ExCreateThread(NULL, 0, NULL, NULL, quick, NULL, 0),
         STATUS_SUCCESS);
  expect("KeDelayExecutionThread(NULL)", (uint32_t)KeDelayExecutionThread(UserMode, FALSE, NULL),
         STATUS_INVALID_PARAMETER);
  expect("NtCreateEvent(NULL)", (uint32_t)NtCreateEvent(NULL, NULL, NotificationEvent, FALSE),
         STATUS_INVALID_PARAMETER);
  expect("NtCreateMutant(NULL)", (uint32_t)NtCreateMutant(NULL, NULL, FALSE), STATUS_INVALID_PARAMETER);
  expect("NtCreateSemaphore(NULL)", (uint32_t)NtCreateSemaphore(NULL, NULL, 0, 1), STATUS_INVALID_PARAMETER);
  expect("NtSetEvent with NULL previous", (uint32_t)NtSetEvent(event, NULL), STATUS_SUCCESS);
  expect("NtPulseEvent with NULL previous", (uint32_t)NtPulseEvent(event, NULL), STATUS_SUCCESS);
  expect("NtReleaseSemaphore with NULL previous", (uint32_t)NtReleaseSemaphore(semaphore, 1, NULL), STATUS_SUCCESS);
  expect("take it back", (uint32_t)poll(semaphore), STATUS_WAIT_0);
  expect("NtSuspendThread with NULL previous", (uint32_t)NtSuspendThread(victim, NULL), STATUS_SUCCESS);
  expect("NtResumeThread with NULL previous", (uint32_t)NtResumeThread(victim, NULL), STATUS_SUCCESS);
  expect("KeSetAffinityThread with NULL previous", (uint32_t)KeSetAffinityThread((void*)victim, 0x3F, NULL),
         STATUS_SUCCESS);
  expect("ObReferenceObjectByHandle with NULL out", (uint32_t)ObReferenceObjectByHandle(event, NULL, NULL),
         STATUS_SUCCESS);
  expect("DbgPrint(NULL) returns", (uint32_t)DbgPrint(NULL), STATUS_SUCCESS);
  expect("DbgPrint(unmapped) returns", (uint32_t)DbgPrint((const char*)BAD), STATUS_SUCCESS);
  expect("NtCreateEvent with NULL attributes", (uint32_t)NtCreateEvent(&h, NULL, NotificationEvent, FALSE),
         STATUS_SUCCESS);
  expect("ObReferenceObjectByHandle ignores an unmapped object type (not modelled)",
         (uint32_t)ObReferenceObjectByHandle(event, (void*)BAD, NULL), STATUS_SUCCESS);
  ObDereferenceObject(NULL); /* no object: changes nothing */
  ObDereferenceObject((void*)BAD);
  t.QuadPart = 0;
  void* objects[1] = {&kevent};
  expect("KeWaitForMultipleObjects ignores an unmapped wait-block array (not modelled)",
         (uint32_t)KeWaitForMultipleObjects(1, objects, WaitAny, Executive, KernelMode, FALSE, &t, (KWAIT_BLOCK*)BAD),
         STATUS_TIMEOUT);
}

int main(void) {
  NtCreateEvent(&event, NULL, NotificationEvent, FALSE);
  NtCreateSemaphore(&semaphore, NULL, 0, 1);
  NtCreateMutant(&mutant, NULL, FALSE);
  KeInitializeEvent(&kevent, NotificationEvent, FALSE);
  DWORD victim_id = 0;
  ExCreateThread(&victim, 0, &victim_id, NULL, quick, NULL, HX_CREATE_SUSPENDED);
  expect("the suspended victim is tid 2", victim_id, 2);

  DWORD last_tid = victim_id;
  for (uint32_t i = 0; i < CASES; ++i) {
    HANDLE h;
    DWORD tid = 0;
    returned = 0;
    ExCreateThread(&h, 0, &tid, NULL, run_case, (void*)i, 0);
    DbgPrint("hostile_pointers: case %s: tid %u faults %s at %x\n", kCases[i].name, tid, kCases[i].access,
             kCases[i].address);
    expect("its tid follows the last one (no thread left behind)", tid, last_tid + 1);
    last_tid = tid;
    LARGE_INTEGER t;
    t.QuadPart = HX_RELATIVE_MS(1);
    expect("its join returns (the fault ended it)", (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, &t),
           STATUS_SUCCESS);
    expect("the call never returned", returned, 0);
    NtClose(h);
  }
  /* Nothing the faulting calls were about has changed. */
  expect("the event was neither set nor pulsed", (uint32_t)poll(event), STATUS_TIMEOUT);
  expect("the semaphore count is still 0", (uint32_t)poll(semaphore), STATUS_TIMEOUT);
  expect("the KEVENT is still reset", (uint32_t)kevent.Header.SignalState, 0);
  DWORD count = 99;
  expect("the victim is still suspended once", (uint32_t)NtResumeThread(victim, &count), STATUS_SUCCESS);
  expect("its previous suspend count", count, 1);
  DWORD previous = 0;
  KeSetAffinityThread((void*)victim, 0x3F, &previous);
  expect("its affinity is unchanged", previous, 0x3F);
  expect("the victim runs and exits", (uint32_t)NtWaitForSingleObjectEx(victim, UserMode, FALSE, NULL), STATUS_SUCCESS);
  ExCreateThread(&victim, 0, NULL, NULL, quick, NULL, HX_CREATE_SUSPENDED);
  null_but_fine();
  NtResumeThread(victim, NULL);

  DbgPrint("hostile_pointers: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
