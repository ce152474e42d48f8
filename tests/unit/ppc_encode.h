// Encoders of the PowerPC instructions the JIT unit tests hand-assemble (jit_*_test.cc).
#pragma once
#include <cstdint>

namespace ppc_encode {

constexpr uint32_t D(uint32_t op, uint32_t rt, uint32_t ra, int32_t d) {
  return op << 26 | rt << 21 | ra << 16 | (uint32_t(d) & 0xFFFF);
}
constexpr uint32_t X(uint32_t rt, uint32_t ra, uint32_t rb, uint32_t xo) {
  return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | xo << 1;
}
constexpr uint32_t li(uint32_t rt, int32_t v) { return D(14, rt, 0, v); }
constexpr uint32_t lis(uint32_t rt, int32_t v) { return D(15, rt, 0, v); }
constexpr uint32_t addi(uint32_t rt, uint32_t ra, int32_t v) { return D(14, rt, ra, v); }
constexpr uint32_t ori(uint32_t ra, uint32_t rs, uint32_t v) { return D(24, rs, ra, int32_t(v)); }
constexpr uint32_t cmpwi(uint32_t ra, int32_t v) { return D(11, 0, ra, v); }
// Compares into CR field `bf`; `l` compares doublewords.
constexpr uint32_t cmpwi_cr(uint32_t bf, uint32_t ra, int32_t v) { return D(11, bf << 2, ra, v); }
constexpr uint32_t cmplwi_cr(uint32_t bf, uint32_t ra, uint32_t v) { return D(10, bf << 2, ra, int32_t(v)); }
constexpr uint32_t cmp_cr(uint32_t bf, bool l, uint32_t ra, uint32_t rb) { return X(bf << 2 | uint32_t(l), ra, rb, 0); }
constexpr uint32_t cmpl_cr(uint32_t bf, bool l, uint32_t ra, uint32_t rb) { return X(bf << 2 | uint32_t(l), ra, rb, 32); }
constexpr uint32_t andi_rc(uint32_t ra, uint32_t rs, uint32_t v) { return D(28, rs, ra, int32_t(v)); }
constexpr uint32_t add_rc(uint32_t rt, uint32_t ra, uint32_t rb) { return X(rt, ra, rb, 266) | 1; }
constexpr uint32_t mfcr(uint32_t rt) { return X(rt, 0, 0, 19); }
// bc on CR bit `bi` (4 * field + LT 0 / GT 1 / EQ 2 / SO 3): if set (bc_true) or clear (bc_false).
constexpr uint32_t bc_true(uint32_t bi, int32_t disp) { return D(16, 12, bi, disp); }
constexpr uint32_t bc_false(uint32_t bi, int32_t disp) { return D(16, 4, bi, disp); }
constexpr uint32_t lbz(uint32_t rt, uint32_t ra, int32_t d) { return D(34, rt, ra, d); }
constexpr uint32_t lhz(uint32_t rt, uint32_t ra, int32_t d) { return D(40, rt, ra, d); }
constexpr uint32_t lwz(uint32_t rt, uint32_t ra, int32_t d) { return D(32, rt, ra, d); }
constexpr uint32_t lfd(uint32_t rt, uint32_t ra, int32_t d) { return D(50, rt, ra, d); }
constexpr uint32_t stw(uint32_t rs, uint32_t ra, int32_t d) { return D(36, rs, ra, d); }
constexpr uint32_t add(uint32_t rt, uint32_t ra, uint32_t rb) { return X(rt, ra, rb, 266); }
constexpr uint32_t divw(uint32_t rt, uint32_t ra, uint32_t rb) { return X(rt, ra, rb, 491); }
constexpr uint32_t addc(uint32_t rt, uint32_t ra, uint32_t rb) { return X(rt, ra, rb, 10); }
constexpr uint32_t adde(uint32_t rt, uint32_t ra, uint32_t rb) { return X(rt, ra, rb, 138); }
constexpr uint32_t mr(uint32_t ra, uint32_t rs) { return X(rs, ra, rs, 444); }
constexpr uint32_t icbi(uint32_t ra, uint32_t rb) { return X(0, ra, rb, 982); }
constexpr uint32_t rlwinm(uint32_t ra, uint32_t rs, uint32_t sh, uint32_t mb, uint32_t me) {
  return 21u << 26 | rs << 21 | ra << 16 | sh << 11 | mb << 6 | me << 1;
}
// mtspr/mfspr: the SPR number's halves swapped in the instruction.
constexpr uint32_t mtspr(uint32_t spr, uint32_t rs) { return X(rs, spr & 31, spr >> 5, 467); }
constexpr uint32_t mfspr(uint32_t rt, uint32_t spr) { return X(rt, spr & 31, spr >> 5, 339); }
constexpr uint32_t beq(int32_t disp) { return D(16, 12, 2, disp); }
constexpr uint32_t bgt(int32_t disp) { return D(16, 12, 1, disp); }
constexpr uint32_t blt(int32_t disp) { return D(16, 12, 0, disp); }
constexpr uint32_t bdnz(int32_t disp) { return D(16, 16, 0, disp); }
// bc with any BO (CTR decrement and test, CR bit test) on CR bit `bi`.
constexpr uint32_t bc_bo(uint32_t bo, uint32_t bi, int32_t disp) { return D(16, bo, bi, disp); }
constexpr uint32_t stb(uint32_t rs, uint32_t ra, int32_t d) { return D(38, rs, ra, d); }
constexpr uint32_t b(int32_t disp) { return 18u << 26 | (uint32_t(disp) & 0x03FFFFFC); }
constexpr uint32_t bl(int32_t disp) { return b(disp) | 1; }
constexpr uint32_t kMftb = 31u << 26 | 5u << 21 | (268u & 31) << 16 | (268u >> 5) << 11 | 371u << 1;
constexpr uint32_t kSc = 0x44000002;
constexpr uint32_t kBlr = 0x4E800020;
constexpr uint32_t kNop = 0x60000000;

}  // namespace ppc_encode
