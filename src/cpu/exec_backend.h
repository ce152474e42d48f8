// The seam between hexad and whatever executes guest code. The scheduler, the kernel and the app
// drivers hold an ExecBackend&; only make_backend() names an implementation (today the
// interpreter, cpu/interp/interpreter.h).
//
// Contract of an implementation:
// - run(ctx, n) executes ctx's thread from ctx.pc until it stops or exactly `n` instructions
//   have retired, whichever comes first (n > 0). Counting is exact: `retired` is the number of
//   instructions completed in this call, and ctx.instructions grows by exactly that much. An
//   instruction that faults is not retired.
// - It returns why it stopped; nothing is thrown across the seam for guest behaviour:
//     Syscall  `sc` executed; ctx.pc is past it. The host services it and calls run() again.
//     Fault    a memory or instruction fault; ctx.fault describes it (kind, pc, word, address)
//              and ctx.pc is the faulting instruction's. Registers hold the state before it.
//     StopPc   ctx.pc reached ctx.stop_pc (nonzero) before executing it.
//     Budget   `n` instructions retired with no other stop.
//   ctx.stop is set to the same reason.
// - Guest-visible state (registers, memory, ctx.instructions) after each return is the same for
//   every backend: the backend is free in how it gets there (decoding, caching, compiling),
//   never in the result. The deterministic clock (mftb through ctx.clock) reads
//   ctx.instructions, which must count the reading instruction itself.
// - Memory writes go through ctx.mem (or its direct host view) with ctx.tid as the writer, so
//   reservations (lwarx/stwcx.) behave the same.
// - invalidate(addr, size) drops anything derived from guest code in that range; the host calls
//   it after it rewrites code (loaders, icbi is handled inside run()). invalidate_all() drops
//   everything. Both are never needed for correctness of data, only of code.
// - name() is for diagnostics ("interp").
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "cpu/context.h"

namespace hexad::cpu {

class Memory;

using Stop = StopReason;

struct RunResult {
  uint64_t retired;
  Stop why;
};

class ExecBackend {
 public:
  virtual ~ExecBackend() = default;
  virtual RunResult run(ThreadContext& ctx, uint64_t max_instructions) = 0;
  virtual void invalidate(uint32_t addr, uint32_t size) = 0;
  virtual void invalidate_all() = 0;
  virtual const char* name() const = 0;
};

// The backend called `name` over `mem`, or nullptr if there is none by that name.
std::unique_ptr<ExecBackend> make_backend(std::string_view name, Memory& mem);
// The names make_backend knows, the default first.
std::span<const std::string_view> backend_names();
inline constexpr std::string_view kDefaultBackend = "interp";

}  // namespace hexad::cpu
