#include "app/run_options.h"

#include "app/commands.h"
#include "base/cli_args.h"
#include "base/hexad_error.h"

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
    } else if (a == "--slice") {
      o.slice = parse_count(a, value());
      if (o.slice == 0) fail("--slice must be at least 1");
    } else if (a == "--no-aging") {
      o.aging = false;
    } else if (a == "--aging-rounds-per-bonus") {
      o.aging_rounds_per_bonus = uint32_t(parse_count(a, value()));
      if (o.aging_rounds_per_bonus == 0) fail("--aging-rounds-per-bonus must be at least 1");
    } else if (a == "--max-age-bonus") {
      o.max_age_bonus = uint32_t(parse_count(a, value()));
      if (o.max_age_bonus > 31) fail("--max-age-bonus must be 0..31");
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
  return o;
}

}  // namespace hexad::app
