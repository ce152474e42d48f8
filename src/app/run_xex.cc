// `hexad run TITLE.xex`: the title on the six-slot scheduler with the HLE kernel, and its audit
// run (trace.jsonl, exit-thread-state.json, stdout.log, run.json).
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "app/commands.h"
#include "app/run_options.h"
#include "base/hexad_error.h"
#include "base/sha256.h"
#include "cpu/exec_backend.h"
#include "kernel/xboxkrnl/exit_dump.h"
#include "kernel/xboxkrnl/kernel.h"
#include "trace/jsonl.h"

#ifndef HEXAD_ENGINE_VERSION
#define HEXAD_ENGINE_VERSION "unknown"
#endif

namespace hexad::app {

namespace fs = std::filesystem;
using kernel::Json;
using cpu::sched::RunStop;

namespace {

extern "C" void on_stop_signal(int sig) { kernel::Kernel::request_interrupt(sig); }

int exit_status_for(RunStop stop, int sig) {
  switch (stop) {
    case RunStop::Exit:
    case RunStop::Budget: return 0;
    case RunStop::Deadlock: return 3;
    case RunStop::Fault: return 4;
    case RunStop::Interrupted: return sig == SIGTERM ? 143 : 130;
    case RunStop::None:
    case RunStop::Paused: break;
  }
  return 1;
}

trace::RunOptionsFields trace_options(const RunOptions& o) {
  std::optional<uint64_t> budget;
  if (o.budget) budget = o.budget;
  return {budget, o.quantum, o.aging, o.aging_rounds_per_bonus, o.max_age_bonus, o.trace};
}

Json options_json(const RunOptions& o) {
  return Json{{"budget", o.budget ? Json(o.budget) : Json(nullptr)},
              {"quantum", o.quantum},
              {"aging", o.aging},
              {"aging_rounds_per_bonus", o.aging_rounds_per_bonus},
              {"max_age_bonus", o.max_age_bonus},
              {"trace", o.trace}};
}

}  // namespace

int cmd_run_xex(const RunOptions& opt, const std::string& bytes) {
  const std::string stem = fs::path(opt.image).stem().string();
  const fs::path dir = opt.out_dir.empty() ? fs::path("audit-runs") / stem : fs::path(opt.out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail("cannot create output folder '{}': {}", dir.string(), ec.message());
  const std::string sha = sha256_hex(bytes);

  cpu::Memory mem;
  loader::XexImage image = loader::load_xex(bytes, mem, opt.image);

  const fs::path trace_path = dir / "trace.jsonl";
  if (!opt.trace) fs::remove(trace_path, ec);  // never leave an older run's trace beside this run's dump
  std::unique_ptr<trace::EventSink> sink;
  if (opt.trace) sink = std::make_unique<trace::JsonlSink>(trace_path.string());
  else sink = std::make_unique<trace::NullSink>();
  trace::Tracer tracer(*sink);
  std::FILE* debug_log = std::fopen((dir / "stdout.log").c_str(), "w");
  if (!debug_log) fail("cannot write '{}'", (dir / "stdout.log").string());

  cpu::sched::SchedulerOptions sopt;
  sopt.quantum = opt.quantum;
  sopt.budget = opt.budget;
  sopt.policy = opt.aging ? "aging" : "strict";
  sopt.aging.enabled = opt.aging;
  sopt.aging.rounds_per_bonus = opt.aging_rounds_per_bonus;
  sopt.aging.max_bonus = opt.max_age_bonus;

  const std::unique_ptr<cpu::ExecBackend> cpu = cpu::make_backend(cpu::kDefaultBackend, mem);
  kernel::Kernel k(mem, *cpu, sopt, tracer, debug_log, true);
  k.set_progress(!opt.quiet);
  const std::string image_name = fs::path(opt.image).filename().string();
  tracer.emit(k.where(0), trace::RunStart{image_name, sha, trace_options(opt)});
  k.start(image);

  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  RunStop stop = k.run();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);

  tracer.emit(k.where(0), trace::RunStop{cpu::sched::run_stop_name(stop), k.sched().instructions(), k.sched().round()});
  tracer.flush();
  std::fclose(debug_log);

  kernel::RunSummary summary{fs::path(opt.image).filename().string(), sha, opt.budget, stop};
  kernel::write_json_atomically((dir / "exit-thread-state.json").string(), kernel::build_exit_state(k, summary));
  const int status = exit_status_for(stop, kernel::Kernel::interrupt_signal());
  Json run = Json::object();
  run["schema"] = "hexad.run/1";
  kernel::put_text(run, "image", opt.image);
  run["image_sha256"] = sha;
  run["options"] = options_json(opt);
  run["engine"] = Json{{"name", "hexad"}, {"version", HEXAD_ENGINE_VERSION}};
  run["stop_reason"] = cpu::sched::run_stop_name(stop);
  run["exit_status"] = status;
  kernel::write_json_atomically((dir / "run.json").string(), run);
  if (!opt.quiet)
    std::fprintf(stderr, "hexad: %s after %llu instructions, %llu rounds, %llu events; audit run in %s/\n",
                 cpu::sched::run_stop_name(stop), (unsigned long long)k.sched().instructions(),
                 (unsigned long long)k.sched().round(), (unsigned long long)tracer.events(), dir.c_str());
  return status;
}

}  // namespace hexad::app
