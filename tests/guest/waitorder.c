/* waitorder: waiters are woken in the order they began waiting in guest time, whatever their
 * slots. Five workers on slots 5, 4, 1, 3 and 2 spin for different lengths and then wait: first
 * on a semaphore (every other one with a one-object NtWaitForMultipleObjectsEx WaitAny), then on
 * a synchronization (auto-reset) event, each time in an order that is neither their creation
 * order nor their slot order. Main waits until all of them are blocked, then releases one at a
 * time; the woken worker records its id and acknowledges, so the recorded order is the wake
 * order. It must be the order of the spins (shortest first). */
#define TITLE "waitorder"
#include "title_util.h"

#define WORKERS 5

static HANDLE sem, sync_event, ack;
static volatile uint32_t sink;
static volatile uint32_t woken[2][WORKERS];
static volatile uint32_t woken_count[2];

static const DWORD slot_of[WORKERS] = {5, 4, 1, 3, 2};
/* Spin iterations before each wait (a few instructions each): thousands apart, so the order in
 * which the waits begin in guest time is that of the spins. */
static const uint32_t spin_before[2][WORKERS] = {{3000, 500, 6000, 1500, 4500}, {500, 4500, 6000, 1500, 3000}};
static const uint32_t want_order[2][WORKERS] = {{1, 3, 0, 4, 2}, {0, 3, 4, 1, 2}};

static void spin(uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) sink += i;
}

static void record(int phase, uint32_t id) {
  woken[phase][woken_count[phase]++] = id;
  NtSetEvent(ack, NULL);
}

static uint32_t worker(void* ctx) {
  uint32_t id = (uint32_t)(uintptr_t)ctx;
  spin(spin_before[0][id]);
  if (id % 2)
    NtWaitForMultipleObjectsEx(1, &sem, WaitAny, UserMode, FALSE, NULL);
  else
    NtWaitForSingleObjectEx(sem, UserMode, FALSE, NULL);
  record(0, id);
  spin(spin_before[1][id]);
  NtWaitForSingleObjectEx(sync_event, UserMode, FALSE, NULL);
  record(1, id);
  return 0;
}

int main(void) {
  HANDLE th[WORKERS];
  NtCreateSemaphore(&sem, NULL, 0, WORKERS);
  NtCreateEvent(&sync_event, NULL, SynchronizationEvent, FALSE);
  NtCreateEvent(&ack, NULL, SynchronizationEvent, FALSE);
  for (uint32_t i = 0; i < WORKERS; ++i) {
    ExCreateThread(&th[i], 0, NULL, NULL, worker, (void*)(uintptr_t)i, HX_CREATE_SUSPENDED);
    KeSetAffinityThread((void*)th[i], 1u << slot_of[i], NULL);
  }
  for (uint32_t i = 0; i < WORKERS; ++i) NtResumeThread(th[i], NULL);
  for (int phase = 0; phase < 2; ++phase) {
    sleep_ms(1); /* every worker is blocked by then (the longest spin is ~10 us) */
    for (uint32_t n = 0; n < WORKERS; ++n) {
      if (phase == 0)
        NtReleaseSemaphore(sem, 1, NULL);
      else
        NtSetEvent(sync_event, NULL);
      NtWaitForSingleObjectEx(ack, UserMode, FALSE, NULL);
    }
    expect(phase == 0 ? "semaphore wakes" : "event wakes", woken_count[phase], WORKERS);
    for (uint32_t n = 0; n < WORKERS; ++n) {
      static const char* const names[2][WORKERS] = {
          {"semaphore wake 1", "semaphore wake 2", "semaphore wake 3", "semaphore wake 4", "semaphore wake 5"},
          {"event wake 1", "event wake 2", "event wake 3", "event wake 4", "event wake 5"}};
      expect(names[phase][n], woken[phase][n], want_order[phase][n]);
    }
  }
  for (uint32_t i = 0; i < WORKERS; ++i) NtWaitForSingleObjectEx(th[i], UserMode, FALSE, NULL);
  DbgPrint("waitorder: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
