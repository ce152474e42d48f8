// The deterministic run loop over the six hardware slots (mechanism; the rules are a SchedPolicy,
// sched_policy.h). One round visits slots 0..5 in order; each visit picks and runs Ready
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
//
// The scheduler owns the thread state machine: only scheduler.cc writes a thread's state,
// suspend count and home slot. It also owns the event queue (event_queue.h) of future events in
// guest cycles: thread-bound events fire during their thread's slot visit, global ones between
// rounds.
//
// A seeded run (SchedulerOptions::perturb, perturb.h) lets the perturbation break the policy's
// ties, draw each visit's quantum and new threads' slots, and (pct) preempt at change points.
//
// run_until() can stop at a safe point and be called again: any sequence of calls gives exactly
// the run one uninterrupted run() gives. Safe points are the moments between slot visits and,
// for StopCondition::after_each_operation, the moments right after each operation (below).
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cpu/exec_backend.h"
#include "cpu/sched/event_queue.h"
#include "cpu/sched/guest_thread.h"
#include "cpu/sched/perturb.h"
#include "cpu/sched/sched_policy.h"

namespace hexad::cpu::sched {

struct SchedulerOptions {
  uint64_t quantum = 20'000;  // guest instructions a slot runs per round
  uint64_t budget = 0;        // total retired instructions; 0 = unlimited
  std::string policy = "aging";  // a name in sched_policies()
  AgingOptions aging;
  ConsoleOptions console;
  // Report (SchedulerHost::on_starvation) a thread Ready this many rounds without running, once
  // per Ready stretch; 0 = never.
  uint64_t starvation_alarm = 0;
  PerturbOptions perturb;  // --seed/--strategy/--depth: schedule exploration (perturb.h)
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

// Paused: run_until's stop condition held; the run goes on with the next run_until call. Every
// other reason ends the run.
// OutputError: set by the host (hexad run) when an output file could not be written; the
// scheduler itself never stops with it. Until and Diverged are the host's too (hexad replay): the
// run was stopped where asked (--until), or where it left the recorded trace.
enum class RunStop : uint8_t { None, Exit, Budget, Deadlock, Fault, Interrupted, Paused, OutputError, Until, Diverged };
const char* run_stop_name(RunStop s);

// When run_until pauses: at the first safe point (between two slot visits, or before a round)
// where any condition holds. A condition that already holds pauses before anything runs.
//
// after_each_operation is checked at those safe points and also right after every operation
// that can emit trace events: one host call (a kernel call, a thread's return, a fault) and one
// batch of expired events (the deadlines due on a slot, or the global events due, at one clock
// reading). It pauses right there, mid-visit: the thread that made the call stays Running (or is
// Blocked, Exited... as the call left it) and guest time stays at that instruction. This is the
// exact stop `hexad replay --until IDX` uses; it costs one check per operation, none per
// instruction. A run that the operation itself ended (the main thread exited, a fault stopped
// it) ends rather than pauses.
struct StopCondition {
  uint64_t until_round = UINT64_MAX;         // round() has reached this (checked before a round)
  uint64_t until_instructions = UINT64_MAX;  // instructions() has reached this
  std::function<bool()> predicate;           // e.g. an output file failed; checked between visits
  std::function<bool()> after_each_operation;  // e.g. the trace has N events
  static StopCondition forever() { return {}; }
};

// What the kernel does when a thread traps into it or leaves its code. The scheduler calls
// these with the thread Running; they may block, exit, create or wake threads, or stop the run.
class SchedulerHost {
 public:
  virtual ~SchedulerHost() = default;
  virtual void on_syscall(GuestThread& t) = 0;
  virtual void on_thread_return(GuestThread& t) = 0;  // pc reached the return sentinel
  // The thread faulted (it is Faulted already, its fault recorded in its context).
  virtual void on_fault(GuestThread& t) = 0;
  // Called every few million instructions, for progress output and interruption.
  virtual bool keep_going() { return true; }
  // --starvation-alarm: `starving` has been Ready `rounds` rounds without running; its slot's
  // last pick chose `holder` (nullptr: the policy kept the slot idle). Once per Ready stretch.
  virtual void on_starvation(const GuestThread& /*starving*/, const GuestThread* /*holder*/, uint64_t /*rounds*/) {}
};

// Where each slot's guest time went: busy = a thread Running on it; idle = the rest of the run.
struct SlotTime {
  uint64_t busy_cycles = 0;
  uint64_t idle_cycles = 0;
};

class Scheduler : public GuestClock {
 public:
  Scheduler(Memory& mem, ExecBackend& cpu, const SchedulerOptions& opt, SchedulerHost& host);

  // A new thread; Ready unless suspended. It inherits no age: last_run_round = now.
  GuestThread& spawn(uint8_t affinity, int32_t base_priority, bool suspended, bool sixty_four_bit);
  GuestThread* find(uint32_t tid);
  const std::vector<std::unique_ptr<GuestThread>>& threads() const { return threads_; }

  // State changes requested by the kernel.
  void make_ready(GuestThread& t);  // a Blocked (or fully resumed) thread; stays Suspended if suspended
  void block(GuestThread& t);
  // NtSuspendThread: the previous suspend count, nullopt for a thread that exited or faulted. A
  // Ready or Running thread stops at once; a Blocked one is suspended when its wait ends.
  std::optional<uint32_t> suspend(GuestThread& t);
  // NtResumeThread: the previous suspend count; at 0 a Suspended thread becomes Ready.
  uint32_t resume(GuestThread& t);
  void fault(GuestThread& t);  // a guest fault stops the thread for good
  void exit_thread(GuestThread& t, int64_t code);
  void yield(GuestThread& t);
  void set_affinity(GuestThread& t, uint8_t mask);
  void set_base_priority(GuestThread& t, int32_t prio);
  void stop(RunStop why) { stop_ = why; }

  RunStop run() { return run_until(StopCondition::forever()); }
  RunStop run_until(const StopCondition& until);
  // Safe from any host thread: the run pauses (RunStop::Paused) at its next safe point.
  void request_pause() { pause_requested_.store(true, std::memory_order_relaxed); }

  EventQueue& events() { return events_; }
  const SchedPolicy& policy() const { return *policy_; }
  const SchedPerturb& perturb() const { return perturb_; }

  uint64_t guest_cycle() const { return round_start_cycle_ + visit_idle_ + visit_retired_ + running_delta(); }
  uint64_t round() const { return round_; }
  uint64_t instructions() const { return total_instructions_ + running_delta(); }
  int32_t effective_priority(const GuestThread& t) const;
  SchedulerCounters counters() const;  // the mechanism's counters and the policy's
  // A thread's totals including its current state's stretch up to now.
  ThreadSchedStats sched_stats(const GuestThread& t) const;
  std::array<SlotTime, kSlotCount> slot_times() const;
  const SchedulerOptions& options() const { return opt_; }
  GuestThread* current() const { return current_; }
  int current_slot() const { return current_slot_; }
  RunStop stop_reason() const { return stop_; }

  uint64_t timebase(const ThreadContext& ctx) const override;

 private:
  uint64_t running_delta() const;
  void set_state(GuestThread& t, ThreadState s);
  void remove_ready(GuestThread& t);
  void set_slot(GuestThread& t, uint8_t slot);
  // False when it paused mid-visit (after_each_operation held): the visit resumes next call.
  bool run_slot(uint32_t slot, const StopCondition& until);
  bool operation_pause(const StopCondition& until);
  GuestThread* pick_for(uint32_t slot);
  void quantum_expired(GuestThread& t, uint32_t slot);
  void end_round();
  bool should_pause(const StopCondition& until);
  static Candidate candidate(const GuestThread& t);
  void account_state_change(GuestThread& t, ThreadState to);
  void check_starvation(const GuestThread* holder);
  void wake_for_policy(uint64_t when);

  // A global event at the policy's next decision change (its callback does nothing): with every
  // Ready thread kept idle by the policy, the run skips time to it instead of stopping.
  struct PolicyWake : EventClient {
    EventId id;
    void on_event(uint64_t, uint64_t) override { id = {}; }
  };
  size_t perturbed_pick(size_t policy_choice);
  void pct_preempt(GuestThread& t);

  Memory& mem_;
  ExecBackend& cpu_;
  SchedulerOptions opt_;
  SchedulerHost& host_;
  std::unique_ptr<SchedPolicy> policy_;
  std::vector<std::unique_ptr<GuestThread>> threads_;  // index = tid - 1
  // The Ready threads of each home slot, in no particular order (the policy's order is total).
  std::array<std::vector<GuestThread*>, kSlotCount> ready_;
  std::vector<Candidate> candidates_;  // reused by every pick: a pick allocates nothing
  std::vector<GuestThread*> candidate_threads_;
  SchedPerturb perturb_;
  std::vector<TieCandidate> ties_;  // reused by every perturbed pick
  EventQueue events_;
  SchedulerCounters counters_;  // the mechanism's; the policy counts its own
  std::array<uint64_t, kSlotCount> slot_busy_cycles_{};
  PolicyWake policy_wake_;
  uint64_t round_ = 0;
  uint64_t round_start_cycle_ = 0;
  uint64_t visit_retired_ = 0;        // instructions the current slot retired this round
  uint64_t visit_idle_ = 0;           // cycles the current slot waited for threads woken later
  uint64_t visit_quantum_ = 0;        // the current slot's quantum this round (perturb_.slice)
  uint64_t total_instructions_ = 0;   // retired by completed run() calls
  uint64_t ready_seq_ = 0;
  GuestThread* current_ = nullptr;
  uint64_t current_start_instr_ = 0;  // current_->ctx->instructions when its run() began
  int current_slot_ = -1;
  RunStop stop_ = RunStop::None;
  bool finished_ = false;  // a stop other than Paused: the run is over
  // Where run_until resumes: the next slot to visit in this round and what the round has seen.
  uint32_t next_slot_ = 0;
  uint64_t round_max_ = 0;
  uint64_t round_picks_before_ = 0;
  bool round_started_ = false;  // this round's start (global events) is done
  // A pause mid-visit: the visit of current_slot_ resumes (with current_, if set, still running;
  // without, at the pick that follows the events that fired).
  bool paused_mid_visit_ = false;
  bool resume_at_pick_ = false;  // paused after a batch of events fired: the pick comes next
  std::atomic<bool> pause_requested_{false};
};

}  // namespace hexad::cpu::sched
