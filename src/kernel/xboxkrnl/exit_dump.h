// exit-thread-state.json, schema hexad.exit-thread-state/1 (docs/exit-thread-state.md): the run,
// every thread, and the wedge map — every object somebody waits on, its state, its waiters and
// who ever signaled it. Written atomically (temp file + rename).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {

using Json = nlohmann::ordered_json;

std::string hex32(uint64_t v);  // "0x%08x"

struct RunSummary {
  std::string image;
  std::string image_sha256;
  uint64_t budget = 0;
  cpu::sched::RunStop stop = cpu::sched::RunStop::None;
};

Json build_exit_state(Kernel& k, const RunSummary& run);
void write_json_atomically(const std::string& path, const Json& j);

}  // namespace hexad::kernel
