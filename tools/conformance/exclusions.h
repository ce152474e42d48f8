// The list of conformance files whose cases may neither pass nor fail (`hexad ppc-test --excluded
// FILE`, tests/ppc/excluded.tsv). Without a listing, a case with no REGISTER_OUT/MEMORY_OUT, a case
// that was not run (file not assembled) and a file with no test_ case at all are failures: a case
// that cannot fail must not be counted as passed.
//
// Format, one entry a line; blank lines and lines starting with '#' are ignored:
//   DIR/FILE.s <tabs or spaces> reason
// DIR is the name of the directory holding the case file (the suite: `xenia-ppc`, `ppc`), so one
// list serves every suite wherever it is checked out. The reason is required.
//
// An entry is stale, and fails the run, when its suite is part of the run but no input file
// matches it, or when the file it names now has cases and every one of them has expectations and
// ran. Files left out by --class are not judged.
//
// Header-only so the unit tests (which do not link the CLI) can exercise it directly.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/parser.h"
#include "base/hexad_error.h"

namespace hexad::conformance {

struct Exclusion {
  std::string key;     // "xenia-ppc/instr_frsqrte.s"
  std::string reason;
  int line = 0;
  bool matched = false;  // an input file has this key
  bool judged = false;   // that file was within --class
  bool needed = false;   // it had an expectation-less case, a case not run, or no case at all
};

struct ExclusionList {
  std::string path;
  std::vector<Exclusion> entries;
};

// "DIR/FILE.s" for a case file path: its directory's name and its own name.
inline std::string exclusion_key(const std::string& file_path) {
  std::filesystem::path p = std::filesystem::path(file_path).lexically_normal();
  std::filesystem::path dir = std::filesystem::absolute(p).parent_path().filename();
  return dir.string() + "/" + p.filename().string();
}

inline bool case_has_expectations(const Case& c) { return !c.reg_out.empty() || !c.mem_out.empty(); }

// Errors throw hexad::Error "PATH:LINE: message".
inline ExclusionList parse_exclusions(std::string_view text, const std::string& path) {
  using namespace detail;
  ExclusionList list;
  list.path = path;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = trim(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    size_t sep = line.find_first_of(" \t");
    std::string key(line.substr(0, sep));
    std::string reason(sep == std::string_view::npos ? std::string_view() : trim(line.substr(sep)));
    size_t slash = key.find('/');
    if (slash == std::string::npos || slash == 0 || key.find('/', slash + 1) != std::string::npos ||
        key.size() < slash + 4 || key.substr(key.size() - 2) != ".s")
      fail("{}:{}: '{}' is not DIR/FILE.s (the case file's directory name and file name)", path, line_no, key);
    if (reason.empty()) fail("{}:{}: {} has no reason", path, line_no, key);
    for (const Exclusion& e : list.entries)
      if (e.key == key) fail("{}:{}: {} is listed twice (first at line {})", path, line_no, key, e.line);
    list.entries.push_back(Exclusion{key, reason, line_no});
  }
  return list;
}

inline Exclusion* find_exclusion(ExclusionList& list, const std::string& file_path) {
  const std::string key = exclusion_key(file_path);
  for (Exclusion& e : list.entries)
    if (e.key == key) return &e;
  return nullptr;
}

// Entries found stale after a run over `inputs` (every file given, in or out of --class), one
// message each.
inline std::vector<std::string> stale_exclusions(const ExclusionList& list, const std::vector<std::string>& inputs) {
  std::vector<std::string> suites;
  for (const std::string& in : inputs) {
    std::string k = exclusion_key(in);
    suites.push_back(k.substr(0, k.find('/')));
  }
  std::vector<std::string> out;
  for (const Exclusion& e : list.entries) {
    const std::string suite = e.key.substr(0, e.key.find('/'));
    bool suite_in_run = false;
    for (const std::string& s : suites) suite_in_run = suite_in_run || s == suite;
    if (!suite_in_run) continue;
    const std::string where = list.path + ":" + std::to_string(e.line) + ": " + e.key;
    if (!e.matched) out.push_back(where + ": no such file in the run");
    else if (e.judged && !e.needed)
      out.push_back(where + ": every case now has expectations and ran; remove the entry");
  }
  return out;
}

}  // namespace hexad::conformance
