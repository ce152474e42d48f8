/* kthreadx: ExCreateThread's creation flags and the thread/object-reference exports.
 *   1. flags: 0x80 hands back the KTHREAD pointer (not a 0xF8 handle) which Ke* calls and
 *      KeWaitForSingleObject take; bits 24-31 are the processor mask (KeSetAffinityThread
 *      reports it as the previous affinity); a mask naming no hardware thread is refused;
 *      0x2 makes a system thread (KeGetCurrentProcessType 2 in it, 1 in others); 0x20 is one
 *      above the default base priority 8, 0x40 the default, 0x60 above;
 *   2. KeQueryBasePriorityThread follows KeSetBasePriorityThread; KeSetDisableBoostThread
 *      exchanges its byte; KeSetCurrentProcessType from a thread changes nothing;
 *   3. KeSetCurrentStackPointers moves a thread onto a stack of the title's (tid 8);
 *   4. ObLookupThreadByThreadId, ObOpenObjectByPointer, ObReferenceObject/ObDereferenceObject,
 *      NtDuplicateObject (also of NtCurrentThread(), and with DUPLICATE_CLOSE_SOURCE);
 *   5. hostile arguments: unknown ids, pointers that are no objects, closed handles.
 * Tids: 2 the 0x80 thread, 3 the system thread, 4 the title thread, 5-7 the priority threads,
 * 8 the stack switcher. The run ends with thread 2 still referenced twice: the dump shows
 * "pointer_refs": 2 on it, "system_thread" on 3, "stack_limits" on 8, "boost_disabled" on 1. */
#define TITLE "kthreadx"
#include "title_util.h"

static volatile uint32_t process_type = 99, user_process_type = 99, parked_ran;
static volatile uint32_t seen_sp, dup_handle_of_self;
static void* volatile switcher_kthread;
static uint8_t fiber_stack[16384] __attribute__((aligned(64)));

static uint32_t gate(void* ctx) {
  (void)ctx;
  parked_ran = 1;
  return 0;
}

static uint32_t system_thread(void* ctx) {
  (void)ctx;
  process_type = KeGetCurrentProcessType();
  return 0;
}

static uint32_t user_thread(void* ctx) {
  (void)ctx;
  KeSetCurrentProcessType(2); /* outside a DPC: no effect (xenia) */
  user_process_type = KeGetCurrentProcessType();
  HANDLE self;
  if (NtDuplicateObject((HANDLE)0xFFFFFFFEu, &self, 0) == STATUS_SUCCESS) dup_handle_of_self = (uint32_t)self;
  return 0;
}

__attribute__((noinline, noreturn)) static void on_new_stack(void) {
  volatile uint32_t here = 0;
  seen_sp = (uint32_t)&here;
  ExTerminateThread(7);
  __builtin_unreachable();
}

static uint32_t stack_switcher(void* ctx) {
  (void)ctx;
  KeSetCurrentStackPointers(fiber_stack + sizeof fiber_stack - 128, switcher_kthread, fiber_stack,
                            fiber_stack + sizeof fiber_stack, fiber_stack);
  on_new_stack();
}

int main(void) {
  DWORD previous = 99;
  NTSTATUS st;

  /* 1. Creation flags. */
  HANDLE kt_out;
  DWORD parked_id = 0;
  st = ExCreateThread(&kt_out, 0, &parked_id, NULL, gate, NULL,
                      HX_CREATE_RETURN_KTHREAD | HX_CREATE_SUSPENDED | HX_CREATE_PROCESSOR_MASK(1u << 3));
  expect("create with 0x80", st, STATUS_SUCCESS);
  void* kt = (void*)kt_out;
  expect("0x80: a KTHREAD pointer, not a handle", ((uint32_t)kt >> 24) != 0xF8, 1);
  expect("KeQueryBasePriorityThread of it: increment 0 (base 8)", KeQueryBasePriorityThread(kt), 0);
  expect("its affinity is the processor mask", KeSetAffinityThread(kt, 1u << 3, &previous), STATUS_SUCCESS);
  expect("previous affinity", previous, 1u << 3);
  expect("KeResumeThread through the pointer", KeResumeThread(kt), 1);
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(5);
  expect("KeWaitForSingleObject on the KTHREAD", KeWaitForSingleObject(kt, Executive, KernelMode, FALSE, &t),
         STATUS_SUCCESS);
  expect("it ran", parked_ran, 1);

  HANDLE h;
  expect("a processor mask naming no hardware thread",
         ExCreateThread(&h, 0, NULL, NULL, gate, NULL, HX_CREATE_PROCESSOR_MASK(0xC0)), STATUS_INVALID_PARAMETER);

  HANDLE sys, usr;
  ExCreateThread(&sys, 0, NULL, NULL, system_thread, NULL, HX_CREATE_SYSTEM_THREAD);
  ExCreateThread(&usr, 0, NULL, NULL, user_thread, NULL, 0);
  NtWaitForSingleObjectEx(sys, UserMode, FALSE, NULL);
  NtWaitForSingleObjectEx(usr, UserMode, FALSE, NULL);
  expect("0x2: a system thread's process type", process_type, 2);
  expect("a title thread's process type after KeSetCurrentProcessType(2)", user_process_type, 1);
  expect("main's process type", KeGetCurrentProcessType(), 1);

  static const struct {
    const char* what;
    uint32_t flags;
    LONG priority;
  } kPriorities[] = {{"0x20: above normal (increment 1)", HX_CREATE_ABOVE_NORMAL, 1},
                     {"0x40: normal (increment 0)", HX_CREATE_NORMAL, 0},
                     {"0x60: above normal (increment 1)", HX_CREATE_ABOVE_NORMAL | HX_CREATE_NORMAL, 1}};
  for (unsigned i = 0; i < sizeof kPriorities / sizeof kPriorities[0]; ++i) {
    HANDLE p;
    ExCreateThread(&p, 0, NULL, NULL, gate, NULL, kPriorities[i].flags | HX_CREATE_SUSPENDED);
    expect(kPriorities[i].what, (uint32_t)KeQueryBasePriorityThread((void*)p), (uint32_t)kPriorities[i].priority);
    NtResumeThread(p, &previous);
    NtWaitForSingleObjectEx(p, UserMode, FALSE, NULL);
  }

  /* 2. Priority, boost. */
  HANDLE me;
  expect("duplicate NtCurrentThread()", NtDuplicateObject((HANDLE)0xFFFFFFFEu, &me, 0), STATUS_SUCCESS);
  expect("KeSetBasePriorityThread: previous increment", (uint32_t)KeSetBasePriorityThread((void*)me, 2), 0);
  expect("KeQueryBasePriorityThread follows it", (uint32_t)KeQueryBasePriorityThread((void*)me), 2);
  expect("an increment of 16 saturates: previous 2", (uint32_t)KeSetBasePriorityThread((void*)me, 16), 2);
  expect("  queried as 16", (uint32_t)KeQueryBasePriorityThread((void*)me), 16);
  expect("an increment of -40: previous 16 (saturated)", (uint32_t)KeSetBasePriorityThread((void*)me, -40), 16);
  expect("  queried as -16", (uint32_t)KeQueryBasePriorityThread((void*)me), (uint32_t)-16);
  expect("back to increment 0: previous -16", (uint32_t)KeSetBasePriorityThread((void*)me, 0), (uint32_t)-16);
  expect("  queried as 0", (uint32_t)KeQueryBasePriorityThread((void*)me), 0);
  expect("KeSetDisableBoostThread: previous 0", KeSetDisableBoostThread((void*)me, TRUE), 0);
  expect("KeSetDisableBoostThread: previous 1", KeSetDisableBoostThread((void*)me, TRUE), 1);

  /* 3. Another stack. */
  HANDLE sw_out;
  ExCreateThread(&sw_out, 0, NULL, NULL, stack_switcher, NULL, HX_CREATE_RETURN_KTHREAD | HX_CREATE_SUSPENDED);
  switcher_kthread = (void*)sw_out;
  KeResumeThread(switcher_kthread);
  expect("join the stack switcher", KeWaitForSingleObject(switcher_kthread, Executive, KernelMode, FALSE, NULL),
         STATUS_SUCCESS);
  expect("its frame is on the new stack",
         seen_sp >= (uint32_t)fiber_stack && seen_sp < (uint32_t)fiber_stack + sizeof fiber_stack, 1);

  /* 4. References and handles. */
  void* found = NULL;
  expect("ObLookupThreadByThreadId", ObLookupThreadByThreadId(parked_id, &found), STATUS_SUCCESS);
  expect("it finds the KTHREAD ExCreateThread returned", found == kt, 1);
  ObReferenceObject(kt);
  ObReferenceObject(kt);
  ObDereferenceObject(kt); /* two references left: the dump shows them */
  HANDLE opened;
  expect("ObOpenObjectByPointer on the KTHREAD", ObOpenObjectByPointer(kt, &opened), STATUS_SUCCESS);
  expect("it is a handle", ((uint32_t)opened >> 24) == 0xF8, 1);
  expect("a wait on it (the thread ended)", poll(opened), STATUS_SUCCESS);
  expect("close it", NtClose(opened), STATUS_SUCCESS);
  expect("the user thread's duplicate of itself is a handle", (dup_handle_of_self >> 24) == 0xF8, 1);
  expect("join the user thread through it", poll((HANDLE)dup_handle_of_self), STATUS_SUCCESS);

  HANDLE ev, dup, moved;
  NtCreateEvent(&ev, NULL, NotificationEvent, FALSE);
  expect("duplicate an event", NtDuplicateObject(ev, &dup, 0), STATUS_SUCCESS);
  expect("a new handle", dup != ev, 1);
  NtSetEvent(dup, NULL);
  expect("set through the duplicate, seen through the original", poll(ev), STATUS_SUCCESS);
  expect("duplicate and close the source", NtDuplicateObject(dup, &moved, HX_DUPLICATE_CLOSE_SOURCE), STATUS_SUCCESS);
  expect("the source is closed", NtClose(dup), STATUS_INVALID_HANDLE);
  expect("the moved handle works", poll(moved), STATUS_SUCCESS);
  expect("the original still works", NtClose(ev), STATUS_SUCCESS);
  expect("and the moved one after it", NtClose(moved), STATUS_SUCCESS);

  /* 5. Hostile arguments. */
  found = (void*)0x5555;
  expect("ObLookupThreadByThreadId of an unknown id", ObLookupThreadByThreadId(0x7777, &found),
         STATUS_INVALID_PARAMETER);
  expect("its pointer is cleared", (uint32_t)found, 0);
  opened = (HANDLE)0x5555;
  expect("ObOpenObjectByPointer of no object", ObOpenObjectByPointer(fiber_stack + 64, &opened),
         STATUS_UNSUCCESSFUL);
  expect("its handle is cleared", (uint32_t)opened, 0);
  ObReferenceObject((void*)0x00001000u);   /* no object: nothing happens */
  ObDereferenceObject((void*)0x00001000u);
  dup = (HANDLE)0x5555;
  expect("duplicate a closed handle", NtDuplicateObject(ev, &dup, 0), STATUS_INVALID_HANDLE);
  expect("nothing written", (uint32_t)dup, 0x5555);
  expect("duplicate handle 0", NtDuplicateObject((HANDLE)0, &dup, 0), STATUS_INVALID_HANDLE);
  expect("KeQueryBasePriorityThread of no thread", (uint32_t)KeQueryBasePriorityThread(fiber_stack), 0);
  expect("KeSetDisableBoostThread of no thread", KeSetDisableBoostThread(NULL, TRUE), 0);

  DbgPrint("kthreadx: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
