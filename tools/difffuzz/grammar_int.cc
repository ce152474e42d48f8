// Class `int`: integer arithmetic (with o/. forms), logical, rotate/shift (32- and 64-bit),
// compares, sign extension, count leading zeros, multiply and divide.
#include <fmt/format.h>

#include "grammar.h"

namespace difffuzz {

namespace {

const char* dot(Gen& g) { return g.r.chance(40) ? "." : ""; }

struct XoOp {
  const char* name;
  bool oe;     // has an OE (o) form
  bool unary;  // rD, rA only
  bool divide; // needs the divisor guard
  bool word;   // 32-bit result: RT[0:31] and (in 64-bit mode) CR0[LT,GT,EQ] are undefined
};
constexpr XoOp kXo[] = {
    {"add", true, false, false, false},    {"addc", true, false, false, false},  {"adde", true, false, false, false},
    {"subf", true, false, false, false},   {"subfc", true, false, false, false}, {"subfe", true, false, false, false},
    {"addme", true, true, false, false},   {"addze", true, true, false, false},  {"subfme", true, true, false, false},
    {"subfze", true, true, false, false},  {"neg", true, true, false, false},    {"mullw", true, false, false, false},
    {"mulld", true, false, false, false},  {"mulhw", false, false, false, true}, {"mulhwu", false, false, false, true},
    {"mulhd", false, false, false, false}, {"mulhdu", false, false, false, false}, {"divw", true, false, true, true},
    {"divwu", true, false, true, true},    {"divd", true, false, true, false},   {"divdu", true, false, true, false},
};

void xo(Gen& g, Unit& u) {
  const XoOp& op = kXo[g.r.below(sizeof kXo / sizeof kXo[0])];
  std::string m = op.name;
  if (op.oe && g.r.chance(40)) m += "o";
  // mulhw/mulhwu/divw/divwu leave RT[0:31] undefined, and CR0[LT,GT,EQ] too in 64-bit mode
  // (qemu zero-extends; hexad may choose otherwise): no record form, and the upper word is
  // cleared right after (clrldi) so only the architected low word is compared.
  if (!op.word) m += dot(g);
  int d = g.gd(), a = g.gs(), b = g.gs();
  if (op.divide) {
    // Division by zero and (most negative) / -1 are undefined: force the divisor's low two
    // bits to 01, so it is neither 0 nor -1 in 32 or 64 bits and its other bits stay random.
    if (b < 2) b = g.gd_not({});
    u.push_back(fmt::format("ori {0},{0},3", gpr(b)));
    u.push_back(fmt::format("xori {0},{0},2", gpr(b)));
  }
  if (op.unary) u.push_back(fmt::format("{} {},{}", m, gpr(d), gpr(a)));
  else u.push_back(fmt::format("{} {},{},{}", m, gpr(d), gpr(a), gpr(b)));
  if (op.word) u.push_back(fmt::format("clrldi {0},{0},32", gpr(d)));
}

void dform(Gen& g, Unit& u) {
  int d = g.gd(), a = g.gs();
  switch (g.r.below(12)) {
    case 0: u.push_back(fmt::format("addi {},{},{}", gpr(d), gpr(a), g.simm16())); break;
    case 1: u.push_back(fmt::format("addis {},{},{}", gpr(d), gpr(a), g.simm16())); break;
    case 2: u.push_back(fmt::format("addic {},{},{}", gpr(d), gpr(a), g.simm16())); break;
    case 3: u.push_back(fmt::format("addic. {},{},{}", gpr(d), gpr(a), g.simm16())); break;
    case 4: u.push_back(fmt::format("subfic {},{},{}", gpr(d), gpr(a), g.simm16())); break;
    case 5: u.push_back(fmt::format("mulli {},{},{}", gpr(d), gpr(a), g.simm16())); break;
    case 6: u.push_back(fmt::format("andi. {},{},{}", gpr(d), gpr(a), g.uimm16())); break;
    case 7: u.push_back(fmt::format("andis. {},{},{}", gpr(d), gpr(a), g.uimm16())); break;
    case 8: u.push_back(fmt::format("ori {},{},{}", gpr(d), gpr(a), g.uimm16())); break;
    case 9: u.push_back(fmt::format("oris {},{},{}", gpr(d), gpr(a), g.uimm16())); break;
    case 10: u.push_back(fmt::format("xori {},{},{}", gpr(d), gpr(a), g.uimm16())); break;
    default: u.push_back(fmt::format("xoris {},{},{}", gpr(d), gpr(a), g.uimm16())); break;
  }
}

void logical(Gen& g, Unit& u) {
  static const char* kBin[] = {"and", "andc", "or", "orc", "xor", "nand", "nor", "eqv"};
  // popcntb and cmpb are left out: qemu's 970 model has neither (they are POWER5 / ISA 2.05).
  static const char* kUn[] = {"extsb", "extsh", "extsw", "cntlzw", "cntlzd"};
  if (g.r.chance(60)) {
    u.push_back(fmt::format("{}{} {},{},{}", kBin[g.r.below(8)], dot(g), gpr(g.gd()), gpr(g.gs()), gpr(g.gs())));
  } else {
    u.push_back(fmt::format("{}{} {},{}", kUn[g.r.below(5)], dot(g), gpr(g.gd()), gpr(g.gs())));
  }
}

void rotate(Gen& g, Unit& u) {
  int a = g.gd(), s = g.gs(), b = g.gs();
  const char* d = dot(g);
  auto n32 = [&] { return g.r.below(32); };
  auto n64 = [&] { return g.r.chance(15) ? g.r.pick<uint32_t>({0, 31, 32, 63}) : g.r.below(64); };
  switch (g.r.below(17)) {
    case 0: u.push_back(fmt::format("rlwinm{} {},{},{},{},{}", d, gpr(a), gpr(s), n32(), n32(), n32())); break;
    case 1: u.push_back(fmt::format("rlwnm{} {},{},{},{},{}", d, gpr(a), gpr(s), gpr(b), n32(), n32())); break;
    case 2: u.push_back(fmt::format("rlwimi{} {},{},{},{},{}", d, gpr(a), gpr(s), n32(), n32(), n32())); break;
    case 3: u.push_back(fmt::format("rldicl{} {},{},{},{}", d, gpr(a), gpr(s), n64(), n64())); break;
    case 4: u.push_back(fmt::format("rldicr{} {},{},{},{}", d, gpr(a), gpr(s), n64(), n64())); break;
    case 5: u.push_back(fmt::format("rldic{} {},{},{},{}", d, gpr(a), gpr(s), n64(), n64())); break;
    case 6: u.push_back(fmt::format("rldimi{} {},{},{},{}", d, gpr(a), gpr(s), n64(), n64())); break;
    case 7: u.push_back(fmt::format("rldcl{} {},{},{},{}", d, gpr(a), gpr(s), gpr(b), n64())); break;
    case 8: u.push_back(fmt::format("rldcr{} {},{},{},{}", d, gpr(a), gpr(s), gpr(b), n64())); break;
    case 9: u.push_back(fmt::format("slw{} {},{},{}", d, gpr(a), gpr(s), gpr(b))); break;
    case 10: u.push_back(fmt::format("srw{} {},{},{}", d, gpr(a), gpr(s), gpr(b))); break;
    case 11: u.push_back(fmt::format("sraw{} {},{},{}", d, gpr(a), gpr(s), gpr(b))); break;
    case 12: u.push_back(fmt::format("sld{} {},{},{}", d, gpr(a), gpr(s), gpr(b))); break;
    case 13: u.push_back(fmt::format("srd{} {},{},{}", d, gpr(a), gpr(s), gpr(b))); break;
    case 14: u.push_back(fmt::format("srad{} {},{},{}", d, gpr(a), gpr(s), gpr(b))); break;
    case 15: u.push_back(fmt::format("srawi{} {},{},{}", d, gpr(a), gpr(s), n32())); break;
    default: u.push_back(fmt::format("sradi{} {},{},{}", d, gpr(a), gpr(s), n64())); break;
  }
}

void compare(Gen& g, Unit& u) {
  int f = g.crf(), a = g.gs(), b = g.gs();
  switch (g.r.below(8)) {
    case 0: u.push_back(fmt::format("cmpw {},{},{}", f, gpr(a), gpr(b))); break;
    case 1: u.push_back(fmt::format("cmpd {},{},{}", f, gpr(a), gpr(b))); break;
    case 2: u.push_back(fmt::format("cmplw {},{},{}", f, gpr(a), gpr(b))); break;
    case 3: u.push_back(fmt::format("cmpld {},{},{}", f, gpr(a), gpr(b))); break;
    case 4: u.push_back(fmt::format("cmpwi {},{},{}", f, gpr(a), g.simm16())); break;
    case 5: u.push_back(fmt::format("cmpdi {},{},{}", f, gpr(a), g.simm16())); break;
    case 6: u.push_back(fmt::format("cmplwi {},{},{}", f, gpr(a), g.uimm16())); break;
    default: u.push_back(fmt::format("cmpldi {},{},{}", f, gpr(a), g.uimm16())); break;
  }
}

}  // namespace

void gen_int(Gen& g, Unit& u) {
  switch (g.r.below(10)) {
    case 0: case 1: case 2: xo(g, u); break;
    case 3: case 4: dform(g, u); break;
    case 5: logical(g, u); break;
    case 6: case 7: rotate(g, u); break;
    default: compare(g, u); break;
  }
}

}  // namespace difffuzz
