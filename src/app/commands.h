// The hexad CLI's subcommands. Each returns the process exit status.
#pragma once
#include <string>
#include <vector>

namespace hexad::app {

using Args = std::vector<std::string>;

int cmd_run_elf(const std::string& path, const Args& guest_args, const Args& options);
int cmd_ppc_test(const Args& args);

// Parses a non-negative integer option value; throws hexad::Error naming the option.
unsigned long long parse_count(const std::string& option, const std::string& value);

}  // namespace hexad::app
