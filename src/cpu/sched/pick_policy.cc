#include "cpu/sched/pick_policy.h"

#include <algorithm>

namespace hexad::cpu::sched {

uint32_t age_bonus(const AgingOptions& opt, uint64_t round, uint64_t last_run_round) {
  if (!opt.enabled || round <= last_run_round) return 0;
  uint64_t per = opt.rounds_per_bonus ? opt.rounds_per_bonus : 1;
  return uint32_t(std::min<uint64_t>((round - last_run_round) / per, opt.max_bonus));
}

std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round, const AgingOptions& opt) {
  if (ready.empty()) return std::nullopt;
  const bool anyone_not_yielded =
      std::any_of(ready.begin(), ready.end(), [](const Candidate& c) { return !c.yielded; });
  std::optional<PickResult> best;
  auto better = [&](const Candidate& a, int32_t ea, const Candidate& b, int32_t eb) {
    if (ea != eb) return ea > eb;
    if (a.ready_seq != b.ready_seq) return a.ready_seq < b.ready_seq;
    return a.tid < b.tid;
  };
  int32_t top_base = -1;
  bool yielder_skipped = false;
  for (size_t k = 0; k < ready.size(); ++k) {
    const Candidate& c = ready[k];
    if (c.yielded && anyone_not_yielded) {
      yielder_skipped = true;
      continue;
    }
    top_base = std::max(top_base, c.base_priority);
    uint32_t bonus = age_bonus(opt, round, c.last_run_round);
    int32_t eff = c.base_priority + int32_t(bonus);
    if (!best || better(c, eff, ready[best->index], best->effective_priority))
      best = PickResult{k, eff, bonus, false, false};
  }
  best->won_by_age = ready[best->index].base_priority < top_base;
  if (yielder_skipped) {
    // Without the yield, would someone else have won? Then the yield decided this pick.
    for (const Candidate& c : ready)
      if (c.yielded) {
        int32_t eff = c.base_priority + int32_t(age_bonus(opt, round, c.last_run_round));
        if (better(c, eff, ready[best->index], best->effective_priority)) best->won_by_yield = true;
      }
  }
  return best;
}

}  // namespace hexad::cpu::sched
