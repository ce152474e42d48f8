// `hexad replay RUN_DIR`: runs the recorded title again with the recorded options and compares
// every event with the recorded trace as it is produced; `--until` stops at an event or a round
// and dumps the world at that moment. README "Replay a run"; run.json's fields: docs/run-json.md.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <tuple>

#include "app/commands.h"
#include "app/engine_version.h"
#include "app/run_options.h"
#include "cpu/exec_backend.h"
#include "app/xex_run.h"
#include "audit/recorded_trace.h"
#include "base/cli_args.h"
#include "base/hexad_error.h"
#include "base/sha256.h"
#include "loader/xex/xex_loader.h"
#include "trace/compare_sink.h"

namespace hexad::app {

namespace fs = std::filesystem;
using cpu::sched::RunStop;
using kernel::Json;

namespace {

constexpr int kDiverged = 1;
constexpr int kBadInput = 2;
constexpr size_t kContextEvents = 5;

struct ReplayOptions {
  std::string run_dir;
  std::optional<uint64_t> until_event;
  std::optional<uint64_t> until_round;
  std::string out_dir;
  bool allow_version_mismatch = false;
  bool quiet = false;
  std::string backend;  // --backend: run the replay on another backend than recorded (same trace)
};

ReplayOptions parse_replay_options(const Args& args) {
  ReplayOptions o;
  for (size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    auto value = [&]() -> const std::string& {
      if (k + 1 >= args.size()) fail("{} needs a value", a);
      return args[++k];
    };
    if (a == "--until") {
      o.until_event = parse_count(a, value());
    } else if (a == "--until-round") {
      o.until_round = parse_count(a, value());
    } else if (a == "--out") {
      o.out_dir = value();
    } else if (a == "--allow-version-mismatch") {
      o.allow_version_mismatch = true;
    } else if (a == "--quiet") {
      o.quiet = true;
    } else if (a == "--backend") {
      o.backend = value();
      if (!cpu::is_backend_name(o.backend))
        fail("--backend: unknown backend '{}' (one of {})", o.backend, cpu::backend_name_list());
    } else if (a.rfind("--", 0) == 0) {
      fail("replay: unknown option '{}'", a);
    } else if (o.run_dir.empty()) {
      o.run_dir = a;
    } else {
      fail("replay: one RUN_DIR only (got '{}' and '{}')", o.run_dir, a);
    }
  }
  if (o.run_dir.empty()) fail("replay: no RUN_DIR given");
  if (o.until_event && o.until_round) fail("replay: --until and --until-round exclude each other");
  return o;
}

Json read_json_file(const fs::path& path) {
  Json j = Json::parse(read_file(path.string()), nullptr, false);
  if (!j.is_object()) fail("'{}' is not a JSON object", path.string());
  return j;
}

std::string text_field(const Json& j, const char* key, const fs::path& file) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) fail("'{}' has no \"{}\" text", file.string(), key);
  return it->get<std::string>();
}

// The recorded image: the absolute path run.json names (else its path as given, from here),
// whose bytes must still hash to the recorded SHA-256.
std::pair<std::string, std::string> recorded_image(const Json& run, const fs::path& run_json) {
  const std::string sha = text_field(run, "image_sha256", run_json);
  std::string path = run.contains("image_absolute") ? text_field(run, "image_absolute", run_json)
                                                    : text_field(run, "image", run_json);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    fail("the recorded image '{}' is missing (recorded SHA-256 {}; {})", path, sha, run_json.string());
  std::string bytes = read_file(path);
  const std::string now = sha256_hex(bytes);
  if (now != sha)
    fail("the recorded image '{}' has changed: recorded SHA-256 {}, now {} ({})", path, sha, now, run_json.string());
  return {path, std::move(bytes)};
}

// A folder under audit-runs/ that does not exist yet: NAME, NAME-2, NAME-3...
fs::path fresh_folder(const std::string& name) {
  const fs::path base = fs::path("audit-runs") / name;
  fs::path p = base;
  for (int n = 2; fs::exists(p); ++n) p = base.string() + "-" + std::to_string(n);
  return p;
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ea, eb;
  const fs::path ca = fs::weakly_canonical(fs::absolute(a), ea), cb = fs::weakly_canonical(fs::absolute(b), eb);
  return !ea && !eb && ca == cb;
}

void print_divergence(const trace::Divergence& d) {
  std::printf("replay diverged at event %llu", (unsigned long long)d.idx);
  if (d.line) std::printf(" (recorded trace line %llu)", (unsigned long long)d.line);
  std::printf(":\n");
  if (d.recorded.empty() && !d.line)
    std::printf("  recorded: (the recorded trace ends after %llu events)\n", (unsigned long long)d.idx);
  else
    std::printf("  recorded: %s\n", d.recorded.c_str());
  if (d.produced.empty())
    std::printf("  replayed: (the replay ended after %llu events)\n", (unsigned long long)d.idx);
  else
    std::printf("  replayed: %s\n", d.produced.c_str());
  if (!d.produced.empty() && d.line) {
    std::printf("  differing fields (recorded -> replayed):\n");
    for (const std::string& f : trace::differing_fields(d.recorded, d.produced)) std::printf("    %s\n", f.c_str());
  }
  std::printf("  last %zu common events:\n", d.context.size());
  for (const std::string& line : d.context) std::printf("    %s\n", line.c_str());
}

// What run.json (and, for an interrupted run, its dump) says about the recorded run.
struct RecordedRun {
  std::string stop_reason;
  std::string engine_version;
  std::string image_path, image_bytes;
  RunOptions options;
  std::optional<uint64_t> until_event, until_round;  // a replay folder's own --until
  std::optional<uint64_t> rounds_when_interrupted;
};

// Throws hexad::Error for a run folder that cannot be replayed, naming the file and the reason.
RecordedRun read_recorded_run(const fs::path& run_dir) {
  const fs::path run_json_path = run_dir / "run.json";
  if (!fs::exists(run_json_path)) fail("'{}' holds no run.json: is it a hexad run folder?", run_dir.string());
  RecordedRun rec;
  try {
    const Json run = read_json_file(run_json_path);
    if (run.value("schema", "") != "hexad.run/1")
      fail("'{}': schema '{}', expected hexad.run/1", run_json_path.string(), run.value("schema", ""));
    if (run.value("state", "") != "finished")
      fail("'{}' says the run did not finish (\"state\": \"{}\"): its trace is incomplete", run_json_path.string(),
           run.value("state", ""));
    rec.stop_reason = run.value("stop_reason", "");
    if (rec.stop_reason == "diverged" || rec.stop_reason == "output-error")
      fail("'{}': the recorded run stopped with '{}', so its trace ends early; replay a complete run",
           run_json_path.string(), rec.stop_reason);
    if (run.contains("engine") && run["engine"].is_object()) rec.engine_version = run["engine"].value("version", "");
    if (!run.contains("args") || !run["args"].is_array())
      fail("'{}' has no \"args\" (recorded by an older hexad): the run's options are unknown", run_json_path.string());
    std::tie(rec.image_path, rec.image_bytes) = recorded_image(run, run_json_path);
    // The recorded options, parsed as `hexad run` parsed them (the image first: recorded args
    // end with "-- GUEST-ARGS" when there are any).
    Args run_args{rec.image_path};
    for (const Json& a : run["args"]) run_args.push_back(a.get<std::string>());
    rec.options = parse_run_options(run_args);
    if (run.contains("replay")) {
      const Json& r = run["replay"];
      if (r.contains("until_event")) rec.until_event = r["until_event"].get<uint64_t>();
      if (r.contains("until_round")) rec.until_round = r["until_round"].get<uint64_t>();
    }
    // An interrupted run (SIGINT/SIGTERM) stopped at the end of a round, which its dump names.
    if (rec.stop_reason == "interrupted")
      rec.rounds_when_interrupted =
          read_json_file(run_dir / "exit-thread-state.json").at("run").at("rounds").get<uint64_t>();
  } catch (const nlohmann::json::exception& e) {
    fail("'{}' (or the dump beside it) is not what hexad run writes: {}", run_json_path.string(), e.what());
  }
  if (!rec.options.trace)
    fail("'{}': the run was made with --no-trace: there is no trace to compare with", run_dir.string());
  if (!loader::looks_like_xex(rec.image_bytes))
    fail("'{}' is not an XEX title: only XEX runs write an audit run to replay", rec.image_path);
  return rec;
}

}  // namespace

int cmd_replay(const Args& args) {
  const ReplayOptions ro = parse_replay_options(args);
  const fs::path run_dir = ro.run_dir;
  RecordedRun rec = read_recorded_run(run_dir);

  // The engine that recorded the run.
  if (rec.engine_version != engine_version()) {
    const std::string recorded = rec.engine_version.empty() ? "(unknown)" : rec.engine_version;
    if (!ro.allow_version_mismatch)
      fail("'{}' was recorded by hexad {}, this is hexad {}: the traces may differ for that reason alone "
           "(--allow-version-mismatch replays it anyway)",
           (run_dir / "run.json").string(), recorded, engine_version());
    std::fprintf(stderr, "hexad: warning: '%s' was recorded by hexad %s, this is hexad %s; replaying anyway\n",
                 (run_dir / "run.json").c_str(), recorded.c_str(), engine_version());
  }
  RunOptions& opt = rec.options;
  if (!ro.backend.empty()) set_backend(opt, ro.backend);
  const std::string& bytes = rec.image_bytes;

  // A replay folder records its --until; replaying it stops at the same place.
  std::optional<uint64_t> until_event = ro.until_event, until_round = ro.until_round;
  if (!until_event && !until_round) {
    until_event = rec.until_event;
    until_round = rec.until_round;
  }
  // An interrupted run stopped at the end of a round: the replay stops there too.
  std::optional<uint64_t> interrupted_at_round;
  if (!until_event && !until_round) interrupted_at_round = rec.rounds_when_interrupted;

  std::string folder = run_dir.filename().empty() ? run_dir.parent_path().filename().string()
                                                  : run_dir.filename().string();
  if (until_event) folder += "-until-" + std::to_string(*until_event);
  else if (until_round) folder += "-until-round-" + std::to_string(*until_round);
  else folder += "-replay";
  const fs::path out = ro.out_dir.empty() ? fresh_folder(folder) : fs::path(ro.out_dir);
  if (same_folder(out, run_dir)) fail("--out '{}' is the recorded run's folder: replay never overwrites it", out.string());
  opt.out_dir = out.string();
  opt.quiet = ro.quiet;

  std::unique_ptr<trace::LineSource> recorded = audit::open_recorded_trace(run_dir.string());
  trace::CompareSink compare(*recorded, kContextEvents);

  XexRunHooks hooks;
  hooks.observer = &compare;
  hooks.echo_guest_output = false;  // stdout is the verdict's; the title's output is in stdout.log
  hooks.pause_after_operation = [&] { return compare.diverged() || (until_event && compare.seen() > *until_event); };
  if (until_round) hooks.until_round = *until_round + 1;  // "after round R": before round R+1 begins
  if (interrupted_at_round) hooks.until_round = *interrupted_at_round;
  hooks.on_pause = [&] {
    if (compare.diverged()) return RunStop::Diverged;
    if (interrupted_at_round) return RunStop::Interrupted;  // its run.stop is compared like any event
    compare.stop_comparing();  // the run.stop that follows is the replay's own
    return RunStop::Until;
  };
  // Whether the run got to the --until point: it paused there, or the operation that produced
  // event IDX also ended the run (the main thread's exit): then the stop is the run's own.
  auto reached = [&](RunStop stop, uint64_t events_before_stop) {
    return stop == RunStop::Until || (until_event && events_before_stop > *until_event);
  };
  hooks.add_to_dump = [&](Json& dump) {
    const uint64_t before_stop = compare.seen() - 1;  // run.stop is written by now
    const RunStop stop = dump["run"]["stop_reason"] == "until" ? RunStop::Until : RunStop::None;
    if (!(until_event || until_round) || !reached(stop, before_stop)) return;
    Json until = Json::object();
    if (until_event) until["event"] = *until_event;
    if (until_round) until["round"] = *until_round;
    until["last_event"] = before_stop - 1;  // the stopping operation's last event; run.stop follows
    dump["run"]["until"] = until;
  };
  Json replay = Json::object();
  kernel::put_text(replay, "of", run_dir.string());
  if (until_event) replay["until_event"] = *until_event;
  if (until_round) replay["until_round"] = *until_round;
  hooks.add_to_run_json["replay"] = replay;

  const XexRunResult result = run_xex(opt, bytes, hooks);
  if (result.status == 5) return result.status;  // an output error, reported by run_xex
  compare.finish();  // no-op after a pause: a run that ended must have used the whole recorded trace

  if (result.stop == RunStop::Interrupted && !interrupted_at_round) {
    std::fprintf(stderr, "hexad: replay interrupted after %llu verified events; its audit run is in %s/\n",
                 (unsigned long long)compare.compared(), result.dir.c_str());
    return result.status;  // 130 / 143, as hexad run
  }
  if (compare.diverged()) {
    print_divergence(*compare.divergence());
    std::printf("%s; its audit run (stop reason %s) is in %s/\n",
                result.stop == RunStop::Diverged ? "the replay stopped there" : "the replay ran to its end",
                cpu::sched::run_stop_name(result.stop), result.dir.c_str());
    return kDiverged;
  }
  const std::string asked = until_event ? fmt::format("--until {}", *until_event)
                            : until_round ? fmt::format("--until-round {}", *until_round)
                                          : std::string();
  if ((until_event || until_round) && !reached(result.stop, result.events - 1)) {
    std::fprintf(stderr,
                 "hexad: replay %s: the run ended (%s) first, with %llu events (its last, run.stop, is event %llu); "
                 "its audit run is in %s/\n",
                 asked.c_str(), cpu::sched::run_stop_name(result.stop), (unsigned long long)result.events,
                 (unsigned long long)(result.events - 1), result.dir.c_str());
    return kBadInput;
  }
  if (until_event || until_round) {
    const char* how = result.stop == RunStop::Until ? "stopped" : "the run ended by itself";
    std::printf("replay verified: %llu events; %s (%s) after event %llu: the world at that moment is %s\n",
                (unsigned long long)compare.compared(), how, asked.c_str(),
                (unsigned long long)(result.events - 2), (fs::path(result.dir) / "exit-thread-state.json").c_str());
    return 0;
  }
  std::printf("replay verified: %llu events\n", (unsigned long long)compare.compared());
  return 0;
}

}  // namespace hexad::app
