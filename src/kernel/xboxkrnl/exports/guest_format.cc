#include "kernel/xboxkrnl/exports/guest_format.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <type_traits>

namespace hexad::kernel {

namespace {

constexpr int kMaxWidth = 4096;

struct Spec {
  bool left = false, zero = false, plus = false, space = false, alt = false;
  int width = 0;
  int precision = -1;
  bool long_long = false;  // a 64-bit argument (ll, I64)
  char size = 0;           // the last h, l or w: a text argument's width
};

std::string to_base(uint64_t v, unsigned base, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string s;
  do {
    s.push_back(digits[v % base]);
    v /= base;
  } while (v);
  std::reverse(s.begin(), s.end());
  return s;
}

// sign/prefix + zeros + digits, padded to the width as C does: zero padding goes between the
// prefix and the digits, and is off when a precision is given or the field is left-justified.
std::string assemble(const Spec& s, std::string prefix, std::string digits) {
  if (s.precision >= 0) {
    if (s.precision == 0 && digits == "0") digits.clear();
    if (int(digits.size()) < s.precision) digits.insert(0, size_t(s.precision) - digits.size(), '0');
  }
  size_t len = prefix.size() + digits.size();
  size_t width = size_t(s.width);
  if (len >= width) return prefix + digits;
  if (s.left) return prefix + digits + std::string(width - len, ' ');
  if (s.zero && s.precision < 0) return prefix + std::string(width - len, '0') + digits;
  return std::string(width - len, ' ') + prefix + digits;
}

// ASCII (digits, signs) or a narrow argument's bytes in the format's width: for a wide format
// each byte is zero-extended to a 16-bit unit (no transcoding through a host locale).
template <typename Char>
std::basic_string<Char> widen(const std::string& s) {
  if constexpr (std::is_same_v<Char, char>) {
    return s;
  } else {
    std::basic_string<Char> w(s.size(), Char());
    for (size_t i = 0; i < s.size(); ++i) w[i] = Char(uint8_t(s[i]));
    return w;
  }
}

template <typename Text>
Text pad(const Spec& s, Text text) {
  if (int(text.size()) >= s.width) return text;
  Text fill(size_t(s.width) - text.size(), ' ');
  return s.left ? text + fill : fill + text;
}

// A format unit as a code (a narrow byte 0x80..0xFF is not an ASCII letter).
template <typename Char>
uint32_t code(Char c) {
  return std::make_unsigned_t<Char>(c);
}

bool one_of(uint32_t c, std::string_view ascii) { return c && c < 0x80 && ascii.find(char(c)) != std::string_view::npos; }

// Whether the format holds `ascii` at i (i <= f.size()).
template <typename Char>
bool holds(const std::basic_string<Char>& f, size_t i, std::string_view ascii) {
  if (f.size() - i < ascii.size()) return false;
  for (size_t k = 0; k < ascii.size(); ++k)
    if (code(f[i + k]) != uint8_t(ascii[k])) return false;
  return true;
}

// Whether a %s or %c argument is wide: the Microsoft CRT's rule (MSDN "Format specification
// syntax: printf and wprintf functions" and "Size prefixes", as xenia-canary's
// xboxkrnl_strings.cc format_core applies it to both widths): an l or w size makes it wide, an h
// narrow; otherwise s and c take the format's own width and S and C the other one. So in a
// narrow format %S %C %ls %ws %lc %wc are wide and %s %c %hs %hc narrow; in a wide format %s
// %c %ls %ws %lc %wc are wide and %S %C %hs %hc narrow.
bool wide_text_argument(uint32_t conv, char size, bool wide_format) {
  if (size == 'l' || size == 'w') return true;
  if (size == 'h') return false;
  return (conv == 's' || conv == 'c') == wide_format;
}

// A wide argument's units as narrow text: a unit 0x00..0xFF is the byte of the same value, any
// other unit fails the call (std::nullopt). Evidence: xenia-canary's xboxkrnl_strings.cc, whose
// narrow output (StringFormatData::put) stores a unit below 0x100 as that byte and refuses any
// other, making format_core return -1 for sprintf, _snprintf and the rest; and the Microsoft CRT,
// whose narrow printf converts a wide argument with wctomb, which in the "C" locale maps
// 0x00..0xFF to the same byte and fails any other unit with EILSEQ, the printf function then
// returning -1. The kernel's CRT stays in the "C" locale: xboxkrnl exports no setlocale
// (shared/facts/xboxkrnl-ordinals.tsv). A partial text is never kept: hexad's callers write
// only a NUL (sprintf family) or nothing (DbgPrint), as xenia's do.
std::optional<std::string> narrow(const std::u16string& units) {
  std::string bytes(units.size(), '\0');
  for (size_t i = 0; i < units.size(); ++i) {
    if (units[i] > 0xFF) return std::nullopt;
    bytes[i] = char(units[i]);
  }
  return bytes;
}

// A %c / %C / %s / %S argument in the format's width: read narrow or wide (wide_text_argument),
// cut to the precision (a string's bytes or units, before any narrowing, so units past the
// precision are never converted, as in the CRT), then widened or narrowed to the format's width
// and padded to the width. nullopt: a wide unit a narrow format cannot hold (narrow()).
template <typename Char>
std::optional<std::basic_string<Char>> text_argument(const Spec& s, uint32_t conv, FormatArgs& args) {
  using Text = std::basic_string<Char>;
  constexpr bool kWideFormat = std::is_same_v<Char, char16_t>;
  const bool is_char = conv == 'c' || conv == 'C';
  const auto cut = [&](auto text) {
    if (!is_char && s.precision >= 0 && size_t(s.precision) < text.size()) text.resize(size_t(s.precision));
    return text;
  };
  const uint32_t value = args.next32();
  const size_t max_units = s.precision >= 0 ? size_t(s.precision) : SIZE_MAX;
  if (!wide_text_argument(conv, s.size, kWideFormat))
    return pad(s, widen<Char>(cut(is_char ? std::string(1, char(value)) : args.string_at(value, max_units))));
  std::u16string units =
      cut(is_char ? std::u16string(1, char16_t(value)) : args.wide_string_at(value, max_units));
  if constexpr (kWideFormat) {
    return pad(s, std::move(units));
  } else {
    std::optional<Text> text = narrow(units);
    if (!text) return std::nullopt;
    return pad(s, std::move(*text));
  }
}

template <typename Char>
std::optional<std::basic_string<Char>> format_any(const std::basic_string<Char>& f, FormatArgs& args) {
  constexpr std::string_view kSizes = "hlLzjtw";
  std::basic_string<Char> out;
  for (size_t i = 0; i < f.size(); ++i) {
    if (code(f[i]) != '%') {
      out.push_back(f[i]);
      continue;
    }
    const size_t start = i++;
    Spec s;
    for (; i < f.size(); ++i) {
      const uint32_t ch = code(f[i]);
      if (ch == '-') s.left = true;
      else if (ch == '0') s.zero = true;
      else if (ch == '+') s.plus = true;
      else if (ch == ' ') s.space = true;
      else if (ch == '#') s.alt = true;
      else break;
    }
    auto digit_at = [&](size_t k) { return k < f.size() && code(f[k]) >= '0' && code(f[k]) <= '9'; };
    if (i < f.size() && code(f[i]) == '*') {
      int32_t w = int32_t(args.next32());
      if (w < 0) {  // a negative '*' width means left-justified
        s.left = true;
        w = w == INT32_MIN ? 0 : -w;
      }
      s.width = std::min(int(w), kMaxWidth);
      ++i;
    }
    while (digit_at(i)) s.width = std::min(s.width * 10 + int(code(f[i++]) - '0'), kMaxWidth);
    if (i < f.size() && code(f[i]) == '.') {
      ++i;
      s.precision = 0;
      if (i < f.size() && code(f[i]) == '*') {
        int32_t p = int32_t(args.next32());
        s.precision = p < 0 ? -1 : std::min(int(p), kMaxWidth);
        ++i;
      } else {  // digits after '*' are not part of the precision (a negative one would overflow)
        while (digit_at(i)) s.precision = std::min(s.precision * 10 + int(code(f[i++]) - '0'), kMaxWidth);
      }
    }
    if (holds(f, i, "I64")) {
      s.long_long = true;
      i += 3;
    }
    while (i < f.size() && one_of(code(f[i]), kSizes)) {
      if (holds(f, i, "ll")) {
        s.long_long = true;
        ++i;
      }
      if (one_of(code(f[i]), "hlw")) s.size = char(code(f[i]));
      ++i;
    }
    if (i >= f.size()) {  // a dangling '%...' is printed as written
      out += f.substr(start);
      break;
    }
    const auto as_written = [&] { return f.substr(start, i - start + 1); };
    switch (const uint32_t conv = code(f[i])) {
      case 'd':
      case 'i': {
        int64_t v = s.long_long ? int64_t(args.next64()) : int64_t(int32_t(args.next32()));
        uint64_t mag = v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v);
        std::string sign = v < 0 ? "-" : s.plus ? "+" : s.space ? " " : "";
        out += widen<Char>(assemble(s, sign, to_base(mag, 10, false)));
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        uint64_t v = s.long_long ? args.next64() : args.next32();
        unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
        std::string digits = to_base(v, base, conv == 'X');
        std::string prefix;
        if (s.alt && v && base == 16) prefix = conv == 'X' ? "0X" : "0x";
        if (s.alt && base == 8 && digits[0] != '0') digits.insert(0, 1, '0');
        out += widen<Char>(assemble(s, prefix, digits));
        break;
      }
      case 'p': {  // 32-bit guest pointers, as the console prints them: 8 upper-case digits
        std::string h = to_base(args.next32(), 16, true);
        out += widen<Char>(pad(s, std::string(8 - std::min<size_t>(8, h.size()), '0') + h));
        break;
      }
      case 'C':
      case 'S':
      case 'c':
      case 's': {
        // A failed conversion ends the call there: later arguments are not read (the CRT stops).
        const auto text = text_argument<Char>(s, conv, args);
        if (!text) return std::nullopt;
        out += *text;
        break;
      }
      case '%': out.push_back('%'); break;
      // Unknown conversions are printed as written, NT DbgPrint's %Z and %wZ (ANSI_STRING*,
      // UNICODE_STRING*) among them: xenia-canary's format_core only asserts on 'Z', so nothing
      // says the console's DbgPrint supports them.
      default: out += as_written();
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> format_guest(const std::string& format, FormatArgs& args) {
  return format_any(format, args);
}
std::optional<std::u16string> format_guest(const std::u16string& format, FormatArgs& args) {
  return format_any(format, args);
}

}  // namespace hexad::kernel
