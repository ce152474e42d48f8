// `hexad run` options, shared by the ELF and XEX paths.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cpu/sched/scheduler.h"

namespace hexad::app {

struct RunOptions {
  std::string image;
  std::vector<std::string> guest_args;  // ELF programs only
  std::string out_dir;                  // XEX: default audit-runs/<image stem>/
  uint64_t budget = 0;                  // 0 = unlimited
  uint64_t quantum = 20'000;
  uint64_t slice = cpu::sched::kDefaultSlice;
  bool aging = true;
  uint32_t aging_rounds_per_bonus = 1;
  uint32_t max_age_bonus = 31;
  bool trace = true;
  bool quiet = false;
};

// Throws hexad::Error naming the bad option.
RunOptions parse_run_options(const std::vector<std::string>& args);

}  // namespace hexad::app
