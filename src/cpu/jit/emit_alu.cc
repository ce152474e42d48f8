// Native integer ops: add/subtract without OE, logical ops, sign extension, rotates with
// masks, shifts, compares, multiplies, LR/CTR moves. Each matches its interpreter handler bit
// for bit in both modes (checked op by op on random states by tests/unit/jit_native_test.cc);
// forms not handled here (OE=1, other SPRs) fall back to the handler. None leaves the block,
// faults, calls out or reads the CR: a unit member's leading ALU ops are where the CR fields it
// overwrites first are found (emitter.h, "Deferred CR field").
#include "cpu/jit/emitter.h"

namespace hexad::cpu::jit {

using namespace Xbyak::util;
using isa::id_of;

namespace {
enum : uint32_t { kSprLr = 8, kSprCtr = 9 };
}  // namespace

bool BlockEmitter::emit_alu(const JitOp& op) {
  const Instr i = op.instr;
  const uint32_t rt = i.rt(), ra = i.ra(), rb = i.rb();
  // The result in rax goes to `dst`, and to CR0 when `record`.
  auto finish = [&](uint32_t dst, bool record) {
    gpr_write(dst, rax);
    if (record) set_cr0_from_rax(dst);
  };
  auto load_ra0 = [&]() {
    if (ra) mov(rax, gpr_src(ra)); else xor_(eax, eax);
  };
  switch (op.id) {
    // ---- add / subtract ----
    case id_of("addi(li)"):
    case id_of("addi"):
      load_ra0();
      if (i.simm()) add(rax, int32_t(i.simm()));
      finish(rt, false);
      return true;
    case id_of("addis(lis)"):
    case id_of("addis"):
      load_ra0();
      if (i.simm()) add(rax, int32_t(i.simm() * 65536));
      finish(rt, false);
      return true;
    case id_of("add"):
      if (i.oe()) return false;
      mov(rax, gpr_src(ra));
      add(rax, gpr_src(rb));
      finish(rt, i.rc());
      return true;
    case id_of("subf"):
      if (i.oe()) return false;
      mov(rax, gpr_src(rb));
      sub(rax, gpr_src(ra));
      finish(rt, i.rc());
      return true;
    case id_of("neg"):
      if (i.oe()) return false;
      mov(rax, gpr_src(ra));
      neg(rax);
      finish(rt, i.rc());
      return true;
    case id_of("mulli"):
      imul(rax, gpr_src(ra), int32_t(i.simm()));
      finish(rt, false);
      return true;
    case id_of("mullw"):
      if (i.oe()) return false;
      movsxd(rax, gpr_src32(ra));
      movsxd(rcx, gpr_src32(rb));
      imul(rax, rcx);
      finish(rt, i.rc());
      return true;

    case id_of("mulhwu"):
      mov(eax, gpr_src32(ra));
      mov(ecx, gpr_src32(rb));
      imul(rax, rcx);  // the exact 64-bit product of the zero-extended words
      shr(rax, 32);
      finish(rt, i.rc());
      return true;
    case id_of("mulhw"):
      movsxd(rax, gpr_src32(ra));
      movsxd(rcx, gpr_src32(rb));
      imul(rax, rcx);
      sar(rax, 32);  // the high word, sign-extended
      finish(rt, i.rc());
      return true;

    // ---- add / subtract with carry (XER[CA]), OE=0 ----
    case id_of("addic"):
    case id_of("addic."):
    case id_of("subfic"): {
      const bool sub = op.id == id_of("subfic");
      mov(rax, gpr_src(ra));
      if (sub) not_(rax);
      mov(rcx, int32_t(i.simm()));
      emit_add_with_carry(sub ? CarryIn::One : CarryIn::Zero);
      finish(rt, op.id == id_of("addic."));
      return true;
    }
    case id_of("addc"):
    case id_of("adde"):
    case id_of("subfc"):
    case id_of("subfe"):
    case id_of("addze"):
    case id_of("addme"):
    case id_of("subfze"):
    case id_of("subfme"): {
      if (i.oe()) return false;
      const isa::EntryId id = op.id;
      const bool sub = id == id_of("subfc") || id == id_of("subfe") || id == id_of("subfze") || id == id_of("subfme");
      mov(rax, gpr_src(ra));
      if (sub) not_(rax);
      if (id == id_of("addc") || id == id_of("adde") || id == id_of("subfc") || id == id_of("subfe")) mov(rcx, gpr_src(rb));
      else if (id == id_of("addze") || id == id_of("subfze")) xor_(ecx, ecx);
      else mov(rcx, -1);
      emit_add_with_carry(id == id_of("addc") ? CarryIn::Zero : id == id_of("subfc") ? CarryIn::One : CarryIn::Xer);
      finish(rt, i.rc());
      return true;
    }

    // ---- logical, immediate (RA = RS op imm) ----
    case id_of("andi."):
    case id_of("andis."): {
      const uint32_t imm = uint32_t(i.uimm()) << (op.id == id_of("andis.") ? 16 : 0);
      mov(eax, gpr_src32(rt));
      and_(eax, imm);  // zero-extends: the high word of the result is 0
      finish(ra, true);
      return true;
    }
    case id_of("ori"):
    case id_of("oris"):
    case id_of("xori"):
    case id_of("xoris"): {
      const bool shifted = op.id == id_of("oris") || op.id == id_of("xoris");
      const bool is_or = op.id == id_of("ori") || op.id == id_of("oris");
      const uint32_t imm = uint32_t(i.uimm()) << (shifted ? 16 : 0);
      mov(rax, gpr_src(rt));
      mov(ecx, imm);  // zero-extended 64-bit operand
      if (is_or) or_(rax, rcx); else xor_(rax, rcx);
      finish(ra, false);
      return true;
    }

    // ---- logical, register (RA = RS op RB) ----
    case id_of("and"): mov(rax, gpr_src(rt)); and_(rax, gpr_src(rb)); finish(ra, i.rc()); return true;
    case id_of("or"): mov(rax, gpr_src(rt)); if (rb != rt) or_(rax, gpr_src(rb)); finish(ra, i.rc()); return true;
    case id_of("xor"): mov(rax, gpr_src(rt)); xor_(rax, gpr_src(rb)); finish(ra, i.rc()); return true;
    case id_of("andc"): mov(rax, gpr_src(rb)); not_(rax); and_(rax, gpr_src(rt)); finish(ra, i.rc()); return true;
    case id_of("orc"): mov(rax, gpr_src(rb)); not_(rax); or_(rax, gpr_src(rt)); finish(ra, i.rc()); return true;
    case id_of("nand"): mov(rax, gpr_src(rt)); and_(rax, gpr_src(rb)); not_(rax); finish(ra, i.rc()); return true;
    case id_of("nor"): mov(rax, gpr_src(rt)); or_(rax, gpr_src(rb)); not_(rax); finish(ra, i.rc()); return true;
    case id_of("eqv"): mov(rax, gpr_src(rt)); xor_(rax, gpr_src(rb)); not_(rax); finish(ra, i.rc()); return true;
    case id_of("extsb"): movsx(rax, gpr_reg(rt).cvt8()); finish(ra, i.rc()); return true;
    case id_of("extsh"): movsx(rax, gpr_reg(rt).cvt16()); finish(ra, i.rc()); return true;
    case id_of("extsw"): movsxd(rax, gpr_src32(rt)); finish(ra, i.rc()); return true;
    case id_of("cntlzw"):
      // 31 - bsr, and 32 for 0 (like std::countl_zero); bsr rather than lzcnt, which not every
      // x86-64 host has.
      mov(ecx, gpr_src32(rt));
      bsr(eax, ecx);
      mov(edx, -1);
      cmovz(eax, edx);
      neg(eax);
      add(eax, 31);
      finish(ra, i.rc());
      return true;

    // ---- rotates and shifts ----
    case id_of("rlwinm"):
    case id_of("rlwimi"): {
      // ROTL32 replicates the low word into both halves; the mask (aux) picks from the pair.
      const uint64_t mask = i.aux;
      const uint32_t sh = i.sh();
      mov(eax, gpr_src32(rt));
      if (!(mask >> 32) && sh && mask == (0xFFFFFFFFull >> (32 - sh))) {
        shr(eax, uint8_t(32 - sh));  // srwi: the rotate's low bits are the word shifted right
      } else if (!(mask >> 32) && sh && mask == ((0xFFFFFFFFull << sh) & 0xFFFFFFFFull)) {
        shl(eax, uint8_t(sh));  // slwi
      } else {
        if (sh) rol(eax, uint8_t(sh));
        if (mask >> 32) {
          mov(ecx, eax);
          shl(rcx, 32);
          or_(rax, rcx);
          mov_imm(rcx, mask);
          and_(rax, rcx);
        } else if (mask != 0xFFFFFFFFull) {
          and_(eax, uint32_t(mask));  // zero-extends: the high word is 0, as the mask's
        }
      }
      if (op.id == id_of("rlwimi")) {
        mov_imm(rdx, ~mask);
        and_(rdx, gpr_src(ra));
        or_(rax, rdx);
      }
      finish(ra, i.rc());
      return true;
    }
    case id_of("slw"):
    case id_of("srw"):
      mov(eax, gpr_src32(rt));
      mov(ecx, gpr_src32(rb));
      and_(ecx, 63);
      if (op.id == id_of("slw")) shl(eax, cl); else shr(eax, cl);
      xor_(edx, edx);
      cmp(ecx, 32);
      cmovae(eax, edx);  // 32..63 shift everything out
      finish(ra, i.rc());
      return true;
    case id_of("srawi"): {
      // CA = negative source with a 1 bit shifted out.
      const uint32_t n = i.sh();
      mov(eax, gpr_src32(rt));
      ca_in_esi_ = false;
      if (n == 0) {
        mov(ctx_b(offsetof(ThreadContext, xer_ca)), 0);
      } else {
        test(eax, (1u << n) - 1);
        setnz(dl);
        test(eax, eax);
        sets(cl);
        and_(dl, cl);
        mov(ctx_b(offsetof(ThreadContext, xer_ca)), dl);
        sar(eax, uint8_t(n));
      }
      movsxd(rax, eax);
      finish(ra, i.rc());
      return true;
    }

    // ---- compares: L=1 compares doublewords, L=0 words (whatever the mode) ----
    case id_of("cmpi"):
    case id_of("cmpli"): {
      const bool is_signed = op.id == id_of("cmpi");
      const int32_t imm = is_signed ? int32_t(i.simm()) : int32_t(i.uimm());
      if (i.l_cmp()) cmp(gpr_src(ra), imm); else cmp(gpr_src32(ra), imm);
      set_cr_from_flags(i.crfd(), is_signed, CrRecipe{true, uint8_t(ra), 0, false, bool(i.l_cmp()), is_signed, imm});
      return true;
    }
    case id_of("cmp"):
    case id_of("cmpl"):
      if (i.l_cmp()) {
        mov(rax, gpr_src(ra));
        cmp(rax, gpr_src(rb));
      } else {
        mov(eax, gpr_src32(ra));
        cmp(eax, gpr_src32(rb));
      }
      set_cr_from_flags(i.crfd(), op.id == id_of("cmp"),
                        CrRecipe{true, uint8_t(ra), uint8_t(rb), true, bool(i.l_cmp()), op.id == id_of("cmp"), 0});
      return true;

    // ---- LR / CTR moves (every other SPR falls back) ----
    case id_of("mfspr"):
      if (i.spr() != kSprLr && i.spr() != kSprCtr) return false;
      mov(rax, ctx_q(i.spr() == kSprLr ? offsetof(ThreadContext, lr) : offsetof(ThreadContext, ctr)));
      finish(rt, false);
      return true;
    case id_of("mtspr"):
      if (i.spr() != kSprLr && i.spr() != kSprCtr) return false;
      mov(rax, gpr_src(rt));
      mov(ctx_q(i.spr() == kSprLr ? offsetof(ThreadContext, lr) : offsetof(ThreadContext, ctr)), rax);
      return true;
    default:
      return false;
  }
}

// rax = rax + rcx + carry-in, and XER[CA] = the mode's carry out (of bit 0 in SF=1, of the low
// word in SF=0), as interp::add_with_carry. Clobbers edx, edi; leaves CA in esi (ca_in_esi_).
void BlockEmitter::emit_add_with_carry(CarryIn cin) {
  if (cin == CarryIn::Xer) {
    // The carry an op of this block just made is still in esi: no trip through the context.
    if (ca_in_esi_) mov(edi, esi); else movzx(edi, ctx_b(offsetof(ThreadContext, xer_ca)));
  }
  auto set_cf = [&] {
    if (cin == CarryIn::Xer) bt(edi, 0);
    else if (cin == CarryIn::One) stc();
    else clc();
  };
  if (block_->sf) {
    set_cf();
    adc(rax, rcx);
    setc(sil);
  } else {
    mov(edx, eax);
    set_cf();
    adc(edx, ecx);
    setc(sil);
    set_cf();
    adc(rax, rcx);
  }
  mov(ctx_b(offsetof(ThreadContext, xer_ca)), sil);
  ca_in_esi_ = true;
}

}  // namespace hexad::cpu::jit
