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

std::string export_name(const std::string& module, uint16_t ordinal) {
  std::string m = module_stem(module);
  const OrdinalName* table = nullptr;
  size_t n = 0;
  if (m == "xboxkrnl") table = k_xboxkrnl_names, n = k_xboxkrnl_names_count;
  else if (m == "xam") table = k_xam_names, n = k_xam_names_count;
  for (size_t i = 0; i < n; ++i)
    if (table[i].ordinal == ordinal) return table[i].name;
  return "";
}

}  // namespace hexad::kernel
