#include "base/utf8.h"

#include <cstdint>

namespace hexad {

namespace {

// The number of continuation bytes after a UTF-8 lead byte and the allowed range of the first of
// them (Unicode table 3-7: no overlongs, no surrogates, nothing above U+10FFFF); later
// continuations are 0x80..0xBF. 0 continuations: not a lead byte.
struct Lead {
  int continuations;
  uint8_t lo, hi;
};
Lead utf8_lead(uint8_t b) {
  if (b >= 0xC2 && b <= 0xDF) return {1, 0x80, 0xBF};
  if (b == 0xE0) return {2, 0xA0, 0xBF};
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return {2, 0x80, 0xBF};
  if (b == 0xED) return {2, 0x80, 0x9F};
  if (b == 0xF0) return {3, 0x90, 0xBF};
  if (b >= 0xF1 && b <= 0xF3) return {3, 0x80, 0xBF};
  if (b == 0xF4) return {3, 0x80, 0x8F};
  return {0, 0, 0};
}

}  // namespace

Utf8Step utf8_step(std::string_view text, size_t i) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  if (s[i] < 0x80) return {1, true};
  Lead lead = utf8_lead(s[i]);
  if (!lead.continuations) return {1, false};
  size_t j = i + 1;
  for (int c = 0; c < lead.continuations; ++c, ++j) {
    uint8_t lo = c == 0 ? lead.lo : 0x80, hi = c == 0 ? lead.hi : 0xBF;
    if (j >= n || s[j] < lo || s[j] > hi) return {j - i, false};
  }
  return {j - i, true};
}

bool is_valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    Utf8Step step = utf8_step(text, i);
    if (!step.valid) return false;
    i += step.length;
  }
  return true;
}

std::string utf8_replaced(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    Utf8Step step = utf8_step(text, i);
    if (step.valid) out.append(text.substr(i, step.length));
    else out.append("\xEF\xBF\xBD");
    i += step.length;
  }
  return out;
}

std::string hex_bytes(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

}  // namespace hexad
