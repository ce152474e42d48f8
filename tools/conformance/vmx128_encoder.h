// A small VMX128 encoder for `hexad ppc-test`: no stock assembler knows the Xenon's VMX128
// mnemonics, so before a case file is assembled every VMX128 instruction line is rewritten into
// a `.long 0x........` directive carrying the encoded word. Labels and comments are kept, so
// line numbers and symbols are unchanged.
//
// Operand syntax (registers as vN / rN or bare numbers, immediates decimal or 0x hex):
//   lvx128 vD, rA, rB                 (and every other load/store)
//   vaddfp128 vD, vA, vB              (three-register forms; compares take a `.` suffix)
//   vmaddfp128 vD, vA, vB[, vD]       vnmsubfp128 and vsel128 likewise (vD is also an input)
//   vmaddcfp128 vD, vA[, vD], vB
//   vupkhsb128 vD, vB                 (and vupklsb128, vupkhsh128, vupklsh128)
//   vperm128 vD, vA, vB, vC           (vC in v0..v7)
//   vsldoi128 vD, vA, vB, SH          (SH 0..15)
//   vcfpsxws128 vD, vB, UIMM          (vcfpuxws128, vcsxwfp128, vcuxwfp128, vspltw128)
//   vrfim128 vD, vB                   (vrfi?128, vrefp128, vrsqrtefp128, vexptefp128, vlogefp128)
//   vspltisw128 vD, SIMM              (-16..15)
//   vpermwi128 vD, vB, PERM           (PERM 0..255)
//   vrlimi128 vD, vB, MASK, ROT       (MASK 0..15, ROT 0..3)
//   vpkd3d128 vD, vB, TYPE, PACK, SHIFT   (TYPE 0..7, PACK 0..3, SHIFT 0..3)
//   vupkd3d128 vD, vB, TYPE           (TYPE 0..7)
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hexad::conformance {

struct Vmx128Encoding {
  bool known = false;  // the mnemonic is a VMX128 mnemonic this encoder knows
  bool ok = false;     // the operands were valid too; `word` holds the encoding
  uint32_t word = 0;
  std::string error;   // why not, when known && !ok
};

// Encodes one instruction. `mnemonic` may carry a trailing `.` (record form).
Vmx128Encoding encode_vmx128(std::string_view mnemonic, std::string_view operands);

struct Vmx128Rewrite {
  std::string text;                 // the source with VMX128 lines replaced
  unsigned encoded = 0;             // instructions rewritten
  std::vector<std::string> errors;  // "line N: message" for known mnemonics with bad operands
};

// Rewrites every line whose instruction is a known VMX128 mnemonic. Lines with mnemonics the
// encoder does not know are left alone (the assembler will then name them).
Vmx128Rewrite rewrite_vmx128(std::string_view source);

}  // namespace hexad::conformance
