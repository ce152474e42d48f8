// The Ke* thread calls on a KTHREAD (suspend/resume counts, priority, boost, process type, stack
// pointers) and the Ob* calls that turn threads and objects into pointers and handles. Facts about
// the console come from xenia-canary's xboxkrnl_threading.cc and xboxkrnl_ob.cc, and NT's (WRK)
// where xenia is silent; each function says which.
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

using cpu::sched::GuestThread;

constexpr uint32_t kStatusUnsuccessful = 0xC0000001;
constexpr uint32_t kNtCurrentThread = 0xFFFFFFFE;  // the pseudo-handle NtCurrentThread()
constexpr uint32_t kDuplicateCloseSource = 0x1;    // NtDuplicateObject's DUPLICATE_CLOSE_SOURCE

// The thread a KTHREAD pointer (or, as hexad's Ke*Thread calls also take, a thread handle) names.
GuestThread* thread_at(ExportContext& x, GuestPtr<void> kthread) {
  ThreadRecord* rec = x.k.thread_by_handle_or_kthread(kthread.addr());
  return rec ? x.k.sched().find(rec->tid) : nullptr;
}

HEXAD_EXPORTS_BEGIN;

// -> the previous suspend count (xenia: KeSuspendThread_entry returns the count before; NT's
// KeSuspendThread too). Suspends as NtSuspendThread does, waits aborted included. What
// NtSuspendThread refuses changes nothing here and returns the count as it is: 0 for a thread
// that is no thread or has ended, 127 at the limit (NT raises STATUS_SUSPEND_COUNT_EXCEEDED
// there; the console's Ke call has no status to return).
uint32_t KeSuspendThread(ExportContext& x, GuestPtr<void> kthread) {
  GuestThread* t = thread_at(x, kthread);
  if (!t) return 0;
  Kernel::SuspendResult r = x.k.suspend_thread(*t, x.t);
  return r.status ? t->suspend_count() : r.previous;
}
HEXAD_EXPORT(xboxkrnl, 0x00A9, KeSuspendThread, Implemented);

// -> the previous suspend count, as NT's KeResumeThread (xenia's returns a status, always
// success, which no count-keeping caller can use). 0 for a pointer that is no thread.
uint32_t KeResumeThread(ExportContext& x, GuestPtr<void> kthread) {
  GuestThread* t = thread_at(x, kthread);
  return t ? x.k.sched().resume(*t) : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0092, KeResumeThread, Implemented);

// -> the thread's base priority increment over the process's (16 x the sign when saturated), the
// unit KeSetBasePriorityThread takes and returns (xenia's decompiled xeKeQueryBasePriorityThread;
// docs/priorities.md). 0 for a pointer that is no thread (xenia: 0 when the lookup fails).
int32_t KeQueryBasePriorityThread(ExportContext& x, GuestPtr<void> kthread) {
  ThreadRecord* rec = x.k.thread_by_handle_or_kthread(kthread.addr());
  GuestThread* t = rec ? x.k.sched().find(rec->tid) : nullptr;
  return t ? base_priority_increment(*rec, *t) : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0081, KeQueryBasePriorityThread, Implemented);

// -> the previous disable-boost byte; stores the new one (xenia: an exchange of
// KTHREAD.boost_disabled under the dispatcher lock, nothing else). No hexad policy boosts a
// thread on wake, so the byte is state only: the dump shows "boost_disabled". A pointer that is
// no thread changes nothing and returns 0.
uint32_t KeSetDisableBoostThread(ExportContext& x, GuestPtr<void> kthread, Boolean disabled) {
  ThreadRecord* rec = x.k.thread_by_handle_or_kthread(kthread.addr());
  if (!rec) return 0;
  const bool previous = rec->boost_disabled;
  rec->boost_disabled = disabled;
  return previous;
}
HEXAD_EXPORT(xboxkrnl, 0x009C, KeSetDisableBoostThread, Implemented);

// xenia (xeKeSetCurrentProcessType): the type is stored only while a DPC is active on the
// processor (KPCR.processtype_value_in_dpc); from a thread it changes nothing, and
// KeGetCurrentProcessType keeps answering the thread's own process type. hexad runs no DPCs
// on this path, so the call is accepted and has no effect, as from any console thread.
void KeSetCurrentProcessType(ExportContext& x, uint32_t type) {}
HEXAD_EXPORT(xboxkrnl, 0x009A, KeSetCurrentProcessType, Implemented);

// Switches the caller to another stack (fibers): r1 = stack_ptr, and the KTHREAD's stack base
// and limit are recorded (the dump's "stack_limits"), as xenia's KeSetCurrentStackPointers sets
// r1 and KTHREAD.stack_base/stack_limit. Nothing is checked, as on the console: a bad stack
// faults the guest at its next access. A `kthread` that is no thread still moves r1.
void KeSetCurrentStackPointers(ExportContext& x, GuestPtr<void> stack_ptr, GuestPtr<void> kthread,
                               GuestPtr<void> stack_alloc_base, GuestPtr<void> stack_base,
                               GuestPtr<void> stack_limit) {
  if (ThreadRecord* rec = x.k.thread_by_handle_or_kthread(kthread.addr())) {
    rec->stack_limits = StackLimits{stack_base.addr(), stack_limit.addr()};
  }
  x.t.ctx->gpr[1] = stack_ptr.addr();
}
HEXAD_EXPORT(xboxkrnl, 0x009B, KeSetCurrentStackPointers, Implemented);

// -> STATUS_SUCCESS and the thread's KTHREAD pointer, with a reference taken (dropped by
// ObDereferenceObject). An unknown id: STATUS_INVALID_PARAMETER and a null pointer (xenia-canary's
// ObLookupThreadByThreadId). A thread that ended is still found: its object lives on, as NT's
// does while referenced. The out-pointer is written unconditionally (xenia): NULL or unmapped
// faults the caller, before any reference is taken.
uint32_t ObLookupThreadByThreadId(ExportContext& x, uint32_t thread_id, GuestPtr<GuestPtr<void>> out_thread) {
  out_thread.probe(4, cpu::Access::Write);
  ThreadRecord* rec = x.k.thread_record(thread_id);
  if (!rec || !rec->object) {
    out_thread.write(GuestPtr<void>(x.mem(), 0));
    return kStatusInvalidParameter;
  }
  ++rec->object->pointer_refs;
  out_thread.write(GuestPtr<void>(x.mem(), rec->kthread_addr));
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x010B, ObLookupThreadByThreadId, Implemented);

// A new handle to the object whose header is at `object` (a KTHREAD, an object hexad made, a
// KEVENT the guest has used): xenia's two-argument ObOpenObjectByPointer(object, out_handle).
// Memory the kernel has never seen as an object is none (unlike Ke* waits, which take any
// header): STATUS_UNSUCCESSFUL and a zero handle, as xenia-canary, which writes the handle
// unconditionally: a NULL or unmapped out-pointer faults the caller before a handle is made.
uint32_t ObOpenObjectByPointer(ExportContext& x, GuestPtr<void> object, GuestPtr<Handle> out_handle) {
  out_handle.probe(4, cpu::Access::Write);
  KernelObject* o = x.k.objects().by_handle_or_address(object.addr());
  if (!o) {
    out_handle.write(Handle{0});
    return kStatusUnsuccessful;
  }
  out_handle.write(Handle{x.k.objects().add_handle(*o)});
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x010E, ObOpenObjectByPointer, Implemented);

// Takes a reference on the object at `object` (void on the console; 0 in r3 here). A pointer
// to no object the kernel knows changes nothing (NT would bugcheck).
uint32_t ObReferenceObject(ExportContext& x, GuestPtr<void> object) {
  if (KernelObject* o = x.k.objects().by_handle_or_address(object.addr())) ++o->pointer_refs;
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x010F, ObReferenceObject, Implemented);

// NtDuplicateObject(source, &target, options), the console's three-argument form (xenia):
// a new handle to the source's object; NtCurrentThread() (0xFFFFFFFE) duplicates into a real
// handle of the calling thread, which is what titles use it for. DUPLICATE_CLOSE_SOURCE (1)
// closes the source too. A null `target` only closes (with option 1) or does nothing.
// An unknown or closed source: STATUS_INVALID_HANDLE, nothing written (NT). File handles are
// not duplicated (STATUS_OBJECT_TYPE_MISMATCH): hexad's files keep one handle each.
uint32_t NtDuplicateObject(ExportContext& x, Handle source, GuestPtr<Handle> target, uint32_t options) {
  target.probe_if_set();
  KernelObject* o = nullptr;
  if (source.value == kNtCurrentThread) {
    ThreadRecord* rec = x.k.thread_record(x.t.tid);
    o = rec ? rec->object : nullptr;
  } else {
    o = x.k.objects().by_handle(source.value);
  }
  if (!o) return x.k.files().by_handle(source.value) ? kStatusObjectTypeMismatch : kStatusInvalidHandle;
  if (target) target.write(Handle{x.k.objects().add_handle(*o)});
  if ((options & kDuplicateCloseSource) && source.value != kNtCurrentThread) x.k.objects().close(source.value);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00DA, NtDuplicateObject, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> thread_object_exports() { return kAreaExports; }

}  // namespace hexad::kernel
