/* bands: a priority-13 spinner and a priority-6 worker share slot 5, where `console` and `aging`
 * decide differently. The worker sleeps 2 ms, then runs WORK_ITERATIONS iterations reading the
 * timebase (mftb, 50 MHz) each time, and sets the event main waits on. It reports the tick it fell
 * asleep at, the tick it started working at (its wake is 100,000 ticks after falling asleep) and
 * the longest gap between two of its timebase reads (the longest time it was kept off the slot).
 *   aging:   it wakes with no age (age is time spent Ready), waits 7 rounds to tie the spinner's
 *            13 (the tie goes to the thread Ready longer), then takes one quantum in eight: it
 *            starts 7-8 quanta after waking and is kept off the slot 7 quanta at a time;
 *   aging --aging-stamp legacy: its sleep counted as age, it takes the slot within a quantum of
 *            waking;
 *   console: priority 6 is in the console's background band, admitted only inside the background
 *            window (1 ms every 16 ms), where 13 is locked out: it waits for the next window
 *            (tick 800,000, 16 ms), then runs to the end without a gap;
 *   fair:    it alternates with the spinner every quantum;
 *   strict:  it never runs (the run ends at its budget).
 * README "Scheduling policies" documents these outcomes; tests/guest/check_title.py asserts them. */
#include "hx/kernel.h"

#define WORK_ITERATIONS 8000u

static HANDLE ev_done;
static volatile uint32_t spins;
static volatile uint32_t slept_at, work_start, work_end, longest_gap;

static inline uint32_t timebase(void) {
  uint32_t t;
  __asm__ volatile("mftb %0" : "=r"(t));
  return t;
}

static uint32_t spinner(void* ctx) {
  (void)ctx;
  for (;;) ++spins;
  return 0;
}

static uint32_t worker(void* ctx) {
  (void)ctx;
  LARGE_INTEGER two_ms;
  two_ms.QuadPart = HX_RELATIVE_MS(2);
  slept_at = timebase();
  KeDelayExecutionThread(UserMode, FALSE, &two_ms);
  uint32_t prev = timebase(), gap = 0;
  work_start = prev;
  for (uint32_t i = 0; i < WORK_ITERATIONS; ++i) {
    uint32_t now = timebase();
    if (now - prev > gap) gap = now - prev;
    prev = now;
  }
  work_end = prev;
  longest_gap = gap;
  NtSetEvent(ev_done, NULL);
  return 0;
}

int main(void) {
  HANDLE hspin, hwork;
  NtCreateEvent(&ev_done, NULL, NotificationEvent, FALSE);
  ExCreateThread(&hspin, 0, NULL, NULL, spinner, NULL, HX_CREATE_SUSPENDED);
  ExCreateThread(&hwork, 0, NULL, NULL, worker, NULL, HX_CREATE_SUSPENDED);
  KeSetAffinityThread((void*)hspin, 1u << 5, NULL);
  KeSetAffinityThread((void*)hwork, 1u << 5, NULL);
  KeSetBasePriorityThread((void*)hspin, 5);  /* increments over 8: base priorities 13 and 6 */
  KeSetBasePriorityThread((void*)hwork, -2);
  NtResumeThread(hspin, NULL);
  NtResumeThread(hwork, NULL);
  NTSTATUS st = NtWaitForSingleObjectEx(ev_done, UserMode, FALSE, NULL);
  DbgPrint("bands: worker slept at tick %u, started at tick %u, ran %u iterations in %u ticks, longest gap %u ticks\n",
           slept_at, work_start, WORK_ITERATIONS, work_end - work_start, longest_gap);
  DbgPrint("bands: wait status %x, spinner ran %s\n", st, spins ? "yes" : "no");
  return st;
}
