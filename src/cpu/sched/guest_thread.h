// A guest thread as the scheduler sees it. Kernel-side state (waits, handles) lives in the
// kernel and refers to threads by tid.
#pragma once
#include <cstdint>
#include <memory>

#include "cpu/context.h"

namespace hexad::cpu::sched {

constexpr uint32_t kSlotCount = 6;  // 3 cores × 2 hardware threads; slot = core * 2 + thread
constexpr uint8_t kAllSlots = 0x3F;

enum class ThreadState : uint8_t { Ready, Running, Blocked, Suspended, Exited, Faulted };
const char* state_name(ThreadState s);

class Scheduler;

// Where a thread's guest time went (the dump's per-thread "sched"). Kept by the scheduler at
// every state change: the time since the last change is added to the state left. Within a
// thread the moments are monotonic (a wake is never before the wait began), so no interval is
// negative.
struct ThreadSchedStats {
  uint64_t dispatches = 0;             // Ready -> Running
  uint64_t dispatch_latency_sum = 0;   // guest cycles from becoming Ready to running, summed
  uint64_t dispatch_latency_max = 0;
  uint64_t cycles_ready = 0;
  uint64_t cycles_running = 0;
  uint64_t cycles_blocked = 0;
  uint64_t cycles_suspended = 0;
};

// The state machine (state, suspend count, home slot) is the scheduler's alone: everyone else
// reads it through the accessors and asks the Scheduler for a change.
struct GuestThread {
  uint32_t tid = 0;
  ThreadState state() const { return state_; }
  uint32_t suspend_count() const { return suspend_count_; }
  uint8_t slot() const { return slot_; }
  bool alive() const { return state_ != ThreadState::Exited && state_ != ThreadState::Faulted; }
  // Totals up to its last state change; Scheduler::sched_stats adds the current stretch.
  const ThreadSchedStats& sched_stats() const { return stats_; }
  uint64_t state_since_cycle() const { return state_since_cycle_; }

  uint8_t affinity = kAllSlots;
  int32_t base_priority = 0;
  uint64_t last_run_round = 0;
  uint64_t ready_seq = 0;
  uint64_t ready_cycle = 0;  // guest cycle at which it last became Ready
  bool yield_pending = false;
  int64_t exit_code = 0;
  std::unique_ptr<ThreadContext> ctx;

 private:
  friend class Scheduler;
  ThreadState state_ = ThreadState::Ready;
  uint32_t suspend_count_ = 0;
  uint8_t slot_ = 0;
  int8_t running_on_ = -1;  // the slot it holds while Running
  // Where its last cpu run stopped, when the kernel has not yet seen it: a kernel call waits
  // until its slot's clock is the earliest (scheduler.h).
  StopReason pending_ = StopReason::None;
  ThreadSchedStats stats_;
  uint64_t state_since_cycle_ = 0;   // guest cycle of its last state change
  uint64_t ready_since_round_ = 0;   // round it last became Ready (--starvation-alarm)
  bool starvation_reported_ = false;  // this Ready stretch already raised the alarm
  // pct: the round it was preempted at a change point; it is not picked again in that round.
  uint64_t pct_preempted_round_ = UINT64_MAX;
};

}  // namespace hexad::cpu::sched
