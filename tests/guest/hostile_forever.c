/* hostile_forever: a wait whose only deadline is too far away to represent never ends. Main
 * delays by -0x7fffffffffffffff (about 29,000 years of 100 ns units) with nothing else to run:
 * the run stops with `deadlock` (exit status 3) at once, instead of skipping guest time to the
 * deadline (which would overflow the clock) and returning. */
#include "hx/kernel.h"

int main(void) {
  LARGE_INTEGER t;
  t.QuadPart = -0x7fffffffffffffffLL;
  DbgPrint("hostile_forever: delaying forever\n");
  NTSTATUS st = KeDelayExecutionThread(UserMode, FALSE, &t);
  DbgPrint("hostile_forever: the delay returned %x\n", (uint32_t)st);
  return 1;
}
