/* joinblocked: a thread join on a blocked thread. Main joins a worker that waits for a start
 * event main would set only after the join returns. The run stops with reason `deadlock`;
 * hexad-audit explain classifies main's join as a join on a blocked thread and the start event
 * as having no signaler. */
#include "hx/kernel.h"

static HANDLE start;

static uint32_t worker(void* ctx) {
  (void)ctx;
  NtWaitForSingleObjectEx(start, UserMode, FALSE, NULL);
  return 0;
}

int main(void) {
  HANDLE h_worker;
  NtCreateEvent(&start, NULL, SynchronizationEvent, FALSE);
  ExCreateThread(&h_worker, 0, NULL, NULL, worker, NULL, 0);
  NtWaitForSingleObjectEx(h_worker, UserMode, FALSE, NULL);
  NtSetEvent(start, NULL);
  DbgPrint("joinblocked: UNREACHABLE\n");
  return 1;
}
