#include "app/run_options.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "app/commands.h"
#include "app/png_frames.h"
#include "base/cli_args.h"
#include "base/hexad_error.h"
#include "base/sha256.h"
#include "cpu/sched/perturb.h"
#include "cpu/sched/sched_policy.h"
#include "kernel/xboxkrnl/input_script.h"

namespace hexad::app {

void set_backend(RunOptions& o, const std::string& name) {
  for (size_t k = 0; k + 1 < o.args.size() && o.args[k] != "--"; ++k)
    if (o.args[k] == "--backend") {
      o.args.erase(o.args.begin() + long(k), o.args.begin() + long(k) + 2);
      break;
    }
  auto guest = std::find(o.args.begin(), o.args.end(), std::string("--"));
  o.args.insert(guest, {"--backend", name});
  o.backend = name;
}

RunOptions parse_run_options(const std::vector<std::string>& args) {
  RunOptions o;
  bool policy_given = false, no_aging = false;
  std::vector<std::string> aging_only, console_only;  // options that belong to one policy
  for (size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    const size_t first = k;
    bool replayed = true;  // recorded in o.args
    auto value = [&]() -> const std::string& {
      if (k + 1 >= args.size()) fail("{} needs a value", a);
      return args[++k];
    };
    if (a == "--") {
      o.guest_args.insert(o.guest_args.end(), args.begin() + long(k) + 1, args.end());
      o.args.insert(o.args.end(), args.begin() + long(k), args.end());
      break;
    } else if (a == "--out") {
      o.out_dir = value();
      replayed = false;
    } else if (a == "--frames-dir") {
      o.frames_dir = value();
      prepare_frames_dir(o.frames_dir);  // a bad folder is refused before the run starts
    } else if (a == "--content") {
      // Recorded absolute, so a replay from another working directory maps the same folder.
      std::error_code ec;
      const std::filesystem::path dir = std::filesystem::absolute(value(), ec).lexically_normal();
      if (ec || !std::filesystem::is_directory(dir)) fail("--content: '{}' is not a folder", args[k]);
      o.content_dir = dir.string();
      o.args.insert(o.args.end(), {"--content", o.content_dir});
      replayed = false;
    } else if (a == "--input" || a == "--input-data") {
      // The script is parsed here, so a bad file is refused before the run starts.
      if (!o.input_script.empty()) fail("{}: only one --input or --input-data per run", a);
      const std::string& v = value();
      std::string text = v;
      if (a == "--input") {
        text = read_file(v);
        std::error_code ec;
        o.input_file = std::filesystem::absolute(v, ec).lexically_normal().string();
        o.input_sha256 = sha256_hex(text);
      }
      const kernel::InputScript script = kernel::InputScript::parse(text, a == "--input" ? v : "--input-data");
      o.input_script = script.canonical();
      o.input_events = script.size();
      o.args.insert(o.args.end(), {"--input-data", o.input_script});
      replayed = false;
    } else if (a == "--budget") {
      o.budget = parse_count(a, value());
    } else if (a == "--quantum") {
      o.quantum = parse_count(a, value());
      if (o.quantum == 0) fail("--quantum must be at least 1");
    } else if (a == "--slice") {
      o.slice = parse_count(a, value());
      if (o.slice == 0) fail("--slice must be at least 1");
    } else if (a == "--policy") {
      o.policy = value();
      policy_given = true;
      if (!cpu::sched::make_sched_policy(o.policy, {}))
        fail("--policy: unknown policy '{}' (one of {})", o.policy, cpu::sched::sched_policy_names());
    } else if (a == "--no-aging") {
      no_aging = true;
    } else if (a == "--aging-rounds-per-bonus") {
      o.aging.rounds_per_bonus = uint32_t(parse_count(a, value()));
      if (o.aging.rounds_per_bonus == 0) fail("--aging-rounds-per-bonus must be at least 1");
      aging_only.push_back(a);
    } else if (a == "--max-age-bonus") {
      o.aging.max_bonus = uint32_t(parse_count(a, value()));
      if (o.aging.max_bonus > 31) fail("--max-age-bonus must be 0..31");
      aging_only.push_back(a);
    } else if (a == "--aging-stamp") {
      const std::string& v = value();
      if (v == "ready") o.aging.stamp = cpu::sched::AgingStamp::Ready;
      else if (v == "legacy") o.aging.stamp = cpu::sched::AgingStamp::Legacy;
      else fail("--aging-stamp must be ready or legacy, not '{}'", v);
      aging_only.push_back(a);
    } else if (a == "--console-window-ticks") {
      o.console.window_ticks = parse_count(a, value());
      console_only.push_back(a);
    } else if (a == "--console-period-ticks") {
      o.console.period_ticks = parse_count(a, value());
      console_only.push_back(a);
    } else if (a == "--starvation-alarm") {
      o.starvation_alarm = parse_count(a, value());
      if (o.starvation_alarm == 0) fail("--starvation-alarm must be at least 1 round");
    } else if (a == "--seed") {
      o.seed = parse_count(a, value());
    } else if (a == "--strategy") {
      o.strategy = value();
      if (!cpu::sched::parse_strategy(o.strategy)) fail("--strategy must be random or pct, not '{}'", o.strategy);
    } else if (a == "--depth") {
      const uint64_t d = parse_count(a, value());
      if (d < 1 || d > 64) fail("--depth must be 1..64");
      o.depth = uint32_t(d);
    } else if (a == "--pct-steps") {
      o.pct_steps = parse_count(a, value());
      if (o.pct_steps == 0) fail("--pct-steps must be at least 1");
    } else if (a == "--no-trace") {
      o.trace = false;
    } else if (a == "--trace-compress") {
      o.trace_compress = true;
    } else if (a == "--quiet") {
      o.quiet = true;
      replayed = false;
    } else if (a == "--jit-dump") {
      const std::string& v = value();
      char* end = nullptr;
      const unsigned long long addr = std::strtoull(v.c_str(), &end, 0);
      if (v.empty() || *end || addr > 0xFFFFFFFFull || addr % 4) fail("--jit-dump needs a 4-aligned guest address, got '{}'", v);
      o.jit_dump = uint32_t(addr);
      replayed = false;  // a diagnostic: the run is the same without it
    } else if (a == "--jit-perf-map") {
      o.jit_perf_map = true;
      replayed = false;  // a diagnostic: the run is the same without it
    } else if (a == "--backend") {
      o.backend = value();
      if (!cpu::is_backend_name(o.backend)) fail("--backend: unknown backend '{}' (one of {})", o.backend, cpu::backend_name_list());
    } else if (a.rfind("--", 0) == 0) {
      fail("run: unknown option '{}'", a);
    } else if (o.image.empty()) {
      o.image = a;
      replayed = false;
    } else {
      o.guest_args.push_back(a);
    }
    if (replayed) o.args.insert(o.args.end(), args.begin() + long(first), args.begin() + long(k) + 1);
  }
  if (o.image.empty()) fail("run: no IMAGE given");
  if (o.jit_dump && o.backend != "jit") fail("--jit-dump needs --backend jit");
  if (o.jit_perf_map && o.backend != "jit") fail("--jit-perf-map needs --backend jit");
  if (no_aging) {
    if (policy_given && o.policy != "strict") fail("--no-aging is --policy strict; it contradicts --policy {}", o.policy);
    o.policy = "strict";
  }
  o.aging.enabled = o.policy == "aging";
  // An option of another policy than the run's would be silently ignored: say so instead.
  if (!aging_only.empty() && o.policy != "aging") fail("{} applies to --policy aging, not {}", aging_only[0], o.policy);
  if (!console_only.empty() && o.policy != "console")
    fail("{} applies to --policy console, not {}", console_only[0], o.policy);
  if (std::string why = cpu::sched::validate_console_options(o.console); !why.empty()) fail("--policy console: {}", why);
  // pct draws its change points over k steps: without an estimate there is nothing to draw over.
  if (o.seed && o.strategy == "pct" && !o.pct_steps) {
    if (!o.budget) fail("--strategy pct needs --pct-steps N or --budget N (k, the run's length in instructions)");
    o.pct_steps = o.budget;
  }
  return o;
}

}  // namespace hexad::app
