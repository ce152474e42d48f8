#include "cpu/interp/decoder.h"

#include "cpu/context.h"

namespace hexad::cpu {

namespace {
void op_invalid(ThreadContext&, Instr i) { throw InstructionFault{FaultKind::InvalidInstruction, i.w}; }
}  // namespace

const Decoder& Decoder::instance() {
  static const Decoder d;
  return d;
}

Decoder::Decoder() : by_id_(isa::kEntryCount, nullptr), invalid_{isa::kInvalidId, kOpEndsBlock, &op_invalid} {
  for (auto table : {alu_ops(), rotate_shift_ops(), compare_cr_ops(), branch_ops(), loadstore_ops(), system_ops(),
                     fpu_loadstore_ops(), fpu_arith_ops(), fpu_convert_ops(), fpscr_ops(), vmx_int_ops(),
                     vmx_float_ops(), vmx_permute_ops(), vmx_loadstore_ops(), vmx128_ops()})
    for (const OpEntry& e : table) {
      if (by_id_[e.isa_id])
        binding_errors_.push_back(std::string("bound twice: ") + isa::entry(e.isa_id).mnemonic);
      else
        by_id_[e.isa_id] = &e;
    }
  for (size_t id = 0; id < isa::kEntryCount; ++id)
    if (!by_id_[id]) binding_errors_.push_back(std::string("no handler: ") + isa::kEntries[id].mnemonic);
}

const OpEntry& Decoder::decode(uint32_t word) const {
  const isa::EntryId id = isa::Decoder::instance().decode(word);
  if (id == isa::kInvalidId || !by_id_[id]) return invalid_;
  return *by_id_[id];
}

}  // namespace hexad::cpu
