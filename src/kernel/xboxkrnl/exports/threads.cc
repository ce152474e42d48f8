// Thread creation, termination, suspension, priority and affinity.
#include <algorithm>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

using cpu::sched::GuestThread;

// ExCreateThread's creation flags, as xenia-canary reads them (xboxkrnl_threading.cc
// ExCreateThread, xthread.cc XThread::XThread and XThread::Create).
constexpr uint32_t kCreateSuspended = 0x1;
constexpr uint32_t kCreateSystemThread = 0x2;    // a thread of the system process, not the title's
constexpr uint32_t kCreateAboveNormal = 0x20;    // with 0x40: 0x20 above normal, else normal
constexpr uint32_t kCreatePriorityBits = 0x60;
constexpr uint32_t kCreateReturnKthread = 0x80;  // *handle_out gets the KTHREAD pointer, not a handle
constexpr uint32_t kCreateAffinityShift = 24;    // bits 24-31: the logical-processor mask (0: any)
constexpr int32_t kDefaultPriority = kProcessBasePriority;

HEXAD_EXPORTS_BEGIN;

// With an XAPI startup routine the thread begins there with (start, context) as its arguments.
// Flags: see above. The processor mask uses bits 24-29 (the six slots); one naming only bits 30-31
// (no slot) is STATUS_INVALID_PARAMETER, as for KeSetAffinityThread. hexad keeps the whole mask
// where xenia pins the thread to the mask's one processor.
uint32_t ExCreateThread(ExportContext& x, GuestPtr<Handle> handle_out, uint32_t stack_size,
                        GuestPtr<uint32_t> thread_id_out, uint32_t xapi_startup, uint32_t start_address,
                        uint32_t start_context, uint32_t creation_flags) {
  if (!start_address && !xapi_startup) return kStatusInvalidParameter;
  const uint32_t processor_mask = creation_flags >> kCreateAffinityShift;
  if (processor_mask && !(processor_mask & cpu::sched::kAllSlots)) return kStatusInvalidParameter;
  const uint8_t affinity = processor_mask ? uint8_t(processor_mask & cpu::sched::kAllSlots) : cpu::sched::kAllSlots;
  // xenia sets the host thread above normal for 0x20 and normal for 0x40: one step above the
  // default base priority, or the default.
  const int32_t priority = (creation_flags & kCreatePriorityBits) && (creation_flags & kCreateAboveNormal)
                               ? kDefaultPriority + 1
                               : kDefaultPriority;
  // A bad out-pointer faults the caller before the thread exists: no orphan thread runs.
  handle_out.probe_if_set();
  thread_id_out.probe_if_set();
  uint32_t entry = xapi_startup ? xapi_startup : start_address;
  uint32_t r3 = xapi_startup ? start_address : start_context, r4 = xapi_startup ? start_context : 0;
  GuestThread* created =
      x.k.create_thread(entry, r3, r4, stack_size, affinity, priority, creation_flags & kCreateSuspended, false);
  if (!created) return kStatusNoMemory;
  GuestThread& t = *created;
  ThreadRecord* rec = x.k.thread_record(t.tid);
  rec->system_thread = creation_flags & kCreateSystemThread;
  if (handle_out)
    handle_out.write(Handle{creation_flags & kCreateReturnKthread ? rec->kthread_addr : rec->object->handle});
  if (thread_id_out) thread_id_out.write(t.tid);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x000D, ExCreateThread, Implemented);

void ExTerminateThread(ExportContext& x, int32_t exit_status) { x.k.terminate_thread(x.t, exit_status); }
HEXAD_EXPORT(xboxkrnl, 0x0019, ExTerminateThread, Implemented);

// The thread behind a handle, or the status to fail with (NT's ObReferenceObjectByHandle with
// the thread type: an unknown handle is STATUS_INVALID_HANDLE, another object's a type mismatch).
uint32_t thread_by_handle(ExportContext& x, Handle h, ThreadRecord*& rec) {
  rec = x.k.thread_by_handle_or_kthread(h.value);
  if (rec) return kStatusSuccess;
  return x.k.objects().by_handle(h.value) ? kStatusObjectTypeMismatch : kStatusInvalidHandle;
}

uint32_t NtResumeThread(ExportContext& x, Handle thread, GuestPtr<uint32_t> previous_suspend_count) {
  ThreadRecord* rec;
  if (uint32_t status = thread_by_handle(x, thread, rec)) return status;
  previous_suspend_count.probe_if_set();  // a bad pointer faults before the thread resumes
  uint32_t prev = x.k.sched().resume(*x.k.sched().find(rec->tid));
  if (previous_suspend_count) previous_suspend_count.write(prev);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00F5, NtResumeThread, Implemented);

uint32_t NtSuspendThread(ExportContext& x, Handle thread, GuestPtr<uint32_t> previous_suspend_count) {
  ThreadRecord* rec;
  if (uint32_t status = thread_by_handle(x, thread, rec)) return status;
  previous_suspend_count.probe_if_set();  // a bad pointer faults before the thread is suspended
  // A Ready or Running thread stops at once; a waiting one has its wait aborted (Kernel::suspend_thread).
  Kernel::SuspendResult r = x.k.suspend_thread(*x.k.sched().find(rec->tid), x.t);
  if (r.status) return r.status;  // exited or faulted: terminating; at 127: count exceeded
  if (previous_suspend_count) previous_suspend_count.write(r.previous);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00FC, NtSuspendThread, Implemented);

// KeSetBasePriorityThread(thread, increment) -> the previous increment. The console's kernel, as
// xenia's decompilation of it shows (disjtqz/xenia-canar xboxkrnl_threading.cc,
// xeKeSetBasePriorityThread), does what NT's does: the new base priority is the process's base
// priority plus the increment, clamped to the thread's range; an increment of magnitude 16 or more
// saturates (KTHREAD.Saturation = its sign); the result is the previous base minus the process's
// base, or 16 x the saturation when saturated. hexad's process base priority is 8 (the default
// thread priority) and its range the scheduler's 0..31 (the console's bounds are not known): so
// an increment of i gives base priority 8 + i, clamped (docs/priorities.md). The thread may be
// given as its KTHREAD pointer or its handle; one that is no thread: 0, nothing changes.
int32_t KeSetBasePriorityThread(ExportContext& x, GuestPtr<void> thread, int32_t increment) {
  ThreadRecord* rec = x.k.thread_by_handle_or_kthread(thread.addr());
  if (!rec) return 0;
  GuestThread* t = x.k.sched().find(rec->tid);
  const int32_t previous = base_priority_increment(*rec, *t);
  rec->priority_saturation = increment >= kSaturatingIncrement ? 1 : increment <= -kSaturatingIncrement ? -1 : 0;
  x.k.sched().set_base_priority(*t, int32_t(std::clamp<int64_t>(int64_t(kProcessBasePriority) + increment, 0, 31)));
  return previous;
}
HEXAD_EXPORT(xboxkrnl, 0x0099, KeSetBasePriorityThread, Implemented);

// -> an NTSTATUS; the previous affinity mask goes through `previous` (the console's convention,
// unlike NT's KeSetAffinityThread which returns it: xenia's disassembly notes). An empty mask
// (no slot bit among 0x3F) is STATUS_INVALID_PARAMETER and changes nothing; a thread that is no
// KTHREAD or thread handle is STATUS_INVALID_HANDLE. A bad non-null `previous` faults the caller.
uint32_t KeSetAffinityThread(ExportContext& x, GuestPtr<void> thread, uint32_t affinity, GuestPtr<uint32_t> previous) {
  if (!(affinity & cpu::sched::kAllSlots)) return kStatusInvalidParameter;
  ThreadRecord* rec = x.k.thread_by_handle_or_kthread(thread.addr());
  if (!rec) return kStatusInvalidHandle;
  GuestThread* t = x.k.sched().find(rec->tid);
  previous.write_if_set(t->affinity);
  x.k.sched().set_affinity(*t, uint8_t(affinity));
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x0097, KeSetAffinityThread, Implemented);

// Writes the object's guest header address to `out_object` and takes a reference
// (KernelObject::pointer_refs), which ObDereferenceObject drops.
uint32_t ObReferenceObjectByHandle(ExportContext& x, Handle handle, GuestPtr<void> object_type,
                                   GuestPtr<GuestPtr<void>> out_object) {
  KernelObject* o = x.k.objects().by_handle(handle.value);
  if (!o) return kStatusInvalidHandle;
  if (out_object) out_object.write(GuestPtr<void>(x.mem(), o->guest_addr));
  ++o->pointer_refs;
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x0110, ObReferenceObjectByHandle, Implemented);

// Drops a reference taken by ObReferenceObject(ByHandle) or ObLookupThreadByThreadId. Objects
// are never freed (NtClose drops only the handle), so the count is bookkeeping: the dump's
// "pointer_refs" shows references a title never dropped. One more drop than takes, or a pointer
// that is no object, changes nothing (NT would bugcheck). Returns 0 in r3 (void on the console).
uint32_t ObDereferenceObject(ExportContext& x, GuestPtr<void> object) {
  KernelObject* o = x.k.objects().by_handle_or_address(object.addr());
  if (o && o->pointer_refs) --o->pointer_refs;
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0105, ObDereferenceObject, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> thread_exports() { return kAreaExports; }

}  // namespace hexad::kernel
