/* The smallest SDK title: used by the XEX loader's unit tests, which check that the imports
 * listed in the loaded XEX are exactly the ones this file uses:
 *   xboxkrnl.exe: DbgPrint (0x003), KeQueryPerformanceFrequency (0x083), NtClose (0x0CF),
 *                 XboxKrnlVersion (0x158, variable)
 *   xam.xex:      XamLoaderTerminateTitle (0x1A9) */
#include "hx/kernel.h"
#include "hx/libc.h"

static char buffer[64];  /* .bss */
volatile int counter = 3;  /* .data (volatile: main must read it) */

int main(void) {
  const XBOX_KRNL_VERSION* v = &HX_KRNL_VERSION;
  DbgPrint("minimal: kernel %u.%u.%u\n", v->Major, v->Minor, v->Build);
  unsigned long long f = KeQueryPerformanceFrequency();
  memset(buffer, 'x', sizeof buffer - 1);
  DbgPrint("minimal: freq %u:%u len %u\n", (unsigned)(f >> 32), (unsigned)f, (unsigned)strlen(buffer));
  NtClose(INVALID_HANDLE_VALUE);
  if (counter == 4) XamLoaderTerminateTitle();
  return counter;
}
