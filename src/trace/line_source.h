// The lines of a recorded trace, one at a time, whatever stores them: `hexad replay`'s CompareSink
// reads the recorded run through this interface. The one reader of trace files, plain or zstd,
// is hexad-audit's (tools/audit/recorded_trace.h puts it behind this interface), so src/trace
// needs no file reading of its own.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace hexad::trace {

class LineSource {
 public:
  virtual ~LineSource() = default;
  // The next line without its '\n' (a last line without one counts); false at the end. The view
  // is valid until the next call. Throws hexad::Error naming the file when reading fails.
  virtual bool next(std::string_view& line) = 0;
  uint64_t line_number() const { return lines_; }  // 1-based number of the line last returned
  virtual const std::string& path() const = 0;

 protected:
  uint64_t lines_ = 0;
};

}  // namespace hexad::trace
