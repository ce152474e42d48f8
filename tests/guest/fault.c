/* fault: guest faults stop their thread and, once nothing else can run, the run (stop reason
 * `fault`, exit status 4).
 *   - a worker (tid 2) hands NtCreateEvent an unmapped handle pointer (BAD_HANDLE_POINTER): the
 *     kernel's write through it faults the worker, at its `sc`; it never returns, and its
 *     handle is signaled by the fault (NT ends a faulted thread like an exited one), so main's
 *     1 ms join returns STATUS_SUCCESS;
 *   - main (tid 1) then loads from an unmapped address (BAD_LOAD_ADDRESS) and faults too.
 * Both addresses are printed so the check compares the dump and the trace with what the title
 * did. */
#include "hx/kernel.h"

#define BAD_HANDLE_POINTER 0x00001000u
#define BAD_LOAD_ADDRESS 0xFFFF0000u

static uint32_t bad_pointer_worker(void* ctx) {
  (void)ctx;
  NTSTATUS st = NtCreateEvent((HANDLE*)BAD_HANDLE_POINTER, NULL, NotificationEvent, FALSE);
  DbgPrint("fault: NtCreateEvent with a bad handle pointer returned %x\n", (uint32_t)st);
  return 1;
}

int main(void) {
  DbgPrint("fault: handle pointer %p, load address %p\n", BAD_HANDLE_POINTER, BAD_LOAD_ADDRESS);
  HANDLE worker;
  ExCreateThread(&worker, 0, NULL, NULL, bad_pointer_worker, NULL, 0);
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(1);
  NTSTATUS st = NtWaitForSingleObjectEx(worker, UserMode, FALSE, &t);
  DbgPrint("fault: join of the faulted worker returned %x\n", (uint32_t)st);
  uint32_t value = *(volatile uint32_t*)BAD_LOAD_ADDRESS;
  DbgPrint("fault: the load returned %x\n", value);
  return 0;
}
