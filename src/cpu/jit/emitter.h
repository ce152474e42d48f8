// Translation of one guest block to x86-64 (Xbyak). The block's code runs inside the enter
// stub's frame (see stubs.h): rbx holds the ThreadContext, r12 the host base of guest memory,
// r13 the page protection table (the count of active reservations in front of it), r14 (kLeft)
// the instructions the run may still enter; everything else is scratch. Guest registers live in the context at fixed offsets; within a block, GPRs are also
// cached in host registers (write-through, see "GPR cache" below).
//
// Each op is emitted natively by one unit (emit_alu.cc, emit_branch.cc, emit_loadstore.cc) or,
// when no unit takes it, as a call of the interpreter's handler (emit_fallback.cc). Instruction
// counts follow the interpreter: the block's length is added on entry (by whoever enters it),
// and a fault takes back the instructions from the faulting one on (fault_exit). The count is
// kept in a register, as instructions left (ctx.run_limit - ctx.instructions): a block's start
// subtracts its length, and ctx.instructions is written from it before any handler call and by
// the exit stub, so a counter in memory never sits on the chain from block to block.
#pragma once
#include <cstddef>
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include <xbyak/xbyak.h>

#include "cpu/context.h"
#include "cpu/jit/jit_block.h"

namespace hexad::cpu::jit {

// mov r, imm64 always in its 10-byte form: host addresses differ from run to run (ASLR), and
// code sizes (the dump's code_bytes, when the cache fills) must not.
inline void mov_address(Xbyak::CodeGenerator& g, const Xbyak::Reg64& r, const void* p) {
  g.db(0x48 | (r.getIdx() >= 8 ? 1 : 0));
  g.db(0xB8 | (r.getIdx() & 7));
  g.dq(uint64_t(reinterpret_cast<uintptr_t>(p)));
}

inline const Xbyak::Reg64 kLeft = Xbyak::util::r14;

// Host registers caching guest GPRs within a block (see BlockEmitter's GPR cache).
inline constexpr int kCacheRegs = 6;

// What a block's code refers to outside itself.
struct EmitEnv {
  const void* exit_stub;            // jump here with the status in eax
  uint64_t* fallback_counts;        // per isa::EntryId, incremented by each fallback run
  int32_t reservations_disp;        // where the count of active reservations is, from r13
  const uint32_t* cr_gt_lt;         // kCrGT, kCrLT (Stubs::cr_gt_lt)
};

class BlockEmitter : public Xbyak::CodeGenerator {
 public:
  BlockEmitter(uint8_t* buf, size_t size, const EmitEnv& env, JitBlock& block);
  // Emits the whole block; returns the number of ops emitted natively (the rest fell back).
  size_t emit_block();

 private:
  friend struct AluUnit;
  friend struct BranchUnit;
  friend struct LoadStoreUnit;

  // The units: each returns false, having emitted nothing, for an op it does not translate.
  bool emit_alu(const JitOp& op);
  bool emit_branch(const JitOp& op);  // a branch: emits the block's exits too
  bool emit_loadstore(const JitOp& op, size_t index);

  // Whether op's handler can be called without the fault-catching trampoline, and that call.
  static bool handler_cannot_throw(const JitOp& op);
  void emit_direct_handler_call(const JitOp& op);
  // The op through the interpreter's handler; `counted` adds it to the fallback counters.
  void emit_handler_call(const JitOp& op, size_t index, bool counted);
  // On to the block at `target` through exit slot `slot` (a fixed target: a patched jump once
  // linked), else ctx.pc = target and back to the runner. `runner_may_be_asked`: the last op
  // ran through its handler, which may have asked for the runner (return_to_runner).
  void emit_fixed_exit(int slot, uint64_t target, bool runner_may_be_asked = false);
  // ctx.pc holds the next pc: on through the successor cache, else back to the runner.
  void emit_dynamic_exit(bool runner_may_be_asked = false);
  // Back to the runner (status 0), this block being the one that ran last (ctx.cur_block).
  void emit_return_to_runner();
  // ctx.instructions = ctx.run_limit - kLeft, for a handler that may read the clock. Clobbers rax.
  void emit_sync_instructions();
  // Where op `index` goes when it faults (status in eax).
  Xbyak::Label& fault_exit(size_t index);
  void emit_cold_code();

  // Guest state operands.
  static Xbyak::Address ctx_q(size_t offset) { return Xbyak::util::qword[Xbyak::util::rbx + offset]; }
  static Xbyak::Address ctx_d(size_t offset) { return Xbyak::util::dword[Xbyak::util::rbx + offset]; }
  static Xbyak::Address ctx_b(size_t offset) { return Xbyak::util::byte[Xbyak::util::rbx + offset]; }
  static Xbyak::Address gpr(uint32_t n) { return ctx_q(offsetof(ThreadContext, gpr) + 8 * n); }
  static Xbyak::Address gpr32(uint32_t n) { return ctx_d(offsetof(ThreadContext, gpr) + 8 * n); }
  static Xbyak::Address cr(uint32_t field) { return ctx_b(offsetof(ThreadContext, cr) + field); }
  // GPR cache. Every write of a GPR goes to the context (which stays authoritative, so exits,
  // faults and handler calls need no flush) and to a host register holding a copy; reads use the
  // copy, loading it on first use. This takes the context's store-to-load latency off the
  // dependency chains between ops. Handler calls may clobber the caller-saved copies and write
  // any GPR, so the cache is dropped after them; a memory op's out-of-line path reloads the copies
  // live at its resume point.
  using CacheMap = std::array<int8_t, kCacheRegs>;  // guest GPR per host register, -1 free
  // A read of GPR n as an operand (64-bit or its low word): the cached copy, loaded if missing.
  const Xbyak::Operand& gpr_src(uint32_t n);
  const Xbyak::Operand& gpr_src32(uint32_t n);
  const Xbyak::Reg64& gpr_reg(uint32_t n);  // the same as a register (for addresses)
  // GPR n = v (a scratch register, not a cache register), in the context and the cache.
  void gpr_write(uint32_t n, const Xbyak::Reg64& v);
  int cache_slot(uint32_t n);  // the slot holding n, allocated (and loaded) if missing
  int claim_slot(uint32_t n, bool& hit);  // the slot holding n, or a claimed one (hit false)
  void cache_clear() { cache_.fill(-1); }
  void cache_reload(const CacheMap& map);  // reload the copies of `map` from the context
  CacheMap cache_{};
  std::array<uint32_t, kCacheRegs> cache_used_{};
  uint32_t cache_clock_ = 0;

  // mov reg, imm choosing the shortest exact encoding of a 64-bit constant.
  void mov_imm(const Xbyak::Reg64& r, uint64_t v);
  // cr[field] = (LT/GT/EQ from the flags of a compare just made) | XER[SO]; `is_signed` picks
  // the signed or unsigned reading of the flags. Clobbers ecx, edx.
  void set_cr_from_flags(uint32_t field, bool is_signed);
  // The CR field whose LT/GT/EQ the host flags still hold, set by the op at `index` (the last
  // thing that op emitted): a branch right after it tests the flags instead of the field.
  struct FlagsCr {
    size_t index = SIZE_MAX;
    uint32_t field = 0;
    bool is_signed = false;
  } flags_cr_;
  enum class CarryIn { Zero, One, Xer };
  bool ca_in_esi_ = false;  // esi's bit 0 is XER[CA] (as the context holds it)
  void emit_add_with_carry(CarryIn cin);
  // CR0 from the result in rax (mode-sized: 64-bit in SF=1, the low word in SF=0).
  void set_cr0_from_rax();

  const EmitEnv& env_;
  JitBlock& block_;
  size_t index_ = 0;  // the op being emitted
  Xbyak::Label start_;  // the block's start (a branch back to the block's own pc jumps here)
  Xbyak::Label entry_bail_;  // the start's way out when the block does not fit
  std::vector<Xbyak::Label> fault_labels_;
  std::vector<bool> fault_used_;
  // Out-of-line paths: the checked (handler) path of native memory ops.
  struct SlowPath {
    Xbyak::Label entry, resume;
    size_t index;
    CacheMap cache_at_resume;
  };
  std::vector<SlowPath*> slow_paths_;
  std::vector<std::unique_ptr<SlowPath>> slow_storage_;
  SlowPath& new_slow_path(size_t index);
};

}  // namespace hexad::cpu::jit
