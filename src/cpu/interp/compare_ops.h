// The integer compares, in a header because the branch unit also builds fused compare-and-
// branch steps from them (branch.cc); the compare unit's table lists them (compare_cr.cc).
#pragma once
#include "cpu/interp/helpers.h"

namespace hexad::cpu::interp {

// L=1 compares 64-bit values, L=0 the low words; independent of MSR[SF].
inline int64_t signed_operand(uint64_t v, bool l) { return l ? int64_t(v) : int64_t(int32_t(uint32_t(v))); }
inline uint64_t unsigned_operand(uint64_t v, bool l) { return l ? v : (v & 0xFFFFFFFFull); }

inline void cmp(ThreadContext& c, Instr i) {
  set_cr_field_signed(c, i.crfd(), signed_operand(R(c, i.ra()), i.l_cmp()), signed_operand(R(c, i.rb()), i.l_cmp()));
}
inline void cmpi(ThreadContext& c, Instr i) {
  set_cr_field_signed(c, i.crfd(), signed_operand(R(c, i.ra()), i.l_cmp()), i.simm());
}
inline void cmpl(ThreadContext& c, Instr i) {
  set_cr_field_unsigned(c, i.crfd(), unsigned_operand(R(c, i.ra()), i.l_cmp()),
                        unsigned_operand(R(c, i.rb()), i.l_cmp()));
}
inline void cmpli(ThreadContext& c, Instr i) {
  set_cr_field_unsigned(c, i.crfd(), unsigned_operand(R(c, i.ra()), i.l_cmp()), i.uimm());
}

}  // namespace hexad::cpu::interp
