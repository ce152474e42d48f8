/* unimpl: calls a kernel export hexad does not implement (KeTlsAlloc) twice. The kernel must
 * report it once on stderr with its module, ordinal and name, return STATUS_NOT_IMPLEMENTED each
 * time, and count both calls in the exit dump. */
#include "hx/kernel.h"

int main(void) {
  DWORD first = KeTlsAlloc();
  DWORD second = KeTlsAlloc();
  DbgPrint("unimpl: KeTlsAlloc returned %08X and %08X\n", first, second);
  return 0;
}
