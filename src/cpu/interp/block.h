// A predecoded block and the chaining from one block to the next. Shared by the interpreter's
// run loop and by the block-ending steps that chain directly (see finish_block below).
#pragma once
#include <cstdint>
#include <vector>

#include "cpu/context.h"
#include "cpu/interp/op_table.h"

namespace hexad::cpu {

// The most instructions in one block. Every backend forms blocks alike (same starts, same ends)
// and drops them alike (cpu/code_map.h), so when guest code is read never depends on the backend.
inline constexpr uint32_t kMaxBlockOps = 128;

// A straight-line run of ops ending at a branch (or sc, mftb, icbi, an invalid word, a page
// end), followed by an end sentinel op that points back at the block.
struct Block {
  uint32_t pc;
  uint32_t count;  // instructions; ops holds one more, the end sentinel
  std::vector<DecodedOp> ops;
  // Where control went after this block the last two times (taken / fall-through), so
  // loops chain block to block without a lookup. Cleared on any invalidation.
  struct Successor {
    uint32_t pc = 1;  // never a valid (aligned) pc
    Block* block = nullptr;
  } succ[2];
  uint8_t succ_victim = 0;
};

// Starts block `b`: its instructions are counted on entry (a fault takes the count back, see
// Interpreter::run), and it becomes the block that chaining and fault recovery refer to.
inline void enter_block(ThreadContext& c, const Block& b) {
  c.instructions += b.count;
  c.cur_block = &b;
}

// Run after a block's last op (`sentinel` is the block's end sentinel): jumps straight into the
// next block when it is a cached successor, fits the budget and the chain may go on (see
// return_to_runner); otherwise returns to run().
inline void finish_block(ThreadContext& c, const DecodedOp* sentinel) {
  if (--c.chain_budget == 0) return;
  const Block* b = static_cast<const Block*>(sentinel->block);
  const uint32_t pc = uint32_t(c.pc);
  const Block* nb = b->succ[0].pc == pc ? b->succ[0].block : b->succ[1].pc == pc ? b->succ[1].block : nullptr;
  if (!nb || c.instructions + nb->count > c.run_limit) return;
  enter_block(c, *nb);
  nb->ops[0].step(c, nb->ops.data());
}

// The step of a block-ending op that sets pc itself (branches): runs it and chains from here,
// sparing the jump through the end sentinel.
template <Handler H>
[[gnu::flatten]] void threaded_last_step(ThreadContext& c, const DecodedOp* op) {
  set_pc(c, op->pc);
  H(c, instr_of(*op));
  finish_block(c, op + 1);
}

// The step of a FusedPair that ends a block: both ops as if stepped one after the other.
template <Handler First, Handler Second>
[[gnu::flatten]] void fused_pair_step(ThreadContext& c, const DecodedOp* op) {
  set_pc(c, op[0].pc);
  First(c, instr_of(op[0]));
  set_pc(c, op[1].pc);
  Second(c, instr_of(op[1]));
  finish_block(c, op + 2);
}
template <Handler First, Handler Second>
constexpr FusedPair fused_pair() {
  return {First, Second, &fused_pair_step<First, Second>};
}

// For an op table: an op that always ends its block and sets pc (a branch).
template <Handler H>
consteval OpEntry branch_op(const char* name) {
  const OpEntry e = bind(name, H, &threaded_last_step<H>);
  if (e.flags != (kOpEndsBlock | kOpSetsPc)) throw "a branch_op's ISA row must end its block and set pc";
  return e;
}

}  // namespace hexad::cpu
