// The hexad CLI's subcommands. Each returns the process exit status.
#pragma once
#include <string>
#include <vector>

namespace hexad::app {

using Args = std::vector<std::string>;

struct RunOptions;
int cmd_run_elf(const RunOptions& opt, const std::string& bytes);
int cmd_run_xex(const RunOptions& opt, const std::string& bytes);
int cmd_exports(const Args& args);
int cmd_replay(const Args& args);
int cmd_explore(const Args& args);
int cmd_info(const Args& args);
// `hexad studio`: runs hexad-studio beside this executable (studio_exec.cc), whose main calls
// studio::cmd_studio.
int cmd_studio_exec(const Args& args);
namespace studio {
int cmd_studio(const Args& args);
}

}  // namespace hexad::app
