/* bugcheck: a worker thread calls KeBugCheckEx(0xDE, 1, 2, 3, 4) while main waits for it. The
 * console halts: the run stops with reason "bugcheck" (exit status 6), nothing after the call
 * runs (the worker's next DbgPrint never appears, main never wakes), and the dump's
 * run.system_stop holds the worker's tid, the code and the four parameters. */
#define TITLE "bugcheck"
#include "title_util.h"

static uint32_t worker(void* ctx) {
  (void)ctx;
  DbgPrint("bugcheck: worker calls KeBugCheckEx\n");
  KeBugCheckEx(0xDE, 1, 2, 3, 4);
  DbgPrint("bugcheck: FAIL: KeBugCheckEx returned\n");
  return 1;
}

int main(void) {
  HANDLE h;
  ExCreateThread(&h, 0, NULL, NULL, worker, NULL, 0);
  NtWaitForSingleObjectEx(h, UserMode, FALSE, NULL);
  DbgPrint("bugcheck: FAIL: main woke after the bug check\n");
  KeBugCheck(0x77); /* never reached; would be a second, ignored request */
  return 1;
}
