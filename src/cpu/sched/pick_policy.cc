#include "cpu/sched/pick_policy.h"

#include <algorithm>

namespace hexad::cpu::sched {

const char* aging_stamp_name(AgingStamp s) { return s == AgingStamp::Ready ? "ready" : "legacy"; }

uint32_t age_bonus(const AgingOptions& opt, uint64_t round, uint64_t last_run_round) {
  if (!opt.enabled || round <= last_run_round) return 0;
  uint64_t per = opt.rounds_per_bonus ? opt.rounds_per_bonus : 1;
  return uint32_t(std::min<uint64_t>((round - last_run_round) / per, opt.max_bonus));
}

namespace {
bool admitted(const PickRule& rule, const Candidate& c) {
  return c.base_priority >= 0 && c.base_priority < 32 && (rule.admitted >> c.base_priority) & 1u;
}
}  // namespace

std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round, const PickRule& rule) {
  const bool anyone_not_yielded =
      std::any_of(ready.begin(), ready.end(), [&](const Candidate& c) { return admitted(rule, c) && !c.yielded; });
  auto effective = [&](const Candidate& c) {
    return rule.by_priority ? c.base_priority + int32_t(age_bonus(rule.aging, round, c.last_run_round)) : 0;
  };
  std::optional<PickResult> best;
  auto better = [&](const Candidate& a, int32_t ea, const Candidate& b, int32_t eb) {
    if (ea != eb) return ea > eb;
    if (a.ready_seq != b.ready_seq) return a.ready_seq < b.ready_seq;
    return a.tid < b.tid;
  };
  int32_t top_base = -1;          // among the candidates that competed
  int32_t top_masked_base = -1;   // among those the mask kept out
  bool yielder_skipped = false;
  for (size_t k = 0; k < ready.size(); ++k) {
    const Candidate& c = ready[k];
    if (!admitted(rule, c)) {
      top_masked_base = std::max(top_masked_base, c.base_priority);
      continue;
    }
    if (c.yielded && anyone_not_yielded) {
      yielder_skipped = true;
      continue;
    }
    top_base = std::max(top_base, c.base_priority);
    const int32_t eff = effective(c);
    if (!best || better(c, eff, ready[best->index], best->effective_priority))
      best = PickResult{k, eff, rule.by_priority ? age_bonus(rule.aging, round, c.last_run_round) : 0,
                        false, false, false, false};
  }
  if (!best) return std::nullopt;
  const int32_t winner_base = ready[best->index].base_priority;
  if (rule.by_priority) best->won_by_age = winner_base < top_base;
  else best->won_against_priority = winner_base < top_base;
  best->won_by_mask = winner_base < top_masked_base;
  if (yielder_skipped) {
    // Without the yield, would someone else have won? Then the yield decided this pick.
    for (const Candidate& c : ready)
      if (c.yielded && admitted(rule, c) && better(c, effective(c), ready[best->index], best->effective_priority))
        best->won_by_yield = true;
  }
  return best;
}

}  // namespace hexad::cpu::sched
