// Class `ext`: integer instructions hexad implements that qemu's 970 model lacks — popcntb
// (ISA 2.02), cmpb (ISA 2.05), ldbrx/stdbrx (ISA 2.06). Needs a qemu model that has them
// (the runner requires --cpu power7 or later for this class).
#include <fmt/format.h>

#include "grammar.h"
#include "layout.h"

namespace difffuzz {

void gen_ext(Gen& g, Unit& u) {
  switch (g.r.below(4)) {
    case 0: u.push_back(fmt::format("popcntb {},{}", gpr(g.gd()), gpr(g.gs()))); break;
    case 1: u.push_back(fmt::format("cmpb {},{},{}", gpr(g.gd()), gpr(g.gs()), gpr(g.gs()))); break;
    default: {
      const int t = g.gd();
      u.push_back(fmt::format("li {},{}", gpr(t), g.r.range(-kReach, kReach - 8)));
      if (g.r.chance(50)) u.push_back(fmt::format("ldbrx {},r1,{}", gpr(g.gd()), gpr(t)));
      else u.push_back(fmt::format("stdbrx {},r1,{}", gpr(g.gs()), gpr(t)));
    }
  }
}

}  // namespace difffuzz
