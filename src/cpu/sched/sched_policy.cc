#include "cpu/sched/sched_policy.h"

#include <algorithm>

#include <fmt/format.h>

#include "cpu/context.h"

namespace hexad::cpu::sched {

namespace {
uint8_t lowest_slot(uint8_t mask) {
  mask &= kAllSlots;
  return mask ? uint8_t(__builtin_ctz(mask)) : 0;
}
// Round robin: behind every peer it rotates with, and no age carried over.
constexpr QuantumDecision kRotate{.requeue_behind_peers = true, .reset_age = true};
PolicyValue number(std::string_view name, uint64_t v) { return {name, v, {}}; }
PolicyValue text(std::string_view name, std::string v) { return {name, 0, std::move(v)}; }
bool equal_peer(const Candidate& expired, std::span<const Candidate> peers) {
  return std::any_of(peers.begin(), peers.end(),
                     [&](const Candidate& c) { return c.base_priority == expired.base_priority; });
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
  if (r.won_against_priority) ++counters_.picks_against_priority;
  if (r.won_by_mask) ++counters_.masked_picks;
}

QuantumDecision SchedPolicy::on_quantum_expiry(const Candidate& expired, std::span<const Candidate> peers, uint64_t) {
  // Round robin among equals: a rotation when a peer of its priority is Ready.
  if (equal_peer(expired, peers)) ++counters_.rotations;
  return kRotate;
}

uint64_t SchedPolicy::last_run_round_on_ready(uint64_t last_run_round, uint64_t) { return last_run_round; }

int32_t SchedPolicy::effective_priority(int32_t base_priority, uint64_t, uint64_t) const { return base_priority; }

std::optional<uint64_t> SchedPolicy::next_decision_change(uint64_t) const { return std::nullopt; }

// --- aging, strict ------------------------------------------------------------------------------

std::optional<PickResult> AgingPolicy::pick(std::span<const Candidate> ready, uint64_t round, uint64_t) {
  auto r = sched::pick(ready, round, opt_);
  if (r) count(*r);
  return r;
}

uint64_t AgingPolicy::last_run_round_on_ready(uint64_t last_run_round, uint64_t round) {
  if (age_bonus(opt_, round, last_run_round) > 0) ++counters_.stale_ages_on_ready;
  return opt_.stamp == AgingStamp::Ready ? round : last_run_round;
}

int32_t AgingPolicy::effective_priority(int32_t base_priority, uint64_t last_run_round, uint64_t round) const {
  return base_priority + int32_t(age_bonus(opt_, round, last_run_round));
}

std::vector<PolicyValue> AgingPolicy::params() const {
  return {number("rounds_per_bonus", opt_.rounds_per_bonus), number("max_bonus", opt_.max_bonus),
          text("aging_stamp", aging_stamp_name(opt_.stamp))};
}

std::vector<PolicyValue> AgingPolicy::counter_values() const {
  return {number("picks_won_by_age", counters_.picks_won_by_age),
          number("picks_won_by_yield", counters_.picks_won_by_yield), number("rotations", counters_.rotations),
          number("stale_ages_on_ready", counters_.stale_ages_on_ready)};
}

std::vector<PolicyValue> StrictPriorityPolicy::counter_values() const {
  return {number("picks_won_by_yield", counters_.picks_won_by_yield), number("rotations", counters_.rotations)};
}

// --- fair ---------------------------------------------------------------------------------------

std::optional<PickResult> FairPolicy::pick(std::span<const Candidate> ready, uint64_t round, uint64_t) {
  auto r = sched::pick(ready, round, PickRule{.aging = {.enabled = false}, .by_priority = false});
  if (r) count(*r);
  return r;
}

QuantumDecision FairPolicy::on_quantum_expiry(const Candidate&, std::span<const Candidate> peers, uint64_t) {
  // Round robin among everyone Ready on the slot, whatever their priorities.
  if (!peers.empty()) ++counters_.rotations;
  return kRotate;
}

std::vector<PolicyValue> FairPolicy::counter_values() const {
  return {number("picks_against_priority", counters_.picks_against_priority),
          number("picks_won_by_yield", counters_.picks_won_by_yield), number("rotations", counters_.rotations)};
}

// --- console ------------------------------------------------------------------------------------

ConsolePolicy::ConsolePolicy(const ConsoleOptions& opt) : opt_(opt) {
  opt_.period_ticks = std::max<uint64_t>(opt_.period_ticks, 1);
  opt_.window_ticks = std::max<uint64_t>(opt_.window_ticks, 1);
}

std::string validate_console_options(const ConsoleOptions& opt) {
  if (opt.window_ticks == 0) return "the console window must be at least 1 timebase tick";
  if (opt.window_ticks >= opt.period_ticks)
    return fmt::format("the console window ({} ticks) must be shorter than its period ({} ticks)", opt.window_ticks,
                       opt.period_ticks);
  return {};
}

bool ConsolePolicy::in_window(uint64_t guest_cycle) const {
  return (guest_cycle / kCyclesPerTimebaseTick) % opt_.period_ticks < opt_.window_ticks;
}

std::optional<PickResult> ConsolePolicy::pick(std::span<const Candidate> ready, uint64_t round, uint64_t guest_cycle) {
  const bool window = in_window(guest_cycle);
  auto r = sched::pick(
      ready, round, PickRule{.aging = {.enabled = false}, .admitted = window ? opt_.window_mask : opt_.normal_mask});
  if (r) {
    count(*r);
    if (window) ++counters_.window_picks;
  } else if (!ready.empty()) {
    ++counters_.locked_out_idles;
  }
  return r;
}

std::optional<uint64_t> ConsolePolicy::next_decision_change(uint64_t guest_cycle) const {
  const uint64_t tick = guest_cycle / kCyclesPerTimebaseTick;
  const uint64_t period_start = tick - tick % opt_.period_ticks;
  const uint64_t edge = in_window(guest_cycle) ? period_start + opt_.window_ticks : period_start + opt_.period_ticks;
  return edge * kCyclesPerTimebaseTick;
}

std::vector<PolicyValue> ConsolePolicy::params() const {
  return {text("window_mask", fmt::format("0x{:08x}", opt_.window_mask)),
          text("normal_mask", fmt::format("0x{:08x}", opt_.normal_mask)), number("window_ticks", opt_.window_ticks),
          number("period_ticks", opt_.period_ticks)};
}

std::vector<PolicyValue> ConsolePolicy::counter_values() const {
  return {number("window_picks", counters_.window_picks), number("masked_picks", counters_.masked_picks),
          number("locked_out_idles", counters_.locked_out_idles),
          number("picks_won_by_yield", counters_.picks_won_by_yield), number("rotations", counters_.rotations)};
}

// --- the registry -------------------------------------------------------------------------------

namespace {
constexpr SchedPolicyEntry kPolicies[] = {
    {"aging", "base priority plus a bonus for every round a thread waited Ready (the default)",
     [](const PolicyParams& p) -> std::unique_ptr<SchedPolicy> { return std::make_unique<AgingPolicy>(p.aging); }},
    {"strict", "strict priority, FIFO among equals (--no-aging)",
     [](const PolicyParams&) -> std::unique_ptr<SchedPolicy> { return std::make_unique<StrictPriorityPolicy>(); }},
    {"fair", "priorities ignored: the thread Ready longest runs next (xenia-canary's default)",
     [](const PolicyParams&) -> std::unique_ptr<SchedPolicy> { return std::make_unique<FairPolicy>(); }},
    {"console", "the console's rule: strict priority under a ready mask that a periodic background window changes",
     [](const PolicyParams& p) -> std::unique_ptr<SchedPolicy> { return std::make_unique<ConsolePolicy>(p.console); }},
};
}  // namespace

std::span<const SchedPolicyEntry> sched_policies() { return kPolicies; }

std::unique_ptr<SchedPolicy> make_sched_policy(std::string_view name, const PolicyParams& params) {
  for (const SchedPolicyEntry& e : kPolicies)
    if (e.name == name) return e.make(params);
  return nullptr;
}

std::string sched_policy_names() {
  std::string names;
  for (const SchedPolicyEntry& e : kPolicies) {
    if (!names.empty()) names += ", ";
    names += e.name;
  }
  return names;
}

}  // namespace hexad::cpu::sched
