// Scalar FPU arithmetic: rounding modes, FR/FI, NaN propagation, invalid operations, zero
// divide, overflow/underflow (tininess before rounding), enabled exceptions, fused multiply-add
// with a single rounding (double and single), Rc=1. Expected values are derived from the ISA
// (Book I ch. 4) by hand in each comment; the paths were also cross-checked against
// qemu-ppc64 -cpu power7 by a differential run (see fpu_common.h for where hexad deliberately
// follows the ISA instead of qemu).
#include <cstring>

#include "int_harness.h"

namespace {
using namespace int_test;

// A-form: op frt,fra,frc,frb (fmul: frb=0; fsqrt/fres/frsqrte: fra=frc=0).
constexpr uint32_t FA(uint32_t op, uint32_t xo, uint32_t t, uint32_t a, uint32_t b, uint32_t c, bool rc = false) {
  return op << 26 | t << 21 | a << 16 | b << 11 | c << 6 | xo << 1 | uint32_t(rc);
}
static_assert(FA(63, 21, 3, 1, 2, 0) == 0xFC61102A);         // fadd f3,f1,f2
static_assert(FA(59, 21, 3, 1, 2, 0, true) == 0xEC61102B);   // fadds. f3,f1,f2
static_assert(FA(63, 25, 3, 1, 0, 4) == 0xFC610132);         // fmul f3,f1,f4
static_assert(FA(59, 29, 3, 1, 2, 4) == 0xEC61113A);         // fmadds f3,f1,f4,f2
static_assert(FA(63, 30, 3, 1, 2, 4, true) == 0xFC61113D);   // fnmsub. f3,f1,f4,f2
static_assert(FA(63, 22, 3, 0, 2, 0) == 0xFC60102C);         // fsqrt f3,f2

// FPSCR bits (IBM numbering in the 32-bit register).
constexpr uint32_t B(int n) { return 1u << (31 - n); }
constexpr uint32_t FX = B(0), FEX = B(1), VX = B(2), OX = B(3), UX = B(4), ZX = B(5), XX = B(6), VXSNAN = B(7),
                   VXISI = B(8), VXIDI = B(9), VXZDZ = B(10), VXIMZ = B(11), FR = B(13), FI = B(14),
                   VXSQRT = B(22), VE = B(24), OE = B(25), UE = B(26), ZE = B(27);
// FPRF values placed in the FPSCR.
constexpr uint32_t P(uint32_t cls) { return cls << 12; }
constexpr uint32_t kQNaN = P(0x11), kNegInf = P(0x09), kNegNorm = P(0x08), kNegZero = P(0x12), kPosZero = P(0x02),
                   kPosDenorm = P(0x14), kPosNorm = P(0x04), kPosInf = P(0x05), kNegDenorm = P(0x18);

uint64_t d(double v) {
  uint64_t b;
  std::memcpy(&b, &v, 8);
  return b;
}
constexpr uint64_t kOne = 0x3FF0000000000000;
constexpr uint64_t kTwoM53 = 0x3CA0000000000000;  // 2^-53
constexpr uint64_t kMax = 0x7FEFFFFFFFFFFFFF;
constexpr uint64_t kInf = 0x7FF0000000000000;
constexpr uint64_t kDefaultNaN = 0x7FF8000000000000;
constexpr uint64_t kSentinel = 0x5A5A5A5A5A5A5A5A;

struct Fp {
  Guest g{true};
  Fp(uint32_t fpscr, uint64_t f1, uint64_t f2 = 0, uint64_t f4 = 0) {
    g.ctx.fpscr = fpscr;
    g.ctx.fpr[1] = f1, g.ctx.fpr[2] = f2, g.ctx.fpr[4] = f4, g.ctx.fpr[3] = kSentinel;
  }
  Fp& run(uint32_t w) {
    g.run({w});
    return *this;
  }
  uint64_t f3() const { return g.ctx.fpr[3]; }
  uint32_t fpscr() const { return g.ctx.fpscr; }
};

uint32_t fadd(bool rc = false) { return FA(63, 21, 3, 1, 2, 0, rc); }
uint32_t fsub() { return FA(63, 20, 3, 1, 2, 0); }
uint32_t fmul() { return FA(63, 25, 3, 1, 0, 4); }
uint32_t fdiv() { return FA(63, 18, 3, 1, 2, 0); }
uint32_t fmadd(bool single = false) { return FA(single ? 59 : 63, 29, 3, 1, 2, 4); }
uint32_t fnmadd() { return FA(63, 31, 3, 1, 2, 4); }

TEST_CASE("fadd: 1 + 2^-53 (a tie) in each rounding mode", "[fpu]") {
  // RN: tie to even -> 1.0; RZ: 1.0; RP: 1 + 2^-52 (FR); RM: 1.0. All inexact (FI, XX, FX).
  CHECK(Fp(0, kOne, kTwoM53).run(fadd()).f3() == kOne);
  CHECK(Fp(0, kOne, kTwoM53).run(fadd()).fpscr() == (FX | XX | FI | kPosNorm));
  CHECK(Fp(1, kOne, kTwoM53).run(fadd()).f3() == kOne);
  Fp up(2, kOne, kTwoM53);
  up.run(fadd());
  CHECK(up.f3() == 0x3FF0000000000001);
  CHECK(up.fpscr() == (FX | XX | FR | FI | kPosNorm | 2));
  CHECK(Fp(3, kOne, kTwoM53).run(fadd()).f3() == kOne);
  // -1 - 2^-53 rounded toward -infinity grows in magnitude: FR.
  Fp down(3, d(-1.0), kTwoM53 | (1ull << 63));
  down.run(fadd());
  CHECK(down.f3() == 0xBFF0000000000001);
  CHECK(down.fpscr() == (FX | XX | FR | FI | kNegNorm | 3));
}

TEST_CASE("fadd/fsub: exact results clear FR/FI and keep sticky XX, signed zero sums", "[fpu]") {
  Fp f(XX | FR | FI, d(1.5), d(2.25));
  f.run(fadd());
  CHECK(f.f3() == d(3.75));
  CHECK(f.fpscr() == (XX | kPosNorm));  // XX sticky, no new exception: FX stays clear
  CHECK(Fp(0, d(2.0), d(2.0)).run(fsub()).f3() == 0);                    // x - x = +0 in RN
  CHECK(Fp(3, d(2.0), d(2.0)).run(fsub()).f3() == 0x8000000000000000);   // -0 in RM
  CHECK(Fp(3, d(2.0), d(2.0)).run(fsub()).fpscr() == (kNegZero | 3));
  CHECK(Fp(0, 0x8000000000000000, 0x8000000000000000).run(fadd()).f3() == 0x8000000000000000);
}

TEST_CASE("NaN propagation: first NaN of A, B, C, quieted, and an SNaN anywhere raises VXSNAN", "[fpu]") {
  const uint64_t qa = 0x7FF8000000000AAA, sb = 0x7FF0000000000BBB, qc = 0xFFF8000000000CCC;
  Fp f(0, qa, sb);
  f.run(fadd());
  CHECK(f.f3() == qa);
  CHECK(f.fpscr() == (FX | VX | VXSNAN | kQNaN));
  Fp g(0, d(1.0), sb);
  g.run(fadd());
  CHECK(g.f3() == (sb | 0x0008000000000000));
  // fmadd: frA=1, frB=QNaN c?, frC: B comes before C.
  Fp m(0, d(1.0), 0x7FF8000000000002, qc);
  m.run(fmadd());
  CHECK(m.f3() == 0x7FF8000000000002);
  CHECK(m.fpscr() == kQNaN);
  Fp n(0, d(1.0), d(1.0), qc);  // only C is a NaN
  n.run(fmadd());
  CHECK(n.f3() == qc);
  // fnmadd does not negate a NaN result.
  Fp neg(0, qa, d(1.0), d(1.0));
  neg.run(fnmadd());
  CHECK(neg.f3() == qa);
  // fmul uses A and C: a NaN in the unused B field is ignored.
  Fp mul(0, d(3.0), 0x7FF8000000000001, d(2.0));
  mul.run(fmul());
  CHECK(mul.f3() == d(6.0));
}

TEST_CASE("invalid operations give the default QNaN and their VX bit", "[fpu]") {
  Fp isi(0, kInf, kInf | (1ull << 63));
  isi.run(fadd());
  CHECK(isi.f3() == kDefaultNaN);
  CHECK(isi.fpscr() == (FX | VX | VXISI | kQNaN));
  Fp imz(0, kInf, 0, 0);
  imz.run(fmul());
  CHECK(imz.f3() == kDefaultNaN);
  CHECK(imz.fpscr() == (FX | VX | VXIMZ | kQNaN));
  Fp idi(0, kInf, kInf);
  idi.run(fdiv());
  CHECK(idi.fpscr() == (FX | VX | VXIDI | kQNaN));
  Fp zdz(0, 0, 0x8000000000000000);
  zdz.run(fdiv());
  CHECK(zdz.f3() == kDefaultNaN);
  CHECK(zdz.fpscr() == (FX | VX | VXZDZ | kQNaN));
  // fmadd inf*0 + SNaN: the SNaN (quieted) is the result; VXIMZ and VXSNAN.
  Fp fma(0, kInf, 0x7FF0000000000001, 0);
  fma.run(fmadd());
  CHECK(fma.f3() == 0x7FF8000000000001);
  CHECK(fma.fpscr() == (FX | VX | VXSNAN | VXIMZ | kQNaN));
  // inf*1 + -inf: VXISI.
  Fp fisi(0, kInf, kInf | (1ull << 63), kOne);
  fisi.run(fmadd());
  CHECK(fisi.fpscr() == (FX | VX | VXISI | kQNaN));
  // Already-set VXISI: no 0->1 transition, so FX is not set again.
  Fp sticky(VX | VXISI, kInf, kInf | (1ull << 63));
  sticky.run(fadd());
  CHECK(sticky.fpscr() == (VX | VXISI | kQNaN));
}

TEST_CASE("enabled invalid / zero divide leave FRT and FPRF unchanged and set FEX", "[fpu]") {
  Fp f(VE | kPosZero | FR | FI, kInf, kInf | (1ull << 63));
  f.run(fadd(true));
  CHECK(f.f3() == kSentinel);
  CHECK(f.fpscr() == (FX | FEX | VX | VXISI | VE | kPosZero));
  CHECK(f.g.ctx.cr[1] == 0xE);  // FX FEX VX OX
  Fp z(ZE, d(1.0), 0);
  z.run(fdiv());
  CHECK(z.f3() == kSentinel);
  CHECK(z.fpscr() == (FX | FEX | ZX | ZE));
  Fp zd(0, d(-1.0), 0);  // disabled: -inf
  zd.run(fdiv());
  CHECK(zd.f3() == (kInf | (1ull << 63)));
  CHECK(zd.fpscr() == (FX | ZX | kNegInf));
}

TEST_CASE("overflow: result by rounding mode, OE=1 scales by 2^-1536", "[fpu]") {
  Fp rn(0, kMax, d(2.0), d(1.0));
  rn.run(FA(63, 25, 3, 1, 0, 2));  // fmul f3,f1,f2
  CHECK(rn.f3() == kInf);
  CHECK(rn.fpscr() == (FX | OX | XX | FR | FI | kPosInf));
  Fp rz(1, kMax, d(2.0));
  rz.run(FA(63, 25, 3, 1, 0, 2));
  CHECK(rz.f3() == kMax);
  CHECK(rz.fpscr() == (FX | OX | XX | FI | kPosNorm | 1));
  Fp rm(3, kMax | (1ull << 63), d(2.0));  // negative overflow toward -inf: -inf
  rm.run(FA(63, 25, 3, 1, 0, 2));
  CHECK(rm.f3() == (kInf | (1ull << 63)));
  Fp rp(2, kMax | (1ull << 63), d(2.0));  // toward +inf: most negative finite
  rp.run(FA(63, 25, 3, 1, 0, 2));
  CHECK(rp.f3() == (kMax | (1ull << 63)));
  // OE=1: (2 - 2^-52) * 2^1024 * 2^-1536 = (2 - 2^-52) * 2^-512, exact: OX, FEX, no XX.
  Fp oe(OE, kMax, d(2.0));
  oe.run(FA(63, 25, 3, 1, 0, 2));
  CHECK(oe.f3() == 0x1FFFFFFFFFFFFFFF);
  CHECK(oe.fpscr() == (FX | FEX | OX | OE | kPosNorm));
}

TEST_CASE("underflow: tininess before rounding, UX only when inexact (UE=0)", "[fpu]") {
  const uint64_t half = d(0.5);
  // 2^-1022 * 0.5 = 2^-1023: a denormal, exact: no UX.
  Fp exact(0, 0x0010000000000000, 0, half);
  exact.run(fmul());
  CHECK(exact.f3() == 0x0008000000000000);
  CHECK(exact.fpscr() == kPosDenorm);
  // (2^-1022 + 2^-1074) * 0.5 = 2^-1023 + 2^-1075: a tie at the denormal LSB -> even.
  Fp tie(0, 0x0010000000000001, 0, half);
  tie.run(fmul());
  CHECK(tie.f3() == 0x0008000000000000);
  CHECK(tie.fpscr() == (FX | UX | XX | FI | kPosDenorm));
  Fp tie_up(2, 0x0010000000000001, 0, half);
  tie_up.run(fmul());
  CHECK(tie_up.f3() == 0x0008000000000001);
  // (2^-1021 - 2^-1074) * 0.5 = 2^-1022 - 2^-1075: tiny before rounding, rounds (tie to even)
  // up to the smallest normal. PowerPC still signals underflow (an after-rounding host would not).
  Fp before(0, 0x001FFFFFFFFFFFFF, 0, half);
  before.run(fmul());
  CHECK(before.f3() == 0x0010000000000000);
  CHECK(before.fpscr() == (FX | UX | XX | FR | FI | kPosNorm));
  // UE=1: tiny is enough (exact here); the result, 2^-1023 (1 + 2^-52), is rounded to full
  // precision and scaled by 2^1536: 2^513 (1 + 2^-52).
  Fp ue(UE, 0x0010000000000001, 0, half);
  ue.run(fmul());
  CHECK(ue.f3() == 0x6000000000000001);
  CHECK(ue.fpscr() == (FX | FEX | UX | UE | kPosNorm));
}

TEST_CASE("fmadd: one rounding (double)", "[fpu]") {
  // (1 + 2^-30)^2 - 1 - 2^-29 = 2^-60 exactly; a separate multiply would round it away.
  const uint64_t a = 0x3FF0000000400000;  // 1 + 2^-30
  Fp f(0, a, d(-1.0 - 0x1p-29), a);
  f.run(fmadd());
  CHECK(f.f3() == 0x3C30000000000000);  // 2^-60
  CHECK(f.fpscr() == kPosNorm);
}

TEST_CASE("fmadds: rounded once to single (no double rounding)", "[fpu]") {
  // a*c + b = (1 + 2^-24)(1 + 2^-36) - 2^-36 = 1 + 2^-24 + 2^-60, just above the single-precision
  // midpoint between 1 and 1 + 2^-23. Rounding to double first would drop 2^-60 and the tie
  // would then go to even (1.0); the single rounding gives 1 + 2^-23.
  Fp f(0, d(1.0 + 0x1p-24), d(-0x1p-36), d(1.0 + 0x1p-36));
  f.run(fmadd(true));
  CHECK(f.f3() == 0x3FF0000020000000);
  CHECK(f.fpscr() == (FX | XX | FR | FI | kPosNorm));
  // The same value by fmadd (double) is 1 + 2^-24 + 2^-60 rounded to double: 1 + 2^-24.
  Fp dd(0, d(1.0 + 0x1p-24), d(-0x1p-36), d(1.0 + 0x1p-36));
  dd.run(fmadd());
  CHECK(dd.f3() == 0x3FF0000010000000);
  // Single-precision results are classed as single: 2^-140 is a single denormal.
  Fp den(0, d(0x1p-70), 0, d(0x1p-70));
  den.run(FA(59, 25, 3, 1, 0, 4));  // fmuls
  CHECK(den.f3() == d(0x1p-140));
  CHECK(den.fpscr() == kPosDenorm);
  // fmuls underflowing single: 2^-75 * 2^-75 = 2^-150, half the smallest single denormal:
  // tie -> even (0), UX, XX.
  Fp uf(0, d(0x1p-75), 0, d(0x1p-75));
  uf.run(FA(59, 25, 3, 1, 0, 4));
  CHECK(uf.f3() == 0);
  CHECK(uf.fpscr() == (FX | UX | XX | FI | kPosZero));
  // ...and single overflow: 2^100 * 2^100 -> +inf in single.
  Fp of(0, d(0x1p100), 0, d(0x1p100));
  of.run(FA(59, 25, 3, 1, 0, 4));
  CHECK(of.f3() == kInf);
  CHECK((of.fpscr() & (OX | XX | FI)) == (OX | XX | FI));
}

TEST_CASE("fnmadd/fnmsub negate after rounding, and fmsub", "[fpu]") {
  // fnmadd 2*3 + 1 = -7; fnmsub: -(2*3 - 1) = -5; fmsub: 2*3 - 1 = 5.
  CHECK(Fp(0, d(2.0), d(1.0), d(3.0)).run(fnmadd()).f3() == d(-7.0));
  CHECK(Fp(0, d(2.0), d(1.0), d(3.0)).run(FA(63, 30, 3, 1, 2, 4)).f3() == d(-5.0));
  CHECK(Fp(0, d(2.0), d(1.0), d(3.0)).run(FA(63, 28, 3, 1, 2, 4)).f3() == d(5.0));
  // Exact zero: 1*1 - 1 = +0, negated: -0.
  CHECK(Fp(0, d(1.0), d(1.0), d(1.0)).run(FA(63, 30, 3, 1, 2, 4)).f3() == 0x8000000000000000);
  // Round toward +inf then negate: -(1 + 2^-53 rounded up) = -(1 + 2^-52).
  CHECK(Fp(2, d(1.0), kTwoM53, d(1.0)).run(fnmadd()).f3() == 0xBFF0000000000001);
}

TEST_CASE("fdiv, fsqrt, fres, frsqrte", "[fpu]") {
  Fp third(0, d(1.0), d(3.0));
  third.run(fdiv());
  CHECK(third.f3() == 0x3FD5555555555555);  // 1/3 rounded to nearest (down)
  CHECK(third.fpscr() == (FX | XX | FI | kPosNorm));
  CHECK(Fp(2, d(1.0), d(3.0)).run(fdiv()).f3() == 0x3FD5555555555556);
  CHECK(Fp(0, 0, d(2.0)).run(FA(63, 22, 3, 0, 2, 0)).f3() == 0x3FF6A09E667F3BCD);  // sqrt(2)
  CHECK(Fp(0, 0, d(2.0)).run(FA(59, 22, 3, 0, 2, 0)).f3() == 0x3FF6A09E60000000);  // fsqrts: 0x3FB504F3
  CHECK(Fp(0, 0, 0x8000000000000000).run(FA(63, 22, 3, 0, 2, 0)).f3() == 0x8000000000000000);
  Fp neg(0, 0, d(-4.0));
  neg.run(FA(63, 22, 3, 0, 2, 0));
  CHECK(neg.f3() == kDefaultNaN);
  CHECK(neg.fpscr() == (FX | VX | VXSQRT | kQNaN));
  CHECK(Fp(0, 0, d(4.0)).run(FA(59, 24, 3, 0, 2, 0)).f3() == d(0.25));  // fres
  Fp rz(0, 0, 0x8000000000000000);
  rz.run(FA(59, 24, 3, 0, 2, 0));
  CHECK(rz.f3() == (kInf | (1ull << 63)));
  CHECK(rz.fpscr() == (FX | ZX | kNegInf));
  CHECK(Fp(0, 0, d(4.0)).run(FA(63, 26, 3, 0, 2, 0)).f3() == d(0.5));  // frsqrte
  CHECK(Fp(0, 0, d(-4.0)).run(FA(63, 26, 3, 0, 2, 0)).fpscr() == (FX | VX | VXSQRT | kQNaN));
  CHECK(Fp(0, 0, kInf).run(FA(63, 26, 3, 0, 2, 0)).f3() == 0);
}

TEST_CASE("fsel and Rc=1", "[fpu]") {
  auto fsel = FA(63, 23, 3, 1, 2, 4);
  CHECK(Fp(0, 0x8000000000000000, d(2.0), d(4.0)).run(fsel).f3() == d(4.0));  // -0 >= 0: frC
  CHECK(Fp(0, d(-1.0), d(2.0), d(4.0)).run(fsel).f3() == d(2.0));
  CHECK(Fp(0, 0x7FF8000000000000, d(2.0), d(4.0)).run(fsel).f3() == d(2.0));  // NaN: frB
  CHECK(Fp(0, 0x7FF0000000000001, d(2.0), d(4.0)).run(fsel).fpscr() == 0);    // no VXSNAN
  Fp r(0, kMax, kMax);
  r.run(fadd(true));
  CHECK(r.g.ctx.cr[1] == 0x9);  // FX, OX
}

}  // namespace
