// `hexad replay`'s recorded trace: the audit LineSource (plain or zstd, one reader for every tool)
// behind src/trace's line interface, which the replay's CompareSink reads.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "line_source.h"
#include "trace/line_source.h"

namespace hexad::audit {

class RecordedTrace final : public trace::LineSource {
 public:
  explicit RecordedTrace(std::string path) : source_(std::move(path)) {}
  // A zstd stream cut inside a frame (a killed run) ends after its whole frames: the replay then
  // reports the recorded trace as ending there.
  bool next(std::string_view& line) override {
    if (!source_.next(line)) return false;
    lines_ = source_.line_number();
    return true;
  }
  const std::string& path() const override { return source_.path(); }

 private:
  audit::LineSource source_;
};

// The trace of a run folder, trace.jsonl or trace.jsonl.zst (resolve_trace_path). Throws
// hexad::Error when it holds neither or both, or the file cannot be opened.
std::unique_ptr<trace::LineSource> open_recorded_trace(const std::string& run_dir);

}  // namespace hexad::audit
