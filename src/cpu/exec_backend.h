// The seam between hexad and whatever executes guest code. The scheduler, the kernel and the app
// drivers hold an ExecBackend&; only make_backend() names an implementation (today the
// interpreter, cpu/interp/interpreter.h, and the JIT, cpu/jit/jit_backend.h).
//
// Contract of an implementation (tests/unit/exec_backend_test.cc checks it for every backend):
// - run(ctx, n) executes ctx's thread from ctx.pc until it stops or `n` more instructions have
//   retired, whichever comes first. Counting is exact: `retired` is the number of instructions
//   completed in this call, and ctx.instructions grows by exactly that much. A faulting
//   instruction is not retired. run(ctx, 0) retires nothing and returns Budget.
// - It returns why it stopped, as a status: no exception crosses the seam for anything the
//   guest does.
//     Syscall  `sc` retired; ctx.pc is past it. The host services it and calls run() again.
//     Fault    a memory fault, an invalid instruction or a taken trap; ctx.fault (FaultRecord)
//              says which, with the pc, word and address, and ctx.pc is the faulting
//              instruction's address.
//     StopPc   control reached ctx.stop_pc (when nonzero) with budget left; nothing there ran.
//              It is checked where a block starts (a branch target, or where run() began),
//              not at every instruction: straight-line code that falls through stop_pc runs
//              on (docs/difffuzz.md; callers stop at a branch target, as ppc-test's end label).
//              Reaching it exactly as the budget runs out gives Budget (callers check ctx.pc).
//     Budget   `n` instructions retired with no other stop.
//   ctx.stop is set to the same reason.
// - Guest-visible results (registers, memory, ctx.instructions, the fault record) after each
//   return are the same for every backend: a backend is free in how it gets there (decoding,
//   caching, compiling), never in the result, so traces do not depend on the backend. The
//   deterministic clock (mftb, through ctx.clock) reads ctx.instructions, which then already
//   counts the reading instruction.
// - Memory is accessed through ctx.mem with ctx.tid as the writer (reservations, lwarx/stwcx.,
//   depend on it); run() sets the writer itself.
// - invalidate(addr, size) drops anything derived from guest code from the start of addr's page
//   to addr + size (icbi's rule; icbi is handled inside run()). invalidate_all() drops everything.
//   Stores over decoded code, guest or host, need neither: Memory tells the backend
//   (CodeWriteListener), which drops what overlaps the bytes written before the next block runs.
// - name() is for diagnostics ("interp"), and is the name make_backend() knows it by.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
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

// Whether a backend must return to its runner at every block start to check ctx.stop_pc: only
// when a block can start there (the address is executable). The kernel's sentinels (a thread's
// or a kernel-made call's return address) are never mapped, so no block can start at them and
// chained blocks cannot pass one by: only a dynamic exit could go there, and it finds no block
// and returns to the runner, which sees the stop. Protections cannot change while blocks chain
// (only the host changes them, between runs).
bool stop_pc_needs_block_checks(const ThreadContext& ctx, const Memory& mem);

// The backend called `name` over `mem`, or nullptr if there is none by that name.
std::unique_ptr<ExecBackend> make_backend(std::string_view name, Memory& mem);
// The names make_backend knows, the default first.
std::span<const std::string_view> backend_names();
// Whether make_backend knows `name`, and the names as "a, b" for messages.
bool is_backend_name(std::string_view name);
std::string backend_name_list();
inline constexpr std::string_view kDefaultBackend = "jit";

}  // namespace hexad::cpu
