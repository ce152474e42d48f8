// `hexad run` options, shared by the ELF and XEX paths.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cpu/exec_backend.h"
#include "cpu/sched/scheduler.h"
#include "cpu/sched/sched_policy.h"

namespace hexad::app {

struct RunOptions {
  std::string image;
  std::vector<std::string> guest_args;  // ELF programs only
  std::string out_dir;                  // XEX: default audit-runs/<image stem>/
  std::string content_dir;              // --content: game:\ and d:\ (absolute); empty = the image's folder
  std::string frames_dir;               // --frames-dir: each presented frame as a PNG; not in args (output only)
  uint64_t budget = 0;                  // 0 = unlimited
  uint64_t quantum = 20'000;
  uint64_t slice = cpu::sched::kDefaultSlice;  // --slice: instructions per step at most
  std::string policy = "aging";         // --policy; --no-aging is --policy strict
  cpu::sched::AgingOptions aging;       // --aging-rounds-per-bonus, --max-age-bonus, --aging-stamp
  cpu::sched::ConsoleOptions console;   // --console-window-ticks, --console-period-ticks
  uint64_t starvation_alarm = 0;        // --starvation-alarm ROUNDS; 0 = off
  bool trace = true;
  bool trace_compress = false;          // trace.jsonl.zst instead of trace.jsonl
  bool quiet = false;
  // --backend: what executes guest code (cpu/exec_backend.h); recorded in run.json, never in the
  // trace, so traces of two backends compare.
  std::string backend{cpu::kDefaultBackend};
  std::optional<uint32_t> jit_dump;  // --jit-dump ADDR: print that block's host code after the run
  bool jit_perf_map = false;  // --jit-perf-map: name each block's host code for perf (/tmp/perf-PID.map)
  // The arguments as given, less the image, --out DIR and --quiet: what run.json records
  // ("args") and `hexad replay` parses again, so every option, present or future, replays as it
  // ran without code of its own.
  std::vector<std::string> args;
  // Schedule exploration (cpu/sched/perturb.h): seed 0 = the unperturbed schedule.
  uint64_t seed = 0;
  std::string strategy = "random";  // random | pct
  uint32_t depth = 2;               // pct: bug depth d
  uint64_t pct_steps = 0;           // pct: k in instructions; 0 = the budget
  // --input FILE / --input-data TEXT: the scripted controllers (kernel/xboxkrnl/input_script.h),
  // as canonical JSON; empty = no controller. Recorded in args as --input-data, so a replay needs
  // no file; input_file and input_sha256 (of the file's bytes) are for run.json's readers.
  std::string input_script;
  std::string input_file, input_sha256;
  size_t input_events = 0;
};

// Runs `o` on backend `name` instead, recorded so (args and options alike).
void set_backend(RunOptions& o, const std::string& name);

// Throws hexad::Error naming the bad option.
RunOptions parse_run_options(const std::vector<std::string>& args);

}  // namespace hexad::app
