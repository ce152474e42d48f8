// A trace cut in the middle of its last line (hexad was killed while writing it): the complete
// lines before the cut are still a readable prefix, which explain and wedge-diff use (with a
// warning naming the line) instead of refusing the whole trace.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace hexad::audit {

// nullopt when the file is empty or ends with a newline (no cut line); otherwise the number of
// complete lines before its cut last line. Throws hexad::Error when the file cannot be read.
std::optional<uint64_t> complete_lines_before_cut(const std::string& path);

}  // namespace hexad::audit
