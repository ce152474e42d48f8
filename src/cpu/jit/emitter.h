// Translation of one guest block to x86-64 (Xbyak). The block's code runs inside the enter
// stub's frame (see stubs.h): rbx holds the ThreadContext, r12 the host base of guest memory,
// r14 (kLeft) the instructions the run may still enter; everything else is scratch. Guest
// registers live in the context at fixed offsets; within a block, GPRs are also cached in host
// registers (write-through, see "GPR cache" below).
//
// Each op is emitted natively by one unit (emit_alu.cc, emit_branch.cc, emit_loadstore.cc,
// emit_vmx.cc) or, when no unit takes it, as a call of the interpreter's handler (emit_block.cc). Instruction
// counts follow the interpreter: the block's length is added on entry (by whoever enters it),
// and a fault takes back the instructions from the faulting one on (fault_exit). The count is
// kept in a register, as instructions left (ctx.run_limit - ctx.instructions): a block's start
// subtracts its length, and ctx.instructions is written from it before any handler call and by
// the exit stub, so a counter in memory never sits on the chain from block to block.
#pragma once
#include <cstddef>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>
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
inline constexpr int kCacheRegs = 8;
inline constexpr int kCalleeSavedCacheRegs = 3;  // the first three (r15, rbp, r13): calls keep them

// What a block's code refers to outside itself.
struct EmitEnv {
  const void* exit_stub;            // jump here with the status in eax
  uint64_t* fallback_counts;        // per isa::EntryId, incremented by each fallback run
  bool native_vmx = false;          // VMX ops natively (emit_vmx.cc; the host has SSE4.1)
};

// Whether the host can run emit_vmx.cc's code (SSSE3 and SSE4.1).
bool native_vmx_available();

// Guest GPRs pinned to host registers across the blocks of a loop unit (see BlockEmitter):
// pins[k] is the guest GPR held in cache register k, -1 for a register left to the per-block
// cache. At most kMaxPins, so that the per-block cache keeps registers of its own: two at least,
// for an op's two operands that are not pinned (a build pinning seven, leaving one, computed
// cpumix wrong).
inline constexpr int kMaxPins = 6;
static_assert(kMaxPins <= kCacheRegs - 2);
using PinMap = std::array<int8_t, kCacheRegs>;
inline constexpr PinMap kNoPins = {-1, -1, -1, -1, -1, -1, -1, -1};

// The registers the GPR cache and pins hold, by number: GPRs 0-31, and CTR as 33, since the context
// keeps it where a gpr[33] would be (after LR, at 32), so gpr(33) addresses it.
inline constexpr uint32_t kCtr = 33;
inline constexpr size_t kCachedRegs = 34;
static_assert(offsetof(ThreadContext, ctr) == offsetof(ThreadContext, gpr) + 8 * kCtr);

// How often an emission used each guest GPR (and CTR) natively (reads as operands or addresses,
// writes), and what else pinning needs to know of it.
struct GprUse {
  std::array<uint32_t, kCachedRegs> reads{}, writes{};
  // Read by some member before it writes it: a value that comes in from the block before (the
  // loop's carried values, when also written).
  std::array<bool, kCachedRegs> read_first{};
  uint32_t direct_calls = 0;  // FP/VMX steps called directly (they clobber caller-saved registers)
  uint32_t handler_calls = 0;  // ops run through the interpreter's handler (fallbacks)
  // Each native load and store: its base GPR and displacement (base -1 for an X form or RA=0),
  // size, and whether it is a plain lwz/stw (D form, no update).
  struct Access {
    int8_t base;
    int32_t disp;
    uint8_t size;
    bool store, plain_word;
  };
  std::vector<Access> accesses;
};

// A slot pin: a word of guest memory at a fixed displacement from a GPR the unit never writes
// (a local variable on the stack, which a loop stores in one block and loads in the next), held
// in a host register across the unit's blocks, so that the load takes it from there instead of
// waiting for the store to reach memory and come back. Stores still write memory (the register is
// a copy). The copy stays exact because nothing else in the unit can write that word: every store
// of the unit is by the same base register, and exactly that word or no byte of it, and the unit
// calls no handler but its memory ops' own (which do what the op does). A member's entry from
// outside loads the copy, when the word is aligned and directly readable (else the block runs
// through the interpreter, kExitInterpret).
// Written back: when every access of the unit is by that base register, at words that are a
// pinned word exactly or no byte of one, nothing in the unit can read memory where a pinned word
// is, so its stores only update the register, and memory is written when anything else could
// read it: wherever pinned registers are written back (a handler call, leaving the unit, every
// way to the runner; BlockEmitter::flush_pins). An entry from outside then also needs the words'
// pages to take a direct store (kPageStoreDirect), which nothing in the unit can change; the
// write checks for reservations to break as Memory::write does (jit_write_word).
struct MemSlot {
  uint8_t base = 0;
  int32_t disp = 0;
  bool write_back = false;  // the same for every slot of a unit
};
inline constexpr int kMaxSlots = 2;  // in the callee-saved cache registers (kept over calls)
inline constexpr int8_t kSlotPin = 64;  // pins[k] == kSlotPin + j: cache register k holds slot j
// The slots worth pinning for a unit whose emission used memory as `use` said (at most
// kMaxSlots; they take cache registers 0, 1, ...): words both stored and loaded, most loaded first;
// written back when the unit's accesses allow it.
std::vector<MemSlot> choose_slots(const GprUse& use);

// The GPRs worth pinning for a unit whose emission used them as `use` said: the most used, the
// values a loop carries (read before written in a member, and written: their reload from the
// context would sit on the loop's dependency chain) counting double; at most kMaxPins, and only in the callee-saved
// cache registers when the unit calls FP/VMX steps directly: those calls keep them, and nothing is
// written back or reloaded around the calls (a pin in a caller-saved register would be lost).
// `first`: the first cache register free for GPRs (those before it hold slots, choose_slots).
PinMap choose_pins(const GprUse& use, int first = 0);

// Per member of a unit whose exits are set (an emission done), a weight for its register uses:
// 8 to the power of how many of the unit's loops it is in (unit_plan.cc).
std::vector<uint32_t> nest_weights(const std::vector<JitBlock*>& unit);

// A branch whose condition (BO, BI) is one CR bit alone, with no CTR decrement, and not the SO
// bit: the host flags of the compare that set the field can decide it.
inline bool branch_tests_cr_only(uint32_t bo, uint32_t bi) { return (bo & 4) && !(bo & 16) && (bi & 3) != 3; }

// Where one member of a unit landed, as offsets from the start of the emission. Its code is in
// two pieces: the hot one from `start` to `end` (its ops and exits), the cold one from
// `cold_start` to `cold_end` (out-of-line paths), after every member's hot code, so that one
// member can run on into the next (a fall-through exit). `begin` is its entry from outside the
// unit (loads the pinned registers, checks the budget): the start of the first member, among its
// cold code for the others, which start with `inner`, their entry from the unit's own blocks
// (pinned registers live, the budget checked by the jump there).
struct MemberCode {
  size_t start = 0, end = 0, cold_start = 0, cold_end = 0, begin = 0, inner = 0;
};

class BlockEmitter : public Xbyak::CodeGenerator {
 public:
  // A translation unit: one block, or the blocks of a loop translated together so that a jump
  // from one to another keeps the pinned guest registers in host registers (README "The JIT").
  // A fixed exit to a member jumps to its inner entry (a link, patchable like any other).
  // `cr_kills`: per member, the CR fields it overwrites before anything can observe them (as an
  // earlier emission of the same unit found: cr_kills()), or empty when not known yet.
  BlockEmitter(uint8_t* buf, size_t size, const EmitEnv& env, const std::vector<JitBlock*>& unit, const PinMap& pins,
               const std::vector<uint8_t>& cr_kills = {}, const std::vector<MemSlot>& slots = {});
  // Emits every member in order; returns the number of ops emitted natively (the rest fell back).
  size_t emit_unit();
  const std::vector<MemberCode>& members() const { return member_code_; }
  // The host instructions that touch guest memory (write view), their out-of-line paths and
  // their ops' guest pcs, in code order: the fault sites of this emission (fault_sites.h).
  struct AccessSite {
    const uint8_t* access;
    const uint8_t* slow;
    uint32_t guest_pc;
  };
  std::vector<AccessSite> access_sites() const {
    std::vector<AccessSite> out;
    for (const PendingSite& p : access_sites_) out.push_back({p.access, p.slow->getAddress(), p.guest_pc});
    return out;
  }
  // The uses of the emission, those of member k counted weight[k] times (once each without
  // weights).
  GprUse gpr_use(const std::vector<uint32_t>& weight = {}) const;
  // Per member, a mask of the CR fields (bit f: field f) its code writes whole before it can leave
  // the member, fault, call a handler or read the CR: a jump from another member into it need not
  // write a deferred field of that mask (see "Deferred CR field" below).
  const std::vector<uint8_t>& cr_kills() const { return member_kills_; }

 private:
  // Member k: its budget check, its inner entry, its ops, exits and cold paths.
  size_t emit_block(size_t k);
  friend struct AluUnit;
  friend struct BranchUnit;
  friend struct LoadStoreUnit;

  // The units: each returns false, having emitted nothing, for an op it does not translate.
  bool emit_alu(const JitOp& op);
  bool emit_branch(const JitOp& op);  // a branch: emits the block's exits too
  bool emit_loadstore(const JitOp& op, size_t index);
  bool emit_vmx(const JitOp& op, size_t index);
  // emit_vmx's loads and stores, as the VMX op `as` with vector register vs and GPRs ra, rb.
  bool emit_vmx_memory(const JitOp& op, size_t index, isa::EntryId as, uint32_t vs, uint32_t ra, uint32_t rb);
  static Xbyak::Address vr(uint32_t n);  // VMX register n in the context

  // Whether op's handler can be called without the fault-catching trampoline, and that call.
  static bool handler_cannot_throw(const JitOp& op);
  void emit_direct_handler_call(const JitOp& op);
  // The op through the interpreter's handler; `counted` adds it to the fallback counters. The
  // handler may write any GPR: the pinned registers are reloaded after it unless `reload`
  // is false (the caller reloads them itself).
  void emit_handler_call(const JitOp& op, size_t index, bool counted, bool reload = true);
  // On to the block at `target` through exit slot `slot` (a fixed target: a patched jump once
  // linked), else ctx.pc = target and back to the runner. `runner_may_be_asked`: the last op
  // ran through its handler, which may have asked for the runner (return_to_runner). `last`: no
  // code of this member follows the exit's, so an exit to the next member runs on into its inner
  // entry (the link is a 5-byte nop there, patched to a jump when unlinked). The exit's cold paths
  // (unlinked, back to the runner) are emitted with the member's other cold code.
  void emit_fixed_exit(int slot, uint64_t target, bool runner_may_be_asked, bool last);
  // Whether the block at `target` is the member emitted right after this one (a fall-through exit
  // to it needs no jump).
  bool next_member_at(uint64_t target) const {
    return member_ + 1 < unit_.size() && unit_[member_ + 1]->pc == target;
  }
  // A fixed exit's cold paths, emitted by emit_cold_code with the state the exit saw.
  struct ColdExit {
    Xbyak::Label unlinked, asked, to_runner;
    int slot;
    uint64_t target;
    size_t member;  // the target's index, unit_.size() when not a member
    bool killed, runner_may_be_asked;
  };
  void emit_cold_exit(ColdExit& c);
  // ctx.pc holds the next pc: on through the successor cache, else back to the runner.
  void emit_dynamic_exit(bool runner_may_be_asked = false);
  // Back to the runner (status 0), this block being the one that ran last (ctx.cur_block).
  void emit_return_to_runner();
  // ctx.instructions = ctx.run_limit - kLeft, for a handler that may read the clock. Clobbers rax.
  void emit_sync_instructions();
  // Where op `index` goes when it faults (status in eax).
  Xbyak::Label& fault_exit(size_t index);
  struct MemberCold;
  void emit_cold_code(MemberCold& c);

  // Guest state operands.
  static Xbyak::Address ctx_q(size_t offset) { return Xbyak::util::qword[Xbyak::util::rbx + offset]; }
  static Xbyak::Address ctx_d(size_t offset) { return Xbyak::util::dword[Xbyak::util::rbx + offset]; }
  static Xbyak::Address ctx_b(size_t offset) { return Xbyak::util::byte[Xbyak::util::rbx + offset]; }
  static Xbyak::Address gpr(uint32_t n) { return ctx_q(offsetof(ThreadContext, gpr) + 8 * n); }
  static Xbyak::Address gpr32(uint32_t n) { return ctx_d(offsetof(ThreadContext, gpr) + 8 * n); }
  static Xbyak::Address cr(uint32_t field) { return ctx_b(offsetof(ThreadContext, cr) + field); }
  // GPR cache. Every write of a GPR that is not pinned goes to the context (which stays
  // authoritative for it, so exits, faults and handler calls need no flush) and to a host register
  // holding a copy; reads use the copy, loading it on first use. This takes the context's
  // store-to-load latency off the dependency chains between ops. Handler calls may clobber the caller-saved copies and write
  // any GPR, so the cache is dropped after them; a memory op's out-of-line path reloads the copies
  // live at its resume point.
  // Pinned registers (a loop unit's) are cache entries that are never evicted: loaded at a
  // member's outer entry and after each handler call, live at every inner entry.
  using CacheMap = std::array<int8_t, kCacheRegs>;  // guest GPR per host register, -1 free
  // Pinned GPRs are not written through: their host register is the value, written back to the
  // context (flush_pins) wherever something else reads it: before a handler call, on leaving the
  // unit (any exit but a jump to a member's inner entry) and on the ways out to the runner.
  bool pinned(uint32_t n) const;
  void flush_pins();
  void reload_pins();
  // Slot pins (MemSlot): slot j is in cache register j (pins_[j] == kSlotPin + j).
  const std::vector<MemSlot> slots_;
  int slot_of(uint32_t base, int32_t disp) const;  // the slot of that word, -1 when none
  static Xbyak::Reg32 slot_reg32(int j);  // the register holding slot j
  int pinned_slot(const JitOp& op) const;  // the slot op's word is pinned in, -1 when none
  // A load of a pinned word, or a store of one written back: a register copy, which cannot fault
  // or see the CR (as an ALU op).
  bool is_register_slot_op(const JitOp& op) const;
  bool slots_written_back() const { return !slots_.empty() && slots_[0].write_back; }
  // Stores the written-back words to memory (a subroutine of the unit, called by flush_pins).
  // Clobbers rax, rcx and the flags.
  Xbyak::Label store_slots_;
  void emit_store_slots();
  void load_slots(Xbyak::Label& cannot);  // at an outer entry; to `cannot` when a word is not readable
  // A read of GPR n as an operand (64-bit or its low word): the cached copy, loaded if missing.
  const Xbyak::Operand& gpr_src(uint32_t n);
  const Xbyak::Operand& gpr_src32(uint32_t n);
  const Xbyak::Reg64& gpr_reg(uint32_t n);  // the same as a register (for addresses)
  // GPR n = v (a scratch register, not a cache register), in the context and the cache.
  void gpr_write(uint32_t n, const Xbyak::Reg64& v);
  // Where an op computes GPR dst's new value: the cache register holding dst, else a free one,
  // else the least recently used one not holding a GPR of `later`, so that no copy follows; rax
  // when there is none, or when dst is among `later`, the GPRs the op still reads after it first
  // writes the result (their register would be dst's). Call it once the op's operands are fetched
  // (gpr_src) and before it uses scratch registers: a cache register it returns already stands for
  // dst (begin_gpr_write done). finish_gpr completes the write (the context, when not pinned; or
  // gpr_write from rax).
  Xbyak::Reg64 result_reg(uint32_t dst, std::initializer_list<uint32_t> later = {});
  void finish_gpr(uint32_t dst, const Xbyak::Reg64& r);
  void begin_gpr_write(uint32_t n);  // what any write of GPR n settles first
  int cache_slot(uint32_t n);  // the slot holding n, allocated (and loaded) if missing
  int claim_slot(uint32_t n, bool& hit);  // the slot holding n, or a claimed one (hit false)
  uint64_t eviction_rank(int k) const;  // the copy in cache register k: the lowest goes first
  uint32_t op_clock_ = 0;  // cache_clock_ when the op being emitted began
  void cache_clear() { cache_ = pins_; }  // what stays cached over a handler call (reloaded)
  void cache_reload(const CacheMap& map);  // reload the copies of `map` from the context
  CacheMap cache_{};
  const PinMap pins_;
  GprUse use_;  // reads and writes: per member in member_reads_, member_writes_
  std::vector<std::array<uint32_t, kCachedRegs>> member_reads_, member_writes_;
  std::array<bool, kCachedRegs> read_first_{};
  std::array<uint32_t, kCacheRegs> cache_used_{};
  uint32_t cache_clock_ = 0;

  // mov reg, imm choosing the shortest exact encoding of a 64-bit constant.
  void mov_imm(const Xbyak::Reg64& r, uint64_t v);
  // How to get a CR field's LT/GT/EQ into the host flags again from guest registers, while the
  // field and those registers are as the op that set it left them: a compare of GPR a with GPR b
  // or with imm (a record form: its result with 0), of words or doublewords, signed or not. A
  // conditional branch later in the block compares again instead of reading the field from the
  // context (which puts a store-to-load on the branch's way).
  struct CrRecipe {
    bool valid = false;
    uint8_t a = 0, b = 0;
    bool with_reg = false, dword = false, is_signed = false;
    int32_t imm = 0;
  };
  // cr[field] = (LT/GT/EQ of the compare `recipe` describes) | XER[SO]: compared and stored, or
  // deferred (nothing emitted) when the block's branch tests the field (defer_cr). Clobbers rcx.
  void set_cr(uint32_t field, const CrRecipe& recipe);
  // The store itself, from the flags of that compare; `is_signed` picks the signed or unsigned
  // reading of the flags. Clobbers ecx.
  void store_cr_from_flags(uint32_t field, bool is_signed);
  // cr[field] = jit_cr_values[k]: EQ (0), GT (1) or LT (2), with XER[SO]. Clobbers ecx.
  void store_cr_value(uint32_t field, int k);
  static Xbyak::Address cr_value(int k);
  // For the exit being emitted: the deferred field's value when the branch decided it (the exit
  // is on the side where its tested bit is set), an index for store_cr_value; else -1.
  int exit_cr_value_ = -1;
  // Deferred CR field. A compare (or record form) of the field the block's conditional branch
  // tests emits nothing and leaves it unwritten. It is written from its recipe before anything
  // else could see it: before an op that is not a native ALU op (a load, a store, a handler), and
  // before a write of one of the recipe's GPRs. Else the branch makes the recipe's compare and
  // decides from its flags, and each exit writes the field from them, unless the exit is a jump to a
  // member of the unit that overwrites the field first (cr_kills). Such a jump's cold paths (the
  // budget bail, unlinked, left the unit) write it from the recipe.
  // Exactness needs every jump into a member to check the budget before it (not the member's
  // start, which would leave the field unwritten on its bail): a member's inner entry is past its
  // budget check, and a jump to it counts it first.
  struct DeferredCr {
    bool active = false;
    uint32_t field = 0;
    CrRecipe recipe;
  } deferred_cr_;
  bool defer_cr(uint32_t field) const;  // whether the op being emitted may defer `field`
  void store_deferred_cr();  // writes it (from the recipe), still deferred for the other paths
  void settle_deferred_cr();  // writes it, if any, for good
  const std::vector<uint8_t> kills_in_;
  std::vector<uint8_t> member_kills_;
  // A member's kills are the CR fields its leading native ALU ops write: those ops never leave,
  // fault, call out or read the CR (emit_alu.cc), so nothing can observe a field before them.
  bool kill_scan_open_ = false;
  void end_kill_scan() { kill_scan_open_ = false; }
  enum class CarryIn { Zero, Xer };  // (subfc and subfic compare instead: emit_alu.cc)
  bool ca_in_esi_ = false;  // esi's bit 0 is XER[CA]
  // ... and the context's XER[CA] is older (its store deferred, so that a run of carrying ops
  // writes it once): written by settle_ca before anything else can see it, as a deferred CR field
  // is (before a non-ALU op, and before the block's end).
  bool ca_dirty_ = false;
  void settle_ca();
  void emit_add_with_carry(CarryIn cin, const Xbyak::Reg64& r, const Xbyak::Reg64* b, int32_t imm);
  // CR0 from GPR dst's new value (mode-sized: 64-bit in SF=1, the low word in SF=0).
  void set_cr0_of(uint32_t dst);
  std::array<CrRecipe, 8> cr_recipe_{};
  void forget_cr_recipes_of(uint32_t gpr);  // GPR `gpr` changes
  void forget_cr_recipes() { cr_recipe_.fill(CrRecipe{}); }
  // The recipe's compare (host flags as the field's op left them), from the operands' cache
  // registers, loaded there first when `through_cache`, else from the context. Clobbers rcx.
  void emit_cr_recipe(const CrRecipe& r, bool through_cache = false);

  const EmitEnv& env_;
  const std::vector<JitBlock*>& unit_;
  std::vector<Xbyak::Label> inner_;  // per member: its inner entry (a fixed exit to it jumps here)
  std::vector<MemberCode> member_code_;
  JitBlock* block_ = nullptr;  // the member being emitted
  size_t member_ = 0;  // its index in unit_
  size_t index_ = 0;  // the op being emitted
  // Out-of-line paths: the checked (handler) path of native memory ops.
  struct SlowPath {
    Xbyak::Label entry, resume;
    size_t index;
    CacheMap cache_at_resume;
    // A store's path with a CR field deferred over the store: the field and the cache map there.
    DeferredCr deferred;
    CacheMap cache_at_entry;
  };
  // Whether op is a store emit_loadstore emits natively with no GPR write (no update form): a
  // deferred CR field stays deferred over it.
  static bool native_store_keeps_deferred_cr(const JitOp& op);
  // A member's cold code, emitted after every member's hot code (so that one member's code runs
  // on into the next one's): what it needs of the member's emission.
  struct MemberCold {
    JitBlock* block;
    size_t member;
    bool outer_inline;  // the outer entry is at the member's start (else among its cold code)
    Xbyak::Label entry_bail;  // the outer entry's way out when the block does not fit
    Xbyak::Label interpret;  // ... when its slot pins cannot be loaded (load_slots)
    Xbyak::Label outer_entry;  // the member's entry from outside the unit
    std::vector<Xbyak::Label> fault_labels;
    std::vector<bool> fault_used;
    std::vector<SlowPath*> slow_paths;
    std::vector<std::unique_ptr<ColdExit>> exits;
    CacheMap cache_at_end;  // the cache map and deferred CR field the exits saw
    DeferredCr deferred_at_end;
  };
  std::vector<std::unique_ptr<MemberCold>> cold_;
  MemberCold& cold() { return *cold_[member_]; }  // the member being emitted
  void emit_outer_entry();
  struct PendingSite {
    const uint8_t* access;
    const Xbyak::Label* slow;
    uint32_t guest_pc;
  };
  std::vector<PendingSite> access_sites_;
  std::vector<std::unique_ptr<SlowPath>> slow_storage_;
  SlowPath& new_slow_path(size_t index);
  // Where the hot path goes on and the out-of-line path comes back: the cache map here is what
  // the out-of-line path reloads (its handler wrote the context).
  void bind_resume(SlowPath& s);
};

}  // namespace hexad::cpu::jit
