#include "cpu/interpreter.h"

#include "cpu/decoder.h"
#include "cpu/memory.h"

namespace hexad::cpu {

namespace {
constexpr uint32_t kMaxBlockOps = 128;
}

void reset_context(ThreadContext& ctx, Memory* mem, bool sixty_four_bit) {
  ctx = ThreadContext{};
  ctx.mem = mem;
  ctx.set_sf(sixty_four_bit);
}

Interpreter::Interpreter(Memory& mem) : mem_(mem), fast_(1u << kFastBits, FastEntry{1, nullptr}) {}
Interpreter::~Interpreter() = default;

std::unique_ptr<Interpreter::Block> Interpreter::decode_block(uint32_t pc) {
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
    b->ops.push_back({e.fn, word, e.flags});
    a += 4;
    if ((e.flags & kOpEndsBlock) || b->ops.size() >= kMaxBlockOps || (a & (Memory::kPageSize - 1)) == 0) break;
  }
  ++blocks_decoded_;
  return b;
}

Interpreter::Block* Interpreter::lookup(uint32_t pc) {
  FastEntry& f = fast_[(pc >> 2) & ((1u << kFastBits) - 1)];
  if (f.pc == pc && f.block) return f.block;
  auto it = blocks_.find(pc);
  Block* b;
  if (it != blocks_.end()) {
    b = it->second.get();
  } else {
    auto nb = decode_block(pc);
    b = nb.get();
    blocks_.emplace(pc, std::move(nb));
  }
  f = {pc, b};
  return b;
}

Interpreter::Block* Interpreter::next_block(Block* from, uint32_t pc) {
  if (!from) return lookup(pc);
  if (from->succ[0].pc == pc) return from->succ[0].block;
  if (from->succ[1].pc == pc) return from->succ[1].block;
  Block* b = lookup(pc);
  from->succ[from->succ_victim] = {pc, b};
  from->succ_victim ^= 1;
  return b;
}

StopReason Interpreter::run(ThreadContext& ctx, uint64_t max_instructions) {
  ctx.stop = StopReason::None;
  uint64_t left = max_instructions;
  mem_.set_current_writer(ctx.tid);
  Block* prev = nullptr;
  while (left) {
    if (ctx.stop_pc && ctx.pc == ctx.stop_pc) return ctx.stop = StopReason::StopPc;
    const uint64_t base = ctx.instructions;
    uint64_t pc = ctx.pc;
    size_t i = 0;
    try {
      Block* b = next_block(prev, uint32_t(pc));
      prev = b;
      const size_t n = b->ops.size() < left ? b->ops.size() : size_t(left);
      const DecodedOp* ops = b->ops.data();
      for (; i + 1 < n; ++i) {
        ctx.pc = pc;
        ops[i].fn(ctx, Instr{ops[i].word});
        pc += 4;
      }
      // The block's last op may read the clock (mftb) or leave the block, so the count is exact
      // when it runs.
      ctx.instructions = base + i;
      ctx.pc = pc;
      ops[i].fn(ctx, Instr{ops[i].word});
      ctx.instructions = base + n;
      if (!(ops[i].flags & kOpSetsPc)) ctx.pc = pc + 4;
      left -= n;
    } catch (const MemoryFault& f) {
      ctx.instructions = base + i;
      ctx.fault = {FaultKind::Memory, ctx.pc, 0, f.address, f.size, f.access};
      return ctx.stop = StopReason::Fault;
    } catch (const InstructionFault& f) {
      ctx.instructions = base + i;
      ctx.fault = {f.kind, ctx.pc, f.word, 0, 0, Access::Execute};
      return ctx.stop = StopReason::Fault;
    }
    if (ctx.icbi_pending) {
      ctx.icbi_pending = false;
      invalidate(ctx.icbi_addr, 4);
      prev = nullptr;
    }
    if (ctx.stop != StopReason::None) return ctx.stop;
  }
  return ctx.stop = StopReason::Budget;
}

void Interpreter::invalidate(uint32_t addr, uint32_t size) {
  uint64_t lo = addr & ~uint64_t(Memory::kPageSize - 1);
  uint64_t hi = uint64_t(addr) + (size ? size : 1);
  std::erase_if(blocks_, [&](const auto& kv) { return kv.first >= lo && kv.first < hi; });
  for (auto& f : fast_) f = {1, nullptr};
  for (auto& kv : blocks_) kv.second->succ[0] = kv.second->succ[1] = {};
}

void Interpreter::invalidate_all() {
  blocks_.clear();
  for (auto& f : fast_) f = {1, nullptr};
}

}  // namespace hexad::cpu
