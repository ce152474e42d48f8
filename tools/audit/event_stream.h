// The fast way to read a hexad trace: a stream of cheap event views over the raw lines, parsed in
// place with simdjson (one reused parser, nothing allocated per event), plain or zstd-compressed
// input alike. Each line gets the same checks as TraceReader (trace_diff.h): valid JSON of at most
// kMaxNesting levels, an object, `idx` consecutive from 0, a `kind` of the schema, run.start first.
// Differences from TraceReader: a repeated key is not looked for here (diff_traces parses a line
// strictly whenever it is not byte-identical to its counterpart), and a last line cut off without
// its '\n' (a killed run) can be tolerated (EventStreamOptions), leaving a message behind.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "line_source.h"

namespace hexad::audit {

// One event as read: valid until the next EventStream::next.
struct EventView {
  uint64_t line = 0;      // 1-based line number in its file
  uint64_t idx = 0;       // the event's `idx`
  std::string_view kind;  // the event's `kind`
  std::string_view raw;   // the whole line, host_ns included, without its '\n'
  simdjson::dom::object object;

  // A top-level field, or nullopt when it is absent or of another type.
  std::optional<uint64_t> u64(std::string_view key) const;
  std::optional<int64_t> i64(std::string_view key) const;
  std::optional<std::string_view> str(std::string_view key) const;
  // A "0x..." string field (handles, addresses, statuses) as its value.
  std::optional<uint64_t> hex(std::string_view key) const;
  // Any top-level field; an error result when absent.
  simdjson::simdjson_result<simdjson::dom::element> field(std::string_view key) const { return object[key]; }
  // The event as a JSON tree, `host_ns` removed, parsed strictly (parse_json_line). For explaining a
  // difference; throws hexad::Error naming PATH:LINE when the strict parser refuses the line.
  nlohmann::json to_json(const std::string& path) const;
};

// The schema's own spelling of `kind` (static storage: trace::X::kKind), or "" for no kind of it.
std::string_view schema_kind(std::string_view kind);

// "0x1f" -> 31; nullopt for anything else (no prefix, no digits, not hex, more than 16 digits).
std::optional<uint64_t> parse_hex(std::string_view text);

struct EventStreamOptions {
  // A last line without '\n' that is not valid JSON ends the stream (see cut_last_line()) instead
  // of being an error: the readable prefix of a killed run's trace.
  bool tolerate_cut_last_line = false;
  // run.start's "schema", when present, must be hexad.trace/1 (else "PATH:1: schema ..."). diff
  // turns this off to name both files when two traces' schemas differ (check_same_schema).
  bool check_schema = true;
};

class EventStream {
 public:
  // `path`: a trace file, or a run folder (resolve_trace_path). Throws hexad::Error.
  explicit EventStream(const std::string& path, EventStreamOptions options = {});

  // Reads the next event; false at the end. Throws hexad::Error "PATH:LINE: why" on bad input.
  // The same as next_line() and then check_line().
  bool next(EventView& out);

  // The two halves of next(), for a reader that can vouch for a line without parsing it (diff:
  // a line equal to its counterpart's but for host_ns's number). next_line() reads the next raw
  // line (false at the end); then exactly one of check_line() (parse and check it as next() does)
  // or accept_twin() must follow.
  bool next_line(std::string_view& raw);
  void check_line(EventView& out);
  // Counts the line as a checked event equal to another stream's just-checked event `idx` of
  // `kind` (the same idx and kind). Only for lines after the first.
  void accept_twin(uint64_t idx, std::string_view kind);

  const std::string& path() const { return lines_.path(); }
  bool compressed() const { return lines_.compressed(); }
  uint64_t events_read() const { return events_; }
  bool ended() const { return ended_; }               // the last event read was run.stop
  const std::string& schema() const { return schema_; }  // run.start's "schema", once read
  // Why the stream ended early, when it did ("PATH:LINE: the last line is cut off ..." or a zstd
  // stream that ends inside a frame); empty for a file read to its proper end.
  std::string cut_message() const;
  // The number of the cut-off last line that ended the stream (tolerate_cut_last_line), else 0.
  uint64_t cut_line() const { return cut_line_; }
  uint64_t file_bytes_read() const { return lines_.file_bytes_read(); }
  // As TraceReader::check_complete.
  void check_complete(bool allow_unfinished) const;

 private:
  [[noreturn]] void corrupt(const std::string& why) const;

  LineSource lines_;
  EventStreamOptions options_;
  simdjson::dom::parser parser_;
  std::string_view line_;  // the line last read by next_line()
  uint64_t events_ = 0;
  bool done_ = false;
  bool ended_ = false;
  std::string schema_;
  std::string cut_last_line_;
  uint64_t cut_line_ = 0;
};

// After both run.start events: throws hexad::Error naming both files and schemas when they differ,
// or the schema when it is not hexad.trace/1 (a trace without "schema" counts as "").
void check_same_schema(const std::string& path_a, const std::string& schema_a, const std::string& path_b,
                       const std::string& schema_b);

}  // namespace hexad::audit
