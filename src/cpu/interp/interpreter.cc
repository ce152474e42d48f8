#include "cpu/interp/interpreter.h"

#include "cpu/interp/decoder.h"
#include "cpu/memory.h"

namespace hexad::cpu {

namespace {
// Blocks chained without returning to run(). Each return costs a mispredicted call into the
// next chain (64 cost ~5% on tools/bench). Optimised builds compile every step's final call as
// a jump, so a chain runs in constant stack (tests/unit/interpreter_test.cc checks this on a
// 256 KiB stack); unoptimised builds do not, and the bound keeps their stack in check.
#ifdef __OPTIMIZE__
constexpr uint32_t kMaxChain = 1024;
#else
constexpr uint32_t kMaxChain = 64;
#endif
}  // namespace

void generic_step(ThreadContext& c, const DecodedOp* op) {
  set_pc(c, op->pc);
  op->fn(c, instr_of(*op));
  const DecodedOp* next = op + 1;
  next->step(c, next);
}

// The end sentinel of every block. Blocks ended by a branch chain from the branch's own step
// and never reach it (see block.h).
void Interpreter::end_of_block(ThreadContext& c, const DecodedOp* op) {
  if (op->flags) set_pc(c, op->pc);  // the last op did not set pc itself
  finish_block(c, op);
}

Interpreter::Interpreter(Memory& mem) : mem_(mem), fast_(1u << kFastBits, FastEntry{1, nullptr}), code_(mem) {
  mem_.add_code_listener(*this);
}
Interpreter::~Interpreter() { mem_.remove_code_listener(*this); }

std::unique_ptr<Block> Interpreter::decode_block(uint32_t pc) {
  auto b = std::make_unique<Block>();
  b->pc = pc;
  const Decoder& dec = Decoder::instance();
  uint32_t a = pc;
  for (;;) {
    // The first word's fetch fault is the block's fault; a later one ends the block so the
    // fault happens, exactly counted, when execution gets there.
    if (a != pc && !mem_.accessible(a, 4, kProtExec)) break;
    uint32_t word = mem_.fetch32(a);
    const OpEntry& e = dec.decode(word);
    const Instr in(word);
    DecodedOp op{e.step ? e.step : &generic_step, e.fn, {nullptr}, word, a, e.flags, in.f6, in.f11, in.f16};
    op.aux = e.prep ? e.prep(in) : 0;
    b->ops.push_back(op);
    a += 4;
    if ((e.flags & kOpEndsBlock) || b->ops.size() >= kMaxBlockOps || (a & (Memory::kPageSize - 1)) == 0) break;
  }
  b->count = uint32_t(b->ops.size());
  if (b->count >= 2) {
    DecodedOp& first = b->ops[b->count - 2];
    for (const FusedPair& p : fused_pairs())
      if (first.fn == p.first && b->ops.back().fn == p.second) first.step = p.step;
  }
  const bool sets_pc = b->ops.back().flags & kOpSetsPc;
  b->ops.push_back({&end_of_block, nullptr, {b.get()}, 0, a, uint8_t(sets_pc ? 0 : 1), 0, 0, 0});
  ++blocks_decoded_;
  return b;
}

Block* Interpreter::lookup(uint32_t pc) {
  FastEntry& f = fast_[(pc >> 2) & ((1u << kFastBits) - 1)];
  if (f.pc == pc && f.block) return f.block;
  auto it = blocks_.find(pc);
  Block* b;
  if (it != blocks_.end()) {
    b = it->second.get();
  } else {
    auto nb = decode_block(pc);
    b = nb.get();
    code_.add(pc, 4 * b->count);
    blocks_.emplace(pc, std::move(nb));
  }
  f = {pc, b};
  return b;
}

Block* Interpreter::next_block(Block* from, uint32_t pc) {
  if (!from) return lookup(pc);
  if (from->succ[0].pc == pc) return from->succ[0].block;
  if (from->succ[1].pc == pc) return from->succ[1].block;
  Block* b = lookup(pc);
  from->succ[from->succ_victim] = {pc, b};
  from->succ_victim ^= 1;
  return b;
}

// Runs the first `n` ops of a block whose count exceeds the budget left: op by op, so the run
// stops exactly at the budget.
void Interpreter::run_partial(ThreadContext& ctx, const Block& b, size_t n, size_t& i) {
  const DecodedOp* ops = b.ops.data();
  const uint64_t base = ctx.instructions;
  uint64_t pc = b.pc;
  for (; i + 1 < n; ++i) {
    ctx.pc = pc;
    ops[i].fn(ctx, instr_of(ops[i]));
    pc += 4;
  }
  ctx.instructions = base + n;  // counts the running op, as in whole blocks (it may read the clock)
  ctx.pc = pc;
  ops[i].fn(ctx, instr_of(ops[i]));
  if (!(ops[i].flags & kOpSetsPc)) ctx.pc = pc + 4;
}

RunResult Interpreter::run(ThreadContext& ctx, uint64_t max_instructions) {
  const uint64_t start = ctx.instructions;
  const StopReason why = run_blocks(ctx, max_instructions);
  return {ctx.instructions - start, why};
}

StopReason Interpreter::run_blocks(ThreadContext& ctx, uint64_t max_instructions) {
  ctx.stop = StopReason::None;
  uint64_t left = max_instructions;
  mem_.set_current_writer(ctx.tid);
  graveyard_.clear();
  const bool check_every_block = stop_pc_needs_block_checks(ctx, mem_);
  Block* prev = nullptr;
  while (left) {
    if (ctx.stop_pc && ctx.pc == ctx.stop_pc) return ctx.stop = StopReason::StopPc;
    uint64_t base = ctx.instructions;
    size_t i = 0;
    try {
      Block* b = next_block(prev, uint32_t(ctx.pc));
      if (b->count <= left) {
        // Whole blocks, threaded and chained; see end_of_block.
        // A stop_pc is checked here only, so blocks are not chained while one is set that a
        // block can start at (stop_pc_needs_block_checks).
        ctx.run_limit = ctx.instructions + left;
        ctx.chain_budget = check_every_block ? 1 : kMaxChain;
        enter_block(ctx, *b);
        try {
          b->ops[0].step(ctx, b->ops.data());
        } catch (...) {
          const Block* fb = static_cast<const Block*>(ctx.cur_block);
          base = ctx.instructions - fb->count;
          i = size_t((uint32_t(ctx.pc) - fb->pc) / 4);
          throw;
        }
        left = ctx.run_limit - ctx.instructions;
        prev = const_cast<Block*>(static_cast<const Block*>(ctx.cur_block));
      } else {
        run_partial(ctx, *b, size_t(left), i);
        left = 0;
        prev = b;
      }
    } catch (const MemoryFault& f) {
      ctx.instructions = base + i;
      record_fault(ctx, f);
      return ctx.stop = StopReason::Fault;
    } catch (const InstructionFault& f) {
      ctx.instructions = base + i;
      record_fault(ctx, f);
      return ctx.stop = StopReason::Fault;
    }
    if (ctx.icbi_pending) {
      ctx.icbi_pending = false;
      invalidate(ctx.icbi_addr, 4);
    }
    if (!graveyard_.empty()) {  // blocks were dropped: no link from the last one
      graveyard_.clear();
      prev = nullptr;
    }
    if (ctx.stop != StopReason::None) return ctx.stop;
  }
  return ctx.stop = StopReason::Budget;
}

template <typename Pred>
void Interpreter::drop_blocks(Pred drop) {
  // Nothing dropped, nothing stale: the links stay (a store beside code within the span of a
  // page's blocks gets here without overlapping one).
  if (!code_.drop_if(blocks_, graveyard_, drop)) return;
  for (auto& f : fast_) f = {1, nullptr};
  for (auto& kv : blocks_) kv.second->succ[0] = kv.second->succ[1] = {};
}

void Interpreter::invalidate(uint32_t addr, uint32_t size) {
  const uint64_t lo = addr & ~uint64_t(Memory::kPageSize - 1);
  const uint64_t hi = uint64_t(addr) + (size ? size : 1);
  drop_blocks([&](uint32_t pc, const Block&) { return pc >= lo && pc < hi; });
}

void Interpreter::invalidate_all() {
  drop_blocks([](uint32_t, const Block&) { return true; });
}

void Interpreter::code_written(uint32_t addr, uint32_t size) {
  if (!code_.may_overlap(addr, size)) return;
  const uint64_t end = uint64_t(addr) + size;
  drop_blocks([&](uint32_t pc, const Block& b) { return pc < end && pc + 4ull * b.count > addr; });
}

}  // namespace hexad::cpu
