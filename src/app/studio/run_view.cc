#include "app/studio/run_view.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

#include "app/png_file.h"
#include "base/hexad_error.h"
#include "audit/explain.h"
#include "audit/line_source.h"

namespace hexad::app::studio {

namespace fs = std::filesystem;

namespace {

// The last frame-NNNNNN.png of the --frames-dir the run in `dir` was started with (its run.json
// args; a relative folder is taken from the current folder, as the run took it).
void load_last_frame(RunView& v, const std::string& dir) {
  std::ifstream in(fs::path(dir) / "run.json");
  const kernel::Json run = in ? kernel::Json::parse(in, nullptr, false) : kernel::Json();
  std::string frames_dir;
  if (run.is_object() && run.contains("args") && run["args"].is_array()) {
    const kernel::Json& args = run["args"];
    for (size_t i = 0; i + 1 < args.size() && args[i] != "--"; ++i)
      if (args[i] == "--frames-dir" && args[i + 1].is_string()) frames_dir = args[i + 1].get<std::string>();
  }
  if (frames_dir.empty()) {
    v.frame_note = "the run wrote no frames (run it with --frames-dir DIR to see them here)";
    return;
  }
  std::error_code ec;
  std::string last;
  uint64_t number = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(frames_dir, ec)) {
    const std::string name = e.path().filename().string();
    // frame-NNNNNN.png (png_frames.cc): the six digits are the swap number.
    if (name.size() != 16 || name.rfind("frame-", 0) != 0 || name.substr(12) != ".png") continue;
    if (!std::all_of(name.begin() + 6, name.begin() + 12, [](char c) { return c >= '0' && c <= '9'; })) continue;
    if (name > last) last = name, number = std::stoull(name.substr(6, 6));
  }
  if (ec || last.empty()) {
    v.frame_note = fmt::format("no frames in '{}' (the run's --frames-dir)", frames_dir);
    return;
  }
  auto frame = std::make_shared<ScreenFrame>();
  try {
    read_png((fs::path(frames_dir) / last).string(), frame->width, frame->height, frame->rgba);
  } catch (const Error& e) {
    v.frame_note = e.what();
    return;
  }
  frame->number = number;
  v.frame = std::move(frame);
}

}  // namespace

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
  load_last_frame(v, dir);
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
