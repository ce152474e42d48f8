/* deadlock: two threads each wait for an event that only the other one sets, after its own
 * wait. Neither wait can ever be satisfied; main waits for both threads. The run must stop with
 * reason `deadlock`, both workers Blocked, and both events in the wedge map. */
#include "hx/kernel.h"

static HANDLE ev_a, ev_b;

static uint32_t first(void* ctx) {
  (void)ctx;
  NtWaitForSingleObjectEx(ev_a, UserMode, FALSE, NULL);
  NtSetEvent(ev_b, NULL);
  return 1;
}

static uint32_t second(void* ctx) {
  (void)ctx;
  NtWaitForSingleObjectEx(ev_b, UserMode, FALSE, NULL);
  NtSetEvent(ev_a, NULL);
  return 2;
}

int main(void) {
  HANDLE threads[2];
  NtCreateEvent(&ev_a, NULL, SynchronizationEvent, FALSE);
  NtCreateEvent(&ev_b, NULL, SynchronizationEvent, FALSE);
  ExCreateThread(&threads[0], 0, NULL, NULL, first, NULL, 0);
  ExCreateThread(&threads[1], 0, NULL, NULL, second, NULL, 0);
  DbgPrint("deadlock: waiting for the workers\n");
  NtWaitForMultipleObjectsEx(2, threads, WaitAll, UserMode, FALSE, NULL);
  DbgPrint("deadlock: UNREACHABLE\n");
  return 1;
}
