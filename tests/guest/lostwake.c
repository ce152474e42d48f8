/* lostwake: a lost wakeup. The notifier computes for a while, then pulses the event and exits;
 * main joins the notifier first, so the pulse comes while nobody waits on the event (a pulse
 * wakes only the threads already waiting: it is lost), and then waits on the event forever. The
 * run stops with reason `deadlock`; hexad-audit explain classifies the event as a lost wakeup.
 * Cut short by a budget while main still joins the notifier, the run's wedge is that join
 * instead (the wedge-diff tests use the pair). */
#include "hx/kernel.h"

static HANDLE ev;
static volatile uint32_t work;

static uint32_t notifier(void* ctx) {
  (void)ctx;
  uint32_t x = 1;
  for (uint32_t i = 0; i < 20000; ++i) x = x * 1664525u + 1013904223u;
  work = x;
  NtPulseEvent(ev, NULL);
  return 0;
}

int main(void) {
  HANDLE h_notifier;
  NtCreateEvent(&ev, NULL, NotificationEvent, FALSE);
  ExCreateThread(&h_notifier, 0, NULL, NULL, notifier, NULL, 0);
  NtWaitForSingleObjectEx(h_notifier, UserMode, FALSE, NULL);
  DbgPrint("lostwake: the notifier has pulsed and exited; waiting for the event\n");
  NtWaitForSingleObjectEx(ev, UserMode, FALSE, NULL);
  DbgPrint("lostwake: UNREACHABLE\n");
  return 1;
}
