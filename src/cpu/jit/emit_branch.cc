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
  // Decides the branch: jumps to `to` when it is taken (`when_taken`) or when it is not, else
  // runs on. CTR is decremented first when BO says so; `use_ctr` is false for bcctr, which never
  // decrements CTR.
  auto test_condition = [&](Xbyak::Label& to, bool use_ctr, bool when_taken = false) {
    // When the field's compare can be made again from unchanged registers (always, for a field
    // deferred to this branch), that compare. SO is not in the flags.
    const bool cr_only = branch_tests_cr_only(bo, bi);
    const CrRecipe& recipe = cr_recipe_[bi >> 2];
    if (cr_only && recipe.valid) {
      emit_cr_recipe(recipe);
      // Jump when the bit is clear, or (`set`) when it is set.
      const bool set = bool(bo & 8) == when_taken;
      const bool s = recipe.is_signed;
      switch (bi & 3) {
        case 0: if (set) { if (s) jl(to, T_NEAR); else jb(to, T_NEAR); }
                else { if (s) jge(to, T_NEAR); else jae(to, T_NEAR); } break;
        case 1: if (set) { if (s) jg(to, T_NEAR); else ja(to, T_NEAR); }
                else { if (s) jle(to, T_NEAR); else jbe(to, T_NEAR); } break;
        default: if (set) je(to, T_NEAR); else jne(to, T_NEAR); break;
      }
      return;
    }
    // Taken when the tests BO asks for pass (CTR, the CR bit): jumping when not taken, on either
    // failing; when taken, on the CR test passing, the CTR test failing skipping past it.
    const bool ctr_tested = use_ctr && !(bo & 4), cr_tested = !(bo & 16);
    Xbyak::Label ctr_failed;
    if (ctr_tested) {
      // CTR through the GPR cache (kCtr; pinned in a loop unit that counts with it).
      const Xbyak::Reg64& c = gpr_reg(kCtr);
      begin_gpr_write(kCtr);
      sub(c, 1);
      if (!pinned(kCtr)) mov(ctx_q(offsetof(ThreadContext, ctr)), c);
      if (!sf) test(c.cvt32(), c.cvt32());  // else the flags of the 64-bit sub
      const bool passes_on_zero = bo & 2;  // else on CTR != 0
      if (when_taken && !cr_tested) {
        if (passes_on_zero) jz(to, T_NEAR); else jnz(to, T_NEAR);
      } else {
        Xbyak::Label& on_fail = when_taken ? ctr_failed : to;
        if (passes_on_zero) jnz(on_fail, T_NEAR); else jz(on_fail, T_NEAR);
      }
    }
    if (cr_tested) {
      test(cr(bi >> 2), 1u << (3 - (bi & 3)));
      const bool passes_on_set = bo & 8;  // else on the bit clear
      if (passes_on_set == when_taken) jnz(to, T_NEAR); else jz(to, T_NEAR);
    } else if (when_taken && !ctr_tested) {
      jmp(to, T_NEAR);  // branch always
    }
    if (ctr_tested && cr_tested && when_taken) L(ctr_failed);
  };
  switch (op.id) {
    case id_of("b"): {
      if (i.lk()) set_lr_to_next();
      block_->fixed_exits = true;
      emit_fixed_exit(0, mode_addr((i.aa() ? 0 : cia) + uint64_t(i.li())), false, true);
      return true;
    }
    case id_of("bc"):
    case id_of("bc(if-true)"):
    case id_of("bc(if-false)"):
    case id_of("bdnz"): {
      // The specialised rows are bc with particular BO values: the same semantics.
      if (i.lk()) set_lr_to_next();
      const uint64_t taken = mode_addr((i.aa() ? 0 : cia) + uint64_t(i.bd())), fall = mode_addr(cia + 4);
      block_->fixed_exits = true;
      // The exit to the next member of the unit, if either goes there, comes last: it runs on
      // into that member's code.
      // A field deferred to this branch is decided on the side where its tested bit is set: EQ, GT
      // or LT alone (with SO), so that exit writes it as a constant (exit_cr_value_).
      const bool decides_field = deferred_cr_.active && branch_tests_cr_only(bo, bi) && deferred_cr_.field == bi >> 2;
      const auto exit = [&](int slot, uint64_t target, bool taken, bool last) {
        const int kBitValue[3] = {2, 1, 0};  // LT, GT, EQ: their index in jit_cr_values
        exit_cr_value_ = decides_field && bool(bo & 8) == taken ? kBitValue[bi & 3] : -1;
        emit_fixed_exit(slot, target, false, last);
        exit_cr_value_ = -1;
      };
      Xbyak::Label second;
      if (next_member_at(taken) && !next_member_at(fall)) {
        test_condition(second, true, true);
        exit(1, fall, false, false);
        L(second);
        exit(0, taken, true, true);
      } else {
        test_condition(second, true);
        exit(0, taken, true, false);
        L(second);
        exit(1, fall, false, true);
      }
      return true;
    }
    case id_of("bclr"):
    case id_of("bcctr"): {
      const bool is_lr = op.id == id_of("bclr");
      // bclr's target is LR as it was before a link form overwrites it.
      if (is_lr) mov(rsi, ctx_q(offsetof(ThreadContext, lr))); else mov(rsi, gpr_reg(kCtr));
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
