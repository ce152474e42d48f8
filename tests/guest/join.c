/* join: 8 worker threads with mixed base priorities (KeSetBasePriorityThread) and affinities
 * (KeSetAffinityThread, given the KTHREAD pointer for even workers and the handle for odd ones).
 * Each computes a small LCG walk whose length depends on its index and exits with a distinct
 * code (0x100 + index; odd workers through ExTerminateThread, even ones by returning). Main
 * waits for all 8 with one WaitAll and prints every result. */
#include "hx/kernel.h"

#define WORKERS 8

/* Increments over the process base priority 8 (docs/priorities.md): base priorities 0, 31, 8, 15, 4, 20, 12, 1. */
static const LONG kPriority[WORKERS] = {-8, 23, 0, 7, -4, 12, 4, -7};
static const DWORD kAffinity[WORKERS] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x06, 0x30};
static volatile uint32_t results[WORKERS];

static uint32_t walk(uint32_t index) {
  uint32_t x = 0x9E3779B9u ^ index;
  for (uint32_t i = 0; i < 2000u * (index + 1); ++i) x = x * 1664525u + 1013904223u;
  return x;
}

static uint32_t worker(void* ctx) {
  uint32_t index = (uint32_t)ctx;
  results[index] = walk(index);
  if (index & 1) ExTerminateThread(0x100 + index);
  return 0x100 + index;
}

int main(void) {
  HANDLE threads[WORKERS];
  for (uint32_t i = 0; i < WORKERS; ++i) {
    ExCreateThread(&threads[i], 0, NULL, NULL, worker, (void*)i, HX_CREATE_SUSPENDED);
    void* target = (void*)threads[i];
    if (!(i & 1)) ObReferenceObjectByHandle(threads[i], NULL, &target);
    KeSetBasePriorityThread(target, kPriority[i]);
    DWORD previous = 0;
    KeSetAffinityThread(target, kAffinity[i], &previous);
    if (previous != 0x3F) DbgPrint("join: worker %u previous affinity %x\n", i, previous);
    if (!(i & 1)) ObDereferenceObject(target);
  }
  for (uint32_t i = 0; i < WORKERS; ++i) NtResumeThread(threads[i], NULL);
  NTSTATUS st = NtWaitForMultipleObjectsEx(WORKERS, threads, WaitAll, UserMode, FALSE, NULL);
  DbgPrint("join: wait status %x\n", st);
  int bad = st != STATUS_SUCCESS;
  for (uint32_t i = 0; i < WORKERS; ++i) {
    uint32_t want = walk(i);
    DbgPrint("join: worker %u result %08x %s\n", i, results[i], results[i] == want ? "ok" : "MISMATCH");
    bad += results[i] != want;
  }
  DbgPrint("join: %s\n", bad ? "MISMATCH" : "OK");
  return bad;
}
