// exit-thread-state.json, schema hexad.exit-thread-state/1 (docs/exit-thread-state.md): the run,
// every thread, and the wedge map — every object somebody waits on, its state, its waiters and
// who ever signaled it. Written atomically (temp file + rename).
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {

using Json = nlohmann::ordered_json;

std::string hex32(uint64_t v);  // "0x%08x"

// object[key] = text; when text is not valid UTF-8, it is written with U+FFFD and object[key_hex]
// holds its raw bytes in hex (the rule of docs/trace.md, for the dump and run.json).
void put_text(Json& object, const std::string& key, std::string_view text);

// The file's text: 2-space indented, a final newline; never throws on invalid UTF-8 (U+FFFD).
std::string json_text(const Json& j);

// An output file of the audit run that could not be written, and why (strerror).
struct OutputFailure {
  std::string file;  // its name in the run folder: "trace.jsonl", "stdout.log"
  std::string message;
};

struct RunSummary {
  std::string image;
  std::string image_sha256;
  uint64_t budget = 0;
  cpu::sched::RunStop stop = cpu::sched::RunStop::None;
  // Set only when trace.jsonl could not be written whole: the events it holds (complete lines).
  // The dump then says "trace_complete": false and "trace_events_written".
  std::optional<uint64_t> trace_events_written;
  std::optional<OutputFailure> output_failure;  // the dump's "output_error", only when set
  // A mid-run snapshot (SIGUSR1): the run goes on; the dump says "stop_reason": "snapshot" and
  // "snapshot": true.
  bool snapshot = false;
};

// {"file": ..., "message": ...}, as the dump and run.json write an output failure.
Json output_error_json(const OutputFailure& f);

// A policy's parameters or counters as a JSON object, in the policy's order.
Json policy_values_json(const std::vector<cpu::sched::PolicyValue>& values);

Json build_exit_state(Kernel& k, const RunSummary& run);
// Writes json_text(j) to a temporary file and renames it over `path`; throws hexad::Error naming
// the file and the reason when that fails, and then leaves no temporary file behind.
void write_json_atomically(const std::string& path, const Json& j);

}  // namespace hexad::kernel
