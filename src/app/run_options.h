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
  std::string policy;  // --policy NAME (a name in sched_policies()); empty = aging, or strict with --no-aging
  bool trace = true;
  bool quiet = false;
  // Schedule exploration (cpu/sched/perturb.h): seed 0 = the unperturbed schedule.
  uint64_t seed = 0;
  std::string strategy = "random";  // random | pct
  uint32_t depth = 2;               // pct: bug depth d
  uint64_t pct_steps = 0;           // pct: k in instructions; 0 = the budget
};

// Throws hexad::Error naming the bad option.
RunOptions parse_run_options(const std::vector<std::string>& args);

}  // namespace hexad::app
