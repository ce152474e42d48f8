/* migrate: a thread's own clock never runs backwards when it changes slots. A worker starting
 * on slot 2 moves itself with KeSetAffinityThread (its handle) to slots 4, 1, 5, 3 and 0 in turn
 * — later and earlier slots in the round order — spinning before each move so that it happens
 * late in a slot visit, and reading the system time around it. Every reading must be >= the one
 * before it. Its exit code is the number of moves where time ran backwards. */
#include "hx/kernel.h"

static HANDLE self_handle;
static volatile uint32_t sink;
static volatile uint32_t backwards_moves = 0xFFFFFFFF;

static int64_t now(void) {
  LARGE_INTEGER t;
  KeQuerySystemTime(&t);
  return t.QuadPart;
}

static void spin(uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) sink += i;
}

static uint32_t mover(void* ctx) {
  (void)ctx;
  uint32_t backwards = 0;
  int64_t last = now();
  static const DWORD masks[] = {1u << 4, 1u << 1, 1u << 5, 1u << 3, 1u << 0};
  for (uint32_t m = 0; m < sizeof masks / sizeof masks[0]; ++m) {
    spin(3000); /* ~15000 instructions: most of a 20000-instruction visit */
    int64_t before = now();
    KeSetAffinityThread((void*)self_handle, masks[m], NULL);
    int64_t after = now();
    spin(3000);
    int64_t later = now();
    if (before < last || after < before || later < after) {
      DbgPrint("migrate: move %u: time went backwards (%u -> %u -> %u -> %u)\n", m, (uint32_t)last,
               (uint32_t)before, (uint32_t)after, (uint32_t)later);
      ++backwards;
    }
    last = later;
  }
  backwards_moves = backwards;
  return backwards;
}

int main(void) {
  HANDLE h;
  ExCreateThread(&h, 0, NULL, NULL, mover, NULL, HX_CREATE_SUSPENDED);
  self_handle = h;
  KeSetAffinityThread((void*)h, 1u << 2, NULL);
  NtResumeThread(h, NULL);
  NtWaitForSingleObjectEx(h, UserMode, FALSE, NULL);
  DbgPrint("migrate: %u moves with time running backwards\n", backwards_moves);
  DbgPrint("migrate: %s\n", backwards_moves ? "FAIL" : "OK");
  return backwards_moves != 0;
}
