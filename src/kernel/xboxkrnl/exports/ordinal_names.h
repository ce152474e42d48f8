// Names of the console's kernel exports by (module, ordinal), transcribed from public research
// (names/*.tsv). Used to name imports in traces and in "not implemented" reports.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace hexad::kernel {

struct OrdinalName {
  uint16_t ordinal;
  const char* name;
};

// "xboxkrnl.exe" / "xam.xex" (or their bare stems); empty string when unknown.
std::string export_name(const std::string& module, uint16_t ordinal);
// "xboxkrnl" for "xboxkrnl.exe" etc.
std::string module_stem(const std::string& module);
// Every ordinal of a module stem ("xboxkrnl", "xam") in table order (ascending); empty when unknown.
std::span<const OrdinalName> ordinal_names(const std::string& stem);

}  // namespace hexad::kernel
