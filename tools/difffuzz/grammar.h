// The instruction-class grammar: a block is a list of units; a unit is one instruction or a
// short sequence that must stay together (an operand guard before a divide, an address set-up
// before an indexed load, a lwarx/stwcx. pair). The minimizer deletes whole units.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "rng.h"

namespace difffuzz {

enum ClassBits : unsigned { kInt = 1, kCr = 2, kLdst = 4, kFp = 8, kVmx = 16, kExt = 32, kBr = 64, kVmx128 = 128 };

using Unit = std::vector<std::string>;
struct Block {
  std::vector<Unit> units;
};

// "int,cr,ldst,fp,vmx,br,ext,vmx128" (or "all" = all but ext and vmx128) -> ClassBits; throws std::runtime_error on an unknown name.
unsigned parse_classes(const std::string& list);

// The block for global index `block` of `seed` over `classes`; independent of batching.
Block make_block(uint64_t seed, uint64_t block, unsigned classes);

// Shared operand helpers for the class generators.
struct Gen {
  Rng& r;
  unsigned classes;
  // A GPR the block may write: r0, r2..r31 (r1 is the scratch-buffer base and stays fixed).
  int gd();
  // Any GPR as a source.
  int gs() { return int(r.below(32)); }
  // A GPR other than r0, r1 and those listed.
  int gd_not(std::initializer_list<int> avoid);
  int crf() { return int(r.below(8)); }
  int64_t simm16();
  uint32_t uimm16();
};

std::string gpr(int n);
void gen_int(Gen& g, Unit& u);
void gen_cr(Gen& g, Unit& u);
void gen_ldst(Gen& g, Unit& u);
void gen_fp(Gen& g, Unit& u);
void gen_vmx(Gen& g, Unit& u);
void gen_ext(Gen& g, Unit& u);
void gen_br(Gen& g, Unit& u);
void gen_vmx128(Gen& g, Unit& u);

}  // namespace difffuzz
