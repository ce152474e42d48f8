// The conformance runner's VMX128 encoder against hand-checked words.
#include <catch2/catch.hpp>

#include <string>

#include "conformance/vmx128_encoder.h"
#include "cpu/isa/vmx128_fields.h"

using hexad::conformance::encode_vmx128;
using hexad::conformance::rewrite_vmx128;

namespace {

uint32_t enc(const char* mnemonic, const char* operands) {
  auto e = encode_vmx128(mnemonic, operands);
  INFO(mnemonic << " " << operands << ": " << e.error);
  REQUIRE(e.known);
  REQUIRE(e.ok);
  return e.word;
}

std::string error_of(const char* mnemonic, const char* operands) {
  auto e = encode_vmx128(mnemonic, operands);
  REQUIRE(e.known);
  REQUIRE_FALSE(e.ok);
  return e.error;
}

}  // namespace

TEST_CASE("vmx128 encoder: words from a shipped Xenon binary", "[vmx128][encoder]") {
  // Pairs of (word, disassembly) as they appear in a retail title's code.
  CHECK(enc("vor128", "v63,v0,v0") == 0x17E002D4u);
  CHECK(enc("vor128", "v62, v0, v0") == 0x17C002D4u);
  CHECK(enc("vmaddcfp128", "v63,v23,v63,v20") == 0x17F7A114u);
  CHECK(enc("vmulfp128", "v61,v6,v26") == 0x17A6D094u);
  CHECK(enc("stvx128", "v63,r11,r5") == 0x13EB29C7u);
  CHECK(enc("stvx128", "v62,r11,r6") == 0x13CB31C7u);
}

TEST_CASE("vmx128 encoder: the suite's hand-coded words", "[vmx128][encoder]") {
  // The shared suite writes these as .long because the assembler it was made with got them wrong.
  CHECK(enc("vrlimi128", "v4, v3, 0xF, 1") == 0x188F1F50u);
  CHECK(enc("vrlimi128", "v4, v3, 0xF, 3") == 0x188F1FD0u);
  CHECK(enc("vpermwi128", "v4, v3, 0x1B") == 0x189B1A10u);
  CHECK(enc("vpermwi128", "v4, v3, 0xE4") == 0x18841BD0u);
  CHECK(enc("vpermwi128", "v4, v3, 0") == 0x18801A10u);
  CHECK(enc("vpermwi128", "v4, v3, 0xFF") == 0x189F1BD0u);
  CHECK(enc("vpkd3d128", "v4, v3, 0, 1, 0") == 0x18811E10u);
  CHECK(enc("vpkd3d128", "v4, v3, 0, 1, 3") == 0x18811ED0u);
  CHECK(enc("vpkd3d128", "v4, v3, 0, 3, 3") == 0x18831ED0u);
  CHECK(enc("vpkd3d128", "v4, v3, 4, 2, 0") == 0x18921E10u);
  CHECK(enc("vpkd3d128", "v4, v3, 5, 2, 0") == 0x18961E10u);
  CHECK(enc("vupkd3d128", "v3, v3, 0") == 0x18601FF0u);
  CHECK(enc("vupkd3d128", "v3, v3, 1") == 0x18641FF0u);
  CHECK(enc("vupkd3d128", "v3, v3, 5") == 0x18741FF0u);
}

TEST_CASE("vmx128 encoder: field placement by hand", "[vmx128][encoder]") {
  // vaddfp128 v127, v127, v127: VD 0x7F -> w[25:21]=31, w[3:2]=3; VA -> w[20:16]=31, w[5], w[10];
  // VB -> w[15:11]=31, w[1:0]=3; xo 0x010.
  CHECK(enc("vaddfp128", "v127, v127, v127") == (5u << 26 | 0x03FFF800u | 0x0C | 0x20 | 0x400 | 0x3 | 0x010));
  // Only the high VA bit (v64): w[10].
  CHECK(enc("vaddfp128", "v0, v64, v0") == (5u << 26 | 0x400 | 0x010));
  // Only VA bit 5 (v32): w[5].
  CHECK(enc("vaddfp128", "v0, v32, v0") == (5u << 26 | 0x020 | 0x010));
  // VD v96 = 0b11_00000 -> w[3:2] = 3; VB v64 = 0b10_00000 -> w[1:0] = 2.
  CHECK(enc("vsubfp128", "v96, v0, v64") == (5u << 26 | 0x0C | 0x2 | 0x050));
  // Record compare: Rc in w[6].
  CHECK(enc("vcmpeqfp128.", "v3, v4, v5") == (6u << 26 | 3u << 21 | 4u << 16 | 5u << 11 | 0x40));
  CHECK(enc("vcmpequw128", "v3, v4, v5") == (6u << 26 | 3u << 21 | 4u << 16 | 5u << 11 | 0x200));
  // vperm128: VC in w[8:6].
  CHECK(enc("vperm128", "v1, v2, v3, v7") == (5u << 26 | 1u << 21 | 2u << 16 | 3u << 11 | 7u << 6));
  // vsldoi128: SH in w[9:6], primary 4 with w[4] set.
  CHECK(enc("vsldoi128", "v1, v2, v3, 15") == (4u << 26 | 1u << 21 | 2u << 16 | 3u << 11 | 15u << 6 | 0x10));
  // Immediates in the VA low field.
  CHECK(enc("vspltisw128", "v1, -1") == (6u << 26 | 1u << 21 | 31u << 16 | 0x770));
  CHECK(enc("vspltisw128", "v1, 15") == (6u << 26 | 1u << 21 | 15u << 16 | 0x770));
  CHECK(enc("vcfpsxws128", "v1, v2, 31") == (6u << 26 | 1u << 21 | 31u << 16 | 2u << 11 | 0x230));
  CHECK(enc("vspltw128", "v1, v2, 3") == (6u << 26 | 1u << 21 | 3u << 16 | 2u << 11 | 0x730));
  CHECK(enc("vrfiz128", "v1, v2") == (6u << 26 | 1u << 21 | 2u << 11 | 0x3F0));
  // vupk?sh128 pin VA128 = 0x60 (w[5] and w[10]); the byte forms leave it zero.
  CHECK(enc("vupkhsb128", "v3, v3") == (6u << 26 | 3u << 21 | 3u << 11 | 0x380));
  CHECK(enc("vupkhsh128", "v3, v3") == (6u << 26 | 3u << 21 | 3u << 11 | 0x380 | 0x20 | 0x400));
  CHECK(enc("vupklsh128", "v3, v3") == (6u << 26 | 3u << 21 | 3u << 11 | 0x3C0 | 0x20 | 0x400));
  // Loads: plain GPRs, register names or bare numbers.
  CHECK(enc("lvewx128", "v3, r0, r4") == (4u << 26 | 3u << 21 | 0u << 16 | 4u << 11 | 0x083));
  CHECK(enc("lvewx128", "3, 0, 4") == enc("lvewx128", "v3, r0, r4"));
  CHECK(enc("lvx128", "vr100, %r1, r31") == (4u << 26 | 4u << 21 | 1u << 16 | 31u << 11 | 0x0C3 | 3u << 2));
}

TEST_CASE("vmx128 encoder: fused forms accept the repeated vD", "[vmx128][encoder]") {
  CHECK(enc("vmaddfp128", "v1, v2, v3") == enc("vmaddfp128", "v1, v2, v3, v1"));
  CHECK(enc("vnmsubfp128", "v1, v2, v3") == enc("vnmsubfp128", "v1, v2, v3, v1"));
  CHECK(enc("vsel128", "v1, v2, v3") == enc("vsel128", "v1, v2, v3, v1"));
  CHECK(enc("vmaddcfp128", "v63, v23, v20") == 0x17F7A114u);
  CHECK_THAT(error_of("vmaddfp128", "v1, v2, v3, v4"), Catch::Contains("must repeat vD"));
  CHECK_THAT(error_of("vmaddcfp128", "v1, v2, v3, v4"), Catch::Contains("must repeat vD"));
}

TEST_CASE("vmx128 encoder: operand errors", "[vmx128][encoder]") {
  CHECK_THAT(error_of("vaddfp128", "v128, v0, v0"), Catch::Contains("out of range"));
  CHECK_THAT(error_of("vperm128", "v1, v2, v3, v8"), Catch::Contains("out of range 0..7"));
  CHECK_THAT(error_of("vsldoi128", "v1, v2, v3, 16"), Catch::Contains("SH 16 out of range"));
  CHECK_THAT(error_of("vspltisw128", "v1, 16"), Catch::Contains("SIMM"));
  CHECK_THAT(error_of("vspltisw128", "v1, -17"), Catch::Contains("SIMM"));
  CHECK_THAT(error_of("vrlimi128", "v1, v2, 16, 0"), Catch::Contains("MASK"));
  CHECK_THAT(error_of("vrlimi128", "v1, v2, 1, 4"), Catch::Contains("ROT"));
  CHECK_THAT(error_of("vpermwi128", "v1, v2, 256"), Catch::Contains("PERM"));
  CHECK_THAT(error_of("vpkd3d128", "v1, v2, 8, 1, 0"), Catch::Contains("TYPE"));
  CHECK_THAT(error_of("vaddfp128", "v1, v2"), Catch::Contains("takes 3 operands, got 2"));
  CHECK_THAT(error_of("vaddfp128.", "v1, v2, v3"), Catch::Contains("no record form"));
  CHECK_THAT(error_of("lvx128", "v1, v2, r3"), Catch::Contains("not a general register"));
  CHECK_THAT(error_of("vand128", "r1, v2, v3"), Catch::Contains("not a vector register"));
  CHECK_THAT(error_of("vspltw128", "v1, v2, x"), Catch::Contains("not a number"));
  // Not VMX128 (or not known): left to the assembler.
  CHECK_FALSE(encode_vmx128("vaddfp", "v1, v2, v3").known);
  CHECK_FALSE(encode_vmx128("vdot3fp128", "v1, v2, v3").known);
  CHECK_FALSE(encode_vmx128("dcbz128", "r0, r3").known);
}

TEST_CASE("vmx128 encoder: every opcode round-trips through the table", "[vmx128][encoder]") {
  namespace f = hexad::cpu::vmx128;
  for (const f::Opcode& o : f::kOpcodes) {
    std::string m = o.mnemonic;
    // One operand list per syntax, with registers that use the high fields.
    std::string ops;
    if (m.substr(0, 2) == "lv" || m.substr(0, 3) == "stv") ops = "v100, r7, r9";
    else if (m == "vperm128") ops = "v100, v77, v45, v5";
    else if (m == "vsldoi128") ops = "v100, v77, v45, 9";
    else if (m == "vpermwi128") ops = "v100, v45, 0xB1";
    else if (m == "vrlimi128") ops = "v100, v45, 5, 2";
    else if (m == "vpkd3d128") ops = "v100, v45, 5, 2, 1";
    else if (m == "vupkd3d128") ops = "v100, v45, 3";
    else if (m == "vspltisw128") ops = "v100, -9";
    else if (o.form == f::Form::VX128_3 && (m == "vcfpsxws128" || m == "vcfpuxws128" || m == "vcsxwfp128" ||
                                            m == "vcuxwfp128" || m == "vspltw128"))
      ops = "v100, v45, 3";
    else if (o.form == f::Form::VX128_3 || m.substr(0, 4) == "vupk") ops = "v100, v45";
    else ops = "v100, v77, v45";
    auto e = encode_vmx128(m, ops);
    INFO(m << " " << ops << ": " << e.error);
    REQUIRE(e.ok);
    uint32_t w = e.word;
    // The word matches this opcode and no other of equal or higher specificity.
    CHECK((w & o.mask()) == o.value);
    for (const f::Opcode& other : f::kOpcodes) {
      if (&other == &o || (w & other.mask()) != other.value) continue;
      INFO("also matches " << other.mnemonic);
      CHECK(__builtin_popcount(other.mask()) < __builtin_popcount(o.mask()));
    }
    CHECK(f::vd(w) == 100);
    if (ops.find("v77") != std::string::npos) CHECK(f::va(w) == 77);
    if (m.substr(0, 2) == "lv" || m.substr(0, 3) == "stv") {
      CHECK(f::ra(w) == 7);
      CHECK(f::rb(w) == 9);
    } else if (m != "vspltisw128") {
      CHECK(f::vb(w) == 45);
    }
  }
}

TEST_CASE("vmx128 rewrite keeps labels, comments and other lines", "[vmx128][encoder]") {
  const char* src =
      "test_a:\n"
      "  #_ REGISTER_IN v3 [00000001, 00000002, 00000003, 00000004]\n"
      "  vand128 v5, v3, v4   # and them\n"
      "test_b: vcmpeqfp128. v3, v4, v5\n"
      "  mfocrf r3, 2\n"
      "  blr\n"
      "  # vpermwi128 v4, v3, 0x1B\n"
      "  vdot3fp128 v1, v2, v3";
  auto rw = rewrite_vmx128(src);
  CHECK(rw.errors.empty());
  CHECK(rw.encoded == 2);
  CHECK(rw.text ==
        "test_a:\n"
        "  #_ REGISTER_IN v3 [00000001, 00000002, 00000003, 00000004]\n"
        "  .long 0x14A32210  # vand128 v5, v3, v4 # and them\n"
        "test_b: .long 0x18642840  # vcmpeqfp128. v3, v4, v5\n"
        "  mfocrf r3, 2\n"
        "  blr\n"
        "  # vpermwi128 v4, v3, 0x1B\n"
        "  vdot3fp128 v1, v2, v3");
  auto bad = rewrite_vmx128("x:\n  vperm128 v1, v2, v3, v9\n");
  REQUIRE(bad.errors.size() == 1);
  CHECK_THAT(bad.errors[0], Catch::StartsWith("line 2: vperm128"));
}
