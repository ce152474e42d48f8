// The SchedPolicy implementations on plain data: the registry, strict versus aging on the same
// ready set, quantum expiry, placement and their counters. (Rotation with real quanta is in
// scheduler_test.cc.)
#include <catch2/catch.hpp>

#include <vector>

#include "cpu/sched/sched_policy.h"

using namespace hexad::cpu::sched;

namespace {
Candidate cand(uint32_t tid, int32_t prio, uint64_t last_run, uint64_t seq, bool yielded = false) {
  return {tid, prio, last_run, seq, yielded};
}
}  // namespace

TEST_CASE("sched policy registry: every entry builds the policy of its name, unknown names none") {
  REQUIRE(sched_policies().size() >= 2);
  for (const SchedPolicyEntry& e : sched_policies()) {
    auto p = make_sched_policy(e.name, PolicyParams{});
    REQUIRE(p);
    CHECK(p->name() == e.name);
    CHECK_FALSE(e.summary.empty());
  }
  CHECK(make_sched_policy("aging", {})->name() == "aging");
  CHECK(make_sched_policy("strict", {})->name() == "strict");
  CHECK_FALSE(make_sched_policy("fifo", {}));
  CHECK_FALSE(make_sched_policy("", {}));
}

TEST_CASE("sched policy: strict and aging differ on the same ready set only once someone has aged") {
  auto aging = make_sched_policy("aging", {});
  auto strict = make_sched_policy("strict", {});
  // Priority 12 ran last round; priority 2 has waited 20 rounds (effective 22 under aging).
  std::vector<Candidate> ready{cand(1, 12, 99, 5), cand(2, 2, 80, 1), cand(3, 7, 99, 2)};
  auto a = aging->pick(ready, 100, 0);
  auto s = strict->pick(ready, 100, 0);
  REQUIRE(a);
  REQUIRE(s);
  CHECK(ready[a->index].tid == 2);
  CHECK(a->effective_priority == 22);
  CHECK(a->won_by_age);
  CHECK(ready[s->index].tid == 1);
  CHECK(s->effective_priority == 12);
  CHECK_FALSE(s->won_by_age);
  CHECK(aging->counters().picks_won_by_age == 1);
  CHECK(strict->counters().picks_won_by_age == 0);
  // Effective priority for the dump follows the same rule.
  CHECK(aging->effective_priority(2, 80, 100) == 22);
  CHECK(strict->effective_priority(2, 80, 100) == 2);
  // Nobody has waited a round: the two rules agree.
  std::vector<Candidate> fresh{cand(1, 12, 100, 5), cand(2, 2, 100, 1), cand(3, 7, 100, 2)};
  CHECK(fresh[aging->pick(fresh, 100, 0)->index].tid == 1);
  CHECK(fresh[strict->pick(fresh, 100, 0)->index].tid == 1);
}

TEST_CASE("sched policy: the result does not depend on the order of the ready set") {
  auto aging = make_sched_policy("aging", {});
  std::vector<Candidate> ready{cand(4, 8, 10, 30), cand(2, 8, 10, 20), cand(3, 8, 10, 20), cand(5, 3, 2, 1, true)};
  uint32_t first = ready[aging->pick(ready, 12, 0)->index].tid;
  std::sort(ready.begin(), ready.end(), [](const Candidate& a, const Candidate& b) { return a.tid > b.tid; });
  CHECK(ready[aging->pick(ready, 12, 0)->index].tid == first);
  std::reverse(ready.begin(), ready.end());
  CHECK(ready[aging->pick(ready, 12, 0)->index].tid == first);
}

TEST_CASE("sched policy: a yield is counted when it decided the pick") {
  auto strict = make_sched_policy("strict", {});
  std::vector<Candidate> ready{cand(1, 10, 0, 1, true), cand(2, 4, 0, 2)};
  auto r = strict->pick(ready, 0, 0);
  CHECK(ready[r->index].tid == 2);
  CHECK(r->won_by_yield);
  CHECK(strict->counters().picks_won_by_yield == 1);
  // Alone, a yielder runs anyway.
  std::vector<Candidate> alone{cand(1, 10, 0, 1, true)};
  CHECK(strict->pick(alone, 0, 0)->index == 0);
  CHECK(strict->counters().picks_won_by_yield == 1);
  CHECK_FALSE(strict->pick({}, 0, 0));
}

TEST_CASE("sched policy: quantum expiry re-queues and counts a rotation only with an equal peer") {
  for (const char* name : {"aging", "strict"}) {
    auto p = make_sched_policy(name, {});
    Candidate expired = cand(1, 8, 3, 10);
    std::vector<Candidate> lower{cand(2, 5, 0, 2)};
    QuantumDecision d = p->on_quantum_expiry(expired, lower, 7);
    CHECK(d.requeue_behind_peers);
    CHECK(d.reset_age);
    CHECK(p->counters().rotations == 0);
    std::vector<Candidate> equal{cand(2, 5, 0, 2), cand(3, 8, 0, 3)};
    p->on_quantum_expiry(expired, equal, 7);
    CHECK(p->counters().rotations == 1);
    p->on_quantum_expiry(expired, {}, 7);
    CHECK(p->counters().rotations == 1);
  }
}

TEST_CASE("sched policy: placement by load and by affinity") {
  auto p = make_sched_policy("aging", {});
  SlotLoad load{2, 1, 1, 0, 3, 0};
  CHECK(p->place_new(kAllSlots, load) == 3);          // least loaded, lowest on ties
  CHECK(p->place_new(0b110000, load) == 4);           // pinned: lowest slot of the mask
  CHECK(p->place_new(kAllSlots, SlotLoad{}) == 0);
  CHECK(p->place_on_affinity_change(0b000110, 2) == 2);  // still allowed: stays
  CHECK(p->place_on_affinity_change(0b100001, 2) == 0);  // not allowed: lowest of the mask
  CHECK(p->place_on_affinity_change(0b100000, 0) == 5);
}

TEST_CASE("sched policy: aging options other than the defaults") {
  AgingOptions opt;
  opt.rounds_per_bonus = 3;
  opt.max_bonus = 4;
  auto p = make_sched_policy("aging", PolicyParams{opt, {}});
  CHECK(p->effective_priority(10, 0, 2) == 10);
  CHECK(p->effective_priority(10, 0, 3) == 11);
  CHECK(p->effective_priority(10, 0, 300) == 14);
  // Strict ignores them.
  CHECK(make_sched_policy("strict", PolicyParams{opt, {}})->effective_priority(10, 0, 300) == 10);
}
