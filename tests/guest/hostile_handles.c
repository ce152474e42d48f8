/* hostile_handles: every export that takes a handle (or a KTHREAD pointer), given handles it
 * cannot use, returns the console's status and changes nothing:
 *   - unknown handles (0, 0xFFFFFFFF, 0xDEADBEEF, a well-formed handle never issued, a misaligned
 *     one) and a closed handle: STATUS_INVALID_HANDLE (NtClose of them too);
 *   - a handle of the wrong type: STATUS_OBJECT_TYPE_MISMATCH (events, semaphores, mutants,
 *     NtResumeThread, NtSuspendThread); waits accept every dispatcher type;
 *   - Ke*Thread calls on something that is no thread: KeSetAffinityThread STATUS_INVALID_HANDLE,
 *     KeSetBasePriorityThread 0 (no previous priority). */
#include "hx/kernel.h"

static int failures;

static void expect(const char* what, uint32_t handle, uint32_t got, uint32_t want) {
  DbgPrint("hostile_handles: %s(%x) = %x (want %x) %s\n", what, handle, got, want, got == want ? "ok" : "FAIL");
  failures += got != want;
}

static uint32_t quick(void* ctx) { return (uint32_t)ctx; }

/* Every handle-taking export on `h`; `want_*` the statuses for an event-, semaphore-, mutant-
 * and thread-typed call. Waits (want_wait) use a zero timeout. */
static void all_calls(HANDLE h, NTSTATUS want_event, NTSTATUS want_semaphore, NTSTATUS want_mutant,
                      NTSTATUS want_thread, NTSTATUS want_wait) {
  LONG prev = 0x55;
  DWORD count = 0x55;
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  void* object = (void*)0x55;
  HANDLE pair[2] = {h, h};
  expect("NtSetEvent", h, (uint32_t)NtSetEvent(h, &prev), (uint32_t)want_event);
  expect("NtClearEvent", h, (uint32_t)NtClearEvent(h), (uint32_t)want_event);
  expect("NtPulseEvent", h, (uint32_t)NtPulseEvent(h, &prev), (uint32_t)want_event);
  expect("NtReleaseSemaphore", h, (uint32_t)NtReleaseSemaphore(h, 1, &prev), (uint32_t)want_semaphore);
  expect("NtReleaseMutant", h, (uint32_t)NtReleaseMutant(h, &prev), (uint32_t)want_mutant);
  expect("NtResumeThread", h, (uint32_t)NtResumeThread(h, &count), (uint32_t)want_thread);
  expect("NtSuspendThread", h, (uint32_t)NtSuspendThread(h, &count), (uint32_t)want_thread);
  expect("NtWaitForSingleObjectEx", h, (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, &zero),
         (uint32_t)want_wait);
  expect("NtWaitForMultipleObjectsEx", h,
         (uint32_t)NtWaitForMultipleObjectsEx(2, pair, WaitAny, UserMode, FALSE, &zero), (uint32_t)want_wait);
  if (want_event != STATUS_SUCCESS) expect("previous state untouched", h, (uint32_t)prev, 0x55);
  expect("suspend count untouched", h, count, 0x55);
  if (want_wait == STATUS_INVALID_HANDLE) {
    expect("ObReferenceObjectByHandle", h, (uint32_t)ObReferenceObjectByHandle(h, NULL, &object),
           STATUS_INVALID_HANDLE);
    expect("object untouched", h, (uint32_t)object, 0x55);
  }
}

static void bad_thread_pointers(uint32_t v) {
  DWORD previous = 0x55;
  expect("KeSetAffinityThread", v, (uint32_t)KeSetAffinityThread((void*)v, 1, &previous), STATUS_INVALID_HANDLE);
  expect("previous affinity untouched", v, previous, 0x55);
  expect("KeSetBasePriorityThread", v, (uint32_t)KeSetBasePriorityThread((void*)v, 9), 0);
}

int main(void) {
  static const HANDLE unknown[] = {0, 0xFFFFFFFF, 0xDEADBEEF, 0xF8FFFFF0, 0xF8000006, 0xF8000000};
  for (uint32_t i = 0; i < sizeof unknown / sizeof unknown[0]; ++i) {
    all_calls(unknown[i], STATUS_INVALID_HANDLE, STATUS_INVALID_HANDLE, STATUS_INVALID_HANDLE, STATUS_INVALID_HANDLE,
              STATUS_INVALID_HANDLE);
    expect("NtClose", unknown[i], (uint32_t)NtClose(unknown[i]), STATUS_INVALID_HANDLE);
    bad_thread_pointers(unknown[i]);
  }

  HANDLE event, semaphore, mutant, thread;
  NtCreateEvent(&event, NULL, NotificationEvent, FALSE);
  NtCreateSemaphore(&semaphore, NULL, 0, 1);
  NtCreateMutant(&mutant, NULL, FALSE);
  ExCreateThread(&thread, 0, NULL, NULL, quick, (void*)7, HX_CREATE_SUSPENDED);

  /* Wrong types: each object through the calls of the other types. Waits on them time out
   * (nothing is signaled) except the free mutant, which the wait acquires. */
  all_calls(event, STATUS_SUCCESS, STATUS_OBJECT_TYPE_MISMATCH, STATUS_OBJECT_TYPE_MISMATCH,
            STATUS_OBJECT_TYPE_MISMATCH, STATUS_TIMEOUT);
  NtClearEvent(event);
  bad_thread_pointers(event);
  HANDLE not_events[3] = {semaphore, mutant, thread};
  for (int i = 0; i < 3; ++i) {
    LONG prev = 0x55;
    expect("NtSetEvent", not_events[i], (uint32_t)NtSetEvent(not_events[i], &prev), STATUS_OBJECT_TYPE_MISMATCH);
    expect("NtClearEvent", not_events[i], (uint32_t)NtClearEvent(not_events[i]), STATUS_OBJECT_TYPE_MISMATCH);
    expect("NtPulseEvent", not_events[i], (uint32_t)NtPulseEvent(not_events[i], &prev), STATUS_OBJECT_TYPE_MISMATCH);
    expect("previous state untouched", not_events[i], (uint32_t)prev, 0x55);
  }
  expect("NtReleaseSemaphore", mutant, (uint32_t)NtReleaseSemaphore(mutant, 1, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtReleaseSemaphore", thread, (uint32_t)NtReleaseSemaphore(thread, 1, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtReleaseMutant", semaphore, (uint32_t)NtReleaseMutant(semaphore, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtReleaseMutant", thread, (uint32_t)NtReleaseMutant(thread, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtResumeThread", semaphore, (uint32_t)NtResumeThread(semaphore, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  expect("NtSuspendThread", mutant, (uint32_t)NtSuspendThread(mutant, NULL), STATUS_OBJECT_TYPE_MISMATCH);
  bad_thread_pointers(semaphore);
  bad_thread_pointers(mutant);

  /* Closed handles: every call fails, as for a handle never issued; waiting threads are not
   * affected by it (the thread still runs and exits). */
  HANDLE thread_copy = thread;
  NtResumeThread(thread, NULL);
  void* kthread = NULL;
  expect("ObReferenceObjectByHandle of the thread", thread, (uint32_t)ObReferenceObjectByHandle(thread, NULL, &kthread),
         STATUS_SUCCESS);
  HANDLE closed[4] = {event, semaphore, mutant, thread};
  for (int i = 0; i < 4; ++i) {
    expect("NtClose", closed[i], (uint32_t)NtClose(closed[i]), STATUS_SUCCESS);
    all_calls(closed[i], STATUS_INVALID_HANDLE, STATUS_INVALID_HANDLE, STATUS_INVALID_HANDLE, STATUS_INVALID_HANDLE,
              STATUS_INVALID_HANDLE);
    expect("NtClose again", closed[i], (uint32_t)NtClose(closed[i]), STATUS_INVALID_HANDLE);
  }
  expect("KeSetAffinityThread through the KTHREAD after NtClose", thread_copy,
         (uint32_t)KeSetAffinityThread(kthread, 1, NULL), STATUS_SUCCESS);
  expect("KeWaitForSingleObject on that KTHREAD (the thread exits)", thread_copy,
         (uint32_t)KeWaitForSingleObject(kthread, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
  ObDereferenceObject(kthread);

  DbgPrint("hostile_handles: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
