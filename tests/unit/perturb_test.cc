// Schedule exploration: the PRNG against its published reference outputs, the mapping onto
// ranges, the perturbation's hooks, and the scheduler under a seed (same seed, same schedule;
// seed 0, the unperturbed one; pct change points preempt at exactly their instruction).
#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include "base/endian.h"
#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"
#include "cpu/sched/perturb.h"
#include "cpu/sched/prng.h"
#include "cpu/sched/scheduler.h"

using namespace hexad::cpu;
using namespace hexad::cpu::sched;

TEST_CASE("prng: SplitMix64 gives the reference implementation's outputs") {
  // splitmix64.c (Vigna) seeded with 1477776061723855037; the values rand_xoshiro checks too.
  SplitMix64 g(1477776061723855037ull);
  const uint64_t want[] = {1985237415132408290ull,  2979275885539914483ull,  13511426838097143398ull,
                           8488337342461049707ull,  15141737807933549159ull, 17093170987380407015ull,
                           16389528042912955399ull, 13177319091862933652ull, 10841969400225389492ull,
                           17094824097954834098ull};
  for (uint64_t w : want) CHECK(g.next() == w);
}

TEST_CASE("prng: xoshiro256** gives the reference implementation's outputs") {
  // xoshiro256starstar.c from the state {1, 2, 3, 4}.
  auto g = Xoshiro256StarStar::from_state(1, 2, 3, 4);
  const uint64_t want[] = {11520ull,
                           0ull,
                           1509978240ull,
                           1215971899390074240ull,
                           1216172134540287360ull,
                           607988272756665600ull,
                           16172922978634559625ull,
                           8476171486693032832ull,
                           10595114339597558777ull,
                           2904607092377533576ull};
  for (uint64_t w : want) CHECK(g.next() == w);
}

TEST_CASE("prng: a seed's state is four SplitMix64 outputs of it") {
  SplitMix64 sm(99);
  const uint64_t s0 = sm.next(), s1 = sm.next(), s2 = sm.next(), s3 = sm.next();
  auto want = Xoshiro256StarStar::from_state(s0, s1, s2, s3);
  Xoshiro256StarStar got(99);
  for (int k = 0; k < 8; ++k) CHECK(got.next() == want.next());
}

TEST_CASE("prng: ranges by multiply-shift with rejection") {
  SECTION("a power of two is the top bits of one output") {
    Xoshiro256StarStar a(5), b(5);
    for (int k = 0; k < 100; ++k) CHECK(a.uniform_below(8) == b.next() >> 61);
  }
  SECTION("the high word of x * n when x is not rejected") {
    Xoshiro256StarStar a(6), b(6);
    for (int k = 0; k < 100; ++k) {
      const uint64_t x = b.next();
      const unsigned __int128 m = (unsigned __int128)x * 1000;
      REQUIRE(uint64_t(m) >= (0 - uint64_t(1000)) % 1000);  // 2^64 mod 1000 = 616: rejection is ~1e-16 likely
      CHECK(a.uniform_below(1000) == uint64_t(m >> 64));
    }
  }
  SECTION("n = 1 or 0 draws nothing") {
    Xoshiro256StarStar a(7), b(7);
    CHECK(a.uniform_below(1) == 0);
    CHECK(a.uniform_below(0) == 0);
    CHECK(a.next() == b.next());
  }
  SECTION("an n just above 2^63 rejects about half the outputs, and every result is below n") {
    // 2^64 mod n = 2^63 - 1: an output is rejected when its low word of x * n falls below that,
    // about half of them. Count the outputs 1000 results consumed by finding where the stream is.
    const uint64_t n = (uint64_t(1) << 63) + 1;
    Xoshiro256StarStar a(8), b(8);
    for (int k = 0; k < 1000; ++k) CHECK(a.uniform_below(n) < n);
    const uint64_t after = a.next();
    uint64_t consumed = 0;
    while (b.next() != after && consumed < 10'000) ++consumed;
    CHECK(consumed > 1700);  // about 2000: one accepted output per result plus the rejected ones
    CHECK(consumed < 2300);
  }
  SECTION("closed ranges reach both ends and nothing outside") {
    Xoshiro256StarStar a(9);
    std::set<uint64_t> seen;
    for (int k = 0; k < 1000; ++k) seen.insert(a.uniform_in(5, 7));
    CHECK(seen == std::set<uint64_t>{5, 6, 7});
    CHECK(a.uniform_in(4, 4) == 4);
  }
}

TEST_CASE("perturb: seed 0 leaves every choice to the scheduler and draws nothing") {
  for (PerturbStrategy s : {PerturbStrategy::Random, PerturbStrategy::Pct}) {
    SchedPerturb p({.seed = 0, .strategy = s, .depth = 3, .pct_steps = 1000});
    CHECK_FALSE(p.active());
    CHECK(p.place_new(1, 0x3F, 4) == 4);
    CHECK(p.place_on_affinity_change(0x06, 0, 1) == 1);
    CHECK(p.slice(20'000) == 20'000);
    const TieCandidate ties[] = {{1, 0}, {2, 1}, {3, 2}};
    CHECK(p.break_tie(ties, 1) == 1);
    CHECK(p.change_points().empty());
    CHECK(p.next_change_point(0) == UINT64_MAX);
  }
}

TEST_CASE("perturb: random draws slices, placement and ties within their ranges, the same for the same seed") {
  auto draws = [](uint64_t seed) {
    SchedPerturb p({.seed = seed});
    std::vector<uint64_t> out;
    for (int k = 0; k < 200; ++k) {
      const uint64_t q = p.slice(1000);
      CHECK(q >= 500);
      CHECK(q <= 1000);
      out.push_back(q);
      const uint8_t slot = p.place_new(uint32_t(k + 1), 0b101100, 0);
      CHECK((slot == 2 || slot == 3 || slot == 5));
      out.push_back(slot);
      CHECK(p.place_on_affinity_change(0b110, 1, 1) == 1);  // its slot still allowed: no move
      const uint8_t moved = p.place_on_affinity_change(0b110, 0, 1);
      CHECK((moved == 1 || moved == 2));
      out.push_back(moved);
      const TieCandidate ties[] = {{4, 7}, {9, 2}, {12, 5}};
      const size_t tie = p.break_tie(ties, 2);
      CHECK((tie == 7 || tie == 2 || tie == 5));
      out.push_back(tie);
    }
    CHECK(p.slice(1) == 1);
    return out;
  };
  const auto a = draws(42);
  CHECK(a == draws(42));
  CHECK(a != draws(43));
  std::set<uint64_t> slots, ties;
  for (size_t k = 0; k < a.size(); k += 4) {
    slots.insert(a[k + 1]);
    ties.insert(a[k + 3]);
  }
  CHECK(slots == std::set<uint64_t>{2, 3, 5});  // every allowed slot is drawn
  CHECK(ties == std::set<uint64_t>{2, 5, 7});
}

TEST_CASE("perturb: pct draws depth-1 change points over k steps and demotes below every rank") {
  SchedPerturb none({.seed = 3, .strategy = PerturbStrategy::Pct, .depth = 1, .pct_steps = 1000});
  CHECK(none.change_points().empty());

  SchedPerturb p({.seed = 3, .strategy = PerturbStrategy::Pct, .depth = 4, .pct_steps = 1000});
  const std::vector<uint64_t> cps = p.change_points();
  REQUIRE(cps.size() == 3);
  CHECK(std::is_sorted(cps.begin(), cps.end()));
  for (uint64_t c : cps) {
    CHECK(c >= 1);
    CHECK(c <= 1000);
  }
  CHECK(p.next_change_point(0) == cps[0]);
  CHECK(p.next_change_point(cps[0]) == (cps[1] > cps[0] ? cps[1] : p.next_change_point(cps[1])));
  CHECK(p.next_change_point(cps[2]) == UINT64_MAX);
  // pct leaves slices and placement alone.
  CHECK(p.slice(1000) == 1000);
  CHECK(p.place_on_affinity_change(0b110, 0, 1) == 1);

  for (uint32_t tid = 1; tid <= 5; ++tid) CHECK(p.place_new(tid, 0x3F, 2) == 2);
  std::set<uint64_t> ranks;
  for (uint32_t tid = 1; tid <= 5; ++tid) ranks.insert(p.rank(tid));
  CHECK(ranks.size() == 5);  // distinct: a random order of the threads
  // Ties go to the highest rank.
  const TieCandidate ties[] = {{1, 0}, {2, 1}, {3, 2}, {4, 3}, {5, 4}};
  uint32_t top = 1;
  for (uint32_t tid = 2; tid <= 5; ++tid)
    if (p.rank(tid) > p.rank(top)) top = tid;
  CHECK(p.break_tie(ties, 0) == top - 1);
  // A demoted thread goes below every initial rank, and below the one demoted before it.
  p.demote(top);
  for (uint32_t tid = 1; tid <= 5; ++tid)
    if (tid != top) CHECK(p.rank(top) < p.rank(tid));
  const uint32_t second = top == 1 ? 2 : 1;
  p.demote(second);
  CHECK(p.rank(second) < p.rank(top));
  CHECK(p.break_tie(ties, 0) != top - 1);
  CHECK(p.demotions() == 2);

  // The same seed draws the same change points, another seed others.
  SchedPerturb again({.seed = 3, .strategy = PerturbStrategy::Pct, .depth = 4, .pct_steps = 1000});
  CHECK(again.change_points() == cps);
  SchedPerturb other({.seed = 4, .strategy = PerturbStrategy::Pct, .depth = 4, .pct_steps = 1000});
  CHECK(other.change_points() != cps);
}

TEST_CASE("perturb: strategy names") {
  CHECK(parse_strategy("random") == PerturbStrategy::Random);
  CHECK(parse_strategy("pct") == PerturbStrategy::Pct);
  CHECK_FALSE(parse_strategy("chaos"));
  CHECK(strategy_name(PerturbStrategy::Pct) == "pct");
  CHECK(strategy_name(PerturbStrategy::Random) == "random");
}

namespace {

constexpr uint32_t kCode = 0x82010000;
constexpr uint32_t kSentinel = 0xBCBC0000;

struct NoKernel : SchedulerHost {
  void on_syscall(GuestThread&) override {}
  void on_thread_return(GuestThread&) override {}
  void on_fault(GuestThread&) override {}
};

// Spinners (addi r3,r3,1; b .-4) of one priority under a perturbation; per round, which
// threads ran, on which slot, and how far.
struct SpinRun {
  std::vector<std::vector<uint64_t>> rounds;  // per round: tid, slot, instructions of every thread
  std::vector<uint8_t> homes;
};

// `rounds` run_until calls of one round each, or (one_call) a single call that runs them all.
SpinRun run_spinners(const PerturbOptions& perturb, uint64_t quantum, int threads, uint8_t affinity, int rounds,
                     bool one_call = false) {
  Memory mem;
  Interpreter cpu{mem};
  NoKernel host;
  SchedulerOptions opt;
  opt.quantum = quantum;
  opt.perturb = perturb;
  Scheduler sched(mem, cpu, opt, host);
  REQUIRE(mem.commit(kCode, 0x1000, kProtRWX));
  const uint32_t words[] = {hexad::bswap(uint32_t(0x38630001)), hexad::bswap(uint32_t(0x4BFFFFFC))};
  mem.write_bytes_raw(kCode, words, sizeof words);
  cpu.invalidate(kCode, sizeof words);
  std::vector<GuestThread*> ts;
  SpinRun out;
  for (int k = 0; k < threads; ++k) {
    GuestThread& t = sched.spawn(affinity, 8, false, false);
    t.ctx->pc = kCode;
    t.ctx->lr = t.ctx->stop_pc = kSentinel;
    ts.push_back(&t);
    out.homes.push_back(t.slot());
  }
  for (int r = one_call ? rounds : 1; r <= rounds; ++r) {
    StopCondition until;
    until.until_round = uint64_t(r);
    REQUIRE(sched.run_until(until) == RunStop::Paused);
    std::vector<uint64_t> row;
    for (GuestThread* t : ts) row.insert(row.end(), {t->tid, t->slot(), t->ctx->instructions});
    out.rounds.push_back(row);
  }
  return out;
}

}  // namespace

TEST_CASE("perturb: the same seed gives the same schedule, seed 0 the unperturbed one") {
  const SpinRun plain = run_spinners({}, 1000, 4, 0x3F, 6);
  const SpinRun zero = run_spinners({.seed = 0}, 1000, 4, 0x3F, 6);
  CHECK(plain.rounds == zero.rounds);
  CHECK(plain.homes == std::vector<uint8_t>{0, 1, 2, 3});  // least loaded first
  for (uint64_t seed : {1u, 2u, 77u}) {
    INFO("seed " << seed);
    const SpinRun a = run_spinners({.seed = seed}, 1000, 4, 0x3F, 6);
    CHECK(a.rounds == run_spinners({.seed = seed}, 1000, 4, 0x3F, 6).rounds);
    CHECK(a.rounds != plain.rounds);  // slices of 500..1000 instead of 1000
  }
  // Four equal threads on one slot: the unperturbed rotation is 1 2 3 4, seeded ties differ.
  const SpinRun fifo = run_spinners({}, 1000, 4, 0b1, 4);
  for (int r = 0; r < 4; ++r) CHECK(fifo.rounds[size_t(r)][size_t(3 * r + 2)] == 1000);
  bool some_other_order = false;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    const SpinRun s = run_spinners({.seed = seed}, 1000, 4, 0b1, 1);
    some_other_order |= s.rounds[0][2] == 0;  // tid 1 did not run first
  }
  CHECK(some_other_order);
}

TEST_CASE("perturb: a pct change point preempts the running thread at exactly its instruction") {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    const PerturbOptions pct{.seed = seed, .strategy = PerturbStrategy::Pct, .depth = 2, .pct_steps = 999};
    SchedPerturb p(pct);
    const uint64_t cp = p.change_points().at(0);
    // Two equal spinners on slot 0, quantum 1000: the higher rank runs first and stops at the
    // change point; the other runs the rest of the slot's round.
    const SpinRun r = run_spinners(pct, 1000, 2, 0b1, 1);
    const uint64_t ran1 = r.rounds[0][2], ran2 = r.rounds[0][5];
    p.place_new(1, 0b1, 0);  // the ranks the scheduler's perturbation drew at spawn, in order
    p.place_new(2, 0b1, 0);
    const bool one_first = p.rank(1) > p.rank(2);
    CHECK((one_first ? ran1 : ran2) == cp);
    CHECK((one_first ? ran2 : ran1) == 1000 - cp);
  }
}

TEST_CASE("perturb: a seeded run stepped a round at a time is the run one call gives") {
  for (const PerturbOptions& p : {PerturbOptions{.seed = 5},
                                  PerturbOptions{.seed = 5, .strategy = PerturbStrategy::Pct, .depth = 4, .pct_steps = 5000}}) {
    INFO("strategy " << strategy_name(p.strategy));
    const SpinRun stepped = run_spinners(p, 700, 5, 0x3F, 8);
    const SpinRun whole = run_spinners(p, 700, 5, 0x3F, 8, true);
    CHECK(stepped.rounds.back() == whole.rounds.back());
    CHECK(stepped.homes == whole.homes);
  }
}

TEST_CASE("perturb: a yield still hands the slot to the other thread under a seed") {
  // A (sc; b .-4) yields on every syscall; B spins. Both priority 8 on slot 0. Whoever the
  // seeded tie puts first, a yielded A never wins the next pick while B is Ready, so A retires at
  // most its one sc before B takes the rest of the round.
  struct YieldHost : SchedulerHost {
    Scheduler* sched = nullptr;
    void on_syscall(GuestThread& t) override { sched->yield(t); }
    void on_thread_return(GuestThread&) override {}
    void on_fault(GuestThread&) override {}
  };
  for (uint64_t seed = 1; seed <= 32; ++seed) {
    INFO("seed " << seed);
    Memory mem;
    Interpreter cpu{mem};
    YieldHost host;
    SchedulerOptions opt;
    opt.quantum = 1000;
    opt.perturb = {.seed = seed};
    Scheduler sched(mem, cpu, opt, host);
    host.sched = &sched;
    REQUIRE(mem.commit(kCode, 0x1000, kProtRWX));
    const uint32_t words[] = {hexad::bswap(uint32_t(0x44000002)), hexad::bswap(uint32_t(0x4BFFFFFC)),
                              hexad::bswap(uint32_t(0x38630001)), hexad::bswap(uint32_t(0x4BFFFFFC))};
    mem.write_bytes_raw(kCode, words, sizeof words);
    cpu.invalidate(kCode, sizeof words);
    GuestThread& a = sched.spawn(0b1, 8, false, false);
    a.ctx->pc = kCode;
    GuestThread& b = sched.spawn(0b1, 8, false, false);
    b.ctx->pc = kCode + 8;
    StopCondition until;
    until.until_round = 1;
    REQUIRE(sched.run_until(until) == RunStop::Paused);
    CHECK(a.ctx->instructions <= 1);
    CHECK(a.ctx->instructions + b.ctx->instructions >= 500);  // the seeded slice: 500..1000
  }
}
