// What generated code calls: noexcept C++ entry points that run one instruction through the
// interpreter's handler (a fallback, or the checked path of a native load/store whose inline
// check failed). Guest faults are caught here and recorded exactly as the interpreter records
// them, and reported as a status: no C++ exception ever unwinds through generated code (it has
// no unwind information).
#pragma once
#include <cstdint>
#include <exception>

#include "cpu/context.h"
#include "cpu/jit/jit_block.h"

namespace hexad::cpu::jit {

// The status generated code returns to the runner (in eax).
enum ExitStatus : uint32_t {
  kExitNormal = 0,   // a block ended; ctx.pc is the next pc
  kExitFault = 1,    // ctx.fault is recorded; ctx.pc is the faulting instruction's
  kExitForeign = 2,  // a host exception other than a guest fault: take_foreign_exception()
  kExitInterpret = 3,  // the block at ctx.pc (ctx.cur_block), not counted, runs op by op (MemSlot)
};

// What generated code reads of the context but nothing else keeps current (jit_cr_values,
// jit_reservations): refreshed wherever generated code may run next after they may have changed,
// before the runner enters it and after each handler it calls.
void refresh_jit_values(ThreadContext& c);

// A written-back pinned word's store (MemSlot) while a reservation is active: Memory::write,
// which breaks other threads' reservations on it; the page takes direct stores (checked at the
// unit's entry), so it cannot fault.
void jit_write_word(ThreadContext* c, uint32_t addr, uint32_t value) noexcept;

// The step of JitOp::step's sentinel: returns to whoever ran the op's step.
void return_step(ThreadContext& c, const DecodedOp* op);

// Runs `op` as the interpreter would (ctx.pc = its address, then its handler; through the
// interpreter's own step when the op has one).
uint32_t run_handler(ThreadContext* c, const JitOp* op) noexcept;

// The host exception run_handler() stopped at (kExitForeign), to be rethrown by the runner once
// no generated frame is live; null when there is none.
std::exception_ptr take_foreign_exception();

}  // namespace hexad::cpu::jit
