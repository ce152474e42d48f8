// VMX unit tests: element order, saturation and VSCR[SAT], CR6 from record compares,
// lvsl/lvsr + vperm at every alignment, lvlx/lvrx/stvlx/stvrx at all 16 alignments, denormal
// flushing, NaN handling, fault atomicity, and that the VMX decoders reach the shared operations.
// Expected values follow the AltiVec PEM / Power ISA definitions (byte-wise references below).
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>

#include "cpu/context.h"
#include "cpu/interp/vmx_impl.h"
#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"

namespace {

using namespace hexad::cpu;
using vmx::Vec;

constexpr uint32_t kData = 0x10000000;
constexpr uint32_t kCode = 0x82010000;

struct VmxGuest {
  Memory mem;
  ThreadContext c{};
  VmxGuest() {
    REQUIRE(mem.commit(kData, 0x2000, kProtRW));
    REQUIRE(mem.commit(kCode, 0x1000, kProtRWX));
    reset_context(c, &mem, false);
  }
  void set(unsigned n, std::array<uint32_t, 4> w) {
    for (int k = 0; k < 4; ++k) c.vr[n][k] = w[k];
  }
  std::array<uint32_t, 4> v(unsigned n) const { return {c.vr[n][0], c.vr[n][1], c.vr[n][2], c.vr[n][3]}; }
  // Runs encoded words followed by blr.
  void run(std::initializer_list<uint32_t> words) {
    uint32_t a = kCode;
    for (uint32_t w : words) mem.write32(a, w), a += 4;
    mem.write32(a, 0x4E800020);
    Interpreter interp(mem);
    c.pc = kCode;
    c.lr = c.stop_pc = 0x1000;
    REQUIRE(interp.run(c, 1000).why == StopReason::StopPc);
  }
};

using W = std::array<uint32_t, 4>;

}  // namespace

TEST_CASE("vmx: element accessors use big-endian element order", "[vmx]") {
  Vec x{{0x00010203, 0x04050607, 0x08090A0B, 0x0C0D0E0F}};
  for (unsigned i = 0; i < 16; ++i) CHECK(x.b(i) == i);
  CHECK(x.h(0) == 0x0001);
  CHECK(x.h(5) == 0x0A0B);
  CHECK(x.word(3) == 0x0C0D0E0F);
  x.set_b(6, 0xAA);
  x.set_h(7, 0xBBCC);
  CHECK(x.w[1] == 0x0405AA07);
  CHECK(x.w[3] == 0x0C0DBBCC);
  VmxGuest g;
  g.set(40, {0x00010203, 0x04050607, 0x08090A0B, 0x0C0D0E0F});
  CHECK(vmx::vr_byte(g.c, 40, 9) == 0x09);
  CHECK(vmx::vr_half(g.c, 40, 2) == 0x0405);
  vmx::set_vr_byte(g.c, 40, 15, 0xEE);
  vmx::set_vr_half(g.c, 40, 0, 0x1234);
  CHECK(g.v(40) == W{0x12340203, 0x04050607, 0x08090A0B, 0x0C0D0EEE});
}

TEST_CASE("vmx: registers above 31 are reachable through the impl API (VMX128 range)", "[vmx]") {
  VmxGuest g;
  g.set(100, {1, 2, 3, 4});
  g.set(127, {10, 20, 30, 40});
  vmx::vadduwm(g.c, 64, 100, 127);
  CHECK(g.v(64) == W{11, 22, 33, 44});
}

TEST_CASE("vmx: saturation sets VSCR[SAT], which is sticky until mtvscr", "[vmx]") {
  VmxGuest g;
  g.set(1, {0x7FFF0001, 0, 0, 0});
  g.set(2, {0x00010001, 0, 0, 0});
  vmx::vaddshs(g.c, 3, 1, 2);
  CHECK(g.v(3) == W{0x7FFF0002, 0, 0, 0});
  CHECK(g.c.vscr == vmx::kVscrSat);
  vmx::vadduhm(g.c, 3, 1, 2);  // no saturation: SAT stays set
  CHECK(g.c.vscr == vmx::kVscrSat);
  g.set(4, {0, 0, 0, 0});
  vmx::mtvscr(g.c, 4);
  CHECK(g.c.vscr == 0);
  vmx::vaddshs(g.c, 3, 2, 2);  // no saturation: SAT stays clear
  CHECK(g.c.vscr == 0);
  vmx::vsububs(g.c, 3, 4, 2);  // 0 - 1 unsigned -> 0, saturated
  CHECK(g.v(3) == W{0, 0, 0, 0});
  CHECK(g.c.vscr == vmx::kVscrSat);
}

TEST_CASE("vmx: every saturating family saturates at both ends", "[vmx]") {
  VmxGuest g;
  struct Case {
    void (*op)(ThreadContext&, unsigned, unsigned, unsigned);
    W a, b, want;
  };
  const Case cases[] = {
      {vmx::vaddsbs, {0x7F800000, 0, 0, 0}, {0x01FF0000, 0, 0, 0}, {0x7F800000, 0, 0, 0}},
      {vmx::vaddsws, {0x80000000, 0, 0, 0}, {0xFFFFFFFF, 0, 0, 0}, {0x80000000, 0, 0, 0}},
      {vmx::vadduws, {0xFFFFFFFF, 0, 0, 0}, {0x00000001, 0, 0, 0}, {0xFFFFFFFF, 0, 0, 0}},
      {vmx::vsubsws, {0x7FFFFFFF, 0, 0, 0}, {0xFFFFFFFF, 0, 0, 0}, {0x7FFFFFFF, 0, 0, 0}},
      {vmx::vsubuhs, {0x00010000, 0, 0, 0}, {0x00020000, 0, 0, 0}, {0, 0, 0, 0}},
      {vmx::vpkswss, {0x00008000, 0, 0, 0}, {0, 0, 0, 0}, {0x7FFF0000, 0, 0, 0}},
      {vmx::vpkuhus, {0x01000000, 0, 0, 0}, {0, 0, 0, 0}, {0xFF000000, 0, 0, 0}},
  };
  for (const Case& k : cases) {
    g.c.vscr = 0;
    g.set(1, k.a);
    g.set(2, k.b);
    k.op(g.c, 3, 1, 2);
    CHECK(g.v(3) == k.want);
    CHECK(g.c.vscr == vmx::kVscrSat);
  }
}

TEST_CASE("vmx: record compares set CR6 all-true / all-false and nothing else", "[vmx]") {
  VmxGuest g;
  g.c.cr[6] = 0xF;
  g.set(1, {1, 2, 3, 4});
  g.set(2, {1, 2, 3, 4});
  vmx::vcmpequw(g.c, 3, 1, 2, true);
  CHECK(int(g.c.cr[6]) == kCrLT);
  g.set(2, {0, 0, 0, 0});
  vmx::vcmpequw(g.c, 3, 1, 2, true);
  CHECK(int(g.c.cr[6]) == kCrEQ);
  g.set(2, {1, 0, 0, 0});
  vmx::vcmpequw(g.c, 3, 1, 2, true);
  CHECK(int(g.c.cr[6]) == 0);
  g.c.cr[6] = 0x5;
  vmx::vcmpgtsw(g.c, 3, 1, 2, false);  // non-record: CR6 untouched
  CHECK(int(g.c.cr[6]) == 0x5);
  CHECK(g.v(3) == W{0, ~0u, ~0u, ~0u});
  // vcmpbfp.: EQ when every element is in bounds, LT never set.
  g.set(1, {0x3F800000, 0xBF800000, 0, 0x80000000});
  g.set(2, {0x40000000, 0x40000000, 0, 0});
  vmx::vcmpbfp(g.c, 3, 1, 2, true);
  CHECK(g.v(3) == W{0, 0, 0, 0});
  CHECK(int(g.c.cr[6]) == kCrEQ);
  g.set(1, {0x40400000, 0, 0, 0});
  vmx::vcmpbfp(g.c, 3, 1, 2, true);
  CHECK(g.v(3) == W{0x80000000, 0, 0, 0});
  CHECK(int(g.c.cr[6]) == 0);
}

TEST_CASE("vmx: lvsl/lvsr + vperm load and realign at every alignment", "[vmx]") {
  VmxGuest g;
  for (uint32_t k = 0; k < 64; ++k) g.mem.write8(kData + k, uint8_t(0x40 + k));
  for (uint32_t sh = 0; sh < 16; ++sh) {
    uint32_t ea = kData + 16 + sh;
    vmx::lvx(g.c, 1, ea);
    vmx::lvx(g.c, 2, ea + 15);  // the quadword holding the last wanted byte (== next one unless aligned)
    vmx::lvsl(g.c, 3, ea);
    vmx::vperm(g.c, 4, 1, 2, 3);
    Vec got = vmx::get(g.c, 4);
    for (unsigned i = 0; i < 16; ++i) CHECK(got.b(i) == uint8_t(0x40 + 16 + sh + i));
    // lvsr: the shift that moves register bytes to the right by sh (store-side idiom).
    vmx::lvsr(g.c, 5, ea);
    Vec r = vmx::get(g.c, 5);
    for (unsigned i = 0; i < 16; ++i) CHECK(r.b(i) == uint8_t(16 - sh + i));
  }
}

TEST_CASE("vmx: lvlx/lvrx at all 16 alignments", "[vmx]") {
  VmxGuest g;
  for (uint32_t k = 0; k < 64; ++k) g.mem.write8(kData + k, uint8_t(0x80 + k));
  for (uint32_t sh = 0; sh < 16; ++sh) {
    uint32_t ea = kData + 16 + sh;
    g.set(1, {~0u, ~0u, ~0u, ~0u});
    g.set(2, {~0u, ~0u, ~0u, ~0u});
    vmx::lvlx(g.c, 1, ea);
    vmx::lvrx(g.c, 2, ea + 16);
    Vec l = vmx::get(g.c, 1), r = vmx::get(g.c, 2);
    for (unsigned i = 0; i < 16; ++i) {
      // lvlx: bytes ea .. end of its quadword, left-justified, zero fill.
      CHECK(l.b(i) == (i < 16 - sh ? uint8_t(0x80 + 16 + sh + i) : 0));
      // lvrx at ea+16: bytes from that quadword's start up to ea+15, right-justified.
      CHECK(r.b(i) == (i >= 16 - sh ? uint8_t(0x80 + 32 + i - (16 - sh)) : 0));
    }
    // Together they load the 16 unaligned bytes at ea.
    vmx::vor(g.c, 3, 1, 2);
    Vec u = vmx::get(g.c, 3);
    for (unsigned i = 0; i < 16; ++i) CHECK(u.b(i) == uint8_t(0x80 + 16 + sh + i));
  }
}

TEST_CASE("vmx: stvlx/stvrx at all 16 alignments store exactly the unaligned quadword", "[vmx]") {
  VmxGuest g;
  g.set(1, {0xA0A1A2A3, 0xA4A5A6A7, 0xA8A9AAAB, 0xACADAEAF});
  for (uint32_t sh = 0; sh < 16; ++sh) {
    g.mem.fill(kData, 0x11, 64);
    uint32_t ea = kData + 16 + sh;
    vmx::stvlx(g.c, 1, ea);
    vmx::stvrx(g.c, 1, ea + 16);
    for (uint32_t k = 0; k < 64; ++k) {
      uint8_t want = (k >= 16 + sh && k < 32 + sh) ? uint8_t(0xA0 + (k - 16 - sh)) : 0x11;
      CHECK(g.mem.read8(kData + k) == want);
    }
  }
}

TEST_CASE("vmx: a faulting vector load leaves the register unchanged, a faulting store writes nothing", "[vmx]") {
  VmxGuest g;
  g.set(1, {1, 2, 3, 4});
  uint32_t unmapped = kData + 0x2000;
  CHECK_THROWS_AS(vmx::lvx(g.c, 1, unmapped), MemoryFault);
  CHECK_THROWS_AS(vmx::lvlx(g.c, 1, unmapped + 3), MemoryFault);
  CHECK_THROWS_AS(vmx::lvrx(g.c, 1, unmapped + 3), MemoryFault);
  CHECK(g.v(1) == W{1, 2, 3, 4});
  // lvrx at an aligned address reads nothing, so it cannot fault.
  vmx::lvrx(g.c, 1, unmapped);
  CHECK(g.v(1) == W{0, 0, 0, 0});
  g.mem.protect(kData, 0x1000, kProtRead);
  CHECK_THROWS_AS(vmx::stvx(g.c, 1, kData), MemoryFault);
  CHECK_THROWS_AS(vmx::stvlx(g.c, 1, kData + 5), MemoryFault);
  vmx::stvrx(g.c, 1, kData + 0x20);  // aligned: stores nothing, no fault
}

TEST_CASE("vmx: denormal inputs and results are flushed to signed zero", "[vmx]") {
  CHECK(vmx::flush_denormal(0x00000001) == 0);
  CHECK(vmx::flush_denormal(0x807FFFFF) == 0x80000000);
  CHECK(vmx::flush_denormal(0x00800000) == 0x00800000);
  CHECK(vmx::flush_denormal(0x7F800001) == 0x7F800001);
  CHECK(vmx::fp_add(0x00400000, 0x00400000) == 0);            // IEEE: 0x00800000
  CHECK(vmx::fp_sub(0x80800001, 0x80800000) == 0x80000000);   // IEEE: 0x80000001
  CHECK(vmx::fp_mul(0x00800000, 0x3F000000) == 0);            // 2^-127 -> +0
  CHECK(vmx::fp_mul(0x80800000, 0x3F000000) == 0x80000000);
  CHECK(vmx::fp_madd(0x00800000, 0x3F000000, 0x00000000) == 0);
  VmxGuest g;
  g.set(1, {0x00000001, 0x80000001, 0x3F800000, 0x00800000});
  vmx::vrefp(g.c, 2, 1);
  CHECK(g.v(2) == W{0x7F800000, 0xFF800000, 0x3F800000, 0x7E800000});
  vmx::vctsxs(g.c, 3, 1, 31);
  CHECK(g.v(3) == W{0, 0, 0x7FFFFFFF, 0});
}

TEST_CASE("vmx: NaN results are the first NaN operand made quiet, else the default NaN", "[vmx]") {
  CHECK(vmx::fp_add(0x7F800001, 0x7FC00002) == 0x7FC00001);
  CHECK(vmx::fp_add(0x3F800000, 0xFF800005) == 0xFFC00005);
  CHECK(vmx::fp_sub(0x7F800000, 0x7F800000) == 0x7FC00000);
  CHECK(vmx::fp_mul(0x00000000, 0xFF800000) == 0x7FC00000);
  CHECK(vmx::fp_madd(0x3F800000, 0x7FC0000C, 0x7FC0000B) == 0x7FC0000B);  // a*c+b: B before C
  CHECK(vmx::fp_madd(0x00000000, 0x7F800000, 0x7FC0000B) == 0x7FC0000B);  // NaN addend wins over 0*inf
  CHECK(vmx::fp_nmsub(0x7FC0000A, 0x3F800000, 0x3F800000) == 0x7FC0000A);  // NaN not negated
}

TEST_CASE("vmx: vmaddfp rounds the product before the add (shared suite's expectation)", "[vmx]") {
  // 1.1f * 1.1f + 1.1f: a single rounding gives 0x4013D70B, product-then-sum gives 0x4013D70A.
  CHECK(vmx::fp_madd(0x3F8CCCCD, 0x3F8CCCCD, 0x3F8CCCCD) == 0x4013D70A);
  // -(a*c - b) with a*c == b is -0.
  CHECK(vmx::fp_nmsub(0x40000000, 0x40400000, 0x40C00000) == 0x80000000);
}

TEST_CASE("vmx: the VMX decoders reach the shared operations with the right fields", "[vmx]") {
  VmxGuest g;
  for (uint32_t k = 0; k < 0x40; ++k) g.mem.write8(kData + k, uint8_t(0x40 + k));
  g.mem.fill(kData + 0x40, 0x11, 16);
  g.set(4, {0x00010203, 0x04050607, 0x08090A0B, 0x0C0D0E0F});
  g.set(5, {0x10111213, 0x14151617, 0x18191A1B, 0x1C1D1E1F});
  g.set(6, {0x1F1E1D1C, 0x03020100, 0x10101010, 0x0F0F0F0F});
  g.set(7, {0x3F800000, 0x40000000, 0x40400000, 0x40800000});
  g.set(8, {0x40000000, 0x40000000, 0x40000000, 0x40000000});
  g.set(9, {0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000});
  g.c.gpr[20] = kData + 0x1D;
  g.c.gpr[21] = kData + 0x40;
  g.c.gpr[22] = 2;
  // Words from powerpc64-linux-gnu-as -maltivec -mcell.
  g.run({
      0x106429AB,  // vperm v3,v4,v5,v6
      0x11474A2E,  // vmaddfp v10,v7,v8,v9  (v7*v8 + v9)
      0x116428EC,  // vsldoi v11,v4,v5,3
      0x119D030C,  // vspltisb v12,-3
      0x11A2228C,  // vspltw v13,v4,2
      0x11C42486,  // vcmpequw. v14,v4,v4
      0x11E23BCA,  // vctsxs v15,v7,2
      0x7E00A40E,  // lvlx v16,0,r20
      0x7C95B54E,  // stvrx v4,r21,r22
      0x7E20A00C,  // lvsl v17,0,r20
  });
  CHECK(g.v(3) == W{0x1F1E1D1C, 0x03020100, 0x10101010, 0x0F0F0F0F});
  CHECK(g.v(10) == W{0x40400000, 0x40A00000, 0x40E00000, 0x41100000});
  CHECK(g.v(11) == W{0x03040506, 0x0708090A, 0x0B0C0D0E, 0x0F101112});
  CHECK(g.v(12) == W{0xFDFDFDFD, 0xFDFDFDFD, 0xFDFDFDFD, 0xFDFDFDFD});
  CHECK(g.v(13) == W{0x08090A0B, 0x08090A0B, 0x08090A0B, 0x08090A0B});
  CHECK(g.v(14) == W{~0u, ~0u, ~0u, ~0u});
  CHECK(int(g.c.cr[6]) == kCrLT);
  CHECK(g.v(15) == W{4, 8, 12, 16});
  CHECK(g.v(16) == W{0x5D5E5F00, 0, 0, 0});
  CHECK(g.mem.read32(kData + 0x40) == 0x0E0F1111);
  CHECK(g.v(17) == W{0x0D0E0F10, 0x11121314, 0x15161718, 0x191A1B1C});
}
