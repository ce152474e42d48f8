// VMX (AltiVec) operations, each implemented once and addressed by register index so that both
// the 5-bit VMX encodings (vmx_*.cc) and the Xenon's 7-bit VMX128 encodings (vmx128.cc) decode
// into the same code. Indices are 0..127 (ThreadContext::vr).
//
// Conventions
// - Element order is the ISA's big-endian order: byte 0 / half 0 / word 0 is the most significant
//   (leftmost) element, held in the high bits of vr[n][0].
// - Every operation reads all of its sources before writing vd, so vd may alias any source.
// - Saturating operations set VSCR[SAT] (sticky) when any element saturated; nothing clears it
//   except mtvscr.
// - Record forms (`rc` true) set CR6: LT (0b1000) = the relation held for every element,
//   EQ (0b0010) = it held for none; GT and SO are cleared. vcmpbfp. sets only EQ (all in bounds).
// - Floating point follows the Xenon's VMX in non-Java mode: denormal inputs are read as zero
//   (sign kept) and denormal results are written as zero (sign kept); results use
//   round-to-nearest-even (vmaddfp/vnmsubfp round the product before adding, as the shared
//   suite expects; see vmx_float.cc); a NaN result is the first NaN operand (in the order the
//   ISA gives: A, then B, then C for A*C+B) made quiet, and an invalid operation without a
//   NaN operand gives the default NaN 0x7FC00000. VSCR[NJ] is stored but not consulted.
// - Loads/stores take the effective address already truncated to the guest's 32 bits; they
//   apply the ISA's alignment masking themselves (lvx: EA & ~15, lvehx: EA & ~1, ...).
//   Memory faults propagate (MemoryFault) before any register is written.
#pragma once
#include <cstdint>

#include "cpu/context.h"
#include "cpu/isa/instr.h"

namespace hexad::cpu::vmx {

// VSCR bits (IBM numbering within the 32-bit VSCR: NJ is bit 15, SAT bit 31).
constexpr uint32_t kVscrSat = 0x00000001u;
constexpr uint32_t kVscrNj = 0x00010000u;

// A 128-bit value with big-endian element accessors. Registers are copied into Vec before an
// operation and written back after it, which makes aliasing of vd with a source harmless.
struct Vec {
  uint32_t w[4];

  uint8_t b(unsigned i) const { return uint8_t(w[i >> 2] >> (24 - 8 * (i & 3))); }
  uint16_t h(unsigned i) const { return uint16_t(w[i >> 1] >> (16 - 16 * (i & 1))); }
  uint32_t word(unsigned i) const { return w[i]; }
  int8_t sb(unsigned i) const { return int8_t(b(i)); }
  int16_t sh(unsigned i) const { return int16_t(h(i)); }
  int32_t sw(unsigned i) const { return int32_t(w[i]); }

  void set_b(unsigned i, uint8_t v) {
    unsigned s = 24 - 8 * (i & 3);
    w[i >> 2] = (w[i >> 2] & ~(0xFFu << s)) | (uint32_t(v) << s);
  }
  void set_h(unsigned i, uint16_t v) {
    unsigned s = 16 - 16 * (i & 1);
    w[i >> 1] = (w[i >> 1] & ~(0xFFFFu << s)) | (uint32_t(v) << s);
  }
  void set_word(unsigned i, uint32_t v) { w[i] = v; }
};

inline Vec get(const ThreadContext& c, unsigned n) { return Vec{{c.vr[n][0], c.vr[n][1], c.vr[n][2], c.vr[n][3]}}; }
inline void put(ThreadContext& c, unsigned n, const Vec& v) {
  for (int k = 0; k < 4; ++k) c.vr[n][k] = v.w[k];
}

// Element accessors straight on the register file (big-endian element order).
inline uint8_t vr_byte(const ThreadContext& c, unsigned n, unsigned i) { return get(c, n).b(i); }
inline uint16_t vr_half(const ThreadContext& c, unsigned n, unsigned i) { return get(c, n).h(i); }
inline uint32_t vr_word(const ThreadContext& c, unsigned n, unsigned i) { return c.vr[n][i]; }
inline void set_vr_byte(ThreadContext& c, unsigned n, unsigned i, uint8_t v) {
  unsigned s = 24 - 8 * (i & 3);
  c.vr[n][i >> 2] = (c.vr[n][i >> 2] & ~(0xFFu << s)) | (uint32_t(v) << s);
}
inline void set_vr_half(ThreadContext& c, unsigned n, unsigned i, uint16_t v) {
  unsigned s = 16 - 16 * (i & 1);
  c.vr[n][i >> 1] = (c.vr[n][i >> 1] & ~(0xFFFFu << s)) | (uint32_t(v) << s);
}
inline void set_vr_word(ThreadContext& c, unsigned n, unsigned i, uint32_t v) { c.vr[n][i] = v; }

// Sets CR6 from "all elements true" / "no element true".
inline void set_cr6(ThreadContext& c, bool all, bool none) {
  c.cr[6] = uint8_t((all ? kCrLT : 0) | (none ? kCrEQ : 0));
}

// Single-precision helpers with the VMX's non-Java semantics (see above). Bit patterns in, bit
// patterns out; deterministic on any host.
uint32_t flush_denormal(uint32_t f);  // denormal -> signed zero, others unchanged
uint32_t fp_add(uint32_t a, uint32_t b);
uint32_t fp_sub(uint32_t a, uint32_t b);
uint32_t fp_mul(uint32_t a, uint32_t b);                 // for VMX128's vmulfp128
uint32_t fp_madd(uint32_t a, uint32_t c, uint32_t b);    // a*c + b (product rounded first)
uint32_t fp_nmsub(uint32_t a, uint32_t c, uint32_t b);   // -(a*c - b) (product rounded first)

// ---------------------------------------------------------------- integer arithmetic
void vaddubm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vadduhm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vadduwm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vaddubs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vadduhs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vadduws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vaddsbs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vaddshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vaddsws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vaddcuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsububm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsubuhm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsubuwm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsububs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsubuhs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsubuws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsubsbs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsubshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsubsws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsubcuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vavgub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vavguh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vavguw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vavgsb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vavgsh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vavgsw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmaxub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmaxuh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmaxuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmaxsb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmaxsh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmaxsw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vminub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vminuh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vminuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vminsb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vminsh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vminsw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmuleub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmulesb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmuleuh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmulesh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmuloub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmulosb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmulouh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmulosh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
// VA-form multiply-sum / multiply-add: vd = f(va, vb, vc).
void vmsumubm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vmsummbm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vmsumuhm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vmsumuhs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vmsumshm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vmsumshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vmhaddshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vmhraddshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vmladduhm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vsum4ubs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsum4sbs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsum4shs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsum2sws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsumsws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);

// ---------------------------------------------------------------- logical
void vand(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vandc(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vor(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vnor(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vxor(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsel(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);  // vc set: vb

// ---------------------------------------------------------------- compares (rc: set CR6)
void vcmpequb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpequh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpequw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpgtub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpgtuh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpgtuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpgtsb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpgtsh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpgtsw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpeqfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpgefp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpgtfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);
void vcmpbfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc);

// ---------------------------------------------------------------- shifts and rotates
void vslb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vslh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vslw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsrb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsrh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsrw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsrab(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsrah(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsraw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vrlb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vrlh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vrlw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsl(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);   // by vb's low 3 bits
void vsr(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vslo(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);  // by octets, vb[121:124]
void vsro(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);

// ---------------------------------------------------------------- splat, permute, merge
void vspltb(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm);  // uimm taken mod 16
void vsplth(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm);  // mod 8
void vspltw(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm);  // mod 4
void vspltisb(ThreadContext& c, unsigned vd, int simm);  // simm already sign-extended (-16..15)
void vspltish(ThreadContext& c, unsigned vd, int simm);
void vspltisw(ThreadContext& c, unsigned vd, int simm);
void vperm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vsldoi(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned shb);  // shb 0..15
void vmrghb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmrghh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmrghw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmrglb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmrglh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmrglw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);

// ---------------------------------------------------------------- pack / unpack
void vpkuhum(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vpkuwum(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vpkuhus(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vpkuwus(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vpkshus(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vpkswus(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vpkshss(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vpkswss(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vpkpx(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vupkhsb(ThreadContext& c, unsigned vd, unsigned vb);
void vupkhsh(ThreadContext& c, unsigned vd, unsigned vb);
void vupklsb(ThreadContext& c, unsigned vd, unsigned vb);
void vupklsh(ThreadContext& c, unsigned vd, unsigned vb);
void vupkhpx(ThreadContext& c, unsigned vd, unsigned vb);
void vupklpx(ThreadContext& c, unsigned vd, unsigned vb);

// ---------------------------------------------------------------- floating point
void vaddfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vsubfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vmulfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);  // no VMX form; VMX128's
// Operand names as in the ISA: vmaddfp vd = va*vc + vb; vnmsubfp vd = -(va*vc - vb).
void vmaddfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vnmsubfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc);
void vmaxfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vminfp(ThreadContext& c, unsigned vd, unsigned va, unsigned vb);
void vrefp(ThreadContext& c, unsigned vd, unsigned vb);
void vrsqrtefp(ThreadContext& c, unsigned vd, unsigned vb);
void vexptefp(ThreadContext& c, unsigned vd, unsigned vb);
void vlogefp(ThreadContext& c, unsigned vd, unsigned vb);
void vrfin(ThreadContext& c, unsigned vd, unsigned vb);
void vrfiz(ThreadContext& c, unsigned vd, unsigned vb);
void vrfip(ThreadContext& c, unsigned vd, unsigned vb);
void vrfim(ThreadContext& c, unsigned vd, unsigned vb);
void vcfsx(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm);  // vb / 2^uimm
void vcfux(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm);
void vctsxs(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm);  // vb * 2^uimm, sat
void vctuxs(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm);

// ---------------------------------------------------------------- VSCR
void mfvscr(ThreadContext& c, unsigned vd);
void mtvscr(ThreadContext& c, unsigned vb);

// ---------------------------------------------------------------- loads and stores (ea: 32-bit)
void lvx(ThreadContext& c, unsigned vd, uint32_t ea);    // also lvxl: same semantics
// lvebx/lvehx/lvewx load the whole aligned quadword (the ISA leaves the other elements
// undefined; xenia and its suite load them from memory).
void lvebx(ThreadContext& c, unsigned vd, uint32_t ea);
void lvehx(ThreadContext& c, unsigned vd, uint32_t ea);
void lvewx(ThreadContext& c, unsigned vd, uint32_t ea);
void lvsl(ThreadContext& c, unsigned vd, uint32_t ea);
void lvsr(ThreadContext& c, unsigned vd, uint32_t ea);
void stvx(ThreadContext& c, unsigned vs, uint32_t ea);   // also stvxl
void stvebx(ThreadContext& c, unsigned vs, uint32_t ea);
void stvehx(ThreadContext& c, unsigned vs, uint32_t ea);
void stvewx(ThreadContext& c, unsigned vs, uint32_t ea);
// Cell/Xenon unaligned family (lvlxl, lvrxl, stvlxl, stvrxl share these).
void lvlx(ThreadContext& c, unsigned vd, uint32_t ea);   // bytes ea..end of its quadword, left
void lvrx(ThreadContext& c, unsigned vd, uint32_t ea);   // bytes start of quadword..ea-1, right
void stvlx(ThreadContext& c, unsigned vs, uint32_t ea);
void stvrx(ThreadContext& c, unsigned vs, uint32_t ea);

// ---------------------------------------------------------------- VMX (5-bit) field decoders
// Thin handlers for the VMX unit tables: decode the register fields, call the operation.
namespace decode {
using Op2 = void (*)(ThreadContext&, unsigned, unsigned);
using Op3 = void (*)(ThreadContext&, unsigned, unsigned, unsigned);
using Op4 = void (*)(ThreadContext&, unsigned, unsigned, unsigned, unsigned);
using Cmp = void (*)(ThreadContext&, unsigned, unsigned, unsigned, bool);
// VX-form: vD (6-10), vA (11-15), vB (16-20).
template <Op3 F>
void vx(ThreadContext& c, Instr i) { F(c, i.rt(), i.ra(), i.rb()); }
// VX-form with vA unused: vD, vB.
template <Op2 F>
void vx_db(ThreadContext& c, Instr i) { F(c, i.rt(), i.rb()); }
// VX-form with UIMM in the vA field: vD, vB, UIMM.
template <Op3 F>
void vx_dbu(ThreadContext& c, Instr i) { F(c, i.rt(), i.rb(), i.ra()); }
// VA-form: vD, vA, vB, vC (21-25).
template <Op4 F>
void va(ThreadContext& c, Instr i) { F(c, i.rt(), i.ra(), i.rb(), i.rc_reg()); }
// VC-form: vD, vA, vB, Rc (bit 21).
template <Cmp F>
void vc(ThreadContext& c, Instr i) { F(c, i.rt(), i.ra(), i.rb(), i.bits(21, 21)); }
}  // namespace decode

}  // namespace hexad::cpu::vmx
