#include "cpu/sched/perturb.h"

#include <algorithm>

#include "cpu/sched/guest_thread.h"

namespace hexad::cpu::sched {

namespace {
// Initial pct ranks are drawn from [kInitialRankFloor, kInitialRankFloor + 2^40); demotions count
// down from just below the floor, so a demoted thread is below every initial rank, and each
// demotion below the ones before it (as the paper's d-1, d-2, ..., 1).
constexpr uint64_t kInitialRankFloor = uint64_t(1) << 62;
constexpr uint64_t kInitialRankSpan = uint64_t(1) << 40;

uint32_t slot_count(uint8_t mask) { return uint32_t(__builtin_popcount(mask & kAllSlots)); }

// The k-th (0-based) slot of a mask, lowest first.
uint8_t nth_slot(uint8_t mask, uint64_t k) {
  for (uint8_t s = 0; s < kSlotCount; ++s)
    if (mask & (1u << s)) {
      if (k == 0) return s;
      --k;
    }
  return 0;
}
}  // namespace

std::string_view strategy_name(PerturbStrategy s) { return s == PerturbStrategy::Pct ? "pct" : "random"; }

std::optional<PerturbStrategy> parse_strategy(std::string_view name) {
  if (name == "random") return PerturbStrategy::Random;
  if (name == "pct") return PerturbStrategy::Pct;
  return std::nullopt;
}

SchedPerturb::SchedPerturb(const PerturbOptions& opt)
    : opt_(opt), rng_(opt.seed), lowest_rank_(kInitialRankFloor - 1) {
  if (!active() || opt_.strategy != PerturbStrategy::Pct) return;
  // d-1 change points, each uniform over steps 1..k (the paper's k_1..k_{d-1}).
  const uint64_t k = std::max<uint64_t>(opt_.pct_steps, 1);
  for (uint32_t i = 1; i < std::max<uint32_t>(opt_.depth, 1); ++i) change_points_.push_back(rng_.uniform_in(1, k));
  std::sort(change_points_.begin(), change_points_.end());
}

uint8_t SchedPerturb::place_new(uint32_t tid, uint8_t affinity, uint8_t chosen) {
  if (!active()) return chosen;
  if (opt_.strategy == PerturbStrategy::Pct) {
    if (rank_.size() <= tid) rank_.resize(tid + 1, 0);
    rank_[tid] = kInitialRankFloor + rng_.uniform_below(kInitialRankSpan);
    return chosen;
  }
  const uint32_t n = slot_count(affinity);
  return n ? nth_slot(affinity, rng_.uniform_below(n)) : chosen;
}

uint8_t SchedPerturb::place_on_affinity_change(uint8_t affinity, uint8_t current_slot, uint8_t chosen) {
  if (!active() || opt_.strategy != PerturbStrategy::Random) return chosen;
  if (affinity & (1u << current_slot)) return chosen;  // still allowed: a move would be a migration, not a placement
  const uint32_t n = slot_count(affinity);
  return n ? nth_slot(affinity, rng_.uniform_below(n)) : chosen;
}

uint64_t SchedPerturb::slice(uint64_t quantum) {
  if (!active() || opt_.strategy != PerturbStrategy::Random || quantum <= 1) return quantum;
  return rng_.uniform_in(quantum - quantum / 2, quantum);  // [ceil(q/2), q]
}

size_t SchedPerturb::break_tie(std::span<const TieCandidate> ties, size_t policy_choice) {
  if (!active() || ties.size() < 2) return policy_choice;
  if (opt_.strategy == PerturbStrategy::Random) return ties[rng_.uniform_below(ties.size())].index;
  const TieCandidate* best = &ties[0];
  for (const TieCandidate& c : ties)
    if (rank(c.tid) > rank(best->tid)) best = &c;  // equal ranks (never drawn twice in practice): lowest tid
  return best->index;
}

uint64_t SchedPerturb::next_change_point(uint64_t instructions) const {
  auto it = std::upper_bound(change_points_.begin(), change_points_.end(), instructions);
  return it == change_points_.end() ? UINT64_MAX : *it;
}

void SchedPerturb::demote(uint32_t tid) {
  if (rank_.size() <= tid) rank_.resize(tid + 1, 0);
  rank_[tid] = lowest_rank_--;
  ++demotions_;
}

}  // namespace hexad::cpu::sched
