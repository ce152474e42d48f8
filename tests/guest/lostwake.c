/* lostwake: two lost wakeups. The notifier computes for a while, then sets the auto-reset event
 * `ready` twice and pulses the event `ev`, and exits. Main joins the notifier first, so all of
 * that happens while nobody waits: the two sets of `ready` count as one (an auto-reset event is
 * either set or not), and the pulse wakes only the threads already waiting, which is nobody.
 * Main then starts a counter thread that waits on `ready` twice (the second wait blocks) and
 * waits on `ev` itself, forever. The run stops with reason `deadlock`; hexad-audit explain
 * classifies both events as lost wakeups. Cut short by a budget while main still joins the
 * notifier, the run's wedge is that join instead (the wedge-diff tests use the pair). */
#include "hx/kernel.h"

static HANDLE ev, ready;
static volatile uint32_t work, counted;

static uint32_t notifier(void* ctx) {
  (void)ctx;
  uint32_t x = 1;
  for (uint32_t i = 0; i < 20000; ++i) x = x * 1664525u + 1013904223u;
  work = x;
  NtSetEvent(ready, NULL);
  NtSetEvent(ready, NULL);
  NtPulseEvent(ev, NULL);
  return 0;
}

static uint32_t counter(void* ctx) {
  (void)ctx;
  for (;;) {
    NtWaitForSingleObjectEx(ready, UserMode, FALSE, NULL);
    ++counted;
  }
  return 0;
}

int main(void) {
  HANDLE h_notifier, h_counter;
  NtCreateEvent(&ev, NULL, NotificationEvent, FALSE);
  NtCreateEvent(&ready, NULL, SynchronizationEvent, FALSE);
  ExCreateThread(&h_notifier, 0, NULL, NULL, notifier, NULL, 0);
  NtWaitForSingleObjectEx(h_notifier, UserMode, FALSE, NULL);
  DbgPrint("lostwake: the notifier has signaled and exited; waiting for the event\n");
  ExCreateThread(&h_counter, 0, NULL, NULL, counter, NULL, 0);
  NtWaitForSingleObjectEx(ev, UserMode, FALSE, NULL);
  DbgPrint("lostwake: UNREACHABLE\n");
  return 1;
}
