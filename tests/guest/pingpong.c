/* pingpong: two threads on different slots (affinity 1<<1 and 1<<2) alternate strictly on two
 * synchronization events, ROUNDS times each. Each side checks, after every wake, that the other
 * side has done exactly the expected number of turns; a thread's exit code is its count of
 * alternation violations. Main waits for both with one WaitAll and prints the counts. */
#include "hx/kernel.h"

#define ROUNDS 10000

static HANDLE ev_ping, ev_pong;
static volatile uint32_t pings, pongs;

static uint32_t ping_thread(void* ctx) {
  (void)ctx;
  uint32_t bad = 0;
  for (uint32_t i = 0; i < ROUNDS; ++i) {
    if (NtWaitForSingleObjectEx(ev_ping, UserMode, FALSE, NULL) != STATUS_SUCCESS) ++bad;
    if (pongs != i) ++bad;
    pings = i + 1;
    NtSetEvent(ev_pong, NULL);
  }
  return bad;
}

static uint32_t pong_thread(void* ctx) {
  (void)ctx;
  uint32_t bad = 0;
  for (uint32_t i = 0; i < ROUNDS; ++i) {
    if (NtWaitForSingleObjectEx(ev_pong, UserMode, FALSE, NULL) != STATUS_SUCCESS) ++bad;
    if (pings != i + 1) ++bad;
    pongs = i + 1;
    NtSetEvent(ev_ping, NULL);
  }
  return bad;
}

int main(void) {
  HANDLE threads[2];
  NtCreateEvent(&ev_ping, NULL, SynchronizationEvent, TRUE); /* ping goes first */
  NtCreateEvent(&ev_pong, NULL, SynchronizationEvent, FALSE);
  ExCreateThread(&threads[0], 0, NULL, NULL, ping_thread, NULL, HX_CREATE_SUSPENDED);
  ExCreateThread(&threads[1], 0, NULL, NULL, pong_thread, NULL, HX_CREATE_SUSPENDED);
  KeSetAffinityThread((void*)threads[0], 1u << 1, NULL);
  KeSetAffinityThread((void*)threads[1], 1u << 2, NULL);
  NtResumeThread(threads[0], NULL);
  NtResumeThread(threads[1], NULL);
  NTSTATUS st = NtWaitForMultipleObjectsEx(2, threads, WaitAll, UserMode, FALSE, NULL);
  DbgPrint("pingpong: wait status %x\n", st);
  DbgPrint("pingpong: pings %u pongs %u\n", pings, pongs);
  int ok = st == STATUS_SUCCESS && pings == ROUNDS && pongs == ROUNDS;
  DbgPrint("pingpong: %s\n", ok ? "OK" : "MISMATCH");
  return ok ? 0 : 1;
}
