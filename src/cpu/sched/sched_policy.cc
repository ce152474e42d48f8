#include "cpu/sched/sched_policy.h"

#include <algorithm>

namespace hexad::cpu::sched {

namespace {
uint8_t lowest_slot(uint8_t mask) {
  mask &= kAllSlots;
  return mask ? uint8_t(__builtin_ctz(mask)) : 0;
}
}  // namespace

uint8_t SchedPolicy::place_new(uint8_t affinity, const SlotLoad& load) const {
  if ((affinity & kAllSlots) != kAllSlots) return lowest_slot(affinity);
  return uint8_t(std::min_element(load.begin(), load.end()) - load.begin());
}

uint8_t SchedPolicy::place_on_affinity_change(uint8_t affinity, uint8_t current_slot) const {
  return (affinity & (1u << current_slot)) ? current_slot : lowest_slot(affinity);
}

void SchedPolicy::count(const PickResult& r) {
  if (r.won_by_age) ++counters_.picks_won_by_age;
  if (r.won_by_yield) ++counters_.picks_won_by_yield;
}

std::optional<PickResult> AgingPolicy::pick(std::span<const Candidate> ready, uint64_t round) {
  auto r = sched::pick(ready, round, opt_);
  if (r) count(*r);
  return r;
}

QuantumDecision AgingPolicy::on_quantum_expiry(const Candidate& expired, std::span<const Candidate> peers, uint64_t) {
  // Round robin among equals: behind every peer of its priority, and no age carried over.
  if (std::any_of(peers.begin(), peers.end(), [&](const Candidate& c) { return c.base_priority == expired.base_priority; }))
    ++counters_.rotations;
  return {.requeue_behind_peers = true, .reset_age = true};
}

int32_t AgingPolicy::effective_priority(int32_t base_priority, uint64_t last_run_round, uint64_t round) const {
  return base_priority + int32_t(age_bonus(opt_, round, last_run_round));
}

namespace {
constexpr SchedPolicyEntry kPolicies[] = {
    {"aging", "base priority plus a bonus for every round a thread waited (the default)",
     [](const PolicyParams& p) -> std::unique_ptr<SchedPolicy> { return std::make_unique<AgingPolicy>(p.aging); }},
    {"strict", "strict priority, FIFO among equals (--no-aging)",
     [](const PolicyParams&) -> std::unique_ptr<SchedPolicy> { return std::make_unique<StrictPriorityPolicy>(); }},
};
}  // namespace

std::span<const SchedPolicyEntry> sched_policies() { return kPolicies; }

std::unique_ptr<SchedPolicy> make_sched_policy(std::string_view name, const PolicyParams& params) {
  for (const SchedPolicyEntry& e : kPolicies)
    if (e.name == name) return e.make(params);
  return nullptr;
}

}  // namespace hexad::cpu::sched
