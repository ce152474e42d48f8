// The permanent code at the start of the code cache: the enter stub, the only C++-callable
// entry into generated code, and the exit that returns from it. Blocks run (and chain) inside
// the enter stub's frame and leave through the exit with a status (runtime.h ExitStatus).
#pragma once
#include <cstdint>

#include "cpu/context.h"
#include "cpu/jit/code_cache.h"

namespace hexad::cpu::jit {

// Runs generated code from `code` with `left` instructions that may still be entered
// (ctx.run_limit - ctx.instructions); on return ctx.instructions is up to date.
using EnterFn = uint32_t (*)(ThreadContext* ctx, const uint8_t* code, uint64_t left);

struct Stubs {
  EnterFn enter;             // execute view (code_cache.h)
  const void* exit;          // write view, as blocks are emitted
  size_t size;  // bytes at the start of the cache they take
};

// Emits the stubs at the start of `cache` for guest memory at `host_base` with protection table
// `page_prot` (Memory::page_prot_table(), the reservation count in front of it).
Stubs emit_stubs(CodeCache& cache, uint8_t* host_base, const uint8_t* page_prot);

}  // namespace hexad::cpu::jit
