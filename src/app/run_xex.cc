// `hexad run TITLE.xex`: the title on the six-slot scheduler with the HLE kernel, and its audit
// run (trace.jsonl, exit-thread-state.json, stdout.log, run.json); run_xex is also the run of
// `hexad replay` (xex_run.h).
//
// The folder never mixes two runs: once the image has loaded, the previous run's files are
// removed, and run.json is written first with "state": "running" and rewritten with "state":
// "finished" at the end, so a run killed midway leaves a run.json that says so. Every output
// write is checked: a failure stops the run at its next safe point (stop reason output-error),
// is reported on stderr naming the file, and gives exit status 5.
//
// SIGUSR1 asks for a snapshot: at the next safe point (between two slot visits) the dump of that
// moment is written to snapshot-<round>.json ("stop_reason": "snapshot") and the run goes on. The
// handler only sets a flag and the snapshot only reads the run's state, so the trace is the same
// whenever, and whether, the signal comes.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "app/checked_output.h"
#include "app/commands.h"
#include "app/engine_version.h"
#include "app/jit_report.h"
#include "app/run_options.h"
#include "app/png_frames.h"
#include "app/xex_run.h"
#include "base/hexad_error.h"
#include "base/sha256.h"
#include "cpu/exec_backend.h"
#include "kernel/xboxkrnl/exit_dump.h"
#include "kernel/xboxkrnl/kernel.h"
#include "trace/jsonl.h"

namespace hexad::app {

namespace fs = std::filesystem;
using kernel::Json;
using kernel::OutputFailure;
using cpu::sched::RunStop;

namespace {

constexpr int kOutputErrorStatus = 5;

constexpr const char* kTraceFile = "trace.jsonl";
constexpr const char* kCompressedTraceFile = "trace.jsonl.zst";  // --trace-compress
constexpr const char* kDumpFile = "exit-thread-state.json";
constexpr const char* kLogFile = "stdout.log";
constexpr const char* kRunFile = "run.json";
constexpr const char* kSnapshotPrefix = "snapshot-";  // snapshot-<round>.json
constexpr const char* kScratchFolder = "scratch";  // cache:\ (kernel/xboxkrnl/files.h): the title's writes

extern "C" void on_stop_signal(int sig) { kernel::Kernel::request_interrupt(sig); }

std::atomic<bool> g_snapshot_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
extern "C" void on_snapshot_signal(int) { g_snapshot_requested.store(true, std::memory_order_relaxed); }

int exit_status_for(RunStop stop, int sig) {
  switch (stop) {
    case RunStop::Exit:
    case RunStop::Budget:
    case RunStop::TitleTerminate:
    case RunStop::TitleLaunch: return 0;  // the title ended itself through XAM's loader
    case RunStop::Deadlock: return 3;
    case RunStop::Fault: return 4;
    case RunStop::BugCheck: return 6;  // KeBugCheck/KeBugCheckEx: the title stopped the console
    case RunStop::Interrupted: return sig == SIGTERM ? 143 : 130;
    case RunStop::OutputError: return kOutputErrorStatus;
    case RunStop::Until:
    case RunStop::Diverged: return 0;  // hexad replay's stops: replay sets its own status
    case RunStop::None:
    case RunStop::Paused: break;
  }
  return 1;
}

cpu::sched::PolicyParams policy_params(const RunOptions& o) { return {o.aging, o.console}; }

// The policy's parameters as run.json and run.start write them (the dump writes the same list).
std::vector<cpu::sched::PolicyValue> policy_values(const RunOptions& o) {
  return cpu::sched::make_sched_policy(o.policy, policy_params(o))->params();
}

// `params` must outlive the result (its fields are views of it).
std::vector<trace::PolicyParamField> trace_policy_params(const std::vector<cpu::sched::PolicyValue>& params) {
  std::vector<trace::PolicyParamField> out;
  for (const auto& p : params) out.push_back({p.name, p.number, p.text, !p.text.empty()});
  return out;
}

trace::RunOptionsFields trace_options(const RunOptions& o, std::span<const trace::PolicyParamField> params) {
  std::optional<uint64_t> budget, alarm;
  if (o.budget) budget = o.budget;
  if (o.starvation_alarm) alarm = o.starvation_alarm;
  trace::RunOptionsFields f{budget, o.quantum, o.slice, o.aging.enabled, o.aging.rounds_per_bonus, o.aging.max_bonus, o.policy,
                            params, alarm, o.trace};
  if (o.seed) {
    f.seed = o.seed;
    f.strategy = o.strategy;
    f.depth = o.depth;
    f.pct_steps = o.pct_steps;
  }
  return f;
}

Json options_json(const RunOptions& o) {
  return Json{{"budget", o.budget ? Json(o.budget) : Json(nullptr)},
              {"quantum", o.quantum},
              {"slice", o.slice},
              {"aging", o.aging.enabled},
              {"aging_rounds_per_bonus", o.aging.rounds_per_bonus},
              {"max_age_bonus", o.aging.max_bonus},
              {"policy", o.policy},
              {"policy_params", kernel::policy_values_json(policy_values(o))},
              {"starvation_alarm", o.starvation_alarm ? Json(o.starvation_alarm) : Json(nullptr)},
              {"trace", o.trace},
              {"trace_compress", o.trace_compress},
              {"seed", o.seed},
              {"strategy", o.strategy},
              {"depth", o.depth},
              {"pct_steps", o.pct_steps},
              {"backend", o.backend}};
}

// run.json as it is while the run is going ("state": "running"); finish_run_json completes it.
Json running_run_json(const RunOptions& opt, const std::string& sha) {
  Json run = Json::object();
  run["schema"] = "hexad.run/1";
  run["state"] = "running";
  kernel::put_text(run, "image", opt.image);
  std::error_code ec;
  const fs::path absolute = fs::absolute(opt.image, ec);
  if (!ec) kernel::put_text(run, "image_absolute", absolute.lexically_normal().string());
  run["image_sha256"] = sha;
  run["options"] = options_json(opt);
  run["args"] = opt.args;  // what `hexad replay` parses again
  if (!opt.input_script.empty()) {
    Json input = Json::object();
    if (!opt.input_file.empty()) {
      kernel::put_text(input, "file", opt.input_file);
      input["sha256"] = opt.input_sha256;
    }
    input["events"] = opt.input_events;
    run["input"] = input;  // the script itself is in args (--input-data)
  }
  run["engine"] = Json{{"name", "hexad"}, {"version", engine_version()}};
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
  auto remove = [](const fs::path& p) {
    std::error_code ec;
    fs::remove(p, ec);
    if (ec) fail("cannot remove the previous run's '{}': {}", p.string(), ec.message());
  };
  for (const char* name : {kRunFile, kDumpFile, kTraceFile, kCompressedTraceFile, kLogFile}) {
    remove(dir / name);
    remove(dir / (std::string(name) + ".tmp"));
  }
  std::error_code ec;
  fs::remove_all(dir / kScratchFolder, ec);
  if (ec) fail("cannot remove the previous run's '{}': {}", (dir / kScratchFolder).string(), ec.message());
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(kSnapshotPrefix) && (name.ends_with(".json") || name.ends_with(".json.tmp"))) remove(entry.path());
  }
}

int output_error(const std::string& why) {
  std::fprintf(stderr, "hexad: %s (exit status %d: output error)\n", why.c_str(), kOutputErrorStatus);
  return kOutputErrorStatus;
}

}  // namespace

XexRunResult run_xex(const RunOptions& opt, const std::string& bytes, const XexRunHooks& hooks) {
  const std::string stem = fs::path(opt.image).stem().string();
  const fs::path dir = opt.out_dir.empty() ? fs::path("audit-runs") / stem : fs::path(opt.out_dir);
  const std::string sha = sha256_hex(bytes);
  const char* trace_name = opt.trace_compress ? kCompressedTraceFile : kTraceFile;

  // A bad image exits 2 before the folder is touched: an earlier run's files stay as they were.
  cpu::Memory mem;
  loader::XexImage image = loader::load_xex(bytes, mem, opt.image);

  // Past a file-size limit, write() must fail with EFBIG (reported) rather than kill hexad.
  std::signal(SIGXFSZ, SIG_IGN);

  Json run_json = running_run_json(opt, sha);
  for (const auto& [key, value] : hooks.add_to_run_json.items()) run_json[key] = value;
  std::unique_ptr<trace::JsonlSink> trace_file;
  std::unique_ptr<CheckedOutput> debug_log;
  try {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail("cannot create output folder '{}': {}", dir.string(), ec.message());
    remove_previous_run(dir);
    kernel::write_json_atomically((dir / kRunFile).string(), run_json);
    if (opt.trace)
      trace_file = std::make_unique<trace::JsonlSink>(
          (dir / trace_name).string(), opt.trace_compress ? trace::TraceCompression::Zstd : trace::TraceCompression::None);
    debug_log = std::make_unique<CheckedOutput>((dir / kLogFile).string());
  } catch (const Error& e) {
    return {output_error(e.what()), RunStop::OutputError, 0, dir.string()};
  }
  trace::NullSink no_trace;
  trace::EventSink& file_sink = trace_file ? static_cast<trace::EventSink&>(*trace_file) : no_trace;
  std::optional<trace::TeeSink> tee;
  if (hooks.observer) tee.emplace(file_sink, *hooks.observer);
  trace::Tracer tracer(tee ? static_cast<trace::EventSink&>(*tee) : file_sink);

  // The first output file that could not be written, if any.
  auto output_failure = [&]() -> std::optional<OutputFailure> {
    if (trace_file && trace_file->failed()) return OutputFailure{trace_name, std::strerror(trace_file->error_number())};
    if (debug_log->failed()) return OutputFailure{kLogFile, std::strerror(debug_log->error_number())};
    return std::nullopt;
  };

  cpu::sched::SchedulerOptions sopt;
  sopt.quantum = opt.quantum;
  sopt.slice = opt.slice;
  sopt.budget = opt.budget;
  sopt.policy = opt.policy;
  sopt.aging = opt.aging;
  sopt.console = opt.console;
  sopt.starvation_alarm = opt.starvation_alarm;
  sopt.perturb = {opt.seed, *cpu::sched::parse_strategy(opt.strategy), opt.depth, opt.pct_steps};

  const std::unique_ptr<cpu::ExecBackend> cpu = cpu::make_backend(opt.backend, mem);
  if (opt.jit_perf_map) start_jit_perf_map(*cpu);
  kernel::Kernel k(mem, *cpu, sopt, tracer, debug_log->stream(), hooks.echo_guest_output);
  k.set_progress(!opt.quiet);
  if (!opt.frames_dir.empty())
    k.gpu().on_frame = [dir = opt.frames_dir](const gpu::Frame& frame) { write_frame_png(dir, frame); };
  if (!opt.input_script.empty()) k.xam().configure_input(kernel::InputScript::parse(opt.input_script, "--input-data"));
  k.files().configure(opt.content_dir.empty() ? fs::absolute(opt.image).parent_path() : fs::path(opt.content_dir),
                      dir / kScratchFolder);
  const std::string image_name = fs::path(opt.image).filename().string();
  const std::vector<cpu::sched::PolicyValue> params = k.sched().policy().params();
  const std::vector<trace::PolicyParamField> trace_params = trace_policy_params(params);
  tracer.emit(k.where(0), trace::RunStart{image_name, sha, trace_options(opt, trace_params)});
  k.start(image, image_name);

  // The dump of this moment (the run's end, or a snapshot of it).
  auto dump_now = [&](RunStop stop, const std::optional<OutputFailure>& failure, bool snapshot) {
    kernel::RunSummary summary;
    summary.image = image_name;
    summary.image_sha256 = sha;
    summary.budget = opt.budget;
    summary.stop = stop;
    summary.snapshot = snapshot;
    if (trace_file && trace_file->failed()) summary.trace_events_written = trace_file->events_written();
    summary.output_failure = failure;
    Json dump = kernel::build_exit_state(k, summary);
    if (auto jit = jit_dump_section(*cpu)) dump["jit"] = *jit;  // only a run on the JIT has one
    if (hooks.add_to_dump && !snapshot) hooks.add_to_dump(dump);
    return dump;
  };
  auto write_snapshot = [&] {
    tracer.flush();  // trace.jsonl then holds every event the snapshot counts
    const fs::path path = dir / fmt::format("{}{}.json", kSnapshotPrefix, k.sched().round());
    try {
      kernel::write_json_atomically(path.string(), dump_now(RunStop::None, std::nullopt, true));
      if (!opt.quiet) std::fprintf(stderr, "hexad: snapshot written to %s\n", path.c_str());
    } catch (const Error& e) {
      std::fprintf(stderr, "hexad: snapshot not written (the run goes on): %s\n", e.what());
    }
  };

  g_snapshot_requested.store(false);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGUSR1, on_snapshot_signal);
  // The run pauses at the first safe point after an output write failed, or where the hooks ask.
  cpu::sched::StopCondition until;
  bool ended_by_frontend = false;
  until.predicate = [&] {
    if (g_snapshot_requested.load(std::memory_order_relaxed) && g_snapshot_requested.exchange(false)) write_snapshot();
    if (hooks.at_safe_point && !hooks.at_safe_point(k)) ended_by_frontend = true;
    return (trace_file && trace_file->failed()) || debug_log->failed() || ended_by_frontend;
  };
  k.sched().set_slice_observer(hooks.slice_observer);
  until.after_each_operation = hooks.pause_after_operation;
  until.until_round = hooks.until_round;
  RunStop stop = k.sched().run_until(until);
  if (stop == RunStop::Paused && ended_by_frontend && !output_failure())
    stop = RunStop::Interrupted;
  else if (stop == RunStop::Paused)
    stop = (trace_file && trace_file->failed()) || debug_log->failed() || !hooks.on_pause ? RunStop::OutputError
                                                                                          : hooks.on_pause();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  // A snapshot asked for while the run ends is moot; it must not kill hexad before its dump.
  std::signal(SIGUSR1, SIG_IGN);

  if (hooks.at_end) hooks.at_end(k);
  tracer.emit(k.where(0), trace::RunStop{cpu::sched::run_stop_name(stop), k.sched().instructions(), k.sched().round()});
  tracer.flush();
  debug_log->close();

  const std::optional<OutputFailure> failure = output_failure();
  int status = failure ? kOutputErrorStatus : exit_status_for(stop, kernel::Kernel::interrupt_signal());
  if (failure) {
    std::string why = fmt::format("cannot write '{}': {}; the run stopped ({}) after {} instructions",
                                  (dir / failure->file).string(), failure->message, cpu::sched::run_stop_name(stop),
                                  k.sched().instructions());
    if (trace_file && trace_file->failed())
      why += fmt::format("; {} holds the first {} of {} events", trace_name, trace_file->events_written(),
                         tracer.events());
    output_error(why);
  }
  try {
    kernel::write_json_atomically((dir / kDumpFile).string(), dump_now(stop, failure, false));
  } catch (const Error& e) {
    status = output_error(e.what());
  }
  finish_run_json(run_json, stop, status, failure);
  if (hooks.finish_run_json) hooks.finish_run_json(run_json);
  try {
    kernel::write_json_atomically((dir / kRunFile).string(), run_json);
  } catch (const Error& e) {
    status = output_error(e.what());
  }
  if (!opt.quiet)
    std::fprintf(stderr, "hexad: %s after %llu instructions, %llu rounds, %llu events; audit run in %s/\n",
                 cpu::sched::run_stop_name(stop), (unsigned long long)k.sched().instructions(),
                 (unsigned long long)k.sched().round(), (unsigned long long)tracer.events(), dir.c_str());
  if (opt.jit_dump) print_jit_block(*cpu, *opt.jit_dump, image.sixty_four_bit, stderr);
  return {status, stop, tracer.events(), dir.string()};
}

int cmd_run_xex(const RunOptions& opt, const std::string& bytes) { return run_xex(opt, bytes, {}).status; }

}  // namespace hexad::app
