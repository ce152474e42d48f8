// The deterministic run loop over the six hardware slots (mechanism; the rules are a SchedPolicy,
// sched_policy.h), in guest-time order.
//
// Guest time (cycles) is a pure function of retired instructions: each slot has its own clock,
// which advances by one cycle per instruction its thread retires. The loop always advances the
// slot whose clock is earliest (ties: the lowest slot). The slot's thread runs until it makes a
// kernel call, returns, faults, or has run one slice (`slice` instructions, slice_for()); its
// clock is then the moment of that stop. A kernel call is not made at once: it waits until its
// slot is again the earliest, so kernel operations happen in (guest_cycle, slot) order — the
// kernel's "now" never goes backwards, the trace is ordered by guest_cycle, and a wait that
// began earlier in guest time is on an object's wait list before one that began later. Events
// (event_queue.h: wait deadlines, timers) fire at their own cycle, before any slot step at the
// same cycle. A slot with nothing to run has no clock of its own: idle slots follow the others,
// and a thread made Ready there starts at the moment it became Ready. When no slot can run, the
// clock skips to the next event; with no event either, the run ends (exit, deadlock or fault).
//
// A round is a fixed window of guest time, `quantum` cycles long: round = guest_cycle / quantum.
// A thread keeps its slot until it blocks, yields, exits, leaves the slot's affinity or reaches
// the end of the round it was picked in (quantum expiry); the slot then picks again. So every
// slot gets the same window per round, and aging (in rounds) measures guest time.
//
// The scheduler owns the thread state machine: only scheduler.cc writes a thread's state,
// suspend count and home slot. A thread is Running while it holds a slot, i.e. up to six threads
// are Running at once; current() is the one whose step is being simulated now.
//
// A seeded run (SchedulerOptions::perturb, perturb.h) lets the perturbation break the policy's
// ties, draw each slice's length (slice_for) and new threads' slots, and (pct) preempt at change
// points.
//
// run_until() can stop at a safe point (between two steps) and be called again: any sequence of
// calls gives exactly the run one uninterrupted run() gives. Every step is at most one operation
// (a kernel call, a thread's return or fault, one batch of events due at one cycle), so the
// moment between two steps is also the moment right after each operation
// (StopCondition::after_each_operation).
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

// Measured (README "Guest time"): the cost of time ordering on a CPU-bound title is within
// noise from here up, and a shorter slice interleaves shared-memory accesses of threads on
// different slots more finely.
constexpr uint64_t kDefaultSlice = 2'000;

struct SchedulerOptions {
  uint64_t quantum = 20'000;  // guest cycles per round: the longest a thread keeps its slot
  uint64_t slice = kDefaultSlice;  // instructions a slot runs at most before the others catch up
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
  uint64_t idle_skips = 0;       // times nothing could run and time jumped to the next event
  uint64_t idle_cycles_skipped = 0;
  uint64_t blocks = 0;           // a running thread blocked
  uint64_t yields = 0;
  uint64_t syscalls = 0;
};

// Paused: run_until's stop condition held; the run goes on with the next run_until call. Every
// other reason ends the run.
// OutputError: set by the host (hexad run) when an output file could not be written; the
// scheduler itself never stops with it. Until and Diverged are the host's too (hexad replay): the
// run was stopped where asked (--until), or where it left the recorded trace.
// The last three are the kernel's stops, like OutputError never the scheduler's own.
enum class RunStop : uint8_t {
  None, Exit, Budget, Deadlock, Fault, Interrupted, Paused, OutputError, Until, Diverged,
  BugCheck,        // KeBugCheck/KeBugCheckEx
  TitleTerminate,  // XamLoaderTerminateTitle
  TitleLaunch,     // XamLoaderLaunchTitle: the dump's xam.loader names the target
};
const char* run_stop_name(RunStop s);

// When run_until pauses: at the first safe point (between two steps) where any condition holds.
// A condition that already holds pauses before anything runs.
//
// after_each_operation is checked at the same safe points. A step is at most one operation that
// can emit trace events: one host call (a kernel call, a thread's return, a fault) or one batch
// of events due at one cycle. So it pauses right after the operation: the thread that made the
// call still holds its slot (or is Blocked, Exited... as the call left it) and guest time stays at
// that moment. This is the exact stop `hexad replay --until IDX` uses; it costs one check per
// step, none per instruction. A run that the operation itself ended (the main thread exited, a
// fault stopped it) ends rather than pauses.
struct StopCondition {
  uint64_t until_round = UINT64_MAX;         // round() has reached this (checked before a step)
  uint64_t until_instructions = UINT64_MAX;  // instructions() has reached this
  std::function<bool()> predicate;           // e.g. an output file failed
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
  // `t` held its slot to the end of its quantum (it stays Ready); called before the next pick.
  virtual void on_quantum_expired(GuestThread& /*t*/) {}
  // --starvation-alarm: `starving` has been Ready `rounds` rounds without running; its slot's
  // last pick chose `holder` (nullptr: the policy kept the slot idle). Once per Ready stretch.
  virtual void on_starvation(const GuestThread& /*starving*/, const GuestThread* /*holder*/, uint64_t /*rounds*/) {}
};

// Why the last pick on a slot chose its holder (a frontend's "why picked"), in the order the
// reasons are tested: a seeded run's tie-break, a yielder stepping aside, the age bonus lifting it
// over a higher base priority, priorities ignored (fair), a higher priority kept out by the
// console's mask, the only candidate, the slot's previous holder rotated out at its quantum's
// end, the longest Ready among equals, or simply the highest effective priority.
enum class PickReason : uint8_t { Perturbed, Yield, Age, AgainstPriority, Mask, Alone, Rotation, Readiness, Priority };
const char* pick_reason_name(PickReason r);

struct PickInfo {
  PickReason reason = PickReason::Alone;
  int32_t base_priority = 0, effective_priority = 0;
  uint32_t age_bonus = 0;
  uint32_t candidates = 0;  // Ready threads the pick compared
  uint64_t round = 0;       // the round of the pick
};

// Sees every slice a slot ran (a frontend's six-slot timeline). Called once per slice, after
// the cpu run, with the slot's clock before and after and the pick that gave the thread its slot;
// it must not touch the run's state. Without an observer the scheduler records no pick reasons.
class SliceObserver {
 public:
  virtual ~SliceObserver() = default;
  virtual void on_slice(uint32_t slot, uint32_t tid, uint64_t start_cycle, uint64_t end_cycle, const PickInfo& why) = 0;
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

  // nullptr: none (the default). The observer only watches: the run is the same with or without.
  void set_slice_observer(SliceObserver* o) { slice_observer_ = o; }

  EventQueue& events() { return events_; }
  const SchedPolicy& policy() const { return *policy_; }
  const SchedPerturb& perturb() const { return perturb_; }

  // Now: the moment of the step being simulated (during a thread's run, its slot's clock).
  uint64_t guest_cycle() const { return now_ + running_delta(); }
  uint64_t round() const { return round_; }
  uint64_t instructions() const { return total_instructions_ + running_delta(); }
  int32_t effective_priority(const GuestThread& t) const;
  SchedulerCounters counters() const;  // the mechanism's counters and the policy's
  // A thread's totals including its current state's stretch up to now.
  ThreadSchedStats sched_stats(const GuestThread& t) const;
  std::array<SlotTime, kSlotCount> slot_times() const;
  const SchedulerOptions& options() const { return opt_; }
  GuestThread* current() const { return current_; }  // the thread whose step is simulated now
  int current_slot() const { return current_slot_; }
  // The slot a thread runs on: while Running the slot it holds (its home slot may have changed
  // since it was picked), otherwise its home slot.
  uint8_t running_slot(const GuestThread& t) const;
  RunStop stop_reason() const { return stop_; }

  uint64_t timebase(const ThreadContext& ctx) const override;

 private:
  // One hardware slot: its clock and the thread holding it.
  struct Slot {
    uint64_t clock = 0;
    GuestThread* holder = nullptr;  // Running on this slot, or nobody
    uint64_t expires = 0;           // the end of the round the holder was picked in
    // The policy picked nobody among its Ready threads: the slot is idle until a thread becomes
    // Ready there or the round changes (a policy may admit only some priorities at a time).
    bool declined = false;
    // pct: the holder's last cpu run ended at a change point; it is preempted at the slot's next
    // step, right after the kernel sees its pending stop (as if preempted at that instruction).
    bool pct_due = false;
    // With a slice observer only: why the holder was picked, and who held the slot until its
    // quantum expired (0: nobody) so the next pick can tell a rotation.
    PickInfo pick;
    uint32_t expired_tid = 0;
  };

  uint64_t running_delta() const;
  void set_state(GuestThread& t, ThreadState s);
  void add_ready(GuestThread& t);
  void remove_ready(GuestThread& t);
  void set_slot(GuestThread& t, uint8_t slot);
  // The one point where the length of a slice is chosen: --slice, or under a seeded random run a
  // length drawn from [ceil(slice/2), slice] (perturb.h), once per slice.
  uint64_t slice_for(const GuestThread&, uint32_t) { return perturb_.slice(opt_.slice); }
  int earliest_slot() const;  // by (clock, slot) among slots with a holder or a Ready thread; -1: none
  void advance_to(uint64_t cycle);
  void step_slot(uint32_t slot);
  void enter_kernel(GuestThread& t);
  void run_slice(GuestThread& t, uint32_t slot);
  GuestThread* pick_for(uint32_t slot);
  PickInfo explain_pick(const PickResult& r, size_t policy_choice, size_t chosen, uint32_t expired_tid) const;
  void quantum_expired(GuestThread& t);
  void finish_run();
  bool should_pause(const StopCondition& until);
  static Candidate candidate(const GuestThread& t);
  void account_state_change(GuestThread& t, ThreadState to);
  void check_starvation(const GuestThread* holder);
  void wake_for_policy(uint64_t when);
  size_t perturbed_pick(size_t policy_choice);
  void pct_preempt(GuestThread& t);

  // A global event at the policy's next decision change: with every Ready thread kept idle by the
  // policy (the slots declined), the run skips time to it instead of stopping, and when it fires
  // the declined slots pick again.
  struct PolicyWake : EventClient {
    EventId id;
    bool fired = false;
    void on_event(uint64_t, uint64_t) override {
      id = {};
      fired = true;
    }
  };

  Memory& mem_;
  ExecBackend& cpu_;
  SchedulerOptions opt_;
  SchedulerHost& host_;
  std::unique_ptr<SchedPolicy> policy_;
  std::vector<std::unique_ptr<GuestThread>> threads_;  // index = tid - 1
  // The Ready threads of each home slot, in no particular order (the policy's order is total).
  std::array<std::vector<GuestThread*>, kSlotCount> ready_;
  std::array<Slot, kSlotCount> slots_;
  std::vector<Candidate> candidates_;  // reused by every pick: a pick allocates nothing
  std::vector<GuestThread*> candidate_threads_;
  SchedPerturb perturb_;
  std::vector<TieCandidate> ties_;  // reused by every perturbed pick
  EventQueue events_;
  SchedulerCounters counters_;  // the mechanism's; the policy counts its own
  std::array<uint64_t, kSlotCount> slot_busy_cycles_{};
  PolicyWake policy_wake_;
  uint64_t now_ = 0;            // never decreases
  uint64_t round_ = 0;          // now_ / quantum
  uint64_t round_end_ = 0;      // (round_ + 1) * quantum: the first cycle of the next round
  uint64_t total_instructions_ = 0;   // retired by completed cpu runs
  uint64_t ready_seq_ = 0;
  GuestThread* current_ = nullptr;
  uint64_t current_start_instr_ = 0;  // current_->ctx->instructions when its cpu run began
  int current_slot_ = -1;
  RunStop stop_ = RunStop::None;
  bool finished_ = false;  // a stop other than Paused: the run is over
  std::atomic<bool> pause_requested_{false};
  SliceObserver* slice_observer_ = nullptr;
};

}  // namespace hexad::cpu::sched
