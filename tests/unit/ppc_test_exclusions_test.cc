// The exclusions list of `hexad ppc-test --excluded` (tests/ppc/excluded.tsv): its format, how
// entries match case files, and which entries are stale. ctest ppc_selftest.* run the whole
// command on files built to trip each check.
#include <catch2/catch.hpp>

#include "conformance/exclusions.h"

using namespace hexad::conformance;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_exclusions(text, "x.tsv");
  } catch (const hexad::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("ppc-test exclusions: format", "[ppc-test]") {
  ExclusionList l = parse_exclusions("# comment\n\nsuite/a.s\tits reason\nsuite/b.s   two  words \n", "x.tsv");
  REQUIRE(l.entries.size() == 2);
  CHECK(l.entries[0].key == "suite/a.s");
  CHECK(l.entries[0].reason == "its reason");
  CHECK(l.entries[0].line == 3);
  CHECK(l.entries[1].key == "suite/b.s");
  CHECK(l.entries[1].reason == "two  words");

  CHECK(error_of("suite/a.s\n") == "x.tsv:1: suite/a.s has no reason");
  CHECK_THAT(error_of("a.s reason\n"), Catch::Contains("x.tsv:1: 'a.s' is not DIR/FILE.s"));
  CHECK_THAT(error_of("x/y/a.s reason\n"), Catch::Contains("is not DIR/FILE.s"));
  CHECK_THAT(error_of("/a.s reason\n"), Catch::Contains("is not DIR/FILE.s"));
  CHECK_THAT(error_of("suite/a.txt reason\n"), Catch::Contains("is not DIR/FILE.s"));
  CHECK(error_of("suite/a.s r\n\nsuite/a.s r\n") == "x.tsv:3: suite/a.s is listed twice (first at line 1)");
}

TEST_CASE("ppc-test exclusions: entries match by directory name and file name", "[ppc-test]") {
  CHECK(exclusion_key("/work/shared/conformance/xenia-ppc/instr_add.s") == "xenia-ppc/instr_add.s");
  CHECK(exclusion_key("../shared/conformance/xenia-ppc/../xenia-ppc/instr_add.s") == "xenia-ppc/instr_add.s");
  ExclusionList l = parse_exclusions("xenia-ppc/instr_add.s r\n", "x.tsv");
  CHECK(find_exclusion(l, "/a/xenia-ppc/instr_add.s") == &l.entries[0]);
  CHECK(find_exclusion(l, "/a/ppc/instr_add.s") == nullptr);
  CHECK(find_exclusion(l, "/a/xenia-ppc/instr_addc.s") == nullptr);
}

TEST_CASE("ppc-test exclusions: an entry that excuses nothing is stale", "[ppc-test]") {
  ExclusionList l = parse_exclusions("s/needed.s r\ns/unneeded.s r\ns/gone.s r\ns/other_class.s r\nt/x.s r\n", "x.tsv");
  for (Exclusion& e : l.entries) e.matched = e.key != "s/gone.s";
  for (Exclusion& e : l.entries) e.judged = e.key != "s/other_class.s";
  l.entries[0].needed = true;
  // The run covered suite s only: t/x.s is not judged, whatever its flags say.
  std::vector<std::string> stale =
      stale_exclusions(l, {"/d/s/needed.s", "/d/s/unneeded.s", "/d/s/other_class.s"});
  REQUIRE(stale.size() == 2);
  CHECK(stale[0] == "x.tsv:2: s/unneeded.s: every case now has expectations and ran; remove the entry");
  CHECK(stale[1] == "x.tsv:3: s/gone.s: no such file in the run");
}

TEST_CASE("ppc-test exclusions: a case has expectations when it checks a register or memory", "[ppc-test]") {
  CaseFile f = parse_case_file(
      "test_none:\n  blr\n"
      "test_reg:\n  blr\n  #_ REGISTER_OUT r3 1\n"
      "test_mem:\n  blr\n  #_ MEMORY_OUT 10001000 00\n"
      "test_in_only:\n  #_ REGISTER_IN r3 1\n  blr\n",
      "f.s");
  REQUIRE(f.cases.size() == 4);
  CHECK_FALSE(case_has_expectations(f.cases[0]));
  CHECK(case_has_expectations(f.cases[1]));
  CHECK(case_has_expectations(f.cases[2]));
  CHECK_FALSE(case_has_expectations(f.cases[3]));
}
