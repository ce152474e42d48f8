// vmx128 unit: the Xenon's VMX128 instructions (primary opcodes 4, 5 and 6). Opcode bits and
// register fields come from cpu/isa/vmx128_fields.h; each handler decodes the 7-bit fields and
// runs the operation it shares with VMX (cpu/interp/vmx_impl.h) or, for the Xenon-only ones,
// cpu/interp/vmx128_ops_xenon.h.
#include "cpu/interp/helpers.h"
#include "cpu/interp/vmx128_ops_xenon.h"
#include "cpu/interp/vmx_impl.h"
#include "cpu/isa/vmx128_fields.h"

namespace hexad::cpu {

namespace {

namespace f128 = vmx128;
namespace xo = interp::vmx128_xenon;

using Op2 = void (*)(ThreadContext&, unsigned, unsigned);
using Op3 = void (*)(ThreadContext&, unsigned, unsigned, unsigned);
using OpCmp = void (*)(ThreadContext&, unsigned, unsigned, unsigned, bool);
using OpMem = void (*)(ThreadContext&, unsigned, uint32_t);

// vD, vA, vB
template <Op3 F>
void dab(ThreadContext& c, Instr i) {
  F(c, f128::vd(i.w), f128::va(i.w), f128::vb(i.w));
}
// vD, vB
template <Op2 F>
void db(ThreadContext& c, Instr i) {
  F(c, f128::vd(i.w), f128::vb(i.w));
}
// vD, vB, UIMM (the conversions and vspltw128 carry their immediate in the VA128 low field)
template <Op3 F>
void db_uimm(ThreadContext& c, Instr i) {
  F(c, f128::vd(i.w), f128::vb(i.w), f128::uimm(i.w));
}
// Compares: vD, vA, vB with the record bit in w[6].
template <OpCmp F>
void cmp(ThreadContext& c, Instr i) {
  F(c, f128::vd(i.w), f128::va(i.w), f128::vb(i.w), f128::rc(i.w));
}
// Loads/stores: vD, (rA|0) + rB.
template <OpMem F>
void mem(ThreadContext& c, Instr i) {
  unsigned ra = f128::ra(i.w);
  F(c, f128::vd(i.w), interp::ea((ra ? c.gpr[ra] : 0) + c.gpr[f128::rb(i.w)]));
}

// The fused forms have no fourth register field: vD is both an input and the result.
void vmaddfp128(ThreadContext& c, Instr i) {  // vD = vA * vB + vD
  unsigned d = f128::vd(i.w);
  vmx::vmaddfp(c, d, f128::va(i.w), d, f128::vb(i.w));
}
void vmaddcfp128(ThreadContext& c, Instr i) {  // vD = vA * vD + vB
  unsigned d = f128::vd(i.w);
  vmx::vmaddfp(c, d, f128::va(i.w), f128::vb(i.w), d);
}
void vnmsubfp128(ThreadContext& c, Instr i) {  // vD = -(vA * vB - vD)
  unsigned d = f128::vd(i.w);
  vmx::vnmsubfp(c, d, f128::va(i.w), d, f128::vb(i.w));
}
void vsel128(ThreadContext& c, Instr i) {  // vD = vD-bit ? vB : vA
  unsigned d = f128::vd(i.w);
  vmx::vsel(c, d, f128::va(i.w), f128::vb(i.w), d);
}
void vperm128(ThreadContext& c, Instr i) {  // the control vector is v0..v7
  vmx::vperm(c, f128::vd(i.w), f128::va(i.w), f128::vb(i.w), f128::vc(i.w));
}
void vsldoi128(ThreadContext& c, Instr i) {
  vmx::vsldoi(c, f128::vd(i.w), f128::va(i.w), f128::vb(i.w), f128::sh(i.w));
}
void vspltisw128(ThreadContext& c, Instr i) { vmx::vspltisw(c, f128::vd(i.w), f128::simm(i.w)); }

// An entry bound to a VMX128 row of the ISA (rows named after vmx128::kOpcodes; a name missing
// there fails to compile).
template <Handler H>
consteval OpEntry op128(const char* name) {
  if (!f128::find_opcode(name)) throw "unknown VMX128 mnemonic";
  return op<H>(name);
}

constexpr OpEntry kOps[] = {
    // loads and stores
    op128<&mem<vmx::lvsl>>("lvsl128"),
    op128<&mem<vmx::lvsr>>("lvsr128"),
    op128<&mem<vmx::lvewx>>("lvewx128"),
    op128<&mem<vmx::lvx>>("lvx128"),
    op128<&mem<vmx::lvx>>("lvxl128"),
    op128<&mem<vmx::stvewx>>("stvewx128"),
    op128<&mem<vmx::stvx>>("stvx128"),
    op128<&mem<vmx::stvx>>("stvxl128"),
    op128<&mem<vmx::lvlx>>("lvlx128"),
    op128<&mem<vmx::lvlx>>("lvlxl128"),
    op128<&mem<vmx::lvrx>>("lvrx128"),
    op128<&mem<vmx::lvrx>>("lvrxl128"),
    op128<&mem<vmx::stvlx>>("stvlx128"),
    op128<&mem<vmx::stvlx>>("stvlxl128"),
    op128<&mem<vmx::stvrx>>("stvrx128"),
    op128<&mem<vmx::stvrx>>("stvrxl128"),
    // floating point
    op128<&dab<vmx::vaddfp>>("vaddfp128"),
    op128<&dab<vmx::vsubfp>>("vsubfp128"),
    op128<&dab<vmx::vmulfp>>("vmulfp128"),
    op128<&vmaddfp128>("vmaddfp128"),
    op128<&vmaddcfp128>("vmaddcfp128"),
    op128<&vnmsubfp128>("vnmsubfp128"),
    op128<&xo::vmsum3fp128>("vmsum3fp128"),
    op128<&xo::vmsum4fp128>("vmsum4fp128"),
    op128<&dab<vmx::vmaxfp>>("vmaxfp128"),
    op128<&dab<vmx::vminfp>>("vminfp128"),
    op128<&db<vmx::vrefp>>("vrefp128"),
    op128<&db<vmx::vrsqrtefp>>("vrsqrtefp128"),
    op128<&db<vmx::vexptefp>>("vexptefp128"),
    op128<&db<vmx::vlogefp>>("vlogefp128"),
    op128<&db<vmx::vrfim>>("vrfim128"),
    op128<&db<vmx::vrfin>>("vrfin128"),
    op128<&db<vmx::vrfip>>("vrfip128"),
    op128<&db<vmx::vrfiz>>("vrfiz128"),
    op128<&db_uimm<vmx::vctsxs>>("vcfpsxws128"),
    op128<&db_uimm<vmx::vctuxs>>("vcfpuxws128"),
    op128<&db_uimm<vmx::vcfsx>>("vcsxwfp128"),
    op128<&db_uimm<vmx::vcfux>>("vcuxwfp128"),
    // compares
    op128<&cmp<vmx::vcmpeqfp>>("vcmpeqfp128"),
    op128<&cmp<vmx::vcmpgefp>>("vcmpgefp128"),
    op128<&cmp<vmx::vcmpgtfp>>("vcmpgtfp128"),
    op128<&cmp<vmx::vcmpbfp>>("vcmpbfp128"),
    op128<&cmp<vmx::vcmpequw>>("vcmpequw128"),
    // logical
    op128<&dab<vmx::vand>>("vand128"),
    op128<&dab<vmx::vandc>>("vandc128"),
    op128<&dab<vmx::vor>>("vor128"),
    op128<&dab<vmx::vnor>>("vnor128"),
    op128<&dab<vmx::vxor>>("vxor128"),
    op128<&vsel128>("vsel128"),
    // shifts and rotates
    op128<&dab<vmx::vslw>>("vslw128"),
    op128<&dab<vmx::vsrw>>("vsrw128"),
    op128<&dab<vmx::vsraw>>("vsraw128"),
    op128<&dab<vmx::vrlw>>("vrlw128"),
    op128<&dab<vmx::vslo>>("vslo128"),
    op128<&dab<vmx::vsro>>("vsro128"),
    // permute, merge, splat
    op128<&vperm128>("vperm128"),
    op128<&vsldoi128>("vsldoi128"),
    op128<&dab<vmx::vmrghw>>("vmrghw128"),
    op128<&dab<vmx::vmrglw>>("vmrglw128"),
    op128<&db_uimm<vmx::vspltw>>("vspltw128"),
    op128<&vspltisw128>("vspltisw128"),
    op128<&xo::vpermwi128>("vpermwi128"),
    op128<&xo::vrlimi128>("vrlimi128"),
    // pack and unpack
    op128<&dab<vmx::vpkshss>>("vpkshss128"),
    op128<&dab<vmx::vpkshus>>("vpkshus128"),
    op128<&dab<vmx::vpkswss>>("vpkswss128"),
    op128<&dab<vmx::vpkswus>>("vpkswus128"),
    op128<&dab<vmx::vpkuhum>>("vpkuhum128"),
    op128<&dab<vmx::vpkuhus>>("vpkuhus128"),
    op128<&dab<vmx::vpkuwum>>("vpkuwum128"),
    op128<&dab<vmx::vpkuwus>>("vpkuwus128"),
    op128<&db<vmx::vupkhsb>>("vupkhsb128"),
    op128<&db<vmx::vupklsb>>("vupklsb128"),
    op128<&db<vmx::vupkhsh>>("vupkhsh128"),
    op128<&db<vmx::vupklsh>>("vupklsh128"),
    op128<&xo::vpkd3d128>("vpkd3d128"),
    op128<&xo::vupkd3d128>("vupkd3d128"),
};

// Every row of the opcode table has a handler.
static_assert(std::size(kOps) == std::size(f128::kOpcodes));

}  // namespace

std::span<const OpEntry> vmx128_ops() { return kOps; }

}  // namespace hexad::cpu
