// DPCs and APCs: the queues of guest routines the kernel owes a slot or a thread, and the points at
// which they run (docs/architecture.md, "DPCs and APCs"). The routines run through GuestCalls.
//
// DPCs. A DPC is queued on a slot: the caller's slot for KeInsertQueueDpc, the slot of the thread
// that set the timer for a timer's DPC. Each slot has a DPC thread, created at the slot's first DPC
// (key "kernel/dpc@slotN", priority 31, affinity that slot only), which is Blocked while its queue is
// empty and made Ready when a DPC is queued. It runs at the slot's next pick — KeInsertQueueDpc
// yields the caller's slot, so that is at once — and calls the queued routines in queue order,
// DeferredRoutine(Dpc, DeferredContext, SystemArgument1, SystemArgument2), then blocks again.
//
// APCs. An APC is queued to a thread. A user APC runs only when its thread is in an alertable wait
// (KeWaitFor*, NtWaitFor*, KeDelayExecutionThread with Alertable): a wait begun with APCs queued
// returns STATUS_USER_APC at once, and one that is blocked when an APC is queued ends with it; the
// thread then calls every queued APC, in queue order (those queued meanwhile too), and the wait
// returns STATUS_USER_APC. A KAPC's KernelRoutine(Apc, &NormalRoutine, &NormalContext,
// &SystemArgument1, &SystemArgument2) is called first and may change or clear what follows; then
// NormalRoutine(NormalContext, SystemArgument1, SystemArgument2). A kernel-mode KAPC is delivered
// at the same points (hexad has no asynchronous kernel APC delivery). A thread's queued APCs are
// dropped when it exits.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "cpu/sched/guest_thread.h"
#include "kernel/xboxkrnl/guest_calls.h"

namespace hexad::kernel {

class Kernel;

// KDPC (xenia's XDPC, kernel/xthread.h): type u16 @0 (19), selected/desired cpu @2/@3,
// LIST_ENTRY @4, DeferredRoutine @0xC, DeferredContext @0x10, SystemArgument1/2 @0x14/@0x18.
constexpr uint32_t kKdpcSize = 0x1C;
constexpr uint16_t kKdpcType = 19;
// KAPC (xenia's XAPC, 40 bytes): type u16 @0 (18), ApcMode @2, Inserted @3, Thread @4,
// LIST_ENTRY @8, KernelRoutine @16, RundownRoutine @20, NormalRoutine @24, NormalContext @28,
// SystemArgument1/2 @32/@36.
constexpr uint32_t kKapcSize = 40;
constexpr uint16_t kKapcType = 18;

class Deferred {
 public:
  explicit Deferred(Kernel& k) : k_(k) {}

  // Queues the KDPC at `dpc` (already probed by the caller) on `slot`; false when it is queued
  // already (nothing changes) or unreadable.
  bool queue_dpc(uint32_t dpc, uint32_t arg1, uint32_t arg2, uint8_t slot);
  bool remove_dpc(uint32_t dpc);  // false: it was not queued
  // Queues a call of routine(arg1, arg2) on `slot`'s DPC thread, in DPC order, with no KDPC: an
  // interrupt the kernel raises (the GPU's vblank). Traced as kernel.call with `reason` when it
  // runs. False when the slot's DPC thread cannot be created.
  bool queue_interrupt(uint8_t slot, const char* reason, uint32_t routine, uint32_t arg1, uint32_t arg2);

  struct Apc {
    uint32_t kapc = 0;  // 0: NtQueueApcThread or a timer's completion routine (no KAPC)
    uint32_t kernel_routine = 0;
    uint32_t normal_routine = 0;
    uint32_t context = 0;
    uint32_t arg1 = 0, arg2 = 0;
  };
  // Queues `apc` to thread `tid` (false: it exited); ends its wait if that is alertable.
  bool queue_apc(uint32_t tid, const Apc& apc, uint32_t actor_tid);
  bool remove_apc(uint32_t kapc);  // false: it was not queued
  bool apc_queued(uint32_t kapc) const;
  size_t apcs_of(uint32_t tid) const { return tid < apcs_.size() ? apcs_[tid].size() : 0; }

  // Waits: an alertable wait of `tid` returns STATUS_USER_APC without blocking; the thread
  // delivers its APCs when the kernel call returns (after_kernel_call).
  void deliver_after_call(uint32_t tid);
  // Waits: `t`'s blocked alertable wait was ended by an APC (it is no longer Running).
  void deliver_when_running(cpu::sched::GuestThread& t);
  // Kernel::call_export, after the export returned to a still Running `t`.
  void after_kernel_call(cpu::sched::GuestThread& t);
  // Calls a kernel call owes its caller: guest routines the thread runs when the export returns,
  // before its next instruction, in the order queued, through GuestCalls (a loaded DLL's DllMain,
  // title-terminate notifications). `reason` is the kernel.call event's (a string literal).
  // `then`, when set, runs once after the last of them returned (the thread Running, its
  // registers the export's return): the terminating export ends the run there.
  using AfterCalls = std::function<void(Kernel&, cpu::sched::GuestThread&)>;  // rare: may allocate
  void call_on_return(uint32_t tid, const char* reason, uint32_t routine, const std::array<uint32_t, 3>& args);
  void then_on_return(uint32_t tid, AfterCalls then);

  // Kernel::on_thread_return: `t` stopped at kGuestCallReturn or kKernelEntryPc.
  void on_sentinel(cpu::sched::GuestThread& t);
  void thread_gone(uint32_t tid);

  struct QueuedDpc {
    uint32_t dpc, routine, context, arg1, arg2;
    const char* interrupt = nullptr;  // queue_interrupt's reason; nullptr: a KDPC
  };
  const std::array<std::deque<QueuedDpc>, cpu::sched::kSlotCount>& dpc_queues() const { return dpcs_; }
  uint32_t dpc_thread(uint8_t slot) const { return dpc_threads_[slot]; }
  bool is_dpc_thread(uint32_t tid) const { return dpc_slot_of(tid) >= 0; }

 private:
  void next_dpc(cpu::sched::GuestThread& t, uint8_t slot);
  // A DPC was queued on `slot`: its DPC thread is created, or made Ready if it idles. False when
  // it cannot be created.
  bool wake_dpc_thread(uint8_t slot);
  void next_apc(cpu::sched::GuestThread& t);
  void next_owed(cpu::sched::GuestThread& t);
  int dpc_slot_of(uint32_t tid) const;

  Kernel& k_;
  GuestCalls calls_;
  std::array<std::deque<QueuedDpc>, cpu::sched::kSlotCount> dpcs_;
  std::array<uint32_t, cpu::sched::kSlotCount> dpc_threads_{};  // tid, 0 = not created yet
  std::array<bool, cpu::sched::kSlotCount> dpc_idle_{};          // its thread is Blocked, queue empty
  std::vector<std::deque<Apc>> apcs_;                            // by tid
  std::vector<uint8_t> deliver_after_call_;                      // by tid: 1 = marked
  struct OwedCall {
    const char* reason;
    uint32_t routine;
    std::array<uint32_t, 3> args;
  };
  struct Owed {
    std::deque<OwedCall> calls;
    AfterCalls then;
  };
  // By tid: what the current kernel call owes (pending), and the sequences of owed calls running,
  // innermost last (a DllMain may itself load a DLL: its calls nest).
  std::vector<Owed> pending_;
  std::vector<std::vector<Owed>> owed_;
};

}  // namespace hexad::kernel
