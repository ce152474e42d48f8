/* hexad guest SDK: critical sections, read/write locks, spinlocks and IRQL, interlocked
 * singly linked lists (src/kernel/xboxkrnl/exports/{critical_sections,rw_locks,spinlocks,slists}.cc).
 * Included by hx/kernel.h. Layouts are the console's (as xenia's sources give them). */
#ifndef HX_LOCKS_H
#define HX_LOCKS_H

#include "hx/import.h"
#include "hx/types.h"

/* --- critical sections -------------------------------------------------------------------- */
/* 28 bytes: the header is a synchronization event (Absolute = spin count / 256). */
typedef struct {
  DISPATCHER_HEADER Header;
  int32_t LockCount;      /* -1 free; +1 per Enter (recursive, owning or waiting) */
  int32_t RecursionCount;
  uint32_t OwningThread;  /* the owner's KTHREAD, 0 when free */
} RTL_CRITICAL_SECTION;

HX_IMPORT(xboxkrnl, 0x012E, RtlInitializeCriticalSection, void, (RTL_CRITICAL_SECTION* cs));
HX_IMPORT(xboxkrnl, 0x012F, RtlInitializeCriticalSectionAndSpinCount, NTSTATUS,
          (RTL_CRITICAL_SECTION* cs, DWORD spin_count));
HX_IMPORT(xboxkrnl, 0x0125, RtlEnterCriticalSection, void, (RTL_CRITICAL_SECTION* cs));
HX_IMPORT(xboxkrnl, 0x0141, RtlTryEnterCriticalSection, BOOLEAN, (RTL_CRITICAL_SECTION* cs));
HX_IMPORT(xboxkrnl, 0x0130, RtlLeaveCriticalSection, void, (RTL_CRITICAL_SECTION* cs));

/* --- read/write locks --------------------------------------------------------------------- */
/* 0x38 bytes. */
typedef struct {
  int32_t LockCount; /* -1 free; +1 per holder or waiter */
  uint32_t WritersWaitingCount;
  uint32_t ReadersWaitingCount;
  uint32_t ReadersEntryCount;
  KEVENT WriterEvent;
  KSEMAPHORE ReaderSemaphore;
  uint32_t SpinLock;
} ERWLOCK;

HX_IMPORT(xboxkrnl, 0x0011, ExInitializeReadWriteLock, void, (ERWLOCK* lock));
HX_IMPORT(xboxkrnl, 0x0007, ExAcquireReadWriteLockExclusive, void, (ERWLOCK* lock));
HX_IMPORT(xboxkrnl, 0x0008, ExAcquireReadWriteLockShared, void, (ERWLOCK* lock));
HX_IMPORT(xboxkrnl, 0x02DD, ExTryToAcquireReadWriteLockExclusive, BOOLEAN, (ERWLOCK* lock));
HX_IMPORT(xboxkrnl, 0x02DE, ExTryToAcquireReadWriteLockShared, BOOLEAN, (ERWLOCK* lock));
HX_IMPORT(xboxkrnl, 0x0016, ExReleaseReadWriteLock, void, (ERWLOCK* lock));

/* --- spinlocks and IRQL ------------------------------------------------------------------- */
typedef uint32_t KSPINLOCK; /* 0 free, else its holder */
typedef uint8_t KIRQL;
#define PASSIVE_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2

HX_IMPORT(xboxkrnl, 0x00B1, KfAcquireSpinLock, KIRQL, (KSPINLOCK* lock));
HX_IMPORT(xboxkrnl, 0x00B4, KfReleaseSpinLock, void, (KSPINLOCK* lock, KIRQL old_irql));
HX_IMPORT(xboxkrnl, 0x004D, KeAcquireSpinLockAtRaisedIrql, void, (KSPINLOCK* lock));
HX_IMPORT(xboxkrnl, 0x00AE, KeTryToAcquireSpinLockAtRaisedIrql, BOOLEAN, (KSPINLOCK* lock));
HX_IMPORT(xboxkrnl, 0x0089, KeReleaseSpinLockFromRaisedIrql, void, (KSPINLOCK* lock));
HX_IMPORT(xboxkrnl, 0x0085, KeRaiseIrqlToDpcLevel, KIRQL, (void));
HX_IMPORT(xboxkrnl, 0x00B2, KfRaiseIrql, KIRQL, (KIRQL new_irql));
HX_IMPORT(xboxkrnl, 0x00B3, KfLowerIrql, void, (KIRQL new_irql));
HX_IMPORT(xboxkrnl, 0x005F, KeEnterCriticalRegion, void, (void));
HX_IMPORT(xboxkrnl, 0x007D, KeLeaveCriticalRegion, void, (void));

/* --- interlocked singly linked lists ------------------------------------------------------ */
typedef struct SINGLE_LIST_ENTRY {
  uint32_t Next; /* the next entry's guest address */
} SINGLE_LIST_ENTRY;

/* 8 bytes. */
typedef struct {
  uint32_t Next;
  uint16_t Depth;
  uint16_t Sequence;
} SLIST_HEADER;

/* Each returns an entry's address (0 for none): the old first entry for push and flush. */
HX_IMPORT(xboxkrnl, 0x002D, InterlockedPushEntrySList, SINGLE_LIST_ENTRY*,
          (SLIST_HEADER* head, SINGLE_LIST_ENTRY* entry));
HX_IMPORT(xboxkrnl, 0x002C, InterlockedPopEntrySList, SINGLE_LIST_ENTRY*, (SLIST_HEADER* head));
HX_IMPORT(xboxkrnl, 0x002B, InterlockedFlushSList, SINGLE_LIST_ENTRY*, (SLIST_HEADER* head));

#endif
