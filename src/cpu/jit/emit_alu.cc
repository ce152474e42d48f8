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
  // The result in r (rax, or result_reg's register) goes to `dst`, and to CR0 when `record`.
  auto finish = [&](uint32_t dst, bool record, const Xbyak::Reg64& r = Xbyak::util::rax) {
    finish_gpr(dst, r);
    if (record) set_cr0_of(dst);
  };
  // r = a, unless it is already there.
  auto copy = [&](const Xbyak::Reg64& r, const Xbyak::Reg& a) {
    if (r.getIdx() != a.getIdx()) mov(a.getBit() == 32 ? Xbyak::Reg(r.cvt32()) : Xbyak::Reg(r), a);
  };
  switch (op.id) {
    // ---- add / subtract ----
    case id_of("addi(li)"):
    case id_of("addi"):
    case id_of("addis(lis)"):
    case id_of("addis"): {
      const bool shifted = op.id == id_of("addis") || op.id == id_of("addis(lis)");
      const int32_t imm = shifted ? int32_t(uint32_t(i.simm()) << 16) : int32_t(i.simm());
      if (!ra) {
        const Xbyak::Reg64 r = result_reg(rt);
        mov_imm(r, uint64_t(int64_t(imm)));
        finish(rt, false, r);
        return true;
      }
      const Xbyak::Reg64& a = gpr_reg(ra);
      const Xbyak::Reg64 r = result_reg(rt);
      if (r.getIdx() == a.getIdx()) { if (imm) add(r, imm); }
      else if (imm) lea(r, ptr[a + imm]);
      else mov(r, a);
      finish(rt, false, r);
      return true;
    }
    case id_of("add"):
    case id_of("subf"): {
      // add: RT = RA + RB; subf: RT = RB - RA.
      if (i.oe()) return false;
      const bool minus = op.id == id_of("subf");
      // add into its second operand (add rD,rA,rD): the sum computed in that register.
      const bool swap = !minus && rt == rb && rt != ra;
      const uint32_t first = minus || swap ? rb : ra, second = minus || swap ? ra : rb;
      const Xbyak::Reg64& x = gpr_reg(first);
      const Xbyak::Reg64& y = gpr_reg(second);
      const Xbyak::Reg64 r = result_reg(rt, {second});
      copy(r, x);
      if (minus) sub(r, y); else add(r, y);
      finish(rt, i.rc(), r);
      return true;
    }
    case id_of("neg"): {
      if (i.oe()) return false;
      const Xbyak::Reg64& a = gpr_reg(ra);
      const Xbyak::Reg64 r = result_reg(rt);
      copy(r, a);
      neg(r);
      finish(rt, i.rc(), r);
      return true;
    }
    case id_of("mulli"): {
      const Xbyak::Reg64& a = gpr_reg(ra);
      const Xbyak::Reg64 r = result_reg(rt);
      imul(r, a, int32_t(i.simm()));
      finish(rt, false, r);
      return true;
    }
    case id_of("mullw"): {
      if (i.oe()) return false;
      const Xbyak::Reg64& a = gpr_reg(ra);
      const Xbyak::Reg64& b = gpr_reg(rb);
      const Xbyak::Reg64 r = result_reg(rt, {rb});
      movsxd(r, a.cvt32());
      movsxd(rcx, b.cvt32());
      imul(r, rcx);
      finish(rt, i.rc(), r);
      return true;
    }

    case id_of("mulhwu"):
    case id_of("mulhw"): {
      // The words' product in edx:eax; the high word zero-extended (mulhwu) or sign-extended.
      mov(eax, gpr_src32(ra));
      if (op.id == id_of("mulhwu")) mul(gpr_src32(rb)); else imul(gpr_src32(rb));
      const Xbyak::Reg64 r = result_reg(rt);
      if (op.id == id_of("mulhwu")) mov(r.cvt32(), edx); else movsxd(r, edx);
      finish(rt, i.rc(), r);
      return true;
    }

    // ---- add / subtract with carry (XER[CA]), OE=0 ----
    case id_of("addic"):
    case id_of("addic."): {
      const Xbyak::Reg64& a = gpr_reg(ra);
      const Xbyak::Reg64 r = result_reg(rt);
      copy(r, a);
      emit_add_with_carry(CarryIn::Zero, r, nullptr, int32_t(i.simm()));
      finish(rt, op.id == id_of("addic."), r);
      return true;
    }
    case id_of("subfic"):
    case id_of("subfc"): {
      // ~a + x + 1 = x - a (x: RB, or subfic's immediate), which carries exactly when x >= a
      // unsigned, in the mode's width (the words in SF=0).
      const bool with_rb = op.id == id_of("subfc");
      if (with_rb && i.oe()) return false;
      const Xbyak::Reg64& a = gpr_reg(ra);
      const Xbyak::Reg64* b = with_rb ? &gpr_reg(rb) : nullptr;
      const int32_t imm = int32_t(i.simm());
      if (b) {
        if (block_->sf) cmp(*b, a); else cmp(b->cvt32(), a.cvt32());
        setae(sil);  // b >= a
      } else {
        if (block_->sf) cmp(a, imm); else cmp(a.cvt32(), imm);
        setbe(sil);  // a <= imm
      }
      const Xbyak::Reg64 r = b ? result_reg(rt, {rb}) : result_reg(rt);
      if (r.getIdx() == a.getIdx()) {  // r = -a + x
        neg(r);
        if (b) add(r, *b); else add(r, imm);
      } else {
        if (b) copy(r, *b); else mov(r, imm);
        sub(r, a);
      }
      ca_in_esi_ = true;
      ca_dirty_ = true;
      finish(rt, with_rb && i.rc(), r);
      return true;
    }
    case id_of("addc"):
    case id_of("adde"):
    case id_of("subfe"):
    case id_of("addze"):
    case id_of("addme"):
    case id_of("subfze"):
    case id_of("subfme"): {
      if (i.oe()) return false;
      const isa::EntryId id = op.id;
      const bool sub = id == id_of("subfe") || id == id_of("subfze") || id == id_of("subfme");
      const bool with_rb = id == id_of("addc") || id == id_of("adde") || id == id_of("subfe");
      const Xbyak::Reg64& a = gpr_reg(ra);
      const Xbyak::Reg64* b = with_rb ? &gpr_reg(rb) : nullptr;
      const Xbyak::Reg64 r = with_rb ? result_reg(rt, {rb}) : result_reg(rt);
      copy(r, a);
      if (sub) not_(r);
      // Without RB: + 0 (addze, subfze) or + -1 (addme, subfme).
      const int32_t imm = id == id_of("addze") || id == id_of("subfze") ? 0 : -1;
      emit_add_with_carry(id == id_of("addc") ? CarryIn::Zero : CarryIn::Xer, r, b, imm);
      finish(rt, i.rc(), r);
      return true;
    }

    // ---- logical, immediate (RA = RS op imm) ----
    case id_of("andi."):
    case id_of("andis."): {
      const uint32_t imm = uint32_t(i.uimm()) << (op.id == id_of("andis.") ? 16 : 0);
      const Xbyak::Reg64& s_ = gpr_reg(rt);
      const Xbyak::Reg64 r = result_reg(ra);
      copy(r, s_.cvt32());
      and_(r.cvt32(), imm);  // zero-extends: the high word of the result is 0
      finish(ra, true, r);
      return true;
    }
    case id_of("ori"):
    case id_of("oris"):
    case id_of("xori"):
    case id_of("xoris"): {
      const bool shifted = op.id == id_of("oris") || op.id == id_of("xoris");
      const bool is_or = op.id == id_of("ori") || op.id == id_of("oris");
      const uint32_t imm = uint32_t(i.uimm()) << (shifted ? 16 : 0);
      const Xbyak::Reg64& s_ = gpr_reg(rt);
      const Xbyak::Reg64 r = result_reg(ra);
      copy(r, s_);
      if (imm > 0x7FFFFFFF) {
        mov(ecx, imm);  // zero-extended 64-bit operand (an imm32 would be sign-extended)
        if (is_or) or_(r, rcx); else xor_(r, rcx);
      } else if (imm) {
        if (is_or) or_(r, imm); else xor_(r, imm);
      }
      finish(ra, false, r);
      return true;
    }

    // ---- logical, register (RA = RS op RB) ----
    case id_of("and"):
    case id_of("or"):
    case id_of("xor"): {
      // RA = RS op RB, in RA's register unless that is RB's (or with RB = RS is mr).
      const Xbyak::Reg64& s_ = gpr_reg(rt);
      const Xbyak::Reg64& b = gpr_reg(rb);
      const Xbyak::Reg64 r = result_reg(ra, {rb});
      copy(r, s_);
      if (op.id == id_of("and")) and_(r, b);
      else if (op.id == id_of("xor")) xor_(r, b);
      else if (rb != rt) or_(r, b);
      finish(ra, i.rc(), r);
      return true;
    }
    case id_of("andc"): mov(rax, gpr_src(rb)); not_(rax); and_(rax, gpr_src(rt)); finish(ra, i.rc()); return true;
    case id_of("orc"): mov(rax, gpr_src(rb)); not_(rax); or_(rax, gpr_src(rt)); finish(ra, i.rc()); return true;
    case id_of("nand"): mov(rax, gpr_src(rt)); and_(rax, gpr_src(rb)); not_(rax); finish(ra, i.rc()); return true;
    case id_of("nor"): mov(rax, gpr_src(rt)); or_(rax, gpr_src(rb)); not_(rax); finish(ra, i.rc()); return true;
    case id_of("eqv"): mov(rax, gpr_src(rt)); xor_(rax, gpr_src(rb)); not_(rax); finish(ra, i.rc()); return true;
    case id_of("extsb"):
    case id_of("extsh"):
    case id_of("extsw"): {
      const Xbyak::Reg64& s_ = gpr_reg(rt);
      const Xbyak::Reg64 r = result_reg(ra);
      if (op.id == id_of("extsb")) movsx(r, s_.cvt8());
      else if (op.id == id_of("extsh")) movsx(r, s_.cvt16());
      else movsxd(r, s_.cvt32());
      finish(ra, i.rc(), r);
      return true;
    }
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
      const bool insert = op.id == id_of("rlwimi");  // reads RA after the result is started
      const Xbyak::Reg64& s_ = gpr_reg(rt);
      const Xbyak::Reg64 r = insert ? rax : result_reg(ra);
      const Xbyak::Reg32 r32 = r.cvt32();
      // The word, zero-extended (a 32-bit op on the same register does that as well).
      if (r.getIdx() != s_.getIdx() || !sh) mov(r32, s_.cvt32());
      if (!(mask >> 32) && sh && mask == (0xFFFFFFFFull >> (32 - sh))) {
        shr(r32, uint8_t(32 - sh));  // srwi: the rotate's low bits are the word shifted right
      } else if (!(mask >> 32) && sh && mask == ((0xFFFFFFFFull << sh) & 0xFFFFFFFFull)) {
        shl(r32, uint8_t(sh));  // slwi
      } else {
        if (sh) rol(r32, uint8_t(sh));
        if (mask >> 32) {
          mov(ecx, r32);
          shl(rcx, 32);
          or_(r, rcx);
          mov_imm(rcx, mask);
          and_(r, rcx);
        } else if (mask != 0xFFFFFFFFull) {
          and_(r32, uint32_t(mask));  // zero-extends: the high word is 0, as the mask's
        }
      }
      if (insert) {
        mov_imm(rdx, ~mask);
        and_(rdx, gpr_src(ra));
        or_(rax, rdx);
      }
      finish(ra, i.rc(), r);
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
      // The bits shifted out, moved to the top, meet the result's top n bits (copies of the sign).
      const uint32_t n = i.sh();
      mov(eax, gpr_src32(rt));
      if (n == 0) {
        ca_in_esi_ = false;
        ca_dirty_ = false;  // overwritten in the context here
        mov(ctx_b(offsetof(ThreadContext, xer_ca)), 0);
      } else {
        mov(edx, eax);
        shl(edx, uint8_t(32 - n));
        sar(eax, uint8_t(n));
        test(edx, eax);
        setnz(sil);
        ca_in_esi_ = true;
        ca_dirty_ = true;
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
      set_cr(i.crfd(), CrRecipe{true, uint8_t(ra), 0, false, bool(i.l_cmp()), is_signed, imm});
      return true;
    }
    case id_of("cmp"):
    case id_of("cmpl"):
      set_cr(i.crfd(), CrRecipe{true, uint8_t(ra), uint8_t(rb), true, bool(i.l_cmp()), op.id == id_of("cmp"), 0});
      return true;

    // ---- LR / CTR moves (every other SPR falls back) ----
    case id_of("mfspr"): {
      if (i.spr() != kSprLr && i.spr() != kSprCtr) return false;
      if (i.spr() == kSprCtr) {  // CTR through the GPR cache (kCtr)
        const Xbyak::Reg64& c = gpr_reg(kCtr);
        const Xbyak::Reg64 r = result_reg(rt);
        copy(r, c);
        finish(rt, false, r);
        return true;
      }
      const Xbyak::Reg64 r = result_reg(rt);
      mov(r, ctx_q(offsetof(ThreadContext, lr)));
      finish(rt, false, r);
      return true;
    }
    case id_of("mtspr"):
      if (i.spr() != kSprLr && i.spr() != kSprCtr) return false;
      mov(rax, gpr_src(rt));
      if (i.spr() == kSprCtr) gpr_write(kCtr, rax);
      else mov(ctx_q(offsetof(ThreadContext, lr)), rax);
      return true;
    default:
      return false;
  }
}

// r = r + (b, or imm sign-extended) + carry-in, and XER[CA] = the mode's carry out (of bit 0 in
// SF=1, of the low word in SF=0), as interp::add_with_carry. Clobbers edx; leaves CA in esi
// (ca_in_esi_). b, when given, is not r.
void BlockEmitter::emit_add_with_carry(CarryIn cin, const Xbyak::Reg64& r, const Xbyak::Reg64* b, int32_t imm) {
  // The carry an op of this block just made is still in esi: no trip through the context. Read
  // twice in SF=0 (both sums take it), with setc last.
  if (cin == CarryIn::Xer && !ca_in_esi_) movzx(esi, ctx_b(offsetof(ThreadContext, xer_ca)));
  auto sum = [&](const Xbyak::Reg& dst, bool word) {
    if (cin == CarryIn::Xer) bt(esi, 0);
    const bool plain = cin == CarryIn::Zero;
    if (b) {
      const Xbyak::Reg src = word ? Xbyak::Reg(b->cvt32()) : Xbyak::Reg(*b);
      if (plain) add(dst, src); else adc(dst, src);
    } else {
      if (plain) add(dst, imm); else adc(dst, imm);
    }
  };
  if (block_->sf) {
    sum(r, false);
    setc(sil);
  } else if (cin != CarryIn::Xer) {
    // CA is the carry out of the low words. A sum of two words overflows exactly when its low word
    // is below the second addend's.
    sum(r, false);
    if (b) cmp(r.cvt32(), b->cvt32()); else cmp(r.cvt32(), imm);
    setb(sil);
  } else {
    mov(edx, r.cvt32());
    sum(r, false);
    sum(edx, true);
    setc(sil);
  }
  ca_in_esi_ = true;
  ca_dirty_ = true;
}

void BlockEmitter::settle_ca() {
  if (!ca_dirty_) return;
  mov(ctx_b(offsetof(ThreadContext, xer_ca)), sil);
  ca_dirty_ = false;
}

}  // namespace hexad::cpu::jit
