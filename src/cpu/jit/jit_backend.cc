#include "cpu/jit/jit_backend.h"

#include "base/hexad_error.h"
#include "cpu/interp/block.h"
#include "cpu/interp/decoder.h"
#include "cpu/jit/runtime.h"
#include "cpu/memory.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <tuple>

namespace hexad::cpu::jit {

namespace {
// ctx.chain_budget is only a flag for the JIT: return_to_runner() sets it to 1, which a block
// ending in a handler's op checks before chaining. Chaining otherwise goes on until the run's
// limit (a block's start checks it), or, with a stop_pc a block can start at, not at all.
constexpr uint32_t kChainAllowed = 2;

uint64_t block_key(uint32_t pc, bool sf) { return uint64_t(pc) | (uint64_t(sf) << 32); }
constexpr uint64_t kNoKey = 1;  // never a block key (pcs are aligned)

// HEXAD_JIT_CODE_OFFSET (measurement only: tools/bench-layout): translation units start this many
// bytes past a 64-byte boundary, 0 to 63. Where host code lands changes nothing guest-visible.
int layout_offset_from_env() {
  const char* v = std::getenv("HEXAD_JIT_CODE_OFFSET");
  if (!v || !*v) return -1;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  if (*end || n < 0 || n > 63) fail("HEXAD_JIT_CODE_OFFSET: '{}' is not a byte offset from 0 to 63", v);
  return int(n);
}
}  // namespace

JitBackend::JitBackend(Memory& mem, size_t code_cache_bytes)
    : mem_(mem), cache_(code_cache_bytes), sites_(cache_.exec_begin(), cache_.size()),
      stubs_(emit_stubs(cache_, mem.read_view_base(), mem.page_prot_table())),
      fallback_counts_(isa::kEntryCount, 0), env_{stubs_.exit, fallback_counts_.data(), native_vmx_available()},
      fast_(1u << kFastBits, FastEntry{kNoKey, nullptr}), code_(mem) {
  mem_.add_code_listener(*this);
  install_fault_handler();
  cache_.set_layout_offset(layout_offset_from_env());
}

JitBackend::~JitBackend() { mem_.remove_code_listener(*this); }

std::unique_ptr<JitBlock> JitBackend::decode_block(uint32_t pc, bool sf) {
  auto b = std::make_unique<JitBlock>();
  b->pc = pc;
  b->sf = sf;
  const Decoder& dec = Decoder::instance();
  uint32_t a = pc;
  // As Interpreter::decode_block: the first word's fetch fault is the block's fault; a later
  // one ends the block so the fault happens, exactly counted, when execution gets there.
  for (;;) {
    if (a != pc && !mem_.accessible(a, 4, kProtExec)) break;
    const uint32_t word = mem_.fetch32(a);
    const OpEntry& e = dec.decode(word);
    const Instr in(word);
    const uint64_t aux = e.prep ? e.prep(in) : 0;
    JitOp op{e.fn, Instr(word, aux), a, e.flags, e.isa_id, checked_ops_.contains(block_key(a, sf)), {}};
    if (!(e.flags & kOpSetsPc)) {
      op.step[0] = {e.step ? e.step : &generic_step, e.fn, {nullptr}, word, a, e.flags, in.f6, in.f11, in.f16};
      op.step[0].aux = aux;
      op.step[1] = {&return_step, nullptr, {nullptr}, 0, a + 4, 0, 0, 0, 0};
    }
    b->ops.push_back(op);
    a += 4;
    if ((e.flags & kOpEndsBlock) || b->ops.size() >= kMaxBlockOps || (a & (Memory::kPageSize - 1)) == 0) break;
  }
  b->head = {nullptr, b->ops.size(), b.get()};
  return b;
}

void JitBackend::translate_unit(const std::vector<JitBlock*>& unit) {
  const auto emit = [&](const PinMap& pins, const std::vector<uint8_t>& cr_kills, const std::vector<MemSlot>& slots) {
    for (JitBlock* b : unit) {
      for (auto& x : b->exits) x = JitBlock::Exit{};
      b->fixed_exits = false;
      b->victim = 0;
    }
    auto e = std::make_unique<BlockEmitter>(cache_.cursor(), cache_.left(), env_, unit, pins, cr_kills, slots);
    const size_t native = e->emit_unit();
    return std::make_pair(std::move(e), native);
  };
  for (int attempt = 0;; ++attempt) {
    try {
      auto [e, native] = emit(kNoPins, {}, {});
      // A jump from a block of the unit to one of its blocks (a loop): emitted again, at the
      // same place, with the memory words and registers the first emission used most pinned
      // across them (MemSlot, choose_pins), and knowing which CR fields each block overwrites
      // first (deferred CR fields, emitter.h).
      bool loops = false;
      for (const JitBlock* b : unit)
        for (const auto& x : b->exits)
          for (const JitBlock* m : unit) loops |= x.next == &m->head;
      if (loops) {
        const std::vector<uint8_t> cr_kills = e->cr_kills();
        const std::vector<MemSlot> slots = choose_slots(e->gpr_use());
        PinMap pins = choose_pins(e->gpr_use(nest_weights(unit)), int(slots.size()));
        for (size_t j = 0; j < slots.size(); ++j) pins[j] = int8_t(kSlotPin + int(j));
        std::tie(e, native) = emit(pins, cr_kills, slots);
        // A pinned word's load counts as an ALU op for the kills (emit_block): with slots, a
        // member may overwrite more fields first than the first emission found.
        if (e->cr_kills() != cr_kills) {
          const std::vector<uint8_t> kills_with_slots = e->cr_kills();
          std::tie(e, native) = emit(pins, kills_with_slots, slots);
        }
        stats_.slot_pins += slots.size();
        stats_.slot_write_back_units += !slots.empty() && slots[0].write_back;
      }
      const uint8_t* code = e->getCode();
      const uint64_t id = next_unit_++;
      size_t ops = 0;
      for (size_t k = 0; k < unit.size(); ++k) {
        JitBlock& b = *unit[k];
        const MemberCode& mc = e->members()[k];
        b.head.entry = cache_.exec(code + mc.begin);
        b.inner_entry = cache_.exec(code + mc.inner);
        b.code_start = cache_.exec(code + mc.start);
        b.code_size = uint32_t(mc.end - mc.start);
        b.cold_start = cache_.exec(code + mc.cold_start);
        b.cold_size = uint32_t(mc.cold_end - mc.cold_start);
        b.unit = id;
        ops += b.ops.size();
        if (perf_map_) {
          const auto entry = [&](const uint8_t* at, uint32_t size, const char* what) {
            std::fprintf(perf_map_.get(), "%llx %x jit:0x%08x (%s-bit) %zu ops%s\n", (unsigned long long)uintptr_t(at), size,
                         b.pc, b.sf ? "64" : "32", b.ops.size(), what);
          };
          entry(b.code_start, b.code_size, "");
          entry(b.cold_start, b.cold_size, " cold");
        }
      }
      if (perf_map_) std::fflush(perf_map_.get());
      for (const BlockEmitter::AccessSite& site : e->access_sites())
        sites_.add(uint32_t(cache_.exec(site.access) - cache_.exec_begin()), uint32_t(cache_.exec(site.slow) - cache_.exec_begin()),
                   site.guest_pc, unit.front()->sf);
      cache_.advance(e->getSize());
      stats_.blocks_translated += unit.size();
      stats_.native_ops += native;
      stats_.fallback_ops += ops - native;
      stats_.code_bytes += e->getSize();
      return;
    } catch (const Xbyak::Error& err) {
      if (attempt > 0 || int(err) != Xbyak::ERR_CODE_IS_TOO_BIG)
        fail("jit: cannot translate the block at 0x{:08x}: {}", unit.front()->pc, err.what());
      flush_code();
    }
  }
}

namespace {
// Loop units: at most this many blocks and ops (larger loops keep per-block code), and each block
// is put in at most kMaxLoopUnits of them (a loop found again as it grows, an outer loop).
constexpr size_t kMaxLoopBlocks = 16, kMaxLoopOps = 512, kMaxReach = 32;
constexpr uint8_t kMaxLoopUnits = 4;

bool holds(const std::vector<JitBlock*>& v, const JitBlock* b) { return std::find(v.begin(), v.end(), b) != v.end(); }
}  // namespace

void JitBackend::maybe_form_loop(JitBlock& from, JitBlock& to) {
  if (from.unit == to.unit) return;  // already one unit (a loop onto itself is one from the start)
  // The blocks `to` leads to through linked fixed exits (breadth first, bounded, with the block
  // each was reached from) ...
  std::vector<JitBlock*> reach{&to};
  std::vector<size_t> parent{0};
  for (size_t i = 0; i < reach.size() && reach.size() < kMaxReach; ++i) {
    if (!reach[i]->fixed_exits) continue;
    for (const auto& x : reach[i]->exits)
      if (x.next && x.next->self->sf == from.sf && !holds(reach, x.next->self)) {
        reach.push_back(x.next->self);
        parent.push_back(i);
      }
  }
  const auto at = std::find(reach.begin(), reach.end(), &from);
  if (at == reach.end()) return;
  // ... the shortest way back to `from`, which with the new link is the innermost loop through it ...
  std::vector<JitBlock*> loop;
  for (size_t i = size_t(at - reach.begin());; i = parent[i]) {
    loop.push_back(reach[i]);
    if (i == 0) break;
  }
  // ... with the other blocks of the loop units its blocks are in, smallest first, as far as they
  // fit: an inner loop joins whole or the loop is left as it is; a block of a larger unit (an
  // outer loop) leaves it.
  std::vector<std::vector<JitBlock*>> units;
  for (const JitBlock* b : loop) {
    if (!b->loop_units) continue;
    std::vector<JitBlock*> members;
    for (JitBlock* r : reach)
      if (r->unit == b->unit) members.push_back(r);
    units.push_back(std::move(members));
  }
  std::stable_sort(units.begin(), units.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
  const auto ops_of = [](const std::vector<JitBlock*>& v) {
    size_t n = 0;
    for (const JitBlock* b : v) n += b->ops.size();
    return n;
  };
  for (const auto& members : units) {
    std::vector<JitBlock*> merged = loop;
    for (JitBlock* m : members)
      if (!holds(merged, m)) merged.push_back(m);
    if (merged.size() <= kMaxLoopBlocks && ops_of(merged) <= kMaxLoopOps) loop = std::move(merged);
    else if (members.size() <= loop.size()) return;  // that unit is an inner loop: it stays
  }
  if (loop.size() > kMaxLoopBlocks || ops_of(loop) > kMaxLoopOps) return;
  for (const JitBlock* b : loop)
    if (b->loop_units >= kMaxLoopUnits) return;
  std::sort(loop.begin(), loop.end(), [](const JitBlock* a, const JitBlock* b) { return a->pc < b->pc; });
  // Nothing may jump to the blocks' old code any more: every link goes, and comes back as blocks run.
  clear_links();
  for (JitBlock* b : loop) ++b->loop_units;
  ++stats_.loop_units;
  translate_unit(loop);
}

// The cache is full: drop all host code but keep every decoded block (so the guest words they
// hold stay those the interpreter would hold), to be translated again when next run. Nothing
// is patched: the link sites are in the code dropped.
void JitBackend::flush_code() {
  for (auto& f : fast_) f = {kNoKey, nullptr};
  for (auto& kv : blocks_) {
    kv.second->head.entry = nullptr;
    kv.second->inner_entry = nullptr;
    kv.second->code_start = nullptr;
    kv.second->cold_start = nullptr;
    kv.second->unit = 0;
    for (auto& x : kv.second->exits) x = JitBlock::Exit{};
  }
  cache_.truncate(stubs_.size);
  sites_.truncate(uint32_t(stubs_.size));
  ++stats_.flushes;
}

// Every exit unlinked: its jump back to its own way out, its successor forgotten. Dropped blocks
// too: one may be running (a store over code), and must return to the runner at its end.
void JitBackend::clear_links() {
  for (auto& f : fast_) f = {kNoKey, nullptr};
  const auto unlink = [](JitBlock& b) {
    for (auto& x : b.exits) {
      x.next = nullptr;
      if (x.link_site) patch_jump(x.link_site, x.unlinked, x.link_is_jcc);
      if (x.out_site) patch_jump(x.out_site, x.out_unlinked);
    }
  };
  for (auto& kv : blocks_) unlink(*kv.second);
  for (auto& b : graveyard_) unlink(*b);
}

// The jump whose rel32 is at `site` now reaches `to` (both write-view addresses in the code
// cache, so the distance is the one the execute view runs). A conditional one (`jcc`) keeps its
// opcode; else it is a 5-byte `jmp rel32`, or a 5-byte nop when `to` is the next instruction (a
// fall-through exit to the next member of its unit).
void JitBackend::patch_jump(uint8_t* site, const uint8_t* to, bool jcc) {
  const int32_t rel = int32_t(to - (site + 4));
  if (jcc) {
    std::memcpy(site, &rel, 4);
    return;
  }
  if (rel == 0) {
    static constexpr uint8_t kNop5[5] = {0x0F, 0x1F, 0x44, 0x00, 0x00};
    std::memcpy(site - 1, kNop5, 5);
    return;
  }
  site[-1] = 0xE9;
  std::memcpy(site, &rel, 4);
}

// A link within one unit goes to the target's inner entry (the unit's pinned registers are live
// there); any other to the target's entry from outside.
void JitBackend::link(const JitBlock& from, JitBlock::Exit& x, JitBlock& to) {
  x.next = &to.head;
  if (!x.link_site) return;
  if (from.unit == to.unit) {
    patch_jump(x.link_site, cache_.writable(to.inner_entry), x.link_is_jcc);
  } else if (x.out_site) {
    // An exit to a block that was in its unit and is no longer: through its unlinked path, which
    // writes the pinned registers back, and on from there.
    patch_jump(x.out_site, cache_.writable(to.head.entry));
  } else {
    patch_jump(x.link_site, cache_.writable(to.head.entry), x.link_is_jcc);
  }
}

JitBlock* JitBackend::lookup(uint32_t pc, bool sf) {
  const uint64_t key = block_key(pc, sf);
  FastEntry& f = fast_[(pc >> 2) & ((1u << kFastBits) - 1)];
  JitBlock* b;
  if (f.key == key && f.block) {
    b = f.block;
  } else {
    auto it = blocks_.find(key);
    if (it != blocks_.end()) {
      b = it->second.get();
    } else {
      auto nb = decode_block(pc, sf);
      b = nb.get();
      code_.add(pc, uint32_t(4 * b->ops.size()));
      blocks_.emplace(key, std::move(nb));
    }
  }
  if (!b->head.entry) translate_unit({b});  // may flush, which empties the fast table
  fast_[(pc >> 2) & ((1u << kFastBits) - 1)] = {key, b};
  return b;
}

JitBlock* JitBackend::next_block(JitBlock* from, uint32_t pc, bool sf) {
  if (!from) return lookup(pc, sf);
  for (const auto& x : from->exits)
    if (x.pc == pc && x.next) return x.next->self;
  const uint64_t flushes = stats_.flushes;
  JitBlock* b = lookup(pc, sf);
  if (flushes != stats_.flushes) return b;  // `from` has no code now: link it when it has
  if (from->fixed_exits) {
    for (auto& x : from->exits)
      if (x.pc == pc) link(*from, x, *b);
    maybe_form_loop(*from, *b);
  } else {
    from->exits[from->victim] = {pc, &b->head};
    from->victim ^= 1;
  }
  return b;
}

// As Interpreter::run_partial: the first `n` ops one by one through the handlers, so the run
// stops exactly at the budget. False when one faults (recorded, not retired).
bool JitBackend::run_partial(ThreadContext& ctx, const JitBlock& b, size_t n) {
  const JitOp* ops = b.ops.data();
  const uint64_t base = ctx.instructions;
  uint64_t pc = b.pc;
  size_t i = 0;
  ++stats_.partial_runs;
  try {
    for (; i + 1 < n; ++i) {
      ctx.pc = pc;
      ops[i].fn(ctx, ops[i].instr);
      pc += 4;
    }
    ctx.instructions = base + n;  // counts the running op, as in whole blocks (it may read the clock)
    ctx.pc = pc;
    ops[i].fn(ctx, ops[i].instr);
    if (!(ops[i].flags & kOpSetsPc)) ctx.pc = pc + 4;
    return true;
  } catch (const MemoryFault& f) {
    ctx.instructions = base + i;
    record_fault(ctx, f);
  } catch (const InstructionFault& f) {
    ctx.instructions = base + i;
    record_fault(ctx, f);
  }
  return false;
}

RunResult JitBackend::run(ThreadContext& ctx, uint64_t max_instructions) {
  const uint64_t start = ctx.instructions;
  const StopReason why = run_blocks(ctx, max_instructions);
  return {ctx.instructions - start, why};
}

namespace {
// This thread's generated code uses `sites` while the guard lives (runs nest: a handler may call
// guest code through the kernel); the previous ones after.
class RunningSites {
 public:
  explicit RunningSites(FaultSites* sites) : previous_(running_sites()) { set_running_sites(sites); }
  ~RunningSites() { set_running_sites(previous_); }
  RunningSites(const RunningSites&) = delete;
  RunningSites& operator=(const RunningSites&) = delete;

 private:
  FaultSites* previous_;
};
}  // namespace

StopReason JitBackend::run_blocks(ThreadContext& ctx, uint64_t max_instructions) {
  const RunningSites running(&sites_);
  ctx.stop = StopReason::None;
  uint64_t left = max_instructions;
  mem_.set_current_writer(ctx.tid);
  graveyard_.clear();
  const bool sf = ctx.sf();
  const bool check_every_block = stop_pc_needs_block_checks(ctx, mem_);
  JitBlock* prev = nullptr;
  while (left) {
    if (ctx.stop_pc && ctx.pc == ctx.stop_pc) return ctx.stop = StopReason::StopPc;
    JitBlock* b;
    try {
      b = next_block(prev, uint32_t(ctx.pc), sf);
    } catch (const MemoryFault& f) {  // the block's first word cannot be fetched
      record_fault(ctx, f);
      return ctx.stop = StopReason::Fault;
    }
    if (b->head.count <= left) {
      // Whole blocks, chained in generated code up to the limit (as the interpreter's); with a
      // stop_pc a block can start at, this block only (so the runner sees every block start).
      const uint64_t before = ctx.instructions;
      const uint64_t allowed = check_every_block ? b->head.count : left;
      ctx.run_limit = before + allowed;
      ctx.chain_budget = kChainAllowed;
      ctx.cur_block = b;
      ++stats_.entries;
      refresh_jit_values(ctx);  // XER[SO] or the reservations may have changed since generated code last ran
      const uint32_t status = stubs_.enter(&ctx, b->head.entry, allowed);
      if (status == kExitForeign) std::rethrow_exception(take_foreign_exception());
      if (status == kExitFault) return ctx.stop = StopReason::Fault;
      left -= ctx.instructions - before;
      prev = const_cast<JitBlock*>(static_cast<const JitBlock*>(ctx.cur_block));
      if (status == kExitInterpret && left) {
        // A block whose slot pins could not be loaded (MemSlot): op by op, as far as it fits.
        ++stats_.slot_entries_interpreted;
        const size_t n = size_t(std::min<uint64_t>(prev->ops.size(), left));
        if (!run_partial(ctx, *prev, n)) return ctx.stop = StopReason::Fault;
        left -= n;
      }
      if (sites_.any_hot()) check_hot_sites();
    } else {
      if (!run_partial(ctx, *b, size_t(left))) return ctx.stop = StopReason::Fault;
      left = 0;
      prev = b;
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

// Accesses that keep faulting on the host: their ops are decoded with inline checks from now on,
// and the blocks holding them are dropped, to be translated again.
void JitBackend::check_hot_sites() {
  for (const auto& [pc, sf] : sites_.take_hot()) {
    if (!checked_ops_.insert(block_key(pc, sf)).second) continue;
    ++stats_.checked_sites;
    drop_blocks([&, pc = pc, sf = sf](uint32_t start, const JitBlock& b) {
      return b.sf == sf && pc >= start && pc - start < 4ull * b.ops.size();
    });
  }
}

template <typename Pred>
void JitBackend::drop_blocks(Pred drop) {
  const size_t dropped = code_.drop_if(blocks_, graveyard_, [&](uint64_t key, const JitBlock& b) {
    return drop(uint32_t(key), b);
  });
  stats_.blocks_invalidated += dropped;
  // Nothing dropped, nothing stale: no link to undo (a store beside code within the span of a
  // page's blocks gets here without overlapping one).
  if (dropped) clear_links();
}

// The interpreter's rules (Interpreter::invalidate, code_written), so both hold the same blocks.
void JitBackend::invalidate(uint32_t addr, uint32_t size) {
  const uint64_t lo = addr & ~uint64_t(Memory::kPageSize - 1);
  const uint64_t hi = uint64_t(addr) + (size ? size : 1);
  ++stats_.invalidations;
  drop_blocks([&](uint32_t pc, const JitBlock&) { return pc >= lo && pc < hi; });
}

void JitBackend::invalidate_all() {
  ++stats_.invalidations;
  drop_blocks([](uint32_t, const JitBlock&) { return true; });
}

void JitBackend::code_written(uint32_t addr, uint32_t size) {
  if (!code_.may_overlap(addr, size)) return;
  const uint64_t end = uint64_t(addr) + size;
  ++stats_.invalidations;
  drop_blocks([&](uint32_t pc, const JitBlock& b) { return pc < end && pc + 4ull * b.ops.size() > addr; });
}

std::vector<std::pair<std::string_view, uint64_t>> JitBackend::fallback_runs() const {
  std::vector<std::pair<std::string_view, uint64_t>> out;
  for (size_t id = 0; id < fallback_counts_.size(); ++id)
    if (fallback_counts_[id]) out.emplace_back(isa::kEntries[id].mnemonic, fallback_counts_[id]);
  return out;
}

bool JitBackend::start_perf_map(const std::string& path) {
  perf_map_.reset(std::fopen(path.c_str(), "w"));
  return perf_map_ != nullptr;
}

const JitBlock* JitBackend::block_at(uint32_t pc, bool sf) {
  try {
    return lookup(pc, sf);
  } catch (const MemoryFault&) {
    return nullptr;
  }
}

}  // namespace hexad::cpu::jit
