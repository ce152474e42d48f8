// hexad-audit explain RUN: why each wedge of a run is stuck, classified from the exit dump and
// the trace, with the evidence. The classes are defined in README.md ("explain"); a wedge that
// fits none is reported as unclassified, with what was checked, never guessed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "explain_facts.h"
#include "run_dump.h"

namespace hexad::audit {

enum class WedgeClass {
  WaitCycle,
  JoinOnBlockedThread,
  LostWakeup,
  ProducerUnderrun,
  Starvation,
  NoSignaler,
  Unclassified,
};
const char* wedge_class_name(WedgeClass c);  // "wait-cycle", "join-on-blocked-thread", ...

struct WedgeExplanation {
  std::string key, handle, type;
  WedgeClass cls = WedgeClass::Unclassified;
  std::string evidence;            // one line, for people
  nlohmann::ordered_json details;  // the same evidence, for scripts
};

struct ExplainOptions {
  uint64_t starve_rounds = 64;    // a Ready thread not picked for this many rounds is starved
  bool allow_unfinished = false;  // accept a trace without run.stop
};

// One explanation per wedge-map entry, in the dump's order.
std::vector<WedgeExplanation> explain_wedges(const RunDump& run, const TraceFacts& facts,
                                             const ExplainOptions& options);

// The command: `explain RUN [--json] [--starve-rounds N] [--allow-unfinished]`; returns the exit
// status (0 explained, 2 bad input).
int explain_command(const std::vector<std::string>& args);

}  // namespace hexad::audit
