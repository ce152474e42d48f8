/* plugdll: a DLL (XEX module flag 0x08) the `modules` title loads with XexLoadImage
 * (game:\plugdll.xex, image base 0x87000000). Its entry point is DllMain (linked with
 * -e DllMain): the kernel calls it with DLL_PROCESS_ATTACH (1) when XexLoadImage first loads it
 * and DLL_PROCESS_DETACH (0) when XexUnloadImage drops its last load count, each time with the
 * module's handle and reserved 0. The title calls it too, with reasons of its own: 0x100 asks
 * for the counts, 0x101 for the handle it was attached with, 0x102 gives an address where the
 * detach writes its report (the module is gone after it). */
#include "hx/kernel.h"

#define QUERY_COUNTS 0x100
#define QUERY_HANDLE 0x101
#define SET_REPORT 0x102

static uint32_t attaches, detaches, nonzero_reserved;
static void* attached_as;
static volatile uint32_t* report;

int DllMain(void* module, DWORD reason, void* reserved) {
  switch (reason) {
    case QUERY_COUNTS: return (int)(attaches | detaches << 8 | nonzero_reserved << 16);
    case QUERY_HANDLE: return (int)attached_as;
    case SET_REPORT: report = reserved; return 1;
  }
  nonzero_reserved += reserved != 0;
  if (reason == 1) {
    attaches += 1;
    attached_as = module;
  } else if (reason == 0) {
    detaches += 1;
    if (report) *report = 0xDE7A0000u | (module == attached_as) << 8 | detaches;
  }
  DbgPrint("plugdll: DllMain reason %u\n", reason);
  return 1;
}

/* The SDK's _start (linked, not the entry) calls main. */
int main(void) { return 0; }
