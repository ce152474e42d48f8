/* rotation: threads of equal priority on one slot share it by quantum rotation. Three CPU-bound
 * workers (tids 2, 3, 4, priority 8) are pinned to slot 3 before they start; none of them
 * blocks or yields. Each does ITERATIONS rounds of SPIN loop steps and, after each round,
 * calls KeGetCurrentProcessType (so its progress shows in the trace) and looks at the other
 * workers' progress: a worker that ran to completion before the others started would never see
 * them move. Each worker returns how many of its rounds saw another worker progress; main
 * checks that every worker saw the others progress, i.e. they took turns. */
#define TITLE "rotation"
#include "title_util.h"

#define WORKERS 3
#define ITERATIONS 400
#define SPIN 50

static volatile uint32_t progress[WORKERS], saw[WORKERS];

static uint32_t others(uint32_t self) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < WORKERS; ++i)
    if (i != self) sum += progress[i];
  return sum;
}

static uint32_t worker(void* ctx) {
  uint32_t self = (uint32_t)ctx, saw_others = 0, last = others(self);
  for (uint32_t n = 0; n < ITERATIONS; ++n) {
    for (volatile uint32_t i = 0; i < SPIN; ++i) {
    }
    progress[self] = n + 1;
    if (KeGetCurrentProcessType() != 1) return 0xBAD;
    uint32_t now = others(self);
    saw_others += now != last;
    last = now;
  }
  saw[self] = saw_others;
  return saw_others;
}

int main(void) {
  HANDLE threads[WORKERS];
  for (uint32_t i = 0; i < WORKERS; ++i) {
    ExCreateThread(&threads[i], 0, NULL, NULL, worker, (void*)i, HX_CREATE_SUSPENDED);
    KeSetAffinityThread((void*)threads[i], 1u << 3, NULL);
  }
  for (uint32_t i = 0; i < WORKERS; ++i) NtResumeThread(threads[i], NULL);
  expect("join the workers", NtWaitForMultipleObjectsEx(WORKERS, threads, WaitAll, UserMode, FALSE, NULL),
         STATUS_SUCCESS);
  for (uint32_t i = 0; i < WORKERS; ++i) {
    expect("worker finished its rounds", progress[i], ITERATIONS);
    DbgPrint("rotation: worker %u saw the others progress in %u of its rounds\n", i, saw[i]);
    expect("worker saw the others progress", saw[i] > 0, 1);
  }
  DbgPrint("rotation: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
