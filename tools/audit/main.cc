// hexad-audit: tools for checking hexad's determinism from its traces (schema hexad.trace/1).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "base/hexad_error.h"
#include "trace_diff.h"
#include "wedge_diff.h"
#include "explain.h"

namespace {

const char* kUsage =
    "usage: hexad-audit diff A.jsonl B.jsonl [--max-show N] [--allow-unfinished]\n"
    "       hexad-audit wedge-diff A B [--json]     (wedge-diff --help: the wedge maps of two runs)\n"
    "       hexad-audit explain RUN [--json]        (explain --help: why each wedge is stuck)\n"
    "\n"
    "  diff  compares two hexad.trace/1 traces event by event, ignoring host_ns; streams both\n"
    "        files. Prints 'identical: N events' and exits 0, or prints the first differing\n"
    "        event of each side (--max-show N: the first N, default 1; 0 prints counts only),\n"
    "        the differing events by kind and the event counts, and exits 1.\n"
    "        A trace must start with run.start (an empty file is an error). A trace without\n"
    "        run.stop at its end, or whose folder's run.json is not \"finished\" (the run was\n"
    "        killed), is refused unless --allow-unfinished (then: a warning on stderr).\n"
    "\n"
    "exit status: 0 identical (or --help), 1 different, 2 usage error, unreadable/corrupt/empty\n"
    "             input, or an unfinished run without --allow-unfinished\n";

int usage_error(const std::string& why) {
  if (!why.empty()) std::fprintf(stderr, "hexad-audit: %s\n", why.c_str());
  std::fputs(kUsage, stderr);
  return 2;
}

// Asked-for help is not an error: usage on stdout, exit 0 (as `hexad --help`).
int help() {
  std::fputs(kUsage, stdout);
  return 0;
}

bool parse_count(const std::string& s, size_t& out) {
  if (s.empty() || s.size() > 9) return false;
  size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + size_t(c - '0');
  }
  out = v;
  return true;
}

int cmd_diff(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  hexad::audit::DiffOptions options;
  for (size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    if (a == "--help" || a == "-h") return help();
    if (a == "--max-show" || a.rfind("--max-show=", 0) == 0) {
      std::string value;
      if (a == "--max-show") {
        if (k + 1 >= args.size()) return usage_error("--max-show needs a value");
        value = args[++k];
      } else {
        value = a.substr(std::string("--max-show=").size());
      }
      if (!parse_count(value, options.max_show))
        return usage_error("--max-show: not a count: '" + value + "'");
      continue;
    }
    if (a == "--allow-unfinished") {
      options.allow_unfinished = true;
      continue;
    }
    if (a.size() > 1 && a[0] == '-') return usage_error("diff: unknown option '" + a + "'");
    files.push_back(a);
  }
  if (files.size() != 2) return usage_error("diff: expected two trace files");
  hexad::audit::DiffResult r = hexad::audit::diff_traces(files[0], files[1], options);
  for (const std::string& w : r.warnings) std::fprintf(stderr, "hexad-audit: warning: %s\n", w.c_str());
  hexad::audit::write_diff_report(std::cout, r, files[0], files[1]);
  std::cout.flush();
  return r.identical() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command given");
  if (args[0] == "--help" || args[0] == "-h") return help();
  try {
    if (args[0] == "diff") return cmd_diff(std::vector<std::string>(args.begin() + 1, args.end()));
    if (args[0] == "wedge-diff") return hexad::audit::wedge_diff_command({args.begin() + 1, args.end()});
    if (args[0] == "explain") return hexad::audit::explain_command({args.begin() + 1, args.end()});
    return usage_error("unknown command '" + args[0] + "'");
  } catch (const hexad::Error& e) {
    std::cout.flush();
    std::fprintf(stderr, "hexad-audit: %s\n", e.what());
    return 2;
  }
}
