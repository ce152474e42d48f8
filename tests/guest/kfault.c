/* kfault: a faulted thread ends as NT ends a thread killed by an unhandled exception.
 *   - the owner (tid 2) takes a mutant, then hands NtCreateEvent an unmapped out-pointer
 *     (BAD_HANDLE_POINTER): the kernel's write faults it at its `sc`;
 *   - its thread object is signaled: main's join returns STATUS_SUCCESS, not a timeout;
 *   - the mutant it owned is abandoned: the waiter (tid 3), blocked on it before the fault, gets
 *     STATUS_ABANDONED_WAIT_0 and owns it; after the waiter releases it, main's wait gets it
 *     with STATUS_SUCCESS;
 *   - NtSuspendThread on the faulted thread is STATUS_THREAD_IS_TERMINATING;
 *   - threads 4, 5, 6 hand NtDuplicateObject, ObLookupThreadByThreadId (NULL) and
 *     ObOpenObjectByPointer bad out-pointers: each faults before the call acts (no handle made,
 *     no reference taken), and its join returns too.
 * main exits normally (stop reason `exit`, status 0) with threads 2, 4, 5 and 6 Faulted. */
#define TITLE "kfault"
#include "title_util.h"

#define BAD_HANDLE_POINTER 0x00001000u

static HANDLE mutant, owned_event;
static volatile NTSTATUS waiter_status = 0x1234;

static uint32_t owner(void* ctx) {
  (void)ctx;
  NtWaitForSingleObjectEx(mutant, UserMode, FALSE, NULL);
  NtSetEvent(owned_event, NULL);
  sleep_ms(1); /* the waiter blocks on the mutant meanwhile */
  NtCreateEvent((HANDLE*)BAD_HANDLE_POINTER, NULL, NotificationEvent, FALSE);
  DbgPrint("kfault: the owner survived its bad pointer FAIL\n");
  return 1;
}

/* Bad out-pointers to the new exports: each faults its thread before the call acts. */
static uint32_t bad_pointer_case(void* ctx) {
  switch ((uint32_t)ctx) {
    case 0: NtDuplicateObject(mutant, (HANDLE*)BAD_HANDLE_POINTER, 0); break;
    case 1: ObLookupThreadByThreadId(1, NULL); break;
    case 2: ObOpenObjectByPointer(NULL, (HANDLE*)BAD_HANDLE_POINTER); break;
    default: return 0;
  }
  DbgPrint("kfault: case %u did not fault FAIL\n", (uint32_t)ctx);
  return 1;
}

static uint32_t waiter(void* ctx) {
  (void)ctx;
  waiter_status = NtWaitForSingleObjectEx(mutant, UserMode, FALSE, NULL);
  LONG previous;
  NtReleaseMutant(mutant, &previous);
  return 0;
}

int main(void) {
  NtCreateMutant(&mutant, NULL, FALSE);
  NtCreateEvent(&owned_event, NULL, NotificationEvent, FALSE);
  HANDLE owner_thread, waiter_thread;
  ExCreateThread(&owner_thread, 0, NULL, NULL, owner, NULL, 0);
  NtWaitForSingleObjectEx(owned_event, UserMode, FALSE, NULL);
  ExCreateThread(&waiter_thread, 0, NULL, NULL, waiter, NULL, 0);
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(10);
  expect("join of the faulted owner", NtWaitForSingleObjectEx(owner_thread, UserMode, FALSE, &t), STATUS_SUCCESS);
  expect("join of the waiter", NtWaitForSingleObjectEx(waiter_thread, UserMode, FALSE, &t), STATUS_SUCCESS);
  expect("the waiter got the abandoned mutant", (uint32_t)waiter_status, STATUS_ABANDONED_WAIT_0);
  expect("main gets it after the waiter's release", NtWaitForSingleObjectEx(mutant, UserMode, FALSE, &t),
         STATUS_SUCCESS);
  LONG previous;
  expect("main releases it", NtReleaseMutant(mutant, &previous), STATUS_SUCCESS);
  DWORD count = 99;
  expect("suspend the faulted thread", NtSuspendThread(owner_thread, &count), STATUS_THREAD_IS_TERMINATING);
  expect("nothing written", count, 99);
  for (uint32_t i = 0; i < 3; ++i) {
    HANDLE h;
    ExCreateThread(&h, 0, NULL, NULL, bad_pointer_case, (void*)i, 0);
    expect("join of a bad-pointer case", NtWaitForSingleObjectEx(h, UserMode, FALSE, &t), STATUS_SUCCESS);
  }
  void* found = (void*)0x5555;
  expect("an unknown id after the faulting lookup", ObLookupThreadByThreadId(0x7777, &found),
         STATUS_INVALID_PARAMETER);
  DbgPrint("kfault: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
