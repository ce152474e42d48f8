// Scheduling policy apart from mechanism (Linux's sched_class): the scheduler (scheduler.cc)
// owns thread states, slots, the clock and the run loop; a SchedPolicy decides
//   - which Ready thread a slot runs next (pick),
//   - what happens to a thread whose quantum expired (rotation behind its peers, age reset),
//   - where a new thread is placed, and where a thread goes when its affinity changes,
//   - the effective priority shown in the exit dump,
// and counts its own decisions (picks won by age or by a yield, rotations).
//
// A policy sees threads as Candidates (plain data) and keeps no per-thread state, so each rule is
// unit-testable on its own. Policies are chosen by name through make_sched_policy (the one
// registry); see docs/architecture.md for how to add one.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "cpu/sched/guest_thread.h"
#include "cpu/sched/pick_policy.h"

namespace hexad::cpu::sched {

// The knobs a policy may read; each policy ignores the ones that are not its own.
struct PolicyParams {
  AgingOptions aging;
};

struct PolicyCounters {
  uint64_t picks_won_by_age = 0;
  uint64_t picks_won_by_yield = 0;
  uint64_t rotations = 0;  // quantum expired with an equal-priority peer Ready on the slot
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
  // particular order; the result must not depend on the order). nullopt only when empty.
  virtual std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round) = 0;
  // `expired` used up its slot's quantum; `peers` are the other threads Ready on that slot.
  virtual QuantumDecision on_quantum_expiry(const Candidate& expired, std::span<const Candidate> peers,
                                            uint64_t round) = 0;
  virtual int32_t effective_priority(int32_t base_priority, uint64_t last_run_round, uint64_t round) const = 0;

  // Home slot of a new thread. Default: a thread free to run anywhere goes to the least loaded
  // slot (ties: the lowest), so placement is a function of the program alone; otherwise the
  // lowest slot of its affinity.
  virtual uint8_t place_new(uint8_t affinity, const SlotLoad& load) const;
  // Home slot after an affinity change. Default: stays unless its slot left the mask, then the
  // lowest slot of the mask.
  virtual uint8_t place_on_affinity_change(uint8_t affinity, uint8_t current_slot) const;

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
  std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round) override;
  QuantumDecision on_quantum_expiry(const Candidate& expired, std::span<const Candidate> peers,
                                    uint64_t round) override;
  int32_t effective_priority(int32_t base_priority, uint64_t last_run_round, uint64_t round) const override;

 protected:
  AgingOptions opt_;
};

// Strict priority (--no-aging): the aging rule with no bonus ever, i.e. the highest base
// priority wins, FIFO among equals; a low-priority thread starves while a higher one is Ready.
class StrictPriorityPolicy : public AgingPolicy {
 public:
  StrictPriorityPolicy() : AgingPolicy(AgingOptions{.enabled = false}) {}
  std::string_view name() const override { return "strict"; }
};

// The registry: every policy by name, with a factory. The one place a policy is chosen.
struct SchedPolicyEntry {
  std::string_view name;
  std::string_view summary;
  std::unique_ptr<SchedPolicy> (*make)(const PolicyParams&);
};
std::span<const SchedPolicyEntry> sched_policies();
// nullptr for an unknown name.
std::unique_ptr<SchedPolicy> make_sched_policy(std::string_view name, const PolicyParams& params);

}  // namespace hexad::cpu::sched
