#include "kernel/xboxkrnl/exports/ordinal_names.h"

#include <algorithm>
#include <cctype>

namespace hexad::kernel {

extern const OrdinalName k_xboxkrnl_names[];
extern const size_t k_xboxkrnl_names_count;
extern const OrdinalName k_xam_names[];
extern const size_t k_xam_names_count;

std::string module_stem(const std::string& module) {
  std::string s = module.substr(0, module.find('.'));
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

std::span<const OrdinalName> ordinal_names(const std::string& stem) {
  if (stem == "xboxkrnl") return {k_xboxkrnl_names, k_xboxkrnl_names_count};
  if (stem == "xam") return {k_xam_names, k_xam_names_count};
  return {};
}

std::string export_name(const std::string& module, uint16_t ordinal) {
  for (const OrdinalName& n : ordinal_names(module_stem(module)))
    if (n.ordinal == ordinal) return n.name;
  return "";
}

}  // namespace hexad::kernel
