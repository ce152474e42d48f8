#include <stdexcept>

#include <fmt/format.h>

#include "grammar.h"

namespace difffuzz {

unsigned parse_classes(const std::string& list) {
  unsigned bits = 0;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t end = list.find(',', pos);
    if (end == std::string::npos) end = list.size();
    std::string name = list.substr(pos, end - pos);
    if (name == "int") bits |= kInt;
    else if (name == "cr") bits |= kCr;
    else if (name == "ldst") bits |= kLdst;
    else if (name == "fp") bits |= kFp;
    else if (name == "vmx") bits |= kVmx;
    else if (name == "ext") bits |= kExt;
    else if (name == "br") bits |= kBr;
    else if (name == "vmx128") bits |= kVmx128;
    else if (name == "all") bits |= kInt | kCr | kLdst | kFp | kVmx | kBr;
    else throw std::runtime_error("unknown instruction class '" + name + "' (int, cr, ldst, fp, vmx, br, ext, vmx128, all)");
    pos = end + 1;
  }
  return bits;
}

std::string gpr(int n) { return fmt::format("r{}", n); }

int Gen::gd() {
  int n = int(r.below(31));
  return n == 0 ? 0 : n + 1;
}

int Gen::gd_not(std::initializer_list<int> avoid) {
  for (;;) {
    int n = 2 + int(r.below(30));
    bool ok = true;
    for (int a : avoid) ok &= a != n;
    if (ok) return n;
  }
}

int64_t Gen::simm16() {
  switch (r.below(6)) {
    case 0: return r.pick<int64_t>({0, 1, -1, 0x7FFF, -0x8000, 2, -2});
    case 1: return r.range(-16, 16);
    default: return r.range(-0x8000, 0x7FFF);
  }
}

uint32_t Gen::uimm16() {
  switch (r.below(6)) {
    case 0: return r.pick<uint32_t>({0, 1, 0xFFFF, 0x8000, 0x7FFF, 0xFF00, 0x00FF});
    default: return r.below(0x10000);
  }
}

Block make_block(uint64_t seed, uint64_t block, unsigned classes) {
  Rng r(seed, block, 2);
  Gen g{r, classes};
  std::vector<void (*)(Gen&, Unit&)> fns;
  if (classes & kInt) fns.push_back(gen_int);
  if (classes & kCr) fns.push_back(gen_cr);
  if (classes & kLdst) fns.push_back(gen_ldst);
  if (classes & kFp) fns.push_back(gen_fp);
  if (classes & kVmx) fns.push_back(gen_vmx);
  if (classes & kExt) fns.push_back(gen_ext);
  if (classes & kBr) fns.push_back(gen_br);
  if (classes & kVmx128) fns.push_back(gen_vmx128);
  Block b;
  if (fns.empty()) return b;
  const uint32_t n = 4 + r.below(29);
  for (uint32_t k = 0; k < n; ++k) {
    Unit u;
    fns[r.below(uint32_t(fns.size()))](g, u);
    b.units.push_back(std::move(u));
  }
  return b;
}

}  // namespace difffuzz
