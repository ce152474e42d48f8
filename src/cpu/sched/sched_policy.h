// Scheduling policy apart from mechanism (Linux's sched_class): the scheduler (scheduler.cc)
// owns thread states, slots, the clock and the run loop; a SchedPolicy decides
//   - which Ready thread a slot runs next (pick), or that the slot idles though threads are Ready,
//   - what happens to a thread whose quantum expired (rotation behind its peers, age reset),
//   - where a thread's age starts when it becomes Ready (woken or resumed),
//   - where a new thread is placed, and where a thread goes when its affinity changes,
//   - the effective priority shown in the exit dump,
// and counts its own decisions (counters(), by name, for the dump).
//
// A policy sees threads as Candidates (plain data) and keeps no per-thread state, so each rule is
// unit-testable on its own. Policies are chosen by name through make_sched_policy (the one
// registry, kPolicies in sched_policy.cc); see docs/architecture.md for how to add one, and the
// README's "Scheduling policies" for what each is for.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/sched/guest_thread.h"
#include "cpu/sched/pick_policy.h"

namespace hexad::cpu::sched {

// The console's background-scheduling rule (ConsolePolicy). Defaults are the console's, as
// xenia's reverse-engineered kernel keeps them (xeSelectThreadDueToTimesliceExpiration in
// src/xenia/kernel/xboxkrnl/xboxkrnl_threading_scheduler.cc of the xenia-canary scheduler
// branch, and src/xenia/kernel/guest_scheduler.cc of xenia-edge):
//   - inside a window only base priorities whose bit is set in 0xEDB403FF may run (0-9, 18,
//     20, 21, 23, 24, 26, 27, 29-31: 10-17 are locked out, and 19, 22, 25, 28 too);
//   - outside it, those of 0xF6DBFC03 (0, 1, 10-17, 19, 20, 22, 23, 25, 26, 28-31: 2-9 run only
//     in a window, as do 18, 21, 24, 27);
//   - the console arms the window for 50,000 decrementer (timebase) ticks, about 1 ms, and it
//     recurs about once a frame (xenia-edge spaces windows 16 ms apart);
//   - when no Ready thread's priority is admitted the processor runs its idle thread
//     (xeSchedulerSwitchThread: ready summary AND mask, else the idle thread), so the slot idles.
// hexad runs it in guest time: the timebase is guest_cycle / kCyclesPerTimebaseTick (64 cycles
// a tick, 50 MHz; the console's is 49.875 MHz), window k is timebase [k*period, k*period+window).
struct ConsoleOptions {
  uint32_t window_mask = 0xEDB403FFu;  // admitted inside a window: bit n = base priority n
  uint32_t normal_mask = 0xF6DBFC03u;  // admitted outside
  uint64_t window_ticks = 50'000;      // 1 ms at 50 MHz
  uint64_t period_ticks = 800'000;     // 16 ms at 50 MHz
};

// The knobs a policy may read; each policy ignores the ones that are not its own.
struct PolicyParams {
  AgingOptions aging;
  ConsoleOptions console;
};

// One parameter or counter of a policy, by name, as run.json, run.start and the dump show it:
// a number, or text when `text` is not empty.
struct PolicyValue {
  std::string_view name;
  uint64_t number = 0;
  std::string text;
};

struct PolicyCounters {
  uint64_t picks_won_by_age = 0;
  uint64_t picks_won_by_yield = 0;
  uint64_t rotations = 0;  // quantum expired with an equal-priority peer Ready on the slot
  // aging: a thread became Ready carrying an age bonus earned while Blocked or Suspended
  // (discarded under --aging-stamp ready, kept under legacy).
  uint64_t stale_ages_on_ready = 0;
  uint64_t picks_against_priority = 0;  // fair: a higher base priority was Ready and lost
  uint64_t window_picks = 0;            // console: picks made inside a background window
  uint64_t masked_picks = 0;            // console: a higher base priority was Ready but locked out
  uint64_t locked_out_idles = 0;        // console: threads Ready, none admitted: the slot idled
};

// What becomes of a thread whose quantum on its slot expired (it is Ready again either way).
struct QuantumDecision {
  bool requeue_behind_peers;  // new ready_seq: it goes behind threads Ready before now
  bool reset_age;             // last_run_round = now: it starts ageing afresh
};

using SlotLoad = std::array<uint32_t, kSlotCount>;  // live threads per home slot

class SchedPolicy {
 public:
  virtual ~SchedPolicy() = default;
  virtual std::string_view name() const = 0;

  // The thread a slot runs next among `ready` (every Ready thread the slot may run now, in no
  // particular order; the result must not depend on the order), at `round` and the slot's
  // `guest_cycle`. nullopt when empty, or when the policy keeps the slot idle.
  virtual std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round, uint64_t guest_cycle) = 0;
  // `expired` used up its slot's quantum; `peers` are the other threads Ready on that slot.
  virtual QuantumDecision on_quantum_expiry(const Candidate& expired, std::span<const Candidate> peers,
                                            uint64_t round);
  // A Blocked or Suspended thread becomes Ready at `round`: its new last_run_round. Default:
  // unchanged (only the aging policy reads it).
  virtual uint64_t last_run_round_on_ready(uint64_t last_run_round, uint64_t round);
  virtual int32_t effective_priority(int32_t base_priority, uint64_t last_run_round, uint64_t round) const;
  // The first guest cycle after `guest_cycle` at which a pick could come out differently with
  // the same threads Ready (the console's window edges), so an idle run skips time to it rather
  // than stopping; nullopt: never.
  virtual std::optional<uint64_t> next_decision_change(uint64_t guest_cycle) const;

  // Home slot of a new thread. Default: a thread free to run anywhere goes to the least loaded
  // slot (ties: the lowest), so placement is a function of the program alone; otherwise the
  // lowest slot of its affinity.
  virtual uint8_t place_new(uint8_t affinity, const SlotLoad& load) const;
  // Home slot after an affinity change. Default: stays unless its slot left the mask, then the
  // lowest slot of the mask.
  virtual uint8_t place_on_affinity_change(uint8_t affinity, uint8_t current_slot) const;

  // Its parameters and its own counters, by name, in a fixed order (run.json, run.start, dump).
  virtual std::vector<PolicyValue> params() const = 0;
  virtual std::vector<PolicyValue> counter_values() const = 0;

  const PolicyCounters& counters() const { return counters_; }

 protected:
  void count(const PickResult& r);

  PolicyCounters counters_;
};

// Effective priority = base + age bonus (pick_policy.h), FIFO among equals, one-pick yields.
class AgingPolicy : public SchedPolicy {
 public:
  explicit AgingPolicy(const AgingOptions& opt) : opt_(opt) {}
  std::string_view name() const override { return "aging"; }
  std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round, uint64_t guest_cycle) override;
  uint64_t last_run_round_on_ready(uint64_t last_run_round, uint64_t round) override;
  int32_t effective_priority(int32_t base_priority, uint64_t last_run_round, uint64_t round) const override;
  std::vector<PolicyValue> params() const override;
  std::vector<PolicyValue> counter_values() const override;

 protected:
  AgingOptions opt_;
};

// Strict priority (--no-aging): the aging rule with no bonus ever, i.e. the highest base
// priority wins, FIFO among equals; a low-priority thread starves while a higher one is Ready.
class StrictPriorityPolicy : public AgingPolicy {
 public:
  StrictPriorityPolicy() : AgingPolicy(AgingOptions{.enabled = false}) {}
  std::string_view name() const override { return "strict"; }
  uint64_t last_run_round_on_ready(uint64_t last_run_round, uint64_t) override { return last_run_round; }
  std::vector<PolicyValue> params() const override { return {}; }
  std::vector<PolicyValue> counter_values() const override;
};

// Priorities ignored (xenia-canary's default behaviour: its cvar ignore_thread_priorities, in
// src/xenia/kernel/xthread.cc, defaults to true, so guest threads become host threads of equal
// priority and the host scheduler treats them alike): the thread Ready longest runs next, one-pick
// yields, and a thread whose quantum expires goes behind every thread Ready on its slot.
class FairPolicy : public SchedPolicy {
 public:
  std::string_view name() const override { return "fair"; }
  std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round, uint64_t guest_cycle) override;
  QuantumDecision on_quantum_expiry(const Candidate& expired, std::span<const Candidate> peers,
                                    uint64_t round) override;
  std::vector<PolicyValue> params() const override { return {}; }
  std::vector<PolicyValue> counter_values() const override;
};

// The console's rule (ConsoleOptions): strict priority among the admitted base priorities, FIFO
// among equals, one-pick yields; the ready mask depends on whether guest time is inside a
// background window; with nothing admitted Ready the slot idles. The mask is applied at every
// pick, so it takes effect within one quantum of a window edge (the console switches at the
// edge itself).
class ConsolePolicy : public SchedPolicy {
 public:
  // A period or window of 0 ticks is taken as 1 (validate_console_options says why it is wrong).
  explicit ConsolePolicy(const ConsoleOptions& opt);
  std::string_view name() const override { return "console"; }
  std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round, uint64_t guest_cycle) override;
  std::optional<uint64_t> next_decision_change(uint64_t guest_cycle) const override;
  std::vector<PolicyValue> params() const override;
  std::vector<PolicyValue> counter_values() const override;

  bool in_window(uint64_t guest_cycle) const;

 private:
  ConsoleOptions opt_;
};

// Why these console options make no sense (empty: they are fine): a window of at least one tick,
// shorter than its period.
std::string validate_console_options(const ConsoleOptions& opt);

// The registry: every policy by name, with a factory. The one place a policy is chosen.
struct SchedPolicyEntry {
  std::string_view name;
  std::string_view summary;
  std::unique_ptr<SchedPolicy> (*make)(const PolicyParams&);
};
std::span<const SchedPolicyEntry> sched_policies();
// nullptr for an unknown name.
std::unique_ptr<SchedPolicy> make_sched_policy(std::string_view name, const PolicyParams& params);
// "aging, strict, fair, console": for usage and error messages.
std::string sched_policy_names();

}  // namespace hexad::cpu::sched
