/* cswedge: two threads wedge on critical sections taken in opposite orders. `first` enters A
 * then B, `second` enters B then A; each holds one and waits in RtlEnterCriticalSection for the
 * other. Main joins `first`. The run stops with reason `deadlock`; the wedge map shows both
 * sections as critical_section with their owners, and hexad-audit explain classifies them as
 * a wait cycle (owned by / owned by) and main's join as a join on a blocked thread.
 * A third section shows what NT does when an owner exits: `quitter` enters C and returns
 * without leaving it; the section stays owned by the exited thread (critical sections are not
 * abandoned), so `orphan`'s Enter waits forever, and explain says whose exit left it held. */
#include "hx/kernel.h"

static RTL_CRITICAL_SECTION a, b, c;
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

static uint32_t quitter(void* ctx) {
  (void)ctx;
  RtlEnterCriticalSection(&c);
  return 3;
}

static uint32_t orphan(void* ctx) {
  (void)ctx;
  RtlEnterCriticalSection(&c);
  return 4;
}

int main(void) {
  HANDLE t1, t2, t3, t4;
  RtlInitializeCriticalSection(&a);
  RtlInitializeCriticalSection(&b);
  RtlInitializeCriticalSection(&c);
  NtCreateEvent(&a_taken, NULL, NotificationEvent, FALSE);
  NtCreateEvent(&b_taken, NULL, NotificationEvent, FALSE);
  ExCreateThread(&t1, 0, NULL, NULL, first, NULL, 0);
  ExCreateThread(&t2, 0, NULL, NULL, second, NULL, 0);
  ExCreateThread(&t3, 0, NULL, NULL, quitter, NULL, 0);
  NtWaitForSingleObjectEx(t3, UserMode, FALSE, NULL);
  ExCreateThread(&t4, 0, NULL, NULL, orphan, NULL, 0);
  DbgPrint("cswedge: both threads started\n");
  NtWaitForSingleObjectEx(t1, UserMode, FALSE, NULL);
  DbgPrint("cswedge: not reached\n");
  return 0;
}
