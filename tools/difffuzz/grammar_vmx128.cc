// Class `vmx128`: the Xenon's VMX128 instructions, drawn from the ISA's own opcode table
// (cpu/isa/vmx128_fields.h) and written as `.long` words (no assembler knows them). qemu has no
// VMX128, so this class runs only backend against backend (`run --backends`), where nothing is
// constrained for qemu's sake: every register v0..v127, estimates, any float value. Loads and
// stores address r1 + rT with rT set in the same unit (within the scratch buffer).
#include <fmt/format.h>

#include "cpu/isa/vmx128_fields.h"
#include "grammar.h"
#include "layout.h"

namespace difffuzz {

namespace {

namespace v128 = hexad::cpu::vmx128;

bool named(const v128::Opcode& o, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (n == o.mnemonic) return true;
  return false;
}

}  // namespace

void gen_vmx128(Gen& g, Unit& u) {
  const v128::Opcode& o = v128::kOpcodes[g.r.below(uint32_t(std::size(v128::kOpcodes)))];
  auto vr = [&] { return unsigned(g.r.below(128)); };
  uint32_t w = o.value | v128::put_vd(vr());
  switch (o.form) {
    case v128::Form::VX128_1: {  // vD, r1, rT
      const int t = g.gd_not({});
      u.push_back(fmt::format("li {},{}", gpr(t), g.r.range(-kReach, kReach - 16)));
      w |= v128::put_ra(1) | v128::put_rb(unsigned(t));
      break;
    }
    case v128::Form::VX128:
      // The unpacks take no VA (vupk?sh128 pin it in the opcode value already).
      if (!named(o, {"vupkhsb128", "vupklsb128", "vupkhsh128", "vupklsh128"})) w |= v128::put_va(vr());
      w |= v128::put_vb(vr());
      break;
    case v128::Form::VX128_R: w |= v128::put_va(vr()) | v128::put_vb(vr()) | v128::put_rc(g.r.chance(50)); break;
    case v128::Form::VX128_2: w |= v128::put_va(vr()) | v128::put_vb(vr()) | v128::put_vc(g.r.below(8)); break;
    case v128::Form::VX128_3:
      if (named(o, {"vspltisw128"})) w |= v128::put_uimm(g.r.below(32));
      else if (named(o, {"vupkd3d128"})) w |= v128::put_vb(vr()) | v128::put_uimm(g.r.below(8) << 2);
      else if (named(o, {"vspltw128"})) w |= v128::put_vb(vr()) | v128::put_uimm(g.r.below(4));
      else if (named(o, {"vcfpsxws128", "vcfpuxws128", "vcsxwfp128", "vcuxwfp128"}))
        w |= v128::put_vb(vr()) | v128::put_uimm(g.r.below(32));
      else w |= v128::put_vb(vr());  // rounding and estimates: vD, vB
      break;
    case v128::Form::VX128_4:
      if (named(o, {"vpkd3d128"}))
        w |= v128::put_vb(vr()) | v128::put_uimm(g.r.below(8) << 2 | g.r.below(4)) | v128::put_z(g.r.below(4));
      else w |= v128::put_vb(vr()) | v128::put_uimm(g.r.below(16)) | v128::put_z(g.r.below(4));  // vrlimi128
      break;
    case v128::Form::VX128_5: w |= v128::put_va(vr()) | v128::put_vb(vr()) | v128::put_sh(g.r.below(16)); break;
    case v128::Form::VX128_P: w |= v128::put_vb(vr()) | v128::put_perm(g.r.below(256)); break;
  }
  u.push_back(fmt::format(".long 0x{:08X}  # {}", w, o.mnemonic));
}

}  // namespace difffuzz
