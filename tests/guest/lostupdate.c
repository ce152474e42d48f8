/* lostupdate: an atomicity violation that only some schedules show. Two workers add to a shared
 * counter with a plain read-modify-write and some work between the read and the write. If a
 * worker is preempted between them while the other adds, one addition is lost: the title prints
 * a smaller total (and returns 1), but nothing deadlocks or faults, so `hexad explore` tells the
 * runs apart by their output (the stdout hash).
 *
 * Each worker sleeps before every addition. Written for the scheduler that ran slots one after
 * the other, where the unperturbed schedule passed ("lostupdate: OK"). Under guest-time order the
 * two workers, on two slots, run their windows at the same guest time, so the unperturbed run
 * loses 20 of 40 additions; seeds change how many (README, "Race titles and figures"). */
#include "hx/kernel.h"

#define ADDITIONS 20

static volatile uint32_t counter;
static volatile uint32_t sink;

/* Guest work: about six instructions an iteration. */
static void work(uint32_t iterations) {
  for (uint32_t i = 0; i < iterations; ++i) sink = sink + i;
}

static uint32_t worker(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(1);
  for (uint32_t i = 0; i < ADDITIONS; ++i) {
    KeDelayExecutionThread(UserMode, FALSE, &t);
    work(1900); /* about 11,500 instructions, then the read-modify-write */
    uint32_t v = counter;
    work(100); /* the window */
    counter = v + 1;
  }
  return 0;
}

int main(void) {
  HANDLE threads[2];
  ExCreateThread(&threads[0], 0, NULL, NULL, worker, NULL, 0);
  ExCreateThread(&threads[1], 0, NULL, NULL, worker, NULL, 0);
  NtWaitForMultipleObjectsEx(2, threads, WaitAll, UserMode, FALSE, NULL);
  DbgPrint("lostupdate: counter %u (want %u)\n", counter, 2 * ADDITIONS);
  DbgPrint("lostupdate: %s\n", counter == 2 * ADDITIONS ? "OK" : "MISMATCH");
  return counter == 2 * ADDITIONS ? 0 : 1;
}
