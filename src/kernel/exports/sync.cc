// Events, semaphores, mutants and waits.
#include <algorithm>

#include "kernel/exports/export_table.h"
#include "kernel/kernel.h"

namespace hexad::kernel {
namespace {

using cpu::sched::GuestThread;

constexpr uint32_t kWaitAll = 0, kWaitAny = 1;

void write_u32_if(ExportCall& c, uint32_t ptr, uint32_t v) {
  if (ptr) c.k.mem().write32(ptr, v);
}

// Sets an event and wakes what it satisfies; returns the previous state.
int32_t set_event(ExportCall& c, KernelObject& o, Kernel::AfterSignal after) {
  int32_t prev = o.signal_state;
  o.signal_state = 1;
  c.k.signal(o, c.t, c.name, after);
  return prev;
}

KernelObject* event_by_handle(ExportCall& c, uint32_t h) {
  KernelObject* o = c.k.objects().by_handle(h);
  if (!o) c.ret(kStatusInvalidHandle);
  else if (!o->is_event()) {
    c.ret(kStatusObjectTypeMismatch);
    o = nullptr;
  }
  return o;
}

void create_handle_object(ExportCall& c, uint32_t handle_ptr, KernelObject& o) {
  o.guest_addr = c.k.alloc_object_header();
  c.k.objects().init_guest_header(o);
  c.k.mem().write32(handle_ptr, o.handle);
}

// NtCreateEvent(PHANDLE handle, POBJECT_ATTRIBUTES attrs, EVENT_TYPE type, BOOLEAN initial)
void NtCreateEvent(ExportCall& c) {
  uint32_t type = c.arg(2);
  if (!c.arg(0) || type > 1) return c.ret(kStatusInvalidParameter);
  KernelObject& o = c.k.objects().create(type == 0 ? ObjectType::NotificationEvent : ObjectType::SynchronizationEvent, true);
  o.signal_state = (c.arg(3) & 0xFF) ? 1 : 0;
  create_handle_object(c, c.arg(0), o);
  c.ret(kStatusSuccess);
}

void NtSetEvent(ExportCall& c) {
  if (KernelObject* o = event_by_handle(c, c.arg(0))) {
    write_u32_if(c, c.arg(1), uint32_t(set_event(c, *o, Kernel::AfterSignal::Keep)));
    c.ret(kStatusSuccess);
  }
}

void NtPulseEvent(ExportCall& c) {
  if (KernelObject* o = event_by_handle(c, c.arg(0))) {
    write_u32_if(c, c.arg(1), uint32_t(set_event(c, *o, Kernel::AfterSignal::Reset)));
    c.ret(kStatusSuccess);
  }
}

void NtClearEvent(ExportCall& c) {
  if (KernelObject* o = event_by_handle(c, c.arg(0))) {
    o->signal_state = 0;
    c.k.objects().mirror(*o);
    c.ret(kStatusSuccess);
  }
}

// KeInitializeEvent(PKEVENT event, EVENT_TYPE type, BOOLEAN state)
void KeInitializeEvent(ExportCall& c) {
  uint32_t addr = c.arg(0), type = c.arg(1);
  if (!c.k.mem().accessible(addr, 16, cpu::kProtWrite) || type > 1) return c.ret(0);
  KernelObject* o = c.k.objects().by_handle_or_address(addr);
  if (!o || o->handle) o = &c.k.objects().create(type == 0 ? ObjectType::NotificationEvent : ObjectType::SynchronizationEvent, false);
  o->type = type == 0 ? ObjectType::NotificationEvent : ObjectType::SynchronizationEvent;
  o->guest_addr = addr;
  o->signal_state = (c.arg(2) & 0xFF) ? 1 : 0;
  c.k.objects().init_guest_header(*o);
  c.ret(0);
}

KernelObject* guest_event(ExportCall& c, uint32_t addr) {
  KernelObject* o = c.k.objects().by_address(addr);
  return o && o->is_event() ? o : nullptr;
}

// KeSetEvent(PKEVENT event, KPRIORITY increment, BOOLEAN wait) -> previous state
void KeSetEvent(ExportCall& c) {
  KernelObject* o = guest_event(c, c.arg(0));
  c.ret(o ? uint32_t(set_event(c, *o, Kernel::AfterSignal::Keep)) : 0);
}

void KeResetEvent(ExportCall& c) {
  KernelObject* o = guest_event(c, c.arg(0));
  if (!o) return c.ret(0);
  int32_t prev = o->signal_state;
  o->signal_state = 0;
  c.k.objects().mirror(*o);
  c.ret(uint32_t(prev));
}

// NtCreateSemaphore(PHANDLE handle, POBJECT_ATTRIBUTES attrs, LONG initial, LONG maximum)
void NtCreateSemaphore(ExportCall& c) {
  int32_t initial = int32_t(c.arg(2)), maximum = int32_t(c.arg(3));
  if (!c.arg(0) || maximum <= 0 || initial < 0 || initial > maximum) return c.ret(kStatusInvalidParameter);
  KernelObject& o = c.k.objects().create(ObjectType::Semaphore, true);
  o.signal_state = initial;
  o.limit = maximum;
  create_handle_object(c, c.arg(0), o);
  c.k.mem().write32(o.guest_addr + 16, uint32_t(maximum));
  c.ret(kStatusSuccess);
}

// NtReleaseSemaphore(HANDLE, LONG count, PLONG previous)
void NtReleaseSemaphore(ExportCall& c) {
  KernelObject* o = c.k.objects().by_handle(c.arg(0));
  if (!o) return c.ret(kStatusInvalidHandle);
  if (o->type != ObjectType::Semaphore) return c.ret(kStatusObjectTypeMismatch);
  int32_t count = int32_t(c.arg(1));
  if (count <= 0) return c.ret(kStatusInvalidParameter);
  if (int64_t(o->signal_state) + count > o->limit) return c.ret(kStatusSemaphoreLimitExceeded);
  int32_t prev = o->signal_state;
  o->signal_state += count;
  c.k.signal(*o, c.t, c.name);
  write_u32_if(c, c.arg(2), uint32_t(prev));
  c.ret(kStatusSuccess);
}

// NtCreateMutant(PHANDLE handle, POBJECT_ATTRIBUTES attrs, BOOLEAN initial_owner)
void NtCreateMutant(ExportCall& c) {
  if (!c.arg(0)) return c.ret(kStatusInvalidParameter);
  KernelObject& o = c.k.objects().create(ObjectType::Mutant, true);
  o.signal_state = 1;
  if (c.arg(2) & 0xFF) {
    o.signal_state = 0;
    o.owner_tid = c.t.tid;
  }
  create_handle_object(c, c.arg(0), o);
  c.ret(kStatusSuccess);
}

// NtReleaseMutant(HANDLE, PLONG previous)
void NtReleaseMutant(ExportCall& c) {
  KernelObject* o = c.k.objects().by_handle(c.arg(0));
  if (!o) return c.ret(kStatusInvalidHandle);
  if (o->type != ObjectType::Mutant) return c.ret(kStatusObjectTypeMismatch);
  if (o->owner_tid != c.t.tid || o->signal_state > 0) return c.ret(kStatusMutantNotOwned);
  int32_t prev = o->signal_state;
  if (++o->signal_state == 1) {
    o->owner_tid = 0;
    c.k.signal(*o, c.t, c.name);
  } else {
    c.k.objects().mirror(*o);  // still owned: one recursion level less
  }
  write_u32_if(c, c.arg(1), uint32_t(prev));
  c.ret(kStatusSuccess);
}

void wait_on(ExportCall& c, std::span<KernelObject* const> objs, bool all, uint32_t alertable, uint32_t timeout_ptr) {
  Kernel::Timeout to = c.k.read_timeout(timeout_ptr);
  c.ret_or_block(c.k.waits().begin(c.t, objs, all, to.deadline, alertable & 0xFF, to.ns));
}

// NtWaitForSingleObjectEx(HANDLE, KPROCESSOR_MODE, BOOLEAN alertable, PLARGE_INTEGER timeout)
void NtWaitForSingleObjectEx(ExportCall& c) {
  KernelObject* o = c.k.objects().by_handle(c.arg(0));
  if (!o) return c.ret(kStatusInvalidHandle);
  wait_on(c, {&o, 1}, false, c.arg(2), c.arg(3));
}

// KeWaitForSingleObject(PVOID object, reason, mode, BOOLEAN alertable, PLARGE_INTEGER timeout)
void KeWaitForSingleObject(ExportCall& c) {
  KernelObject* o = c.k.objects().by_address(c.arg(0));
  if (!o) return c.ret(kStatusInvalidParameter);
  wait_on(c, {&o, 1}, false, c.arg(3), c.arg(4));
}

// NtWaitForMultipleObjectsEx(ULONG count, PHANDLE handles, WAIT_TYPE, mode, BOOLEAN alertable, PLARGE_INTEGER)
void NtWaitForMultipleObjectsEx(ExportCall& c) {
  uint32_t count = c.arg(0), arr = c.arg(1), type = c.arg(2);
  if (count == 0 || count > kMaxWaitObjects || (type != kWaitAll && type != kWaitAny)) return c.ret(kStatusInvalidParameter);
  KernelObject* objs[kMaxWaitObjects];
  for (uint32_t i = 0; i < count; ++i) {
    objs[i] = c.k.objects().by_handle(c.k.mem().read32(arr + 4 * i));
    if (!objs[i]) return c.ret(kStatusInvalidHandle);
  }
  wait_on(c, {objs, count}, type == kWaitAll, c.arg(4), c.arg(5));
}

// KeWaitForMultipleObjects(ULONG count, PVOID objects[], WAIT_TYPE, reason, mode, BOOLEAN alertable,
//                          PLARGE_INTEGER timeout, PKWAIT_BLOCK wait_blocks)
void KeWaitForMultipleObjects(ExportCall& c) {
  uint32_t count = c.arg(0), arr = c.arg(1), type = c.arg(2);
  if (count == 0 || count > kMaxWaitObjects || (type != kWaitAll && type != kWaitAny)) return c.ret(kStatusInvalidParameter);
  KernelObject* objs[kMaxWaitObjects];
  for (uint32_t i = 0; i < count; ++i) {
    objs[i] = c.k.objects().by_address(c.k.mem().read32(arr + 4 * i));
    if (!objs[i]) return c.ret(kStatusInvalidParameter);
  }
  wait_on(c, {objs, count}, type == kWaitAll, c.arg(5), c.arg(6));
}

// KeDelayExecutionThread(mode, BOOLEAN alertable, PLARGE_INTEGER interval)
void KeDelayExecutionThread(ExportCall& c) {
  Kernel::Timeout to = c.k.read_timeout(c.arg(2));
  if (!to.deadline) return c.ret(kStatusInvalidParameter);
  c.ret_or_block(c.k.waits().delay(c.t, *to.deadline, to.ns.value_or(0), c.arg(1) & 0xFF));
}

void NtYieldExecution(ExportCall& c) {
  c.k.sched().yield(c.t);
  c.ret(kStatusSuccess);
}

constexpr ExportEntry kExports[] = {
    {"xboxkrnl", 0x0D1, "NtCreateEvent", 4, NtCreateEvent},
    {"xboxkrnl", 0x0F6, "NtSetEvent", 2, NtSetEvent},
    {"xboxkrnl", 0x0CE, "NtClearEvent", 1, NtClearEvent},
    {"xboxkrnl", 0x0E2, "NtPulseEvent", 2, NtPulseEvent},
    {"xboxkrnl", 0x070, "KeInitializeEvent", 3, KeInitializeEvent},
    {"xboxkrnl", 0x09D, "KeSetEvent", 3, KeSetEvent},
    {"xboxkrnl", 0x08F, "KeResetEvent", 1, KeResetEvent},
    {"xboxkrnl", 0x0D5, "NtCreateSemaphore", 4, NtCreateSemaphore},
    {"xboxkrnl", 0x0F3, "NtReleaseSemaphore", 3, NtReleaseSemaphore},
    {"xboxkrnl", 0x0D4, "NtCreateMutant", 3, NtCreateMutant},
    {"xboxkrnl", 0x0F2, "NtReleaseMutant", 2, NtReleaseMutant},
    {"xboxkrnl", 0x0B0, "KeWaitForSingleObject", 5, KeWaitForSingleObject},
    {"xboxkrnl", 0x0FD, "NtWaitForSingleObjectEx", 4, NtWaitForSingleObjectEx},
    {"xboxkrnl", 0x0AF, "KeWaitForMultipleObjects", 8, KeWaitForMultipleObjects},
    {"xboxkrnl", 0x0FE, "NtWaitForMultipleObjectsEx", 6, NtWaitForMultipleObjectsEx},
    {"xboxkrnl", 0x05A, "KeDelayExecutionThread", 3, KeDelayExecutionThread},
    {"xboxkrnl", 0x101, "NtYieldExecution", 0, NtYieldExecution},
};

}  // namespace

std::span<const ExportEntry> sync_exports() { return kExports; }

}  // namespace hexad::kernel
