// Class `cr`: CR logical ops, mcrf, mfcr/mtcrf, mfocrf/mtocrf, mcrxr, XER moves (so later
// carry-consuming ops see chosen CA/OV/SO), and CTR/LR moves.
#include <fmt/format.h>

#include "grammar.h"

namespace difffuzz {

void gen_cr(Gen& g, Unit& u) {
  static const char* kCrOps[] = {"crand", "cror", "crxor", "crnand", "crnor", "creqv", "crandc", "crorc"};
  switch (g.r.below(12)) {
    case 0: case 1: case 2:
      u.push_back(fmt::format("{} {},{},{}", kCrOps[g.r.below(8)], g.r.below(32), g.r.below(32), g.r.below(32)));
      break;
    case 3: u.push_back(fmt::format("mcrf {},{}", g.crf(), g.crf())); break;
    case 4: u.push_back(fmt::format("mfcr {}", gpr(g.gd()))); break;
    case 5: u.push_back(fmt::format("mtcrf {},{}", g.r.below(256), gpr(g.gs()))); break;
    case 6: u.push_back(fmt::format("mfocrf {},{}", gpr(g.gd()), 0x80u >> g.r.below(8))); break;
    case 7: u.push_back(fmt::format("mtocrf {},{}", 0x80u >> g.r.below(8), gpr(g.gs()))); break;
    case 8: u.push_back(fmt::format("mcrxr {}", g.crf())); break;
    case 9: {
      // XER bits other than SO/OV/CA (32:34) and the byte count (57:63) are reserved; qemu keeps
      // whatever is written there, so the source is masked to 0xE000007F first.
      int t = g.gd();
      u.push_back(fmt::format("rlwinm {},{},0,25,2", gpr(t), gpr(g.gs())));
      u.push_back(fmt::format("mtxer {}", gpr(t)));
      break;
    }
    case 10: u.push_back(fmt::format("mfxer {}", gpr(g.gd()))); break;
    default:
      switch (g.r.below(4)) {
        case 0: u.push_back(fmt::format("mtctr {}", gpr(g.gs()))); break;
        case 1: u.push_back(fmt::format("mfctr {}", gpr(g.gd()))); break;
        case 2: u.push_back(fmt::format("mtlr {}", gpr(g.gs()))); break;
        default: u.push_back(fmt::format("mflr {}", gpr(g.gd()))); break;
      }
  }
}

}  // namespace difffuzz
