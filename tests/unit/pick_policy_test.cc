#include <catch2/catch.hpp>

#include "cpu/sched/pick_policy.h"

using namespace hexad::cpu::sched;

namespace {
Candidate cand(uint32_t tid, int32_t prio, uint64_t last_run, uint64_t seq, bool yielded = false) {
  return {tid, prio, last_run, seq, yielded};
}
}  // namespace

TEST_CASE("pick: strict priority at round 0") {
  AgingOptions aging;
  std::vector<Candidate> c{cand(1, 5, 0, 1), cand(2, 9, 0, 2), cand(3, 7, 0, 3)};
  auto r = pick(c, 0, aging);
  REQUIRE(r);
  CHECK(c[r->index].tid == 2);
  CHECK(r->age_bonus == 0);
  CHECK_FALSE(r->won_by_age);
}

TEST_CASE("pick: no bonus for threads that ran this round, so aging degenerates to strict priority") {
  AgingOptions aging;
  std::vector<Candidate> c{cand(1, 3, 40, 1), cand(2, 4, 40, 2)};
  auto r = pick(c, 40, aging);
  CHECK(c[r->index].tid == 2);
}

TEST_CASE("pick: age bonus lets a waiting low-priority thread win") {
  AgingOptions aging;  // 1 round per bonus point, max 31
  // Priority 15 ran last round; priority 0 has waited 16 rounds -> effective 16 > 15.
  std::vector<Candidate> c{cand(1, 15, 99, 5), cand(2, 0, 84, 1)};
  auto r = pick(c, 100, aging);
  CHECK(c[r->index].tid == 2);
  CHECK(r->age_bonus == 16);
  CHECK(r->effective_priority == 16);
  CHECK(r->won_by_age);
  // One round less and it is a tie on effective priority (15 vs 0+15); FIFO decides: tid 2 has
  // been Ready longer (seq 1 < 5).
  auto tie = pick(c, 99, aging);
  CHECK(c[tie->index].tid == 2);
  CHECK(tie->effective_priority == 15);
  // Two rounds less: the priority-15 thread wins.
  auto lose = pick(c, 98, aging);
  CHECK(c[lose->index].tid == 1);
}

TEST_CASE("pick: aging off is strict priority however long a thread waits") {
  AgingOptions off;
  off.enabled = false;
  std::vector<Candidate> c{cand(1, 15, 1000, 5), cand(2, 0, 0, 1)};
  auto r = pick(c, 1000, off);
  CHECK(c[r->index].tid == 1);
  CHECK(age_bonus(off, 1000, 0) == 0);
}

TEST_CASE("pick: bonus is capped and scaled by rounds per bonus") {
  AgingOptions a;
  a.rounds_per_bonus = 4;
  a.max_bonus = 3;
  CHECK(age_bonus(a, 3, 0) == 0);
  CHECK(age_bonus(a, 4, 0) == 1);
  CHECK(age_bonus(a, 11, 0) == 2);
  CHECK(age_bonus(a, 1000, 0) == 3);
  CHECK(age_bonus(a, 5, 9) == 0);  // last run in the future: no bonus, no underflow
}

TEST_CASE("pick: ties go to the thread Ready longest, then the lowest tid") {
  AgingOptions aging;
  std::vector<Candidate> c{cand(4, 8, 10, 30), cand(2, 8, 10, 20), cand(3, 8, 10, 20)};
  auto r = pick(c, 10, aging);
  CHECK(c[r->index].tid == 2);  // seq 20 ties between 2 and 3; lowest tid
}

TEST_CASE("pick: rotation puts a thread behind its equal peer") {
  // Thread 1 just had its quantum rotated: it was re-stamped with a newer ready_seq.
  AgingOptions aging;
  std::vector<Candidate> c{cand(1, 10, 7, 9), cand(2, 10, 7, 8)};
  auto r = pick(c, 7, aging);
  CHECK(c[r->index].tid == 2);
}

TEST_CASE("pick: a yielder steps aside for one pick, even for a lower priority thread") {
  AgingOptions aging;
  std::vector<Candidate> c{cand(1, 20, 3, 1, true), cand(2, 1, 3, 2)};
  auto r = pick(c, 3, aging);
  CHECK(c[r->index].tid == 2);
  CHECK(r->won_by_yield);
  // Alone, the yielder runs again.
  std::vector<Candidate> alone{cand(1, 20, 3, 1, true)};
  auto a = pick(alone, 3, aging);
  CHECK(alone[a->index].tid == 1);
  CHECK_FALSE(a->won_by_yield);
}

TEST_CASE("pick: nothing Ready") {
  AgingOptions aging;
  CHECK_FALSE(pick({}, 0, aging));
}
