// libFuzzer: hexad-audit's trace reader (tools/audit/trace_diff.*). The input, as a trace file,
// goes to TraceReader; a file it reads to the end as a complete trace must diff as identical against
// itself. Bad
// input must be a hexad::Error, never anything else. (json_line.cc fuzzes the line parser alone.)
//
// Nesting depth is bounded only by the input length: the ctest slice and `run` keep -max_len at
// 4096 (far deeper nesting is the known stack-overflow defect, tracked separately).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "audit/trace_diff.h"
#include "base/hexad_error.h"

namespace {

[[noreturn]] void broken(const char* what, const std::string& detail) {
  std::fprintf(stderr, "trace: %s: %s\n", what, detail.c_str());
  std::abort();
}

const std::string& scratch_path() {
  static const std::string path = std::string(access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") +
                                  "/hexad-fuzz-trace-" + std::to_string(getpid()) + ".jsonl";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string& path = scratch_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), std::streamsize(text.size()));
  }
  uint64_t events = 0;
  try {
    hexad::audit::TraceReader reader(path);
    hexad::audit::TraceEvent event;
    while (reader.next(event)) ++events;
    reader.check_complete(false);  // empty, headless or cut traces are errors too
  } catch (const hexad::Error&) {
    return 0;
  }
  hexad::audit::DiffResult self;
  try {
    self = hexad::audit::diff_traces(path, path);
  } catch (const hexad::Error& e) {
    broken("a trace TraceReader read to its end fails to diff", e.what());
  }
  if (!self.identical() || self.events_a != events || self.events_b != events)
    broken("a trace differs from itself", std::to_string(self.differing) + " differing positions");
  return 0;
}
