// Kernel-object basics beyond sync.cc: the Ke* semaphore and mutant calls on headers in guest
// memory, KePulseEvent, NtQueryEvent, and the thread-local slots (KeTls*).
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/sync_common.h"
#include "kernel/xboxkrnl/kernel.h"
#include "kernel/xboxkrnl/object_classes.h"

namespace hexad::kernel {
namespace {

// KSEMAPHORE: DISPATCHER_HEADER, then Limit (xenia-canary xenia/kernel/xobject.h X_KSEMAPHORE, 0x14 bytes).
constexpr uint32_t kSemaphoreSize = 0x14, kSemaphoreLimitOffset = 0x10;
// KMUTANT: DISPATCHER_HEADER, MutantListEntry, OwnerThread at 0x18, Abandoned at 0x1C
// (xenia-canary xenia/kernel/xmutant.h X_KMUTANT, 0x20 bytes).
constexpr uint32_t kMutantSize = 0x20, kMutantOwnerOffset = 0x18, kMutantAbandonedOffset = 0x1C;

HEXAD_EXPORTS_BEGIN;

// KeInitializeSemaphore(PKSEMAPHORE, LONG count, LONG limit); void on the console, 0 in r3 here.
// The console's kernel writes the header without checking count against limit; so does hexad
// (a count above the limit only makes later releases fail).
uint32_t KeInitializeSemaphore(ExportContext& x, GuestPtr<void> semaphore, int32_t count, int32_t limit) {
  semaphore.probe(kSemaphoreSize, cpu::Access::Write);
  KernelObject& o = initialise_guest_object(x, semaphore.addr(), ObjectType::Semaphore);
  o.signal_state = count;
  o.limit = limit;
  x.mem().write32(semaphore.addr() + kSemaphoreLimitOffset, uint32_t(limit));
  x.k.objects().init_guest_header(o);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0074, KeInitializeSemaphore, Implemented);

// -> the previous count. NT raises STATUS_SEMAPHORE_LIMIT_EXCEEDED when the adjustment is
// negative or would pass the limit; hexad cannot raise into the guest yet, so (as xenia's
// xeKeReleaseSemaphore) the count is left as it was and the previous count returned. A header
// that is no semaphore's returns 0 and changes nothing.
int32_t KeReleaseSemaphore(ExportContext& x, GuestPtr<void> semaphore, int32_t increment, int32_t adjustment,
                           Boolean wait) {
  KernelObject* o = dispatcher_at(x, semaphore);
  if (!o || o->type != ObjectType::Semaphore) return 0;
  const int32_t prev = o->signal_state;
  const int64_t next = int64_t(prev) + adjustment;
  if (adjustment < 0 || next > o->limit) return prev;
  if (adjustment == 0) return prev;
  o->signal_state = int32_t(next);
  x.k.signal(*o, x.t, x.name);
  return prev;
}
HEXAD_EXPORT(xboxkrnl, 0x0088, KeReleaseSemaphore, Implemented);

// KeInitializeMutant(PKMUTANT, BOOLEAN initial_owner); void on the console, 0 in r3 here.
uint32_t KeInitializeMutant(ExportContext& x, GuestPtr<void> mutant, Boolean initial_owner) {
  mutant.probe(kMutantSize, cpu::Access::Write);
  KernelObject& o = initialise_guest_object(x, mutant.addr(), ObjectType::Mutant);
  o.signal_state = initial_owner ? 0 : 1;
  o.owner_tid = initial_owner ? x.t.tid : 0;
  const ThreadRecord* owner = initial_owner ? x.k.thread_record(x.t.tid) : nullptr;
  x.mem().write32(mutant.addr() + kMutantOwnerOffset, owner ? owner->kthread_addr : 0);
  x.mem().write8(mutant.addr() + kMutantAbandonedOffset, 0);
  x.k.objects().init_guest_header(o);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0072, KeInitializeMutant, Implemented);

// KeReleaseMutant(PKMUTANT, KPRIORITY increment, BOOLEAN abandoned, BOOLEAN wait) -> the previous
// signal state. `abandoned` releases it whoever owns it and marks it abandoned (NT's thread
// rundown path). Otherwise only the owner may release: NT raises STATUS_MUTANT_NOT_OWNED (or
// STATUS_ABANDONED); hexad cannot raise into the guest yet and leaves the mutant as it was.
int32_t KeReleaseMutant(ExportContext& x, GuestPtr<void> mutant, int32_t increment, Boolean abandoned, Boolean wait) {
  KernelObject* o = dispatcher_at(x, mutant);
  if (!o || o->type != ObjectType::Mutant) return 0;
  const int32_t prev = o->signal_state;
  if (abandoned) {
    MutantClass::abandon(*o);
    x.k.signal(*o, x.t, x.name);
    return prev;
  }
  if (mutant_release_refusal(*o, x.t.tid)) return prev;
  if (++o->signal_state == 1) {
    o->owner_tid = 0;
    x.k.signal(*o, x.t, x.name);
  } else {
    x.k.objects().mirror(*o);  // still owned: one recursion level less
  }
  return prev;
}
HEXAD_EXPORT(xboxkrnl, 0x0087, KeReleaseMutant, Implemented);

// KePulseEvent(PKEVENT, KPRIORITY increment, BOOLEAN wait) -> the previous state: wakes the
// waits present (all of a notification event's, the first of a synchronization event's), then
// leaves the event not signaled (xenia-canary xboxkrnl_threading.cc KePulseEvent_entry).
int32_t KePulseEvent(ExportContext& x, GuestPtr<void> event, int32_t increment, Boolean wait) {
  KernelObject* o = guest_event(x, event);
  return o ? set_event(x, *o, Kernel::AfterSignal::Reset) : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x007F, KePulseEvent, Implemented);

// NtQueryEvent(HANDLE, EVENT_BASIC_INFORMATION* info): info[0] = EventType (0 notification,
// 1 synchronization), info[1] = EventState (xenia-canary xboxkrnl_threading.cc NtQueryEvent_entry).
uint32_t NtQueryEvent(ExportContext& x, Handle event, GuestPtr<uint32_t> info) {
  KernelObject* o = x.k.objects().by_handle(event.value);
  if (!o) return kStatusInvalidHandle;
  if (!o->is_event()) return kStatusObjectTypeMismatch;
  info.probe(8, cpu::Access::Write);
  info.write(uint32_t(o->type), 0);
  info.write(uint32_t(o->signal_state), 1);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00E6, NtQueryEvent, Implemented);

// -> the lowest free slot (its value 0 in every thread), or TLS_OUT_OF_INDEXES when all 64 are taken.
uint32_t KeTlsAlloc(ExportContext& x) {
  uint64_t& in_use = x.k.tls_slots_in_use();
  for (uint32_t slot = 0; slot < kTlsSlots; ++slot)
    if (!(in_use >> slot & 1)) {
      in_use |= uint64_t(1) << slot;
      x.k.clear_tls_slot(slot);
      return slot;
    }
  return kTlsOutOfIndexes;
}
HEXAD_EXPORT(xboxkrnl, 0x0152, KeTlsAlloc, Implemented);

// -> TRUE, the slot freed and its value zeroed in every thread; FALSE for a slot out of range
// or not allocated (NT's TlsFree; xenia answers FALSE only for TLS_OUT_OF_INDEXES).
uint32_t KeTlsFree(ExportContext& x, uint32_t slot) {
  uint64_t& in_use = x.k.tls_slots_in_use();
  if (slot >= kTlsSlots || !(in_use >> slot & 1)) return 0;
  in_use &= ~(uint64_t(1) << slot);
  x.k.clear_tls_slot(slot);
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x0153, KeTlsFree, Implemented);

// -> the calling thread's value in the slot; 0 for a slot out of range (the console's kernel
// has no error path here: xenia's KeTlsGetValue_entry).
uint32_t KeTlsGetValue(ExportContext& x, uint32_t slot) {
  const ThreadRecord* rec = x.k.thread_record(x.t.tid);
  return rec && slot < kTlsSlots ? rec->tls[slot] : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0154, KeTlsGetValue, Implemented);

// -> TRUE once stored; FALSE for a slot out of range, which stores nothing.
uint32_t KeTlsSetValue(ExportContext& x, uint32_t slot, uint32_t value) {
  ThreadRecord* rec = x.k.thread_record(x.t.tid);
  if (!rec || slot >= kTlsSlots) return 0;
  rec->tls[slot] = value;
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x0155, KeTlsSetValue, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> kobject_exports() { return kAreaExports; }

}  // namespace hexad::kernel
