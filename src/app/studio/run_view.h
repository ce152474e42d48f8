// What the studio's panels show of one run, live or recorded: the dump of a moment (threads,
// wedge map), the trace's lines, the slots' slices and the wedges' explanations. A live run fills
// it from the engine's snapshots; a recorded run (an audit-run folder) from its files.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/studio/engine_worker.h"

namespace hexad::app::studio {

struct RunView {
  std::string title;  // the image or the run folder
  bool recorded = false;
  kernel::Json dump = kernel::Json::object();
  std::vector<std::string> events;  // trace lines, oldest first (the latest EngineWorker::kMaxEvents live)
  std::vector<SliceRecord> slices;  // recorded runs: from the events (see load_recorded_run)
  std::vector<Explanation> explanations;
  std::string explain_error;  // why there are none (the run is not over, the trace is partial...)
  uint64_t events_seen = 0, slices_seen = 0;  // the engine's counts copied so far
  // Recorded runs: the last frame the run wrote with --frames-dir (run.json's args), if that
  // folder is still there; `frame_note` says why there is none.
  std::shared_ptr<const ScreenFrame> frame;
  std::string frame_note;
};

// An audit-run folder (exit-thread-state.json and trace.jsonl or .zst). Its timeline is rebuilt
// from the trace: each event marks its thread on its slot from the previous event of that slot,
// so it shows who ran around each kernel event, not every slice (only a live run has those).
// Throws hexad::Error naming the file when the folder is not a run.
RunView load_recorded_run(const std::string& dir);

// Classifies the wedges of the finished run in `dir` with hexad-audit explain's rules.
void explain_run(RunView& view, const std::string& dir);

}  // namespace hexad::app::studio
