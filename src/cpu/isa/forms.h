// Mask/value builders named after the instruction forms of the PowerPC ISA manual: the bits of
// a 32-bit word that identify an instruction (the opcode fields) and their values. The Rc bit
// (31) is left to the instruction's semantics; so is the OE bit (21) of XO-form arithmetic.
#pragma once
#include <cstdint>

namespace hexad::cpu::isa {

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

// IBM bit 11 of an X-form word: selects the one-field CR move forms (mfocrf, mtocrf).
constexpr uint32_t kBit11 = 1u << 20;
constexpr Form with_bit11(Form f, bool set) { return {f.mask | kBit11, f.value | (set ? kBit11 : 0)}; }

// mfspr with its SPR field fixed (halves swapped: for 268/269, bits 11-15 = 12/13, 16-20 = 8).
constexpr uint32_t kSprTbl = 268, kSprTbu = 269;
constexpr Form form_mfspr_fixed(uint32_t spr) {
  return {0xFC1FFFFEu, 31u << 26 | (spr & 31) << 16 | (spr >> 5) << 11 | 339u << 1};
}

}  // namespace hexad::cpu::isa
