// Critical sections: RTL_CRITICAL_SECTION in guest memory, with the console's layout and
// algorithm, contention as a real kernel wait on the section's header event.
//
// Layout (xenia-canary src/xenia/kernel/xboxkrnl/xboxkrnl_rtl.cc, X_RTL_CRITICAL_SECTION, 28
// bytes): a DISPATCHER_HEADER whose Type is 1 (a synchronization event) and whose Absolute byte
// holds the spin count / 256; LockCount at 0x10 (-1 when free, +1 for every Enter: recursive,
// owning or waiting); RecursionCount at 0x14; OwningThread at 0x18 (the owner's KTHREAD). Every
// field is big-endian, as the console stores them (xenia keeps LockCount host-endian for its
// host atomics; a title only ever touches it through these exports).
//
// The algorithm is xenia's RtlEnterCriticalSection / RtlTryEnterCriticalSection /
// RtlLeaveCriticalSection (NT's): the counts live in guest memory and are read at every call,
// so a section the title laid out itself (pre-initialised data) works as on the console. The
// kernel object at the section's address is the header event plus its owner, for the dump and
// the wedge map (type critical_section). A waiter cannot run code after its wait, so where the
// console's woken waiter writes OwningThread/RecursionCount itself, the kernel writes them for
// it when its wait is satisfied (CriticalSectionClass::consume names it the owner).
//
// Hostile use behaves as on the console: NULL or unmapped sections fault the caller (the
// console's code dereferences them); leaving a section the caller does not own runs the same
// arithmetic (RecursionCount and LockCount go down, possibly freeing another thread's section
// or leaving counts that make the next Enter wait forever) and is traced as a sync.hazard.
// The spin count is kept but not spun: no other guest thread runs during a kernel call, so
// spinning would only repeat the same test. A section's owner exiting does not free it (NT
// does not abandon critical sections): its waiters stay blocked, owner shown in the wedge map.
// Re-initialising a section that has waiters resets its counts but leaves the waiters queued on
// it (NT would orphan them; a later Leave that finds LockCount above -1 wakes the first).
#include <algorithm>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

constexpr uint32_t kSectionSize = 28;
constexpr uint32_t kLockCount = 0x10, kRecursionCount = 0x14, kOwningThread = 0x18;
constexpr uint32_t kSpinCountByte = 1;  // DISPATCHER_HEADER.Absolute

struct SectionFields {
  int32_t lock_count = -1;
  int32_t recursion = 0;
  uint32_t owner = 0;  // KTHREAD address
};

SectionFields load(cpu::Memory& mem, uint32_t cs) {
  return {int32_t(mem.read32(cs + kLockCount)), int32_t(mem.read32(cs + kRecursionCount)), mem.read32(cs + kOwningThread)};
}

uint32_t kthread_of(Kernel& k, uint32_t tid) {
  const ThreadRecord* rec = k.thread_record(tid);
  return rec ? rec->kthread_addr : 0;
}

// Writes the fields back and keeps the object's owner (the dump's) in step with OwningThread.
void store(ExportContext& x, KernelObject& o, uint32_t cs, const SectionFields& f) {
  x.mem().write32(cs + kLockCount, uint32_t(f.lock_count));
  x.mem().write32(cs + kRecursionCount, uint32_t(f.recursion));
  x.mem().write32(cs + kOwningThread, f.owner);
  const ThreadRecord* owner = f.owner ? x.k.thread_by_handle_or_kthread(f.owner) : nullptr;
  o.owner_tid = owner ? owner->tid : 0;
}

// The section at `cs` (faults the caller unless its 28 bytes are writable): the object at that
// address, made a critical section if the memory served as something else before, or a new
// one for a section first seen here (its header event's state read from guest memory).
KernelObject& section(ExportContext& x, GuestPtr<void> cs) {
  cs.probe(kSectionSize, cpu::Access::Write);
  KernelObject* o = x.k.objects().by_handle_or_address(cs.addr());
  if (!o || o->handle) {
    o = &x.k.objects().create(ObjectType::CriticalSection, false);
    o->guest_addr = cs.addr();
    o->signal_state = int32_t(x.mem().read32(cs.addr() + 4)) > 0 ? 1 : 0;
    x.k.objects().bind_address(*o);
  }
  o->type = ObjectType::CriticalSection;
  x.k.name_object(*o, x.name);
  return *o;
}

HEXAD_EXPORTS_BEGIN;

// The header (event type, spin count / 256, not signaled, empty wait list), then the counts.
void initialize(ExportContext& x, GuestPtr<void> cs, uint32_t spin_count) {
  KernelObject& o = section(x, cs);
  o.signal_state = 0;
  x.k.objects().init_guest_header(o);
  const uint32_t spin_div_256 = std::min<uint32_t>((uint64_t(spin_count) + 255) >> 8, 255);
  x.mem().write8(cs.addr() + kSpinCountByte, uint8_t(spin_div_256));
  store(x, o, cs.addr(), SectionFields{});
}

// RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION); void on the console, 0 in r3 here.
uint32_t RtlInitializeCriticalSection(ExportContext& x, GuestPtr<void> cs) {
  initialize(x, cs, 0);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x012E, RtlInitializeCriticalSection, Implemented);

uint32_t RtlInitializeCriticalSectionAndSpinCount(ExportContext& x, GuestPtr<void> cs, uint32_t spin_count) {
  initialize(x, cs, spin_count);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x012F, RtlInitializeCriticalSectionAndSpinCount, Implemented);

// Void on the console; 0 in r3 here when it returns at once. A contended section blocks the
// caller on the header event until the owner's last Leave hands the section to it.
StatusOrBlocked RtlEnterCriticalSection(ExportContext& x, GuestPtr<void> cs) {
  KernelObject& o = section(x, cs);
  SectionFields f = load(x.mem(), cs.addr());
  const uint32_t me = kthread_of(x.k, x.t.tid);
  if (f.owner == me) {  // recursion
    ++f.lock_count;
    ++f.recursion;
  } else if (f.lock_count == -1) {  // free
    f = {0, 1, me};
  } else {
    ++f.lock_count;
    store(x, o, cs.addr(), f);
    KernelObject* const objects[] = {&o};
    if (!x.k.waits().begin(x.t, objects, false, std::nullopt, false, std::nullopt)) return std::nullopt;
    // The header event was already set (a Leave found waiters that were not there): ours now.
    f.owner = me;
    f.recursion = 1;
  }
  store(x, o, cs.addr(), f);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0125, RtlEnterCriticalSection, Implemented);

// -> TRUE when the caller now owns the section (free, or already its own).
uint32_t RtlTryEnterCriticalSection(ExportContext& x, GuestPtr<void> cs) {
  KernelObject& o = section(x, cs);
  SectionFields f = load(x.mem(), cs.addr());
  const uint32_t me = kthread_of(x.k, x.t.tid);
  if (f.lock_count == -1) {
    f = {0, 1, me};
  } else if (f.owner == me) {
    ++f.lock_count;
    ++f.recursion;
  } else {
    return 0;
  }
  store(x, o, cs.addr(), f);
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x0141, RtlTryEnterCriticalSection, Implemented);

// Void on the console, 0 in r3 here.
uint32_t RtlLeaveCriticalSection(ExportContext& x, GuestPtr<void> cs) {
  KernelObject& o = section(x, cs);
  SectionFields f = load(x.mem(), cs.addr());
  if (f.owner != kthread_of(x.k, x.t.tid) || f.recursion <= 0) x.k.lock_hazard(x.t, "critical_section_unowned_leave", cs.addr());
  if (--f.recursion != 0) {
    --f.lock_count;
    store(x, o, cs.addr(), f);
    return 0;
  }
  f.owner = 0;
  const bool waiters = --f.lock_count != -1;
  store(x, o, cs.addr(), f);
  if (waiters) {
    o.signal_state = 1;
    x.k.signal(o, x.t, x.name);
    if (o.owner_tid) {  // the first waiter took it
      f.owner = kthread_of(x.k, o.owner_tid);
      f.recursion = 1;
      store(x, o, cs.addr(), f);
    }
  }
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0130, RtlLeaveCriticalSection, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> critical_section_exports() { return kAreaExports; }

}  // namespace hexad::kernel
