/* unimpl: calls a kernel export hexad does not implement (VdBlockUntilGUIIdle, declared here:
 * the SDK declares only what hexad implements) twice. The kernel must report it once on stderr
 * with its module, ordinal and name, return STATUS_NOT_IMPLEMENTED each time, and count both
 * calls in the exit dump. */
#include "hx/kernel.h"

HX_IMPORT(xboxkrnl, 0x01B0, VdBlockUntilGUIIdle, DWORD, (void));

int main(void) {
  DWORD first = VdBlockUntilGUIIdle();
  DWORD second = VdBlockUntilGUIIdle();
  DbgPrint("unimpl: VdBlockUntilGUIIdle returned %08X and %08X\n", first, second);
  return 0;
}
