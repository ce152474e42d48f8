// The hexad CLI's subcommands. Each returns the process exit status.
#pragma once
#include <string>
#include <vector>

namespace hexad::app {

using Args = std::vector<std::string>;

struct RunOptions;
int cmd_run_elf(const RunOptions& opt, const std::string& bytes);
int cmd_run_xex(const RunOptions& opt, const std::string& bytes);
int cmd_ppc_test(const Args& args);
int cmd_exports(const Args& args);

// Parses a non-negative integer option value; throws hexad::Error naming the option.
unsigned long long parse_count(const std::string& option, const std::string& value);

}  // namespace hexad::app
