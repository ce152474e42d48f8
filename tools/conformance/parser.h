// Parser for annotated-assembly conformance files (`hexad ppc-test`).
//
// A case starts at a label `test_NAME:` (first thing on its line) and owns every `#_` annotation
// up to the next `test_` label; its code runs from the label until it returns to the runner's
// link-register sentinel. Annotations (first non-blank characters of a line are `#_`):
//   #_ REGISTER_IN  reg value      set before the case runs
//   #_ REGISTER_OUT reg value      checked after it returned
//   #_ MEMORY_IN  addr bytes...    hex address, then hex bytes (any grouping of pairs: `00 01`,
//   #_ MEMORY_OUT addr bytes...    `00010203`) stored before / checked after
//   #_ MODE 32|64                  hexad extension: MSR[SF] for the case (default 32)
// Registers: rN (64-bit; hex `0x..` or signed/unsigned decimal, optional C suffix `ull`), fN (`0x..` = raw IEEE bits,
// otherwise a decimal double, see parse_fp_value), vN N<128 (`[w0, w1, w2, w3]` hex words, w0 most significant),
// cr (32-bit), ctr, xer, fpscr, vscr. `lr` is refused: it holds the runner's return address.
// Lines such as `#  #_ ...` (commented-out annotations) are ordinary comments.
//
// Header-only so the unit tests (which do not link the CLI) can exercise it directly.
#pragma once
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "base/hexad_error.h"

namespace hexad::conformance {

enum class RegKind : uint8_t { Gpr, Fpr, Vr, Cr, Ctr, Xer, Fpscr, Vscr };

struct RegValue {
  RegKind kind = RegKind::Gpr;
  unsigned index = 0;       // rN/fN/vN number
  uint64_t bits = 0;        // Gpr, Cr, Ctr, Xer, Fpscr, Vscr; Fpr raw bits
  uint32_t words[4] = {};   // Vr
  bool fp_is_bits = true;   // Fpr: written in hex (false: decimal; only changes how a mismatch is printed)
  double fp = 0;            // Fpr value; `bits` holds its encoding, which is what is compared
  std::string name;         // as written ("r3", "cr")
  std::string text;         // the value as written
  int line = 0;
};

struct MemoryBlock {
  uint32_t address = 0;
  std::vector<uint8_t> bytes;
  int line = 0;
};

struct Case {
  std::string label;  // full label, "test_add_1"
  int line = 0;       // line of the label
  bool sixty_four_bit = false;
  std::vector<RegValue> reg_in, reg_out;
  std::vector<MemoryBlock> mem_in, mem_out;
};

struct CaseFile {
  std::string path;
  std::vector<Case> cases;
  std::vector<std::string> mnemonics;  // first token of every instruction line, in order
};

namespace detail {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

inline bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

inline unsigned hex_value(char c) {
  if (c >= '0' && c <= '9') return unsigned(c - '0');
  if (c >= 'a' && c <= 'f') return unsigned(c - 'a' + 10);
  return unsigned(c - 'A' + 10);
}

inline bool has_hex_prefix(std::string_view s) {
  return s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

// Hex digits only (no prefix), at most max_digits significant digits.
inline bool parse_hex_digits(std::string_view s, unsigned max_bits, uint64_t& out) {
  if (s.empty()) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (!is_hex_digit(c)) return false;
    if (max_bits < 64 ? (v >> (max_bits - 4)) != 0 : (v >> 60) != 0) return false;
    v = (v << 4) | hex_value(c);
  }
  out = v;
  return true;
}

inline std::vector<std::string_view> split_ws(std::string_view s) {
  std::vector<std::string_view> out;
  size_t k = 0;
  while (k < s.size()) {
    while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) ++k;
    size_t b = k;
    while (k < s.size() && s[k] != ' ' && s[k] != '\t') ++k;
    if (k > b) out.push_back(s.substr(b, k - b));
  }
  return out;
}

}  // namespace detail

// An integer of at most `bits` bits: `0x` hex, or decimal with an optional sign (negative values
// are two's complement in `bits` bits). Throws hexad::Error with a plain description.
inline uint64_t parse_int_value(std::string_view s, unsigned bits = 64) {
  using namespace detail;
  std::string_view t = trim(s);
  if (t.empty()) fail("missing value");
  // A C integer suffix (u, l, ul, ull, ll, any case) is accepted and ignored: the shared
  // suite writes `0x0123456789ABCDEFull`.
  {
    size_t k = t.size();
    while (k > 0 && (t[k - 1] == 'u' || t[k - 1] == 'U' || t[k - 1] == 'l' || t[k - 1] == 'L')) --k;
    std::string_view suffix = t.substr(k);
    if (!suffix.empty() && suffix.size() <= 3) {
      std::string low;
      for (char c : suffix) low += char(c | 0x20);
      if (low == "u" || low == "l" || low == "ul" || low == "lu" || low == "ll" || low == "ull" || low == "llu")
        t = t.substr(0, k);
    }
  }
  const uint64_t mask = bits >= 64 ? ~0ull : ((1ull << bits) - 1);
  if (has_hex_prefix(t)) {
    uint64_t v;
    std::string_view digits = t.substr(2);
    // Leading zeros are fine ("0x0000000080000000" for a 32-bit cr).
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    if (!parse_hex_digits(digits, bits, v))
      fail("'{}' is not a hex value of at most {} bits", std::string(t), bits);
    return v;
  }
  bool neg = false;
  std::string_view d = t;
  if (d.front() == '-' || d.front() == '+') {
    neg = d.front() == '-';
    d.remove_prefix(1);
  }
  if (d.empty() || d.find_first_not_of("0123456789") != std::string_view::npos)
    fail("'{}' is not an integer (use 0x for hex)", std::string(t));
  uint64_t v = 0;
  for (char c : d) {
    uint64_t digit = uint64_t(c - '0');
    if (v > (~0ull - digit) / 10) fail("'{}' does not fit in {} bits", std::string(t), bits);
    v = v * 10 + digit;
  }
  if (neg) {
    uint64_t limit = bits >= 64 ? (1ull << 63) : (1ull << (bits - 1));
    if (v > limit) fail("'{}' does not fit in {} bits", std::string(t), bits);
    return (0 - v) & mask;
  }
  if (v > mask) fail("'{}' does not fit in {} bits", std::string(t), bits);
  return v;
}

// `[w0, w1, w2, w3]`: four 32-bit hex words (optional 0x), w0 the most significant.
inline void parse_vector_value(std::string_view s, uint32_t out[4]) {
  using namespace detail;
  std::string_view t = trim(s);
  if (t.size() < 2 || t.front() != '[' || t.back() != ']')
    fail("vector value '{}' must be [w0, w1, w2, w3]", std::string(t));
  std::string_view body = t.substr(1, t.size() - 2);
  unsigned n = 0;
  size_t k = 0;
  for (;;) {
    size_t comma = body.find(',', k);
    std::string_view item = trim(body.substr(k, comma == std::string_view::npos ? std::string_view::npos : comma - k));
    if (n >= 4) fail("vector value '{}' has more than 4 words", std::string(t));
    if (has_hex_prefix(item)) item.remove_prefix(2);
    uint64_t w;
    if (item.empty() || item.size() > 8 || !parse_hex_digits(item, 32, w))
      fail("vector word '{}' in '{}' is not 1-8 hex digits", std::string(item), std::string(t));
    out[n++] = uint32_t(w);
    if (comma == std::string_view::npos) break;
    k = comma + 1;
  }
  if (n != 4) fail("vector value '{}' has {} words, needs 4", std::string(t), n);
}

// A floating-point register value. Every FPR expectation is compared bit for bit, so it must
// name one encoding:
//   `0x` + up to 16 hex digits   the raw IEEE bits (any NaN payload, either zero);
//   a decimal (strtod syntax)    its correctly rounded double, sign included: `0.0` is +0 and
//                                matches only +0, `-0.0` only -0; `inf`, `-inf`;
//   `nan`, `-nan` (any case)     the default quiet NaN 0x7FF8000000000000 (sign bit set for
//                                `-nan`): what the FPU delivers for an invalid operation with no
//                                NaN operand (Power ISA Book I, Invalid Operation Exception with
//                                VE=0: the "default QNaN", sign 0, fraction 0x8000000000000).
// Any other NaN (a propagated payload, a signalling NaN) has to be written in hex; `nan(...)` and
// other spellings are refused rather than left to the C library's payload parsing.
// Why decimal NaN gets no wildcard meaning: the suite's format (Xenia's runner) compares decimal
// FPR expectations with `!=` on doubles, under which a NaN expectation can never pass, so the
// format gives "nan" no meaning of its own and the shared suite has none; hexad gives it the one
// encoding above.
inline void parse_fp_value(std::string_view s, RegValue& r) {
  using namespace detail;
  std::string t(trim(s));
  if (t.empty()) fail("missing value");
  if (has_hex_prefix(t)) {
    r.fp_is_bits = true;
    r.bits = parse_int_value(t, 64);
    std::memcpy(&r.fp, &r.bits, 8);
    return;
  }
  r.fp_is_bits = false;
  std::string low;
  for (char c : t) low += char(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
  const bool negative = low.front() == '-';
  std::string_view unsigned_text = std::string_view(low).substr(low.front() == '-' || low.front() == '+' ? 1 : 0);
  if (unsigned_text.rfind("nan", 0) == 0) {
    if (unsigned_text != "nan")
      fail("'{}': a NaN other than the default quiet NaN (`nan`, `-nan`) must be written as hex bits", t);
    r.bits = 0x7FF8000000000000ull | (negative ? 0x8000000000000000ull : 0);
    std::memcpy(&r.fp, &r.bits, 8);
    return;
  }
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || *end != '\0') fail("'{}' is not a floating-point value", t);
  if (errno == ERANGE && std::isinf(v)) fail("'{}' is out of double range", t);
  r.fp = v;
  std::memcpy(&r.bits, &v, 8);
}

// Parses one register assignment; `name` and `value` as written in the file.
inline RegValue parse_register(std::string_view name, std::string_view value) {
  RegValue r;
  r.name = std::string(name);
  r.text = std::string(detail::trim(value));
  auto indexed = [&](char prefix, unsigned limit) -> bool {
    if (name.size() < 2 || name[0] != prefix) return false;
    std::string_view num = name.substr(1);
    if (num.find_first_not_of("0123456789") != std::string_view::npos || num.size() > 3) return false;
    unsigned n = 0;
    for (char c : num) n = n * 10 + unsigned(c - '0');
    if (n >= limit) fail("register '{}' out of range ({}0..{}{})", std::string(name), prefix, prefix, limit - 1);
    r.index = n;
    return true;
  };
  if (indexed('r', 32)) {
    r.kind = RegKind::Gpr;
    r.bits = parse_int_value(value, 64);
  } else if (indexed('f', 32)) {
    r.kind = RegKind::Fpr;
    parse_fp_value(value, r);
  } else if (indexed('v', 128)) {
    r.kind = RegKind::Vr;
    parse_vector_value(value, r.words);
  } else if (name == "cr") {
    r.kind = RegKind::Cr;
    r.bits = parse_int_value(value, 32);
  } else if (name == "ctr") {
    r.kind = RegKind::Ctr;
    r.bits = parse_int_value(value, 64);
  } else if (name == "xer") {
    r.kind = RegKind::Xer;
    r.bits = parse_int_value(value, 32);
  } else if (name == "fpscr") {
    r.kind = RegKind::Fpscr;
    r.bits = parse_int_value(value, 32);
  } else if (name == "vscr") {
    r.kind = RegKind::Vscr;
    r.bits = parse_int_value(value, 32);
  } else if (name == "lr") {
    fail("register 'lr' is reserved for the runner's return address");
  } else {
    fail("unknown register '{}' (expected rN, fN, vN, cr, ctr, xer, fpscr or vscr)", std::string(name));
  }
  return r;
}

// `ADDR BYTES...`: hex address (optional 0x), then hex digit pairs, spaces anywhere between pairs.
inline MemoryBlock parse_memory(std::string_view rest) {
  using namespace detail;
  auto parts = split_ws(rest);
  if (parts.size() < 2) fail("memory annotation needs an address and at least one byte");
  MemoryBlock m;
  std::string_view a = parts[0];
  if (has_hex_prefix(a)) a.remove_prefix(2);
  uint64_t addr;
  if (a.size() > 8 || !parse_hex_digits(a, 32, addr)) fail("memory address '{}' is not 32-bit hex", std::string(parts[0]));
  m.address = uint32_t(addr);
  for (size_t k = 1; k < parts.size(); ++k) {
    std::string_view p = parts[k];
    if (p.size() % 2) fail("memory bytes '{}' have an odd number of hex digits", std::string(p));
    for (size_t j = 0; j < p.size(); j += 2) {
      if (!is_hex_digit(p[j]) || !is_hex_digit(p[j + 1])) fail("memory bytes '{}' are not hex", std::string(p));
      m.bytes.push_back(uint8_t(hex_value(p[j]) << 4 | hex_value(p[j + 1])));
    }
  }
  if (uint64_t(m.address) + m.bytes.size() > (1ull << 32)) fail("memory range runs past 4 GiB");
  return m;
}

// Parses a whole file. Errors throw hexad::Error "PATH:LINE: message".
inline CaseFile parse_case_file(std::string_view text, const std::string& path) {
  using namespace detail;
  CaseFile f;
  f.path = path;
  Case* cur = nullptr;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    std::string_view line = trim(raw);
    if (line.empty()) continue;
    try {
      if (line.size() >= 2 && line[0] == '#' && line[1] == '_') {
        std::string_view body = line.substr(2);
        if (size_t hash = body.find('#'); hash != std::string_view::npos) body = trim(body.substr(0, hash));
        auto parts = split_ws(body);
        if (parts.empty()) fail("empty annotation");
        std::string_view key = parts[0];
        std::string_view rest = trim(body.substr(size_t(key.data() - body.data()) + key.size()));
        if (!cur) fail("annotation '{}' before the first test_ label", std::string(key));
        if (key == "REGISTER_IN" || key == "REGISTER_OUT") {
          if (parts.size() < 3) fail("{} needs a register and a value", std::string(key));
          std::string_view reg = parts[1];
          std::string_view value = trim(rest.substr(size_t(reg.data() - rest.data()) + reg.size()));
          if (value.front() != '[' && parts.size() > 3) fail("unexpected text after value '{}'", std::string(parts[2]));
          RegValue r = parse_register(reg, value);
          r.line = line_no;
          (key == "REGISTER_IN" ? cur->reg_in : cur->reg_out).push_back(std::move(r));
        } else if (key == "MEMORY_IN" || key == "MEMORY_OUT") {
          MemoryBlock m = parse_memory(rest);
          m.line = line_no;
          (key == "MEMORY_IN" ? cur->mem_in : cur->mem_out).push_back(std::move(m));
        } else if (key == "MODE") {
          if (rest == "32") cur->sixty_four_bit = false;
          else if (rest == "64") cur->sixty_four_bit = true;
          else fail("MODE must be 32 or 64, got '{}'", std::string(rest));
        } else {
          fail("unknown annotation '{}'", std::string(key));
        }
        continue;
      }
      if (line[0] == '#') continue;  // comment (including commented-out annotations)
      // Strip a trailing comment from code lines.
      if (size_t hash = line.find('#'); hash != std::string_view::npos) line = trim(line.substr(0, hash));
      if (line.empty()) continue;
      // Labels (possibly followed by an instruction on the same line).
      while (true) {
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) break;
        std::string_view label = line.substr(0, colon);
        if (label.empty() || label.find_first_of(" \t,") != std::string_view::npos) break;
        if (label.rfind("test_", 0) == 0) {
          if (label.size() == 5) fail("test label has no name");
          for (const Case& c : f.cases)
            if (c.label == label) fail("duplicate test label '{}' (first at line {})", std::string(label), c.line);
          f.cases.push_back(Case{});
          cur = &f.cases.back();
          cur->label = std::string(label);
          cur->line = line_no;
        }
        line = trim(line.substr(colon + 1));
      }
      if (line.empty() || line[0] == '.') continue;  // assembler directive
      auto parts = split_ws(line);
      f.mnemonics.emplace_back(parts[0]);
    } catch (const Error& e) {
      fail("{}:{}: {}", path, line_no, e.what());
    }
  }
  return f;
}

}  // namespace hexad::conformance
