// The interpreter, the first ExecBackend (contract in cpu/exec_backend.h). Executes guest code
// from predecoded blocks: straight-line runs of handler/word pairs that end at a branch (or sc,
// mftb, icbi, an invalid word, a page end). Exact instruction counting: `ctx.instructions`
// advances by exactly the number of instructions retired.
//
// Guest faults stay C++ exceptions inside the interpreter (MemoryFault from the Memory
// accessors, InstructionFault from handlers; cpu/fault.h): the hot path pays nothing for them.
// run() catches them and returns Stop::Fault with ctx.fault filled in; they never cross the seam.
#pragma once
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "cpu/code_map.h"
#include "cpu/context.h"
#include "cpu/exec_backend.h"
#include "cpu/interp/block.h"
#include "cpu/interp/op_table.h"

namespace hexad::cpu {

class Memory;

class Interpreter final : public ExecBackend, private CodeWriteListener {
 public:
  explicit Interpreter(Memory& mem);
  ~Interpreter() override;

  // Runs until ctx stops (sc, fault, stop_pc) or `max_instructions` more have retired.
  RunResult run(ThreadContext& ctx, uint64_t max_instructions) override;

  // Drop decoded blocks starting in [page of addr, addr + size) (icbi, loaders rewriting code).
  void invalidate(uint32_t addr, uint32_t size) override;
  void invalidate_all() override;
  const char* name() const override { return "interp"; }

  uint64_t blocks_decoded() const { return blocks_decoded_; }

 private:
  StopReason run_blocks(ThreadContext& ctx, uint64_t max_instructions);
  Block* next_block(Block* from, uint32_t pc);
  static void end_of_block(ThreadContext& c, const DecodedOp* op);
  void run_partial(ThreadContext& ctx, const Block& b, size_t n, size_t& i);
  Block* lookup(uint32_t pc);
  std::unique_ptr<Block> decode_block(uint32_t pc);
  // A store to bytes of decoded code (Memory's code watch): the blocks overlapping them go.
  void code_written(uint32_t addr, uint32_t size) override;
  // Drops the blocks drop(pc, block) selects, and every successor link.
  template <typename Pred>
  void drop_blocks(Pred drop);

  Memory& mem_;
  std::unordered_map<uint32_t, std::unique_ptr<Block>> blocks_;  // lookups only, never iterated for behaviour
  static constexpr uint32_t kFastBits = 14;
  struct FastEntry {
    uint32_t pc;
    Block* block;
  };
  std::vector<FastEntry> fast_;
  CodeMap code_;
  // Dropped blocks, which may still be running (a store in a block over code), until the runner
  // is back between blocks.
  std::vector<std::unique_ptr<Block>> graveyard_;
  uint64_t blocks_decoded_ = 0;
};

}  // namespace hexad::cpu
