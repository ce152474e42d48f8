// `hexad-audit export RUN --format perfetto`: a hexad trace as a Chrome Trace Event Format timeline
// (chrome_trace_writer.h) for ui.perfetto.dev and chrome://tracing.
//
// Layout (README "Timeline export", docs/trace.md "Timeline export"):
// - process 1 "hardware slots": one track per slot 0..5 (tid 1000000 + slot), a slice per stretch a
//   guest thread ran there, named by the thread;
// - process 2 "guest threads": one track per guest thread (tid = guest tid), with its running
//   stretches, its waits (named by the objects waited on, outcome in args; a wait that never ended
//   is a slice without an end), its signals (zero-length slices) with a flow arrow to each waiter
//   the signal woke, and its create/exit/fault/DbgPrint moments;
// - one microsecond of the timeline is one guest cycle (ts and dur are integer guest cycles).
//
// The trace has no scheduling event, so when a thread ran is reconstructed from the events it
// emitted (docs/trace.md "Timeline export" states exactly how). Streaming: memory holds per-slot,
// per-thread and per-object state only; output is written as events are read.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace hexad::audit {

// The files of a run: RUN is a run folder (its trace.jsonl, else trace.jsonl.zst) or a trace file;
// the dump is the exit-thread-state.json beside the trace, when there is one.
struct RunFiles {
  std::string trace;
  std::optional<std::string> dump;
};
RunFiles resolve_run(const std::string& run);

struct ExportOptions {
  bool allow_unfinished = false;  // accept a trace without run.stop, or a run.json not "finished"
  // Only slices that overlap [from_cycle, to_cycle] are written (whole, not clipped; an arrow only
  // when its signal and a woken wait are both written): a window of a trace too big for a viewer.
  uint64_t from_cycle = 0;
  uint64_t to_cycle = UINT64_MAX;
};

// What was written (within the window).
struct ExportStats {
  uint64_t trace_events = 0;
  uint64_t chrome_events = 0;
  uint64_t slot_slices = 0;
  uint64_t waits = 0;             // completed waits
  uint64_t unfinished_waits = 0;  // waits still open at the end of the trace
  uint64_t signals = 0;
  uint64_t flows = 0;             // signal -> woken waiter arrows
};

// Writes the timeline of `run` to `out`. Throws hexad::Error ("FILE:LINE: why" for bad trace
// lines) on unreadable or corrupt input, and on an unfinished run unless allowed.
ExportStats export_perfetto(const RunFiles& run, std::ostream& out, const ExportOptions& options);

}  // namespace hexad::audit
