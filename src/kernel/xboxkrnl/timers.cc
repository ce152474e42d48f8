#include "kernel/xboxkrnl/timers.h"

#include <algorithm>

#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {

using cpu::sched::GuestThread;

void Timers::write_guest_fields(const KernelObject& timer) {
  if (!timer.guest_addr) return;
  cpu::Memory& mem = k_.mem();
  if (!mem.accessible(timer.guest_addr, kKtimerSize, cpu::kProtWrite)) return;
  const bool armed = bool(timer.timer.event);
  // DueTime as the console keeps it: the system time it expires at (0 when not armed).
  const uint64_t due = armed ? kBootSystemTime + Kernel::cycles_to_ns(timer.timer.due_cycle) / 100 : 0;
  mem.write64(timer.guest_addr + 0x10, due);
  mem.write32(timer.guest_addr + 0x20, timer.timer.dpc);
  mem.write32(timer.guest_addr + 0x24, timer.timer.period_ms);
  mem.write8(timer.guest_addr + 3, armed ? 1 : 0);  // DISPATCHER_HEADER.Inserted: in the timer queue
}

void Timers::initialize(KernelObject& timer, ObjectType type) {
  cancel(timer);
  timer.type = type;
  timer.signal_state = 0;
  timer.timer = {};
  k_.objects().init_guest_header(timer);
  write_guest_fields(timer);
}

bool Timers::set(KernelObject& timer, GuestThread& setter, const Setting& s) {
  const bool was_armed = cancel(timer);
  KernelObject::TimerState& st = timer.timer;
  st.period_ms = s.period_ms;
  st.dpc = s.dpc;
  st.apc_routine = s.apc_routine;
  st.apc_context = s.apc_context;
  st.setter_tid = setter.tid;
  st.setter_slot = k_.sched().running_slot(setter);
  timer.signal_state = 0;
  // A due time no run can reach (past kNeverCycle) leaves the timer disarmed: it would never fire.
  if (std::optional<uint64_t> due = k_.nt_time_to_cycle(s.due)) {
    st.due_cycle = *due;
    st.event = k_.sched().events().schedule(*due, *this, timer.id);
  }
  k_.objects().mirror(timer);
  write_guest_fields(timer);
  return was_armed;
}

bool Timers::cancel(KernelObject& timer) {
  const bool armed = k_.sched().events().cancel(timer.timer.event);
  timer.timer.event = {};
  write_guest_fields(timer);
  return armed;
}

void Timers::on_event(uint64_t object_id, uint64_t now) {
  auto it = k_.objects().all().find(uint32_t(object_id));
  if (it == k_.objects().all().end()) return;
  KernelObject& timer = *it->second;
  KernelObject::TimerState& st = timer.timer;
  st.event = {};
  ++st.fires;
  std::optional<uint64_t> next_due_ns;
  if (st.period_ms) {
    // From the due cycle, not from now: a periodic timer's expiries stay on its grid.
    const uint64_t next = st.due_cycle + Kernel::ns_to_cycles(uint64_t(st.period_ms) * 1'000'000);
    if (next <= kNeverCycle) {
      st.due_cycle = std::max(next, now);
      st.event = k_.sched().events().schedule(st.due_cycle, *this, timer.id);
      next_due_ns = Kernel::cycles_to_ns(st.due_cycle);
    }
  }
  write_guest_fields(timer);
  k_.trace().emit(k_.where(0), trace::TimerFire{timer.label(), st.period_ms, st.dpc, next_due_ns});
  timer.signal_state = 1;
  k_.signal_from_kernel(timer, st.setter_tid, "timer");
  // NT passes the expiry's system time, low and high part, to the DPC and the APC routine.
  const uint64_t system_time = k_.system_time();
  const uint32_t low = uint32_t(system_time), high = uint32_t(system_time >> 32);
  if (st.dpc) k_.deferred().queue_dpc(st.dpc, low, high, st.setter_slot);
  if (st.apc_routine) k_.deferred().queue_apc(st.setter_tid, {0, 0, st.apc_routine, st.apc_context, low, high}, 0);
}

}  // namespace hexad::kernel
