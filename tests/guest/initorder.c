/* initorder: an order violation that only some schedules show. Main starts a worker and only
 * then finishes initialising the configuration the worker reads, publishing it through a
 * pointer; the worker assumes the pointer is set by the time it looks. If main is preempted
 * during its initialisation and the worker runs, the worker reads through a null pointer and
 * faults (the run stops with reason `fault`).
 *
 * Written for the scheduler that ran slots one after the other, where the unperturbed schedule
 * ran main's initialisation before the worker's slot came up. Under guest-time order main and
 * the worker run in parallel on their slots, so the unperturbed schedule faults too and most
 * seeds do; `hexad explore` tells the classes apart (README, "Race titles and figures"). */
#include "hx/kernel.h"

struct config {
  uint32_t magic;
  uint32_t workers;
};

static struct config storage;
static struct config* volatile published; /* set once `storage` is complete */
static volatile uint32_t sink;

/* Guest work: about six instructions an iteration. */
static void work(uint32_t iterations) {
  for (uint32_t i = 0; i < iterations; ++i) sink = sink + i;
}

static uint32_t worker(void* ctx) {
  (void)ctx;
  work(100);
  const struct config* c = published; /* null if main has not finished: the bug */
  return c->magic == 0x600d ? 0 : 1;
}

int main(void) {
  HANDLE thread;
  work(2000); /* loading, before the worker exists */
  ExCreateThread(&thread, 0, NULL, NULL, worker, NULL, 0);
  work(500); /* initialising the configuration: the window */
  storage.magic = 0x600d;
  storage.workers = 1;
  published = &storage;
  NTSTATUS st = NtWaitForSingleObjectEx(thread, UserMode, FALSE, NULL);
  DbgPrint("initorder: wait status %x\n", st);
  DbgPrint("initorder: OK\n");
  return 0;
}
