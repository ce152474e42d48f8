// Class `fp`: scalar floating point (arithmetic, multiply-add, square root, select, moves,
// compares, conversions, FPSCR moves, loads/stores) on values that include NaN, infinity,
// zero and denormals.
//
// Register pools. Single-precision arithmetic is undefined on operands not representable in
// single format, and qemu classifies single-precision results in double format (a result that
// is a single-format denormal gets FPRF "normal"; the ISA and the hardware say "denormal"), so
// no single-precision op or frsp may produce a single denormal:
//   f0..f3    any doubles (NaN, inf, denormals...), never written
//   f4..f7    doubles without tiny magnitudes (0 or |x| >= 2^-126) or SNaNs, never written:
//             frsp sources and double multiply-add addends
//   f8..f15   results of double ops, conversions, lfd, mffs; read by double ops
//   f16..f23  single-representable with |exponent| <= 30 (or 0/inf/NaN), never written: the only
//             sources of single-precision ops (results stay within 2^+-61: no denormals);
//             f16..f19 hold no SNaN (single multiply-add addends)
//   f24..f31  results of single-precision ops, frsp and lfs; read by double ops, moves, stores
// Left out on purpose:
//   fres, frsqrte    estimates; their precision is implementation-specific.
//   fnmadd/fnmsub under RN=+inf/-inf: qemu 7.2 rounds the negated value (the ISA negates the
//                    rounded one), so those ops are preceded by mtfsb0 30 (RN nearest/zero).
//   mffs, mcrfs of fields 0 and 3, writes of FPSCR field 0: qemu's FX and FR differ from the
//                    ISA (see fpscr() below).
//   fcmpu/fcmpo with FI=1 or C=0: qemu clears FI and sets C on unordered (the ISA leaves both);
//                    they are preceded by mtfsb0 14 and mtfsb1 15.
//   exception enables (VE/OE/UE/ZE/XE) and NI: never set (mtfsf/mtfsfi/mtfsb1 do not touch
//                    FPSCR fields 6-7 except RN); enabled exceptions suppress target writes
//                    and trap depending on MSR[FE0/FE1], and NI mode is implementation-defined.
#include <fmt/format.h>

#include "grammar.h"
#include "layout.h"

namespace difffuzz {

namespace {

int dbl_dst(Gen& g) { return 8 + int(g.r.below(8)); }
int sgl_src(Gen& g) { return 16 + int(g.r.below(8)); }
int sgl_dst(Gen& g) { return 24 + int(g.r.below(8)); }
int frsp_src(Gen& g) { return g.r.chance(50) ? 4 + int(g.r.below(4)) : sgl_src(g); }
int any(Gen& g) { return int(g.r.below(32)); }
// The addend (FRB) of the multiply-add family is never an SNaN: with FRA x FRC = 0 x inf and an
// SNaN addend qemu 7.2 sets VXIMZ but not VXSNAN (float_invalid_op_madd returns early).
int addend(Gen& g, bool single) { return single ? 16 + int(g.r.below(4)) : 4 + int(g.r.below(4)); }
const char* dot(Gen& g) { return g.r.chance(25) ? "." : ""; }
std::string f(int n) { return fmt::format("f{}", n); }

void arith(Gen& g, Unit& u) {
  static const char* kOps[] = {"fadd", "fsub", "fmul", "fdiv", "fmadd", "fmsub", "fnmadd", "fnmsub", "fsqrt"};
  const int k = int(g.r.below(9));
  const bool single = g.r.chance(40);
  auto src = [&] { return single ? sgl_src(g) : any(g); };
  const int d = single ? sgl_dst(g) : dbl_dst(g);
  const std::string m = std::string(kOps[k]) + (single ? "s" : "") + dot(g);
  // qemu negates fnmadd/fnmsub results before rounding (the ISA rounds, then negates), which
  // differs under the directed rounding modes: run them with RN in {nearest, toward zero}.
  if (k == 6 || k == 7) u.push_back("mtfsb0 30");
  if (k == 2) u.push_back(fmt::format("{} {},{},{}", m, f(d), f(src()), f(src())));
  else if (k >= 4 && k <= 7) u.push_back(fmt::format("{} {},{},{},{}", m, f(d), f(src()), f(src()), f(addend(g, single))));
  else if (k == 8) u.push_back(fmt::format("{} {},{}", m, f(d), f(src())));
  else u.push_back(fmt::format("{} {},{},{}", m, f(d), f(src()), f(src())));
}

void move_convert(Gen& g, Unit& u) {
  switch (g.r.below(8)) {
    case 0: case 1: {  // moves keep the pool of their source
      const int s = any(g);
      const int d = s >= 16 ? sgl_dst(g) : dbl_dst(g);
      u.push_back(fmt::format("{}{} {},{}", g.r.pick<const char*>({"fmr", "fneg", "fabs", "fnabs"}), dot(g), f(d), f(s)));
      break;
    }
    case 2: u.push_back(fmt::format("frsp{} {},{}", dot(g), f(sgl_dst(g)), f(frsp_src(g)))); break;
    case 3: case 4: {
      const int k = int(g.r.below(5));
      static const char* kOps[] = {"fctiw", "fctiwz", "fctid", "fctidz", "fcfid"};
      const int d = dbl_dst(g), s = any(g);
      u.push_back(fmt::format("{}{} {},{}", kOps[k], dot(g), f(d), f(s)));
      if (k < 2) {
        // fctiw[z] leaves FRT[0:31] undefined: keep the low word (in the buffer), then give
        // FRT a defined value again.
        const int t = g.gd_not({});
        u.push_back(fmt::format("addi {},r1,{}", gpr(t), g.r.range(-kReach, kReach - 4)));
        u.push_back(fmt::format("stfiwx {},0,{}", f(d), gpr(t)));
        u.push_back(fmt::format("fmr {},{}", f(d), f(int(g.r.below(4)))));  // f0..f3: never written
      }
      if (k < 4) {  // FPRF is undefined after fctiw/fctid: set it to 0 (C, then FPCC)
        u.push_back("mtfsb0 15");
        u.push_back("mtfsfi 4,0");
      }
      break;
    }
    case 5: u.push_back(fmt::format("fsel{} {},{},{},{}", dot(g), f(dbl_dst(g)), f(any(g)), f(any(g)), f(any(g)))); break;
    default:
      // Compares alter only FPCC (and VXSNAN/VXVC); qemu clears FI and sets FPRF[C] on an
      // unordered result: run them with FI already 0 and C already 1.
      u.push_back("mtfsb0 14");
      u.push_back("mtfsb1 15");
      u.push_back(fmt::format("{} {},{},{}", g.r.chance(50) ? "fcmpu" : "fcmpo", g.crf(), f(any(g)), f(any(g))));
  }
}

// FPSCR moves. FX stays 1 for the whole block (seeded 1; field 0 is never written or cleared by
// mcrfs) because qemu sets FX on every exception, not only on a sticky bit's 0->1 transition.
// FR is not compared (qemu never updates it), so nothing copies it out: no mffs, no mcrfs of
// field 3; the harness's own end-of-block mffs is compared with FR masked.
void fpscr(Gen& g, Unit& u) {
  switch (g.r.below(5)) {
    case 0: u.push_back(fmt::format("mtfsf{} {},{}", dot(g), g.r.below(256) & 0x7C, f(any(g)))); break;
    case 1: {
      const int field = 1 + int(g.r.below(7));
      uint32_t imm = field == 6 ? 0 : field == 7 ? g.r.below(4) : g.r.below(16);
      u.push_back(fmt::format("mtfsfi{} {},{}", dot(g), field, imm));
      break;
    }
    case 2:  // bits 3..23 (not FX/FEX/VX, not the enables/NI)
      u.push_back(fmt::format("{}{} {}", g.r.chance(50) ? "mtfsb0" : "mtfsb1", dot(g), 3 + g.r.below(21)));
      break;
    case 3: u.push_back(fmt::format("mtfsb{}{} {}", g.r.below(2), dot(g), 30 + g.r.below(2))); break;
    default: u.push_back(fmt::format("mcrfs {},{}", g.crf(), g.r.pick<int>({1, 2, 4, 5, 6, 7}))); break;
  }
}

int64_t eff(Gen& g, int size) { return g.r.range(-kReach, kReach - size); }

void loadstore(Gen& g, Unit& u) {
  const bool store = g.r.chance(45), dbl = g.r.chance(50);
  const int size = dbl ? 8 : 4;
  const int64_t e = eff(g, size);
  const std::string base = store ? (dbl ? "stfd" : "stfs") : (dbl ? "lfd" : "lfs");
  const int v = store ? any(g) : (dbl ? dbl_dst(g) : sgl_dst(g));
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
