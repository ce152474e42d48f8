// Class `br`: forward branches inside a unit, so blocks stay straight-line at the unit level:
// conditional branches on CR bits and/or a decremented CTR (bc, bcl), bclr/bcctr to a label
// whose address is put in LR/CTR first, and bl/bcl that only set LR. The skipped part is one
// integer instruction. Every form is a valid (non-reserved) BO encoding without hint bits.
#include <fmt/format.h>

#include "grammar.h"

namespace difffuzz {

namespace {

void skipped(Gen& g, Unit& u) {
  u.push_back(fmt::format("addi {},{},{}", gpr(g.gd()), gpr(g.gs()), g.simm16()));
}

}  // namespace

void gen_br(Gen& g, Unit& u) {
  // BO: bdnzf, bdzf, bf, bdnzt, bdzt, bt, bdnz, bdz, always.
  const uint32_t bo = g.r.pick<uint32_t>({0, 2, 4, 8, 10, 12, 16, 18, 20});
  const uint32_t bi = g.r.below(32);
  switch (g.r.below(6)) {
    case 0: case 1: case 2:
      u.push_back(fmt::format("{} {},{},1f", g.r.chance(25) ? "bcl" : "bc", bo, bi));
      skipped(g, u);
      u.push_back("1:");
      break;
    case 3: {  // bcctr: CTR holds the target, so BO must not decrement it
      const uint32_t bo_ctr = g.r.pick<uint32_t>({4, 12, 20});
      const int t = g.gd_not({});
      u.push_back(fmt::format("lis {},1f@ha", gpr(t)));
      u.push_back(fmt::format("addi {0},{0},1f@l", gpr(t)));
      u.push_back(fmt::format("mtctr {}", gpr(t)));
      u.push_back(fmt::format("{} {},{}", g.r.chance(25) ? "bcctrl" : "bcctr", bo_ctr, bi));
      skipped(g, u);
      u.push_back("1:");
      break;
    }
    case 4: {  // bclr to a label through LR
      const int t = g.gd_not({});
      u.push_back(fmt::format("lis {},1f@ha", gpr(t)));
      u.push_back(fmt::format("addi {0},{0},1f@l", gpr(t)));
      u.push_back(fmt::format("mtlr {}", gpr(t)));
      u.push_back(fmt::format("{} {},{}", g.r.chance(25) ? "bclrl" : "bclr", bo, bi));
      skipped(g, u);
      u.push_back("1:");
      break;
    }
    default:  // the position-independent-code idiom: LR <- address of the next instruction
      u.push_back(g.r.chance(50) ? "bl 1f" : "bcl 20,31,1f");
      u.push_back("1:");
  }
}

}  // namespace difffuzz
