// Class `ldst`: integer loads and stores (D, DS, update, indexed, update-indexed, byte-reversed,
// multiple, string, reserved pairs, cache hints) to the block's scratch buffer. r1 points at
// the buffer's middle and is never written; every effective address stays inside the buffer.
//
// Left out on purpose:
//   dcbz       the cache-line size differs (Xenon 128 bytes; qemu's models 32 or 128 depending
//              on model and HID5), so the zeroed range is model-specific.
//   dcbi       privileged.
//   ldbrx/stdbrx  not in qemu's 970 model (ISA 2.06).
//   a stwcx. not paired with the lwarx just before it: whether a store to another address is
//              performed is undefined, and qemu implements reservations by value comparison.
#include <fmt/format.h>

#include "grammar.h"
#include "layout.h"

namespace difffuzz {

namespace {

// An offset from r1 such that [r1+off, r1+off+size) lies inside the buffer, aligned to `align`.
int64_t eff(Gen& g, int64_t size, int64_t align) {
  int64_t lo = -kReach, hi = kReach - size;
  int64_t v = g.r.range(lo, hi);
  v -= ((v % align) + align) % align;
  if (v < lo) v += align;
  return v;
}

struct Mem {
  const char* d;   // D/DS form mnemonic (nullptr: none)
  const char* du;  // update form
  const char* x;   // indexed
  const char* xu;  // update indexed
  int size;
  bool ds;         // DS-form: displacement a multiple of 4
  bool store;
};
constexpr Mem kMem[] = {
    {"lbz", "lbzu", "lbzx", "lbzux", 1, false, false},  {"lhz", "lhzu", "lhzx", "lhzux", 2, false, false},
    {"lha", "lhau", "lhax", "lhaux", 2, false, false},  {"lwz", "lwzu", "lwzx", "lwzux", 4, false, false},
    {"lwa", nullptr, "lwax", "lwaux", 4, true, false},  {"ld", "ldu", "ldx", "ldux", 8, true, false},
    {"stb", "stbu", "stbx", "stbux", 1, false, true},   {"sth", "sthu", "sthx", "sthux", 2, false, true},
    {"stw", "stwu", "stwx", "stwux", 4, false, true},   {"std", "stdu", "stdx", "stdux", 8, true, true},
    {nullptr, nullptr, "lhbrx", nullptr, 2, false, false}, {nullptr, nullptr, "lwbrx", nullptr, 4, false, false},
    {nullptr, nullptr, "sthbrx", nullptr, 2, false, true}, {nullptr, nullptr, "stwbrx", nullptr, 4, false, true},
};

void plain(Gen& g, Unit& u) {
  const Mem& m = kMem[g.r.below(sizeof kMem / sizeof kMem[0])];
  const int align = m.ds ? 4 : 1;
  const int64_t e = eff(g, m.size, align);
  const int v = m.store ? g.gs() : g.gd();  // data register
  for (;;) {
    switch (g.r.below(4)) {
      case 0:  // D form off r1
        if (!m.d) continue;
        u.push_back(fmt::format("{} {},{}(r1)", m.d, gpr(v), e));
        return;
      case 1: {  // update form through a copy of r1
        if (!m.du) continue;
        int t = g.gd_not({v});
        int64_t o1 = eff(g, 0, align) + (m.ds ? 0 : g.r.range(-3, 3));
        u.push_back(fmt::format("addi {},r1,{}", gpr(t), o1));
        u.push_back(fmt::format("{} {},{}({})", m.du, gpr(v), e - o1, gpr(t)));
        return;
      }
      case 2: {  // indexed, three ways of forming the address
        int t = g.gd();
        switch (g.r.below(3)) {
          case 0:
            u.push_back(fmt::format("li {},{}", gpr(t), e));
            u.push_back(fmt::format("{} {},r1,{}", m.x, gpr(v), gpr(t)));
            break;
          case 1:
            if (t == 0) t = g.gd_not({});
            u.push_back(fmt::format("li {},{}", gpr(t), e));
            u.push_back(fmt::format("{} {},{},r1", m.x, gpr(v), gpr(t)));
            break;
          default:
            u.push_back(fmt::format("addi {},r1,{}", gpr(t), e));
            u.push_back(fmt::format("{} {},0,{}", m.x, gpr(v), gpr(t)));
        }
        return;
      }
      default: {  // update indexed
        if (!m.xu) continue;
        int t = g.gd_not({v});
        int i = g.r.chance(10) ? 0 : g.gd_not({t});
        int64_t o1 = g.r.range(-kReach, kReach);
        u.push_back(fmt::format("addi {},r1,{}", gpr(t), o1));
        u.push_back(fmt::format("li {},{}", gpr(i), e - o1));
        u.push_back(fmt::format("{} {},{},{}", m.xu, gpr(v), gpr(t), gpr(i)));
        return;
      }
    }
  }
}

void multiple(Gen& g, Unit& u) {
  int first = 14 + int(g.r.below(18));
  int64_t e = eff(g, 4 * (32 - first), 4);
  u.push_back(fmt::format("{} {},{}(r1)", g.r.chance(50) ? "lmw" : "stmw", gpr(first), e));
}

void string(Gen& g, Unit& u) {
  const int nb = 1 + int(g.r.below(32));
  const int nregs = (nb + 3) / 4;
  const bool load = g.r.chance(50);
  // Loads: the target range must neither wrap nor contain r1 or the address register.
  int first = load ? 2 + int(g.r.below(uint32_t(31 - nregs))) : int(g.r.below(32));
  int a;
  do a = g.gd_not({}); while (load && a >= first && a < first + nregs);
  int64_t e = eff(g, nb, 1);
  if (g.r.chance(50)) {
    u.push_back(fmt::format("addi {},r1,{}", gpr(a), e));
    u.push_back(fmt::format("{} {},{},{}", load ? "lswi" : "stswi", gpr(first), gpr(a), nb == 32 ? 0 : nb));
  } else {
    // The byte count comes from XER[57:63]: keep SO/OV/CA, replace the count.
    u.push_back(fmt::format("mfxer {}", gpr(a)));
    u.push_back(fmt::format("rlwinm {0},{0},0,0,24", gpr(a)));
    u.push_back(fmt::format("ori {0},{0},{1}", gpr(a), nb));
    u.push_back(fmt::format("mtxer {}", gpr(a)));
    u.push_back(fmt::format("addi {},r1,{}", gpr(a), e));
    u.push_back(fmt::format("{} {},0,{}", load ? "lswx" : "stswx", gpr(first), gpr(a)));
  }
}

void reserved(Gen& g, Unit& u) {
  const bool dbl = g.r.chance(40);
  int t = g.gd_not({}), d = g.gd_not({t});
  int64_t e = eff(g, dbl ? 8 : 4, dbl ? 8 : 4);
  u.push_back(fmt::format("addi {},r1,{}", gpr(t), e));
  u.push_back(fmt::format("{} {},0,{}", dbl ? "ldarx" : "lwarx", gpr(d), gpr(t)));
  if (g.r.chance(50)) u.push_back(fmt::format("addi {0},{0},{1}", gpr(g.gd_not({t})), g.simm16()));
  u.push_back(fmt::format("{} {},0,{}", dbl ? "stdcx." : "stwcx.", gpr(g.gs()), gpr(t)));
}

void hint(Gen& g, Unit& u) {
  int t = g.gd_not({});
  u.push_back(fmt::format("addi {},r1,{}", gpr(t), eff(g, 1, 1)));
  u.push_back(fmt::format("{} 0,{}", g.r.pick<const char*>({"dcbt", "dcbtst", "dcbf", "dcbst"}), gpr(t)));
}

}  // namespace

void gen_ldst(Gen& g, Unit& u) {
  switch (g.r.below(20)) {
    case 0: case 1: multiple(g, u); break;
    case 2: case 3: string(g, u); break;
    case 4: case 5: reserved(g, u); break;
    case 6: hint(g, u); break;
    default: plain(g, u); break;
  }
}

}  // namespace difffuzz
