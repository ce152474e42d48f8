// Executive read/write locks: ERWLOCK in guest memory with the console's layout, waits on the
// event and semaphore embedded in it (ordinary dispatcher objects, so blocked readers and
// writers show in the wedge map as waiting on them).
//
// Layout (xenia-canary src/xenia/kernel/xboxkrnl/xboxkrnl_threading.cc, X_ERWLOCK, 0x38 bytes,
// after Cxbx-Reloaded's xboxkrnl.h): LockCount at 0x0 (-1 free; +1 per holder or waiter),
// WritersWaitingCount 0x4, ReadersWaitingCount 0x8, ReadersEntryCount 0xC (readers inside),
// WriterEvent (KEVENT, synchronization) at 0x10, ReaderSemaphore (KSEMAPHORE, limit
// 0x7FFFFFFF) at 0x20, a KSPINLOCK at 0x34 guarding the counts (no other guest thread runs
// during a kernel call, so hexad never needs to take it; it is left 0).
//
// Algorithm: the Xbox kernel's, as Cxbx-Reloaded and xenia-canary give it. A releasing writer
// hands the lock to every waiting reader at once (ReadersEntryCount = ReadersWaitingCount, the
// semaphore released by that many) or else to one waiting writer (the event); the last reader
// out hands it to a waiting writer. Readers queue behind a waiting writer. Only a reader's
// release lowers ReadersEntryCount (xenia-canary notes the deadlock an unconditional decrement
// caused). A lock the title never initialised is read as it lies in memory, as on the console.
#include <algorithm>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

constexpr uint32_t kLockSize = 0x38;
constexpr uint32_t kLockCount = 0x0, kWritersWaiting = 0x4, kReadersWaiting = 0x8, kReadersEntry = 0xC;
constexpr uint32_t kWriterEvent = 0x10, kReaderSemaphore = 0x20, kSpinLock = 0x34;
constexpr uint32_t kSemaphoreLimitOffset = 0x10;  // KSEMAPHORE.Limit, after its header
constexpr int32_t kReaderSemaphoreLimit = 0x7FFFFFFF;

struct LockFields {
  int32_t lock_count = -1;
  uint32_t writers_waiting = 0, readers_waiting = 0, readers_entry = 0;
};

LockFields load(cpu::Memory& mem, uint32_t l) {
  return {int32_t(mem.read32(l + kLockCount)), mem.read32(l + kWritersWaiting), mem.read32(l + kReadersWaiting),
          mem.read32(l + kReadersEntry)};
}

void store(cpu::Memory& mem, uint32_t l, const LockFields& f) {
  mem.write32(l + kLockCount, uint32_t(f.lock_count));
  mem.write32(l + kWritersWaiting, f.writers_waiting);
  mem.write32(l + kReadersWaiting, f.readers_waiting);
  mem.write32(l + kReadersEntry, f.readers_entry);
}

// The lock at `lock`; faults the caller unless all 0x38 bytes are writable.
uint32_t lock_at(GuestPtr<void> lock) {
  lock.probe(kLockSize, cpu::Access::Write);
  return lock.addr();
}

// The embedded event or semaphore at `addr`; nullptr when the title left no dispatcher header
// there (an uninitialised lock): the caller then behaves as if nobody could ever wake it.
KernelObject* embedded(ExportContext& x, uint32_t addr) {
  KernelObject* o = x.k.objects().by_address(addr);
  if (o) x.k.name_object(*o, x.name);
  return o;
}

// Waits on the embedded object forever (a writer on the event, a reader on the semaphore).
StatusOrBlocked wait_for_handoff(ExportContext& x, uint32_t addr) {
  KernelObject* o = embedded(x, addr);
  if (!o) return kStatusInvalidParameter;
  KernelObject* const objects[] = {o};
  return x.k.waits().begin(x.t, objects, false, std::nullopt, false, std::nullopt);
}

// (Re)creates the embedded object at `addr` with `type`, `state` and `limit`, header written.
void init_embedded(ExportContext& x, uint32_t addr, ObjectType type, int32_t state, int32_t limit) {
  KernelObject* o = x.k.objects().by_handle_or_address(addr);
  if (!o || o->handle) o = &x.k.objects().create(type, false);
  o->type = type;
  o->guest_addr = addr;
  o->signal_state = state;
  o->limit = limit;
  x.k.name_object(*o, x.name);
  x.k.objects().init_guest_header(*o);
  if (type == ObjectType::Semaphore) x.mem().write32(addr + kSemaphoreLimitOffset, uint32_t(limit));
}

HEXAD_EXPORTS_BEGIN;

// Void on the console, 0 in r3 here.
uint32_t ExInitializeReadWriteLock(ExportContext& x, GuestPtr<void> lock) {
  const uint32_t l = lock_at(lock);
  store(x.mem(), l, LockFields{});
  init_embedded(x, l + kWriterEvent, ObjectType::SynchronizationEvent, 0, 0);
  init_embedded(x, l + kReaderSemaphore, ObjectType::Semaphore, 0, kReaderSemaphoreLimit);
  x.mem().write32(l + kSpinLock, 0);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0011, ExInitializeReadWriteLock, Implemented);

// Void on the console; 0 in r3 here when it returns at once, else the wait's status on wake.
StatusOrBlocked ExAcquireReadWriteLockExclusive(ExportContext& x, GuestPtr<void> lock) {
  const uint32_t l = lock_at(lock);
  LockFields f = load(x.mem(), l);
  if (++f.lock_count == 0) {
    store(x.mem(), l, f);
    return 0;
  }
  ++f.writers_waiting;
  store(x.mem(), l, f);
  return wait_for_handoff(x, l + kWriterEvent);
}
HEXAD_EXPORT(xboxkrnl, 0x0007, ExAcquireReadWriteLockExclusive, Implemented);

// -> TRUE when the lock was free and is now the caller's, exclusively.
uint32_t ExTryToAcquireReadWriteLockExclusive(ExportContext& x, GuestPtr<void> lock) {
  const uint32_t l = lock_at(lock);
  LockFields f = load(x.mem(), l);
  if (f.lock_count >= 0) return 0;
  f.lock_count = 0;
  store(x.mem(), l, f);
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x02DD, ExTryToAcquireReadWriteLockExclusive, Implemented);

// Readers share the lock unless a writer holds it or waits for it.
bool reader_may_enter(const LockFields& f) { return f.readers_entry && !f.writers_waiting; }

StatusOrBlocked ExAcquireReadWriteLockShared(ExportContext& x, GuestPtr<void> lock) {
  const uint32_t l = lock_at(lock);
  LockFields f = load(x.mem(), l);
  if (++f.lock_count == 0 || reader_may_enter(f)) {
    ++f.readers_entry;
    store(x.mem(), l, f);
    return 0;
  }
  ++f.readers_waiting;
  store(x.mem(), l, f);
  return wait_for_handoff(x, l + kReaderSemaphore);
}
HEXAD_EXPORT(xboxkrnl, 0x0008, ExAcquireReadWriteLockShared, Implemented);

uint32_t ExTryToAcquireReadWriteLockShared(ExportContext& x, GuestPtr<void> lock) {
  const uint32_t l = lock_at(lock);
  LockFields f = load(x.mem(), l);
  if (f.lock_count >= 0 && !reader_may_enter(f)) return 0;
  ++f.lock_count;
  ++f.readers_entry;
  store(x.mem(), l, f);
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x02DE, ExTryToAcquireReadWriteLockShared, Implemented);

// Void on the console, 0 in r3 here.
uint32_t ExReleaseReadWriteLock(ExportContext& x, GuestPtr<void> lock) {
  const uint32_t l = lock_at(lock);
  LockFields f = load(x.mem(), l);
  if (--f.lock_count < 0) {  // nobody holds or waits any more
    f.readers_entry = 0;
    store(x.mem(), l, f);
    return 0;
  }
  if (f.readers_entry == 0) {  // a writer leaves
    if (const uint32_t readers = f.readers_waiting) {
      f.readers_waiting = 0;
      f.readers_entry = readers;
      store(x.mem(), l, f);
      if (KernelObject* s = embedded(x, l + kReaderSemaphore)) {
        s->signal_state = int32_t(std::min<uint64_t>(uint64_t(s->signal_state) + readers, uint64_t(kReaderSemaphoreLimit)));
        x.k.signal(*s, x.t, x.name);
      }
      return 0;
    }
  } else if (--f.readers_entry != 0) {  // readers remain inside
    store(x.mem(), l, f);
    return 0;
  }
  --f.writers_waiting;  // the last one out hands the lock to a waiting writer
  store(x.mem(), l, f);
  if (KernelObject* e = embedded(x, l + kWriterEvent); e && e->is_event()) {
    e->signal_state = 1;
    x.k.signal(*e, x.t, x.name);
  }
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0016, ExReleaseReadWriteLock, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> rw_lock_exports() { return kAreaExports; }

}  // namespace hexad::kernel
