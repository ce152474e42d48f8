#include "kernel/xboxkrnl/vblank.h"

#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {

using cpu::sched::ThreadState;

uint64_t Vblank::cycle_of(uint64_t n) { return Kernel::ns_to_cycles(uint64_t((unsigned __int128)n * 1'000'000'000 / kVblankHz)); }

void Vblank::callback_set() {
  if (next_ || stopped_) return;
  arm_after(k_.now_cycle());
}

void Vblank::arm_after(uint64_t now) {
  // The first n whose cycle is past now.
  uint64_t n = uint64_t((unsigned __int128)Kernel::cycles_to_ns(now) * kVblankHz / 1'000'000'000);
  while (cycle_of(n) <= now) ++n;
  next_ = k_.sched().events().schedule(cycle_of(n), *this, 0);
}

uint64_t Vblank::title_dispatches() const {
  uint64_t n = 0;
  for (const auto& t : k_.sched().threads())
    if (!k_.deferred().is_dpc_thread(t->tid)) n += t->sched_stats().dispatches;
  return n;
}

void Vblank::on_event(uint64_t, uint64_t now) {
  next_ = {};
  gpu::GpuState& gpu = k_.gpu();
  gpu.count_vblank();
  const uint32_t callback = gpu.interrupt_callback();
  if (!callback) return;  // no callback: no vblanks until one is set
  // A callback that faulted took slot 2's DPC thread with it: nothing can call it any more.
  if (const uint32_t dpc_tid = k_.deferred().dpc_thread(kGraphicsInterruptSlot)) {
    const cpu::sched::GuestThread* t = k_.sched().find(dpc_tid);
    if (!t || !t->alive()) {
      stopped_ = "the interrupt callback's thread ended";
      return;
    }
  }
  bool busy = k_.sched().events().size() != 0;
  for (const auto& t : k_.sched().threads())
    busy |= !k_.deferred().is_dpc_thread(t->tid) &&
            (t->state() == ThreadState::Ready || t->state() == ThreadState::Running);
  const uint64_t dispatches = title_dispatches();
  busy |= dispatches != dispatches_seen_;
  dispatches_seen_ = dispatches;
  if (!busy && idle_before_) {
    stopped_ = "idle";
    return;
  }
  idle_before_ = !busy;
  k_.deferred().queue_interrupt(kGraphicsInterruptSlot, "graphics-interrupt", callback, 0,
                                gpu.interrupt_callback_argument());
  arm_after(now);
}

}  // namespace hexad::kernel
