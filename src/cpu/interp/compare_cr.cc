// Compare and condition-register unit: cmp/cmpi/cmpl/cmpli, CR logical ops, mcrf, mcrxr,
// mfcr/mfocrf, mtcrf/mtocrf.
#include <bit>

#include "cpu/interp/compare_ops.h"
#include "cpu/interp/helpers.h"

namespace hexad::cpu::interp {
namespace {

// ---- CR logical (XL-form): CR[BT] <- CR[BA] op CR[BB] --------------------------------------

template <bool (*F)(bool, bool)>
void cr_logical(ThreadContext& c, Instr i) {
  set_cr_bit(c, i.crbd(), F(cr_bit(c, i.crba()), cr_bit(c, i.crbb())));
}
constexpr bool f_and(bool a, bool b) { return a && b; }
constexpr bool f_or(bool a, bool b) { return a || b; }
constexpr bool f_xor(bool a, bool b) { return a != b; }
constexpr bool f_nand(bool a, bool b) { return !(a && b); }
constexpr bool f_nor(bool a, bool b) { return !(a || b); }
constexpr bool f_eqv(bool a, bool b) { return a == b; }
constexpr bool f_andc(bool a, bool b) { return a && !b; }
constexpr bool f_orc(bool a, bool b) { return a || !b; }

void mcrf(ThreadContext& c, Instr i) { c.cr[i.crfd()] = c.cr[i.crfs()]; }

// mcrxr: CR field <- XER[SO, OV, CA] || 0, then those XER bits are cleared.
void mcrxr(ThreadContext& c, Instr i) {
  c.cr[i.crfd()] = uint8_t((c.xer_so ? kCrLT : 0) | (c.xer_ov ? kCrGT : 0) | (c.xer_ca ? kCrEQ : 0));
  c.xer_so = c.xer_ov = c.xer_ca = 0;
}

// ---- CR moves ------------------------------------------------------------------------------
// FXM bit 0 (mask 0x80) names CR field 0. A one-field form (mfocrf/mtocrf, instruction bit 11 set)
// with other than exactly one FXM bit set is undefined by the ISA; like qemu, it changes nothing.

void mfcr(ThreadContext& c, Instr i) { R(c, i.rt()) = c.cr_word(); }
void mfocrf(ThreadContext& c, Instr i) {
  uint32_t fxm = i.crm();
  if (!std::has_single_bit(fxm)) return;
  uint32_t field = uint32_t(std::countl_zero(fxm)) - 24;
  R(c, i.rt()) = uint64_t(c.cr[field] & 0xF) << (28 - 4 * field);
}
void mtcrf(ThreadContext& c, Instr i) {
  uint32_t fxm = i.crm(), s = uint32_t(R(c, i.rs()));
  for (uint32_t f = 0; f < 8; ++f)
    if (fxm & (0x80u >> f)) c.cr[f] = uint8_t((s >> (28 - 4 * f)) & 0xF);
}
void mtocrf(ThreadContext& c, Instr i) {
  if (std::has_single_bit(i.crm())) mtcrf(c, i);
}

constexpr OpEntry kOps[] = {
    op<cmp>("cmp"),
    op<cmpl>("cmpl"),
    op<cmpi>("cmpi"),
    op<cmpli>("cmpli"),
    op<cr_logical<f_and>>("crand"),
    op<cr_logical<f_or>>("cror"),
    op<cr_logical<f_xor>>("crxor"),
    op<cr_logical<f_nand>>("crnand"),
    op<cr_logical<f_nor>>("crnor"),
    op<cr_logical<f_eqv>>("creqv"),
    op<cr_logical<f_andc>>("crandc"),
    op<cr_logical<f_orc>>("crorc"),
    op<mcrf>("mcrf"),
    op<mcrxr>("mcrxr"),
    op<mfcr>("mfcr"),
    op<mfocrf>("mfocrf"),
    op<mtcrf>("mtcrf"),
    op<mtocrf>("mtocrf"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> compare_cr_ops() { return interp::kOps; }
}  // namespace hexad::cpu
