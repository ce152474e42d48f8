// VMX128, the Xenon's 128-register vector extension: its instruction forms, opcode table and
// split register fields. Shared by the ISA table (cpu/isa/ppc_table.h), the interpreter's
// handlers (cpu/interp/vmx128.cc) and the conformance runner's encoder
// (tools/conformance/vmx128_encoder.cc).
//
// Bit positions below are LSB-first (bit 0 = least significant) because the split fields sit in
// the low 11 bits that VMX uses for its extended opcode:
//   VD128 = w[25:21] | w[3:2] << 5            (7 bits, all forms)
//   VA128 = w[20:16] | w[5] << 5 | w[10] << 6 (7 bits)
//   VB128 = w[15:11] | w[1:0] << 5            (7 bits)
// Load/store (VX128_1) keep plain 5-bit rA/rB GPR fields in w[20:16] / w[15:11].
// Immediates take the VA128 low field w[20:16] (UIMM/SIMM/IMM), plus:
//   VX128_2 (vperm128)   VC   = w[8:6]  (v0..v7 only)
//   VX128_4 (vrlimi128)  z    = w[7:6]
//   VX128_5 (vsldoi128)  SH   = w[9:6]
//   VX128_P (vpermwi128) PERM = w[20:16] | w[8:6] << 5
//   VX128_R (compares)   Rc   = w[6]
#pragma once
#include <cstdint>
#include <string_view>

namespace hexad::cpu::vmx128 {

enum class Form : uint8_t { VX128, VX128_1, VX128_2, VX128_3, VX128_4, VX128_5, VX128_P, VX128_R };

// The opcode bits of each form below the primary opcode: everything not a register/immediate.
constexpr uint32_t form_low_mask(Form f) {
  switch (f) {
    case Form::VX128: return 0x3D0;    // w[9:6], w[4]
    case Form::VX128_1: return 0x7F3;  // w[10:4], w[1:0]
    case Form::VX128_2: return 0x210;  // w[9], w[4]
    case Form::VX128_3: return 0x7F0;  // w[10:4]
    case Form::VX128_4: return 0x730;  // w[10:8], w[5:4]
    case Form::VX128_5: return 0x010;  // w[4]
    case Form::VX128_P: return 0x630;  // w[10:9], w[5:4]
    case Form::VX128_R: return 0x390;  // w[9:7], w[4]
  }
  return 0;
}

// ---- field extraction -------------------------------------------------------------------
constexpr unsigned vd(uint32_t w) { return ((w >> 21) & 31) | ((w >> 2) & 3) << 5; }
constexpr unsigned va(uint32_t w) { return ((w >> 16) & 31) | ((w >> 5) & 1) << 5 | ((w >> 10) & 1) << 6; }
constexpr unsigned vb(uint32_t w) { return ((w >> 11) & 31) | (w & 3) << 5; }
constexpr unsigned ra(uint32_t w) { return (w >> 16) & 31; }  // VX128_1
constexpr unsigned rb(uint32_t w) { return (w >> 11) & 31; }  // VX128_1
constexpr unsigned vc(uint32_t w) { return (w >> 6) & 7; }    // VX128_2
constexpr unsigned uimm(uint32_t w) { return (w >> 16) & 31; }  // VX128_3 / VX128_4 IMM
constexpr int32_t simm(uint32_t w) { return int32_t(uimm(w) ^ 16) - 16; }  // 5-bit signed
constexpr unsigned z(uint32_t w) { return (w >> 6) & 3; }       // VX128_4
constexpr unsigned sh(uint32_t w) { return (w >> 6) & 15; }     // VX128_5
constexpr unsigned perm(uint32_t w) { return uimm(w) | ((w >> 6) & 7) << 5; }  // VX128_P
constexpr bool rc(uint32_t w) { return (w >> 6) & 1; }          // VX128_R

// ---- field insertion (the encoder's inverse; arguments must be in range) ---------------------
constexpr uint32_t put_vd(unsigned v) { return (v & 31) << 21 | ((v >> 5) & 3) << 2; }
constexpr uint32_t put_va(unsigned v) { return (v & 31) << 16 | ((v >> 5) & 1) << 5 | ((v >> 6) & 1) << 10; }
constexpr uint32_t put_vb(unsigned v) { return (v & 31) << 11 | ((v >> 5) & 3); }
constexpr uint32_t put_ra(unsigned r) { return (r & 31) << 16; }
constexpr uint32_t put_rb(unsigned r) { return (r & 31) << 11; }
constexpr uint32_t put_vc(unsigned v) { return (v & 7) << 6; }
constexpr uint32_t put_uimm(unsigned v) { return (v & 31) << 16; }
constexpr uint32_t put_z(unsigned v) { return (v & 3) << 6; }
constexpr uint32_t put_sh(unsigned v) { return (v & 15) << 6; }
constexpr uint32_t put_perm(unsigned v) { return (v & 31) << 16 | ((v >> 5) & 7) << 6; }
constexpr uint32_t put_rc(bool on) { return on ? 1u << 6 : 0; }

// ---- opcode table -------------------------------------------------------------------------
struct Opcode {
  const char* mnemonic;
  Form form;
  uint32_t value;       // primary opcode and extended-opcode bits
  uint32_t fixed_mask;  // extra operand bits this mnemonic pins (vupk?sh128's VA128 = 0x60)
  constexpr uint32_t mask() const { return 0xFC000000u | form_low_mask(form) | fixed_mask; }
};

constexpr Opcode opc(const char* m, Form f, uint32_t primary, uint32_t xo, uint32_t fixed_mask = 0,
                     uint32_t fixed_value = 0) {
  return {m, f, primary << 26 | (xo & form_low_mask(f)) | fixed_value, fixed_mask};
}

// The VA128 field as an opcode extension: vupkhsh128/vupklsh128 are vupkhsb128/vupklsb128 with
// VA128 = 0x60 (the second pair of unpacks shares the first pair's extended opcode).
constexpr uint32_t kVaFieldMask = put_va(127);

inline constexpr Opcode kOpcodes[] = {
    // primary 4: loads/stores (VX128_1) and vsldoi128
    opc("lvsl128", Form::VX128_1, 4, 0x003),
    opc("lvsr128", Form::VX128_1, 4, 0x043),
    opc("lvewx128", Form::VX128_1, 4, 0x083),
    opc("lvx128", Form::VX128_1, 4, 0x0C3),
    opc("stvewx128", Form::VX128_1, 4, 0x183),
    opc("stvx128", Form::VX128_1, 4, 0x1C3),
    opc("lvxl128", Form::VX128_1, 4, 0x2C3),
    opc("stvxl128", Form::VX128_1, 4, 0x3C3),
    opc("lvlx128", Form::VX128_1, 4, 0x403),
    opc("lvrx128", Form::VX128_1, 4, 0x443),
    opc("stvlx128", Form::VX128_1, 4, 0x503),
    opc("stvrx128", Form::VX128_1, 4, 0x543),
    opc("lvlxl128", Form::VX128_1, 4, 0x603),
    opc("lvrxl128", Form::VX128_1, 4, 0x643),
    opc("stvlxl128", Form::VX128_1, 4, 0x703),
    opc("stvrxl128", Form::VX128_1, 4, 0x743),
    opc("vsldoi128", Form::VX128_5, 4, 0x010),
    // primary 5: float arithmetic, logical, pack
    opc("vperm128", Form::VX128_2, 5, 0x000),
    opc("vaddfp128", Form::VX128, 5, 0x010),
    opc("vsubfp128", Form::VX128, 5, 0x050),
    opc("vmulfp128", Form::VX128, 5, 0x090),
    opc("vmaddfp128", Form::VX128, 5, 0x0D0),
    opc("vmaddcfp128", Form::VX128, 5, 0x110),
    opc("vnmsubfp128", Form::VX128, 5, 0x150),
    opc("vmsum3fp128", Form::VX128, 5, 0x190),
    opc("vmsum4fp128", Form::VX128, 5, 0x1D0),
    opc("vpkshss128", Form::VX128, 5, 0x200),
    opc("vand128", Form::VX128, 5, 0x210),
    opc("vpkshus128", Form::VX128, 5, 0x240),
    opc("vandc128", Form::VX128, 5, 0x250),
    opc("vpkswss128", Form::VX128, 5, 0x280),
    opc("vnor128", Form::VX128, 5, 0x290),
    opc("vpkswus128", Form::VX128, 5, 0x2C0),
    opc("vor128", Form::VX128, 5, 0x2D0),
    opc("vpkuhum128", Form::VX128, 5, 0x300),
    opc("vxor128", Form::VX128, 5, 0x310),
    opc("vpkuhus128", Form::VX128, 5, 0x340),
    opc("vsel128", Form::VX128, 5, 0x350),
    opc("vpkuwum128", Form::VX128, 5, 0x380),
    opc("vslo128", Form::VX128, 5, 0x390),
    opc("vpkuwus128", Form::VX128, 5, 0x3C0),
    opc("vsro128", Form::VX128, 5, 0x3D0),
    // primary 6: compares, conversions, rounding, estimates, splats, D3D pack/unpack, shifts
    opc("vcmpeqfp128", Form::VX128_R, 6, 0x000),
    opc("vcmpgefp128", Form::VX128_R, 6, 0x080),
    opc("vcmpgtfp128", Form::VX128_R, 6, 0x100),
    opc("vcmpbfp128", Form::VX128_R, 6, 0x180),
    opc("vcmpequw128", Form::VX128_R, 6, 0x200),
    opc("vpermwi128", Form::VX128_P, 6, 0x210),
    opc("vcfpsxws128", Form::VX128_3, 6, 0x230),
    opc("vcfpuxws128", Form::VX128_3, 6, 0x270),
    opc("vcsxwfp128", Form::VX128_3, 6, 0x2B0),
    opc("vcuxwfp128", Form::VX128_3, 6, 0x2F0),
    opc("vrfim128", Form::VX128_3, 6, 0x330),
    opc("vrfin128", Form::VX128_3, 6, 0x370),
    opc("vrfip128", Form::VX128_3, 6, 0x3B0),
    opc("vrfiz128", Form::VX128_3, 6, 0x3F0),
    opc("vpkd3d128", Form::VX128_4, 6, 0x610),
    opc("vrefp128", Form::VX128_3, 6, 0x630),
    opc("vrsqrtefp128", Form::VX128_3, 6, 0x670),
    opc("vexptefp128", Form::VX128_3, 6, 0x6B0),
    opc("vlogefp128", Form::VX128_3, 6, 0x6F0),
    opc("vrlimi128", Form::VX128_4, 6, 0x710),
    opc("vspltw128", Form::VX128_3, 6, 0x730),
    opc("vspltisw128", Form::VX128_3, 6, 0x770),
    opc("vupkd3d128", Form::VX128_3, 6, 0x7F0),
    opc("vrlw128", Form::VX128, 6, 0x050),
    opc("vslw128", Form::VX128, 6, 0x0D0),
    opc("vsraw128", Form::VX128, 6, 0x150),
    opc("vsrw128", Form::VX128, 6, 0x1D0),
    opc("vmaxfp128", Form::VX128, 6, 0x280),
    opc("vminfp128", Form::VX128, 6, 0x2C0),
    opc("vmrghw128", Form::VX128, 6, 0x300),
    opc("vmrglw128", Form::VX128, 6, 0x340),
    opc("vupkhsb128", Form::VX128, 6, 0x380),
    opc("vupklsb128", Form::VX128, 6, 0x3C0),
    opc("vupkhsh128", Form::VX128, 6, 0x380, kVaFieldMask, put_va(0x60)),
    opc("vupklsh128", Form::VX128, 6, 0x3C0, kVaFieldMask, put_va(0x60)),
};

constexpr const Opcode* find_opcode(std::string_view mnemonic) {
  for (const Opcode& o : kOpcodes)
    if (std::string_view(o.mnemonic) == mnemonic) return &o;
  return nullptr;
}

}  // namespace hexad::cpu::vmx128
