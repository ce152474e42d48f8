// Every bundled title, run once by Scheduler::run() and once a round at a time (and once in
// chunks of instructions, pausing between slot visits mid-round): the traces (host_ns removed)
// and the exit dumps must be identical. This is the contract a frontend's pause/step and
// `hexad replay --until` rely on.
#include <catch2/catch.hpp>

#ifdef HEXAD_GUEST_DIR

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/hexad_error.h"
#include "cpu/interp/interpreter.h"
#include "kernel/xboxkrnl/exit_dump.h"
#include "kernel/xboxkrnl/kernel.h"
#include "trace/jsonl.h"
#include "trace/sink.h"

using namespace hexad;
using cpu::sched::RunStop;
using cpu::sched::StopCondition;

namespace {

namespace fs = std::filesystem;

struct TitleRun {
  RunStop stop = RunStop::None;
  std::vector<std::string> trace;  // lines, host_ns removed
  std::string dump;
  uint64_t calls = 0;   // run_until calls it took
};

std::vector<std::string> titles() {
  std::vector<std::string> out;
  std::stringstream list(HEXAD_SPINE_TITLES);
  for (std::string t; std::getline(list, t, ',');) out.push_back(t);
  return out;
}

// `chunk` returns the next stop condition, or nullopt to run to the end in one call.
TitleRun run_title(const std::string& title, const cpu::sched::SchedulerOptions& sopt,
                   const std::function<std::optional<StopCondition>(kernel::Kernel&)>& chunk) {
  const std::string bytes = read_file(std::string(HEXAD_GUEST_DIR) + "/" + title + ".xex");
  const fs::path trace_path = fs::temp_directory_path() / ("hexad-stepping-" + std::to_string(getpid()) + ".jsonl");
  TitleRun r;
  {
    cpu::Memory mem;
    loader::XexImage image = loader::load_xex(bytes, mem, title + ".xex");
    trace::JsonlSink sink(trace_path.string());
    trace::Tracer trace(sink);
    cpu::Interpreter cpu(mem);
    kernel::Kernel k(mem, cpu, sopt, trace, nullptr, false);
    k.start(image);
    for (;;) {
      std::optional<StopCondition> until = chunk(k);
      r.stop = until ? k.sched().run_until(*until) : k.run();
      ++r.calls;
      if (r.stop != RunStop::Paused) break;
    }
    trace.flush();
    kernel::RunSummary summary;
    summary.image = title;
    summary.budget = sopt.budget;
    summary.stop = r.stop;
    r.dump = kernel::build_exit_state(k, summary).dump(2);
  }
  std::string text = read_file(trace_path.string());
  fs::remove(trace_path);
  std::stringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    kernel::Json j = kernel::Json::parse(line);
    j.erase("host_ns");
    r.trace.push_back(j.dump());
  }
  return r;
}

}  // namespace

TEST_CASE("title stepping: a round at a time, or paused mid-round, gives every title's uninterrupted run") {
  REQUIRE(titles().size() >= 10);
  for (const std::string& title : titles()) {
    for (bool aging : {true, false}) {
      for (uint64_t quantum : {20'000u, 997u}) {
        INFO(title << (aging ? "" : " --no-aging") << " --quantum " << quantum);
        cpu::sched::SchedulerOptions sopt;
        sopt.quantum = quantum;
        sopt.budget = 5'000'000;
        sopt.policy = aging ? "aging" : "strict";
        sopt.aging.enabled = aging;
        TitleRun whole = run_title(title, sopt, [](kernel::Kernel&) { return std::nullopt; });
        REQUIRE(whole.trace.size() > 3);
        TitleRun by_round = run_title(title, sopt, [](kernel::Kernel& k) {
          StopCondition c;
          c.until_round = k.sched().round() + 1;
          return c;
        });
        CHECK(by_round.stop == whole.stop);
        // It stopped in every round it entered (rounds are windows of guest time, so an idle skip
        // crosses many without entering them): at least once per round seen in the trace.
        std::set<uint64_t> rounds_seen;
        for (const std::string& e : whole.trace) rounds_seen.insert(kernel::Json::parse(e)["round"].get<uint64_t>());
        CHECK(by_round.calls >= rounds_seen.size());
        CHECK(by_round.trace == whole.trace);
        CHECK(by_round.dump == whole.dump);
        // Every 5000 instructions, wherever in a round that falls, and at every 7th trace event.
        TitleRun mid_round = run_title(title, sopt, [](kernel::Kernel& k) {
          StopCondition c;
          c.until_instructions = k.sched().instructions() + 5'000;
          uint64_t next_event = k.trace().events() + 7;
          c.predicate = [&k, next_event] { return k.trace().events() >= next_event; };
          return c;
        });
        CHECK(mid_round.stop == whole.stop);
        CHECK(mid_round.trace == whole.trace);
        CHECK(mid_round.dump == whole.dump);
        // Right after the operation that produced every 3rd event (threads holding a slot stay
        // Running across the pause): the exact stop of `hexad replay --until`.
        uint64_t exact_pauses = 0;
        TitleRun exact = run_title(title, sopt, [&exact_pauses](kernel::Kernel& k) {
          for (const auto& t : k.sched().threads())
            if (t->state() == cpu::sched::ThreadState::Running) {
              ++exact_pauses;
              break;
            }
          StopCondition c;
          uint64_t next_event = k.trace().events() + 3;
          c.after_each_operation = [&k, next_event] { return k.trace().events() >= next_event; };
          return c;
        });
        CHECK(exact.stop == whole.stop);
        CHECK(exact.calls >= whole.trace.size() / 3 / 4);  // an operation emits a few events at most
        CHECK(exact.trace == whole.trace);
        CHECK(exact.dump == whole.dump);
        if (whole.trace.size() > 40) CHECK(exact_pauses > 0);  // some pauses did fall while threads held slots
      }
    }
  }
}

#endif  // HEXAD_GUEST_DIR
