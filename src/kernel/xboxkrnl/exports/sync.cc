// Events, semaphores, mutants and waits.
#include <algorithm>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/sync_common.h"
#include "kernel/xboxkrnl/exports/guest_strings.h"
#include "kernel/xboxkrnl/exports/handle_objects.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {

// Sets an event and wakes what it satisfies; returns the previous state.
int32_t set_event(ExportContext& x, KernelObject& o, Kernel::AfterSignal after) {
  int32_t prev = o.signal_state;
  o.signal_state = 1;
  x.k.signal(o, x.t, x.name, after);
  return prev;
}

// The dispatcher object whose header is at `object`; a header the kernel cannot read and
// write (NULL, unmapped) faults the caller, as the console's Ke* calls dereference it.
KernelObject* dispatcher_at(ExportContext& x, GuestPtr<void> object) {
  object.probe(kDispatcherHeaderSize, cpu::Access::Write);
  KernelObject* o = x.k.objects().by_address(object.addr());
  if (o) x.k.name_object(*o, x.name);  // first sight of a header the title initialised itself
  return o;
}

KernelObject& initialise_guest_object(ExportContext& x, uint32_t addr, ObjectType type) {
  KernelObject* o = x.k.objects().reinitialise_at(addr);
  if (!o) o = &x.k.objects().create(type, false);
  o->type = type;
  o->guest_addr = addr;
  o->limit = 0;
  o->owner_tid = 0;
  o->abandoned = false;
  x.k.name_object(*o, x.name);
  return *o;
}

KernelObject* guest_event(ExportContext& x, GuestPtr<void> event) {
  KernelObject* o = dispatcher_at(x, event);
  return o && o->is_event() ? o : nullptr;
}

uint32_t mutant_release_refusal(const KernelObject& o, uint32_t tid) {
  if (o.owner_tid == tid && o.signal_state <= 0) return kStatusSuccess;
  // NT's KeReleaseMutant raises STATUS_ABANDONED for an abandoned mutant the caller does not
  // own, STATUS_MUTANT_NOT_OWNED otherwise; NtReleaseMutant returns the raised status.
  return o.abandoned ? kStatusAbandoned : kStatusMutantNotOwned;
}

namespace {

using cpu::sched::GuestThread;

constexpr uint32_t kWaitAll = 0, kWaitAny = 1;

HEXAD_EXPORTS_BEGIN;

// The event behind `h` in `o`, or the status to fail with.
uint32_t event_by_handle(ExportContext& x, Handle h, KernelObject*& o) {
  o = x.k.objects().by_handle(h.value);
  if (!o) return kStatusInvalidHandle;
  if (!o->is_event()) return kStatusObjectTypeMismatch;
  return kStatusSuccess;
}

// OBJECT_ATTRIBUTES.ObjectName's text ("" when unnamed). A bad pointer faults the caller.
std::string object_name(ExportContext& x, GuestPtr<void> attributes) {
  if (!attributes) return {};
  attributes.probe(kObjectAttributesSize, cpu::Access::Read);
  const uint32_t ansi = x.mem().read32(attributes.addr() + 4);
  return ansi ? read_ansi_string(x.mem(), ansi) : std::string();
}

// Both event types are one object type to the name table, as NT's and xenia's Event type.
bool same_object_type(ObjectType a, ObjectType b) {
  auto kind = [](ObjectType t) { return t == ObjectType::SynchronizationEvent ? ObjectType::NotificationEvent : t; };
  return kind(a) == kind(b);
}

// NtCreate*'s common part: checks the caller's pointers before anything exists (a bad one
// faults the caller and leaves no object). A name an open object of the same type already has
// opens that object: its handle is written, `created` stays nullptr and the status is
// STATUS_OBJECT_NAME_EXISTS (xenia-canary xboxkrnl_threading.cc, LookupNamedObject and
// NtCreateEvent/Semaphore/Mutant); another type's name is STATUS_OBJECT_NAME_COLLISION (NT's
// ObInsertObject; xenia's comment there says so, its code answers STATUS_INVALID_HANDLE). Names
// are case-insensitive (xenia's ObjectTable name table). Otherwise creates the object behind a
// new handle with its header in kernel memory; nullptr with STATUS_INSUFFICIENT_RESOURCES when
// the object arena or the name budget (ObjectTable::kNameBytesLimit) is full.
uint32_t create_handle_object(ExportContext& x, GuestPtr<Handle> handle_out, GuestPtr<void> attributes,
                              ObjectType type, KernelObject*& created, uint32_t header_size = 32) {
  created = nullptr;
  handle_out.probe(4, cpu::Access::Write);
  const std::string name = object_name(x, attributes);
  if (!name.empty()) {
    if (KernelObject* existing = x.k.objects().by_name(name)) {
      if (!same_object_type(existing->type, type)) return kStatusObjectNameCollision;
      x.k.objects().add_handle_ref(*existing);
      handle_out.write(Handle{existing->handle});
      return kStatusObjectNameExists;
    }
  }
  if (!x.k.objects().name_fits(name.size())) return kStatusInsufficientResources;
  uint32_t header = x.k.alloc_object_header(header_size);
  if (!header) return kStatusInsufficientResources;
  KernelObject& o = x.k.objects().create(type, true);
  o.guest_addr = header;
  x.k.name_object(o, x.name);
  if (!name.empty()) x.k.objects().set_name(o, name);
  created = &o;
  return kStatusSuccess;
}

// After the caller set the object's state: the guest header, then the handle out.
void publish_handle_object(ExportContext& x, GuestPtr<Handle> handle_out, KernelObject& o) {
  x.k.objects().init_guest_header(o);
  handle_out.write(Handle{o.handle});
}

ObjectType event_type(uint32_t type) { return type == 0 ? ObjectType::NotificationEvent : ObjectType::SynchronizationEvent; }

uint32_t NtCreateEvent(ExportContext& x, GuestPtr<Handle> handle_out, GuestPtr<void> attributes, uint32_t type,
                       Boolean initial_state) {
  if (!handle_out || type > 1) return kStatusInvalidParameter;
  KernelObject* o;
  if (uint32_t status = create_handle_object(x, handle_out, attributes, event_type(type), o); !o) return status;
  o->signal_state = initial_state ? 1 : 0;
  publish_handle_object(x, handle_out, *o);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00D1, NtCreateEvent, Implemented);

// NtSetEvent and NtPulseEvent: they differ only in what the event is left as.
uint32_t set_event_by_handle(ExportContext& x, Handle event, GuestPtr<int32_t> previous_state,
                             Kernel::AfterSignal after) {
  KernelObject* o;
  if (uint32_t status = event_by_handle(x, event, o)) return status;
  previous_state.probe_if_set();  // a bad pointer faults before the event changes
  previous_state.write_if_set(set_event(x, *o, after));
  return kStatusSuccess;
}

uint32_t NtSetEvent(ExportContext& x, Handle event, GuestPtr<int32_t> previous_state) {
  return set_event_by_handle(x, event, previous_state, Kernel::AfterSignal::Keep);
}
HEXAD_EXPORT(xboxkrnl, 0x00F6, NtSetEvent, Implemented);

uint32_t NtPulseEvent(ExportContext& x, Handle event, GuestPtr<int32_t> previous_state) {
  return set_event_by_handle(x, event, previous_state, Kernel::AfterSignal::Reset);
}
HEXAD_EXPORT(xboxkrnl, 0x00E2, NtPulseEvent, Implemented);

uint32_t NtClearEvent(ExportContext& x, Handle event) {
  KernelObject* o;
  if (uint32_t status = event_by_handle(x, event, o)) return status;
  o->signal_state = 0;
  x.k.objects().mirror(*o);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00CE, NtClearEvent, Implemented);

// KeInitializeEvent(PKEVENT, EVENT_TYPE, BOOLEAN state); void on the console, 0 in r3 here.
// A KEVENT the kernel cannot write faults the caller (the console's kernel writes its header).
uint32_t KeInitializeEvent(ExportContext& x, GuestPtr<void> event, uint32_t type, Boolean state) {
  event.probe(kDispatcherHeaderSize, cpu::Access::Write);
  if (type > 1) return 0;
  KernelObject& o = initialise_guest_object(x, event.addr(), event_type(type));
  o.signal_state = state ? 1 : 0;
  x.k.objects().init_guest_header(o);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0070, KeInitializeEvent, Implemented);

// -> the previous state (0 when the header is not an event's).
int32_t KeSetEvent(ExportContext& x, GuestPtr<void> event, int32_t increment, Boolean wait) {
  KernelObject* o = guest_event(x, event);
  return o ? set_event(x, *o, Kernel::AfterSignal::Keep) : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x009D, KeSetEvent, Implemented);

int32_t KeResetEvent(ExportContext& x, GuestPtr<void> event) {
  KernelObject* o = guest_event(x, event);
  if (!o) return 0;
  int32_t prev = o->signal_state;
  o->signal_state = 0;
  x.k.objects().mirror(*o);
  return prev;
}
HEXAD_EXPORT(xboxkrnl, 0x008F, KeResetEvent, Implemented);

uint32_t NtCreateSemaphore(ExportContext& x, GuestPtr<Handle> handle_out, GuestPtr<void> attributes, int32_t initial,
                           int32_t maximum) {
  if (!handle_out || maximum <= 0 || initial < 0 || initial > maximum) return kStatusInvalidParameter;
  KernelObject* o;
  if (uint32_t status = create_handle_object(x, handle_out, attributes, ObjectType::Semaphore, o); !o) return status;
  o->signal_state = initial;
  o->limit = maximum;
  x.mem().write32(o->guest_addr + 16, uint32_t(maximum));
  publish_handle_object(x, handle_out, *o);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00D5, NtCreateSemaphore, Implemented);

uint32_t NtReleaseSemaphore(ExportContext& x, Handle semaphore, int32_t count, GuestPtr<int32_t> previous_count) {
  KernelObject* o = x.k.objects().by_handle(semaphore.value);
  if (!o) return kStatusInvalidHandle;
  if (o->type != ObjectType::Semaphore) return kStatusObjectTypeMismatch;
  if (count <= 0) return kStatusInvalidParameter;
  if (int64_t(o->signal_state) + count > o->limit) return kStatusSemaphoreLimitExceeded;
  previous_count.probe_if_set();  // a bad pointer faults before the count changes
  int32_t prev = o->signal_state;
  o->signal_state += count;
  x.k.signal(*o, x.t, x.name);
  previous_count.write_if_set(prev);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00F3, NtReleaseSemaphore, Implemented);

uint32_t NtCreateMutant(ExportContext& x, GuestPtr<Handle> handle_out, GuestPtr<void> attributes,
                        Boolean initial_owner) {
  if (!handle_out) return kStatusInvalidParameter;
  KernelObject* o;
  if (uint32_t status = create_handle_object(x, handle_out, attributes, ObjectType::Mutant, o); !o) return status;
  o->signal_state = 1;
  if (initial_owner) {
    o->signal_state = 0;
    o->owner_tid = x.t.tid;
  }
  publish_handle_object(x, handle_out, *o);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00D4, NtCreateMutant, Implemented);

uint32_t NtReleaseMutant(ExportContext& x, Handle mutant, GuestPtr<int32_t> previous_count) {
  KernelObject* o = x.k.objects().by_handle(mutant.value);
  if (!o) return kStatusInvalidHandle;
  if (o->type != ObjectType::Mutant) return kStatusObjectTypeMismatch;
  if (uint32_t status = mutant_release_refusal(*o, x.t.tid)) return status;
  previous_count.probe_if_set();  // a bad pointer faults before the mutant is released
  int32_t prev = o->signal_state;
  if (++o->signal_state == 1) {
    o->owner_tid = 0;
    x.k.signal(*o, x.t, x.name);
  } else {
    x.k.objects().mirror(*o);  // still owned: one recursion level less
  }
  previous_count.write_if_set(prev);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00F2, NtReleaseMutant, Implemented);

// `mode`: the KPROCESSOR_MODE the caller waits in, which decides what alerts it (exports/alerts.cc).
StatusOrBlocked wait_on(ExportContext& x, std::span<KernelObject* const> objs, bool all, uint32_t mode,
                        Boolean alertable, GuestPtr<int64_t> timeout) {
  // NT (ObWaitForMultipleObjects): a WaitAll may not name an object twice — it could never be
  // satisfied atomically, and would consume the object twice. A WaitAny may.
  if (all)
    for (size_t i = 1; i < objs.size(); ++i)
      if (std::find(objs.begin(), objs.begin() + i, objs[i]) != objs.begin() + i) return kStatusInvalidParameterMix;
  Kernel::Timeout to = x.k.read_timeout(timeout.addr());
  return x.k.waits().begin(x.t, objs, all, to.deadline, alertable, to.ns, wait_mode(mode));
}

StatusOrBlocked NtWaitForSingleObjectEx(ExportContext& x, Handle handle, uint32_t mode, Boolean alertable,
                                        GuestPtr<int64_t> timeout) {
  KernelObject* o = x.k.objects().by_handle(handle.value);
  if (!o) return kStatusInvalidHandle;
  return wait_on(x, {&o, 1}, false, mode, alertable, timeout);
}
HEXAD_EXPORT(xboxkrnl, 0x00FD, NtWaitForSingleObjectEx, Implemented);

StatusOrBlocked KeWaitForSingleObject(ExportContext& x, GuestPtr<void> object, uint32_t reason, uint32_t mode,
                                      Boolean alertable, GuestPtr<int64_t> timeout) {
  KernelObject* o = dispatcher_at(x, object);
  if (!o) return kStatusInvalidParameter;
  return wait_on(x, {&o, 1}, false, mode, alertable, timeout);
}
HEXAD_EXPORT(xboxkrnl, 0x00B0, KeWaitForSingleObject, Implemented);

StatusOrBlocked NtWaitForMultipleObjectsEx(ExportContext& x, uint32_t count, GuestPtr<Handle> handles, uint32_t type,
                                           uint32_t mode, Boolean alertable, GuestPtr<int64_t> timeout) {
  if (count == 0 || count > kMaxWaitObjects || (type != kWaitAll && type != kWaitAny)) return kStatusInvalidParameter;
  KernelObject* objs[kMaxWaitObjects];
  for (uint32_t i = 0; i < count; ++i) {
    objs[i] = x.k.objects().by_handle(handles.read(i).value);
    if (!objs[i]) return kStatusInvalidHandle;
  }
  return wait_on(x, {objs, count}, type == kWaitAll, mode, alertable, timeout);
}
HEXAD_EXPORT(xboxkrnl, 0x00FE, NtWaitForMultipleObjectsEx, Implemented);

StatusOrBlocked KeWaitForMultipleObjects(ExportContext& x, uint32_t count, GuestPtr<GuestPtr<void>> objects,
                                         uint32_t type, uint32_t reason, uint32_t mode, Boolean alertable,
                                         GuestPtr<int64_t> timeout, GuestPtr<void> wait_blocks) {
  if (count == 0 || count > kMaxWaitObjects || (type != kWaitAll && type != kWaitAny)) return kStatusInvalidParameter;
  KernelObject* objs[kMaxWaitObjects];
  for (uint32_t i = 0; i < count; ++i) {
    objs[i] = dispatcher_at(x, objects.read(i));
    if (!objs[i]) return kStatusInvalidParameter;
  }
  return wait_on(x, {objs, count}, type == kWaitAll, mode, alertable, timeout);
}
HEXAD_EXPORT(xboxkrnl, 0x00AF, KeWaitForMultipleObjects, Implemented);

StatusOrBlocked KeDelayExecutionThread(ExportContext& x, uint32_t mode, Boolean alertable, GuestPtr<int64_t> interval) {
  if (!interval) return kStatusInvalidParameter;
  Kernel::Timeout to = x.k.read_timeout(interval.addr());
  return x.k.waits().delay(x.t, to.deadline, to.ns.value_or(0), alertable, Waits::Restart::Yes, wait_mode(mode));
}
HEXAD_EXPORT(xboxkrnl, 0x005A, KeDelayExecutionThread, Implemented);

uint32_t NtYieldExecution(ExportContext& x) {
  x.k.sched().yield(x.t);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x0101, NtYieldExecution, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> sync_exports() { return kAreaExports; }

uint32_t create_handle_object_for(ExportContext& x, GuestPtr<Handle> handle_out, GuestPtr<void> attributes,
                                  ObjectType type, uint32_t header_size, KernelObject*& created) {
  return create_handle_object(x, handle_out, attributes, type, created, header_size);
}

void publish_handle_object_for(ExportContext& x, GuestPtr<Handle> handle_out, KernelObject& o) {
  publish_handle_object(x, handle_out, o);
}

}  // namespace hexad::kernel
