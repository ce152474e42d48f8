// hexad-audit wedge-diff A B: what changed in the wedge map between two runs (two iterations of
// the engine on one title), matched by stable keys (docs/exit-thread-state.md), with one headline
// verdict. The verdicts are defined in README.md ("wedge-diff") and below.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run_dump.h"

namespace hexad::audit {

// The headline tag. A "blocked wait" is a pair (wedge key, waiter thread key) of a wedge map.
enum class WedgeVerdict {
  Unchanged,                 // the same blocked waits in A and B, and no regression
  WedgeDissolved,            // some blocked waits of A are gone in B, and B has none A lacks
  WedgeDissolvedNewBlocker,  // some blocked waits of A are gone in B, and B has blocked waits A lacks
  NewBlocker,                // B has blocked waits A lacks, and none of A's are gone
  Regressed,                 // a waiter of a wedge of B made more trace events in A than in B
};
const char* verdict_name(WedgeVerdict v);

struct ProgressMarkers {
  std::string stop_reason;
  uint64_t trace_events = 0;
  uint64_t live_threads = 0;    // not Exited and not Faulted
  uint64_t exited_threads = 0;  // Exited or Faulted
  std::optional<uint64_t> vdswap_calls;  // import.call events named VdSwap; nullopt: the run has no trace
  uint64_t guest_time_ns = 0;
};

struct WedgeSide {
  std::string handle;
  std::vector<std::string> waiters, signalers;  // thread keys (a tid the dump does not list: "tid N")
  nlohmann::json state;
};

struct WedgeEntryDiff {
  std::string key, type;
  std::optional<WedgeSide> a, b;       // absent on the side the wedge is not in
  std::vector<std::string> changed;    // for wedges in both: "waiters", "signalers", "state"
};

struct ThreadStateDiff {
  std::string key;
  std::optional<std::string> state_a, state_b;  // absent: the thread does not exist on that side
};

struct Regression {
  std::string wedge_key, waiter_key;
  uint64_t events_a = 0, events_b = 0;
};

struct WedgeDiff {
  std::string path_a, path_b;  // the dumps
  std::vector<WedgeEntryDiff> dissolved, appeared, changed;
  std::vector<ThreadStateDiff> threads;  // state changed, or only on one side; in A's order, then B's
  std::vector<Regression> regressions;
  std::vector<std::string> warnings;  // a trace cut short: its VdSwap calls counted up to the cut
  uint64_t dissolved_waits = 0, new_waits = 0;
  ProgressMarkers progress_a, progress_b;
  WedgeVerdict verdict = WedgeVerdict::Unchanged;
  // Nothing compared differs: same wedges in every detail, same thread states, same markers.
  bool identical() const;
};

// Markers from the dump, VdSwap calls from the run's trace (streamed) when it has one; a trace
// whose last line is cut short is counted up to the cut, with a warning added to `warnings`.
ProgressMarkers progress_markers(const RunDump& run, std::vector<std::string>& warnings);
WedgeDiff wedge_diff(const RunDump& a, const RunDump& b);
void write_wedge_diff_text(std::ostream& out, const WedgeDiff& d);
nlohmann::ordered_json wedge_diff_json(const WedgeDiff& d);

// The command: `wedge-diff A B [--json]`; returns the exit status (0 identical, 1 changed, 2 bad input).
int wedge_diff_command(const std::vector<std::string>& args);

}  // namespace hexad::audit
