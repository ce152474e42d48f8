// The JIT, an ExecBackend (contract in cpu/exec_backend.h) that translates guest blocks to x86-64
// with Xbyak. Blocks are decoded and dropped exactly as the interpreter decodes and drops them
// (same starts and ends; icbi, host invalidation and stores over code) and each op runs either as native code or through the interpreter's own
// handler, so every guest-visible result is the interpreter's. README "The JIT".
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cpu/code_map.h"
#include "cpu/context.h"
#include "cpu/exec_backend.h"
#include "cpu/jit/code_cache.h"
#include "cpu/jit/emitter.h"
#include "cpu/jit/fault_sites.h"
#include "cpu/jit/jit_block.h"
#include "cpu/jit/stubs.h"

namespace hexad::cpu::jit {

struct JitStats {
  uint64_t blocks_translated = 0;  // translations made (a block translated again after a flush counts again)
  uint64_t native_ops = 0;         // ops translated natively, over all translations
  uint64_t fallback_ops = 0;       // ops translated as a call of the interpreter's handler
  uint64_t code_bytes = 0;         // host code emitted, over all translations
  uint64_t invalidations = 0;      // invalidate() calls (icbi included), and stores over code
  uint64_t blocks_invalidated = 0; // blocks they dropped
  uint64_t flushes = 0;            // code cache full: all host code dropped
  uint64_t partial_runs = 0;       // blocks run op by op because they did not fit the budget
  uint64_t entries = 0;            // times the runner entered generated code (chained blocks are not entries)
  uint64_t loop_units = 0;         // loops translated as one unit (their blocks count in blocks_translated)
  uint64_t slot_pins = 0;          // memory words pinned in loop units (MemSlot)
  uint64_t slot_write_back_units = 0;  // loop units whose pinned words are written back (MemSlot)
  uint64_t slot_entries_interpreted = 0;  // outer entries whose slot words could not be loaded
  uint64_t checked_sites = 0;      // memory ops translated again with inline checks after host faults
};

class JitBackend final : public ExecBackend, private CodeWriteListener {
 public:
  explicit JitBackend(Memory& mem, size_t code_cache_bytes = kDefaultCodeCacheBytes);
  ~JitBackend() override;

  RunResult run(ThreadContext& ctx, uint64_t max_instructions) override;
  void invalidate(uint32_t addr, uint32_t size) override;
  void invalidate_all() override;
  const char* name() const override { return "jit"; }

  const JitStats& stats() const { return stats_; }
  uint64_t host_faults() const { return sites_.faults(); }  // accesses sent out of line by a host fault
  // Fallback runs per mnemonic (those run at least once), in ISA table order.
  std::vector<std::pair<std::string_view, uint64_t>> fallback_runs() const;
  // The block starting at guest `pc` in the given mode, translated now if it is not yet;
  // nullptr when the word there cannot be fetched.
  const JitBlock* block_at(uint32_t pc, bool sf);
  // From now on, one line per translation ("START SIZE jit:0xPC (32-bit) N ops") in `path`, the
  // perf map of generated code. Host addresses only: nothing of it reaches the guest or the
  // trace. False if the file cannot be opened.
  bool start_perf_map(const std::string& path);

  static constexpr size_t kDefaultCodeCacheBytes = 64u << 20;

 private:
  StopReason run_blocks(ThreadContext& ctx, uint64_t max_instructions);
  JitBlock* lookup(uint32_t pc, bool sf);
  JitBlock* next_block(JitBlock* from, uint32_t pc, bool sf);
  std::unique_ptr<JitBlock> decode_block(uint32_t pc, bool sf);
  // Translates `unit` (one block, or the blocks of a loop) as one piece of code (BlockEmitter);
  // a unit with a jump from one of its blocks to another pins guest registers (choose_pins).
  void translate_unit(const std::vector<JitBlock*>& unit);
  // `from` was just linked to `to`: when `to` leads back to `from` through linked fixed exits,
  // the blocks of that loop are translated again as one unit.
  void maybe_form_loop(JitBlock& from, JitBlock& to);
  void check_hot_sites();
  void flush_code();
  void clear_links();
  void link(const JitBlock& from, JitBlock::Exit& x, JitBlock& to);
  static void patch_jump(uint8_t* site, const uint8_t* to, bool jcc = false);
  bool run_partial(ThreadContext& ctx, const JitBlock& b, size_t n);
  // A store to bytes of decoded code (Memory's code watch): the blocks overlapping them go.
  void code_written(uint32_t addr, uint32_t size) override;
  // Drops the blocks drop(pc, block) selects and unlinks every exit (the running block's too,
  // so it returns to the runner at its end).
  template <typename Pred>
  void drop_blocks(Pred drop);

  Memory& mem_;
  CodeCache cache_;
  FaultSites sites_;  // generated code's memory accesses, for the host fault handler
  Stubs stubs_;
  std::vector<uint64_t> fallback_counts_;  // per isa::EntryId
  EmitEnv env_;
  std::unordered_map<uint64_t, std::unique_ptr<JitBlock>> blocks_;  // lookups only, never iterated for behaviour
  std::unordered_set<uint64_t> checked_ops_;  // memory ops (pc, mode) decoded with inline checks; lookups only
  static constexpr uint32_t kFastBits = 14;
  struct FastEntry {
    uint64_t key;
    JitBlock* block;
  };
  std::vector<FastEntry> fast_;
  CodeMap code_;
  // Dropped blocks, whose code may still be running (a store in a block over code), until the
  // runner is back between blocks. Their host code stays in the cache until the next flush.
  std::vector<std::unique_ptr<JitBlock>> graveyard_;
  JitStats stats_;
  uint64_t next_unit_ = 1;
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, FileCloser> perf_map_;
};

}  // namespace hexad::cpu::jit
