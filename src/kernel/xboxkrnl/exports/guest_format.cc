#include "kernel/xboxkrnl/exports/guest_format.h"

#include <algorithm>
#include <string_view>

namespace hexad::kernel {

namespace {

constexpr int kMaxWidth = 4096;

struct Spec {
  bool left = false, zero = false, plus = false, space = false, alt = false;
  int width = 0;
  int precision = -1;
  bool wide = false;  // a 64-bit argument (ll, I64)
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

std::string pad(const Spec& s, std::string text) {
  if (int(text.size()) >= s.width) return text;
  std::string fill(size_t(s.width) - text.size(), ' ');
  return s.left ? text + fill : fill + text;
}

}  // namespace

std::string format_guest(const std::string& f, FormatArgs& args) {
  std::string out;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out.push_back(f[i]);
      continue;
    }
    const size_t start = i++;
    Spec s;
    for (; i < f.size(); ++i) {
      char ch = f[i];
      if (ch == '-') s.left = true;
      else if (ch == '0') s.zero = true;
      else if (ch == '+') s.plus = true;
      else if (ch == ' ') s.space = true;
      else if (ch == '#') s.alt = true;
      else break;
    }
    if (i < f.size() && f[i] == '*') {
      int32_t w = int32_t(args.next32());
      if (w < 0) {  // a negative '*' width means left-justified
        s.left = true;
        w = w == INT32_MIN ? 0 : -w;
      }
      s.width = std::min(int(w), kMaxWidth);
      ++i;
    }
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') s.width = std::min(s.width * 10 + (f[i++] - '0'), kMaxWidth);
    if (i < f.size() && f[i] == '.') {
      ++i;
      s.precision = 0;
      if (i < f.size() && f[i] == '*') {
        int32_t p = int32_t(args.next32());
        s.precision = p < 0 ? -1 : std::min(int(p), kMaxWidth);
        ++i;
      } else {  // digits after '*' are not part of the precision (a negative one would overflow)
        while (i < f.size() && f[i] >= '0' && f[i] <= '9')
          s.precision = std::min(s.precision * 10 + (f[i++] - '0'), kMaxWidth);
      }
    }
    if (f.compare(i, 3, "I64") == 0) {
      s.wide = true;
      i += 3;
    }
    while (i < f.size() && std::string_view("hlLzjt").find(f[i]) != std::string_view::npos) {
      if (f.compare(i, 2, "ll") == 0) {
        s.wide = true;
        ++i;
      }
      ++i;
    }
    if (i >= f.size()) {  // a dangling '%...' is printed as written
      out += f.substr(start);
      break;
    }
    switch (char conv = f[i]) {
      case 'd':
      case 'i': {
        int64_t v = s.wide ? int64_t(args.next64()) : int64_t(int32_t(args.next32()));
        uint64_t mag = v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v);
        std::string sign = v < 0 ? "-" : s.plus ? "+" : s.space ? " " : "";
        out += assemble(s, sign, to_base(mag, 10, false));
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        uint64_t v = s.wide ? args.next64() : args.next32();
        unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
        std::string digits = to_base(v, base, conv == 'X');
        std::string prefix;
        if (s.alt && v && base == 16) prefix = conv == 'X' ? "0X" : "0x";
        if (s.alt && base == 8 && digits[0] != '0') digits.insert(0, 1, '0');
        out += assemble(s, prefix, digits);
        break;
      }
      case 'p': {  // 32-bit guest pointers, as the console prints them: 8 upper-case digits
        std::string h = to_base(args.next32(), 16, true);
        out += pad(s, std::string(8 - std::min<size_t>(8, h.size()), '0') + h);
        break;
      }
      case 'c': out += pad(s, std::string(1, char(args.next32()))); break;
      case 's': {
        std::string text = args.string_at(args.next32());
        if (s.precision >= 0 && size_t(s.precision) < text.size()) text.resize(size_t(s.precision));
        out += pad(s, text);
        break;
      }
      case '%': out.push_back('%'); break;
      default: out += f.substr(start, i - start + 1);  // unknown conversion: printed as written
    }
  }
  return out;
}

}  // namespace hexad::kernel
