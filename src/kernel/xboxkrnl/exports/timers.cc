// Timers, DPCs and APCs (kernel/xboxkrnl/timers.h, deferred.h). Signatures and structure layouts
// follow xenia's xboxkrnl_threading.cc and xthread.h (KTIMER, XDPC, XAPC); the semantics are NT's
// where the console's are not documented otherwise.
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/handle_objects.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

using cpu::sched::GuestThread;

constexpr uint8_t kKernelMode = 0, kUserMode = 1;

HEXAD_EXPORTS_BEGIN;

ObjectType timer_type(uint32_t type) { return type == 0 ? ObjectType::NotificationTimer : ObjectType::SynchronizationTimer; }

// The timer whose KTIMER is at `timer`: a KTIMER the kernel cannot read and write faults the
// caller (the console's Ke* calls dereference it); nullptr when the header is not a timer's.
KernelObject* guest_timer(ExportContext& x, GuestPtr<void> timer) {
  timer.probe(kKtimerSize, cpu::Access::Write);
  KernelObject* o = x.k.objects().by_address(timer.addr());
  if (!o || !o->is_timer()) return nullptr;
  x.k.name_object(*o, x.name);
  return o;
}

// The timer behind a handle, or the status to fail with.
uint32_t timer_by_handle(ExportContext& x, Handle h, KernelObject*& o) {
  o = x.k.objects().by_handle(h.value);
  if (!o) return kStatusInvalidHandle;
  if (!o->is_timer()) return kStatusObjectTypeMismatch;
  return kStatusSuccess;
}

// KeInitializeTimerEx(PKTIMER, TIMER_TYPE 0 notification / 1 synchronization, process type);
// void on the console, 0 in r3 here. Another type leaves the KTIMER untouched. Re-initialising an
// armed timer disarms it.
uint32_t KeInitializeTimerEx(ExportContext& x, GuestPtr<void> timer, uint32_t type, uint32_t process_type) {
  timer.probe(kKtimerSize, cpu::Access::Write);
  if (type > 1) return 0;
  KernelObject* o = x.k.objects().by_handle_or_address(timer.addr());
  if (!o || o->handle) o = &x.k.objects().create(timer_type(type), false);
  o->guest_addr = timer.addr();
  x.k.name_object(*o, x.name);
  x.k.timers().initialize(*o, timer_type(type));
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0075, KeInitializeTimerEx, Implemented);

// -> TRUE when the timer was armed (in the timer queue) before. A KTIMER that is not a timer, or a
// negative period, is refused: FALSE and nothing changes. A DPC the kernel cannot read faults.
uint32_t set_guest_timer(ExportContext& x, GuestPtr<void> timer, int64_t due, int32_t period, GuestPtr<void> dpc) {
  KernelObject* o = guest_timer(x, timer);
  if (dpc) dpc.probe(kKdpcSize, cpu::Access::Read);
  if (!o || period < 0) return 0;
  return x.k.timers().set(*o, x.t, {due, uint32_t(period), dpc.addr(), 0, 0}) ? 1 : 0;
}

// KeSetTimerEx(PKTIMER, LARGE_INTEGER DueTime, LONG Period in ms, PKDPC): the due time by value, in
// one 64-bit register (r4), as on the console.
uint32_t KeSetTimerEx(ExportContext& x, GuestPtr<void> timer, int64_t due, int32_t period, GuestPtr<void> dpc) {
  return set_guest_timer(x, timer, due, period, dpc);
}
HEXAD_EXPORT(xboxkrnl, 0x00A7, KeSetTimerEx, Implemented);

uint32_t KeSetTimer(ExportContext& x, GuestPtr<void> timer, int64_t due, GuestPtr<void> dpc) {
  return set_guest_timer(x, timer, due, 0, dpc);
}
HEXAD_EXPORT(xboxkrnl, 0x00A6, KeSetTimer, Implemented);

// -> TRUE when the timer was armed.
uint32_t KeCancelTimer(ExportContext& x, GuestPtr<void> timer) {
  KernelObject* o = guest_timer(x, timer);
  return o && x.k.timers().cancel(*o) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0054, KeCancelTimer, Implemented);

uint32_t NtCreateTimer(ExportContext& x, GuestPtr<Handle> handle_out, GuestPtr<void> attributes, uint32_t type) {
  if (!handle_out || type > 1) return kStatusInvalidParameter;
  KernelObject* o;
  const uint32_t status = create_handle_object_for(x, handle_out, attributes, timer_type(type), kKtimerSize, o);
  if (!o) return status;  // a named timer opened, or no room
  o->signal_state = 0;
  publish_handle_object_for(x, handle_out, *o);
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x00D7, NtCreateTimer, Implemented);

// NtSetTimerEx(HANDLE, PLARGE_INTEGER DueTime, PTIMER_APC_ROUTINE, KPROCESSOR_MODE, PVOID context,
// BOOLEAN resume, LONG period, PULONG previous_state) in xenia's order. The completion routine,
// when given, is queued as a user APC to the caller at each expiry: routine(context, low, high)
// with the expiry's system time. A negative period is STATUS_INVALID_PARAMETER (NT's
// STATUS_INVALID_PARAMETER_6); `resume` is accepted and has no effect (there is no power state).
uint32_t NtSetTimerEx(ExportContext& x, Handle timer, GuestPtr<int64_t> due_time, uint32_t apc_routine, uint32_t mode,
                      uint32_t apc_context, Boolean resume, int32_t period, GuestPtr<uint32_t> previous_state) {
  KernelObject* o;
  if (uint32_t status = timer_by_handle(x, timer, o)) return status;
  if (period < 0) return kStatusInvalidParameter;
  const int64_t due = due_time.read();  // a bad pointer faults before the timer changes
  previous_state.probe_if_set();
  const uint32_t previous = o->signal_state > 0 ? 1 : 0;
  x.k.timers().set(*o, x.t, {due, uint32_t(period), 0, apc_routine, apc_context});
  previous_state.write_if_set(previous);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00FA, NtSetTimerEx, Implemented);

// -> the timer's signal state at the cancel through `current_state` (when not NULL).
uint32_t NtCancelTimer(ExportContext& x, Handle timer, GuestPtr<uint32_t> current_state) {
  KernelObject* o;
  if (uint32_t status = timer_by_handle(x, timer, o)) return status;
  current_state.probe_if_set();
  x.k.timers().cancel(*o);
  current_state.write_if_set(o->signal_state > 0 ? 1 : 0);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00CD, NtCancelTimer, Implemented);

// KeInitializeDpc(PKDPC, DeferredRoutine, DeferredContext); void on the console, 0 in r3 here.
uint32_t KeInitializeDpc(ExportContext& x, GuestPtr<void> dpc, uint32_t routine, uint32_t context) {
  dpc.probe(kKdpcSize, cpu::Access::Write);
  cpu::Memory& mem = x.mem();
  mem.write16(dpc.addr(), kKdpcType);
  mem.write8(dpc.addr() + 2, 0);
  mem.write8(dpc.addr() + 3, 0);
  mem.write32(dpc.addr() + 0xC, routine);
  mem.write32(dpc.addr() + 0x10, context);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x006F, KeInitializeDpc, Implemented);

// -> TRUE when queued, FALSE when it was queued already. The DPC goes on the caller's slot, and
// the caller yields that slot so the slot's DPC thread runs it before the caller goes on (NT runs
// a DPC queued at PASSIVE_LEVEL as the IRQL drops, before KeInsertQueueDpc returns). A DPC queued
// by a DPC routine runs after it (NT: at DISPATCH_LEVEL nothing preempts the running DPC).
uint32_t KeInsertQueueDpc(ExportContext& x, GuestPtr<void> dpc, uint32_t arg1, uint32_t arg2) {
  dpc.probe(kKdpcSize, cpu::Access::Write);
  if (!x.k.deferred().queue_dpc(dpc.addr(), arg1, arg2, x.k.sched().running_slot(x.t))) return 0;
  if (!x.k.deferred().is_dpc_thread(x.t.tid)) x.k.sched().yield(x.t);
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x007B, KeInsertQueueDpc, Implemented);

// -> TRUE when it was queued (and is no longer).
uint32_t KeRemoveQueueDpc(ExportContext& x, GuestPtr<void> dpc) {
  dpc.probe(kKdpcSize, cpu::Access::Read);
  return x.k.deferred().remove_dpc(dpc.addr()) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x008E, KeRemoveQueueDpc, Implemented);

// KeInitializeApc(PKAPC, PKTHREAD, KernelRoutine, RundownRoutine, NormalRoutine, ApcMode,
// NormalContext); void on the console, 0 in r3 here. As NT: without a normal routine the APC is a
// kernel-mode one with no context.
uint32_t KeInitializeApc(ExportContext& x, GuestPtr<void> apc, uint32_t thread, uint32_t kernel_routine,
                         uint32_t rundown_routine, uint32_t normal_routine, uint32_t mode, uint32_t normal_context) {
  apc.probe(kKapcSize, cpu::Access::Write);
  cpu::Memory& mem = x.mem();
  const uint32_t a = apc.addr();
  for (uint32_t off = 0; off < kKapcSize; off += 4) mem.write32(a + off, 0);
  mem.write16(a, kKapcType);
  mem.write8(a + 2, normal_routine ? uint8_t(mode & 0xFF) : kKernelMode);
  mem.write32(a + 4, thread);
  mem.write32(a + 16, kernel_routine);
  mem.write32(a + 20, rundown_routine);
  mem.write32(a + 24, normal_routine);
  mem.write32(a + 28, normal_routine ? normal_context : 0);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x006D, KeInitializeApc, Implemented);

// -> TRUE when queued; FALSE when it is queued already, or its thread is unknown or has exited.
// A kernel-mode KAPC (ApcMode 0) is delivered asynchronously, a user-mode one in the target's next
// alertable wait (deferred.h).
uint32_t KeInsertQueueApc(ExportContext& x, GuestPtr<void> apc, uint32_t arg1, uint32_t arg2, uint32_t increment) {
  apc.probe(kKapcSize, cpu::Access::Write);
  cpu::Memory& mem = x.mem();
  const uint32_t a = apc.addr();
  if (mem.read8(a + 3) || x.k.deferred().apc_queued(a)) return 0;
  ThreadRecord* rec = x.k.thread_by_handle_or_kthread(mem.read32(a + 4));
  if (!rec) return 0;
  mem.write32(a + 32, arg1);
  mem.write32(a + 36, arg2);
  const Deferred::Apc queued{a, mem.read32(a + 16), mem.read32(a + 24), mem.read32(a + 28), arg1, arg2,
                             mem.read8(a + 2) == kKernelMode};
  return x.k.deferred().queue_apc(rec->tid, queued, x.t.tid) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x007A, KeInsertQueueApc, Implemented);

// -> TRUE when it was queued (and is no longer).
uint32_t KeRemoveQueueApc(ExportContext& x, GuestPtr<void> apc) {
  apc.probe(kKapcSize, cpu::Access::Read);
  return x.k.deferred().remove_apc(apc.addr()) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x02F0, KeRemoveQueueApc, Implemented);

// NtQueueApcThread(HANDLE thread, PPS_APC_ROUTINE, context, arg1, arg2): a user APC calling
// routine(context, arg1, arg2) in the thread's next alertable wait. A thread that has exited:
// STATUS_UNSUCCESSFUL (NT: KeInsertQueueApc failed).
uint32_t NtQueueApcThread(ExportContext& x, Handle thread, uint32_t routine, uint32_t context, uint32_t arg1,
                          uint32_t arg2) {
  KernelObject* o = x.k.objects().by_handle(thread.value);
  if (!o) return kStatusInvalidHandle;
  if (o->type != ObjectType::Thread) return kStatusObjectTypeMismatch;
  return x.k.deferred().queue_apc(o->owner_tid, {0, 0, routine, context, arg1, arg2}, x.t.tid) ? kStatusSuccess
                                                                                                : kStatusUnsuccessful;
}
HEXAD_EXPORT(xboxkrnl, 0x00E3, NtQueueApcThread, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> timer_exports() { return kAreaExports; }

}  // namespace hexad::kernel
