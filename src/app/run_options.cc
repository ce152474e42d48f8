#include "app/run_options.h"

#include "app/commands.h"
#include "base/cli_args.h"
#include "base/hexad_error.h"
#include "cpu/sched/perturb.h"
#include "cpu/sched/sched_policy.h"

namespace hexad::app {

RunOptions parse_run_options(const std::vector<std::string>& args) {
  RunOptions o;
  for (size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    auto value = [&]() -> const std::string& {
      if (k + 1 >= args.size()) fail("{} needs a value", a);
      return args[++k];
    };
    if (a == "--") {
      o.guest_args.insert(o.guest_args.end(), args.begin() + long(k) + 1, args.end());
      break;
    } else if (a == "--out") {
      o.out_dir = value();
    } else if (a == "--budget") {
      o.budget = parse_count(a, value());
    } else if (a == "--quantum") {
      o.quantum = parse_count(a, value());
      if (o.quantum == 0) fail("--quantum must be at least 1");
    } else if (a == "--no-aging") {
      o.aging = false;
    } else if (a == "--aging-rounds-per-bonus") {
      o.aging_rounds_per_bonus = uint32_t(parse_count(a, value()));
      if (o.aging_rounds_per_bonus == 0) fail("--aging-rounds-per-bonus must be at least 1");
    } else if (a == "--max-age-bonus") {
      o.max_age_bonus = uint32_t(parse_count(a, value()));
      if (o.max_age_bonus > 31) fail("--max-age-bonus must be 0..31");
    } else if (a == "--policy") {
      o.policy = value();
      if (!cpu::sched::make_sched_policy(o.policy, {})) fail("--policy: unknown policy '{}'", o.policy);
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
    } else if (a == "--quiet") {
      o.quiet = true;
    } else if (a.rfind("--", 0) == 0) {
      fail("run: unknown option '{}'", a);
    } else if (o.image.empty()) {
      o.image = a;
    } else {
      o.guest_args.push_back(a);
    }
  }
  if (o.image.empty()) fail("run: no IMAGE given");
  if (o.policy == "strict") o.aging = false;
  if (!o.aging && o.policy.empty()) o.policy = "strict";
  if (o.policy.empty()) o.policy = "aging";
  // pct draws its change points over k steps: without an estimate there is nothing to draw over.
  if (o.seed && o.strategy == "pct" && !o.pct_steps) {
    if (!o.budget) fail("--strategy pct needs --pct-steps N or --budget N (k, the run's length in instructions)");
    o.pct_steps = o.budget;
  }
  return o;
}

}  // namespace hexad::app
