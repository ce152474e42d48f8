// The scheduler on real guest code with a synthetic host (no kernel): rotation among equal
// peers with real quantum expiry, strict versus aging starvation, the thread state machine,
// faults, events, and stepping (any split of a run into run_until calls gives the run one run()
// gives). The guest-time ordering itself is sched_order_test.cc.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <thread>
#include <string>
#include <vector>

#include "base/endian.h"
#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"
#include "cpu/sched/scheduler.h"
#include "sched_rig.h"

using namespace hexad::cpu;
using namespace hexad::cpu::sched;
using namespace hexad::test;

TEST_CASE("scheduler: equal peers on one slot rotate on real quantum expiry") {
  for (uint64_t quantum : {7u, 1000u, 20'000u}) {
    for (const char* policy : {"aging", "strict"}) {
      INFO("quantum " << quantum << ", policy " << policy);
      Rig rig(options(quantum, policy));
      uint32_t spin = rig.spinner();
      GuestThread* t[3] = {&rig.thread(spin, 0b1, 8), &rig.thread(spin, 0b1, 8), &rig.thread(spin, 0b1, 8)};
      std::vector<uint32_t> order;
      for (uint64_t round = 1; round <= 12; ++round) {
        uint64_t before[3] = {t[0]->ctx->instructions, t[1]->ctx->instructions, t[2]->ctx->instructions};
        StopCondition until;
        until.until_round = round;
        REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
        for (int k = 0; k < 3; ++k)
          if (t[k]->ctx->instructions != before[k]) {
            order.push_back(t[k]->tid);
            CHECK(t[k]->ctx->instructions - before[k] == quantum);  // one whole quantum per round
          }
      }
      CHECK(order == std::vector<uint32_t>{1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3});
      SchedulerCounters c = rig.sched.counters();
      CHECK(c.picks == 12);
      // The twelfth quantum ends exactly where round 12 begins, where the run paused: that
      // expiry is the first step of round 12.
      CHECK(c.quantum_expiries == 11);
      CHECK(c.rotations == 11);  // every expiry had an equal peer Ready
      CHECK(rig.sched.guest_cycle() == 12 * quantum);
    }
  }
}

TEST_CASE("scheduler: no rotation is counted without an equal-priority peer on the slot") {
  Rig rig(options(100));
  uint32_t spin = rig.spinner();
  rig.thread(spin, 0b1, 8);
  rig.thread(spin, 0b10, 8);  // an equal peer, but on another slot
  StopCondition until;
  until.until_round = 5;
  REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
  CHECK(rig.sched.counters().quantum_expiries == 8);  // rounds 0..3 on both slots (round 4's is next)
  CHECK(rig.sched.counters().rotations == 0);
}

TEST_CASE("scheduler: a yield gives the next pick to a lower-priority thread, for one pick") {
  // NtYieldExecution (SwitchToThread) yields to any Ready thread on the processor, whatever its
  // priority; strict priority shows it: without the yield the low thread would starve.
  Rig rig(options(1000, "strict"));
  rig.host.syscall = [&](GuestThread& t) { rig.sched.yield(t); };
  GuestThread& high = rig.thread(rig.syscaller(10), 0b1, 10);
  GuestThread& low = rig.thread(rig.spinner(), 0b1, 4);
  for (uint64_t round = 1; round <= 3; ++round) {
    uint64_t high_before = high.ctx->instructions, low_before = low.ctx->instructions;
    StopCondition until;
    until.until_round = round;
    REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
    INFO("round " << round);
    // 10 additions and the sc (after the first round, the branch back before them), then it
    // yields; the low thread runs the rest of the slot's quantum.
    const uint64_t high_ran = round == 1 ? 11 : 12;
    CHECK(high.ctx->instructions - high_before == high_ran);
    CHECK(low.ctx->instructions - low_before == 1000 - high_ran);
  }
  CHECK(rig.sched.counters().yields == 3);
  CHECK(rig.sched.counters().picks_won_by_yield == 3);
}

TEST_CASE("scheduler: strict priority starves a low-priority thread that aging lets run") {
  for (const char* policy : {"aging", "strict"}) {
    Rig rig(options(50, policy));
    uint32_t spin = rig.spinner();
    GuestThread& high1 = rig.thread(spin, 0b1, 10);
    GuestThread& high2 = rig.thread(spin, 0b1, 10);
    GuestThread& low = rig.thread(spin, 0b1, 2);
    StopCondition until;
    until.until_round = 200;
    REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
    SchedulerCounters c = rig.sched.counters();
    if (std::string(policy) == "strict") {
      CHECK(low.ctx->instructions == 0);
      CHECK(c.picks_won_by_age == 0);
      CHECK(rig.sched.effective_priority(low) == 2);
    } else {
      CHECK(low.ctx->instructions > 0);
      CHECK(c.picks_won_by_age > 0);
      CHECK(c.picks_won_by_age == low.ctx->instructions / 50);  // every one of its picks beat a 10
    }
    CHECK(high1.ctx->instructions + high2.ctx->instructions + low.ctx->instructions == 200 * 50);
  }
}

TEST_CASE("scheduler: an unknown policy name is an error") {
  Memory mem;
  Interpreter cpu{mem};
  Host host;
  SchedulerOptions o;
  o.policy = "round-robin";
  CHECK_THROWS_WITH(Scheduler(mem, cpu, o, host), Catch::Contains("unknown scheduling policy 'round-robin'"));
}

TEST_CASE("scheduler: suspend and resume count, and a suspended waiter stays suspended after its wait") {
  Rig rig(options(100));
  uint32_t spin = rig.spinner();
  GuestThread& t = rig.thread(spin, kAllSlots, 8);
  CHECK(t.state() == ThreadState::Ready);
  CHECK(rig.sched.suspend(t) == 0u);
  CHECK(t.state() == ThreadState::Suspended);
  CHECK(rig.sched.suspend(t) == 1u);
  CHECK(rig.sched.resume(t) == 2u);
  CHECK(t.state() == ThreadState::Suspended);
  CHECK(rig.sched.resume(t) == 1u);
  CHECK(t.state() == ThreadState::Ready);
  CHECK(rig.sched.resume(t) == 0u);  // not suspended: nothing changes
  CHECK(t.suspend_count() == 0);

  // Suspended while Blocked: still Blocked until the wait ends, then Suspended, not Ready.
  rig.sched.block(t);
  CHECK(rig.sched.suspend(t) == 0u);
  CHECK(t.state() == ThreadState::Blocked);
  rig.sched.make_ready(t);
  CHECK(t.state() == ThreadState::Suspended);
  CHECK(rig.sched.resume(t) == 1u);
  CHECK(t.state() == ThreadState::Ready);

  // Resumed while still Blocked: the wait's end makes it Ready.
  rig.sched.block(t);
  rig.sched.suspend(t);
  rig.sched.resume(t);
  CHECK(t.state() == ThreadState::Blocked);
  rig.sched.make_ready(t);
  CHECK(t.state() == ThreadState::Ready);

  // Created suspended.
  GuestThread& s = rig.thread(spin, kAllSlots, 8, true);
  CHECK(s.state() == ThreadState::Suspended);
  CHECK(s.suspend_count() == 1);
  rig.sched.make_ready(s);  // not a wait's end: nothing changes
  CHECK(s.state() == ThreadState::Suspended);
  CHECK(rig.sched.resume(s) == 1u);
  CHECK(s.state() == ThreadState::Ready);
}

TEST_CASE("scheduler: a fault or an exit is final") {
  Rig rig(options(100));
  GuestThread& t = rig.thread(rig.spinner(), kAllSlots, 8);
  rig.sched.fault(t);
  CHECK(t.state() == ThreadState::Faulted);
  CHECK_FALSE(rig.sched.suspend(t));
  rig.sched.make_ready(t);
  CHECK(t.state() == ThreadState::Faulted);
  GuestThread& e = rig.thread(rig.spinner(), kAllSlots, 8);
  rig.sched.exit_thread(e, 3);
  CHECK(e.state() == ThreadState::Exited);
  CHECK(e.exit_code == 3);
  CHECK_FALSE(rig.sched.suspend(e));
  CHECK(rig.sched.run() == RunStop::Fault);  // nothing can run, and a thread faulted
  CHECK(rig.sched.run() == RunStop::Fault);  // a finished run stays finished
}

TEST_CASE("scheduler: a guest fault stops only its thread") {
  Rig rig(options(100));
  uint32_t bad = rig.code({kAddiR3, kIllegal});
  GuestThread& main = rig.thread(rig.syscaller(3), kAllSlots, 8);
  GuestThread& f = rig.thread(bad, kAllSlots, 8);
  int calls = 0;
  rig.host.syscall = [&](GuestThread& t) {
    if (++calls == 50) {
      rig.sched.exit_thread(t, 0);
      rig.sched.stop(RunStop::Exit);
    }
  };
  CHECK(rig.sched.run() == RunStop::Exit);
  CHECK(rig.host.faulted == std::vector<uint32_t>{f.tid});
  CHECK(f.state() == ThreadState::Faulted);
  CHECK(f.ctx->instructions == 1);
  CHECK(main.state() == ThreadState::Exited);
}

namespace {

// Wakes the thread named by the payload (a deadline, as the kernel's waits do) and logs it.
struct Waker : EventClient {
  Scheduler* sched = nullptr;
  std::vector<std::string>* log = nullptr;
  void on_event(uint64_t tid, uint64_t now) override {
    log->push_back(fmt::format("wake {} at {} slot {} round {}", tid, now, sched->current_slot(), sched->round()));
    if (GuestThread* t = sched->find(uint32_t(tid))) sched->make_ready(*t);
  }
};

// A busy little program on five threads: blocking with deadlines (thread-bound events), yields,
// migrations of blocked threads, suspends and resumes, a global event; everything logged.
struct Scenario {
  Rig rig;
  Waker waker;
  std::vector<std::string> log;
  std::map<uint32_t, int> calls;
  bool pause_from_host = false;

  explicit Scenario(uint64_t quantum) : rig(options(quantum, "aging", 3'000'000)) {
    waker.sched = &rig.sched;
    waker.log = &log;
    rig.thread(rig.syscaller(40), kAllSlots, 8);
    rig.thread(rig.syscaller(7), 0b000110, 10);
    rig.thread(rig.syscaller(90), kAllSlots, 6);
    rig.thread(rig.syscaller(15), 0b110000, 8);
    rig.thread(rig.syscaller(3), kAllSlots, 8);
    rig.sched.events().schedule(50'000, waker, 0);  // a global event (payload: no thread)
    rig.host.syscall = [this](GuestThread& t) { on_syscall(t); };
  }

  void on_syscall(GuestThread& t) {
    Scheduler& s = rig.sched;
    int n = ++calls[t.tid];
    log.push_back(fmt::format("sc {} n {} round {} slot {} cycle {} instr {}", t.tid, n, s.round(), s.current_slot(),
                              s.guest_cycle(), s.instructions()));
    if (pause_from_host && n % 7 == 0) s.request_pause();
    if (t.tid == 1 && n == 120) {
      s.exit_thread(t, 0);
      s.stop(RunStop::Exit);
      return;
    }
    GuestThread* other = s.find(t.tid % 5 + 1);
    switch (n % 6) {
      case 0: s.block(t), s.events().schedule(s.guest_cycle() + 3'000 * t.tid + 11, waker, t.tid, t.tid); break;
      case 1: s.yield(t); break;
      case 2: s.set_affinity(*other, uint8_t(1u << (n % 6 + t.tid) % 6) | 1u); break;  // may move a blocked thread
      case 3:
        if (t.tid == 2) s.suspend(*other);
        break;
      case 4:
        if (t.tid == 2) s.resume(*other);
        break;
      default: break;
    }
  }

  std::string final_state() {
    Scheduler& s = rig.sched;
    SchedulerCounters c = s.counters();
    std::string out = fmt::format("round {} cycle {} instr {} picks {} age {} yield {} rot {} exp {} idle {} {}",
                                  s.round(), s.guest_cycle(), s.instructions(), c.picks, c.picks_won_by_age,
                                  c.picks_won_by_yield, c.rotations, c.quantum_expiries, c.idle_skips,
                                  c.idle_cycles_skipped);
    for (const auto& t : s.threads())
      out += fmt::format("\n{} {} slot {} instr {} suspend {} eff {}", t->tid, state_name(t->state()), t->slot(),
                         t->ctx->instructions, t->suspend_count(), s.effective_priority(*t));
    return out;
  }
};

}  // namespace

TEST_CASE("scheduler: stepping in any chunks gives the same run as one uninterrupted run") {
  for (uint64_t quantum : {20'000u, 333u}) {
    INFO("quantum " << quantum);
    Scenario whole(quantum);
    RunStop stop = whole.rig.sched.run();
    REQUIRE(stop == RunStop::Exit);
    REQUIRE(whole.log.size() > 300);
    const std::string end = whole.final_state();
    // The scenario exercises what it claims to.
    SchedulerCounters c = whole.rig.sched.counters();
    CHECK(c.yields > 0);
    CHECK(c.idle_skips > 0);
    CHECK(std::count_if(whole.log.begin(), whole.log.end(), [](const std::string& l) { return l.rfind("wake", 0) == 0; }) > 20);

    SECTION("one round at a time") {
      Scenario stepped(quantum);
      RunStop s;
      int steps = 0;
      do {
        StopCondition until;
        until.until_round = stepped.rig.sched.round() + 1;
        s = stepped.rig.sched.run_until(until);
        ++steps;
      } while (s == RunStop::Paused);
      CHECK(s == stop);
      CHECK(steps > 3);
      CHECK(stepped.log == whole.log);
      CHECK(stepped.final_state() == end);
    }
    SECTION("every 97 instructions, i.e. between slot visits mid-round") {
      Scenario stepped(quantum);
      RunStop s;
      do {
        StopCondition until;
        until.until_instructions = stepped.rig.sched.instructions() + 97;
        s = stepped.rig.sched.run_until(until);
      } while (s == RunStop::Paused);
      CHECK(s == stop);
      CHECK(stepped.log == whole.log);
      CHECK(stepped.final_state() == end);
    }
    SECTION("until the log has grown by 5 lines (an event count), with pauses requested by the host") {
      Scenario stepped(quantum);
      stepped.pause_from_host = true;
      RunStop s;
      int pauses = 0;
      do {
        size_t target = stepped.log.size() + 5;
        StopCondition until;
        until.predicate = [&] { return stepped.log.size() >= target; };
        s = stepped.rig.sched.run_until(until);
        pauses += s == RunStop::Paused;
      } while (s == RunStop::Paused);
      CHECK(s == stop);
      CHECK(pauses > 20);
      CHECK(stepped.log == whole.log);
      CHECK(stepped.final_state() == end);
    }
  }
}

TEST_CASE("scheduler: a condition that already holds pauses before anything runs") {
  Scenario s(1000);
  StopCondition until;
  until.until_round = 0;
  CHECK(s.rig.sched.run_until(until) == RunStop::Paused);
  CHECK(s.rig.sched.instructions() == 0);
  s.rig.sched.request_pause();
  CHECK(s.rig.sched.run_until(StopCondition::forever()) == RunStop::Paused);  // the request is used up
  CHECK(s.rig.sched.instructions() == 0);
}

TEST_CASE("scheduler: an event fires at its cycle, and idle time skips to it") {
  Rig rig(options(1000));
  std::vector<std::string> log;
  Waker waker;
  waker.sched = &rig.sched;
  waker.log = &log;
  GuestThread& t = rig.thread(rig.syscaller(10), kAllSlots, 8);
  int calls = 0;
  rig.host.syscall = [&](GuestThread& th) {
    ++calls;
    if (calls == 1) {
      rig.sched.block(th);  // blocked with no deadline: only the event can wake it
      rig.sched.events().schedule(1'000'000, waker, th.tid);
    } else if (calls == 2) {
      log.push_back(fmt::format("ran at {}", rig.sched.guest_cycle()));
      rig.sched.exit_thread(th, 0);
    }
  };
  CHECK(rig.sched.run() == RunStop::Exit);
  REQUIRE(log.size() == 2);
  // Fired outside any slot's step (slot -1), at its own cycle, in the round that contains it.
  CHECK(log[0] == fmt::format("wake {} at 1000000 slot -1 round 1000", t.tid));
  CHECK(log[1] == "ran at 1000012");  // b, ten addi, sc
  CHECK(rig.sched.counters().idle_skips == 1);
  CHECK(rig.sched.counters().idle_cycles_skipped == 1'000'000 - 11);
}

TEST_CASE("scheduler: a thread woken after it moved runs on its new slot from the moment of the wake") {
  Rig rig(options(1000));
  std::vector<std::string> log;
  Waker waker;
  waker.sched = &rig.sched;
  waker.log = &log;
  GuestThread& sleeper = rig.thread(rig.syscaller(1), 0b1, 8);
  GuestThread& mover = rig.thread(rig.syscaller(100), 0b10, 8);
  rig.host.syscall = [&](GuestThread& th) {
    log.push_back(fmt::format("sc {} at {} slot {}", th.tid, rig.sched.guest_cycle(), rig.sched.current_slot()));
    if (th.tid == sleeper.tid && th.ctx->instructions == 2) {
      rig.sched.block(th);
      rig.sched.events().schedule(500, waker, th.tid, th.tid);
    } else if (th.tid == mover.tid) {
      rig.sched.set_affinity(sleeper, 0b1000);  // moved to slot 3 while blocked
      rig.sched.exit_thread(th, 0);
    } else {
      rig.sched.exit_thread(th, 0);
    }
  };
  CHECK(rig.sched.run() == RunStop::Exit);
  CHECK(log == std::vector<std::string>{
                   fmt::format("sc {} at 2 slot 0", sleeper.tid),
                   fmt::format("sc {} at 101 slot 1", mover.tid),
                   fmt::format("wake {} at 500 slot -1 round 0", sleeper.tid),
                   fmt::format("sc {} at 503 slot 3", sleeper.tid),  // b, addi, sc on slot 3, idle until 500
               });
}

TEST_CASE("scheduler: a pause requested from another host thread stops the run at a safe point") {
  Rig rig(options(1000, "aging", 0));  // no budget: the spinners would run for ever
  uint32_t spin = rig.spinner();
  GuestThread& a = rig.thread(spin, 0b1, 8);
  GuestThread& b = rig.thread(spin, 0b10, 8);
  // The request is made once the run has run slices on both slots (seen through the slice
  // observer, on the run's own thread): a request made before the first step would find the
  // threads not yet on their slots, which is a safe point too but not the one checked here. (A
  // fixed sleep before the request let a loaded machine start the run after it.)
  struct Progress : SliceObserver {
    std::atomic<uint32_t> slices{0};
    void on_slice(uint32_t, uint32_t, uint64_t, uint64_t, const PickInfo&) override { slices.fetch_add(1); }
  } progress;
  rig.sched.set_slice_observer(&progress);
  std::thread frontend([&] {
    while (progress.slices.load() < 4) std::this_thread::yield();
    rig.sched.request_pause();
  });
  RunStop stop = rig.sched.run();
  rig.sched.set_slice_observer(nullptr);
  frontend.join();
  CHECK(stop == RunStop::Paused);
  CHECK(rig.sched.current() == nullptr);  // between two steps: no step is being simulated
  // Each holds its slot, or its quantum expired at the step before the pause and it is Ready
  // until its slot picks again (the pause lands between any two steps; where depends on host
  // timing).
  for (GuestThread* t : {&a, &b}) CHECK((t->state() == ThreadState::Running || t->state() == ThreadState::Ready));
  // Both slots ran whole quanta so far (the slice is longer than the quantum, so each step runs
  // a slot to the round's end; a pause never splits a step)...
  const uint64_t ia = a.ctx->instructions, ib = b.ctx->instructions;
  CHECK(ia % 1000 == 0);
  CHECK(ib % 1000 == 0);
  CHECK((ia == ib || ia == ib + 1000));  // at equal clocks slot 0 (a) goes before slot 1 (b)
  // ...and the run goes on from there: at a round's start each has run one quantum per round.
  StopCondition until;
  until.until_round = rig.sched.round() + 3;
  CHECK(rig.sched.run_until(until) == RunStop::Paused);
  CHECK(a.ctx->instructions == rig.sched.round() * 1000);
  CHECK(b.ctx->instructions == rig.sched.round() * 1000);
}

// --- policies on guest code (sched_policy.h) ----------------------------------------------------

TEST_CASE("scheduler aging: a thread that slept 300 rounds does not jump ahead on wake, unless legacy") {
  for (AgingStamp stamp : {AgingStamp::Ready, AgingStamp::Legacy}) {
    INFO("aging stamp " << aging_stamp_name(stamp));
    SchedulerOptions o = options(1000);
    o.aging.stamp = stamp;
    Rig rig(o);
    rig.host.syscall = [&](GuestThread& t) { rig.sched.block(t); };  // its one call sleeps
    GuestThread& sleeper = rig.thread(rig.syscaller(0), 0b1, 4);
    GuestThread& busy = rig.thread(rig.spinner(), 0b1, 20);
    StopCondition until;
    until.until_round = 300;
    REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
    // The 20 won the first picks; the 4 aged in after 16 rounds Ready, ran its sc and blocked;
    // since then only the 20 ran.
    REQUIRE(sleeper.state() == ThreadState::Blocked);
    const uint64_t slept_since = sleeper.last_run_round;
    CHECK(300 - slept_since >= 250);
    rig.sched.make_ready(sleeper);
    const uint64_t before = sleeper.ctx->instructions;
    until.until_round = 301;
    REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
    if (stamp == AgingStamp::Ready) {
      CHECK(sleeper.ctx->instructions == before);  // 4 + 0 < 20: the 20 keeps the slot
      CHECK(sleeper.last_run_round == 300);
      CHECK(rig.sched.effective_priority(sleeper) == 4 + 1);
    } else {
      CHECK(sleeper.ctx->instructions > before);   // 4 + 31 > 20: it wins the very next pick
      CHECK(rig.sched.policy().counters().picks_won_by_age >= 2);
    }
    CHECK(rig.sched.policy().counters().stale_ages_on_ready == 1);
    CHECK(busy.ctx->instructions > 0);
  }
}

TEST_CASE("scheduler console: the priority-6 worker runs only inside windows, the 13 only outside") {
  SchedulerOptions o = options(64, "console");  // one timebase tick per round
  o.console.window_ticks = 10;
  o.console.period_ticks = 40;
  Rig rig(o);
  uint32_t spin = rig.spinner();
  GuestThread& spinner = rig.thread(spin, 0b1, 13);
  GuestThread& worker = rig.thread(spin, 0b1, 6);
  for (uint64_t round = 1; round <= 120; ++round) {
    const uint64_t tick = rig.sched.guest_cycle() / 64;
    const uint64_t s = spinner.ctx->instructions, w = worker.ctx->instructions;
    StopCondition until;
    until.until_round = round;
    REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
    INFO("round " << round << ", tick " << tick);
    if (tick % 40 < 10) CHECK((worker.ctx->instructions - w == 64 && spinner.ctx->instructions == s));
    else CHECK((spinner.ctx->instructions - s == 64 && worker.ctx->instructions == w));
  }
  CHECK(rig.sched.guest_cycle() == 120 * 64);
  CHECK(worker.ctx->instructions == 30 * 64);
  CHECK(rig.sched.policy().counters().window_picks == 30);
  CHECK(rig.sched.policy().counters().masked_picks == 30);  // each window pick locked the 13 out
}

TEST_CASE("scheduler console: with only locked-out threads Ready, time skips to the next window") {
  SchedulerOptions o = options(64, "console");
  o.console.window_ticks = 10;
  o.console.period_ticks = 40;
  Rig rig(o);
  GuestThread& worker = rig.thread(rig.spinner(), 0b1, 6);  // admitted only inside windows
  StopCondition until;
  until.until_round = 90;
  REQUIRE(rig.sched.run_until(until) == RunStop::Paused);  // not a deadlock
  // A round is a window of 64 cycles, here one tick. Ticks 0-9 run; at tick 10 the window is
  // closed and time skips to tick 40 (round 40); ticks 40-49 run; time skips to tick 80; ticks
  // 80-89 run and the run pauses as round 90 begins.
  CHECK(worker.ctx->instructions == 30 * 64);
  CHECK(rig.sched.counters().idle_skips == 2);
  CHECK(rig.sched.guest_cycle() == 90 * 64);
  CHECK(rig.sched.policy().counters().locked_out_idles == 2);
}

TEST_CASE("scheduler fair: priorities ignored, equal turns whatever the priorities") {
  Rig rig(options(100, "fair"));
  uint32_t spin = rig.spinner();
  GuestThread& high = rig.thread(spin, 0b1, 31);
  GuestThread& low = rig.thread(spin, 0b1, 0);
  StopCondition until;
  until.until_round = 10;
  REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
  CHECK(high.ctx->instructions == 500);
  CHECK(low.ctx->instructions == 500);
  CHECK(rig.sched.policy().counters().picks_against_priority == 5);
  // Quanta expire at cycles 100..900 before the pause; the tenth expires at cycle 1000, the first
  // moment of round 10, after the pause.
  CHECK(rig.sched.policy().counters().rotations == 9);
}

namespace {
struct StarvationLog : Host {
  std::vector<std::string> alarms;
  void on_starvation(const GuestThread& t, const GuestThread* holder, uint64_t rounds) override {
    alarms.push_back(fmt::format("{} after {} held by {}", t.tid, rounds, holder ? holder->tid : 0));
  }
};
}  // namespace

TEST_CASE("scheduler: the starvation alarm names the holder, once per Ready stretch") {
  for (const char* policy : {"strict", "aging"}) {
    INFO(policy);
    Memory mem;
    Interpreter cpu{mem};
    StarvationLog host;
    SchedulerOptions o = options(50, policy);
    o.starvation_alarm = 5;
    Scheduler sched(mem, cpu, o, host);
    REQUIRE(mem.commit(kCode, 0x1000, kProtRWX));
    const uint32_t words[] = {kAddiR3, branch(-4)};
    for (uint32_t k = 0; k < 2; ++k) {
      uint32_t be = hexad::bswap(words[k]);
      mem.write_bytes_raw(kCode + 4 * k, &be, 4);
    }
    for (int32_t prio : {10, 2}) {
      GuestThread& t = sched.spawn(0b1, prio, false, false);
      t.ctx->pc = kCode;
    }
    StopCondition until;
    until.until_round = 40;
    REQUIRE(sched.run_until(until) == RunStop::Paused);
    if (std::string(policy) == "strict") {
      CHECK(host.alarms == std::vector<std::string>{"2 after 5 held by 1"});  // never runs, reported once
    } else {
      // Priority 2 reaches 10 after 8 rounds Ready and wins the tie (Ready longest): each
      // stretch raises the alarm at 5 rounds, then it runs and a new stretch begins.
      REQUIRE(host.alarms.size() >= 4);
      for (const std::string& a : host.alarms) CHECK(a == "2 after 5 held by 1");
      // Every stretch that ended in a win raised it first (the one still open at round 40 is 4
      // rounds old: not yet).
      CHECK(host.alarms.size() == sched.policy().counters().picks_won_by_age);
      CHECK(sched.round() - sched.find(2)->last_run_round < 5);
    }
  }
}

TEST_CASE("scheduler: per-thread state times, dispatch latency and per-slot busy and idle cycles") {
  Rig rig(options(100));
  uint32_t spin = rig.spinner();
  GuestThread& a = rig.thread(spin, 0b1, 8);
  GuestThread& b = rig.thread(spin, 0b1, 8);
  StopCondition until;
  until.until_round = 10;
  REQUIRE(rig.sched.run_until(until) == RunStop::Paused);
  // a runs [0,100), [200,300), ...; b runs [100,200), ...; each quantum expiry rotates.
  ThreadSchedStats sa = rig.sched.sched_stats(a), sb = rig.sched.sched_stats(b);
  CHECK(sa.dispatches == 5);
  CHECK(sa.dispatch_latency_max == 100);
  CHECK(sa.dispatch_latency_sum == 400);  // 0 for its first pick
  CHECK(sa.cycles_running == 500);
  CHECK(sa.cycles_ready == 500);
  CHECK(sb.dispatches == 5);
  CHECK(sb.dispatch_latency_sum == 500);
  CHECK(sb.cycles_running == 500);
  CHECK(sb.cycles_ready == 500);
  CHECK(sa.cycles_blocked + sa.cycles_suspended + sb.cycles_blocked + sb.cycles_suspended == 0);
  auto slots = rig.sched.slot_times();
  CHECK(slots[0].busy_cycles == 1000);
  CHECK(slots[0].idle_cycles == 0);
  for (uint32_t s = 1; s < kSlotCount; ++s) CHECK((slots[s].busy_cycles == 0 && slots[s].idle_cycles == 1000));
}
