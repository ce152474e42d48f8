// The permanent code at the start of the code cache: the enter stub, the only C++-callable
// entry into generated code, and the exit that returns from it. Blocks run (and chain) inside
// the enter stub's frame and leave through the exit with a status (runtime.h ExitStatus).
#pragma once
#include <cstdint>

#include "cpu/context.h"
#include "cpu/jit/code_cache.h"

namespace hexad::cpu::jit {

using EnterFn = uint32_t (*)(ThreadContext* ctx, const uint8_t* code);

struct Stubs {
  EnterFn enter;
  const void* exit;
  size_t size;  // bytes at the start of the cache they take
};

// Emits the stubs at the start of `cache` for guest memory at `host_base` with protection table
// `page_prot` and reservation counter `active_reservations`.
Stubs emit_stubs(CodeCache& cache, uint8_t* host_base, const uint8_t* page_prot, const uint32_t* active_reservations);

}  // namespace hexad::cpu::jit
