/* audit_stress: a title that never ends, for hexad-audit's benchmark (tools/bench-audit) and its
 * smoke test: the run stops at its --budget. Two ping-pong pairs alternate on synchronization
 * events, a producer and a consumer pass items through two semaphores under a mutant, and main
 * plays a frame loop: VdSwap of a 1280x720 front buffer (the swap count grows in the dump's gpu
 * section) and a 20 us delay. Every kind of wait, signal and wake the kernel traces recurs at a steady rate,
 * so the trace grows linearly with the budget. */
#include "hx/kernel.h"

static uint32_t swap_ring[64], fetch[6] = {0, 0x1F000000, (1280 - 1) | (720 - 1) << 13, 0, 0, 0};
static uint32_t frontbuffer = 0x1F000000, texture_format = 6, color_space, width = 1280, height = 720;
static uint32_t write_back, system_buffer[0x94 / 4], identifier;

static HANDLE ping[2], pong[2], sem_free, sem_filled, lock;
static volatile uint32_t items;

static uint32_t pinger(void* ctx) {
  uint32_t pair = (uint32_t)ctx;
  for (;;) {
    NtWaitForSingleObjectEx(ping[pair], UserMode, FALSE, NULL);
    NtSetEvent(pong[pair], NULL);
  }
  return 0;
}

static uint32_t ponger(void* ctx) {
  uint32_t pair = (uint32_t)ctx;
  for (;;) {
    NtWaitForSingleObjectEx(pong[pair], UserMode, FALSE, NULL);
    NtSetEvent(ping[pair], NULL);
  }
  return 0;
}

static uint32_t producer(void* ctx) {
  (void)ctx;
  for (;;) {
    NtWaitForSingleObjectEx(sem_free, UserMode, FALSE, NULL);
    NtWaitForSingleObjectEx(lock, UserMode, FALSE, NULL);
    ++items;
    NtReleaseMutant(lock, NULL);
    NtReleaseSemaphore(sem_filled, 1, NULL);
  }
  return 0;
}

static uint32_t consumer(void* ctx) {
  (void)ctx;
  for (;;) {
    NtWaitForSingleObjectEx(sem_filled, UserMode, FALSE, NULL);
    NtWaitForSingleObjectEx(lock, UserMode, FALSE, NULL);
    --items;
    NtReleaseMutant(lock, NULL);
    NtReleaseSemaphore(sem_free, 1, NULL);
  }
  return 0;
}

int main(void) {
  HANDLE t;
  for (uint32_t pair = 0; pair < 2; ++pair) {
    NtCreateEvent(&ping[pair], NULL, SynchronizationEvent, TRUE);
    NtCreateEvent(&pong[pair], NULL, SynchronizationEvent, FALSE);
    ExCreateThread(&t, 0, NULL, NULL, pinger, (void*)pair, 0);
    ExCreateThread(&t, 0, NULL, NULL, ponger, (void*)pair, 0);
  }
  NtCreateSemaphore(&sem_free, NULL, 4, 4);
  NtCreateSemaphore(&sem_filled, NULL, 0, 4);
  NtCreateMutant(&lock, NULL, FALSE);
  ExCreateThread(&t, 0, NULL, NULL, producer, NULL, 0);
  ExCreateThread(&t, 0, NULL, NULL, consumer, NULL, 0);
  DbgPrint("audit_stress: running until the budget\n");
  LARGE_INTEGER frame;
  frame.QuadPart = -200; /* 20 us */
  for (;;) {
    VdSwap(swap_ring, fetch, &write_back, system_buffer, &identifier, &frontbuffer, &texture_format, &color_space,
           &width, &height);
    KeDelayExecutionThread(UserMode, FALSE, &frame);
  }
  return 0;
}
