// Compare and CR unit. Expected values follow the Power ISA; the SF=1 runs of the same
// instructions were also checked under qemu-ppc64 (one-field forms with other than one FXM bit
// included: qemu leaves RT / CR unchanged, which the implementation follows).
#include "int_harness.h"

using namespace int_test;

namespace {
enum : uint32_t { kCmp = 0, kCmpl = 32, kCmpi = 11, kCmpli = 10 };
enum : uint32_t {
  kCrand = 257, kCror = 449, kCrxor = 193, kCrnand = 225, kCrnor = 33, kCreqv = 289, kCrandc = 129, kCrorc = 417,
  kMcrf = 0,
};
enum : uint32_t { kMfcr = 19, kMtcrf = 144, kMcrxr = 512 };
constexpr uint8_t LT = kCrLT, GT = kCrGT, EQ = kCrEQ, SO = kCrSO;
}  // namespace

TEST_CASE("compares: L selects 32- or 64-bit operands in either mode") {
  for (bool sf : {false, true}) {
    Guest g(sf);
    g.r(4) = 0x00000001FFFFFFFFull, g.r(5) = 0;
    g.run({
        CMP(kCmp, 1, false, 4, 5),      // cmpw: -1 < 0
        CMP(kCmp, 2, true, 4, 5),       // cmpd: positive > 0
        CMP(kCmpl, 3, false, 4, 5),     // cmplw: 0xFFFFFFFF > 0
        CMPI(kCmpi, 4, false, 4, -1),   // cmpwi: -1 == -1
        CMPI(kCmpli, 5, false, 4, 0xFFFF),  // cmplwi: 0xFFFFFFFF > 0xFFFF
        CMPI(kCmpi, 6, true, 4, -1),    // cmpdi: > -1
        CMPI(kCmpli, 7, true, 4, 0xFFFF),   // cmpldi: > 0xFFFF
    });
    INFO("sf=" << sf);
    CHECK(g.ctx.cr_word() == 0x08442444u);
  }
}

TEST_CASE("compares: unsigned vs signed orderings and equality") {
  Guest g(true);
  g.r(4) = 0xFFFFFFFF00000000ull, g.r(5) = 0x7FFFFFFFFFFFFFFFull, g.r(6) = 0xFFFFFFFF00000000ull;
  g.run({
      CMP(kCmp, 0, true, 4, 5),          // negative < positive
      CMP(kCmpl, 1, true, 4, 5),         // but unsigned greater
      CMP(kCmp, 2, true, 4, 6),          // equal
      CMP(kCmp, 3, false, 4, 5),         // low words 0 vs -1: GT
      CMP(kCmpl, 4, false, 4, 5),        // low words 0 vs 0xFFFFFFFF: LT
      CMPI(kCmpli, 5, true, 4, 0xFFFF),  // cmpldi: huge > 0xFFFF
      CMPI(kCmpli, 6, false, 4, 0xFFFF),  // cmplwi: 0 < 0xFFFF
      CMPI(kCmpi, 7, false, 5, -32768),  // cmpwi: -1 > -32768
  });
  CHECK(g.ctx.cr_word() == 0x84248484u);
}

TEST_CASE("compares copy XER[SO] and touch only their field") {
  Guest g(true);
  g.ctx.set_cr_word(0x12345678);
  g.ctx.xer_so = 1;
  g.r(4) = 1, g.r(5) = 0;
  g.run({CMP(kCmp, 1, false, 4, 5), CMPI(kCmpli, 6, false, 5, 0)});
  CHECK(g.ctx.cr_word() == 0x15345638u);
}

TEST_CASE("CR logical ops") {
  Guest g(true);
  g.ctx.set_cr_word(0x5A000000);  // CR0 = 0101, CR1 = 1010
  g.run({
      XL(kCrand, 8, 0, 1),    // 0 & 1 = 0
      XL(kCror, 9, 0, 1),     // 0 | 1 = 1
      XL(kCrxor, 10, 1, 3),   // 1 ^ 1 = 0
      XL(kCrnand, 11, 1, 3),  // !(1 & 1) = 0
      XL(kCrnor, 12, 0, 2),   // !(0 | 0) = 1
      XL(kCreqv, 13, 1, 3),   // 1 == 1 = 1
      XL(kCrandc, 14, 1, 2),  // 1 & !0 = 1
      XL(kCrorc, 15, 0, 1),   // 0 | !1 = 0
      XL(kCrxor, 31, 31, 31),  // crclr
      XL(kCreqv, 30, 30, 30),  // crset
      XL(kCrand, 16, 4, 6),   // 1 & 1 = 1
      XL(kCrnand, 17, 4, 6),  // 0
      XL(kCror, 18, 5, 7),    // 0 | 0 = 0
      XL(kCrorc, 19, 5, 7),   // 0 | !0 = 1
  });
  CHECK(g.ctx.cr_word() == 0x5A4E9002u);
}

TEST_CASE("mcrf and mcrxr") {
  Guest g(true);
  g.ctx.set_cr_word(0x5A000000);
  g.run({XL(kMcrf, 28, 0, 0), XL(kMcrf, 0, 4, 0), XL(kMcrf, 8, 8, 0)});  // mcrf 7,0; mcrf 0,1; mcrf 2,2
  CHECK(g.ctx.cr_word() == 0xAA000005u);
  g.ctx.set_xer(0xE000007F);
  g.run({X(kMcrxr, 2 << 2, 0, 0)});
  CHECK(g.ctx.cr[2] == (LT | GT | EQ));
  CHECK(g.ctx.xer() == 0x7F);
  g.ctx.set_xer(0x20000000);  // CA only
  g.run({X(kMcrxr, 3 << 2, 0, 0)});
  CHECK(g.ctx.cr[3] == EQ);
  CHECK(g.ctx.xer() == 0);
}

TEST_CASE("mfcr/mtcrf") {
  Guest g(true);
  g.r(3) = 0xFFFFFFFFFFFFFFFFull;
  g.r(4) = 0xFFFFFFFF12345678ull;
  g.run({XFX(kMtcrf, 4, 0xFF, false), XFX(kMfcr, 3, 0, false)});
  CHECK(g.r(3) == 0x12345678ull);  // zero-extended
  g.ctx.set_cr_word(0xABCDEF01);
  g.run({XFX(kMtcrf, 4, 0x81, false)});  // fields 0 and 7
  CHECK(g.ctx.cr_word() == 0x1BCDEF08u);
  g.run({XFX(kMtcrf, 4, 0x00, false)});
  CHECK(g.ctx.cr_word() == 0x1BCDEF08u);
  g.run({XFX(kMtcrf, 4, 0x3C, false)});  // fields 2..5
  CHECK(g.ctx.cr_word() == 0x1B345608u);
}

TEST_CASE("mfocrf/mtocrf: one field, other FXM values change nothing") {
  Guest g(true);
  g.r(3) = 0xFFFFFFFFFFFFFFFFull, g.r(5) = 0xFFFFFFFFFFFFFFFFull, g.r(6) = 0xFFFFFFFFFFFFFFFFull;
  g.r(4) = 0x12345678;
  g.run({XFX(kMtcrf, 4, 0xFF, false), XFX(kMfcr, 3, 0x02, true), XFX(kMfcr, 5, 0x81, true),
         XFX(kMfcr, 6, 0x00, true), XFX(kMfcr, 7, 0x80, true)});
  CHECK(g.r(3) == 0x70);  // field 6 in place, the rest 0
  CHECK(g.r(5) == 0xFFFFFFFFFFFFFFFFull);
  CHECK(g.r(6) == 0xFFFFFFFFFFFFFFFFull);
  CHECK(g.r(7) == 0x10000000);
  g.ctx.set_cr_word(0xABCDEF01);
  g.run({XFX(kMtcrf, 4, 0x04, true)});  // field 5 only
  CHECK(g.ctx.cr_word() == 0xABCDE601u);
  g.run({XFX(kMtcrf, 4, 0x81, true), XFX(kMtcrf, 4, 0x00, true)});
  CHECK(g.ctx.cr_word() == 0xABCDE601u);
}
