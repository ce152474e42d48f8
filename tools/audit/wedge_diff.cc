#include "wedge_diff.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "event_stream.h"
#include "trace_diff.h"

namespace hexad::audit {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr const char* kUsage =
    "usage: hexad-audit wedge-diff A B [--json]\n"
    "\n"
    "  A and B are run folders (hexad run --out) or exit-thread-state.json files, usually the\n"
    "  same title under two iterations of the engine. Threads and objects are matched by their\n"
    "  stable keys. Prints one verdict (WEDGE-DISSOLVED, WEDGE-DISSOLVED-NEW-BLOCKER, NEW-BLOCKER,\n"
    "  UNCHANGED, REGRESSED; README.md defines them), the wedges only in A (dissolved), only in B\n"
    "  (new) and in both with changed waiters, signalers or state, the threads whose state\n"
    "  changed, and both runs' progress markers. --json prints the same as one JSON object.\n"
    "\n"
    "exit status: 0 nothing differs (verdict UNCHANGED), 1 something differs, 2 bad input\n";

std::string thread_key(const RunDump& run, uint32_t tid) {
  const DumpThread* t = run.thread(tid);
  return t ? t->key : fmt::format("tid {}", tid);
}

WedgeSide side_of(const RunDump& run, const DumpWedge& w) {
  WedgeSide s;
  s.handle = w.handle;
  s.state = w.state;
  for (uint32_t tid : w.waiters) s.waiters.push_back(thread_key(run, tid));
  for (uint32_t tid : w.signalers) s.signalers.push_back(thread_key(run, tid));
  return s;
}

bool ended(const std::string& state) { return state == "Exited" || state == "Faulted"; }

// The blocked waits of a run: (wedge key, waiter key).
std::set<std::pair<std::string, std::string>> blocked_waits(const RunDump& run) {
  std::set<std::pair<std::string, std::string>> out;
  for (const DumpWedge& w : run.wedges)
    for (uint32_t tid : w.waiters) out.insert({w.key, thread_key(run, tid)});
  return out;
}

void check_unique_keys(const RunDump& run) {
  std::set<std::string> seen;
  for (const DumpThread& t : run.threads)
    if (!seen.insert(t.key).second) fail("{}: thread key \"{}\" appears twice", run.dump_path, t.key);
  seen.clear();
  for (const DumpWedge& w : run.wedges)
    if (!seen.insert(w.key).second) fail("{}: wedge key \"{}\" appears twice", run.dump_path, w.key);
}

}  // namespace

const char* verdict_name(WedgeVerdict v) {
  switch (v) {
    case WedgeVerdict::Unchanged: return "UNCHANGED";
    case WedgeVerdict::WedgeDissolved: return "WEDGE-DISSOLVED";
    case WedgeVerdict::WedgeDissolvedNewBlocker: return "WEDGE-DISSOLVED-NEW-BLOCKER";
    case WedgeVerdict::NewBlocker: return "NEW-BLOCKER";
    case WedgeVerdict::Regressed: return "REGRESSED";
  }
  return "?";
}

namespace {
bool same_markers(const ProgressMarkers& a, const ProgressMarkers& b) {
  return a.stop_reason == b.stop_reason && a.trace_events == b.trace_events && a.live_threads == b.live_threads &&
         a.exited_threads == b.exited_threads && a.vdswap_calls == b.vdswap_calls &&
         a.guest_time_ns == b.guest_time_ns;
}
}  // namespace

bool WedgeDiff::identical() const {
  return verdict == WedgeVerdict::Unchanged && dissolved.empty() && appeared.empty() && changed.empty() &&
         threads.empty() && same_markers(progress_a, progress_b);
}

ProgressMarkers progress_markers(const RunDump& run, std::vector<std::string>& warnings) {
  ProgressMarkers p;
  p.stop_reason = run.stop_reason;
  p.trace_events = run.trace_events;
  p.guest_time_ns = run.guest_time_ns;
  for (const DumpThread& t : run.threads) ++(ended(t.state) ? p.exited_threads : p.live_threads);
  if (run.trace_path) {
    EventStream stream(*run.trace_path, EventStreamOptions{.tolerate_cut_last_line = true});
    EventView e;
    uint64_t swaps = 0;
    while (stream.next(e))
      if (e.kind == "import.call" && e.str("name") == std::optional<std::string_view>("VdSwap")) ++swaps;
    if (stream.cut_line() != 0)
      warnings.push_back(fmt::format("{}:{}: the last line is cut short (the run was killed while writing it); "
                                     "VdSwap calls counted in the {} complete lines before it",
                                     stream.path(), stream.cut_line(), stream.events_read()));
    else if (const std::string cut = stream.cut_message(); !cut.empty())
      warnings.push_back(fmt::format("{}; VdSwap calls counted in the {} events before it", cut, stream.events_read()));
    stream.check_complete(/*allow_unfinished=*/true);
    p.vdswap_calls = swaps;
  }
  return p;
}

WedgeDiff wedge_diff(const RunDump& a, const RunDump& b) {
  check_unique_keys(a);
  check_unique_keys(b);
  WedgeDiff d;
  d.path_a = a.dump_path;
  d.path_b = b.dump_path;

  for (const DumpWedge& wa : a.wedges) {
    auto wb = std::find_if(b.wedges.begin(), b.wedges.end(), [&](const DumpWedge& w) { return w.key == wa.key; });
    WedgeEntryDiff e;
    e.key = wa.key;
    e.type = wa.type;
    e.a = side_of(a, wa);
    if (wb == b.wedges.end()) {
      d.dissolved.push_back(std::move(e));
      continue;
    }
    e.b = side_of(b, *wb);
    if (e.a->waiters != e.b->waiters) e.changed.push_back("waiters");
    if (e.a->signalers != e.b->signalers) e.changed.push_back("signalers");
    if (!same_json(e.a->state, e.b->state)) e.changed.push_back("state");
    if (wa.type != wb->type) e.changed.push_back("type");
    if (!e.changed.empty()) d.changed.push_back(std::move(e));
  }
  for (const DumpWedge& wb : b.wedges) {
    if (std::any_of(a.wedges.begin(), a.wedges.end(), [&](const DumpWedge& w) { return w.key == wb.key; })) continue;
    WedgeEntryDiff e;
    e.key = wb.key;
    e.type = wb.type;
    e.b = side_of(b, wb);
    d.appeared.push_back(std::move(e));
  }

  for (const DumpThread& ta : a.threads) {
    const DumpThread* tb = b.thread_by_key(ta.key);
    if (!tb) d.threads.push_back({ta.key, ta.state, std::nullopt});
    else if (tb->state != ta.state) d.threads.push_back({ta.key, ta.state, tb->state});
  }
  for (const DumpThread& tb : b.threads)
    if (!a.thread_by_key(tb.key)) d.threads.push_back({tb.key, std::nullopt, tb.state});

  // Regressions: a waiter of a wedge of B that got further (made more trace events) in A.
  for (const DumpWedge& wb : b.wedges)
    for (uint32_t tid : wb.waiters) {
      const DumpThread* tb = b.thread(tid);
      const DumpThread* ta = tb ? a.thread_by_key(tb->key) : nullptr;
      if (ta && ta->events > tb->events) d.regressions.push_back({wb.key, tb->key, ta->events, tb->events});
    }

  const auto waits_a = blocked_waits(a), waits_b = blocked_waits(b);
  for (const auto& w : waits_a) d.dissolved_waits += !waits_b.count(w);
  for (const auto& w : waits_b) d.new_waits += !waits_a.count(w);
  if (!d.regressions.empty()) d.verdict = WedgeVerdict::Regressed;
  else if (d.dissolved_waits && d.new_waits) d.verdict = WedgeVerdict::WedgeDissolvedNewBlocker;
  else if (d.dissolved_waits) d.verdict = WedgeVerdict::WedgeDissolved;
  else if (d.new_waits) d.verdict = WedgeVerdict::NewBlocker;
  else d.verdict = WedgeVerdict::Unchanged;

  d.progress_a = progress_markers(a, d.warnings);
  d.progress_b = progress_markers(b, d.warnings);
  return d;
}

namespace {

std::string joined(const std::vector<std::string>& v) {
  if (v.empty()) return "-";
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::string compact(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void write_side(std::ostream& out, const char* name, const WedgeSide& s) {
  out << "      " << name << ": " << s.handle << " state " << compact(s.state) << "; waiters " << joined(s.waiters)
      << "; signaled by " << joined(s.signalers) << "\n";
}

void write_entries(std::ostream& out, const char* title, const std::vector<WedgeEntryDiff>& entries) {
  out << title << ": " << entries.size() << "\n";
  for (const WedgeEntryDiff& e : entries) {
    out << "  " << e.key << " (" << e.type << ")";
    if (!e.changed.empty()) out << ": " << joined(e.changed) << " changed";
    out << "\n";
    if (e.a) write_side(out, "A", *e.a);
    if (e.b) write_side(out, "B", *e.b);
  }
}

std::string marker(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : "unknown (no trace)"; }

ordered_json side_json(const WedgeSide& s) {
  return ordered_json{{"handle", s.handle}, {"state", s.state}, {"waiters", s.waiters}, {"signalers", s.signalers}};
}

ordered_json entries_json(const std::vector<WedgeEntryDiff>& entries) {
  ordered_json arr = ordered_json::array();
  for (const WedgeEntryDiff& e : entries) {
    ordered_json j{{"key", e.key}, {"type", e.type}};
    j["a"] = e.a ? side_json(*e.a) : ordered_json(nullptr);
    j["b"] = e.b ? side_json(*e.b) : ordered_json(nullptr);
    if (e.a && e.b) j["changed"] = e.changed;
    arr.push_back(j);
  }
  return arr;
}

ordered_json progress_json(const ProgressMarkers& p) {
  return ordered_json{{"stop_reason", p.stop_reason},
                      {"trace_events", p.trace_events},
                      {"live_threads", p.live_threads},
                      {"exited_threads", p.exited_threads},
                      {"vdswap_calls", p.vdswap_calls ? ordered_json(*p.vdswap_calls) : ordered_json(nullptr)},
                      {"guest_time_ns", p.guest_time_ns}};
}

}  // namespace

void write_wedge_diff_text(std::ostream& out, const WedgeDiff& d) {
  out << "verdict: " << verdict_name(d.verdict) << "\n";
  out << "A: " << d.path_a << "\nB: " << d.path_b << "\n";
  out << "blocked waits (wedge, waiter) gone in B: " << d.dissolved_waits << ", new in B: " << d.new_waits << "\n";
  for (const Regression& r : d.regressions)
    out << "regressed: " << r.waiter_key << " waits on " << r.wedge_key << " in B after " << r.events_b
        << " trace events; it made " << r.events_a << " in A\n";
  write_entries(out, "wedges only in A (dissolved)", d.dissolved);
  write_entries(out, "wedges only in B (new)", d.appeared);
  write_entries(out, "wedges in both, changed", d.changed);
  out << "threads whose state changed: " << d.threads.size() << "\n";
  for (const ThreadStateDiff& t : d.threads)
    out << "  " << t.key << ": " << t.state_a.value_or("(not in A)") << " -> " << t.state_b.value_or("(not in B)")
        << "\n";
  out << "progress markers (A -> B):\n";
  const ProgressMarkers &a = d.progress_a, &b = d.progress_b;
  out << "  stop reason:    " << a.stop_reason << " -> " << b.stop_reason << "\n";
  out << "  trace events:   " << a.trace_events << " -> " << b.trace_events << "\n";
  out << "  live threads:   " << a.live_threads << " -> " << b.live_threads << "\n";
  out << "  exited threads: " << a.exited_threads << " -> " << b.exited_threads << "\n";
  out << "  VdSwap calls:   " << marker(a.vdswap_calls) << " -> " << marker(b.vdswap_calls) << "\n";
  out << "  guest time ns:  " << a.guest_time_ns << " -> " << b.guest_time_ns << "\n";
}

ordered_json wedge_diff_json(const WedgeDiff& d) {
  ordered_json j;
  j["verdict"] = verdict_name(d.verdict);
  j["identical"] = d.identical();
  j["a"] = d.path_a;
  j["b"] = d.path_b;
  j["blocked_waits_gone"] = d.dissolved_waits;
  j["blocked_waits_new"] = d.new_waits;
  ordered_json regressions = ordered_json::array();
  for (const Regression& r : d.regressions)
    regressions.push_back({{"wedge", r.wedge_key}, {"waiter", r.waiter_key}, {"events_a", r.events_a},
                           {"events_b", r.events_b}});
  j["regressions"] = regressions;
  j["wedges_only_in_a"] = entries_json(d.dissolved);
  j["wedges_only_in_b"] = entries_json(d.appeared);
  j["wedges_changed"] = entries_json(d.changed);
  ordered_json threads = ordered_json::array();
  for (const ThreadStateDiff& t : d.threads)
    threads.push_back({{"key", t.key},
                       {"state_a", t.state_a ? ordered_json(*t.state_a) : ordered_json(nullptr)},
                       {"state_b", t.state_b ? ordered_json(*t.state_b) : ordered_json(nullptr)}});
  j["threads_changed"] = threads;
  j["progress"] = {{"a", progress_json(d.progress_a)}, {"b", progress_json(d.progress_b)}};
  return j;
}

int wedge_diff_command(const std::vector<std::string>& args) {
  std::vector<std::string> runs;
  bool as_json = false;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--json") {
      as_json = true;
    } else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "hexad-audit: wedge-diff: unknown option '%s'\n%s", a.c_str(), kUsage);
      return 2;
    } else {
      runs.push_back(a);
    }
  }
  if (runs.size() != 2) {
    std::fprintf(stderr, "hexad-audit: wedge-diff: expected two runs (folders or dump files)\n%s", kUsage);
    return 2;
  }
  const RunDump a = load_run_dump(runs[0]);
  const RunDump b = load_run_dump(runs[1]);
  const WedgeDiff d = wedge_diff(a, b);
  for (const std::string& w : d.warnings) std::fprintf(stderr, "hexad-audit: warning: %s\n", w.c_str());
  if (as_json) std::cout << wedge_diff_json(d).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  else write_wedge_diff_text(std::cout, d);
  std::cout.flush();
  return d.identical() ? 0 : 1;
}

}  // namespace hexad::audit
