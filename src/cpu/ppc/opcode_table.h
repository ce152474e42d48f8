// An instruction set is data: each entry names a mnemonic, the bits that identify it (mask and
// value over the whole word), its handler and how it affects block formation. Units
// (alu, branch, loadstore, ...) each export a table; the decoder merges them.
#pragma once
#include <cstdint>
#include <span>

#include "cpu/ppc/instr.h"

namespace hexad::cpu {

struct ThreadContext;
using Handler = void (*)(ThreadContext&, Instr);

enum OpFlags : uint8_t {
  kOpNone = 0,
  kOpEndsBlock = 1,  // the block stops after this op (branches, sc, mftb, icbi, invalid)
  kOpSetsPc = 2,     // the handler writes ctx.pc with the next address
};

struct OpEntry {
  const char* mnemonic;
  uint32_t mask;
  uint32_t value;
  Handler fn;
  uint8_t flags;
};

// Mask/value builders named after the instruction forms of the ISA manual. The Rc bit (31) is
// left to the handler; the OE bit (21) too for XO-form arithmetic.
constexpr uint32_t op_primary(uint32_t opcd) { return opcd << 26; }
struct Form {
  uint32_t mask, value;
};
constexpr Form form_d(uint32_t opcd) { return {0xFC000000u, opcd << 26}; }
constexpr Form form_ds(uint32_t opcd, uint32_t xo) { return {0xFC000003u, opcd << 26 | xo}; }
constexpr Form form_x(uint32_t opcd, uint32_t xo) { return {0xFC0007FEu, opcd << 26 | xo << 1}; }
constexpr Form form_x_rc1(uint32_t opcd, uint32_t xo) { return {0xFC0007FFu, opcd << 26 | xo << 1 | 1}; }
constexpr Form form_xo(uint32_t opcd, uint32_t xo) { return {0xFC0003FEu, opcd << 26 | xo << 1}; }
constexpr Form form_xs(uint32_t opcd, uint32_t xo) { return {0xFC0007FCu, opcd << 26 | xo << 2}; }  // sradi
constexpr Form form_md(uint32_t opcd, uint32_t xo) { return {0xFC00001Cu, opcd << 26 | xo << 2}; }
constexpr Form form_mds(uint32_t opcd, uint32_t xo) { return {0xFC00001Eu, opcd << 26 | xo << 1}; }
constexpr Form form_a(uint32_t opcd, uint32_t xo) { return {0xFC00003Eu, opcd << 26 | xo << 1}; }
constexpr Form form_vx(uint32_t xo) { return {0xFC0007FFu, 4u << 26 | xo}; }
constexpr Form form_va(uint32_t xo) { return {0xFC00003Fu, 4u << 26 | xo}; }
constexpr Form form_vc(uint32_t xo) { return {0xFC0003FFu, 4u << 26 | xo}; }

constexpr OpEntry op(const char* name, Form f, Handler fn, uint8_t flags = kOpNone) {
  return {name, f.mask, f.value, fn, flags};
}

// Each unit's table. Defined in cpu/interp/<unit>.cc.
std::span<const OpEntry> alu_ops();
std::span<const OpEntry> rotate_shift_ops();
std::span<const OpEntry> compare_cr_ops();
std::span<const OpEntry> branch_ops();
std::span<const OpEntry> loadstore_ops();
std::span<const OpEntry> system_ops();
std::span<const OpEntry> fpu_loadstore_ops();
std::span<const OpEntry> fpu_arith_ops();
std::span<const OpEntry> fpu_convert_ops();
std::span<const OpEntry> fpscr_ops();
std::span<const OpEntry> vmx_int_ops();
std::span<const OpEntry> vmx_float_ops();
std::span<const OpEntry> vmx_permute_ops();
std::span<const OpEntry> vmx_loadstore_ops();
std::span<const OpEntry> vmx128_ops();


}  // namespace hexad::cpu
