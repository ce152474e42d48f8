#include "cpu/decoder.h"

#include <algorithm>
#include <bit>

#include "cpu/context.h"

namespace hexad::cpu {

namespace {
void op_invalid(ThreadContext& ctx, Instr i) { throw InstructionFault{FaultKind::InvalidInstruction, i.w}; }
}  // namespace

const Decoder& Decoder::instance() {
  static const Decoder d;
  return d;
}

Decoder::Decoder() : invalid_{"(invalid)", 0, 0, &op_invalid, kOpEndsBlock} {
  for (auto table : {alu_ops(), rotate_shift_ops(), compare_cr_ops(), branch_ops(), loadstore_ops(), system_ops(),
                     fpu_loadstore_ops(), fpu_arith_ops(), fpu_convert_ops(), fpscr_ops(), vmx_int_ops(),
                     vmx_float_ops(), vmx_permute_ops(), vmx_loadstore_ops(), vmx128_ops()})
    for (const OpEntry& e : table) all_.push_back(&e);
  for (const OpEntry* e : all_) by_primary_[e->value >> 26].push_back(e);
  for (auto& list : by_primary_)
    std::stable_sort(list.begin(), list.end(), [](const OpEntry* a, const OpEntry* b) {
      return std::popcount(a->mask) > std::popcount(b->mask);
    });
}

const OpEntry& Decoder::decode(uint32_t word) const {
  for (const OpEntry* e : by_primary_[word >> 26])
    if ((word & e->mask) == e->value) return *e;
  return invalid_;
}

}  // namespace hexad::cpu
