// printf-style formatting of a guest format string (DbgPrint and friends): conversions
// d i u x X o c C s S p %, flags - 0 + space #, width and precision (digits or *), length
// modifiers hh h l ll L z j t w I64. Arguments come from a source, so the formatter knows nothing
// of the guest calling convention and is tested on plain data.
// One formatter serves both widths: a narrow format (std::string) gives narrow text, a wide one
// (std::u16string, the wprintf family) wide text, with the Microsoft CRT's rules for which width
// a %s / %c argument has (wide_text_argument in guest_format.cc). A narrow argument in a wide
// format is widened byte by byte; a wide argument in a narrow format is narrowed unit by unit,
// and a unit above 0xFF fails the whole call: std::nullopt, which the sprintf family returns as
// -1 (see narrow() in guest_format.cc for the evidence). A wide format never fails.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace hexad::kernel {

class FormatArgs {
 public:
  virtual ~FormatArgs() = default;
  virtual uint32_t next32() = 0;
  virtual uint64_t next64() = 0;
  // A string argument, read up to its NUL and at most `max_units` units (a precision: the CRT
  // reads no further, so bytes past it are never touched and cannot fault).
  virtual std::string string_at(uint32_t guest_addr, size_t max_units) = 0;
  virtual std::u16string wide_string_at(uint32_t guest_addr, size_t max_units) = 0;  // 16-bit units, as they are
};

std::optional<std::string> format_guest(const std::string& format, FormatArgs& args);
std::optional<std::u16string> format_guest(const std::u16string& format, FormatArgs& args);

}  // namespace hexad::kernel
