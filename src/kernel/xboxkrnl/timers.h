// Timers on the scheduler's guest-time event queue (cpu/sched/event_queue.h): an armed timer is one
// global event at its due cycle, so timers expire in (due cycle, arming order) order, before any
// slot step at that cycle, and idle time skips to the earliest. Expiry signals the timer (waits
// are satisfied as for any dispatcher object, traced as signal.match by "timer"), queues its DPC on
// the slot of the thread that set it, queues NtSetTimerEx's completion routine as a user APC to
// that thread, and re-arms a periodic timer at due + period (from the due cycle, so periods never
// drift). Setting a timer clears its signal state, as NT's KeSetTimerEx does.
//
// KTIMER layout (xenia's X_KTIMER, xboxkrnl_threading.h / xtimer.h): DISPATCHER_HEADER @0 (type 8
// notification, 9 synchronization), DueTime u64 @0x10, LIST_ENTRY @0x18, Dpc @0x20, Period @0x24;
// 0x28 bytes. hexad writes DueTime (guest system time, 100 ns units), Dpc and Period when it is set.
#pragma once
#include <cstdint>
#include <optional>

#include "cpu/sched/event_queue.h"
#include "kernel/xboxkrnl/objects.h"

namespace hexad::cpu::sched {
struct GuestThread;
}

namespace hexad::kernel {

class Kernel;

constexpr uint32_t kKtimerSize = 0x28;

class Timers : public cpu::sched::EventClient {
 public:
  explicit Timers(Kernel& k) : k_(k) {}

  struct Setting {
    int64_t due = 0;          // NT due time: < 0 relative, in 100 ns units; > 0 absolute system time
    uint32_t period_ms = 0;   // 0: once
    uint32_t dpc = 0;         // KDPC queued at each expiry, 0 = none
    uint32_t apc_routine = 0; // NtSetTimerEx: completion routine, a user APC to the setter
    uint32_t apc_context = 0;
  };
  // Arms `timer` (a timer object) for `setter`; returns whether it was armed before.
  bool set(KernelObject& timer, cpu::sched::GuestThread& setter, const Setting& s);
  // Disarms it; returns whether it was armed. The signal state is unchanged.
  bool cancel(KernelObject& timer);
  // Gives a KTIMER the guest initialised itself its header, as KeInitializeTimerEx does.
  void initialize(KernelObject& timer, ObjectType type);

  void on_event(uint64_t object_id, uint64_t now) override;

 private:
  void write_guest_fields(const KernelObject& timer);
  Kernel& k_;
};

}  // namespace hexad::kernel
