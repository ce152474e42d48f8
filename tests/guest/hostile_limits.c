/* hostile_limits: a guest that pushes the kernel's limits gets NT statuses, never a host error.
 *   - 10,000 threads created, joined and closed one after another: every one is created (an
 *     exited thread's stack goes back to the kernel heap);
 *   - 100,000 objects created and closed; then events created until the kernel's object memory
 *     runs out: STATUS_INSUFFICIENT_RESOURCES, and ExCreateThread STATUS_NO_MEMORY;
 *   - wait counts 0 and 65 and an unknown wait type: STATUS_INVALID_PARAMETER; negative and
 *     inconsistent semaphore counts: STATUS_INVALID_PARAMETER, an overflowing release
 *     STATUS_SEMAPHORE_LIMIT_EXCEEDED;
 *   - a WaitAll naming an object twice: STATUS_INVALID_PARAMETER_MIX, nothing consumed; a WaitAny
 *     may name it twice (consumed once), also while blocked (tid 10002 waits on [event, event]);
 *   - KeSetAffinityThread with an empty mask: STATUS_INVALID_PARAMETER, affinity unchanged;
 *   - timeouts too long to represent never expire and do not move guest time: tid 10003 waits
 *     with a relative -0x7fffffffffffffff (woken by a set), tid 10004 delays INT64_MIN, tid 10005
 *     waits until absolute INT64_MAX, tid 10006 waits 10^15 x 100 ns (a representable deadline,
 *     about 3 years); the last three are still blocked when main returns.
 * Tids: 2..10001 the churn threads, then 10002.. as above. */
#define TITLE "hostile_limits"
#include "title_util.h"

#define THREADS 10000
#define OBJECTS 100000
#define MAX_EXTRA_EVENTS 60000

static HANDLE dup_event, far_event, never_event;
static volatile uint32_t dup_waiter_done;

static uint32_t returns_context(void* ctx) { return (uint32_t)ctx; }

static void thread_churn(void) {
  uint32_t made = 0, wrong_exit = 0;
  for (uint32_t i = 0; i < THREADS; ++i) {
    HANDLE h;
    NTSTATUS st = ExCreateThread(&h, 0, NULL, NULL, returns_context, (void*)i, 0);
    if (st != STATUS_SUCCESS) {
      expect("ExCreateThread in the churn", (uint32_t)st, STATUS_SUCCESS);
      break;
    }
    wrong_exit += NtWaitForSingleObjectEx(h, UserMode, FALSE, NULL) != STATUS_SUCCESS;
    wrong_exit += NtClose(h) != STATUS_SUCCESS;
    ++made;
  }
  expect("threads created, joined and closed", made, THREADS);
  expect("failed joins or closes", wrong_exit, 0);
}

static void object_churn(void) {
  uint32_t made = 0, failed_close = 0;
  for (uint32_t i = 0; i < OBJECTS; ++i) {
    HANDLE h;
    NTSTATUS st = i % 3 == 0   ? NtCreateEvent(&h, NULL, NotificationEvent, FALSE)
                  : i % 3 == 1 ? NtCreateSemaphore(&h, NULL, 0, 1)
                               : NtCreateMutant(&h, NULL, FALSE);
    if (st != STATUS_SUCCESS) {
      expect("create in the object churn", (uint32_t)st, STATUS_SUCCESS);
      break;
    }
    failed_close += NtClose(h) != STATUS_SUCCESS;
    ++made;
  }
  expect("objects created and closed", made, OBJECTS);
  expect("failed closes", failed_close, 0);
}

/* Runs after every other case: it uses up the kernel's object memory. */
static void exhaust_objects(void) {
  NTSTATUS st = STATUS_SUCCESS;
  uint32_t extra = 0;
  while (extra < MAX_EXTRA_EVENTS) {
    HANDLE h;
    st = NtCreateEvent(&h, NULL, NotificationEvent, FALSE);
    if (st != STATUS_SUCCESS) break;
    ++extra;
  }
  expect("events beyond the churn before running out (nonzero)", extra > 0 && extra < MAX_EXTRA_EVENTS, 1);
  expect("NtCreateEvent once object memory is used up", (uint32_t)st, STATUS_INSUFFICIENT_RESOURCES);
  HANDLE h = 0x1234;
  expect("NtCreateSemaphore then", (uint32_t)NtCreateSemaphore(&h, NULL, 0, 1), STATUS_INSUFFICIENT_RESOURCES);
  expect("NtCreateMutant then", (uint32_t)NtCreateMutant(&h, NULL, FALSE), STATUS_INSUFFICIENT_RESOURCES);
  expect("the handle out is left alone", h, 0x1234);
  expect("ExCreateThread then", (uint32_t)ExCreateThread(&h, 0, NULL, NULL, returns_context, NULL, 0),
         STATUS_NO_MEMORY);
  DbgPrint("hostile_limits: object memory ran out after %u more events\n", extra);
}

static void counts(void) {
  HANDLE hs[65];
  void* ptrs[65];
  KEVENT kev;
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  KeInitializeEvent(&kev, NotificationEvent, TRUE);
  NtCreateEvent(&hs[0], NULL, NotificationEvent, TRUE);
  for (int i = 1; i < 65; ++i) hs[i] = hs[0];
  for (int i = 0; i < 65; ++i) ptrs[i] = &kev;
  expect("NtWaitForMultipleObjectsEx of 0",
         (uint32_t)NtWaitForMultipleObjectsEx(0, hs, WaitAny, UserMode, FALSE, &zero), STATUS_INVALID_PARAMETER);
  expect("NtWaitForMultipleObjectsEx of 65",
         (uint32_t)NtWaitForMultipleObjectsEx(65, hs, WaitAny, UserMode, FALSE, &zero), STATUS_INVALID_PARAMETER);
  expect("NtWaitForMultipleObjectsEx of 64 (WaitAny, one object 64 times)",
         (uint32_t)NtWaitForMultipleObjectsEx(64, hs, WaitAny, UserMode, FALSE, &zero), STATUS_WAIT_0);
  expect("NtWaitForMultipleObjectsEx wait type 2",
         (uint32_t)NtWaitForMultipleObjectsEx(1, hs, 2, UserMode, FALSE, &zero), STATUS_INVALID_PARAMETER);
  expect("KeWaitForMultipleObjects of 0",
         (uint32_t)KeWaitForMultipleObjects(0, ptrs, WaitAny, Executive, KernelMode, FALSE, &zero, NULL),
         STATUS_INVALID_PARAMETER);
  expect("KeWaitForMultipleObjects of 65",
         (uint32_t)KeWaitForMultipleObjects(65, ptrs, WaitAny, Executive, KernelMode, FALSE, &zero, NULL),
         STATUS_INVALID_PARAMETER);
  expect("KeWaitForMultipleObjects WaitAll of one KEVENT twice",
         (uint32_t)KeWaitForMultipleObjects(2, ptrs, WaitAll, Executive, KernelMode, FALSE, &zero, NULL),
         STATUS_INVALID_PARAMETER_MIX);
  NtClose(hs[0]);

  HANDLE s = 0x1234;
  expect("NtCreateSemaphore initial -1", (uint32_t)NtCreateSemaphore(&s, NULL, -1, 1), STATUS_INVALID_PARAMETER);
  expect("NtCreateSemaphore maximum 0", (uint32_t)NtCreateSemaphore(&s, NULL, 0, 0), STATUS_INVALID_PARAMETER);
  expect("NtCreateSemaphore maximum -5", (uint32_t)NtCreateSemaphore(&s, NULL, 0, -5), STATUS_INVALID_PARAMETER);
  expect("NtCreateSemaphore initial above maximum", (uint32_t)NtCreateSemaphore(&s, NULL, 2, 1),
         STATUS_INVALID_PARAMETER);
  expect("the handle out is left alone", s, 0x1234);
  expect("NtCreateSemaphore 1 of 0x7fffffff", (uint32_t)NtCreateSemaphore(&s, NULL, 1, 0x7fffffff), STATUS_SUCCESS);
  LONG prev = 99;
  expect("NtReleaseSemaphore 0", (uint32_t)NtReleaseSemaphore(s, 0, &prev), STATUS_INVALID_PARAMETER);
  expect("NtReleaseSemaphore -1", (uint32_t)NtReleaseSemaphore(s, -1, &prev), STATUS_INVALID_PARAMETER);
  expect("NtReleaseSemaphore 0x7fffffff over 1", (uint32_t)NtReleaseSemaphore(s, 0x7fffffff, &prev),
         STATUS_SEMAPHORE_LIMIT_EXCEEDED);
  expect("previous count untouched by the failures", (uint32_t)prev, 99);

  /* Duplicates: a WaitAll may not name an object twice; a WaitAny may (it takes one count). */
  HANDLE pair[2] = {s, s};
  expect("WaitAll of the semaphore twice",
         (uint32_t)NtWaitForMultipleObjectsEx(2, pair, WaitAll, UserMode, FALSE, &zero), STATUS_INVALID_PARAMETER_MIX);
  expect("WaitAny of the semaphore twice",
         (uint32_t)NtWaitForMultipleObjectsEx(2, pair, WaitAny, UserMode, FALSE, &zero), STATUS_WAIT_0);
  expect("the semaphore is empty now", (uint32_t)poll(s), STATUS_TIMEOUT);
  expect("NtReleaseSemaphore 1", (uint32_t)NtReleaseSemaphore(s, 1, &prev), STATUS_SUCCESS);
  expect("count before the release (WaitAny took exactly one)", (uint32_t)prev, 0);
  NtClose(s);
}

/* Blocks in a WaitAny that names the same synchronization event twice. */
static uint32_t duplicate_waiter(void* ctx) {
  (void)ctx;
  HANDLE pair[2] = {dup_event, dup_event};
  NTSTATUS st = NtWaitForMultipleObjectsEx(2, pair, WaitAny, UserMode, FALSE, NULL);
  dup_waiter_done = 1;
  return (uint32_t)st;
}

static uint32_t huge_relative_wait(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  t.QuadPart = -0x7fffffffffffffffLL;
  return (uint32_t)NtWaitForSingleObjectEx(far_event, UserMode, FALSE, &t);
}

static uint32_t min_delay(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  t.QuadPart = (int64_t)0x8000000000000000ULL;
  return (uint32_t)KeDelayExecutionThread(UserMode, FALSE, &t);
}

static uint32_t max_absolute_wait(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  t.QuadPart = 0x7fffffffffffffffLL;
  return (uint32_t)NtWaitForSingleObjectEx(never_event, UserMode, FALSE, &t);
}

static uint32_t three_year_wait(void* ctx) {
  (void)ctx;
  LARGE_INTEGER t;
  t.QuadPart = -1000000000000000LL;
  return (uint32_t)NtWaitForSingleObjectEx(never_event, UserMode, FALSE, &t);
}

static HANDLE spawn(HX_THREAD_START start) {
  HANDLE h = 0;
  ExCreateThread(&h, 0, NULL, NULL, start, NULL, 0);
  return h;
}

int main(void) {
  thread_churn();
  object_churn();
  counts();

  /* A blocked WaitAny on [event, event]: one set wakes it once, and leaves no waiter behind. */
  NtCreateEvent(&dup_event, NULL, SynchronizationEvent, FALSE);
  HANDLE dup = spawn(duplicate_waiter);
  sleep_ms(1);
  expect("the duplicate waiter is blocked", dup_waiter_done, 0);
  expect("NtSetEvent wakes it", (uint32_t)NtSetEvent(dup_event, NULL), STATUS_SUCCESS);
  expect("join the duplicate waiter", (uint32_t)NtWaitForSingleObjectEx(dup, UserMode, FALSE, NULL), STATUS_SUCCESS);
  expect("its WaitAny returned STATUS_WAIT_0", dup_waiter_done, 1);
  expect("the wait consumed the event", (uint32_t)poll(dup_event), STATUS_TIMEOUT);
  NtSetEvent(dup_event, NULL);
  expect("a second set stays (no stale waiter took it)", (uint32_t)poll(dup_event), STATUS_SUCCESS);

  /* Affinity: an empty mask is refused and changes nothing. */
  DWORD previous = 0;
  expect("KeSetAffinityThread mask 0", (uint32_t)KeSetAffinityThread((void*)dup, 0, &previous),
         STATUS_INVALID_PARAMETER);
  expect("KeSetAffinityThread mask 0x40 (no such slot)", (uint32_t)KeSetAffinityThread((void*)dup, 0x40, &previous),
         STATUS_INVALID_PARAMETER);
  expect("previous untouched by the refusals", previous, 0);
  expect("KeSetAffinityThread mask 2", (uint32_t)KeSetAffinityThread((void*)dup, 2, &previous), STATUS_SUCCESS);
  expect("previous affinity (still all slots)", previous, 0x3F);
  NtClose(dup);

  /* Timeouts too long to represent. */
  LARGE_INTEGER before, after;
  NtCreateEvent(&far_event, NULL, NotificationEvent, FALSE);
  NtCreateEvent(&never_event, NULL, NotificationEvent, FALSE);
  HANDLE far = spawn(huge_relative_wait), delay = spawn(min_delay), abs_max = spawn(max_absolute_wait),
         three_years = spawn(three_year_wait);
  KeQuerySystemTime(&before);
  sleep_ms(2);
  KeQuerySystemTime(&after);
  uint32_t elapsed = (uint32_t)(after.QuadPart - before.QuadPart);
  expect("a 2 ms delay took 2 ms (guest time did not jump)", elapsed >= 20000 && elapsed < 30000, 1);
  expect("relative -0x7fffffffffffffff has not expired", (uint32_t)poll(far), STATUS_TIMEOUT);
  expect("KeDelayExecutionThread(INT64_MIN) has not returned", (uint32_t)poll(delay), STATUS_TIMEOUT);
  expect("absolute INT64_MAX has not expired", (uint32_t)poll(abs_max), STATUS_TIMEOUT);
  expect("relative 10^15 has not expired", (uint32_t)poll(three_years), STATUS_TIMEOUT);
  NtSetEvent(far_event, NULL);
  expect("the huge relative wait ends with the event", (uint32_t)NtWaitForSingleObjectEx(far, UserMode, FALSE, NULL),
         STATUS_SUCCESS);

  exhaust_objects();
  DbgPrint("hostile_limits: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
