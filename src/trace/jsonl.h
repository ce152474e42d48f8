// The JSONL writer of hexad.trace/1: one line per event, keys in the contract's order, spelled
// exactly as nlohmann::json::dump() spelled them before (the golden traces hold that spelling).
#pragma once
#include <cstdio>
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
class JsonlSink final : public EventSink {
 public:
  explicit JsonlSink(const std::string& path);  // throws hexad::Error when it cannot be created
  ~JsonlSink() override;
  JsonlSink(const JsonlSink&) = delete;
  JsonlSink& operator=(const JsonlSink&) = delete;

  void write(const Stamp& stamp, const Event& event) override;
  void flush() override;

 private:
  void drain();

  std::FILE* file_ = nullptr;
  std::string path_;
  fmt::memory_buffer buffer_;
};

}  // namespace hexad::trace
