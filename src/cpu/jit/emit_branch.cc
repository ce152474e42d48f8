// Native branches, which end their block: b, bc (and its specialised rows), bclr, bcctr, sc, with
// the interpreter's CTR/CR/LR rules and the mode's address truncation (SF=0: 32 bits). Direct
// targets leave through fixed exits (chained to the target block); bclr/bcctr through the
// successor cache.
#include "cpu/jit/emitter.h"

namespace hexad::cpu::jit {

using namespace Xbyak::util;
using isa::id_of;

bool BlockEmitter::emit_branch(const JitOp& op) {
  const Instr i = op.instr;
  const uint64_t cia = op.pc;
  const bool sf = block_->sf;
  auto mode_addr = [&](uint64_t a) { return sf ? a : (a & 0xFFFFFFFFull); };
  auto set_lr_to_next = [&]() {
    mov_imm(rax, mode_addr(cia + 4));
    mov(ctx_q(offsetof(ThreadContext, lr)), rax);
  };
  const uint32_t bo = i.bo(), bi = i.bi();
  // Jumps to `not_taken` unless CTR (decremented first, when BO says so) and the CR bit allow
  // the branch; `use_ctr` is false for bcctr, which never decrements CTR.
  auto test_condition = [&](Xbyak::Label& not_taken, bool use_ctr) {
    // When the field's compare can be made again from unchanged registers (always, for a field
    // deferred to this branch), that compare. SO is not in the flags.
    const bool cr_only = branch_tests_cr_only(bo, bi);
    const CrRecipe& recipe = cr_recipe_[bi >> 2];
    if (cr_only && recipe.valid) {
      emit_cr_recipe(recipe);
      const bool want = bo & 8;  // branch if the bit is set, else if clear
      const bool s = recipe.is_signed;
      switch (bi & 3) {
        case 0: if (want) { if (s) jge(not_taken, T_NEAR); else jae(not_taken, T_NEAR); }
                else { if (s) jl(not_taken, T_NEAR); else jb(not_taken, T_NEAR); } break;
        case 1: if (want) { if (s) jle(not_taken, T_NEAR); else jbe(not_taken, T_NEAR); }
                else { if (s) jg(not_taken, T_NEAR); else ja(not_taken, T_NEAR); } break;
        default: if (want) jne(not_taken, T_NEAR); else je(not_taken, T_NEAR); break;
      }
      return;
    }
    if (use_ctr && !(bo & 4)) {
      sub(ctx_q(offsetof(ThreadContext, ctr)), 1);
      if (sf) cmp(ctx_q(offsetof(ThreadContext, ctr)), 0); else cmp(ctx_d(offsetof(ThreadContext, ctr)), 0);
      if (bo & 2) jnz(not_taken, T_NEAR); else jz(not_taken, T_NEAR);
    }
    if (!(bo & 16)) {
      test(cr(bi >> 2), 1u << (3 - (bi & 3)));
      if (bo & 8) jz(not_taken, T_NEAR); else jnz(not_taken, T_NEAR);
    }
  };
  switch (op.id) {
    case id_of("b"): {
      if (i.lk()) set_lr_to_next();
      block_->fixed_exits = true;
      emit_fixed_exit(0, mode_addr((i.aa() ? 0 : cia) + uint64_t(i.li())));
      return true;
    }
    case id_of("bc"):
    case id_of("bc(if-true)"):
    case id_of("bc(if-false)"):
    case id_of("bdnz"): {
      // The specialised rows are bc with particular BO values: the same semantics.
      if (i.lk()) set_lr_to_next();
      Xbyak::Label not_taken;
      test_condition(not_taken, true);
      block_->fixed_exits = true;
      emit_fixed_exit(0, mode_addr((i.aa() ? 0 : cia) + uint64_t(i.bd())));
      L(not_taken);
      emit_fixed_exit(1, mode_addr(cia + 4));
      return true;
    }
    case id_of("bclr"):
    case id_of("bcctr"): {
      const bool is_lr = op.id == id_of("bclr");
      // bclr's target is LR as it was before a link form overwrites it.
      mov(rsi, ctx_q(is_lr ? offsetof(ThreadContext, lr) : offsetof(ThreadContext, ctr)));
      and_(rsi, -4);
      if (!sf) mov(esi, esi);
      if (i.lk()) set_lr_to_next();
      Xbyak::Label not_taken;
      test_condition(not_taken, is_lr);
      mov(ctx_q(offsetof(ThreadContext, pc)), rsi);
      emit_dynamic_exit();
      L(not_taken);
      mov_imm(rax, mode_addr(cia + 4));
      mov(ctx_q(offsetof(ThreadContext, pc)), rax);
      emit_dynamic_exit();
      return true;
    }
    case id_of("sc"):
      // As the handler: pc past it, the Syscall stop, and back to the runner (no chaining).
      flush_pins();
      mov_imm(rax, mode_addr(cia + 4));
      mov(ctx_q(offsetof(ThreadContext, pc)), rax);
      mov(ctx_b(offsetof(ThreadContext, stop)), uint8_t(StopReason::Syscall));
      emit_return_to_runner();
      return true;
    default:
      return false;
  }
}

}  // namespace hexad::cpu::jit
