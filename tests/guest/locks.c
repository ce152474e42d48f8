/* locks: critical sections, read/write locks, spinlocks and IRQL, interlocked SLists on the
 * console's structures (README "Locks"). Every check prints "locks: what = got (want want) ok".
 *   - a critical section: recursion (LockCount/RecursionCount/OwningThread in guest memory),
 *     TryEnter, the spin count byte, and contention: three workers block in Enter while main
 *     holds it (real waits: LockCount 3), then each takes it in turn around a racy increment;
 *   - leaving a section nobody owns does what the console does (the counts go below free);
 *   - a read/write lock: two readers share it, a writer waits for them, a reader that comes
 *     after the waiting writer queues behind it; Try* calls;
 *   - spinlocks: IRQL raised and restored, contention between two threads (the second spins
 *     until the first releases), a spinlock held across a block and across quanta (hazards);
 *   - SLists: LIFO order, Depth and Sequence, flush, pop of an empty list. */
#define TITLE "locks"
#include "title_util.h"

#define WORKERS 3
#define ROUNDS 200

static RTL_CRITICAL_SECTION cs, stray;
static volatile uint32_t counter;
static volatile uint32_t try_failed;

static uint32_t cs_worker(void* ctx) {
  uint32_t bad = 0;
  (void)ctx;
  if (RtlTryEnterCriticalSection(&cs)) bad |= 1; /* main holds it */
  else try_failed++;
  for (int i = 0; i < ROUNDS; ++i) {
    RtlEnterCriticalSection(&cs);
    uint32_t v = counter;
    NtYieldExecution(); /* the others run here and find the section taken */
    counter = v + 1;
    RtlLeaveCriticalSection(&cs);
  }
  return bad;
}

static void critical_sections(void) {
  RtlInitializeCriticalSection(&cs);
  expect("section header type (synchronization event)", cs.Header.Type, HX_OBJ_SYNCHRONIZATION_EVENT);
  expect("free LockCount", (uint32_t)cs.LockCount, 0xFFFFFFFF);
  RtlEnterCriticalSection(&cs);
  uint32_t me = cs.OwningThread;
  expect("owner set", me != 0, 1);
  RtlEnterCriticalSection(&cs);
  expect("TryEnter by the owner", RtlTryEnterCriticalSection(&cs), 1);
  expect("recursion 3: RecursionCount", (uint32_t)cs.RecursionCount, 3);
  expect("recursion 3: LockCount", (uint32_t)cs.LockCount, 2);
  RtlLeaveCriticalSection(&cs);
  RtlLeaveCriticalSection(&cs);
  expect("still owned after two leaves", cs.OwningThread, me);
  RtlLeaveCriticalSection(&cs);
  expect("free after the last leave: owner", cs.OwningThread, 0);
  expect("free after the last leave: LockCount", (uint32_t)cs.LockCount, 0xFFFFFFFF);

  expect("AndSpinCount status", (uint32_t)RtlInitializeCriticalSectionAndSpinCount(&stray, 4000), 0);
  expect("spin count / 256 rounded up", stray.Header.Absolute, 16);
  /* Leaving a section nobody owns: the console's arithmetic, no check. */
  RtlLeaveCriticalSection(&stray);
  expect("unowned leave: RecursionCount", (uint32_t)stray.RecursionCount, 0xFFFFFFFF);
  expect("unowned leave: LockCount", (uint32_t)stray.LockCount, 0xFFFFFFFE);
  expect("unowned leave: TryEnter fails", RtlTryEnterCriticalSection(&stray), 0);

  /* Contention: the workers block while main holds the section. */
  RtlEnterCriticalSection(&cs);
  HANDLE workers[WORKERS];
  for (int i = 0; i < WORKERS; ++i) ExCreateThread(&workers[i], 0, NULL, NULL, cs_worker, NULL, 0);
  sleep_ms(2);
  expect("three waiters: LockCount", (uint32_t)cs.LockCount, WORKERS);
  expect("TryEnter failed in every worker", try_failed, WORKERS);
  RtlLeaveCriticalSection(&cs);
  NtWaitForMultipleObjectsEx(WORKERS, workers, 0 /* WaitAll */, UserMode, FALSE, NULL);
  expect("increments under the section", counter, WORKERS * ROUNDS);
  expect("free at the end", (uint32_t)cs.LockCount, 0xFFFFFFFF);
  for (int i = 0; i < WORKERS; ++i) NtClose(workers[i]);
}

/* --- read/write locks -------------------------------------------------------------------- */
static ERWLOCK rw;
static volatile uint32_t order[8], order_n;

static void note(uint32_t who) { order[order_n++] = who; }

static uint32_t reader(void* ctx) {
  ExAcquireReadWriteLockShared(&rw);
  note((uint32_t)ctx);
  sleep_ms(1);
  ExReleaseReadWriteLock(&rw);
  return 0;
}

static uint32_t writer(void* ctx) {
  ExAcquireReadWriteLockExclusive(&rw);
  note((uint32_t)ctx);
  sleep_ms(1);
  ExReleaseReadWriteLock(&rw);
  return 0;
}

static void rw_locks(void) {
  ExInitializeReadWriteLock(&rw);
  expect("rw free LockCount", (uint32_t)rw.LockCount, 0xFFFFFFFF);
  expect("TryExclusive on a free lock", ExTryToAcquireReadWriteLockExclusive(&rw), 1);
  expect("TryShared while held exclusively", ExTryToAcquireReadWriteLockShared(&rw), 0);
  ExReleaseReadWriteLock(&rw);
  expect("TryShared on a free lock", ExTryToAcquireReadWriteLockShared(&rw), 1);
  expect("a second TryShared", ExTryToAcquireReadWriteLockShared(&rw), 1);
  expect("two readers inside", rw.ReadersEntryCount, 2);
  expect("TryExclusive while read", ExTryToAcquireReadWriteLockExclusive(&rw), 0);
  /* A writer arrives while two readers are inside: it waits; a third reader queues behind it. */
  HANDLE t[2];
  ExCreateThread(&t[0], 0, NULL, NULL, writer, (void*)10, 0);
  sleep_ms(1);
  expect("writer waiting", rw.WritersWaitingCount, 1);
  ExCreateThread(&t[1], 0, NULL, NULL, reader, (void*)20, 0);
  sleep_ms(1);
  expect("reader queued behind the writer", rw.ReadersWaitingCount, 1);
  expect("LockCount: 2 readers + 2 waiters - 1", (uint32_t)rw.LockCount, 3);
  ExReleaseReadWriteLock(&rw);
  expect("the writer still waits for the last reader", order_n, 0);
  ExReleaseReadWriteLock(&rw); /* the last reader out hands it to the writer */
  NtWaitForMultipleObjectsEx(2, t, 0, UserMode, FALSE, NULL);
  expect("writer first", order[0], 10);
  expect("then the queued reader", order[1], 20);
  expect("rw free at the end", (uint32_t)rw.LockCount, 0xFFFFFFFF);
  NtClose(t[0]);
  NtClose(t[1]);
}

/* --- spinlocks -------------------------------------------------------------------------- */
static KSPINLOCK spin, spin2;
static volatile uint32_t spin_held, spin_done;

static uint32_t spin_holder(void* ctx) {
  (void)ctx;
  KIRQL old = KfAcquireSpinLock(&spin);
  spin_held = 1;
  for (volatile int i = 0; i < 20000; ++i) {
  } /* long enough for a quantum to end: a hazard */
  spin_done = 1;
  KfReleaseSpinLock(&spin, old);
  /* Held across a block: a hazard too. */
  KeAcquireSpinLockAtRaisedIrql(&spin);
  sleep_ms(1);
  KeReleaseSpinLockFromRaisedIrql(&spin);
  return old;
}

static void spinlocks(void) {
  KIRQL old = KfAcquireSpinLock(&spin);
  expect("old IRQL passive", old, PASSIVE_LEVEL);
  expect("lock word names the holder", spin != 0, 1);
  expect("KeRaiseIrqlToDpcLevel at DPC", KeRaiseIrqlToDpcLevel(), DISPATCH_LEVEL);
  expect("TryToAcquire a second, free lock", KeTryToAcquireSpinLockAtRaisedIrql(&spin2), 1);
  KeReleaseSpinLockFromRaisedIrql(&spin2);
  KfReleaseSpinLock(&spin, old);
  expect("lock word cleared", spin, 0);
  expect("KfRaiseIrql returns the old IRQL", KfRaiseIrql(APC_LEVEL), PASSIVE_LEVEL);
  KfLowerIrql(PASSIVE_LEVEL);
  KeEnterCriticalRegion();
  KeLeaveCriticalRegion();

  HANDLE h;
  ExCreateThread(&h, 0, NULL, NULL, spin_holder, NULL, 0);
  while (!spin_held) NtYieldExecution();
  old = KfAcquireSpinLock(&spin); /* spins until the holder releases it */
  expect("acquired only after the holder released it", spin_done, 1);
  KfReleaseSpinLock(&spin, old);
  NtWaitForSingleObjectEx(h, UserMode, FALSE, NULL);
  NtClose(h);
}

/* --- SLists ------------------------------------------------------------------------------ */
static SLIST_HEADER list;
static SINGLE_LIST_ENTRY items[3];

static void slists(void) {
  expect("push onto empty returns 0", (uint32_t)InterlockedPushEntrySList(&list, &items[0]), 0);
  expect("push returns the old first", (uint32_t)InterlockedPushEntrySList(&list, &items[1]), (uint32_t)&items[0]);
  InterlockedPushEntrySList(&list, &items[2]);
  expect("depth 3", list.Depth, 3);
  expect("sequence 3", list.Sequence, 3);
  expect("entries linked", items[2].Next, (uint32_t)&items[1]);
  expect("pop LIFO", (uint32_t)InterlockedPopEntrySList(&list), (uint32_t)&items[2]);
  expect("depth 2 after pop", list.Depth, 2);
  expect("sequence kept by pop", list.Sequence, 3);
  expect("flush returns the chain", (uint32_t)InterlockedFlushSList(&list), (uint32_t)&items[1]);
  expect("flushed: empty", list.Next, 0);
  expect("flushed: depth", list.Depth, 0);
  expect("pop of an empty list", (uint32_t)InterlockedPopEntrySList(&list), 0);
}

int main(void) {
  critical_sections();
  rw_locks();
  spinlocks();
  slists();
  DbgPrint("locks: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
