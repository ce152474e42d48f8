/* prodcons: a bounded ring buffer guarded by two counting semaphores (free and filled slots)
 * and a mutant for the indices. Two producers put ITEMS values each, two consumers take ITEMS
 * values each. The consumers fold what they take into an order-independent checksum, compared
 * with the value computed here from the producers' formula. */
#include "hx/kernel.h"

#define SLOTS 8
#define ITEMS 2000
#define PRODUCERS 2
#define CONSUMERS 2

static HANDLE sem_free, sem_filled, lock;
static uint32_t ring[SLOTS];
static uint32_t head, tail; /* head: next write, tail: next read */
static uint32_t sums[CONSUMERS], mixes[CONSUMERS], taken[CONSUMERS];

static uint32_t item_value(uint32_t producer, uint32_t i) { return producer * 0x10000u + i * 7u + 1u; }

/* Order-independent: a sum and a sum of a per-value hash. */
static uint32_t mix(uint32_t v) {
  v ^= v >> 16;
  v *= 0x7feb352du;
  v ^= v >> 15;
  return v;
}

static uint32_t producer(void* ctx) {
  uint32_t p = (uint32_t)ctx, bad = 0;
  for (uint32_t i = 0; i < ITEMS; ++i) {
    if (NtWaitForSingleObjectEx(sem_free, UserMode, FALSE, NULL) != STATUS_SUCCESS) ++bad;
    if (NtWaitForSingleObjectEx(lock, UserMode, FALSE, NULL) != STATUS_SUCCESS) ++bad;
    ring[head % SLOTS] = item_value(p, i);
    ++head;
    if (NtReleaseMutant(lock, NULL) != STATUS_SUCCESS) ++bad;
    if (NtReleaseSemaphore(sem_filled, 1, NULL) != STATUS_SUCCESS) ++bad;
  }
  return bad;
}

static uint32_t consumer(void* ctx) {
  uint32_t c = (uint32_t)ctx, bad = 0;
  for (uint32_t i = 0; i < ITEMS; ++i) {
    if (NtWaitForSingleObjectEx(sem_filled, UserMode, FALSE, NULL) != STATUS_SUCCESS) ++bad;
    if (NtWaitForSingleObjectEx(lock, UserMode, FALSE, NULL) != STATUS_SUCCESS) ++bad;
    if (tail >= head) ++bad; /* the semaphores must never let a reader overtake the writers */
    uint32_t v = ring[tail % SLOTS];
    ++tail;
    if (NtReleaseMutant(lock, NULL) != STATUS_SUCCESS) ++bad;
    if (NtReleaseSemaphore(sem_free, 1, NULL) != STATUS_SUCCESS) ++bad;
    sums[c] += v;
    mixes[c] += mix(v);
    ++taken[c];
  }
  return bad;
}

int main(void) {
  HANDLE threads[PRODUCERS + CONSUMERS];
  NtCreateSemaphore(&sem_free, NULL, SLOTS, SLOTS);
  NtCreateSemaphore(&sem_filled, NULL, 0, SLOTS);
  NtCreateMutant(&lock, NULL, FALSE);
  for (uint32_t p = 0; p < PRODUCERS; ++p)
    ExCreateThread(&threads[p], 0, NULL, NULL, producer, (void*)p, 0);
  for (uint32_t c = 0; c < CONSUMERS; ++c)
    ExCreateThread(&threads[PRODUCERS + c], 0, NULL, NULL, consumer, (void*)c, 0);
  NTSTATUS st = NtWaitForMultipleObjectsEx(PRODUCERS + CONSUMERS, threads, WaitAll, UserMode, FALSE, NULL);

  uint32_t want_sum = 0, want_mix = 0, sum = 0, mixed = 0, count = 0;
  for (uint32_t p = 0; p < PRODUCERS; ++p)
    for (uint32_t i = 0; i < ITEMS; ++i) {
      want_sum += item_value(p, i);
      want_mix += mix(item_value(p, i));
    }
  for (uint32_t c = 0; c < CONSUMERS; ++c) {
    sum += sums[c];
    mixed += mixes[c];
    count += taken[c];
    DbgPrint("prodcons: consumer %u took %u\n", c, taken[c]);
  }
  DbgPrint("prodcons: wait status %x, items %u, head %u tail %u\n", st, count, head, tail);
  DbgPrint("prodcons: checksum %08x/%08x expected %08x/%08x\n", sum, mixed, want_sum, want_mix);
  int ok = st == STATUS_SUCCESS && count == PRODUCERS * ITEMS && sum == want_sum && mixed == want_mix &&
           head == tail && head == PRODUCERS * ITEMS;
  DbgPrint("prodcons: %s\n", ok ? "OK" : "MISMATCH");
  return ok ? 0 : 1;
}
