// `hexad run` options, shared by the ELF and XEX paths.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hexad::app {

struct RunOptions {
  std::string image;
  std::vector<std::string> guest_args;  // ELF programs only
  std::string out_dir;                  // XEX: default audit-runs/<image stem>/
  uint64_t budget = 0;                  // 0 = unlimited
  uint64_t quantum = 20'000;
  bool aging = true;
  uint32_t aging_rounds_per_bonus = 1;
  uint32_t max_age_bonus = 31;
  bool trace = true;
  bool quiet = false;
  // The arguments as given, less the image, --out DIR and --quiet: what run.json records
  // ("args") and `hexad replay` parses again, so every option, present or future, replays as it
  // ran without code of its own.
  std::vector<std::string> args;
};

// Throws hexad::Error naming the bad option.
RunOptions parse_run_options(const std::vector<std::string>& args);

}  // namespace hexad::app
