/* gpuwedge: a title with a graphics interrupt callback that wedges. The vblanks call the callback
 * about once per 1/60 s while the main thread sleeps; then it waits forever on an event nobody
 * sets. The vblank must not keep the run alive: after two idle vblanks they stop and the run ends
 * as a deadlock (exit status 3), the dump's gpu.vblanks_stopped saying "idle". */
#define TITLE "gpuwedge"
#include "title_util.h"

static volatile uint32_t calls;

static void interrupt_callback(uint32_t source, uint32_t user_data) { calls += 1 + (source | user_data); }

int main(void) {
  HANDLE never;
  NtCreateEvent(&never, NULL, NotificationEvent, FALSE);
  VdSetGraphicsInterruptCallback((void*)interrupt_callback, NULL);
  sleep_ms(100);
  expect("the callback ran once per 1/60 s while main slept", calls >= 5 && calls <= 7, 1);
  DbgPrint("gpuwedge: %s (%d failures), waiting forever\n", failures ? "FAIL" : "PASS", failures);
  NtWaitForSingleObjectEx(never, UserMode, FALSE, NULL);
  return 1;
}
