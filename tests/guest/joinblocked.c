/* joinblocked: joins on blocked threads, two levels deep. Main joins `parent`; parent keeps a
 * KEVENT on its own stack, starts `child` with a pointer to it and joins child before it would
 * set the event; child waits on that event. The run stops with reason `deadlock`; hexad-audit
 * explain classifies both joins as joins on a blocked thread and the KEVENT as having no
 * signaler. The dump's keys show the creation chain: main/thread@PARENT#1/thread@CHILD#1, and the
 * stack KEVENT named by the thread that initialised it (main/thread@PARENT#1:KeInitializeEvent#1). */
#include "hx/kernel.h"

static uint32_t child(void* ctx) {
  KeWaitForSingleObject((KEVENT*)ctx, Executive, KernelMode, FALSE, NULL);
  return 0;
}

static uint32_t parent(void* ctx) {
  (void)ctx;
  KEVENT start;
  HANDLE h_child;
  KeInitializeEvent(&start, SynchronizationEvent, FALSE);
  ExCreateThread(&h_child, 0, NULL, NULL, child, &start, 0);
  NtWaitForSingleObjectEx(h_child, UserMode, FALSE, NULL);
  KeSetEvent(&start, 0, FALSE);
  return 0;
}

int main(void) {
  HANDLE h_parent;
  ExCreateThread(&h_parent, 0, NULL, NULL, parent, NULL, 0);
  NtWaitForSingleObjectEx(h_parent, UserMode, FALSE, NULL);
  DbgPrint("joinblocked: UNREACHABLE\n");
  return 1;
}
