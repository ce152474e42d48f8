#include "recorded_trace.h"

#include <filesystem>

#include "base/hexad_error.h"

namespace hexad::audit {

std::unique_ptr<trace::LineSource> open_recorded_trace(const std::string& run_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(run_dir, ec)) fail("{}: not a run folder", run_dir);
  return std::make_unique<RecordedTrace>(resolve_trace_path(run_dir));
}

}  // namespace hexad::audit
