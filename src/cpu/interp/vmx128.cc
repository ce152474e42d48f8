// vmx128 unit: the Xenon's VMX128 instructions (primary opcodes 4, 5 and 6). Opcode bits and
// register fields come from cpu/ppc/vmx128_fields.h; each handler decodes the 7-bit fields and
// runs the operation it shares with VMX (cpu/interp/vmx_impl.h) or, for the Xenon-only ones,
// cpu/interp/vmx128_ops_xenon.h.
#include "cpu/interp/helpers.h"
#include "cpu/interp/vmx128_ops_xenon.h"
#include "cpu/interp/vmx_impl.h"
#include "cpu/ppc/vmx128_fields.h"

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

// An entry named after a row of vmx128::kOpcodes (a name missing there fails to compile).
consteval OpEntry op128(const char* name, Handler fn) {
  const f128::Opcode* o = f128::find_opcode(name);
  if (!o) throw "unknown VMX128 mnemonic";
  return {o->mnemonic, o->mask(), o->value, fn, kOpNone};
}

constexpr OpEntry kOps[] = {
    // loads and stores
    op128("lvsl128", &mem<vmx::lvsl>),
    op128("lvsr128", &mem<vmx::lvsr>),
    op128("lvewx128", &mem<vmx::lvewx>),
    op128("lvx128", &mem<vmx::lvx>),
    op128("lvxl128", &mem<vmx::lvx>),
    op128("stvewx128", &mem<vmx::stvewx>),
    op128("stvx128", &mem<vmx::stvx>),
    op128("stvxl128", &mem<vmx::stvx>),
    op128("lvlx128", &mem<vmx::lvlx>),
    op128("lvlxl128", &mem<vmx::lvlx>),
    op128("lvrx128", &mem<vmx::lvrx>),
    op128("lvrxl128", &mem<vmx::lvrx>),
    op128("stvlx128", &mem<vmx::stvlx>),
    op128("stvlxl128", &mem<vmx::stvlx>),
    op128("stvrx128", &mem<vmx::stvrx>),
    op128("stvrxl128", &mem<vmx::stvrx>),
    // floating point
    op128("vaddfp128", &dab<vmx::vaddfp>),
    op128("vsubfp128", &dab<vmx::vsubfp>),
    op128("vmulfp128", &dab<vmx::vmulfp>),
    op128("vmaddfp128", &vmaddfp128),
    op128("vmaddcfp128", &vmaddcfp128),
    op128("vnmsubfp128", &vnmsubfp128),
    op128("vmsum3fp128", &xo::vmsum3fp128),
    op128("vmsum4fp128", &xo::vmsum4fp128),
    op128("vmaxfp128", &dab<vmx::vmaxfp>),
    op128("vminfp128", &dab<vmx::vminfp>),
    op128("vrefp128", &db<vmx::vrefp>),
    op128("vrsqrtefp128", &db<vmx::vrsqrtefp>),
    op128("vexptefp128", &db<vmx::vexptefp>),
    op128("vlogefp128", &db<vmx::vlogefp>),
    op128("vrfim128", &db<vmx::vrfim>),
    op128("vrfin128", &db<vmx::vrfin>),
    op128("vrfip128", &db<vmx::vrfip>),
    op128("vrfiz128", &db<vmx::vrfiz>),
    op128("vcfpsxws128", &db_uimm<vmx::vctsxs>),
    op128("vcfpuxws128", &db_uimm<vmx::vctuxs>),
    op128("vcsxwfp128", &db_uimm<vmx::vcfsx>),
    op128("vcuxwfp128", &db_uimm<vmx::vcfux>),
    // compares
    op128("vcmpeqfp128", &cmp<vmx::vcmpeqfp>),
    op128("vcmpgefp128", &cmp<vmx::vcmpgefp>),
    op128("vcmpgtfp128", &cmp<vmx::vcmpgtfp>),
    op128("vcmpbfp128", &cmp<vmx::vcmpbfp>),
    op128("vcmpequw128", &cmp<vmx::vcmpequw>),
    // logical
    op128("vand128", &dab<vmx::vand>),
    op128("vandc128", &dab<vmx::vandc>),
    op128("vor128", &dab<vmx::vor>),
    op128("vnor128", &dab<vmx::vnor>),
    op128("vxor128", &dab<vmx::vxor>),
    op128("vsel128", &vsel128),
    // shifts and rotates
    op128("vslw128", &dab<vmx::vslw>),
    op128("vsrw128", &dab<vmx::vsrw>),
    op128("vsraw128", &dab<vmx::vsraw>),
    op128("vrlw128", &dab<vmx::vrlw>),
    op128("vslo128", &dab<vmx::vslo>),
    op128("vsro128", &dab<vmx::vsro>),
    // permute, merge, splat
    op128("vperm128", &vperm128),
    op128("vsldoi128", &vsldoi128),
    op128("vmrghw128", &dab<vmx::vmrghw>),
    op128("vmrglw128", &dab<vmx::vmrglw>),
    op128("vspltw128", &db_uimm<vmx::vspltw>),
    op128("vspltisw128", &vspltisw128),
    op128("vpermwi128", &xo::vpermwi128),
    op128("vrlimi128", &xo::vrlimi128),
    // pack and unpack
    op128("vpkshss128", &dab<vmx::vpkshss>),
    op128("vpkshus128", &dab<vmx::vpkshus>),
    op128("vpkswss128", &dab<vmx::vpkswss>),
    op128("vpkswus128", &dab<vmx::vpkswus>),
    op128("vpkuhum128", &dab<vmx::vpkuhum>),
    op128("vpkuhus128", &dab<vmx::vpkuhus>),
    op128("vpkuwum128", &dab<vmx::vpkuwum>),
    op128("vpkuwus128", &dab<vmx::vpkuwus>),
    op128("vupkhsb128", &db<vmx::vupkhsb>),
    op128("vupklsb128", &db<vmx::vupklsb>),
    op128("vupkhsh128", &db<vmx::vupkhsh>),
    op128("vupklsh128", &db<vmx::vupklsh>),
    op128("vpkd3d128", &xo::vpkd3d128),
    op128("vupkd3d128", &xo::vupkd3d128),
};

// Every row of the opcode table has a handler.
static_assert(std::size(kOps) == std::size(f128::kOpcodes));

}  // namespace

std::span<const OpEntry> vmx128_ops() { return kOps; }

}  // namespace hexad::cpu
