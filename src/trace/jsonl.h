// The JSONL writer of hexad.trace/1: one line per event, keys in the contract's order, spelled
// exactly as nlohmann::json::dump() spelled them before (the golden traces hold that spelling).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "trace/sink.h"

namespace hexad::trace {

// Appends the event as one JSON object and a '\n'. Allocates only if `out` must grow.
void append_jsonl(fmt::memory_buffer& out, const Stamp& stamp, const Event& event);

// Appends `text` as a JSON string (with quotes), escaped as nlohmann's dump() does with
// ensure_ascii off: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx, valid UTF-8 as is.
// Invalid UTF-8 (where dump() would throw) becomes U+FFFD per bad sequence, as nlohmann's
// error_handler_t::replace does: deterministic, and the line stays valid JSON. (In an event, the
// field is then followed by `KEY_hex` with the raw bytes: see docs/trace.md.)
void append_json_string(fmt::memory_buffer& out, std::string_view text);

// The trace file. Lines are formatted into one reusable buffer and written in 64 KiB blocks.
// Every write is checked: the first failure (a size limit, a full disk) is kept, the file is cut
// back to its last complete line, and later events are dropped; the owner sees failed() and stops
// the run (hexad run: stop reason output-error, exit status 5). Never throws after construction.
class JsonlSink final : public EventSink {
 public:
  explicit JsonlSink(const std::string& path);  // throws hexad::Error when it cannot be created
  ~JsonlSink() override;
  JsonlSink(const JsonlSink&) = delete;
  JsonlSink& operator=(const JsonlSink&) = delete;

  void write(const Stamp& stamp, const Event& event) override;
  void flush() override;

  bool failed() const { return error_ != 0; }
  int error_number() const { return error_; }  // errno of the failed write, 0 if none
  const std::string& path() const { return path_; }
  // Complete lines in the file: every event handed over until a write failed.
  uint64_t events_written() const { return lines_written_; }

 private:
  void drain();

  int fd_ = -1;
  std::string path_;
  fmt::memory_buffer buffer_;
  uint64_t buffered_lines_ = 0;  // lines in buffer_
  uint64_t lines_written_ = 0;
  uint64_t bytes_written_ = 0;   // always at a line boundary
  int error_ = 0;
};

}  // namespace hexad::trace
