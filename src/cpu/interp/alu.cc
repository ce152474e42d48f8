// Integer arithmetic and logical unit: add/subtract families (CA, OE, Rc), multiply, divide,
// logical immediates and registers, sign extension, count leading zeros, popcntb, cmpb.
#include <bit>

#include "cpu/interp/helpers.h"

namespace hexad::cpu::interp {
namespace {

using u128 = unsigned __int128;
using i128 = __int128;

// Common tail of XO-form arithmetic: write RT, then OV (when OE=1), then CR0 (when Rc=1) so that
// CR0[SO] copies the updated XER[SO].
inline void finish_xo(ThreadContext& c, Instr i, uint64_t value, bool ov) {
  R(c, i.rt()) = value;
  if (i.oe()) set_ov(c, ov);
  if (i.rc()) set_cr0(c, value);
}
inline void finish_xo_ca(ThreadContext& c, Instr i, const AddResult& r) {
  c.xer_ca = r.ca;
  finish_xo(c, i, r.value, r.ov);
}

// ---- add / subtract, immediate forms -------------------------------------------------------

void addi(ThreadContext& c, Instr i) { R(c, i.rt()) = ra0(c, i) + uint64_t(i.simm()); }
void addis(ThreadContext& c, Instr i) { R(c, i.rt()) = ra0(c, i) + (uint64_t(i.simm()) << 16); }
// addi/addis with RA=0 (li/lis) have their own entries: sharing a step with the RA forms, the
// host branch on RA would be unpredictable.
void li(ThreadContext& c, Instr i) { R(c, i.rt()) = uint64_t(i.simm()); }
void lis(ThreadContext& c, Instr i) { R(c, i.rt()) = uint64_t(i.simm()) << 16; }

void addic(ThreadContext& c, Instr i) {
  AddResult r = add_with_carry(c, R(c, i.ra()), uint64_t(i.simm()), 0);
  R(c, i.rt()) = r.value;
  c.xer_ca = r.ca;
}
void addic_rc(ThreadContext& c, Instr i) {
  AddResult r = add_with_carry(c, R(c, i.ra()), uint64_t(i.simm()), 0);
  R(c, i.rt()) = r.value;
  c.xer_ca = r.ca;
  set_cr0(c, r.value);
}
void subfic(ThreadContext& c, Instr i) {
  AddResult r = add_with_carry(c, ~R(c, i.ra()), uint64_t(i.simm()), 1);
  R(c, i.rt()) = r.value;
  c.xer_ca = r.ca;
}

// ---- add / subtract, XO-form ---------------------------------------------------------------

void add(ThreadContext& c, Instr i) {
  AddResult r = add_with_carry(c, R(c, i.ra()), R(c, i.rb()), 0);
  finish_xo(c, i, r.value, r.ov);
}
void addc(ThreadContext& c, Instr i) { finish_xo_ca(c, i, add_with_carry(c, R(c, i.ra()), R(c, i.rb()), 0)); }
void adde(ThreadContext& c, Instr i) {
  finish_xo_ca(c, i, add_with_carry(c, R(c, i.ra()), R(c, i.rb()), c.xer_ca));
}
void addme(ThreadContext& c, Instr i) { finish_xo_ca(c, i, add_with_carry(c, R(c, i.ra()), ~0ull, c.xer_ca)); }
void addze(ThreadContext& c, Instr i) { finish_xo_ca(c, i, add_with_carry(c, R(c, i.ra()), 0, c.xer_ca)); }

void subf(ThreadContext& c, Instr i) {
  AddResult r = add_with_carry(c, ~R(c, i.ra()), R(c, i.rb()), 1);
  finish_xo(c, i, r.value, r.ov);
}
void subfc(ThreadContext& c, Instr i) { finish_xo_ca(c, i, add_with_carry(c, ~R(c, i.ra()), R(c, i.rb()), 1)); }
void subfe(ThreadContext& c, Instr i) {
  finish_xo_ca(c, i, add_with_carry(c, ~R(c, i.ra()), R(c, i.rb()), c.xer_ca));
}
void subfme(ThreadContext& c, Instr i) { finish_xo_ca(c, i, add_with_carry(c, ~R(c, i.ra()), ~0ull, c.xer_ca)); }
void subfze(ThreadContext& c, Instr i) { finish_xo_ca(c, i, add_with_carry(c, ~R(c, i.ra()), 0, c.xer_ca)); }
void neg(ThreadContext& c, Instr i) {
  // ~RA + 1: overflows (mode-sized) exactly for the most negative value; CA is not touched.
  AddResult r = add_with_carry(c, ~R(c, i.ra()), 0, 1);
  finish_xo(c, i, r.value, r.ov);
}

// ---- multiply ------------------------------------------------------------------------------

void mulli(ThreadContext& c, Instr i) { R(c, i.rt()) = R(c, i.ra()) * uint64_t(i.simm()); }

// mullw: the full 64-bit product of the signed low words (both modes); OV when it does not fit
// in 32 bits.
void mullw(ThreadContext& c, Instr i) {
  int64_t p = int64_t(int32_t(uint32_t(R(c, i.ra())))) * int64_t(int32_t(uint32_t(R(c, i.rb()))));
  finish_xo(c, i, uint64_t(p), p != int64_t(int32_t(p)));
}
// mulhw/mulhwu: bits 0:31 of RT are undefined by the ISA. mulhw sign-extends the high word and
// mulhwu zero-extends it (the values the conformance cases expect; qemu-ppc64 zero-extends both).
void mulhw(ThreadContext& c, Instr i) {
  int64_t p = int64_t(int32_t(uint32_t(R(c, i.ra())))) * int64_t(int32_t(uint32_t(R(c, i.rb()))));
  uint64_t v = uint64_t(int64_t(int32_t(uint32_t(uint64_t(p) >> 32))));
  R(c, i.rt()) = v;
  if (i.rc()) set_cr0(c, v);
}
void mulhwu(ThreadContext& c, Instr i) {
  uint64_t p = (R(c, i.ra()) & 0xFFFFFFFFull) * (R(c, i.rb()) & 0xFFFFFFFFull);
  uint64_t v = p >> 32;
  R(c, i.rt()) = v;
  if (i.rc()) set_cr0(c, v);
}
void mulld(ThreadContext& c, Instr i) {
  int64_t p;
  bool ov = __builtin_mul_overflow(int64_t(R(c, i.ra())), int64_t(R(c, i.rb())), &p);
  finish_xo(c, i, uint64_t(p), ov);
}
void mulhd(ThreadContext& c, Instr i) {
  i128 p = i128(int64_t(R(c, i.ra()))) * i128(int64_t(R(c, i.rb())));
  uint64_t v = uint64_t(u128(p) >> 64);
  R(c, i.rt()) = v;
  if (i.rc()) set_cr0(c, v);
}
void mulhdu(ThreadContext& c, Instr i) {
  u128 p = u128(R(c, i.ra())) * u128(R(c, i.rb()));
  uint64_t v = uint64_t(p >> 64);
  R(c, i.rt()) = v;
  if (i.rc()) set_cr0(c, v);
}

// ---- divide --------------------------------------------------------------------------------
// Division by zero and the signed overflow case (most negative / -1) have an undefined result;
// this implementation writes 0 and sets OV (when OE=1). divw/divwu write the 32-bit quotient
// zero-extended (bits 0:31 are undefined; this matches qemu).

void divw(ThreadContext& c, Instr i) {
  int32_t a = int32_t(uint32_t(R(c, i.ra()))), b = int32_t(uint32_t(R(c, i.rb())));
  bool ov = b == 0 || (a == INT32_MIN && b == -1);
  uint64_t v = ov ? 0 : uint64_t(uint32_t(a / b));
  finish_xo(c, i, v, ov);
}
void divwu(ThreadContext& c, Instr i) {
  uint32_t a = uint32_t(R(c, i.ra())), b = uint32_t(R(c, i.rb()));
  bool ov = b == 0;
  finish_xo(c, i, ov ? 0 : uint64_t(a / b), ov);
}
void divd(ThreadContext& c, Instr i) {
  int64_t a = int64_t(R(c, i.ra())), b = int64_t(R(c, i.rb()));
  bool ov = b == 0 || (a == INT64_MIN && b == -1);
  finish_xo(c, i, ov ? 0 : uint64_t(a / b), ov);
}
void divdu(ThreadContext& c, Instr i) {
  uint64_t a = R(c, i.ra()), b = R(c, i.rb());
  bool ov = b == 0;
  finish_xo(c, i, ov ? 0 : a / b, ov);
}

// ---- logical -------------------------------------------------------------------------------
// D-form logicals: RA <- RS op UIMM. X-form: RA <- RS op RB, CR0 when Rc=1.

void andi_rc(ThreadContext& c, Instr i) {
  uint64_t v = R(c, i.rs()) & i.uimm();
  R(c, i.ra()) = v;
  set_cr0(c, v);
}
void andis_rc(ThreadContext& c, Instr i) {
  uint64_t v = R(c, i.rs()) & (i.uimm() << 16);
  R(c, i.ra()) = v;
  set_cr0(c, v);
}
void ori(ThreadContext& c, Instr i) { R(c, i.ra()) = R(c, i.rs()) | i.uimm(); }
void oris(ThreadContext& c, Instr i) { R(c, i.ra()) = R(c, i.rs()) | (i.uimm() << 16); }
void xori(ThreadContext& c, Instr i) { R(c, i.ra()) = R(c, i.rs()) ^ i.uimm(); }
void xoris(ThreadContext& c, Instr i) { R(c, i.ra()) = R(c, i.rs()) ^ (i.uimm() << 16); }

inline void logical_result(ThreadContext& c, Instr i, uint64_t v) {
  R(c, i.ra()) = v;
  if (i.rc()) set_cr0(c, v);
}
void and_(ThreadContext& c, Instr i) { logical_result(c, i, R(c, i.rs()) & R(c, i.rb())); }
void andc(ThreadContext& c, Instr i) { logical_result(c, i, R(c, i.rs()) & ~R(c, i.rb())); }
void or_(ThreadContext& c, Instr i) { logical_result(c, i, R(c, i.rs()) | R(c, i.rb())); }
void orc(ThreadContext& c, Instr i) { logical_result(c, i, R(c, i.rs()) | ~R(c, i.rb())); }
void xor_(ThreadContext& c, Instr i) { logical_result(c, i, R(c, i.rs()) ^ R(c, i.rb())); }
void nand(ThreadContext& c, Instr i) { logical_result(c, i, ~(R(c, i.rs()) & R(c, i.rb()))); }
void nor(ThreadContext& c, Instr i) { logical_result(c, i, ~(R(c, i.rs()) | R(c, i.rb()))); }
void eqv(ThreadContext& c, Instr i) { logical_result(c, i, ~(R(c, i.rs()) ^ R(c, i.rb()))); }

void extsb(ThreadContext& c, Instr i) { logical_result(c, i, uint64_t(int64_t(int8_t(uint8_t(R(c, i.rs())))))); }
void extsh(ThreadContext& c, Instr i) { logical_result(c, i, uint64_t(int64_t(int16_t(uint16_t(R(c, i.rs())))))); }
void extsw(ThreadContext& c, Instr i) { logical_result(c, i, uint64_t(int64_t(int32_t(uint32_t(R(c, i.rs())))))); }

void cntlzw(ThreadContext& c, Instr i) { logical_result(c, i, uint64_t(std::countl_zero(uint32_t(R(c, i.rs()))))); }
void cntlzd(ThreadContext& c, Instr i) { logical_result(c, i, uint64_t(std::countl_zero(R(c, i.rs())))); }

// popcntb: each byte of RA is the number of 1 bits in the same byte of RS. No record form.
void popcntb(ThreadContext& c, Instr i) {
  uint64_t s = R(c, i.rs()), v = 0;
  for (int b = 0; b < 64; b += 8) v |= uint64_t(std::popcount((s >> b) & 0xFF)) << b;
  R(c, i.ra()) = v;
}
// cmpb: each byte of RA is 0xFF where the bytes of RS and RB are equal, else 0x00.
void cmpb(ThreadContext& c, Instr i) {
  uint64_t s = R(c, i.rs()), b = R(c, i.rb()), v = 0;
  for (int k = 0; k < 64; k += 8)
    if (((s >> k) & 0xFF) == ((b >> k) & 0xFF)) v |= 0xFFull << k;
  R(c, i.ra()) = v;
}

constexpr OpEntry kOps[] = {
    op<addi>("addi"),
    op<addis>("addis"),
    op<li>("addi(li)"),
    op<lis>("addis(lis)"),
    op<addic>("addic"),
    op<addic_rc>("addic."),
    op<subfic>("subfic"),
    op<mulli>("mulli"),

    op<add>("add"),
    op<addc>("addc"),
    op<adde>("adde"),
    op<addme>("addme"),
    op<addze>("addze"),
    op<subf>("subf"),
    op<subfc>("subfc"),
    op<subfe>("subfe"),
    op<subfme>("subfme"),
    op<subfze>("subfze"),
    op<neg>("neg"),

    op<mullw>("mullw"),
    op<mulhw>("mulhw"),
    op<mulhwu>("mulhwu"),
    op<mulld>("mulld"),
    op<mulhd>("mulhd"),
    op<mulhdu>("mulhdu"),
    op<divw>("divw"),
    op<divwu>("divwu"),
    op<divd>("divd"),
    op<divdu>("divdu"),

    op<andi_rc>("andi."),
    op<andis_rc>("andis."),
    op<ori>("ori"),
    op<oris>("oris"),
    op<xori>("xori"),
    op<xoris>("xoris"),

    op<and_>("and"),
    op<andc>("andc"),
    op<or_>("or"),
    op<orc>("orc"),
    op<xor_>("xor"),
    op<nand>("nand"),
    op<nor>("nor"),
    op<eqv>("eqv"),
    op<extsb>("extsb"),
    op<extsh>("extsh"),
    op<extsw>("extsw"),
    op<cntlzw>("cntlzw"),
    op<cntlzd>("cntlzd"),
    op<popcntb>("popcntb"),
    op<cmpb>("cmpb"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> alu_ops() { return interp::kOps; }
}  // namespace hexad::cpu
