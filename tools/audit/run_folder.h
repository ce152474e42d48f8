// The audit-run folder around a trace: `hexad run` writes run.json with "state": "running" before
// the run starts and rewrites it with "state": "finished" at its end, so a run.json that is not
// finished means the trace beside it is from a run that was killed (or is still running).
#pragma once
#include <optional>
#include <string>

namespace hexad::audit {

// Reads the run.json in the trace's folder. nullopt when there is none (a trace copied elsewhere,
// or written by a hexad older than the "state" field, which wrote run.json only at the end) or when
// it has no "state"; otherwise its state ("running", "finished"). Throws hexad::Error when run.json
// exists but cannot be read or is not a JSON object with a string "state" (if any).
std::optional<std::string> run_state_beside(const std::string& trace_path);

// nullopt when the trace's run finished (or nothing says otherwise); else why it did not, naming
// the run.json.
std::optional<std::string> unfinished_run_beside(const std::string& trace_path);

}  // namespace hexad::audit
