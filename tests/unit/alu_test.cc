// Integer arithmetic/logical unit. Expected values follow the Power ISA definitions (worked out
// by hand in the comments); the SF=1 cases were also run under qemu-ppc64, except where noted.
#include "int_harness.h"

using namespace int_test;

namespace {
// Extended opcodes (XO-form arithmetic, X-form logical).
enum : uint32_t {
  kAdd = 266, kAddc = 10, kAdde = 138, kAddme = 234, kAddze = 202,
  kSubf = 40, kSubfc = 8, kSubfe = 136, kSubfme = 232, kSubfze = 200, kNeg = 104,
  kMullw = 235, kMulhw = 75, kMulhwu = 11, kMulld = 233, kMulhd = 73, kMulhdu = 9,
  kDivw = 491, kDivwu = 459, kDivd = 489, kDivdu = 457,
  kAnd = 28, kAndc = 60, kOr = 444, kOrc = 412, kXor = 316, kNand = 476, kNor = 124, kEqv = 284,
  kExtsb = 954, kExtsh = 922, kExtsw = 986, kCntlzw = 26, kCntlzd = 58, kPopcntb = 122, kCmpb = 508,
};
constexpr uint8_t LT = kCrLT, GT = kCrGT, EQ = kCrEQ, SO = kCrSO;
}  // namespace

TEST_CASE("addi/addis: (RA|0) and sign-extended immediates") {
  Guest g(true);
  g.r(0) = 0x1000;  // ignored as RA=0
  g.r(4) = 0x10;
  g.run({D(14, 3, 0, -1), D(15, 5, 0, int16_t(0x8000)), D(14, 6, 4, -0x20), D(15, 7, 4, 1)});
  CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFFull);
  CHECK(g.r(5) == 0xFFFFFFFF80000000ull);
  CHECK(g.r(6) == 0xFFFFFFFFFFFFFFF0ull);
  CHECK(g.r(7) == 0x10010);
}

TEST_CASE("add: full 64-bit sum in both modes, CA and CR0 follow the mode") {
  SECTION("SF=0: carry out of bit 32, CR0 from the low word") {
    Guest g(false);
    g.r(4) = 0xFFFFFFFF;
    g.r(5) = 1;
    g.run({XO(kAddc, 3, 4, 5, true, true)});
    CHECK(g.r(3) == 0x100000000ull);
    CHECK(g.xer3() == 1);  // CA
    CHECK(g.ctx.cr[0] == EQ);
  }
  SECTION("SF=1: no carry out of bit 0, CR0 from the 64-bit value") {
    Guest g(true);
    g.r(4) = 0xFFFFFFFF;
    g.r(5) = 1;
    g.run({XO(kAddc, 3, 4, 5, true, true)});
    CHECK(g.r(3) == 0x100000000ull);
    CHECK(g.xer3() == 0);
    CHECK(g.ctx.cr[0] == GT);
  }
}

TEST_CASE("addo: 32-bit signed overflow in SF=0, 64-bit in SF=1") {
  SECTION("SF=0 0x7FFFFFFF + 1 overflows, SO copied into CR0") {
    Guest g(false);
    g.r(4) = 0x7FFFFFFF;
    g.r(5) = 1;
    g.run({XO(kAdd, 3, 4, 5, true, true)});
    CHECK(g.r(3) == 0x80000000ull);
    CHECK(g.xer3() == 6);  // SO OV
    CHECK(g.ctx.cr[0] == (LT | SO));
  }
  SECTION("SF=1 the same sum is in range") {
    Guest g(true);
    g.r(4) = 0x7FFFFFFF;
    g.r(5) = 1;
    g.run({XO(kAdd, 3, 4, 5, true, true)});
    CHECK(g.r(3) == 0x80000000ull);
    CHECK(g.xer3() == 0);
    CHECK(g.ctx.cr[0] == GT);
  }
  SECTION("SF=1 0x7FFF...F + 1 overflows") {
    Guest g(true);
    g.r(4) = 0x7FFFFFFFFFFFFFFFull;
    g.r(5) = 1;
    g.run({XO(kAdd, 3, 4, 5, true, true)});
    CHECK(g.r(3) == 0x8000000000000000ull);
    CHECK(g.xer3() == 6);
    CHECK(g.ctx.cr[0] == (LT | SO));
  }
  SECTION("SF=0 sum of two negatives overflowing below 0x80000000") {
    Guest g(false);
    g.r(4) = 0x80000000;
    g.r(5) = 0xFFFFFFFF;
    g.run({XO(kAddc, 3, 4, 5, true, false)});
    CHECK(g.r(3) == 0x17FFFFFFFull);
    CHECK(g.xer3() == 7);  // SO OV CA
  }
}

TEST_CASE("OV is rewritten by each OE=1 op, SO is sticky and copied by any record form") {
  Guest g(true);
  g.r(4) = 0x7FFFFFFFFFFFFFFFull;
  g.r(5) = 1;
  g.r(6) = 2;
  // addo (overflow), addo r7=r5+r6 (no overflow: OV cleared, SO kept), add. (no OE).
  g.run({XO(kAdd, 3, 4, 5, true), XO(kAdd, 7, 5, 6, true), XO(kAdd, 8, 5, 6, false, true)});
  CHECK(g.r(7) == 3);
  CHECK(g.xer3() == 4);  // SO only
  CHECK(g.ctx.cr[0] == (GT | SO));
}

TEST_CASE("adde/addze/addme consume CA") {
  SECTION("128-bit add via addc + adde, SF=1") {
    Guest g(true);
    // (1:FFFF...F) + (0:1) = (2:0)
    g.r(4) = 0xFFFFFFFFFFFFFFFFull, g.r(5) = 1, g.r(6) = 1, g.r(7) = 0;
    g.run({XO(kAddc, 3, 4, 5), XO(kAdde, 8, 6, 7)});
    CHECK(g.r(3) == 0);
    CHECK(g.r(8) == 2);
    CHECK(g.xer3() == 0);
  }
  SECTION("adde carry-in alone produces a carry, SF=0") {
    Guest g(false);
    g.ctx.xer_ca = 1;
    g.r(4) = 0xFFFFFFFF, g.r(5) = 0;
    g.run({XO(kAdde, 3, 4, 5, false, true)});
    CHECK(g.r(3) == 0x100000000ull);
    CHECK(g.xer3() == 1);
    CHECK(g.ctx.cr[0] == EQ);
  }
  SECTION("addze") {
    Guest g(true);
    g.ctx.xer_ca = 1;
    g.r(4) = 0x7FFFFFFFFFFFFFFFull;
    g.run({XO(kAddze, 3, 4, 0, true, true)});
    CHECK(g.r(3) == 0x8000000000000000ull);
    CHECK(g.xer3() == 6);  // overflow, no carry
    CHECK(g.ctx.cr[0] == (LT | SO));
  }
  SECTION("addme with CA=0: RA - 1; carry unless RA is 0") {
    Guest g(true);
    g.r(4) = 0;
    g.r(5) = 5;
    g.run({XO(kAddme, 3, 4, 0, true, true)});
    CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFFull);
    CHECK(g.xer3() == 0);
    CHECK(g.ctx.cr[0] == LT);
    g.run({XO(kAddme, 3, 5, 0)});
    CHECK(g.r(3) == 4);
    CHECK(g.xer3() == 1);
  }
  SECTION("addme in SF=0: carry out of bit 32") {
    Guest g(false);
    g.r(4) = 0x100000000ull;  // low word 0: no carry in 32-bit terms
    g.run({XO(kAddme, 3, 4, 0)});
    CHECK(g.r(3) == 0xFFFFFFFFull);
    CHECK(g.xer3() == 0);
  }
}

TEST_CASE("subf family: RB - RA, CA = no borrow") {
  SECTION("subf") {
    Guest g(true);
    g.r(4) = 5, g.r(5) = 3;
    g.run({XO(kSubf, 3, 4, 5, false, true)});
    CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFEull);
    CHECK(g.ctx.cr[0] == LT);
  }
  SECTION("subfc SF=1: 0x100000000 - 1 does not borrow") {
    Guest g(true);
    g.r(4) = 1, g.r(5) = 0x100000000ull;
    g.run({XO(kSubfc, 3, 4, 5, false, true)});
    CHECK(g.r(3) == 0xFFFFFFFFull);
    CHECK(g.xer3() == 1);
    CHECK(g.ctx.cr[0] == GT);
  }
  SECTION("subfc SF=0: the low words 0 - 1 borrow") {
    Guest g(false);
    g.r(4) = 1, g.r(5) = 0x100000000ull;
    g.run({XO(kSubfc, 3, 4, 5, false, true)});
    CHECK(g.r(3) == 0xFFFFFFFFull);
    CHECK(g.xer3() == 0);
    CHECK(g.ctx.cr[0] == LT);
  }
  SECTION("subfco overflow SF=0: 0x80000000 - 1") {
    Guest g(false);
    g.r(4) = 1, g.r(5) = 0x80000000;
    g.run({XO(kSubfc, 3, 4, 5, true, true)});
    CHECK(g.r(3) == 0x7FFFFFFF);
    CHECK(g.xer3() == 7);
    CHECK(g.ctx.cr[0] == (GT | SO));
  }
  SECTION("subfe with CA=0 is RB - RA - 1") {
    Guest g(true);
    g.r(4) = 5, g.r(5) = 3;
    g.run({XO(kSubfe, 3, 4, 5)});
    CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFDull);
    CHECK(g.xer3() == 0);
  }
  SECTION("subfe with CA=1 is RB - RA") {
    Guest g(true);
    g.ctx.xer_ca = 1;
    g.r(4) = 3, g.r(5) = 5;
    g.run({XO(kSubfe, 3, 4, 5)});
    CHECK(g.r(3) == 2);
    CHECK(g.xer3() == 1);
  }
  SECTION("subfze: ~RA + CA") {
    Guest g(true);
    g.r(4) = 0;
    g.run({XO(kSubfze, 3, 4, 0)});
    CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFFull);
    CHECK(g.xer3() == 0);
    g.ctx.xer_ca = 1;
    g.run({XO(kSubfze, 3, 4, 0)});
    CHECK(g.r(3) == 0);
    CHECK(g.xer3() == 1);
  }
  SECTION("subfmeo: ~RA - 1 + CA") {
    Guest g(true);
    g.r(4) = 0x8000000000000000ull;
    g.run({XO(kSubfme, 3, 4, 0, true, true)});
    // ~RA = 0x7FFF...F; + 0xFFFF...F = 0x7FFF...FE with carry, no overflow.
    CHECK(g.r(3) == 0x7FFFFFFFFFFFFFFEull);
    CHECK(g.xer3() == 1);
    CHECK(g.ctx.cr[0] == GT);
  }
  SECTION("subfic: imm - RA with CA") {
    Guest g(true);
    g.r(4) = 0, g.r(5) = 1;
    g.run({D(8, 3, 4, 0)});
    CHECK(g.r(3) == 0);
    CHECK(g.xer3() == 1);
    g.run({D(8, 3, 5, 0)});
    CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFFull);
    CHECK(g.xer3() == 0);
  }
}

TEST_CASE("addic/addic.: CA by mode, addic. always records") {
  SECTION("SF=0") {
    Guest g(false);
    g.r(4) = 0xFFFFFFFF;
    g.run({D(12, 3, 4, 1), D(13, 5, 4, 1)});
    CHECK(g.r(3) == 0x100000000ull);
    CHECK(g.r(5) == 0x100000000ull);
    CHECK(g.xer3() == 1);
    CHECK(g.ctx.cr[0] == EQ);
  }
  SECTION("SF=1") {
    Guest g(true);
    g.r(4) = 0xFFFFFFFF;
    g.run({D(13, 3, 4, 1)});
    CHECK(g.r(3) == 0x100000000ull);
    CHECK(g.xer3() == 0);
    CHECK(g.ctx.cr[0] == GT);
    g.r(4) = 0xFFFFFFFFFFFFFFFFull;
    g.run({D(13, 3, 4, -1)});
    CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFEull);
    CHECK(g.xer3() == 1);
    CHECK(g.ctx.cr[0] == LT);
  }
}

TEST_CASE("neg: OV only for the mode's most negative value, CA untouched") {
  SECTION("SF=0 0x80000000") {
    Guest g(false);
    g.ctx.xer_ca = 1;
    g.r(4) = 0x80000000;
    g.run({XO(kNeg, 3, 4, 0, true, true)});
    CHECK(g.r(3) == 0xFFFFFFFF80000000ull);
    CHECK(g.xer3() == 7);
    CHECK(g.ctx.cr[0] == (LT | SO));
  }
  SECTION("SF=1 0x80000000 is an ordinary value") {
    Guest g(true);
    g.r(4) = 0x80000000;
    g.run({XO(kNeg, 3, 4, 0, true, true)});
    CHECK(g.r(3) == 0xFFFFFFFF80000000ull);
    CHECK(g.xer3() == 0);
    CHECK(g.ctx.cr[0] == LT);
  }
  SECTION("SF=1 0x8000000000000000") {
    Guest g(true);
    g.r(4) = 0x8000000000000000ull;
    g.run({XO(kNeg, 3, 4, 0, true, true)});
    CHECK(g.r(3) == 0x8000000000000000ull);
    CHECK(g.xer3() == 6);
    CHECK(g.ctx.cr[0] == (LT | SO));
  }
}

TEST_CASE("multiply") {
  SECTION("mulli is a 64-bit product") {
    Guest g(false);
    g.r(4) = 0x100000000ull;
    g.run({D(7, 3, 4, -2)});
    CHECK(g.r(3) == 0xFFFFFFFE00000000ull);
  }
  SECTION("mullw: 64-bit product of the signed low words") {
    Guest g(true);
    g.r(4) = 0x123456787FFFFFFFull, g.r(5) = 0xABCDEF00FFFFFFFFull;
    g.run({XO(kMullw, 3, 4, 5, true, true)});
    CHECK(g.r(3) == 0xFFFFFFFF80000001ull);  // 0x7FFFFFFF * -1
    CHECK(g.xer3() == 0);
    CHECK(g.ctx.cr[0] == LT);
  }
  SECTION("mullwo overflow beyond 32 bits, SF=1 and SF=0 CR0") {
    Guest g(true);
    g.r(4) = 0x10000, g.r(5) = 0x10000;
    g.run({XO(kMullw, 3, 4, 5, true, true)});
    CHECK(g.r(3) == 0x100000000ull);
    CHECK(g.xer3() == 6);
    CHECK(g.ctx.cr[0] == (GT | SO));
    Guest h(false);
    h.r(4) = 0x10000, h.r(5) = 0x10000;
    h.run({XO(kMullw, 3, 4, 5, true, true)});
    CHECK(h.r(3) == 0x100000000ull);
    CHECK(h.xer3() == 6);
    CHECK(h.ctx.cr[0] == (EQ | SO));
  }
  SECTION("mulhw sign-extends the high word, mulhwu zero-extends it") {
    // The ISA leaves RT[0:31] undefined; the conformance cases expect sign extension for mulhw
    // (qemu-ppc64 zero-extends it).
    Guest g(true);
    g.r(4) = 0xFFFFFFFF, g.r(5) = 1, g.r(6) = 0x7FFFFFFF;
    g.run({XO(kMulhw, 3, 4, 5), XO(kMulhwu, 7, 4, 4), XO(kMulhw, 8, 6, 6), XO(kMulhwu, 9, 4, 5, false, true)});
    CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFFull);  // -1 * 1 = -1: high word -1
    CHECK(g.r(7) == 0xFFFFFFFEull);          // 0xFFFFFFFF^2 = 0xFFFFFFFE_00000001
    CHECK(g.r(8) == 0x3FFFFFFFull);          // 0x7FFFFFFF^2 = 0x3FFFFFFF_00000001
    CHECK(g.r(9) == 0);
    CHECK(g.ctx.cr[0] == EQ);
  }
  SECTION("mulld/mulldo in both modes is a 64-bit operation") {
    for (bool sf : {false, true}) {
      Guest g(sf);
      g.r(4) = 0x100000000ull, g.r(5) = 0x100000000ull, g.r(6) = 0xFFFFFFFFFFFFFFFDull, g.r(7) = 7;
      g.run({XO(kMulld, 3, 4, 5, true, true), XO(kMulld, 8, 6, 7, true)});
      CHECK(g.r(3) == 0);
      CHECK(g.r(8) == 0xFFFFFFFFFFFFFFEBull);  // -21
      CHECK(g.xer3() == 4);                     // second op cleared OV; SO stays
      CHECK(g.ctx.cr[0] == (EQ | SO));
    }
  }
  SECTION("mulhd/mulhdu") {
    Guest g(true);
    g.r(4) = 0x8000000000000000ull, g.r(5) = 2, g.r(6) = 0xFFFFFFFFFFFFFFFFull;
    g.run({XO(kMulhd, 3, 4, 5), XO(kMulhdu, 7, 4, 5), XO(kMulhdu, 8, 6, 6), XO(kMulhd, 9, 6, 6, false, true)});
    CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFFull);  // -2^63 * 2 = -2^64
    CHECK(g.r(7) == 1);                      // 2^63 * 2 = 2^64
    CHECK(g.r(8) == 0xFFFFFFFFFFFFFFFEull);  // (2^64-1)^2 = 2^128 - 2^65 + 1
    CHECK(g.r(9) == 0);                      // -1 * -1 = 1
    CHECK(g.ctx.cr[0] == EQ);
  }
}

TEST_CASE("divide: truncating quotients") {
  Guest g(true);
  g.r(4) = 0xFFFFFFFFFFFFFFFAull, g.r(5) = 3, g.r(6) = 7, g.r(7) = 0xFFFFFFFE;
  g.r(8) = 0xFFFFFFFFFFFFFFF9ull, g.r(9) = 2;
  g.r(10) = 0xFFFFFFFF00000064ull, g.r(11) = 0x0000000700000007ull;
  g.run({XO(kDivw, 3, 4, 5), XO(kDivw, 12, 6, 7), XO(kDivd, 13, 8, 9), XO(kDivdu, 14, 8, 9),
         XO(kDivwu, 15, 10, 11), XO(kDivwu, 16, 7, 5)});
  CHECK(g.r(3) == 0xFFFFFFFEull);  // -6 / 3 = -2, zero-extended word (as qemu)
  CHECK(g.r(12) == 0xFFFFFFFDull);  // 7 / -2 = -3
  CHECK(g.r(13) == 0xFFFFFFFFFFFFFFFDull);  // -7 / 2 = -3
  CHECK(g.r(14) == 0x7FFFFFFFFFFFFFFCull);  // (2^64-7) / 2
  CHECK(g.r(15) == 14);                     // 100 / 7, high words ignored
  CHECK(g.r(16) == 0x55555554);             // 0xFFFFFFFE / 3
  CHECK(g.xer3() == 0);
}

TEST_CASE("divide by zero and overflow: result 0, OV set with OE=1") {
  SECTION("divwo. by zero / most negative by -1") {
    Guest g(false);
    g.r(4) = 1, g.r(5) = 0, g.r(6) = 0x80000000, g.r(7) = 0xFFFFFFFFFFFFFFFFull;
    g.r(3) = 0x1234;
    g.run({XO(kDivw, 3, 4, 5, true, true)});
    CHECK(g.r(3) == 0);
    CHECK(g.xer3() == 6);
    CHECK(g.ctx.cr[0] == (EQ | SO));
    g.ctx.xer_so = g.ctx.xer_ov = 0;
    g.run({XO(kDivw, 3, 6, 7, true)});
    CHECK(g.r(3) == 0);
    CHECK(g.xer3() == 6);
  }
  SECTION("an ordinary divwo clears OV, SO stays") {
    Guest g(true);
    g.r(4) = 6, g.r(5) = 3, g.r(6) = 0;
    g.run({XO(kDivw, 3, 4, 6, true), XO(kDivw, 7, 4, 5, true)});
    CHECK(g.r(7) == 2);
    CHECK(g.xer3() == 4);
  }
  SECTION("divwu/divd/divdu") {
    Guest g(true);
    g.r(4) = 5, g.r(5) = 0xFFFFFFFF00000000ull, g.r(6) = 0x8000000000000000ull, g.r(7) = 0xFFFFFFFFFFFFFFFFull;
    g.r(8) = 0;
    g.run({XO(kDivwu, 3, 4, 5, true)});  // divisor's low word is 0
    CHECK(g.r(3) == 0);
    CHECK(g.xer3() == 6);
    g.ctx.xer_so = g.ctx.xer_ov = 0;
    g.run({XO(kDivd, 3, 6, 7, true, true)});
    CHECK(g.r(3) == 0);
    CHECK(g.xer3() == 6);
    CHECK(g.ctx.cr[0] == (EQ | SO));
    g.ctx.xer_so = g.ctx.xer_ov = 0;
    g.run({XO(kDivd, 3, 4, 8, true)});
    CHECK(g.r(3) == 0);
    CHECK(g.xer3() == 6);
    g.ctx.xer_so = g.ctx.xer_ov = 0;
    g.run({XO(kDivdu, 3, 7, 8, true), XO(kDivd, 9, 6, 5)});  // divd w/o OE: OV untouched
    CHECK(g.r(3) == 0);
    CHECK(g.r(9) == 0x80000000ull);  // -2^63 / -2^32 = 2^31
    CHECK(g.xer3() == 6);
  }
  SECTION("divd with the low word of 0x80000000 by -1 is fine in 64 bits") {
    Guest g(true);
    g.r(4) = 0x80000000, g.r(5) = 0xFFFFFFFFFFFFFFFFull;
    g.run({XO(kDivd, 3, 4, 5, true)});
    CHECK(g.r(3) == 0xFFFFFFFF80000000ull);
    CHECK(g.xer3() == 0);
  }
}

TEST_CASE("logical immediates") {
  SECTION("andi./andis. CR0 by mode") {
    Guest g(false);
    g.r(4) = 0xFFFFFFFFFFFFFFFFull;
    g.run({D(28, 4, 3, 0x8000)});
    CHECK(g.r(3) == 0x8000);
    CHECK(g.ctx.cr[0] == GT);
    g.run({D(29, 4, 5, 0xCAFE)});
    CHECK(g.r(5) == 0xCAFE0000ull);
    CHECK(g.ctx.cr[0] == LT);  // low word negative
    Guest h(true);
    h.r(4) = 0xFFFFFFFFFFFFFFFFull;
    h.ctx.xer_so = 1;
    h.run({D(29, 4, 5, 0xCAFE)});
    CHECK(h.r(5) == 0xCAFE0000ull);
    CHECK(h.ctx.cr[0] == (GT | SO));
    h.run({D(28, 4, 5, 0)});
    CHECK(h.ctx.cr[0] == (EQ | SO));
  }
  SECTION("ori/oris/xori/xoris leave CR0 alone") {
    Guest g(true);
    g.r(4) = 0xFFFF0000FFFF0000ull;
    g.run({D(24, 4, 3, 0x1234), D(25, 4, 5, 0x1234), D(26, 4, 6, 0xFFFF), D(27, 4, 7, 0xFFFF)});
    CHECK(g.r(3) == 0xFFFF0000FFFF1234ull);
    CHECK(g.r(5) == 0xFFFF0000FFFF0000ull);
    CHECK(g.r(6) == 0xFFFF0000FFFFFFFFull);
    CHECK(g.r(7) == 0xFFFF000000000000ull);
    CHECK(g.ctx.cr[0] == 0);
  }
}

TEST_CASE("logical register forms") {
  Guest g(true);
  g.r(4) = 0xFF00FF00F0F0F0F0ull, g.r(5) = 0x0F0F0F0FFFFF0000ull;
  g.run({X(kAnd, 4, 3, 5), X(kAndc, 4, 6, 5), X(kOr, 4, 7, 5), X(kOrc, 4, 8, 5), X(kXor, 4, 9, 5),
         X(kNand, 4, 10, 5), X(kNor, 4, 11, 5), X(kEqv, 4, 12, 5)});
  CHECK(g.r(3) == 0x0F000F00F0F00000ull);
  CHECK(g.r(6) == 0xF000F0000000F0F0ull);
  CHECK(g.r(7) == 0xFF0FFF0FFFFFF0F0ull);
  CHECK(g.r(8) == 0xFFF0FFF0F0F0FFFFull);
  CHECK(g.r(9) == 0xF00FF00F0F0FF0F0ull);
  CHECK(g.r(10) == 0xF0FFF0FF0F0FFFFFull);
  CHECK(g.r(11) == 0x00F000F000000F0Full);
  CHECK(g.r(12) == 0x0FF00FF0F0F00F0Full);
  CHECK(g.ctx.cr[0] == 0);
}

TEST_CASE("nor. of 0xFFFFFFFF: EQ in SF=0 (low word 0), LT in SF=1") {
  for (bool sf : {false, true}) {
    Guest g(sf);
    g.r(3) = 0xFFFFFFFF;
    g.run({X(kNor, 3, 3, 3, true)});
    CHECK(g.r(3) == 0xFFFFFFFF00000000ull);
    CHECK(g.ctx.cr[0] == (sf ? LT : EQ));
  }
}

TEST_CASE("sign extension") {
  Guest g(true);
  g.r(4) = 0x1234567880008080ull, g.r(5) = 0x7F7F7F7F;
  g.run({X(kExtsb, 4, 3, 0), X(kExtsh, 4, 6, 0), X(kExtsw, 4, 7, 0), X(kExtsb, 5, 8, 0), X(kExtsh, 5, 9, 0),
         X(kExtsw, 5, 10, 0, true)});
  CHECK(g.r(3) == 0xFFFFFFFFFFFFFF80ull);
  CHECK(g.r(6) == 0xFFFFFFFFFFFF8080ull);
  CHECK(g.r(7) == 0xFFFFFFFF80008080ull);
  CHECK(g.r(8) == 0x7F);
  CHECK(g.r(9) == 0x7F7F);
  CHECK(g.r(10) == 0x7F7F7F7F);
  CHECK(g.ctx.cr[0] == GT);
  Guest h(false);
  h.r(4) = 0x00000000FFFFFFFFull;
  h.run({X(kExtsw, 4, 3, 0, true)});
  CHECK(h.r(3) == 0xFFFFFFFFFFFFFFFFull);
  CHECK(h.ctx.cr[0] == LT);
}

TEST_CASE("cntlzw/cntlzd") {
  Guest g(true);
  g.r(4) = 0, g.r(5) = 0xFFFFFFFF00000000ull, g.r(6) = 0x00010000, g.r(7) = 1, g.r(8) = 0x8000000000000000ull;
  g.run({X(kCntlzw, 4, 3, 0), X(kCntlzw, 5, 9, 0), X(kCntlzw, 6, 10, 0), X(kCntlzd, 4, 11, 0), X(kCntlzd, 7, 12, 0),
         X(kCntlzd, 8, 13, 0), X(kCntlzw, 8, 14, 0, true)});
  CHECK(g.r(3) == 32);
  CHECK(g.r(9) == 32);  // only the low word counts
  CHECK(g.r(10) == 15);
  CHECK(g.r(11) == 64);
  CHECK(g.r(12) == 63);
  CHECK(g.r(13) == 0);
  CHECK(g.r(14) == 32);
  CHECK(g.ctx.cr[0] == GT);
}

TEST_CASE("popcntb and cmpb (qemu-checked)") {
  Guest g(true);
  g.r(4) = 0x01030F7FFF800000ull;
  g.r(5) = 0x1122334455667788ull, g.r(6) = 0x1100334400667700ull;
  g.run({X(kPopcntb, 4, 3, 0), X(kCmpb, 5, 7, 6)});
  CHECK(g.r(3) == 0x0102040708010000ull);
  CHECK(g.r(7) == 0xFF00FFFF00FFFF00ull);
}

TEST_CASE("results land in RT for every register pairing, RA=RT included") {
  Guest g(true);
  g.r(3) = 40, g.r(4) = 2;
  g.run({XO(kAdd, 3, 3, 3), XO(kSubf, 4, 4, 3), X(kOr, 4, 4, 4)});
  CHECK(g.r(3) == 80);
  CHECK(g.r(4) == 78);
}
