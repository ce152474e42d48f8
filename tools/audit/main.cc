// hexad-audit: tools for checking hexad's determinism from its traces (schema hexad.trace/1).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "base/hexad_error.h"
#include "explain.h"
#include "export_command.h"
#include "gate.h"
#include "run_summary.h"
#include "trace_diff.h"
#include "wedge_diff.h"

namespace {

const std::string kUsage = std::string(
    "usage: hexad-audit diff A B [--max-show N] [--allow-unfinished]\n"
    "       hexad-audit summary RUN [--json]\n"
    "       hexad-audit gate RUN EXPR...\n"
    "       hexad-audit wedge-diff A B [--json]     (wedge-diff --help: the wedge maps of two runs)\n"
    "       hexad-audit explain RUN [--json]        (explain --help: why each wedge is stuck)\n"
    "       hexad-audit export RUN --format perfetto -o OUT.json [--from CYCLE] [--to CYCLE]\n"
    "                          [--allow-unfinished]\n"
    "\n"
    "  A, B and RUN are trace files or run folders (a folder's trace.jsonl or trace.jsonl.zst);\n"
    "  every command reads plain and zstd-compressed traces alike (recognised by content).\n"
    "\n"
    "  diff     compares two hexad.trace/1 traces event by event, ignoring host_ns; streams both\n"
    "           files. Prints 'identical: N events' and exits 0, or prints the first differing\n"
    "           event of each side (--max-show N: the first N, default 1; 0 prints counts only),\n"
    "           the differing events by kind and the event counts, and exits 1.\n"
    "           A trace must start with run.start (an empty file is an error); traces whose\n"
    "           run.start schemas differ are refused. A trace without run.stop at its end, with a\n"
    "           cut-off last line, or whose folder's run.json is not \"finished\" (the run was\n"
    "           killed), is refused unless --allow-unfinished (then: a warning on stderr).\n"
    "  summary  per thread: state, slot, instructions, events, waits, guest time Running/Ready/\n"
    "           Blocked, top waited objects; per slot: utilisation; events by kind; imports by\n"
    "           calls, unimplemented first; progress: events, live and exited threads, VdSwap\n"
    "           calls, last guest cycle, stop reason. From the trace and, when it belongs to it,\n"
    "           the exit-thread-state.json beside it. A killed run's readable prefix is used (a\n"
    "           warning says so). --json: the same as one JSON object.\n"
    "  gate     evaluates each EXPR over the run; prints PASS or FAIL, the expression and the\n"
    "           observed value, one line each; exits 0 if all pass, 1 if any fails.\n"
    "           Examples: 'count(signal.match, target_handle=0x12e4) >= 1'  'thread(6).events > 105'\n"
    "                     'thread(6).state != Ready'  'count(import.call, name=VdSwap) >= 2'\n"
    "           Grammar:\n") + hexad::audit::kGateGrammar + std::string(
    "  export   writes the run as a Chrome Trace Event Format timeline (JSON) for ui.perfetto.dev\n"
    "           and chrome://tracing: a track per hardware slot (which thread ran), a track per guest\n"
    "           thread (its waits, named by object, and signals with arrows to the threads they woke);\n"
    "           1 us on the timeline = 1 guest cycle. RUN is a run folder or a trace file. Formats:\n"
    "           perfetto. -o - writes to stdout. --from/--to keep the slices overlapping that\n"
    "           window of guest cycles. README \"Timeline export\".\n"
    "\n"
    "exit status: 0 identical / all gates pass / exported (or --help), 1 different / a gate fails, 2 usage\n"
    "             error, bad expression, unreadable/corrupt/empty input, mismatched schemas, or an\n"
    "             unfinished run given to diff without --allow-unfinished\n");

int usage_error(const std::string& why) {
  if (!why.empty()) std::fprintf(stderr, "hexad-audit: %s\n", why.c_str());
  std::fputs(kUsage.c_str(), stderr);
  return 2;
}

// Asked-for help is not an error: usage on stdout, exit 0 (as `hexad --help`).
int help() {
  std::fputs(kUsage.c_str(), stdout);
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
  if (files.size() != 2) return usage_error("diff: expected two traces (files or run folders)");
  hexad::audit::DiffResult r = hexad::audit::diff_traces(files[0], files[1], options);
  for (const std::string& w : r.warnings) std::fprintf(stderr, "hexad-audit: warning: %s\n", w.c_str());
  hexad::audit::write_diff_report(std::cout, r, files[0], files[1]);
  std::cout.flush();
  return r.identical() ? 0 : 1;
}

int cmd_summary(const std::vector<std::string>& args) {
  std::vector<std::string> runs;
  bool as_json = false;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") return help();
    if (a == "--json") as_json = true;
    else if (a.size() > 1 && a[0] == '-') return usage_error("summary: unknown option '" + a + "'");
    else runs.push_back(a);
  }
  if (runs.size() != 1) return usage_error("summary: expected one run (a folder or a trace file)");
  hexad::audit::TraceSummary s = hexad::audit::summarize(runs[0]);
  if (as_json) {
    for (const std::string& w : s.warnings) std::fprintf(stderr, "hexad-audit: warning: %s\n", w.c_str());
    std::cout << hexad::audit::summary_json(s).dump(2) << "\n";
  } else {
    hexad::audit::write_summary_text(std::cout, s);
  }
  std::cout.flush();
  return 0;
}

int cmd_gate(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) return help();
  if (args.size() < 2) return usage_error("gate: expected a run and at least one expression");
  std::vector<hexad::audit::EventCounter> counters;
  std::vector<hexad::audit::Gate> gates;
  for (size_t k = 1; k < args.size(); ++k) gates.push_back(hexad::audit::parse_gate(args[k], k, counters));
  hexad::audit::TraceSummary s = hexad::audit::summarize(args[0], &counters);
  for (const std::string& w : s.warnings) std::fprintf(stderr, "hexad-audit: warning: %s\n", w.c_str());
  bool all = true;
  for (const hexad::audit::Gate& g : gates) {
    hexad::audit::GateResult r = hexad::audit::evaluate_gate(g, s, counters);
    all = all && r.pass;
    std::cout << (r.pass ? "PASS  " : "FAIL  ") << g.text << "  (observed: " << r.observed << ")\n";
  }
  std::cout << (all ? "all " : "") << gates.size() << " gate(s): "
            << (all ? "pass" : "at least one fails") << "\n";
  std::cout.flush();
  return all ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command given");
  if (args[0] == "--help" || args[0] == "-h") return help();
  try {
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "diff") return cmd_diff(rest);
    if (args[0] == "summary") return cmd_summary(rest);
    if (args[0] == "gate") return cmd_gate(rest);
    if (args[0] == "export") return hexad::audit::export_command(rest, usage_error, help);
    if (args[0] == "wedge-diff") return hexad::audit::wedge_diff_command(rest);
    if (args[0] == "explain") return hexad::audit::explain_command(rest);
    return usage_error("unknown command '" + args[0] + "'");
  } catch (const hexad::Error& e) {
    std::cout.flush();
    std::fprintf(stderr, "hexad-audit: %s\n", e.what());
    return 2;
  }
}
