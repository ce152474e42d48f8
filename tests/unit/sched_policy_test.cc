// The SchedPolicy implementations on plain data: the registry, strict versus aging on the same
// ready set, quantum expiry, placement and their counters. (Rotation with real quanta is in
// scheduler_test.cc.)
#include <catch2/catch.hpp>

#include <string>
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

TEST_CASE("sched policy registry: the four policies, and their names for messages") {
  for (const char* name : {"aging", "strict", "fair", "console"}) CHECK(make_sched_policy(name, {})->name() == name);
  CHECK(sched_policy_names() == "aging, strict, fair, console");
}

TEST_CASE("sched policy aging: age counts from becoming Ready, or under legacy from the last pick") {
  AgingOptions legacy;
  legacy.stamp = AgingStamp::Legacy;
  auto fixed = make_sched_policy("aging", {});
  auto old = make_sched_policy("aging", PolicyParams{legacy, {}});
  // Last picked at round 10, Blocked since, Ready again at round 310.
  CHECK(fixed->last_run_round_on_ready(10, 310) == 310);
  CHECK(old->last_run_round_on_ready(10, 310) == 10);
  CHECK(fixed->counters().stale_ages_on_ready == 1);
  CHECK(old->counters().stale_ages_on_ready == 1);
  // Woken in the round it last ran: no age to discard, nothing counted.
  CHECK(fixed->last_run_round_on_ready(310, 310) == 310);
  CHECK(fixed->counters().stale_ages_on_ready == 1);
  // What that does to the next pick against a running priority-20 thread (picked last round).
  std::vector<Candidate> fixed_ready{cand(1, 20, 309, 5), cand(2, 4, 310, 6)};
  std::vector<Candidate> legacy_ready{cand(1, 20, 309, 5), cand(2, 4, 10, 6)};
  CHECK(fixed_ready[fixed->pick(fixed_ready, 310, 0)->index].tid == 1);
  CHECK(legacy_ready[old->pick(legacy_ready, 310, 0)->index].tid == 2);  // 4 + 31 > 20 + 1
  // Strict, fair and console keep last_run_round as it is (they do not read it).
  for (const char* name : {"strict", "fair", "console"}) CHECK(make_sched_policy(name, {})->last_run_round_on_ready(10, 310) == 10);
  // The parameters, by name, as run.json shows them.
  auto params = old->params();
  REQUIRE(params.size() == 3);
  CHECK((params[0].name == "rounds_per_bonus" && params[0].number == 1));
  CHECK((params[1].name == "max_bonus" && params[1].number == 31));
  CHECK((params[2].name == "aging_stamp" && params[2].text == "legacy"));
  CHECK(fixed->params()[2].text == "ready");
}

TEST_CASE("sched policy fair: the thread Ready longest runs, whatever the priorities") {
  auto fair = make_sched_policy("fair", {});
  std::vector<Candidate> ready{cand(1, 31, 0, 9), cand(2, 0, 0, 3), cand(3, 15, 0, 4)};
  auto r = fair->pick(ready, 5, 0);
  REQUIRE(r);
  CHECK(ready[r->index].tid == 2);
  CHECK(r->won_against_priority);
  CHECK_FALSE(r->won_by_age);
  CHECK(fair->counters().picks_against_priority == 1);
  // The highest priority Ready longest: not against priority.
  std::vector<Candidate> in_order{cand(1, 31, 0, 1), cand(2, 0, 0, 3)};
  CHECK_FALSE(fair->pick(in_order, 5, 0)->won_against_priority);
  CHECK(fair->counters().picks_against_priority == 1);
  // A yielder steps aside for one pick.
  std::vector<Candidate> yielding{cand(1, 8, 0, 1, true), cand(2, 8, 0, 2)};
  auto y = fair->pick(yielding, 5, 0);
  CHECK(yielding[y->index].tid == 2);
  CHECK(y->won_by_yield);
  // Quantum expiry: behind everyone Ready on the slot, a rotation whenever anyone is.
  CHECK(fair->on_quantum_expiry(cand(1, 20, 0, 1), std::vector<Candidate>{cand(2, 3, 0, 2)}, 5).requeue_behind_peers);
  CHECK(fair->counters().rotations == 1);
  fair->on_quantum_expiry(cand(1, 20, 0, 1), {}, 5);
  CHECK(fair->counters().rotations == 1);
  CHECK(fair->effective_priority(20, 0, 100) == 20);
  CHECK(fair->params().empty());
}

TEST_CASE("sched policy console: the ready mask inside and outside the background window") {
  auto console = make_sched_policy("console", {});
  constexpr uint64_t kTick = 64;  // guest cycles per timebase tick
  const uint64_t in_window = 49'999 * kTick, outside = 50'000 * kTick, next_window = 800'000 * kTick;
  // A priority-13 spinner and a priority-6 worker: the window admits 6 and locks out 13; outside
  // it is the other way round.
  std::vector<Candidate> ready{cand(1, 13, 0, 1), cand(2, 6, 0, 2)};
  auto w = console->pick(ready, 0, in_window);
  REQUIRE(w);
  CHECK(ready[w->index].tid == 2);
  CHECK(w->won_by_mask);
  auto o = console->pick(ready, 0, outside);
  REQUIRE(o);
  CHECK(ready[o->index].tid == 1);
  CHECK_FALSE(o->won_by_mask);
  CHECK(ready[console->pick(ready, 0, next_window)->index].tid == 2);
  CHECK(console->counters().window_picks == 2);
  CHECK(console->counters().masked_picks == 2);
  // Nothing admitted: the slot idles (nullopt although threads are Ready), and it is counted.
  std::vector<Candidate> background{cand(2, 6, 0, 2)};
  CHECK_FALSE(console->pick(background, 0, outside));
  CHECK(console->counters().locked_out_idles == 1);
  CHECK_FALSE(console->pick({}, 0, outside));
  CHECK(console->counters().locked_out_idles == 1);
  // Strict priority among the admitted, and the masks bit by bit: 0xEDB403FF in the window,
  // 0xF6DBFC03 outside; priorities 0 and 1 always run.
  for (int32_t p = 0; p < 32; ++p) {
    std::vector<Candidate> one{cand(1, p, 0, 1)};
    INFO("priority " << p);
    CHECK(bool(console->pick(one, 0, 0)) == bool((0xEDB403FFu >> p) & 1));
    CHECK(bool(console->pick(one, 0, outside)) == bool((0xF6DBFC03u >> p) & 1));
  }
  std::vector<Candidate> both_bands{cand(1, 0, 0, 1), cand(2, 9, 0, 2), cand(3, 1, 0, 3)};
  CHECK(both_bands[console->pick(both_bands, 0, 0)->index].tid == 2);
  CHECK(both_bands[console->pick(both_bands, 0, outside)->index].tid == 3);
  // The next window edge: the window's end from inside it, the next start from outside.
  CHECK(console->next_decision_change(0) == 50'000 * kTick);
  CHECK(console->next_decision_change(in_window) == 50'000 * kTick);
  CHECK(console->next_decision_change(outside) == next_window);
  CHECK(console->next_decision_change(next_window - 1) == next_window);
  CHECK(console->effective_priority(13, 0, 1000) == 13);
  // Other window lengths and periods.
  auto short_windows = make_sched_policy("console", PolicyParams{{}, ConsoleOptions{.window_ticks = 10, .period_ticks = 40}});
  CHECK(short_windows->next_decision_change(0) == 10 * kTick);
  CHECK(short_windows->next_decision_change(10 * kTick) == 40 * kTick);
  CHECK(ready[short_windows->pick(ready, 0, 39 * kTick)->index].tid == 1);
  CHECK(ready[short_windows->pick(ready, 0, 40 * kTick)->index].tid == 2);
  auto params = short_windows->params();
  REQUIRE(params.size() == 4);
  CHECK((params[0].name == "window_mask" && params[0].text == "0xedb403ff"));
  CHECK((params[1].name == "normal_mask" && params[1].text == "0xf6dbfc03"));
  CHECK((params[2].name == "window_ticks" && params[2].number == 10));
  CHECK((params[3].name == "period_ticks" && params[3].number == 40));
  CHECK(validate_console_options({}).empty());
  CHECK_FALSE(validate_console_options(ConsoleOptions{.window_ticks = 0}).empty());
  CHECK_FALSE(validate_console_options(ConsoleOptions{.window_ticks = 40, .period_ticks = 40}).empty());
}

TEST_CASE("sched policy: each policy names its own counters") {
  auto names = [](const char* policy) {
    std::vector<std::string> out;
    for (const PolicyValue& v : make_sched_policy(policy, {})->counter_values()) out.emplace_back(v.name);
    return out;
  };
  CHECK(names("aging") == std::vector<std::string>{"picks_won_by_age", "picks_won_by_yield", "rotations", "stale_ages_on_ready"});
  CHECK(names("strict") == std::vector<std::string>{"picks_won_by_yield", "rotations"});
  CHECK(names("fair") == std::vector<std::string>{"picks_against_priority", "picks_won_by_yield", "rotations"});
  CHECK(names("console") ==
        std::vector<std::string>{"window_picks", "masked_picks", "locked_out_idles", "picks_won_by_yield", "rotations"});
}
