/* plugin: the second module the `modules` title loads with XexLoadImage (game:\plugin.xex). Its
 * image base is 0x86000000 (clear of the title at 0x82000000); it carries a resource "plugdata"
 * over its read-only data. Its entry point (the SDK's _start, which calls main) is called by the
 * title as a function: it prints through its own bound import and returns a value built from
 * another import's result, so the title can tell its imports were resolved. */
#include "hx/kernel.h"

static int calls = 0; /* .data: the module's writable pages were committed */

int main(void) {
  calls += 1;
  DbgPrint("plugin: entry called (call %d)\n", calls);
  return (int)(0x600D0000u | ((uint32_t)calls << 8) | (uint32_t)KeGetCurrentProcessType());
}
