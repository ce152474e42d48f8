// Why the scheduler picked a thread (PickInfo, given to a SliceObserver with every slice): the
// decision kinds on real guest code with a synthetic host, and an observer that only watches.
#include <catch2/catch.hpp>

#include <map>
#include <vector>

#include "cpu/sched/scheduler.h"
#include "sched_rig.h"

using namespace hexad::cpu::sched;
using namespace hexad::test;

namespace {

struct Recorder : SliceObserver {
  struct Slice {
    uint32_t slot, tid;
    uint64_t start, end;
    PickInfo why;
  };
  std::vector<Slice> slices;
  void on_slice(uint32_t slot, uint32_t tid, uint64_t start, uint64_t end, const PickInfo& why) override {
    slices.push_back({slot, tid, start, end, why});
  }
  // The reasons of the slices each thread ran, in order, without repeats of one pick.
  std::map<uint32_t, std::vector<PickReason>> reasons() const {
    std::map<uint32_t, std::vector<PickReason>> out;
    std::map<uint32_t, uint64_t> last_round;
    for (const Slice& s : slices) {
      auto& v = out[s.tid];
      if (v.empty() || last_round[s.tid] != s.why.round || v.back() != s.why.reason) v.push_back(s.why.reason);
      last_round[s.tid] = s.why.round;
    }
    return out;
  }
};

StopCondition until_round(uint64_t r) {
  StopCondition u;
  u.until_round = r;
  return u;
}

}  // namespace

TEST_CASE("pick reasons: alone, then readiness among equals, then rotation at each quantum's end") {
  Rig rig(options(1000, "strict"));
  Recorder rec;
  rig.sched.set_slice_observer(&rec);
  const uint32_t spin = rig.spinner();
  rig.thread(spin, 0b1, 8);
  rig.thread(spin, 0b1, 8);
  rig.thread(rig.spinner(), 0b10, 5);  // alone on slot 1
  REQUIRE(rig.sched.run_until(until_round(4)) == RunStop::Paused);
  const auto r = rec.reasons();
  REQUIRE(r.at(1).size() >= 2);
  CHECK(r.at(1)[0] == PickReason::Readiness);  // two equals Ready, thread 1 Ready first
  CHECK(r.at(2)[0] == PickReason::Rotation);   // thread 1's quantum ended, thread 2 was next
  CHECK(r.at(1)[1] == PickReason::Rotation);
  CHECK(r.at(3) == std::vector<PickReason>(r.at(3).size(), PickReason::Alone));
  for (const Recorder::Slice& s : rec.slices) {
    CHECK(s.why.effective_priority == s.why.base_priority);  // strict: no age bonus
    CHECK(s.why.candidates == (s.tid == 3 ? 1u : 2u));
  }
}

TEST_CASE("pick reasons: a yield and the age bonus name the pick they decided") {
  SECTION("yield") {
    Rig rig(options(1000, "strict"));
    Recorder rec;
    rig.sched.set_slice_observer(&rec);
    rig.host.syscall = [&](GuestThread& t) { rig.sched.yield(t); };
    rig.thread(rig.syscaller(10), 0b1, 10);
    GuestThread& low = rig.thread(rig.spinner(), 0b1, 4);
    REQUIRE(rig.sched.run_until(until_round(3)) == RunStop::Paused);
    const auto r = rec.reasons();
    REQUIRE(!r.at(low.tid).empty());
    CHECK(r.at(low.tid) == std::vector<PickReason>(r.at(low.tid).size(), PickReason::Yield));
    CHECK(r.at(1).front() == PickReason::Priority);
  }
  SECTION("age") {
    Rig rig(options(50, "aging"));
    Recorder rec;
    rig.sched.set_slice_observer(&rec);
    const uint32_t spin = rig.spinner();
    rig.thread(spin, 0b1, 10);
    rig.thread(spin, 0b1, 10);
    GuestThread& low = rig.thread(spin, 0b1, 2);
    REQUIRE(rig.sched.run_until(until_round(200)) == RunStop::Paused);
    bool saw_age = false;
    for (const Recorder::Slice& s : rec.slices)
      if (s.tid == low.tid) {
        CHECK(s.why.reason == PickReason::Age);
        CHECK(s.why.age_bonus > 8u);  // it had to beat a 10 from a 2
        CHECK(s.why.effective_priority == 2 + int32_t(s.why.age_bonus));
        saw_age = true;
      }
    CHECK(saw_age);
  }
}

TEST_CASE("pick reasons: an observer does not change the run") {
  auto run = [](bool observed) {
    Rig rig(options(300, "aging"));
    Recorder rec;
    if (observed) rig.sched.set_slice_observer(&rec);
    const uint32_t spin = rig.spinner();
    rig.thread(spin, 0b11, 10);
    rig.thread(spin, 0b1, 10);
    rig.thread(spin, 0b10, 3);
    REQUIRE(rig.sched.run_until(until_round(50)) == RunStop::Paused);
    std::vector<uint64_t> out;
    for (const auto& t : rig.sched.threads()) out.push_back(t->ctx->instructions);
    out.push_back(rig.sched.counters().picks);
    out.push_back(rig.sched.counters().rotations);
    return out;
  };
  CHECK(run(true) == run(false));
}

TEST_CASE("pick reasons: every reason has a name") {
  for (PickReason r : {PickReason::Perturbed, PickReason::Yield, PickReason::Age, PickReason::AgainstPriority,
                       PickReason::Mask, PickReason::Alone, PickReason::Rotation, PickReason::Readiness,
                       PickReason::Priority})
    CHECK(std::string(pick_reason_name(r)) != "?");
}
