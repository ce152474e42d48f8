// Seeded schedule exploration (`--seed N --strategy random|pct --depth D`): one object that
// perturbs, deterministically, the choices a real machine leaves open. The scheduler consults it
// at a few decision points through narrow hooks; with seed 0 every hook returns the scheduler's
// own choice and draws nothing, so the schedule is today's, byte for byte.
//
// Strategy `random`:
//   - ties: among the Ready threads of a slot that the policy ranks equal to its choice (same
//     effective priority, same yield standing), one is drawn uniformly (by tid order);
//   - slices: each slice's length (the instructions a slot runs at most before the slots behind
//     it in guest time catch up, --slice s) is drawn uniformly from [ceil(s/2), s], once per slice
//     (Scheduler::slice_for); the round's window (--quantum) stays fixed;
//   - placement: a new thread goes to a slot drawn uniformly from its affinity mask, and a thread
//     whose affinity change leaves its slot goes to one drawn from the new mask.
// Strategy `pct` (Burckhardt, Kothari, Musuvathi and Nagarakatte, ASPLOS 2010):
//   - every thread gets a random rank when it is created; ranks break ties among the threads the
//     policy ranks equal (the highest rank runs), so guest priorities and the policy still hold;
//   - d-1 change points are drawn uniformly over the run's k steps, a step being one retired
//     guest instruction (k = --pct-steps, by default the budget); when the machine reaches a
//     change point, the running thread is demoted below every rank given so far and preempted:
//     it is Ready again and does not run again in that round, so its own slot's peers go first
//     (the other slots go on in guest-time order);
//   - slices and placement stay the scheduler's.
// Every draw comes from one xoshiro256** stream seeded with the seed (prng.h).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "cpu/sched/prng.h"

namespace hexad::cpu::sched {

enum class PerturbStrategy : uint8_t { Random, Pct };
std::string_view strategy_name(PerturbStrategy s);
std::optional<PerturbStrategy> parse_strategy(std::string_view name);

struct PerturbOptions {
  uint64_t seed = 0;  // 0 = no perturbation
  PerturbStrategy strategy = PerturbStrategy::Random;
  uint32_t depth = 2;      // pct: the bug depth d (d-1 change points); at least 1
  uint64_t pct_steps = 0;  // pct: k, the run's estimated length in retired instructions
};

// One tie candidate: a Ready thread the policy ranks equal to its own choice.
struct TieCandidate {
  uint32_t tid;
  size_t index;  // into the scheduler's candidate list
};

class SchedPerturb {
 public:
  explicit SchedPerturb(const PerturbOptions& opt);
  bool active() const { return opt_.seed != 0; }
  const PerturbOptions& options() const { return opt_; }

  // A new thread's home slot; `chosen` is the policy's. Under pct it also draws the thread's rank.
  uint8_t place_new(uint32_t tid, uint8_t affinity, uint8_t chosen);
  // The home slot after an affinity change; `chosen` is the policy's.
  uint8_t place_on_affinity_change(uint8_t affinity, uint8_t current_slot, uint8_t chosen);
  // A slice's length, from the configured one (--slice).
  uint64_t slice(uint64_t quantum);
  // Which of the tied candidates runs (the policy's choice among them is `policy_choice`); the
  // result is an index into the scheduler's candidate list. Called only with two or more ties;
  // `ties` is sorted by tid.
  size_t break_tie(std::span<const TieCandidate> ties, size_t policy_choice);

  // pct: the next change point (an instruction count) after `instructions`, or UINT64_MAX.
  uint64_t next_change_point(uint64_t instructions) const;
  // pct: the thread running at a change point drops below every rank given so far.
  void demote(uint32_t tid);
  uint64_t rank(uint32_t tid) const { return tid < rank_.size() ? rank_[tid] : 0; }
  const std::vector<uint64_t>& change_points() const { return change_points_; }
  uint64_t demotions() const { return demotions_; }

 private:
  PerturbOptions opt_;
  Xoshiro256StarStar rng_;
  std::vector<uint64_t> change_points_;  // pct: sorted
  std::vector<uint64_t> rank_;           // pct: by tid; higher runs first
  uint64_t lowest_rank_;                 // pct: the next demotion's rank
  uint64_t demotions_ = 0;
};

}  // namespace hexad::cpu::sched
