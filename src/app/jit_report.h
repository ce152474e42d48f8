// What the app shows of the JIT (cpu/jit): its counters as the dump's "jit" section
// (docs/exit-thread-state.md; only a run on the JIT has one, so the interpreter's dumps are
// unchanged) and `--jit-dump ADDR`, the host code of one block, disassembled with capstone.
#pragma once
#include <cstdint>
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "cpu/exec_backend.h"

namespace hexad::app {

// The "jit" section for `cpu`, or nothing when it is not the JIT.
std::optional<nlohmann::ordered_json> jit_dump_section(const cpu::ExecBackend& cpu);
// --jit-perf-map: from now on the JIT names each block it translates in /tmp/perf-<pid>.map
// (perf's convention for generated code), so `perf report` attributes samples to guest blocks.
void start_jit_perf_map(cpu::ExecBackend& cpu);

// --jit-dump: the run's counters (as in the dump), then the block at guest `addr` (translated now if it was not) in the mode `sf`: its
// guest words and its host code, disassembled. Fails (hexad::Error) when `cpu` is not the JIT or
// nothing can be fetched at `addr`.
void print_jit_block(cpu::ExecBackend& cpu, uint32_t addr, bool sf, std::FILE* out);

}  // namespace hexad::app
