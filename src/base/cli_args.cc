#include "base/cli_args.h"

#include "base/hexad_error.h"

namespace hexad {

unsigned long long parse_count(const std::string& option, const std::string& value) {
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
    fail("{} needs a non-negative integer, got '{}'", option, value);
  try {
    return std::stoull(value);
  } catch (...) {
    fail("{} value '{}' is out of range", option, value);
  }
}

}  // namespace hexad
