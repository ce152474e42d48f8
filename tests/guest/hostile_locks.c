/* hostile_locks: bad arguments to the lock exports (critical sections, read/write locks,
 * spinlocks and IRQL, SLists). Where the console's kernel dereferences the pointer, the caller
 * faults (a memory fault at that address) and the structure is unchanged; where the console
 * would spin on itself or bug check (a spinlock it already holds, raising the IRQL below or
 * lowering it above the current one), the caller faults with a trap at its call. Each case runs
 * in its own thread; main joins it with a 1 ms timeout, which expires (a faulted thread's
 * handle is never signaled), and checks that the call never returned. */
#define TITLE "hostile_locks"
#include "title_util.h"

#define BAD 0x00001000u      /* unmapped */
#define BAD_HIGH 0xDEAD0000u /* unmapped */

static volatile uint32_t returned;
static RTL_CRITICAL_SECTION cs;
static SLIST_HEADER list;
static SINGLE_LIST_ENTRY entry, bad_link;
static KSPINLOCK spin;

static void c_cs_init_null(void) { RtlInitializeCriticalSection(NULL); }
static void c_cs_spin_init_bad(void) { RtlInitializeCriticalSectionAndSpinCount((RTL_CRITICAL_SECTION*)BAD_HIGH, 1); }
static void c_cs_enter_null(void) { RtlEnterCriticalSection(NULL); }
static void c_cs_enter_bad(void) { RtlEnterCriticalSection((RTL_CRITICAL_SECTION*)BAD_HIGH); }
static void c_cs_try_bad(void) { RtlTryEnterCriticalSection((RTL_CRITICAL_SECTION*)BAD); }
static void c_cs_leave_null(void) { RtlLeaveCriticalSection(NULL); }
static void c_rw_init_null(void) { ExInitializeReadWriteLock(NULL); }
static void c_rw_exclusive_bad(void) { ExAcquireReadWriteLockExclusive((ERWLOCK*)BAD_HIGH); }
static void c_rw_shared_null(void) { ExAcquireReadWriteLockShared(NULL); }
static void c_rw_try_exclusive_bad(void) { ExTryToAcquireReadWriteLockExclusive((ERWLOCK*)BAD); }
static void c_rw_try_shared_bad(void) { ExTryToAcquireReadWriteLockShared((ERWLOCK*)BAD); }
static void c_rw_release_null(void) { ExReleaseReadWriteLock(NULL); }
static void c_slist_push_head_null(void) { InterlockedPushEntrySList(NULL, &entry); }
static void c_slist_push_entry_null(void) { InterlockedPushEntrySList(&list, NULL); }
static void c_slist_push_entry_bad(void) { InterlockedPushEntrySList(&list, (SINGLE_LIST_ENTRY*)BAD_HIGH); }
static void c_slist_pop_bad(void) { InterlockedPopEntrySList((SLIST_HEADER*)BAD_HIGH); }
static void c_slist_pop_bad_link(void) { InterlockedPopEntrySList(&list); } /* its first entry is unmapped */
static void c_slist_flush_null(void) { InterlockedFlushSList(NULL); }
static void c_spin_acquire_null(void) { KfAcquireSpinLock(NULL); }
static void c_spin_release_bad(void) { KfReleaseSpinLock((KSPINLOCK*)BAD_HIGH, 0); }
static void c_spin_raised_null(void) { KeAcquireSpinLockAtRaisedIrql(NULL); }
static void c_spin_try_bad(void) { KeTryToAcquireSpinLockAtRaisedIrql((KSPINLOCK*)BAD); }
static void c_spin_release_raised_null(void) { KeReleaseSpinLockFromRaisedIrql(NULL); }
static void c_spin_twice(void) {
  KfAcquireSpinLock(&spin);
  KfAcquireSpinLock(&spin);
}
static void c_irql_raise_lower(void) {
  KfRaiseIrql(DISPATCH_LEVEL);
  KfRaiseIrql(APC_LEVEL);
}
static void c_irql_lower_higher(void) { KfLowerIrql(APC_LEVEL); }

typedef struct {
  const char* name;
  void (*call)(void);
  uint32_t address;
  const char* access; /* "read"/"write": a memory fault at address; "trap": a trap */
} Case;

static const Case kCases[] = {
    {"RtlInitializeCriticalSection NULL", c_cs_init_null, 0, "write"},
    {"RtlInitializeCriticalSectionAndSpinCount unmapped", c_cs_spin_init_bad, BAD_HIGH, "write"},
    {"RtlEnterCriticalSection NULL", c_cs_enter_null, 0, "write"},
    {"RtlEnterCriticalSection unmapped", c_cs_enter_bad, BAD_HIGH, "write"},
    {"RtlTryEnterCriticalSection unmapped", c_cs_try_bad, BAD, "write"},
    {"RtlLeaveCriticalSection NULL", c_cs_leave_null, 0, "write"},
    {"ExInitializeReadWriteLock NULL", c_rw_init_null, 0, "write"},
    {"ExAcquireReadWriteLockExclusive unmapped", c_rw_exclusive_bad, BAD_HIGH, "write"},
    {"ExAcquireReadWriteLockShared NULL", c_rw_shared_null, 0, "write"},
    {"ExTryToAcquireReadWriteLockExclusive unmapped", c_rw_try_exclusive_bad, BAD, "write"},
    {"ExTryToAcquireReadWriteLockShared unmapped", c_rw_try_shared_bad, BAD, "write"},
    {"ExReleaseReadWriteLock NULL", c_rw_release_null, 0, "write"},
    {"InterlockedPushEntrySList head NULL", c_slist_push_head_null, 0, "write"},
    {"InterlockedPushEntrySList entry NULL", c_slist_push_entry_null, 0, "write"},
    {"InterlockedPushEntrySList entry unmapped", c_slist_push_entry_bad, BAD_HIGH, "write"},
    {"InterlockedPopEntrySList unmapped", c_slist_pop_bad, BAD_HIGH, "write"},
    {"InterlockedPopEntrySList unmapped first entry", c_slist_pop_bad_link, BAD, "read"},
    {"InterlockedFlushSList NULL", c_slist_flush_null, 0, "write"},
    {"KfAcquireSpinLock NULL", c_spin_acquire_null, 0, "write"},
    {"KfReleaseSpinLock unmapped", c_spin_release_bad, BAD_HIGH, "write"},
    {"KeAcquireSpinLockAtRaisedIrql NULL", c_spin_raised_null, 0, "write"},
    {"KeTryToAcquireSpinLockAtRaisedIrql unmapped", c_spin_try_bad, BAD, "write"},
    {"KeReleaseSpinLockFromRaisedIrql NULL", c_spin_release_raised_null, 0, "write"},
    {"KfAcquireSpinLock held by the caller", c_spin_twice, 0, "trap"},
    {"KfRaiseIrql below the current IRQL", c_irql_raise_lower, 0, "trap"},
    {"KfLowerIrql above the current IRQL", c_irql_lower_higher, 0, "trap"},
};
#define CASES (sizeof kCases / sizeof kCases[0])

static uint32_t run_case(void* ctx) {
  kCases[(uint32_t)ctx].call();
  returned = 1;
  return 0;
}

int main(void) {
  RtlInitializeCriticalSection(&cs);
  list.Next = (uint32_t)&bad_link;
  list.Depth = 1;
  bad_link.Next = 0;
  for (uint32_t i = 0; i < CASES; ++i) {
    HANDLE h;
    DWORD tid = 0;
    returned = 0;
    /* The pop of an unmapped first entry needs the list to start there. */
    if (kCases[i].call == c_slist_pop_bad_link) list.Next = BAD;
    ExCreateThread(&h, 0, &tid, NULL, run_case, (void*)i, 0);
    DbgPrint("hostile_locks: case %s: tid %u faults %s at %x\n", kCases[i].name, tid, kCases[i].access,
             kCases[i].address);
    LARGE_INTEGER t;
    t.QuadPart = HX_RELATIVE_MS(1);
    expect("its join returns (a faulted thread is signaled, as an exited one)", (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, &t),
           STATUS_WAIT_0);
    expect("the call never returned", returned, 0);
    NtClose(h);
    if (kCases[i].call == c_slist_pop_bad_link) {
      expect("the list is unchanged by the faulting pop", list.Next, BAD);
      expect("its depth too", list.Depth, 1);
      list.Next = (uint32_t)&bad_link;
    }
  }
  /* Nothing changed: the section is still free, the list still holds its one entry. */
  expect("the section is still free", (uint32_t)cs.LockCount, 0xFFFFFFFF);
  expect("the list head is unchanged", list.Next, (uint32_t)&bad_link);
  expect("the entry was not linked", entry.Next, 0);
  expect("the self-deadlocked spinlock stays held by its faulted thread", spin != 0, 1);
  DbgPrint("hostile_locks: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
