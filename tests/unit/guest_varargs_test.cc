// The guest's va_list as a FormatArgs source (kernel/xboxkrnl/exports/guest_varargs.h), in both
// modes: the console's 64-bit argument pointer (8-byte slots, a 32-bit value in the low word) and
// gcc's 32-bit SysV __va_list_tag (register save area, then the overflow area, 64-bit values in
// aligned pairs); and the two ways a %s string is read (Tolerant stops, Faulting faults).
#include <catch2/catch.hpp>

#include "cpu/memory.h"
#include "kernel/xboxkrnl/exports/guest_format.h"
#include "kernel/xboxkrnl/exports/guest_varargs.h"

using namespace hexad;
using namespace hexad::kernel;

namespace {

constexpr uint32_t kPage = 0x40000000;

struct Guest {
  cpu::Memory mem;
  Guest() { REQUIRE(mem.commit(kPage, cpu::Memory::kPageSize, cpu::kProtRW)); }
};

}  // namespace

TEST_CASE("a 64-bit-mode va_list reads 8-byte slots, a 32-bit value from the low word") {
  Guest g;
  const uint32_t list = kPage + 0x100, text = kPage + 0x800;
  g.mem.write64(list, 0xFFFFFFFF00000007ull);  // high word ignored for %d
  g.mem.write64(list + 8, 0x123456789ull);
  g.mem.write64(list + 16, text);
  g.mem.write_bytes(text, "hi", 3);
  GuestVaList args(g.mem, list, true, StringRead::Faulting);
  CHECK(format_guest("%d %llx %s", args) == "7 123456789 hi");
}

TEST_CASE("a 32-bit-mode va_list reads the register save area, then the overflow area") {
  Guest g;
  const uint32_t tag = kPage + 0x100, saved = kPage + 0x200, overflow = kPage + 0x300;
  g.mem.write8(tag, 6);  // r3..r8 used: r9 and r10 are left in the save area
  g.mem.write32(tag + 4, overflow);
  g.mem.write32(tag + 8, saved);
  g.mem.write32(saved + 4 * 6, 61);
  g.mem.write32(saved + 4 * 7, 71);
  g.mem.write32(overflow, 99);
  g.mem.write64(overflow + 8, 0xAABBCCDD11223344ull);  // a 64-bit value: the next 8-byte-aligned slot
  GuestVaList args(g.mem, tag, false, StringRead::Faulting);
  CHECK(format_guest("%d %d %d %llx", args) == "61 71 99 aabbccdd11223344");
}

TEST_CASE("a 32-bit-mode va_list takes a 64-bit value from an even register pair") {
  Guest g;
  const uint32_t tag = kPage + 0x100, saved = kPage + 0x200;
  g.mem.write8(tag, 3);  // odd: the pair starts at index 4 (r7:r8)
  g.mem.write32(tag + 8, saved);
  g.mem.write32(saved + 4 * 4, 0x1);
  g.mem.write32(saved + 4 * 5, 0x2);
  GuestVaList args(g.mem, tag, false, StringRead::Tolerant);
  CHECK(format_guest("%llx", args) == "100000002");
}

TEST_CASE("a faulting string read faults at an unmapped byte where a tolerant one stops") {
  Guest g;
  const uint32_t edge = kPage + cpu::Memory::kPageSize - 2;  // "ab" then the unmapped next page
  g.mem.write_bytes(edge, "ab", 2);
  CHECK(read_string_argument<GuestCString>(g.mem, edge, StringRead::Tolerant, SIZE_MAX) == "ab");
  CHECK_THROWS_AS(read_string_argument<GuestCString>(g.mem, edge, StringRead::Faulting, SIZE_MAX), cpu::MemoryFault);
  CHECK(read_string_argument<GuestCString>(g.mem, 0, StringRead::Faulting, SIZE_MAX) == "(null)");
  // A precision bounds the read: the CRT reads no further, so the unmapped byte is never touched.
  CHECK(read_string_argument<GuestCString>(g.mem, edge, StringRead::Faulting, 2) == "ab");
  CHECK(read_string_argument<GuestCString>(g.mem, edge, StringRead::Faulting, 1) == "a");
}

TEST_CASE("a wide string argument is read as 16-bit big-endian units, faulting or tolerant alike") {
  Guest g;
  const uint32_t edge = kPage + cpu::Memory::kPageSize - 4;  // u"\u263Ab" then the unmapped next page
  g.mem.write_bytes(edge, "\x26\x3A\x00\x62", 4);
  CHECK(read_string_argument<GuestWString>(g.mem, edge, StringRead::Tolerant, SIZE_MAX) == u"\u263Ab");
  CHECK_THROWS_AS(read_string_argument<GuestWString>(g.mem, edge, StringRead::Faulting, SIZE_MAX), cpu::MemoryFault);
  CHECK(read_string_argument<GuestWString>(g.mem, 0, StringRead::Faulting, SIZE_MAX) == u"(null)");
  g.mem.write_bytes(edge, "\x00\x41\x00\x00", 4);
  CHECK(read_string_argument<GuestWString>(g.mem, edge, StringRead::Faulting, SIZE_MAX) == u"A");
  g.mem.write_bytes(edge, "\x00\x41\x00\x42", 4);  // no NUL before the unmapped page
  CHECK(read_string_argument<GuestWString>(g.mem, edge, StringRead::Faulting, 2) == u"AB");
  CHECK_THROWS_AS(read_string_argument<GuestWString>(g.mem, edge, StringRead::Faulting, 3), cpu::MemoryFault);
}
