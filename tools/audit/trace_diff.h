// Trace reading and comparison for hexad-audit (schema hexad.trace/1, JSONL).
//
// A trace is one JSON object per line. Every event carries `idx` (0-based, consecutive) and
// `kind`; `host_ns` is the only field allowed to differ between two runs of the same image with
// the same options, so it is dropped when an event is read. Reading is streaming: one line is held
// at a time, so memory does not grow with the length of a trace.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "trace/events.h"

namespace hexad::audit {

// One validated event.
struct TraceEvent {
  uint64_t line = 0;      // 1-based line number in its file
  uint64_t idx = 0;       // the event's `idx`
  std::string kind;       // the event's `kind`
  nlohmann::json fields;  // the whole object, `host_ns` removed (keys are kept sorted)
};

// The schema's own names (src/trace/events.h), never retyped here.
inline constexpr std::string_view kRunStart = trace::RunStart::kKind;  // the first event of every hexad trace
inline constexpr std::string_view kRunStop = trace::RunStop::kKind;    // the last event of a complete trace
inline constexpr size_t kMaxNesting = 64;                    // deeper lines are corrupt (hexad writes 3)

class LineSource;

// Yields the events of one trace file (plain or zstd-compressed; a run folder's trace) in order as
// JSON trees, validating each line. For scripts and tests; EventStream (event_stream.h) is the fast
// reader the commands use. Errors (unreadable file,
// invalid JSON, nesting deeper than kMaxNesting, a line that is not an object, missing or
// ill-typed `idx`/`kind`, a `kind` the schema does not define, `idx` out of sequence, a first event other than run.start, an empty line
// other than the final newline) throw hexad::Error as "PATH:LINE: why".
class TraceReader {
 public:
  explicit TraceReader(std::string path);  // throws hexad::Error if the file cannot be opened
  ~TraceReader();

  // Reads the next event into `out`; returns false at the end of the file.
  bool next(TraceEvent& out);

  const std::string& path() const { return path_; }
  uint64_t events_read() const { return events_; }
  // After the last event: throws hexad::Error when the trace had no events at all (not even
  // run.start), or, unless `allow_unfinished`, when its last event is not run.stop.
  void check_complete(bool allow_unfinished) const;

 private:
  [[noreturn]] void corrupt(const std::string& why) const;

  std::string path_;
  std::unique_ptr<LineSource> lines_;
  std::string buf_;
  uint64_t line_ = 0;
  uint64_t events_ = 0;
  bool done_ = false;
  bool ended_ = false;  // the last event read was run.stop
};

// Parses one line of JSON text. Stricter than nlohmann::json::parse: an integer literal outside
// the 64-bit range and a repeated object key are errors rather than silently rounded/overwritten.
// Returns false and sets `error` on failure.
// Nesting deeper than kMaxNesting is refused before parsing (the parser recurses per level).
bool parse_json_line(const std::string& text, nlohmann::json& out, std::string& error);

// Exact JSON value equality: integers compare exactly (signed and unsigned storage alike), an
// integer never equals a floating-point number, floats compare bit for bit, objects compare
// regardless of key order.
bool same_json(const nlohmann::json& a, const nlohmann::json& b);

// Names of the top-level fields whose values differ between two objects, sorted; a field present
// on one side only is reported as "NAME (only in A)" / "NAME (only in B)".
std::vector<std::string> differing_fields(const nlohmann::json& a, const nlohmann::json& b);

// One differing position: both events, or one of them absent when that trace has ended.
struct EventDiff {
  uint64_t idx = 0;
  std::optional<TraceEvent> a, b;
  std::vector<std::string> fields;  // empty when one side is absent
};

struct DiffOptions {
  size_t max_show = 1;           // how many differing events to keep for display
  bool allow_unfinished = false;  // accept a trace without run.stop at its end
};

struct DiffResult {
  uint64_t events_a = 0, events_b = 0;
  uint64_t differing = 0;                             // positions that differ, extra events included
  std::vector<EventDiff> shown;                       // the first `max_show` differing positions
  std::map<std::string, uint64_t> differing_by_kind;  // by A's kind, or B's where A has ended
  std::vector<std::string> warnings;                  // unfinished runs accepted by allow_unfinished
  bool identical() const { return differing == 0; }
};

// Compares two traces in lockstep (files or run folders, plain or zstd-compressed). Lines equal byte
// for byte but for host_ns's value are equal without building a tree; any other pair is parsed
// strictly and compared as JSON (same_json). Throws hexad::Error on mismatched schemas (naming
// both), on unreadable or corrupt input (either side, anywhere in the file: both files are always
// read to their end), on an empty trace, and, unless `options.allow_unfinished`, on a trace
// without run.stop at its end or whose folder's run.json is not finished (with it, the latter
// becomes a warning in the result, and so does a cut-off last line, which is then not compared).
DiffResult diff_traces(const std::string& path_a, const std::string& path_b,
                       const DiffOptions& options = {});

// Writes the human-readable report `hexad-audit diff` prints.
void write_diff_report(std::ostream& out, const DiffResult& result, const std::string& path_a,
                       const std::string& path_b);

}  // namespace hexad::audit
