// libFuzzer: hexad-audit's line parser (tools/audit/trace_diff.*: parse_json_line) on one line.
// A value it accepts must equal itself (same_json; differing_fields for an object); a rejection
// must give a reason. Anything thrown is a crash.
//
// Nesting depth is bounded only by the input length: the ctest slice and `run` keep -max_len at
// 4096 (far deeper nesting is the known stack-overflow defect, tracked separately).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "audit/trace_diff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  nlohmann::json value;
  std::string error;
  const char* broken = nullptr;
  if (!hexad::audit::parse_json_line(line, value, error)) {
    if (error.empty()) broken = "parse_json_line failed without a reason";
  } else if (!hexad::audit::same_json(value, value)) {
    broken = "a parsed value differs from itself";
  } else if (value.is_object() && !hexad::audit::differing_fields(value, value).empty()) {
    broken = "a parsed object has differing fields from itself";
  }
  if (broken) {
    std::fprintf(stderr, "json_line: %s\n", broken);
    std::abort();
  }
  return 0;
}
