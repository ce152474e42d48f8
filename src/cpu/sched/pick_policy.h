// The pick rule, as policy only: which Ready thread a hardware slot runs next. No state of its
// own, so it is unit-tested on plain data and the mechanism (scheduler.cc) stays dumb.
//
//   effective priority = base + age bonus
//   age bonus          = min((round - last_run_round) / aging_rounds_per_bonus, max_age_bonus)
//   ties               → the thread Ready longest (smallest ready_seq), then the lowest tid
//
// With no thread having waited a round every bonus is 0 and the rule is strict priority.
#pragma once
#include <cstdint>
#include <optional>
#include <span>

namespace hexad::cpu::sched {

struct AgingOptions {
  bool enabled = true;
  uint32_t rounds_per_bonus = 1;  // AGING_ROUNDS_PER_BONUS
  uint32_t max_bonus = 31;        // MAX_AGE_BONUS
};

struct Candidate {
  uint32_t tid;
  int32_t base_priority;    // 0..31
  uint64_t last_run_round;
  uint64_t ready_seq;       // global sequence stamped when the thread became Ready (FIFO order)
  bool yielded;            // NtYieldExecution: skipped for one pick if anyone else is Ready
};

struct PickResult {
  size_t index;                 // into the candidate list
  int32_t effective_priority;
  uint32_t age_bonus;
  bool won_by_age;              // a candidate with higher base priority lost to the bonus
  bool won_by_yield;            // the winner only ran because a yielder stepped aside
};

uint32_t age_bonus(const AgingOptions& opt, uint64_t round, uint64_t last_run_round);

std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round, const AgingOptions& opt);

}  // namespace hexad::cpu::sched
