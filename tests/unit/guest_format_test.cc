#include <catch2/catch.hpp>

#include <cstdio>
#include <deque>
#include <map>
#include <vector>
#include <optional>

#include "kernel/xboxkrnl/exports/guest_format.h"

using hexad::kernel::format_guest;
using hexad::kernel::FormatArgs;

namespace {

// Arguments as a queue of 32-bit words (a 64-bit value is two words, high first) and a table of
// guest strings by address.
class Args : public FormatArgs {
 public:
  Args(std::initializer_list<uint32_t> words, std::map<uint32_t, std::string> strings = {},
       std::map<uint32_t, std::u16string> wide_strings = {})
      : words_(words), strings_(std::move(strings)), wide_strings_(std::move(wide_strings)) {}
  uint32_t next32() override {
    uint32_t v = words_.front();
    words_.pop_front();
    return v;
  }
  uint64_t next64() override {
    uint64_t hi = next32();
    return hi << 32 | next32();
  }
  // The fake holds whole strings: the precision cut is the formatter's (the guest readers honour
  // max_units themselves, tests/guest/kstrings.c checks that on the console's side).
  std::string string_at(uint32_t a, size_t max_units) override {
    max_units_seen.push_back(max_units);
    return strings_.count(a) ? strings_[a] : "(bad)";
  }
  std::u16string wide_string_at(uint32_t a, size_t max_units) override {
    max_units_seen.push_back(max_units);
    return wide_strings_.count(a) ? wide_strings_[a] : u"(wbad)";
  }
  std::vector<size_t> max_units_seen;
  size_t left() const { return words_.size(); }

 private:
  std::deque<uint32_t> words_;
  std::map<uint32_t, std::string> strings_;
  std::map<uint32_t, std::u16string> wide_strings_;
};

// The narrow formatter (DbgPrint, the sprintf family); "<failed>" when it fails.
std::string fmt1(const char* f, std::initializer_list<uint32_t> w, std::map<uint32_t, std::string> s = {},
                 std::map<uint32_t, std::u16string> ws = {}) {
  Args a(w, std::move(s), std::move(ws));
  std::optional<std::string> out = format_guest(f, a);
  CHECK(a.left() == 0);  // every conversion consumed exactly its arguments
  return out ? *out : "<failed>";
}

// The wide formatter (the wprintf family) on a wide format.
std::u16string wfmt(const char16_t* f, std::initializer_list<uint32_t> w, std::map<uint32_t, std::string> s = {},
                    std::map<uint32_t, std::u16string> ws = {}) {
  Args a(w, std::move(s), std::move(ws));
  std::optional<std::u16string> out = format_guest(std::u16string(f), a);
  CHECK(a.left() == 0);
  REQUIRE(out);  // a wide format never fails
  return *out;
}

// The host's printf, for the conversions whose C semantics hexad follows exactly.
template <typename... T>
std::string host(const char* f, T... v) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, v...);
  return buf;
}

}  // namespace

TEST_CASE("guest format: integers with flags, width and precision match C") {
  CHECK(fmt1("%d|%i|%u", {uint32_t(-42), 7, 0xFFFFFFFFu}) == host("%d|%i|%u", -42, 7, 0xFFFFFFFFu));
  CHECK(fmt1("[%5d][%-5d][%05d]", {uint32_t(-42), 42, uint32_t(-42)}) == host("[%5d][%-5d][%05d]", -42, 42, -42));
  CHECK(fmt1("[%+d][% d][%+d]", {5, 5, uint32_t(-5)}) == host("[%+d][% d][%+d]", 5, 5, -5));
  CHECK(fmt1("[%.3d][%8.3d][%-8.3d]", {7, 7, 7}) == host("[%.3d][%8.3d][%-8.3d]", 7, 7, 7));
  CHECK(fmt1("[%.0d][%5.0d]", {0, 0}) == host("[%.0d][%5.0d]", 0, 0));
  CHECK(fmt1("[%08.3d]", {7}) == host("[%08.3d]", 7));  // precision turns zero padding off
  CHECK(fmt1("[%x][%X][%08x][%#x][%#X][%#x]", {0xbeef, 0xbeef, 0xbeef, 0xbeef, 0xbeef, 0}) ==
        host("[%x][%X][%08x][%#x][%#X][%#x]", 0xbeef, 0xbeef, 0xbeef, 0xbeef, 0xbeef, 0));
  CHECK(fmt1("[%#010x]", {0xbeef}) == host("[%#010x]", 0xbeef));  // zeros after the prefix
  CHECK(fmt1("[%o][%#o][%#o]", {8, 8, 0}) == host("[%o][%#o][%#o]", 8, 8, 0));
  CHECK(fmt1("%d", {0x80000000u}) == "-2147483648");
}

TEST_CASE("guest format: 64-bit arguments by ll and I64") {
  CHECK(fmt1("%lld|%llu|%llx", {0xFFFFFFFF, 0xFFFFFFFE, 0x00000001, 0x00000000, 0x12345678, 0x9ABCDEF0}) ==
        "-2|4294967296|123456789abcdef0");
  CHECK(fmt1("%I64d", {0x80000000, 0}) == "-9223372036854775808");
  CHECK(fmt1("%ld|%hd|%lu", {uint32_t(-3), 5, 6}) == "-3|5|6");  // l and h: 32-bit on the guest
}

TEST_CASE("guest format: strings, characters, pointers, star arguments") {
  CHECK(fmt1("[%s][%8s][%-8s][%.2s]", {0x100, 0x100, 0x100, 0x100}, {{0x100, "abc"}}) == "[abc][     abc][abc     ][ab]");
  CHECK(fmt1("[%c%c][%3c]", {'h', 'i', 'x'}) == "[hi][  x]");
  CHECK(fmt1("%p", {0x8200ABCu}) == "08200ABC");
  CHECK(fmt1("[%*d][%-*d][%*d]", {4, 7, 4, 7, uint32_t(-4), 7}) == host("[%*d][%-*d][%*d]", 4, 7, 4, 7, -4, 7));
  CHECK(fmt1("[%.*s]", {1, 0x100}, {{0x100, "xyz"}}) == "[x]");
}

TEST_CASE("guest format: a precision bounds how much of a string argument is read") {
  // The CRT reads a string argument no further than its precision: bytes past it (maybe
  // unmapped) are never touched. The readers get the bound (guest_varargs_test checks they honour it).
  Args a({0x100, 0x100, 2, 0x200}, {{0x100, "abc"}}, {{0x200, u"xyz"}});
  CHECK(format_guest(std::string("%.1s %s %.*S"), a) == std::optional<std::string>("a abc xy"));
  CHECK(a.max_units_seen == std::vector<size_t>{1, SIZE_MAX, 2});
}

TEST_CASE("guest format: odd input never throws and is printed as written") {
  CHECK(fmt1("100%%", {}) == "100%");
  CHECK(fmt1("bad %q here", {}) == "bad %q here");
  CHECK(fmt1("dangling %", {}) == "dangling %");
  CHECK(fmt1("dangling %08", {}) == "dangling %08");
  CHECK(fmt1("%99999999d", {1}).size() == 4096);  // widths are capped
  // Digits after a '*' precision end it (here '5' is an unknown conversion); a negative '*'
  // followed by digits once overflowed an int (found by tools/fuzz guest_format).
  CHECK(fmt1("[%.*5555555555d]", {uint32_t(-1)}) == "[%.*5555555555d]");
  CHECK(fmt1("[%.*d]", {uint32_t(-1), 42}) == "[42]");
}

TEST_CASE("guest format: wide formats read s and c wide, S and C narrow, h narrow, l and w wide") {
  const std::map<uint32_t, std::string> narrow = {{0x100, "ab\xE9"}};
  const std::map<uint32_t, std::u16string> wide = {{0x200, u"\u65E5\u672C"}};  // kept as UTF-16 units
  CHECK(wfmt(u"[%s][%S]", {0x200, 0x100}, narrow, wide) == u"[\u65E5\u672C][ab\u00E9]");
  CHECK(wfmt(u"[%ls][%ws][%hs][%hS][%lS]", {0x200, 0x200, 0x100, 0x100, 0x200}, narrow, wide) ==
        u"[\u65E5\u672C][\u65E5\u672C][ab\u00E9][ab\u00E9][\u65E5\u672C]");
  CHECK(wfmt(u"[%c][%C][%lc][%wc][%hc][%hC]", {0x263A, 0x41, 0x263A, 0x263A, 0x1FF, 0xE9}) ==
        u"[\u263A][A][\u263A][\u263A][\u00FF][\u00E9]");  // a narrow character is its low byte
  CHECK(wfmt(u"[%5s][%-4S][%.1s][%3c]", {0x200, 0x100, 0x200, 0x263A}, narrow, wide) ==
        u"[   \u65E5\u672C][ab\u00E9 ][\u65E5][  \u263A]");
  CHECK(wfmt(u"%d|%05x|%lld|%p|100%%", {uint32_t(-42), 0xbe, 0, 7, 0x8200ABCu}) == u"-42|000be|7|08200ABC|100%");
  CHECK(wfmt(u"bad %q and dangling %", {}) == u"bad %q and dangling %");
  CHECK(wfmt(u"\u4E2D%\u4E2D", {}) == u"\u4E2D%\u4E2D");  // a non-ASCII conversion is unknown
}

TEST_CASE("guest format: narrow formats read S and C wide, s and c narrow, h narrow, l and w wide") {
  const std::map<uint32_t, std::string> narrow = {{0x100, "ab\xE9"}};
  const std::map<uint32_t, std::u16string> wide = {{0x200, u"wi\u00E9"}};  // Latin-1 units only
  CHECK(fmt1("[%s][%S]", {0x100, 0x200}, narrow, wide) == "[ab\xE9][wi\xE9]");
  CHECK(fmt1("[%ls][%ws][%lS][%wS][%hs][%hS]", {0x200, 0x200, 0x200, 0x200, 0x100, 0x100}, narrow, wide) ==
        "[wi\xE9][wi\xE9][wi\xE9][wi\xE9][ab\xE9][ab\xE9]");
  CHECK(fmt1("[%c][%C][%lc][%wc][%hc][%hC]", {'a', 0xE9, 'l', 'w', 0x1FF, 'H'}) == "[a][\xE9][l][w][\xFF][H]");
  CHECK(fmt1("[%C]", {0x10041}) == "[A]");  // a wide character is the argument's low 16 bits
  CHECK(fmt1("[%Z][%wZ]", {}) == "[%Z][%wZ]");  // NT's ANSI_STRING / UNICODE_STRING: not modelled
}

TEST_CASE("guest format: a narrow format's wide argument takes width and precision in units") {
  const std::map<uint32_t, std::u16string> wide = {{0x200, u"abc"}};
  CHECK(fmt1("[%6S][%-5ls][%.2S][%5.1ws][%3C][%-3lc]", {0x200, 0x200, 0x200, 0x200, 'x', 'y'}, {}, wide) ==
        "[   abc][abc  ][ab][    a][  x][y  ]");
  CHECK(fmt1("[%*.*S]", {4, 2, 0x200}, {}, wide) == "[  ab]");
}

TEST_CASE("guest format: a narrow format fails on a wide unit above 0xFF, not before it is printed") {
  const std::map<uint32_t, std::u16string> wide = {{0x200, u"ok\u0100"}, {0x300, u"\u65E5"}};
  CHECK(fmt1("[%S]", {0x200}, {}, wide) == "<failed>");
  CHECK(fmt1("[%ls]", {0x300}, {}, wide) == "<failed>");
  CHECK(fmt1("[%ws]", {0x300}, {}, wide) == "<failed>");
  CHECK(fmt1("[%C]", {0x263A}, {}, wide) == "<failed>");
  CHECK(fmt1("[%lc]", {0x100}, {}, wide) == "<failed>");
  CHECK(fmt1("[%wc]", {0xFFFF}, {}, wide) == "<failed>");
  CHECK(fmt1("[%C]", {0xFF}, {}, wide) == "[\xFF]");  // the last unit that maps
  // Units past the precision are never converted, so they cannot fail.
  CHECK(fmt1("[%.2S]", {0x200}, {}, wide) == "[ok]");
  CHECK(fmt1("[%.0ls]", {0x300}, {}, wide) == "[]");
  // The failure ends the formatting: the arguments after it are not read.
  Args rest({0x300, 7, 0x100}, {{0x100, "later"}}, wide);
  CHECK_FALSE(format_guest(std::string("%S %d %s"), rest).has_value());
  CHECK(rest.left() == 2);
  // A narrow or wide argument of a narrow format, or anything in a wide format, never fails.
  CHECK(fmt1("[%s][%c]", {0x100, 0x1FF}, {{0x100, "\xFF"}}) == "[\xFF][\xFF]");
}

TEST_CASE("guest format: a NULL wide string argument prints (null) in a narrow format") {
  // The reader gives "(null)" for a NULL pointer (GuestWString::read), which narrows as it is.
  Args a({0, 0}, {{0, "(null)"}}, {{0, u"(null)"}});
  CHECK(format_guest(std::string("[%S][%.3ls]"), a) == "[(null)][(nu]");
  CHECK(a.left() == 0);
}
