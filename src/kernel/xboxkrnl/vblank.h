// The GPU's 60 Hz vblank on the scheduler's guest-time event queue, and the graphics interrupt
// callback it calls (VdSetGraphicsInterruptCallback).
//
// When. Vblank n falls at guest time n / 60 s after boot (n * 1e9 / 60 ns, rounded down, then to
// guest cycles: so periods never drift). The vblanks run only while a callback is registered:
// setting one (nonzero) arms the next vblank after now; at a vblank with no callback registered
// any more they stop until one is set again. The GPU state counts them (dump: gpu.vblanks).
//
// What. Each vblank queues callback(0, user_data) — source 0, the vblank interrupt, and the
// argument given with the callback, as xenia's GraphicsSystem::MarkVblank /
// DispatchInterruptCallback (xenia-project/xenia src/xenia/gpu/graphics_system.cc) — on slot 2's
// DPC thread (xenia runs it "on CPU 2"), which calls it through GuestCalls at that slot's next
// pick, traced as kernel.call with reason "graphics-interrupt". A callback that faults faults the
// DPC thread (thread.fault): the guest fault, no host one.
//
// A vblank is an event that never runs out, so it must not keep a wedged run alive: a vblank at
// which no title thread (the DPC threads aside) is Ready or Running, no other event is pending,
// and no title thread was dispatched since the previous vblank is idle; after two idle vblanks
// in a row the vblanks stop for good , and the scheduler sees
// the deadlock it would have seen without a GPU. They stop too when the callback faulted slot 2's
// DPC thread (nothing can call it any more). The dump's gpu.vblanks_stopped says why.
#pragma once
#include <cstdint>

#include "cpu/sched/event_queue.h"

namespace hexad::kernel {

class Kernel;

constexpr uint32_t kVblankHz = 60;
constexpr uint8_t kGraphicsInterruptSlot = 2;

class Vblank : public cpu::sched::EventClient {
 public:
  explicit Vblank(Kernel& k) : k_(k) {}
  // A callback was registered: arms the next vblank if none is pending (and they did not stop).
  void callback_set();
  void on_event(uint64_t payload, uint64_t now) override;
  // Why the vblanks stopped for good ("idle", or the callback's DPC thread ended by a fault);
  // nullptr while they go on.
  const char* stopped() const { return stopped_; }
  // The guest cycle of vblank n.
  static uint64_t cycle_of(uint64_t n);

 private:
  void arm_after(uint64_t now);
  uint64_t title_dispatches() const;
  Kernel& k_;
  cpu::sched::EventId next_;
  uint64_t dispatches_seen_ = 0;
  bool idle_before_ = false;
  const char* stopped_ = nullptr;
};

}  // namespace hexad::kernel
