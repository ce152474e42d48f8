// `hexad-audit export RUN --format FORMAT -o OUT`: options, output file handling and the summary
// line; the timeline itself is timeline_export.*.
#pragma once
#include <string>
#include <vector>

namespace hexad::audit {

// Runs the command on its arguments (after "export"). `usage_error` prints a usage error and
// returns its exit status; `help` prints the usage and returns 0. Throws hexad::Error on bad input.
int export_command(const std::vector<std::string>& args, int (*usage_error)(const std::string&), int (*help)());

}  // namespace hexad::audit
