// Scalar FPU conversions, moves, compares and FPSCR instructions: frsp, fctiw[z]/fctid[z]
// (rounding, saturation, VXCVI, NaNs), fcfid, fmr/fneg/fabs/fnabs on NaNs, fcmpu vs fcmpo
// exception bits, mffs/mtfsf/mtfsfi/mtfsb0/mtfsb1/mcrfs FX/FEX/VX rules. Expected values are
// derived from the ISA (Book I ch. 4); see fpu_arith_test.cc for the differential check.
#include <cstring>

#include "int_harness.h"

namespace {
using namespace int_test;

constexpr uint32_t FX63(uint32_t xo, uint32_t t, uint32_t a, uint32_t b, bool rc = false) {
  return 63u << 26 | t << 21 | a << 16 | b << 11 | xo << 1 | uint32_t(rc);
}
constexpr uint32_t FCMP(uint32_t xo, uint32_t bf, uint32_t a, uint32_t b) { return 63u << 26 | bf << 23 | a << 16 | b << 11 | xo << 1; }
constexpr uint32_t MTFSF(uint32_t flm, uint32_t b, bool rc = false) { return 63u << 26 | flm << 17 | b << 11 | 711u << 1 | uint32_t(rc); }
constexpr uint32_t MTFSFI(uint32_t bf, uint32_t u) { return 63u << 26 | bf << 23 | u << 12 | 134u << 1; }
constexpr uint32_t MCRFS(uint32_t bf, uint32_t bfa) { return 63u << 26 | bf << 23 | bfa << 18 | 64u << 1; }
static_assert(FX63(15, 3, 0, 2) == 0xFC60101E);     // fctiwz f3,f2
static_assert(FCMP(32, 5, 1, 2) == 0xFE811040);     // fcmpo cr5,f1,f2
static_assert(MTFSF(0xFF, 1) == 0xFDFE0D8E);        // mtfsf 255,f1
static_assert(MTFSFI(7, 3) == 0xFF80310C);          // mtfsfi 7,3
static_assert(FX63(38, 24, 0, 0) == 0xFF00004C);    // mtfsb1 24
static_assert(MCRFS(2, 3) == 0xFD0C0080);           // mcrfs cr2,cr3
static_assert(FX63(583, 4, 0, 0, true) == 0xFC80048F);  // mffs. f4

constexpr uint32_t B(int n) { return 1u << (31 - n); }
constexpr uint32_t FX = B(0), FEX = B(1), VX = B(2), OX = B(3), UX = B(4), ZX = B(5), XX = B(6), VXSNAN = B(7),
                   VXISI = B(8), VXVC = B(12), FR = B(13), FI = B(14), VXCVI = B(23), VE = B(24), OE = B(25);
constexpr uint32_t P(uint32_t cls) { return cls << 12; }

uint64_t d(double v) {
  uint64_t b;
  std::memcpy(&b, &v, 8);
  return b;
}
constexpr uint64_t kSentinel = 0x5A5A5A5A5A5A5A5A;

struct Fp {
  Guest g{true};
  Fp(uint32_t fpscr, uint64_t f1, uint64_t f2 = 0) {
    g.ctx.fpscr = fpscr;
    g.ctx.fpr[1] = f1, g.ctx.fpr[2] = f2, g.ctx.fpr[3] = kSentinel;
  }
  Fp& run(uint32_t w) {
    g.run({w});
    return *this;
  }
  uint64_t f3() const { return g.ctx.fpr[3]; }
  uint32_t fpscr() const { return g.ctx.fpscr; }
};

uint32_t fctiw() { return FX63(14, 3, 0, 2); }
uint32_t fctiwz() { return FX63(15, 3, 0, 2); }
uint32_t fctid() { return FX63(814, 3, 0, 2); }
uint32_t fcfid() { return FX63(846, 3, 0, 2); }
uint32_t frsp() { return FX63(12, 3, 0, 2); }

TEST_CASE("fctiw: rounding by RN, FR/FI, sign-extended word", "[fpu]") {
  CHECK(Fp(0, 0, d(2.5)).run(fctiw()).f3() == 2);  // tie to even
  CHECK(Fp(0, 0, d(2.5)).run(fctiw()).fpscr() == (FX | XX | FI));
  CHECK(Fp(0, 0, d(3.5)).run(fctiw()).f3() == 4);
  CHECK(Fp(0, 0, d(3.5)).run(fctiw()).fpscr() == (FX | XX | FR | FI));
  CHECK(Fp(2, 0, d(2.1)).run(fctiw()).f3() == 3);
  CHECK(Fp(3, 0, d(-2.1)).run(fctiw()).f3() == 0xFFFFFFFFFFFFFFFD);  // -3
  CHECK(Fp(1, 0, d(-2.9)).run(fctiw()).f3() == 0xFFFFFFFFFFFFFFFE);  // -2
  CHECK(Fp(0, 0, d(-2.9)).run(fctiwz()).f3() == 0xFFFFFFFFFFFFFFFE);
  CHECK(Fp(0, 0, d(7.0)).run(fctiw()).fpscr() == 0);  // exact: FPRF untouched, no flags
}

TEST_CASE("fctiw/fctid: saturation and NaNs raise VXCVI, FR=FI=0", "[fpu]") {
  Fp big(FR | FI, 0, d(3e9));
  big.run(fctiw());
  CHECK(big.f3() == 0x7FFFFFFF);
  CHECK(big.fpscr() == (FX | VX | VXCVI));
  CHECK(Fp(0, 0, d(-2147483648.0)).run(fctiw()).fpscr() == 0);  // in range
  CHECK(Fp(0, 0, d(-2147483648.0)).run(fctiw()).f3() == 0xFFFFFFFF80000000);
  CHECK(Fp(0, 0, d(-2147483648.5)).run(fctiwz()).fpscr() == (FX | XX | FI));  // truncates into range
  // RN: -2^31 - 0.5 is a tie between -2^31 (even) and -2^31 - 1: in range.
  CHECK(Fp(0, 0, d(-2147483648.5)).run(fctiw()).f3() == 0xFFFFFFFF80000000);
  CHECK(Fp(0, 0, d(-2147483649.5)).run(fctiw()).fpscr() == (FX | VX | VXCVI));
  Fp snan(0, 0, 0x7FF0000000000001);
  snan.run(fctiw());
  CHECK(snan.f3() == 0xFFFFFFFF80000000);
  CHECK(snan.fpscr() == (FX | VX | VXSNAN | VXCVI));
  CHECK(Fp(0, 0, d(9.3e18)).run(fctid()).f3() == 0x7FFFFFFFFFFFFFFF);
  CHECK(Fp(0, 0, d(-9223372036854775808.0)).run(fctid()).f3() == 0x8000000000000000);
  CHECK(Fp(0, 0, d(-9223372036854775808.0)).run(fctid()).fpscr() == 0);
  CHECK(Fp(0, 0, 0xFFF8000000000000).run(fctid()).f3() == 0x8000000000000000);
  // VE=1: FRT unchanged.
  Fp ve(VE, 0, 0x7FF8000000000000);
  ve.run(fctid());
  CHECK(ve.f3() == kSentinel);
  CHECK(ve.fpscr() == (FX | FEX | VX | VXCVI | VE));
}

TEST_CASE("fcfid: rounding by RN", "[fpu]") {
  const uint64_t v = (1ull << 53) + 1;  // not representable: a tie between 2^53 and 2^53 + 2
  CHECK(Fp(0, 0, v).run(fcfid()).f3() == d(9007199254740992.0));
  CHECK(Fp(0, 0, v).run(fcfid()).fpscr() == (FX | XX | FI | P(0x04)));
  CHECK(Fp(2, 0, v).run(fcfid()).f3() == d(9007199254740994.0));
  CHECK(Fp(0, 0, uint64_t(-5)).run(fcfid()).f3() == d(-5.0));
  CHECK(Fp(0, 0, 0).run(fcfid()).fpscr() == P(0x02));
}

TEST_CASE("frsp: rounding, overflow, single denormal class, NaNs", "[fpu]") {
  CHECK(Fp(0, 0, d(1.0 + 0x1p-24)).run(frsp()).f3() == d(1.0));  // tie to even
  CHECK(Fp(2, 0, d(1.0 + 0x1p-30)).run(frsp()).f3() == d(1.0 + 0x1p-23));
  Fp of(0, 0, d(0x1p128));
  of.run(frsp());
  CHECK(of.f3() == 0x7FF0000000000000);
  CHECK(of.fpscr() == (FX | OX | XX | FR | FI | P(0x05)));
  Fp oe(OE, 0, d(0x1p128));  // enabled: 2^128 * 2^-192 = 2^-64
  oe.run(frsp());
  CHECK(oe.f3() == d(0x1p-64));
  Fp den(0, 0, d(0x1p-140));
  den.run(frsp());
  CHECK(den.f3() == d(0x1p-140));
  CHECK(den.fpscr() == P(0x14));  // single denormal, exact
  Fp uf(0, 0, d(0x1p-140 + 0x1p-160));
  uf.run(frsp());
  CHECK(uf.f3() == d(0x1p-140));
  CHECK(uf.fpscr() == (FX | UX | XX | FI | P(0x14)));
  Fp nan(0, 0, 0x7FF0000000000001 | (1ull << 40));
  nan.run(frsp());
  CHECK(nan.f3() == 0x7FF8010000000000);  // quieted, fraction cut to single
  CHECK(nan.fpscr() == (FX | VX | VXSNAN | P(0x11)));
}

TEST_CASE("moves are bit operations", "[fpu]") {
  const uint64_t snan = 0xFFF0000000000001;
  CHECK(Fp(0, 0, snan).run(FX63(72, 3, 0, 2)).f3() == snan);                        // fmr
  CHECK(Fp(0, 0, snan).run(FX63(40, 3, 0, 2)).f3() == 0x7FF0000000000001);          // fneg
  CHECK(Fp(0, 0, snan).run(FX63(264, 3, 0, 2)).f3() == 0x7FF0000000000001);         // fabs
  CHECK(Fp(0, 0, d(1.0)).run(FX63(136, 3, 0, 2)).f3() == d(-1.0));                  // fnabs
  CHECK(Fp(0, 0, snan).run(FX63(72, 3, 0, 2)).fpscr() == 0);
  Fp rc(FX | OX, 0, d(1.0));
  rc.run(FX63(72, 3, 0, 2, true));
  CHECK(rc.g.ctx.cr[1] == 0x9);
}

TEST_CASE("fcmpu vs fcmpo", "[fpu]") {
  const uint64_t qnan = 0x7FF8000000000000, snan = 0x7FF0000000000001;
  Fp lt(FR | FI | P(0x11), d(-1.0), d(2.0));
  lt.run(FCMP(0, 3, 1, 2));
  CHECK(lt.g.ctx.cr[3] == kCrLT);
  CHECK(lt.fpscr() == (FR | FI | P(0x18)));  // FPCC only; C, FR, FI unchanged
  CHECK(Fp(0, 0x8000000000000000, 0).run(FCMP(0, 3, 1, 2)).g.ctx.cr[3] == kCrEQ);
  Fp uq(0, qnan, d(1.0));
  uq.run(FCMP(0, 3, 1, 2));
  CHECK(uq.g.ctx.cr[3] == kCrSO);
  CHECK(uq.fpscr() == P(0x01));  // fcmpu: a QNaN is no exception
  Fp oq(0, qnan, d(1.0));
  oq.run(FCMP(32, 3, 1, 2));
  CHECK(oq.fpscr() == (FX | VX | VXVC | P(0x01)));
  Fp us(0, snan, d(1.0));
  us.run(FCMP(0, 3, 1, 2));
  CHECK(us.fpscr() == (FX | VX | VXSNAN | P(0x01)));
  Fp os(0, snan, d(1.0));
  os.run(FCMP(32, 3, 1, 2));
  CHECK(os.fpscr() == (FX | VX | VXSNAN | VXVC | P(0x01)));
  Fp osve(VE, snan, d(1.0));  // VE=1: VXVC is not set for the SNaN
  osve.run(FCMP(32, 3, 1, 2));
  CHECK(osve.fpscr() == (FX | FEX | VX | VXSNAN | VE | P(0x01)));
}

TEST_CASE("mffs, mtfsf, mtfsfi: explicit FX/OX, recomputed FEX/VX", "[fpu]") {
  Fp m(0x12345678 & ~B(20), 0);
  m.run(FX63(583, 3, 0, 0));
  CHECK(m.f3() == (0x12345678 & ~B(20)));
  // mtfsf 0xFF with VXISI and VE set in the operand: VX and FEX computed, FX taken as given (0).
  Fp f(0, uint64_t(VXISI | VE | FEX));
  f.run(MTFSF(0xFF, 1, true));
  CHECK(f.fpscr() == (VXISI | VE | VX | FEX));
  CHECK(f.g.ctx.cr[1] == 0x6);
  // Only field 0 selected: FX and OX from the operand, other fields kept.
  Fp f0(XX | 2, uint64_t(FX | OX));
  f0.run(MTFSF(0x80, 1));
  CHECK(f0.fpscr() == (FX | OX | XX | 2));
  Fp fi(0, 0);
  fi.run(MTFSFI(7, 3));
  CHECK(fi.fpscr() == 3);
  Fp fi0(FX | OX | UX, 0);
  fi0.run(MTFSFI(0, 0));
  CHECK(fi0.fpscr() == UX);
}

TEST_CASE("mtfsb0/mtfsb1: FX rule, FEX/VX cannot be set", "[fpu]") {
  Fp s(0, 0);
  s.run(FX63(38, 4, 0, 0));  // mtfsb1 UX
  CHECK(s.fpscr() == (FX | UX));
  Fp again(UX, 0);
  again.run(FX63(38, 4, 0, 0));  // already set: no FX
  CHECK(again.fpscr() == UX);
  Fp fex(0, 0);
  fex.run(FX63(38, 1, 0, 0));
  CHECK(fex.fpscr() == 0);
  Fp ctl(0, 0);
  ctl.run(FX63(38, 30, 0, 0));  // RN bit: not an exception bit
  CHECK(ctl.fpscr() == 2);
  Fp vx(VX | VXISI | VE | FEX, 0);
  vx.run(FX63(70, 8, 0, 0));  // mtfsb0 VXISI: VX and FEX recomputed
  CHECK(vx.fpscr() == VE);
}

TEST_CASE("mcrfs copies a field and clears its exception bits", "[fpu]") {
  Fp m(FX | OX | VX | VXSNAN | VXISI | VE | FEX, 0);
  m.run(MCRFS(2, 0));
  CHECK(m.g.ctx.cr[2] == 0xF);  // FX FEX VX OX
  CHECK(m.fpscr() == (VX | VXSNAN | VXISI | VE | FEX));
  Fp m1(VX | VXSNAN | VXISI | XX, 0);
  m1.run(MCRFS(4, 1));  // field 1: UX ZX XX VXSNAN
  CHECK(m1.g.ctx.cr[4] == 0x3);
  CHECK(m1.fpscr() == (VX | VXISI));
  (void)ZX;
}

}  // namespace
