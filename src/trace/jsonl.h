// The JSONL writer of hexad.trace/1: one line per event, keys in the contract's order, spelled
// exactly as nlohmann::json::dump() spelled them before (the golden traces hold that spelling).
#pragma once
#include <cstdint>
#include <memory>
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

// How the trace file is written: plain JSONL, or one zstd stream of it (trace.jsonl.zst).
enum class TraceCompression : uint8_t { None, Zstd };

// The trace file. Lines are formatted into one reusable buffer and written in 64 KiB blocks.
// Every write is checked: the first failure (a size limit, a full disk) is kept, the file is cut
// back to its last complete line, and later events are dropped; the owner sees failed() and stops
// the run (hexad run: stop reason output-error, exit status 5). Never throws after construction.
// Compressed, every 1 MiB of lines (and each flush()) becomes one zstd frame with a checksum,
// compressed into a buffer allocated once: the file is a valid zstd stream of whole lines at every
// frame end, so a killed run's file is readable up to its last frame, and a reader can verify a
// frame before it uses its lines. On a failed write the file is cut back to its last whole frame.
class JsonlSink final : public EventSink {
 public:
  // Throws hexad::Error when the file cannot be created.
  explicit JsonlSink(const std::string& path, TraceCompression compression = TraceCompression::None);
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
  // Writes `n` bytes of whole lines (`lines` of them) or of compressed blocks ending at a line.
  void write_block(const char* data, size_t n, uint64_t lines);
  struct Zstd;

  std::unique_ptr<Zstd> zstd_;
  int fd_ = -1;
  size_t drain_at_ = 64 * 1024;  // buffered bytes that trigger a write (a zstd frame: 1 MiB)
  std::string path_;
  fmt::memory_buffer buffer_;
  uint64_t buffered_lines_ = 0;  // lines in buffer_
  uint64_t lines_written_ = 0;
  uint64_t bytes_written_ = 0;   // always at a line boundary
  int error_ = 0;
};

}  // namespace hexad::trace
