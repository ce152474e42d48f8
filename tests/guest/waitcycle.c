/* waitcycle: two threads wedge in a wait cycle. `holder` takes the mutant, pings `taker` and
 * waits for two pongs; `taker` answers the first ping with one pong and then waits for the
 * mutant, which `holder` never releases. So holder waits on an event only taker ever signals,
 * taker waits on a mutant holder owns. Main joins holder. The run stops with reason `deadlock`;
 * hexad-audit explain classifies the mutant and the pong event as a wait cycle and main's join
 * as a join on a blocked thread. */
#include "hx/kernel.h"

static HANDLE mutant, ping, pong;

static uint32_t holder(void* ctx) {
  (void)ctx;
  NtWaitForSingleObjectEx(mutant, UserMode, FALSE, NULL);
  NtSetEvent(ping, NULL);
  NtWaitForSingleObjectEx(pong, UserMode, FALSE, NULL);
  DbgPrint("waitcycle: holder got the first pong, waits for the second\n");
  NtWaitForSingleObjectEx(pong, UserMode, FALSE, NULL);
  NtReleaseMutant(mutant, NULL);
  return 1;
}

static uint32_t taker(void* ctx) {
  (void)ctx;
  NtWaitForSingleObjectEx(ping, UserMode, FALSE, NULL);
  NtSetEvent(pong, NULL);
  NtWaitForSingleObjectEx(mutant, UserMode, FALSE, NULL);
  NtSetEvent(pong, NULL);
  return 2;
}

int main(void) {
  HANDLE h_holder, h_taker;
  NtCreateMutant(&mutant, NULL, FALSE);
  NtCreateEvent(&ping, NULL, SynchronizationEvent, FALSE);
  NtCreateEvent(&pong, NULL, SynchronizationEvent, FALSE);
  ExCreateThread(&h_holder, 0, NULL, NULL, holder, NULL, 0);
  ExCreateThread(&h_taker, 0, NULL, NULL, taker, NULL, 0);
  NtWaitForSingleObjectEx(h_holder, UserMode, FALSE, NULL);
  DbgPrint("waitcycle: UNREACHABLE\n");
  return 1;
}
