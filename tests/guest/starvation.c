/* starvation: on slot 5 a priority-15 thread spins forever without yielding; a priority-0 thread
 * on the same slot must set the event main waits on. Both are created suspended and resumed in a
 * fixed order. With aging the low thread eventually wins a pick, sets the event and main exits;
 * with strict priority (--no-aging) it never runs and the run ends at its budget. */
#include "hx/kernel.h"

static HANDLE ev_done;
static volatile uint32_t spins;

static uint32_t spinner(void* ctx) {
  (void)ctx;
  for (;;) ++spins;
  return 0;
}

static uint32_t low(void* ctx) {
  (void)ctx;
  NtSetEvent(ev_done, NULL);
  return 0;
}

int main(void) {
  HANDLE hspin, hlow;
  NtCreateEvent(&ev_done, NULL, NotificationEvent, FALSE);
  ExCreateThread(&hspin, 0, NULL, NULL, spinner, NULL, HX_CREATE_SUSPENDED);
  ExCreateThread(&hlow, 0, NULL, NULL, low, NULL, HX_CREATE_SUSPENDED);
  KeSetAffinityThread((void*)hspin, 1u << 5, NULL);
  KeSetAffinityThread((void*)hlow, 1u << 5, NULL);
  KeSetBasePriorityThread((void*)hspin, 7);  /* increments over 8: base priorities 15 and 0 */
  KeSetBasePriorityThread((void*)hlow, -8);
  NtResumeThread(hspin, NULL);
  NtResumeThread(hlow, NULL);
  NTSTATUS st = NtWaitForSingleObjectEx(ev_done, UserMode, FALSE, NULL);
  DbgPrint("starvation: event set, wait status %x, spinner ran %s\n", st, spins ? "yes" : "no");
  return st;
}
