#include "app/studio/run_view.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

#include "base/hexad_error.h"
#include "audit/explain.h"
#include "audit/line_source.h"

namespace hexad::app::studio {

namespace fs = std::filesystem;

RunView load_recorded_run(const std::string& dir) {
  RunView v;
  v.title = dir;
  v.recorded = true;
  const fs::path dump_path = fs::path(dir) / "exit-thread-state.json";
  std::ifstream in(dump_path);
  if (!in) fail("{}: not an audit-run folder (no exit-thread-state.json)", dir);
  v.dump = kernel::Json::parse(in, nullptr, false);
  if (!v.dump.is_object() || !v.dump.contains("threads"))
    fail("{}: not a hexad exit dump", dump_path.string());
  audit::LineSource lines(audit::resolve_trace_path(dir));
  std::string_view line;
  struct Open {
    uint32_t tid = 0;
    uint64_t since = 0;
  };
  std::array<Open, 6> open{};
  uint64_t last_cycle = 0;
  while (lines.next(line)) {
    v.events.emplace_back(line);
    const kernel::Json e = kernel::Json::parse(line, nullptr, false);
    if (!e.is_object()) fail("{}:{}: not a JSON object", lines.path(), lines.line_number());
    const int slot = e.value("slot", -1);
    const uint32_t tid = e.value("tid", 0u);
    const uint64_t cycle = e.value("guest_cycle", uint64_t(0));
    last_cycle = std::max(last_cycle, cycle);
    if (slot < 0 || slot >= 6 || tid == 0) continue;
    Open& o = open[size_t(slot)];
    if (o.tid == tid) continue;
    if (o.tid && cycle > o.since) v.slices.push_back({uint32_t(slot), o.tid, o.since, cycle, false, {}});
    o = {tid, cycle};
  }
  for (size_t slot = 0; slot < open.size(); ++slot)
    if (open[slot].tid && last_cycle > open[slot].since)
      v.slices.push_back({uint32_t(slot), open[slot].tid, open[slot].since, last_cycle, false, {}});
  explain_run(v, dir);
  return v;
}

void explain_run(RunView& view, const std::string& dir) {
  view.explanations.clear();
  view.explain_error.clear();
  try {
    const audit::RunDump run = audit::load_run_dump(dir);
    const audit::TraceFacts facts = audit::gather_trace_facts(audit::resolve_trace_path(dir), false);
    for (const audit::WedgeExplanation& w : audit::explain_wedges(run, facts, {}))
      view.explanations.push_back({w.key, w.handle, audit::wedge_class_name(w.cls), w.evidence});
  } catch (const Error& e) {
    view.explain_error = e.what();
  }
}

}  // namespace hexad::app::studio
