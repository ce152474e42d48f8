/* hello: the smallest spine title. Prints a greeting and a formatted number through DbgPrint,
 * then returns 0 from main (which ends the title). */
#include "hx/kernel.h"

int main(void) {
  unsigned sum = 0;
  for (unsigned i = 1; i <= 100; ++i) sum += i;
  DbgPrint("hello from hexad\n");
  DbgPrint("hello: sum(1..100) = %u, hex %08X, signed %d\n", sum, sum, -(int)sum);
  return 0;
}
