// Class `fp`: scalar floating point (arithmetic, multiply-add, square root, select, moves,
// compares, conversions, FPSCR moves, loads/stores) on values that include NaN, infinity,
// zero and denormals.
//
// Register pools: single-precision arithmetic is undefined on operands not representable in
// single format, so f16..f31 hold single-representable values only (seeded that way, and
// written only by single-precision ops, frsp and lfs) and are the only sources of *s ops;
// everything else writes f0..f15.
//
// Left out on purpose:
//   fres, frsqrte    estimates; their precision is implementation-specific.
//   exception enables (VE/OE/UE/ZE/XE) and NI: never set (mtfsf/mtfsfi/mtfsb1 do not touch
//                    FPSCR fields 6-7 except RN); enabled exceptions suppress target writes
//                    and trap depending on MSR[FE0/FE1], and NI mode is implementation-defined.
#include <fmt/format.h>

#include "grammar.h"
#include "layout.h"

namespace difffuzz {

namespace {

int dbl_dst(Gen& g) { return int(g.r.below(16)); }
int sgl(Gen& g) { return 16 + int(g.r.below(16)); }
int any(Gen& g) { return int(g.r.below(32)); }
const char* dot(Gen& g) { return g.r.chance(25) ? "." : ""; }
std::string f(int n) { return fmt::format("f{}", n); }

void arith(Gen& g, Unit& u) {
  static const char* kOps[] = {"fadd", "fsub", "fmul", "fdiv", "fmadd", "fmsub", "fnmadd", "fnmsub", "fsqrt"};
  const int k = int(g.r.below(9));
  const bool single = g.r.chance(40);
  auto src = [&] { return single ? sgl(g) : any(g); };
  const int d = single ? sgl(g) : dbl_dst(g);
  const std::string m = std::string(kOps[k]) + (single ? "s" : "") + dot(g);
  if (k == 2) u.push_back(fmt::format("{} {},{},{}", m, f(d), f(src()), f(src())));
  else if (k >= 4 && k <= 7) u.push_back(fmt::format("{} {},{},{},{}", m, f(d), f(src()), f(src()), f(src())));
  else if (k == 8) u.push_back(fmt::format("{} {},{}", m, f(d), f(src())));
  else u.push_back(fmt::format("{} {},{},{}", m, f(d), f(src()), f(src())));
}

void move_convert(Gen& g, Unit& u) {
  switch (g.r.below(8)) {
    case 0: case 1: {  // moves keep the pool of their source
      const int s = any(g);
      const int d = s >= 16 ? sgl(g) : dbl_dst(g);
      u.push_back(fmt::format("{}{} {},{}", g.r.pick<const char*>({"fmr", "fneg", "fabs", "fnabs"}), dot(g), f(d), f(s)));
      break;
    }
    case 2: u.push_back(fmt::format("frsp{} {},{}", dot(g), f(sgl(g)), f(any(g)))); break;
    case 3: case 4:
      u.push_back(fmt::format("{}{} {},{}", g.r.pick<const char*>({"fctiw", "fctiwz", "fctid", "fctidz", "fcfid"}), dot(g),
                              f(dbl_dst(g)), f(any(g))));
      break;
    case 5: u.push_back(fmt::format("fsel{} {},{},{},{}", dot(g), f(dbl_dst(g)), f(any(g)), f(any(g)), f(any(g)))); break;
    default: u.push_back(fmt::format("{} {},{},{}", g.r.chance(50) ? "fcmpu" : "fcmpo", g.crf(), f(any(g)), f(any(g))));
  }
}

void fpscr(Gen& g, Unit& u) {
  switch (g.r.below(6)) {
    case 0: u.push_back(fmt::format("mffs{} {}", dot(g), f(dbl_dst(g)))); break;
    case 1: u.push_back(fmt::format("mtfsf{} {},{}", dot(g), g.r.below(256) & 0xFC, f(any(g)))); break;
    case 2: {
      const int field = int(g.r.below(8));
      uint32_t imm = field == 6 ? 0 : field == 7 ? g.r.below(4) : g.r.below(16);
      u.push_back(fmt::format("mtfsfi{} {},{}", dot(g), field, imm));
      break;
    }
    case 3: {  // bits 0 and 3..23 (not FEX/VX, not the enables/NI)
      uint32_t bit = g.r.below(22);
      bit = bit == 0 ? 0 : bit + 2;
      u.push_back(fmt::format("{}{} {}", g.r.chance(50) ? "mtfsb0" : "mtfsb1", dot(g), bit));
      break;
    }
    case 4: u.push_back(fmt::format("mtfsb{}{} {}", g.r.below(2), dot(g), 30 + g.r.below(2))); break;
    default: u.push_back(fmt::format("mcrfs {},{}", g.crf(), g.crf())); break;
  }
}

int64_t eff(Gen& g, int size) { return g.r.range(-kReach, kReach - size); }

void loadstore(Gen& g, Unit& u) {
  const bool store = g.r.chance(45), dbl = g.r.chance(50);
  const int size = dbl ? 8 : 4;
  const int64_t e = eff(g, size);
  const std::string base = store ? (dbl ? "stfd" : "stfs") : (dbl ? "lfd" : "lfs");
  const int v = store ? any(g) : (dbl ? dbl_dst(g) : any(g));
  if (store && !dbl && g.r.chance(20)) {  // stfiwx: low word of the FPR, no conversion
    int t = g.gd_not({});
    u.push_back(fmt::format("addi {},r1,{}", gpr(t), eff(g, 4)));
    u.push_back(fmt::format("stfiwx {},0,{}", f(v), gpr(t)));
    return;
  }
  switch (g.r.below(4)) {
    case 0: u.push_back(fmt::format("{} {},{}(r1)", base, f(v), e)); break;
    case 1: {
      int t = g.gd_not({});
      int64_t o1 = g.r.range(-kReach, kReach);
      u.push_back(fmt::format("addi {},r1,{}", gpr(t), o1));
      u.push_back(fmt::format("{}u {},{}({})", base, f(v), e - o1, gpr(t)));
      break;
    }
    case 2: {
      int t = g.gd();
      u.push_back(fmt::format("li {},{}", gpr(t), e));
      u.push_back(fmt::format("{}x {},r1,{}", base, f(v), gpr(t)));
      break;
    }
    default: {
      int t = g.gd_not({}), i = g.gd_not({t});
      int64_t o1 = g.r.range(-kReach, kReach);
      u.push_back(fmt::format("addi {},r1,{}", gpr(t), o1));
      u.push_back(fmt::format("li {},{}", gpr(i), e - o1));
      u.push_back(fmt::format("{}ux {},{},{}", base, f(v), gpr(t), gpr(i)));
    }
  }
}

}  // namespace

void gen_fp(Gen& g, Unit& u) {
  switch (g.r.below(10)) {
    case 0: case 1: case 2: case 3: arith(g, u); break;
    case 4: case 5: case 6: move_convert(g, u); break;
    case 7: fpscr(g, u); break;
    default: loadstore(g, u); break;
  }
}

}  // namespace difffuzz
