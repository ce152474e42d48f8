// The conformance-file parser and classifier behind `hexad ppc-test`.
#include <catch2/catch.hpp>
#include <cstring>

#include "conformance/classify.h"
#include "conformance/parser.h"

using namespace hexad::conformance;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_case_file(text, "f.s");
  } catch (const hexad::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("ppc-test parser: integer values", "[ppc-test]") {
  CHECK(parse_int_value("0x0010FFFF") == 0x0010FFFFull);
  CHECK(parse_int_value("0XffffFFFFffffFFFF") == ~0ull);
  CHECK(parse_int_value("123") == 123);
  CHECK(parse_int_value("-1") == ~0ull);
  CHECK(parse_int_value("-50") == uint64_t(-50));
  CHECK(parse_int_value("+7") == 7);
  CHECK(parse_int_value("-9223372036854775808") == 0x8000000000000000ull);
  CHECK(parse_int_value("18446744073709551615") == ~0ull);
  CHECK(parse_int_value("0x0123456789ABCDEFull") == 0x0123456789ABCDEFull);
  CHECK(parse_int_value("0x0000000080000000", 32) == 0x80000000ull);  // leading zeros beyond 32 bits
  CHECK(parse_int_value("-1", 32) == 0xFFFFFFFFull);
  CHECK_THROWS_WITH(parse_int_value("0x1FFFFFFFFFFFFFFFF"), Catch::Contains("at most 64 bits"));
  CHECK_THROWS_WITH(parse_int_value("0x100000000", 32), Catch::Contains("at most 32 bits"));
  CHECK_THROWS_WITH(parse_int_value("18446744073709551616"), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(parse_int_value("-9223372036854775809"), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(parse_int_value("12z"), Catch::Contains("not an integer"));
  CHECK_THROWS_WITH(parse_int_value("0x"), Catch::Contains("not a hex value"));
  CHECK_THROWS_WITH(parse_int_value("0xg1"), Catch::Contains("not a hex value"));
  CHECK_THROWS_WITH(parse_int_value("1uu"), Catch::Contains("not an integer"));
  CHECK_THROWS_WITH(parse_int_value(""), Catch::Contains("missing value"));
}

TEST_CASE("ppc-test parser: registers", "[ppc-test]") {
  RegValue r = parse_register("r31", "0x10");
  CHECK(r.kind == RegKind::Gpr);
  CHECK(r.index == 31);
  CHECK(r.bits == 0x10);

  RegValue f = parse_register("f1", "-1234.0");
  CHECK(f.kind == RegKind::Fpr);
  CHECK_FALSE(f.fp_is_bits);
  CHECK(f.fp == -1234.0);
  double d;
  std::memcpy(&d, &f.bits, 8);
  CHECK(d == -1234.0);

  RegValue fb = parse_register("f0", "0xfff8000000000000");
  CHECK(fb.fp_is_bits);
  CHECK(fb.bits == 0xfff8000000000000ull);
  CHECK(parse_register("f2", "0.70710678118654757").fp == 0.70710678118654757);

  RegValue v = parse_register("v127", "[0A0B0C0D, 0E0F1013, 0C000000, 00000000]");
  CHECK(v.kind == RegKind::Vr);
  CHECK(v.index == 127);
  CHECK(v.words[0] == 0x0A0B0C0Du);
  CHECK(v.words[1] == 0x0E0F1013u);
  CHECK(v.words[2] == 0x0C000000u);
  CHECK(v.words[3] == 0u);
  CHECK(parse_register("v3", "[0x1,2,  ffffffff ,0]").words[2] == 0xFFFFFFFFu);

  CHECK(parse_register("cr", "0x0000000080000000").bits == 0x80000000u);
  CHECK(parse_register("cr", "0x0000000080000000").kind == RegKind::Cr);
  CHECK(parse_register("ctr", "5").kind == RegKind::Ctr);
  CHECK(parse_register("xer", "0x20000000").kind == RegKind::Xer);
  CHECK(parse_register("fpscr", "0").kind == RegKind::Fpscr);

  CHECK_THROWS_WITH(parse_register("r32", "1"), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(parse_register("v128", "[0,0,0,0]"), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(parse_register("lr", "1"), Catch::Contains("reserved"));
  CHECK_THROWS_WITH(parse_register("q3", "1"), Catch::Contains("unknown register 'q3'"));
  CHECK_THROWS_WITH(parse_register("r", "1"), Catch::Contains("unknown register"));
  CHECK_THROWS_WITH(parse_register("v1", "[1, 2, 3]"), Catch::Contains("3 words"));
  CHECK_THROWS_WITH(parse_register("v1", "[1, 2, 3, 4, 5]"), Catch::Contains("more than 4"));
  CHECK_THROWS_WITH(parse_register("v1", "1, 2, 3, 4"), Catch::Contains("[w0, w1, w2, w3]"));
  CHECK_THROWS_WITH(parse_register("v1", "[1, 2, 123456789, 4]"), Catch::Contains("1-8 hex digits"));
  CHECK_THROWS_WITH(parse_register("v1", "[1, , 3, 4]"), Catch::Contains("1-8 hex digits"));
  CHECK_THROWS_WITH(parse_register("f1", "one"), Catch::Contains("not a floating-point value"));
  CHECK_THROWS_WITH(parse_register("f1", "1.0x"), Catch::Contains("not a floating-point value"));
  CHECK_THROWS_WITH(parse_register("f1", "1e999"), Catch::Contains("out of double range"));
  CHECK_THROWS_WITH(parse_register("cr", "0x100000000"), Catch::Contains("at most 32 bits"));
}

// FPR expectations are compared bit for bit (execute.cc), so each spelling names one encoding.
TEST_CASE("ppc-test parser: decimal FP values name one encoding, sign of zero and NaN included", "[ppc-test]") {
  CHECK(parse_register("f1", "0.0").bits == 0x0000000000000000ull);
  CHECK(parse_register("f1", "-0.0").bits == 0x8000000000000000ull);
  CHECK(parse_register("f1", "inf").bits == 0x7FF0000000000000ull);
  CHECK(parse_register("f1", "-Infinity").bits == 0xFFF0000000000000ull);
  CHECK(parse_register("f1", "nan").bits == 0x7FF8000000000000ull);  // the default QNaN
  CHECK(parse_register("f1", "NaN").bits == 0x7FF8000000000000ull);
  CHECK(parse_register("f1", "+nan").bits == 0x7FF8000000000000ull);
  CHECK(parse_register("f1", "-nan").bits == 0xFFF8000000000000ull);
  CHECK_FALSE(parse_register("f1", "-nan").fp_is_bits);
  // Any other NaN has to be spelled as bits.
  CHECK_THROWS_WITH(parse_register("f1", "nan(0x1234)"), Catch::Contains("must be written as hex bits"));
  CHECK_THROWS_WITH(parse_register("f1", "nans"), Catch::Contains("must be written as hex bits"));
  CHECK(parse_register("f1", "0x7FF0000000000001").bits == 0x7FF0000000000001ull);
}

TEST_CASE("ppc-test parser: memory annotations", "[ppc-test]") {
  MemoryBlock m = parse_memory("10001077 0a 0b 0C ff");
  CHECK(m.address == 0x10001077u);
  REQUIRE(m.bytes.size() == 4);
  CHECK(m.bytes[2] == 0x0C);
  CHECK(m.bytes[3] == 0xFF);
  MemoryBlock w = parse_memory("0x100010B0 090A0A0B 0C");
  CHECK(w.address == 0x100010B0u);
  CHECK(w.bytes == std::vector<uint8_t>{0x09, 0x0A, 0x0A, 0x0B, 0x0C});
  CHECK_THROWS_WITH(parse_memory("10001000"), Catch::Contains("at least one byte"));
  CHECK_THROWS_WITH(parse_memory("10001000 123"), Catch::Contains("odd number"));
  CHECK_THROWS_WITH(parse_memory("10001000 zz"), Catch::Contains("not hex"));
  CHECK_THROWS_WITH(parse_memory("100000000 00"), Catch::Contains("32-bit hex"));
  CHECK_THROWS_WITH(parse_memory("FFFFFFFF 00 01"), Catch::Contains("past 4 GiB"));
}

TEST_CASE("ppc-test parser: whole files", "[ppc-test]") {
  const std::string text =
      "test_add_1:\n"
      "  #_ REGISTER_IN r5 0x00100000\n"
      "  #_ REGISTER_IN r25 0x0000FFFF\n"
      "\n"
      "  add r11, r5, r25   # a comment\n"
      "  blr\n"
      "  #_ REGISTER_OUT r11 0x0010FFFF\r\n"
      "  #_ REGISTER_OUT v3 [00000001, 00020003, 00040005, 00060007]\n"
      "#  #_ REGISTER_OUT r12 1\n"
      "\n"
      "test_two:\n"
      "  #_ MODE 64\n"
      "\t#_ MEMORY_IN 10001000 00 01\n"
      "  beq inner_label\n"
      "inner_label: li r3, 1\n"
      ".the_table:\n"
      "  .long 0x18601FF0\n"
      "  blr\n"
      "  #_ MEMORY_OUT 10001000 0001\n"
      "  #_ REGISTER_OUT cr 0x0000000020000000\n";
  CaseFile f = parse_case_file(text, "x.s");
  REQUIRE(f.cases.size() == 2);
  const Case& a = f.cases[0];
  CHECK(a.label == "test_add_1");
  CHECK(a.line == 1);
  CHECK_FALSE(a.sixty_four_bit);
  REQUIRE(a.reg_in.size() == 2);
  CHECK(a.reg_in[1].index == 25);
  CHECK(a.reg_in[1].line == 3);
  REQUIRE(a.reg_out.size() == 2);  // the commented-out r12 line is not an annotation
  CHECK(a.reg_out[0].bits == 0x0010FFFF);
  CHECK(a.reg_out[1].words[3] == 0x00060007u);
  const Case& b = f.cases[1];
  CHECK(b.label == "test_two");
  CHECK(b.sixty_four_bit);
  REQUIRE(b.mem_in.size() == 1);
  REQUIRE(b.mem_out.size() == 1);
  CHECK(b.mem_out[0].bytes == std::vector<uint8_t>{0, 1});
  CHECK(b.reg_out.at(0).bits == 0x20000000u);
  CHECK(f.mnemonics == std::vector<std::string>{"add", "blr", "beq", "li", "blr"});
}

TEST_CASE("ppc-test parser: malformed files name file and line", "[ppc-test]") {
  CHECK(error_of("  #_ REGISTER_IN r3 1\n") == "f.s:1: annotation 'REGISTER_IN' before the first test_ label");
  CHECK(error_of("test_a:\n  blr\n  #_ REGISTER_OUT r3 0xZZ\n") ==
        "f.s:3: '0xZZ' is not a hex value of at most 64 bits");
  CHECK(error_of("test_a:\n  #_ REGISTER_OUT r3\n") == "f.s:2: REGISTER_OUT needs a register and a value");
  CHECK(error_of("test_a:\n  #_ REGISTER_OUT r3 1 2\n") == "f.s:2: unexpected text after value '1'");
  CHECK(error_of("test_a:\n\n\n  #_ FROB r3 1\n") == "f.s:4: unknown annotation 'FROB'");
  CHECK(error_of("test_a:\n  #_\n") == "f.s:2: empty annotation");
  CHECK(error_of("test_a:\n  #_ MODE 16\n") == "f.s:2: MODE must be 32 or 64, got '16'");
  CHECK(error_of("test_a:\n  blr\ntest_a:\n  blr\n") == "f.s:3: duplicate test label 'test_a' (first at line 1)");
  CHECK(error_of("test_:\n") == "f.s:1: test label has no name");
  CHECK(error_of("test_a:\n  #_ REGISTER_IN v1 [1, 2]\n").find("f.s:2: vector value") == 0);
  CHECK(error_of("test_a:\n  #_ MEMORY_IN 10001000\n").find("f.s:2: memory annotation") == 0);
  CHECK(error_of("").empty());
  CHECK(parse_case_file("# only comments\n", "f.s").cases.empty());
}

TEST_CASE("ppc-test classifier", "[ppc-test]") {
  auto cls = [](const char* text) { return classify(parse_case_file(text, "c.s")); };
  CHECK(cls("test_a:\n  add r3, r4, r5\n  blr\n  #_ REGISTER_OUT r3 0\n") == CaseClass::Int);
  CHECK(cls("test_a:\n  fadd f1, f2, f3\n  blr\n") == CaseClass::Fp);
  CHECK(cls("test_a:\n  blr\n  #_ REGISTER_OUT f1 1.0\n") == CaseClass::Fp);
  CHECK(cls("test_a:\n  lfd f1, 0(r3)\n  blr\n") == CaseClass::Fp);
  CHECK(cls("test_a:\n  vaddubm v1, v2, v3\n  fadd f1, f1, f1\n  blr\n") == CaseClass::Vector);
  CHECK(cls("test_a:\n  lvx v1, r0, r3\n  blr\n") == CaseClass::Vector);
  CHECK(cls("test_a:\n  blr\n  #_ REGISTER_IN v3 [0, 0, 0, 0]\n") == CaseClass::Vector);
  CaseFile f = parse_case_file("test_a:\n  vcmpeqfp128. v0, v1, v2\n  blr\n", "c.s");
  CHECK(classify(f) == CaseClass::Vector);
  CHECK(file_uses_vmx128(f));
  CHECK_FALSE(file_uses_vmx128(parse_case_file("test_a:\n  vor v1, v2, v3\n  blr\n", "c.s")));
  CHECK(is_vmx128_mnemonic("lvewx128"));
  CHECK(is_vmx128_mnemonic("stvx128"));
  CHECK_FALSE(is_vmx128_mnemonic("addi"));
  // dcbz128 zeroes a 128-byte line: an integer store, not a vector instruction.
  CHECK_FALSE(is_vmx128_mnemonic("dcbz128"));
  CHECK(cls("test_a:\n  dcbz128 r0, r3\n  blr\n  #_ REGISTER_OUT r3 0\n") == CaseClass::Int);
}
