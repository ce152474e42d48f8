// Thread creation, termination, suspension, priority and affinity.
#include "kernel/exports/export_table.h"
#include "kernel/kernel.h"

namespace hexad::kernel {
namespace {

using cpu::sched::GuestThread;

constexpr uint32_t kCreateSuspended = 0x1;
constexpr int32_t kDefaultPriority = 8;

// ExCreateThread(PHANDLE handle, DWORD stack_size, PDWORD thread_id, PVOID xapi_startup,
//                PVOID start_address, PVOID start_context, DWORD creation_flags)
void ExCreateThread(ExportCall& c) {
  uint32_t handle_ptr = c.arg(0), stack = c.arg(1), id_ptr = c.arg(2), xapi = c.arg(3), start = c.arg(4),
           context = c.arg(5), flags = c.arg(6);
  if (!start && !xapi) return c.ret(kStatusInvalidParameter);
  // With an XAPI startup routine the thread begins there with (start, context) as its arguments.
  uint32_t entry = xapi ? xapi : start;
  uint32_t r3 = xapi ? start : context, r4 = xapi ? context : 0;
  GuestThread* created = c.k.create_thread(entry, r3, r4, stack, cpu::sched::kAllSlots, kDefaultPriority,
                                          flags & kCreateSuspended, false);
  if (!created) return c.ret(kStatusNoMemory);
  GuestThread& t = *created;
  ThreadRecord* rec = c.k.thread_record(t.tid);
  if (handle_ptr) c.k.mem().write32(handle_ptr, rec->object->handle);
  if (id_ptr) c.k.mem().write32(id_ptr, t.tid);
  c.ret(kStatusSuccess);
}

void ExTerminateThread(ExportCall& c) {
  c.k.terminate_thread(c.t, int32_t(c.arg(0)));
}

// NtResumeThread(HANDLE, PULONG previous_suspend_count)
void NtResumeThread(ExportCall& c) {
  ThreadRecord* rec = c.k.thread_by_handle_or_kthread(c.arg(0));
  if (!rec) return c.ret(kStatusInvalidHandle);
  uint32_t prev = c.k.sched().resume(*c.k.sched().find(rec->tid));
  if (c.arg(1)) c.k.mem().write32(c.arg(1), prev);
  c.ret(kStatusSuccess);
}

// NtSuspendThread(HANDLE, PULONG previous_suspend_count)
void NtSuspendThread(ExportCall& c) {
  ThreadRecord* rec = c.k.thread_by_handle_or_kthread(c.arg(0));
  if (!rec) return c.ret(kStatusInvalidHandle);
  // A Ready or Running thread stops at once; a Blocked one is suspended when its wait ends.
  std::optional<uint32_t> prev = c.k.sched().suspend(*c.k.sched().find(rec->tid));
  if (!prev) return c.ret(kStatusInvalidHandle);  // it exited or faulted
  if (c.arg(1)) c.k.mem().write32(c.arg(1), *prev);
  c.ret(kStatusSuccess);
}

// KeSetBasePriorityThread(PKTHREAD thread, LONG priority) -> previous base priority.
// hexad takes the second argument as the new base priority (0..31); the thread may be given as
// its KTHREAD pointer or its handle.
void KeSetBasePriorityThread(ExportCall& c) {
  ThreadRecord* rec = c.k.thread_by_handle_or_kthread(c.arg(0));
  if (!rec) return c.ret(0);
  GuestThread* t = c.k.sched().find(rec->tid);
  int32_t prev = t->base_priority;
  c.k.sched().set_base_priority(*t, int32_t(c.arg(1)));
  c.ret(uint32_t(prev));
}

// KeSetAffinityThread(PKTHREAD thread, KAFFINITY affinity, PKAFFINITY previous) -> previous.
void KeSetAffinityThread(ExportCall& c) {
  ThreadRecord* rec = c.k.thread_by_handle_or_kthread(c.arg(0));
  if (!rec) return c.ret(0);
  GuestThread* t = c.k.sched().find(rec->tid);
  uint32_t prev = t->affinity;
  c.k.sched().set_affinity(*t, uint8_t(c.arg(1)));
  if (c.arg(2) && c.k.mem().accessible(c.arg(2), 4, cpu::kProtWrite)) c.k.mem().write32(c.arg(2), prev);
  c.ret(prev);
}

// ObReferenceObjectByHandle(HANDLE, PVOID object_type, PVOID* out): the object's guest header.
void ObReferenceObjectByHandle(ExportCall& c) {
  KernelObject* o = c.k.objects().by_handle(c.arg(0));
  if (!o) return c.ret(kStatusInvalidHandle);
  if (c.arg(2)) c.k.mem().write32(c.arg(2), o->guest_addr);
  c.ret(kStatusSuccess);
}

void ObDereferenceObject(ExportCall& c) { c.ret(0); }

constexpr ExportEntry kExports[] = {
    {"xboxkrnl", 0x00D, "ExCreateThread", 7, ExCreateThread},
    {"xboxkrnl", 0x019, "ExTerminateThread", 1, ExTerminateThread},
    {"xboxkrnl", 0x0F5, "NtResumeThread", 2, NtResumeThread},
    {"xboxkrnl", 0x0FC, "NtSuspendThread", 2, NtSuspendThread},
    {"xboxkrnl", 0x099, "KeSetBasePriorityThread", 2, KeSetBasePriorityThread},
    {"xboxkrnl", 0x097, "KeSetAffinityThread", 3, KeSetAffinityThread},
    {"xboxkrnl", 0x110, "ObReferenceObjectByHandle", 3, ObReferenceObjectByHandle},
    {"xboxkrnl", 0x105, "ObDereferenceObject", 1, ObDereferenceObject},
};

}  // namespace

std::span<const ExportEntry> thread_exports() { return kExports; }

}  // namespace hexad::kernel
