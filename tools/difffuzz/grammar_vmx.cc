// Class `vmx`: AltiVec integer arithmetic (modulo and saturating), logical, compares, shifts
// and rotates, merges/packs/unpacks, multiplies and sums, permutes and splats, VSCR moves,
// loads/stores, and float arithmetic/compare/round/convert.
//
// Register pools keep the float ops away from denormals (the Xenon flushes VMX denormals; qemu
// only flushes with VSCR[NJ]=1 and only outputs): v20..v31 hold normal floats with |exp| <= 30
// (or 0/inf/NaN), are never written, and are the only sources of float ops; float results go to
// v10..v19, which float ops never read; integer ops and loads write v0..v19 and read anything.
// With these bounds no float op can produce a denormal either. v20..v23 have 12-bit significands
// and are the only multiplicands of vmaddfp/vnmsubfp: the Xenon rounds the product before the
// add (hexad follows it, see src/cpu/interp/vmx_float.cc), qemu fuses; exact products make the
// two agree, so the add, NaN and infinity handling are still compared.
//
// Left out on purpose:
//   VMX128             not implemented by qemu.
//   vrefp, vrsqrtefp, vexptefp, vlogefp   estimates, implementation-specific precision.
//   lvebx/lvehx/lvewx  the other elements of the target are undefined.
//   mtvscr from arbitrary bits: qemu keeps reserved VSCR bits; the block only moves NJ=1 with a
//                      chosen SAT (NJ=0 would be a non-Xenon mode).
#include <fmt/format.h>

#include "grammar.h"
#include "layout.h"

namespace difffuzz {

namespace {

std::string v(int n) { return fmt::format("v{}", n); }
int int_dst(Gen& g) { return int(g.r.below(20)); }
int any(Gen& g) { return int(g.r.below(32)); }
int flt_src(Gen& g) { return 20 + int(g.r.below(12)); }
int flt_dst(Gen& g) { return 10 + int(g.r.below(10)); }
int short_src(Gen& g) { return 20 + int(g.r.below(4)); }

constexpr const char* kVx3[] = {
    "vaddubm", "vadduhm", "vadduwm", "vaddcuw", "vaddubs", "vadduhs", "vadduws", "vaddsbs", "vaddshs", "vaddsws",
    "vsububm", "vsubuhm", "vsubuwm", "vsubcuw", "vsububs", "vsubuhs", "vsubuws", "vsubsbs", "vsubshs", "vsubsws",
    "vavgub",  "vavguh",  "vavguw",  "vavgsb",  "vavgsh",  "vavgsw",  "vmaxub",  "vmaxuh",  "vmaxuw",  "vmaxsb",
    "vmaxsh",  "vmaxsw",  "vminub",  "vminuh",  "vminuw",  "vminsb",  "vminsh",  "vminsw",  "vand",    "vandc",
    "vor",     "vnor",    "vxor",    "vrlb",    "vrlh",    "vrlw",    "vslb",    "vslh",    "vslw",    "vsrb",
    "vsrh",    "vsrw",    "vsrab",   "vsrah",   "vsraw",   "vsl",     "vsr",     "vslo",    "vsro",    "vmrghb",
    "vmrghh",  "vmrghw",  "vmrglb",  "vmrglh",  "vmrglw",  "vpkuhum", "vpkuwum", "vpkuhus", "vpkuwus", "vpkshus",
    "vpkswus", "vpkshss", "vpkswss", "vpkpx",   "vmuleub", "vmulesb", "vmuleuh", "vmulesh", "vmuloub", "vmulosb",
    "vmulouh", "vmulosh", "vsum4ubs", "vsum4sbs", "vsum4shs", "vsum2sws", "vsumsws",
};
constexpr const char* kVxCmp[] = {"vcmpequb", "vcmpequh", "vcmpequw", "vcmpgtub", "vcmpgtuh",
                                  "vcmpgtuw", "vcmpgtsb", "vcmpgtsh", "vcmpgtsw"};
constexpr const char* kVx2[] = {"vupkhsb", "vupkhsh", "vupklsb", "vupklsh", "vupkhpx", "vupklpx"};
constexpr const char* kVa[] = {"vmsumubm", "vmsummbm", "vmsumuhm", "vmsumuhs", "vmsumshm", "vmsumshs",
                               "vmhaddshs", "vmhraddshs", "vmladduhm", "vperm", "vsel"};

void integer(Gen& g, Unit& u) {
  switch (g.r.below(16)) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6:
      u.push_back(fmt::format("{} {},{},{}", kVx3[g.r.below(sizeof kVx3 / sizeof kVx3[0])], v(int_dst(g)), v(any(g)), v(any(g))));
      break;
    case 7:
      u.push_back(fmt::format("{}{} {},{},{}", kVxCmp[g.r.below(9)], g.r.chance(50) ? "." : "", v(int_dst(g)), v(any(g)), v(any(g))));
      break;
    case 8: u.push_back(fmt::format("{} {},{}", kVx2[g.r.below(6)], v(int_dst(g)), v(any(g)))); break;
    case 9: case 10:
      u.push_back(fmt::format("{} {},{},{},{}", kVa[g.r.below(sizeof kVa / sizeof kVa[0])], v(int_dst(g)), v(any(g)), v(any(g)), v(any(g))));
      break;
    case 11: u.push_back(fmt::format("vsldoi {},{},{},{}", v(int_dst(g)), v(any(g)), v(any(g)), g.r.below(16))); break;
    case 12: {
      const int k = int(g.r.below(3));
      const uint32_t lanes[] = {16, 8, 4};
      u.push_back(fmt::format("{} {},{},{}", k == 0 ? "vspltb" : k == 1 ? "vsplth" : "vspltw", v(int_dst(g)), v(any(g)),
                              g.r.below(lanes[k])));
      break;
    }
    case 13:
      u.push_back(fmt::format("{} {},{}", g.r.pick<const char*>({"vspltisb", "vspltish", "vspltisw"}), v(int_dst(g)), g.r.range(-16, 15)));
      break;
    case 14:  // lvsl/lvsr use only the low four bits of the sum; no memory access
      u.push_back(fmt::format("{} {},{},{}", g.r.chance(50) ? "lvsl" : "lvsr", v(int_dst(g)), gpr(g.gs()), gpr(g.gs())));
      break;
    default: {
      if (g.r.chance(50)) {
        u.push_back(fmt::format("mfvscr {}", v(int_dst(g))));
      } else {  // VSCR <- NJ=1, SAT=b
        int t = int_dst(g), s;
        do s = int_dst(g); while (s == t);
        u.push_back(fmt::format("vspltisw {},1", v(t)));
        u.push_back(fmt::format("vspltisw {},-16", v(s)));
        u.push_back(fmt::format("vslw {0},{0},{1}", v(t), v(s)));
        u.push_back(fmt::format("vspltisw {},{}", v(s), g.r.below(2)));
        u.push_back(fmt::format("vor {0},{0},{1}", v(t), v(s)));
        u.push_back(fmt::format("mtvscr {}", v(t)));
      }
    }
  }
}

void floating(Gen& g, Unit& u) {
  switch (g.r.below(9)) {
    case 0: case 1:
      u.push_back(fmt::format("{} {},{},{}", g.r.pick<const char*>({"vaddfp", "vsubfp", "vmaxfp", "vminfp"}), v(flt_dst(g)),
                              v(flt_src(g)), v(flt_src(g))));
      break;
    case 2: case 3:
      // Multiplicands from v20..v23 (12-bit significands): the product is exact, so the fused
      // (qemu) and the unfused (Xenon, hexad) multiply-add agree.
      u.push_back(fmt::format("{} {},{},{},{}", g.r.chance(50) ? "vmaddfp" : "vnmsubfp", v(flt_dst(g)), v(short_src(g)),
                              v(short_src(g)), v(flt_src(g))));
      break;
    case 4:
      u.push_back(fmt::format("{}{} {},{},{}", g.r.pick<const char*>({"vcmpeqfp", "vcmpgefp", "vcmpgtfp", "vcmpbfp"}),
                              g.r.chance(50) ? "." : "", v(int_dst(g)), v(flt_src(g)), v(flt_src(g))));
      break;
    case 5:
      u.push_back(fmt::format("{} {},{}", g.r.pick<const char*>({"vrfin", "vrfiz", "vrfip", "vrfim"}), v(flt_dst(g)), v(flt_src(g))));
      break;
    case 6:
      u.push_back(fmt::format("{} {},{},{}", g.r.chance(50) ? "vctsxs" : "vctuxs", v(int_dst(g)), v(flt_src(g)), g.r.below(32)));
      break;
    default:  // integer sources: results are normal or zero
      u.push_back(fmt::format("{} {},{},{}", g.r.chance(50) ? "vcfsx" : "vcfux", v(flt_dst(g)), v(any(g)), g.r.below(32)));
  }
}

void memory(Gen& g, Unit& u) {
  int t = g.gd_not({});
  const int k = int(g.r.below(7));
  static const char* kOps[] = {"lvx", "lvxl", "stvx", "stvxl", "stvebx", "stvehx", "stvewx"};
  const int size = k < 4 ? 16 : k == 4 ? 1 : k == 5 ? 2 : 4;
  u.push_back(fmt::format("addi {},r1,{}", gpr(t), g.r.range(-kReach, kReach - size)));
  u.push_back(fmt::format("{} {},0,{}", kOps[k], v(k < 2 ? int_dst(g) : any(g)), gpr(t)));
}

}  // namespace

void gen_vmx(Gen& g, Unit& u) {
  switch (g.r.below(10)) {
    case 0: case 1: case 2: case 3: case 4: integer(g, u); break;
    case 5: case 6: case 7: floating(g, u); break;
    default: memory(g, u); break;
  }
}

}  // namespace difffuzz
