/* lostwake_race: a lost wakeup that only some schedules show. A consumer checks for an item and, when
 * there is none, announces that it sleeps and waits on an auto-reset event; the producer posts an
 * item and sets the event only if the consumer announced it sleeps. The check and the
 * announcement are not atomic: if the consumer is preempted between them while the producer posts
 * (it sees nobody sleeping, so it sets nothing) and then waits for the consumer's
 * acknowledgement, the consumer announces, waits, and nobody ever wakes it. Both workers block
 * and the run deadlocks.
 *
 * The unperturbed schedule never preempts the consumer inside that window, so the title passes
 * (exit 0, "lostwake_race: OK"); `hexad explore` finds seeds that deadlock (README, "Exploring
 * schedules"). The work between hand-offs varies (a fixed LCG), so the two sides reach the race in
 * either order. */
#include "hx/kernel.h"

#define HANDOFFS 24

static HANDLE wake, ack;
static volatile uint32_t item;     /* the producer posted an item the consumer has not taken */
static volatile uint32_t sleeping; /* the consumer announced that it waits on `wake` */
static volatile uint32_t taken;
static volatile uint32_t sink;

/* Guest work: about six instructions an iteration. */
static void work(uint32_t iterations) {
  for (uint32_t i = 0; i < iterations; ++i) sink = sink + i;
}

static uint32_t lcg(uint32_t* s) {
  *s = *s * 1664525u + 1013904223u;
  return *s >> 16;
}

static uint32_t consumer(void* ctx) {
  (void)ctx;
  uint32_t s = 7;
  for (uint32_t i = 0; i < HANDOFFS; ++i) {
    work(1500 + lcg(&s) % 3000);
    if (!item) {
      work(60); /* preparing to sleep: the window the producer can slip into */
      sleeping = 1;
      NtWaitForSingleObjectEx(wake, UserMode, FALSE, NULL);
    }
    item = 0;
    taken = i + 1;
    NtSetEvent(ack, NULL);
  }
  return 0;
}

static uint32_t producer(void* ctx) {
  (void)ctx;
  uint32_t s = 11;
  for (uint32_t i = 0; i < HANDOFFS; ++i) {
    work(1500 + lcg(&s) % 3000);
    item = 1;
    if (sleeping) {
      sleeping = 0;
      NtSetEvent(wake, NULL);
    }
    NtWaitForSingleObjectEx(ack, UserMode, FALSE, NULL);
  }
  return 0;
}

int main(void) {
  HANDLE threads[2];
  NtCreateEvent(&wake, NULL, SynchronizationEvent, FALSE);
  NtCreateEvent(&ack, NULL, SynchronizationEvent, FALSE);
  ExCreateThread(&threads[0], 0, NULL, NULL, consumer, NULL, 0);
  ExCreateThread(&threads[1], 0, NULL, NULL, producer, NULL, 0);
  NTSTATUS st = NtWaitForMultipleObjectsEx(2, threads, WaitAll, UserMode, FALSE, NULL);
  DbgPrint("lostwake_race: wait status %x, %u of %u hand-offs\n", st, taken, HANDOFFS);
  int ok = st == STATUS_SUCCESS && taken == HANDOFFS;
  DbgPrint("lostwake_race: %s\n", ok ? "OK" : "MISMATCH");
  return ok ? 0 : 1;
}
