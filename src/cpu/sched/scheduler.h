// The deterministic run loop over the six hardware slots (mechanism; the pick rule is in
// pick_policy.h). One round visits slots 0..5 in order; each visit picks and runs Ready
// threads bound to that slot until the slot's quantum for the round is used or nobody there is
// Ready.
//
// Guest time (cycles) is a pure function of retired instructions and rounds: slots run in
// parallel within a round, so during a visit the clock reads round_start + instructions the
// slot has retired in this round, and a round advances the clock by the most any slot retired
// (at least 1). With nothing runnable, time skips to the next wait deadline. A thread made
// Ready by a slot whose clock is ahead (woken or created earlier in the round by a later
// moment) is not run before that moment: the picking slot's clock waits for it, so guest time
// is monotonic along every chain of cause and effect.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "cpu/exec_backend.h"
#include "cpu/sched/guest_thread.h"
#include "cpu/sched/pick_policy.h"

namespace hexad::cpu::sched {

struct SchedulerOptions {
  uint64_t quantum = 20'000;  // guest instructions a slot runs per round
  uint64_t budget = 0;        // total retired instructions; 0 = unlimited
  AgingOptions aging;
};

struct SchedulerCounters {
  uint64_t picks = 0;
  uint64_t picks_won_by_age = 0;
  uint64_t picks_won_by_yield = 0;
  uint64_t rotations = 0;        // quantum expired with an equal-priority peer Ready
  uint64_t quantum_expiries = 0;
  uint64_t idle_skips = 0;       // rounds where time jumped to the next deadline
  uint64_t idle_cycles_skipped = 0;
  uint64_t causal_waits = 0;     // a slot waited for a thread made Ready later on its clock
  uint64_t causal_wait_cycles = 0;
  uint64_t blocks = 0;           // a running thread blocked
  uint64_t yields = 0;
  uint64_t syscalls = 0;
};

enum class RunStop : uint8_t { None, Exit, Budget, Deadlock, Fault, Interrupted };
const char* run_stop_name(RunStop s);

// What the kernel does when a thread traps into it or leaves its code. The scheduler calls
// these with the thread Running; they may block, exit, create or wake threads, or stop the run.
class SchedulerHost {
 public:
  virtual ~SchedulerHost() = default;
  virtual void on_syscall(GuestThread& t) = 0;
  virtual void on_thread_return(GuestThread& t) = 0;  // pc reached the return sentinel
  virtual void on_fault(GuestThread& t) = 0;
  // Wakes every wait of a thread on `slot` whose deadline is <= now (in deadline, then wait
  // order). Per slot because each slot's clock restarts at the round's start: expired against a
  // slot visited earlier (whose clock is ahead), a thread on a later slot would resume at a
  // clock reading before its own deadline, i.e. wake early.
  virtual void expire_timeouts(uint64_t now_cycle, uint32_t slot) = 0;
  virtual std::optional<uint64_t> next_deadline() const = 0;
  // Called every few million instructions, for progress output and interruption.
  virtual bool keep_going() { return true; }
};

class Scheduler : public GuestClock {
 public:
  Scheduler(Memory& mem, ExecBackend& cpu, const SchedulerOptions& opt, SchedulerHost& host);

  // A new thread; Ready unless suspended. It inherits no age: last_run_round = now.
  GuestThread& spawn(uint8_t affinity, int32_t base_priority, bool suspended, bool sixty_four_bit);
  GuestThread* find(uint32_t tid);
  const std::vector<std::unique_ptr<GuestThread>>& threads() const { return threads_; }

  // State changes requested by the kernel.
  void make_ready(GuestThread& t);
  void block(GuestThread& t);
  void suspend(GuestThread& t);
  void exit_thread(GuestThread& t, int64_t code);
  void yield(GuestThread& t);
  void set_affinity(GuestThread& t, uint8_t mask);
  void set_base_priority(GuestThread& t, int32_t prio);
  void stop(RunStop why) { stop_ = why; }

  RunStop run();

  uint64_t guest_cycle() const { return round_start_cycle_ + visit_idle_ + visit_retired_ + running_delta(); }
  uint64_t round() const { return round_; }
  uint64_t instructions() const { return total_instructions_ + running_delta(); }
  int32_t effective_priority(const GuestThread& t) const;
  const SchedulerCounters& counters() const { return counters_; }
  const SchedulerOptions& options() const { return opt_; }
  GuestThread* current() const { return current_; }
  int current_slot() const { return current_slot_; }
  RunStop stop_reason() const { return stop_; }

  uint64_t timebase(const ThreadContext& ctx) const override;

 private:
  uint64_t running_delta() const;
  void run_slot(uint32_t slot);
  GuestThread* pick_for(uint32_t slot);
  static uint8_t first_slot(uint8_t mask);

  Memory& mem_;
  ExecBackend& cpu_;
  SchedulerOptions opt_;
  SchedulerHost& host_;
  std::vector<std::unique_ptr<GuestThread>> threads_;  // index = tid - 1
  SchedulerCounters counters_;
  uint64_t round_ = 0;
  uint64_t round_start_cycle_ = 0;
  uint64_t visit_retired_ = 0;        // instructions the current slot retired this round
  uint64_t visit_idle_ = 0;           // cycles the current slot waited for threads woken later
  uint64_t total_instructions_ = 0;   // retired by completed run() calls
  uint64_t ready_seq_ = 0;
  GuestThread* current_ = nullptr;
  uint64_t current_start_instr_ = 0;  // current_->ctx->instructions when its run() began
  int current_slot_ = -1;
  RunStop stop_ = RunStop::None;
};

}  // namespace hexad::cpu::sched
