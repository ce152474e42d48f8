// Command-line argument helpers shared by hexad's commands and tools.
#pragma once
#include <string>

namespace hexad {

// Parses a non-negative integer option value; throws hexad::Error naming the option.
unsigned long long parse_count(const std::string& option, const std::string& value);

}  // namespace hexad
