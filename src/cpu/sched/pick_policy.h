// The pick rule, as policy only: which Ready thread a hardware slot runs next. No state of its
// own, so it is unit-tested on plain data and the mechanism (scheduler.cc) stays dumb.
//
//   effective priority = base + age bonus
//   age bonus          = min((round - last_run_round) / aging_rounds_per_bonus, max_age_bonus)
//   ties               → the thread Ready longest (smallest ready_seq), then the lowest tid
//
// With no thread having waited a round every bonus is 0 and the rule is strict priority. Two
// variations serve the other policies (sched_policy.h): priorities ignored (fair: every
// candidate counts as priority 0, so the order is readiness alone), and a ready mask (console:
// only candidates whose base priority n has bit n set may be picked).
#pragma once
#include <cstdint>
#include <optional>
#include <span>

namespace hexad::cpu::sched {

// When a thread's age starts counting (the aging policy's --aging-stamp).
enum class AgingStamp : uint8_t {
  // last_run_round is stamped at pick, spawn, rotation and whenever the thread becomes Ready
  // (woken, resumed): age is time spent Ready without running. The default.
  Ready,
  // The seed's rule, kept for comparing engines: stamped at pick, spawn and rotation only, so
  // time spent Blocked or Suspended counts as age and a thread can wake with a full bonus.
  Legacy,
};
const char* aging_stamp_name(AgingStamp s);

struct AgingOptions {
  bool enabled = true;
  uint32_t rounds_per_bonus = 1;  // AGING_ROUNDS_PER_BONUS
  uint32_t max_bonus = 31;        // MAX_AGE_BONUS
  AgingStamp stamp = AgingStamp::Ready;
};

constexpr uint32_t kEveryPriority = 0xFFFFFFFFu;

// What a pick compares: the age bonus, whether priorities count at all, and which base
// priorities are admitted.
struct PickRule {
  AgingOptions aging;                // aging.enabled = false: no bonus (strict priority)
  bool by_priority = true;           // false: priorities ignored, readiness order alone (fair)
  uint32_t admitted = kEveryPriority;  // bit n set: a thread of base priority n may be picked
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
  bool won_against_priority;    // priorities ignored: a candidate with higher base priority lost
  bool won_by_mask;             // a candidate with higher base priority was not admitted
};

uint32_t age_bonus(const AgingOptions& opt, uint64_t round, uint64_t last_run_round);

// nullopt when no candidate is admitted (in particular when `ready` is empty).
std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round, const PickRule& rule);
inline std::optional<PickResult> pick(std::span<const Candidate> ready, uint64_t round, const AgingOptions& opt) {
  return pick(ready, round, PickRule{.aging = opt});
}

}  // namespace hexad::cpu::sched
