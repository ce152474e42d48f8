/* cswedge: two threads wedge on critical sections taken in opposite orders. `first` enters A
 * then B, `second` enters B then A; each holds one and waits in RtlEnterCriticalSection for the
 * other. Main joins `first`. The run stops with reason `deadlock`; the wedge map shows both
 * sections as critical_section with their owners, and hexad-audit explain classifies them as
 * a wait cycle (owned by / owned by) and main's join as a join on a blocked thread. */
#include "hx/kernel.h"

static RTL_CRITICAL_SECTION a, b;
static HANDLE a_taken, b_taken;

static uint32_t first(void* ctx) {
  (void)ctx;
  RtlEnterCriticalSection(&a);
  NtSetEvent(a_taken, NULL);
  NtWaitForSingleObjectEx(b_taken, UserMode, FALSE, NULL);
  RtlEnterCriticalSection(&b);
  return 1;
}

static uint32_t second(void* ctx) {
  (void)ctx;
  RtlEnterCriticalSection(&b);
  NtSetEvent(b_taken, NULL);
  NtWaitForSingleObjectEx(a_taken, UserMode, FALSE, NULL);
  RtlEnterCriticalSection(&a);
  return 2;
}

int main(void) {
  HANDLE t1, t2;
  RtlInitializeCriticalSection(&a);
  RtlInitializeCriticalSection(&b);
  NtCreateEvent(&a_taken, NULL, NotificationEvent, FALSE);
  NtCreateEvent(&b_taken, NULL, NotificationEvent, FALSE);
  ExCreateThread(&t1, 0, NULL, NULL, first, NULL, 0);
  ExCreateThread(&t2, 0, NULL, NULL, second, NULL, 0);
  DbgPrint("cswedge: both threads started\n");
  NtWaitForSingleObjectEx(t1, UserMode, FALSE, NULL);
  DbgPrint("cswedge: not reached\n");
  return 0;
}
