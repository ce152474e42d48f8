// printf-style formatting of a guest format string (DbgPrint and friends): conversions
// d i u x X o c s p %, flags - 0 + space #, width and precision (digits or *), length modifiers
// hh h l ll L z j t I64. Arguments come from a source, so the formatter knows nothing of the
// guest calling convention and is tested on plain data.
#pragma once
#include <cstdint>
#include <string>

namespace hexad::kernel {

class FormatArgs {
 public:
  virtual ~FormatArgs() = default;
  virtual uint32_t next32() = 0;
  virtual uint64_t next64() = 0;
  virtual std::string string_at(uint32_t guest_addr) = 0;
};

std::string format_guest(const std::string& format, FormatArgs& args);

}  // namespace hexad::kernel
