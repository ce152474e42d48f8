// The last N events as formatted JSONL lines (without the '\n'), for a frontend or a test to
// read. Slots are preallocated strings reused in place: once warm, writing allocates only for a
// line longer than any earlier one in its slot.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "trace/sink.h"

namespace hexad::trace {

class RingSink final : public EventSink {
 public:
  explicit RingSink(size_t capacity, size_t line_reserve = 256);

  void write(const Stamp& stamp, const Event& event) override;

  size_t capacity() const { return slots_.size(); }
  size_t size() const { return written_ < slots_.size() ? size_t(written_) : slots_.size(); }
  uint64_t written() const { return written_; }  // all events seen, kept or not
  // i = 0 is the oldest event kept; valid until the next write.
  std::string_view line(size_t i) const;

 private:
  std::vector<std::string> slots_;
  fmt::memory_buffer scratch_;
  uint64_t written_ = 0;
};

}  // namespace hexad::trace
