// `hexad run TITLE.xex`: the title on the six-slot scheduler with the HLE kernel, and its audit
// run (trace.jsonl, exit-thread-state.json, stdout.log, run.json).
//
// The folder never mixes two runs: once the image has loaded, the previous run's files are
// removed, and run.json is written first with "state": "running" and rewritten with "state":
// "finished" at the end, so a run killed midway leaves a run.json that says so. Every output
// write is checked: a failure stops the run at its next safe point (stop reason output-error),
// is reported on stderr naming the file, and gives exit status 5.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "app/checked_output.h"
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
using kernel::OutputFailure;
using cpu::sched::RunStop;

namespace {

constexpr int kOutputErrorStatus = 5;

constexpr const char* kTraceFile = "trace.jsonl";
constexpr const char* kDumpFile = "exit-thread-state.json";
constexpr const char* kLogFile = "stdout.log";
constexpr const char* kRunFile = "run.json";

extern "C" void on_stop_signal(int sig) { kernel::Kernel::request_interrupt(sig); }

int exit_status_for(RunStop stop, int sig) {
  switch (stop) {
    case RunStop::Exit:
    case RunStop::Budget: return 0;
    case RunStop::Deadlock: return 3;
    case RunStop::Fault: return 4;
    case RunStop::Interrupted: return sig == SIGTERM ? 143 : 130;
    case RunStop::OutputError: return kOutputErrorStatus;
    case RunStop::None:
    case RunStop::Paused: break;
  }
  return 1;
}

trace::RunOptionsFields trace_options(const RunOptions& o) {
  std::optional<uint64_t> budget;
  if (o.budget) budget = o.budget;
  return {budget, o.quantum, o.slice, o.aging, o.aging_rounds_per_bonus, o.max_age_bonus, o.trace};
}

Json options_json(const RunOptions& o) {
  return Json{{"budget", o.budget ? Json(o.budget) : Json(nullptr)},
              {"quantum", o.quantum},
              {"slice", o.slice},
              {"aging", o.aging},
              {"aging_rounds_per_bonus", o.aging_rounds_per_bonus},
              {"max_age_bonus", o.max_age_bonus},
              {"trace", o.trace}};
}

// run.json as it is while the run is going ("state": "running"); finish_run_json completes it.
Json running_run_json(const RunOptions& opt, const std::string& sha) {
  Json run = Json::object();
  run["schema"] = "hexad.run/1";
  run["state"] = "running";
  kernel::put_text(run, "image", opt.image);
  run["image_sha256"] = sha;
  run["options"] = options_json(opt);
  run["engine"] = Json{{"name", "hexad"}, {"version", HEXAD_ENGINE_VERSION}};
  return run;
}

void finish_run_json(Json& run, RunStop stop, int status, const std::optional<OutputFailure>& failure) {
  run["state"] = "finished";
  run["stop_reason"] = cpu::sched::run_stop_name(stop);
  run["exit_status"] = status;
  if (failure) run["output_error"] = kernel::output_error_json(*failure);
}

// Removes what an earlier run left in `dir` (also the temporary files of a run killed while it
// wrote its dump), so nothing of it can be read as this run's. Throws hexad::Error.
void remove_previous_run(const fs::path& dir) {
  for (const char* name : {kRunFile, kDumpFile, kTraceFile, kLogFile}) {
    for (const fs::path& p : {dir / name, dir / (std::string(name) + ".tmp")}) {
      std::error_code ec;
      fs::remove(p, ec);
      if (ec) fail("cannot remove the previous run's '{}': {}", p.string(), ec.message());
    }
  }
}

int output_error(const std::string& why) {
  std::fprintf(stderr, "hexad: %s (exit status %d: output error)\n", why.c_str(), kOutputErrorStatus);
  return kOutputErrorStatus;
}

}  // namespace

int cmd_run_xex(const RunOptions& opt, const std::string& bytes) {
  const std::string stem = fs::path(opt.image).stem().string();
  const fs::path dir = opt.out_dir.empty() ? fs::path("audit-runs") / stem : fs::path(opt.out_dir);
  const std::string sha = sha256_hex(bytes);

  // A bad image exits 2 before the folder is touched: an earlier run's files stay as they were.
  cpu::Memory mem;
  loader::XexImage image = loader::load_xex(bytes, mem, opt.image);

  // Past a file-size limit, write() must fail with EFBIG (reported) rather than kill hexad.
  std::signal(SIGXFSZ, SIG_IGN);

  Json run_json = running_run_json(opt, sha);
  std::unique_ptr<trace::JsonlSink> trace_file;
  std::unique_ptr<CheckedOutput> debug_log;
  try {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail("cannot create output folder '{}': {}", dir.string(), ec.message());
    remove_previous_run(dir);
    kernel::write_json_atomically((dir / kRunFile).string(), run_json);
    if (opt.trace) trace_file = std::make_unique<trace::JsonlSink>((dir / kTraceFile).string());
    debug_log = std::make_unique<CheckedOutput>((dir / kLogFile).string());
  } catch (const Error& e) {
    return output_error(e.what());
  }
  trace::NullSink no_trace;
  trace::Tracer tracer(trace_file ? static_cast<trace::EventSink&>(*trace_file) : no_trace);

  // The first output file that could not be written, if any.
  auto output_failure = [&]() -> std::optional<OutputFailure> {
    if (trace_file && trace_file->failed()) return OutputFailure{kTraceFile, std::strerror(trace_file->error_number())};
    if (debug_log->failed()) return OutputFailure{kLogFile, std::strerror(debug_log->error_number())};
    return std::nullopt;
  };

  cpu::sched::SchedulerOptions sopt;
  sopt.quantum = opt.quantum;
  sopt.slice = opt.slice;
  sopt.budget = opt.budget;
  sopt.policy = opt.aging ? "aging" : "strict";
  sopt.aging.enabled = opt.aging;
  sopt.aging.rounds_per_bonus = opt.aging_rounds_per_bonus;
  sopt.aging.max_bonus = opt.max_age_bonus;

  const std::unique_ptr<cpu::ExecBackend> cpu = cpu::make_backend(cpu::kDefaultBackend, mem);
  kernel::Kernel k(mem, *cpu, sopt, tracer, debug_log->stream(), true);
  k.set_progress(!opt.quiet);
  const std::string image_name = fs::path(opt.image).filename().string();
  tracer.emit(k.where(0), trace::RunStart{image_name, sha, trace_options(opt)});
  k.start(image);

  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  // The run pauses at the first safe point after an output write failed.
  cpu::sched::StopCondition until;
  until.predicate = [&] { return (trace_file && trace_file->failed()) || debug_log->failed(); };
  RunStop stop = k.sched().run_until(until);
  if (stop == RunStop::Paused) stop = RunStop::OutputError;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);

  tracer.emit(k.where(0), trace::RunStop{cpu::sched::run_stop_name(stop), k.sched().instructions(), k.sched().round()});
  tracer.flush();
  debug_log->close();

  const std::optional<OutputFailure> failure = output_failure();
  kernel::RunSummary summary;
  summary.image = image_name;
  summary.image_sha256 = sha;
  summary.budget = opt.budget;
  summary.stop = stop;
  if (trace_file && trace_file->failed()) summary.trace_events_written = trace_file->events_written();
  summary.output_failure = failure;
  int status = failure ? kOutputErrorStatus : exit_status_for(stop, kernel::Kernel::interrupt_signal());
  if (failure) {
    std::string why = fmt::format("cannot write '{}': {}; the run stopped ({}) after {} instructions",
                                  (dir / failure->file).string(), failure->message, cpu::sched::run_stop_name(stop),
                                  k.sched().instructions());
    if (summary.trace_events_written)
      why += fmt::format("; {} holds the first {} of {} events", kTraceFile, *summary.trace_events_written,
                         tracer.events());
    output_error(why);
  }
  try {
    kernel::write_json_atomically((dir / kDumpFile).string(), kernel::build_exit_state(k, summary));
  } catch (const Error& e) {
    status = output_error(e.what());
  }
  finish_run_json(run_json, stop, status, failure);
  try {
    kernel::write_json_atomically((dir / kRunFile).string(), run_json);
  } catch (const Error& e) {
    status = output_error(e.what());
  }
  if (!opt.quiet)
    std::fprintf(stderr, "hexad: %s after %llu instructions, %llu rounds, %llu events; audit run in %s/\n",
                 cpu::sched::run_stop_name(stop), (unsigned long long)k.sched().instructions(),
                 (unsigned long long)k.sched().round(), (unsigned long long)tracer.events(), dir.c_str());
  return status;
}

}  // namespace hexad::app
