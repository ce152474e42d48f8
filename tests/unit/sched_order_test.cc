// Guest-time-ordered execution (scheduler.h): the slot whose clock is earliest always advances
// (ties: the lowest slot), kernel calls happen in (guest_cycle, slot) order, no slot runs more
// than a slice ahead of the earliest one, an idle slot follows the others, and a round is the
// window guest_cycle / quantum.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include "sched_rig.h"

using namespace hexad::cpu;
using namespace hexad::cpu::sched;
using namespace hexad::test;

namespace {

struct Call {
  uint32_t tid;
  int slot;
  uint64_t cycle;
  uint64_t round;
  uint64_t thread_instructions;
};

// Every kernel call the run makes, in the order the scheduler made them.
struct CallLog {
  std::vector<Call> calls;
  void attach(Rig& rig, int calls_per_thread) {
    rig.host.syscall = [this, &rig, calls_per_thread](GuestThread& t) {
      calls.push_back({t.tid, rig.sched.current_slot(), rig.sched.guest_cycle(), rig.sched.round(), t.ctx->instructions});
      if (std::count_if(calls.begin(), calls.end(), [&](const Call& c) { return c.tid == t.tid; }) == calls_per_thread)
        rig.sched.exit_thread(t, 0);
    };
  }
};

}  // namespace

TEST_CASE("sched order: kernel calls happen in (guest_cycle, slot) order across slots") {
  // Six threads, one per slot, each making a call every `work` instructions: different periods,
  // so the calls of different slots interleave in guest time.
  for (uint64_t slice : {1u, 7u, 100u, 2'000u, 1'000'000u}) {
    INFO("slice " << slice);
    SchedulerOptions o = options(20'000);
    o.slice = slice;
    Rig rig(o);
    CallLog log;
    log.attach(rig, 40);
    const uint32_t work[kSlotCount] = {97, 13, 250, 41, 7, 160};
    for (uint32_t s = 0; s < kSlotCount; ++s) rig.thread(rig.syscaller(work[s]), uint8_t(1u << s), 8);
    REQUIRE(rig.sched.run() == RunStop::Exit);
    REQUIRE(log.calls.size() == 6 * 40);
    for (size_t k = 1; k < log.calls.size(); ++k) {
      const Call& a = log.calls[k - 1];
      const Call& b = log.calls[k];
      INFO("call " << k << ": tid " << b.tid << " slot " << b.slot << " cycle " << b.cycle);
      CHECK(std::tie(a.cycle, a.slot) < std::tie(b.cycle, b.slot));
    }
    for (const Call& c : log.calls) {
      // Alone on its slot from cycle 0, a thread's clock is its own instruction count.
      CHECK(c.cycle == c.thread_instructions);
      CHECK(c.slot == int(c.tid - 1));
      CHECK(c.round == c.cycle / 20'000);
    }
  }
}

TEST_CASE("sched order: at equal clocks the lowest slot goes first") {
  Rig rig(options(20'000));
  CallLog log;
  log.attach(rig, 3);
  const uint32_t code = rig.syscaller(5);
  for (uint8_t slot : {4, 1, 3})  // created out of slot order
    rig.thread(code, uint8_t(1u << slot), 8);
  REQUIRE(rig.sched.run() == RunStop::Exit);
  std::vector<std::string> got;
  for (const Call& c : log.calls) got.push_back(fmt::format("{}@{}", c.slot, c.cycle));
  CHECK(got == std::vector<std::string>{"1@6", "3@6", "4@6", "1@13", "3@13", "4@13", "1@20", "3@20", "4@20"});
}

TEST_CASE("sched order: no slot runs more than a slice ahead of the earliest one") {
  // Two spinners never stop on their own: only the slice bounds how far one runs ahead.
  for (uint64_t slice : {1u, 50u, 333u}) {
    INFO("slice " << slice);
    SchedulerOptions o = options(1'000'000, "aging", 0);
    o.slice = slice;
    Rig rig(o);
    const uint32_t spin = rig.spinner();
    GuestThread& a = rig.thread(spin, 0b1, 8);
    GuestThread& b = rig.thread(spin, 0b100, 8);
    for (int k = 0; k < 200; ++k) {
      StopCondition until;
      until.until_instructions = rig.sched.instructions() + 37;
      REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
      const uint64_t ia = a.ctx->instructions, ib = b.ctx->instructions;
      CHECK(uint64_t(std::llabs(int64_t(ia) - int64_t(ib))) <= slice);
    }
  }
}

TEST_CASE("sched order: an idle slot follows the others (a woken thread starts at its wake)") {
  Rig rig(options(20'000));
  std::vector<std::string> log;
  GuestThread* sleeper = nullptr;
  rig.host.syscall = [&](GuestThread& t) {
    log.push_back(fmt::format("{}@{} slot {}", t.tid, rig.sched.guest_cycle(), rig.sched.current_slot()));
    if (&t == sleeper) {
      if (t.ctx->instructions == 2)
        rig.sched.block(t);  // its first call: blocks until the waker's call
      else
        rig.sched.exit_thread(t, 0);
    } else {
      rig.sched.make_ready(*sleeper);
      rig.sched.exit_thread(t, 0);
    }
  };
  sleeper = &rig.thread(rig.syscaller(1), 0b1, 8);
  rig.thread(rig.syscaller(5'000), 0b10, 8);
  REQUIRE(rig.sched.run() == RunStop::Exit);
  // Slot 0 sat idle from cycle 2 to 5001; the sleeper then runs b, addi, sc from the wake on.
  CHECK(log == std::vector<std::string>{"1@2 slot 0", "2@5001 slot 1", "1@5004 slot 0"});
  CHECK(rig.sched.counters().idle_skips == 0);  // slot 1 was running: time never skipped
}

TEST_CASE("sched order: a thread holds its slot to the end of the round it was picked in") {
  // Two equal spinners on one slot with a 1000-cycle round: each run is one whole window, and
  // the one picked second starts exactly where the first one's window ended.
  SchedulerOptions o = options(1'000, "aging", 6'000);
  o.slice = 300;
  Rig rig(o);
  const uint32_t spin = rig.spinner();
  GuestThread& a = rig.thread(spin, 0b1, 8);
  GuestThread& b = rig.thread(spin, 0b1, 8);
  std::vector<std::string> runs;
  uint64_t ia = 0, ib = 0;
  for (uint64_t round = 1; rig.sched.run_until([&] {
         StopCondition c;
         c.until_round = round;
         return c;
       }()) == RunStop::Paused;
       ++round) {
    runs.push_back(fmt::format("{}:{}", a.ctx->instructions - ia, b.ctx->instructions - ib));
    ia = a.ctx->instructions;
    ib = b.ctx->instructions;
    CHECK(rig.sched.guest_cycle() == round * 1'000);
  }
  CHECK(runs == std::vector<std::string>{"1000:0", "0:1000", "1000:0", "0:1000", "1000:0"});
  CHECK(rig.sched.stop_reason() == RunStop::Budget);
  CHECK(rig.sched.instructions() == 6'000);
}

namespace {
struct LogEvent : EventClient {
  Scheduler* sched = nullptr;
  std::vector<std::string>* log = nullptr;
  void on_event(uint64_t payload, uint64_t now) override {
    log->push_back(fmt::format("event {} at {} round {}", payload, now, sched->round()));
  }
};
}  // namespace

TEST_CASE("sched order: an event due at a slot's clock fires before that slot's step") {
  Rig rig(options(20'000));
  std::vector<std::string> log;
  LogEvent ev;
  ev.sched = &rig.sched;
  ev.log = &log;
  rig.host.syscall = [&](GuestThread& t) {
    log.push_back(fmt::format("sc {} at {}", t.tid, rig.sched.guest_cycle()));
    rig.sched.exit_thread(t, 0);
  };
  rig.thread(rig.syscaller(99), 0b10, 8);  // its call: cycle 100 on slot 1
  rig.sched.events().schedule(100, ev, 7);
  rig.sched.events().schedule(99, ev, 6);
  rig.sched.events().schedule(101, ev, 8);
  CHECK(rig.sched.run() == RunStop::Exit);
  CHECK(log == std::vector<std::string>{"event 6 at 99 round 0", "event 7 at 100 round 0", "sc 1 at 100",
                                        "event 8 at 101 round 0"});
}
