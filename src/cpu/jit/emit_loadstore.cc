// Native integer loads and stores (D, DS and X forms, with update, and the byte-reversed
// forms), and lfd/stfd (raw bits). The inline path is a host load or store at EA in Memory's read
// view, byte-swapped, with no page check: where Memory::read or write would do more than the host
// access (a page the guest may not read or store to directly, code on it, across into such a
// page, MMIO), the read view faults on the host and the fault handler (fault_sites.h) sends the
// thread out of line. Stores also check inline that no reservation is active. Out of line, the op
// runs through the interpreter's handler (Memory's read/write: faults, reservations, code watch,
// anything Memory adds), which is the interpreter's result by construction. Invalid update forms
// (RA=0, or RA=RT for loads) always take the handler.
#include "cpu/jit/emitter.h"

#include "cpu/memory.h"

namespace hexad::cpu::jit {

using namespace Xbyak::util;
using isa::id_of;

namespace {

enum class Ea : uint8_t { D, DS, X };
struct MemSpec {
  isa::EntryId id;
  uint8_t size;
  bool store, sign, update;
  Ea form;
  bool fp = false;  // FPR lfd/stfd forms: the raw 64 bits, no conversion
  bool reversed = false;  // the byte-reversed forms: host (little-endian) order, no swap
};

constexpr MemSpec kSpecs[] = {
    {id_of("lbz"), 1, false, false, false, Ea::D},   {id_of("lbzu"), 1, false, false, true, Ea::D},
    {id_of("lhz"), 2, false, false, false, Ea::D},   {id_of("lhzu"), 2, false, false, true, Ea::D},
    {id_of("lha"), 2, false, true, false, Ea::D},    {id_of("lhau"), 2, false, true, true, Ea::D},
    {id_of("lwz"), 4, false, false, false, Ea::D},   {id_of("lwzu"), 4, false, false, true, Ea::D},
    {id_of("lwa"), 4, false, true, false, Ea::DS},   {id_of("ld"), 8, false, false, false, Ea::DS},
    {id_of("ldu"), 8, false, false, true, Ea::DS},
    {id_of("stb"), 1, true, false, false, Ea::D},    {id_of("stbu"), 1, true, false, true, Ea::D},
    {id_of("sth"), 2, true, false, false, Ea::D},    {id_of("sthu"), 2, true, false, true, Ea::D},
    {id_of("stw"), 4, true, false, false, Ea::D},    {id_of("stwu"), 4, true, false, true, Ea::D},
    {id_of("std"), 8, true, false, false, Ea::DS},   {id_of("stdu"), 8, true, false, true, Ea::DS},
    {id_of("lbzx"), 1, false, false, false, Ea::X},  {id_of("lbzux"), 1, false, false, true, Ea::X},
    {id_of("lhzx"), 2, false, false, false, Ea::X},  {id_of("lhzux"), 2, false, false, true, Ea::X},
    {id_of("lhax"), 2, false, true, false, Ea::X},   {id_of("lhaux"), 2, false, true, true, Ea::X},
    {id_of("lwzx"), 4, false, false, false, Ea::X},  {id_of("lwzux"), 4, false, false, true, Ea::X},
    {id_of("lwax"), 4, false, true, false, Ea::X},   {id_of("lwaux"), 4, false, true, true, Ea::X},
    {id_of("ldx"), 8, false, false, false, Ea::X},   {id_of("ldux"), 8, false, false, true, Ea::X},
    {id_of("stbx"), 1, true, false, false, Ea::X},   {id_of("stbux"), 1, true, false, true, Ea::X},
    {id_of("sthx"), 2, true, false, false, Ea::X},   {id_of("sthux"), 2, true, false, true, Ea::X},
    {id_of("stwx"), 4, true, false, false, Ea::X},   {id_of("stwux"), 4, true, false, true, Ea::X},
    {id_of("stdx"), 8, true, false, false, Ea::X},   {id_of("stdux"), 8, true, false, true, Ea::X},
    {id_of("lfd"), 8, false, false, false, Ea::D, true},   {id_of("lfdu"), 8, false, false, true, Ea::D, true},
    {id_of("lfdx"), 8, false, false, false, Ea::X, true},  {id_of("lfdux"), 8, false, false, true, Ea::X, true},
    {id_of("stfd"), 8, true, false, false, Ea::D, true},   {id_of("stfdu"), 8, true, false, true, Ea::D, true},
    {id_of("stfdx"), 8, true, false, false, Ea::X, true},  {id_of("stfdux"), 8, true, false, true, Ea::X, true},
    {id_of("lhbrx"), 2, false, false, false, Ea::X, false, true},
    {id_of("lwbrx"), 4, false, false, false, Ea::X, false, true},
    {id_of("ldbrx"), 8, false, false, false, Ea::X, false, true},
    {id_of("sthbrx"), 2, true, false, false, Ea::X, false, true},
    {id_of("stwbrx"), 4, true, false, false, Ea::X, false, true},
    {id_of("stdbrx"), 8, true, false, false, Ea::X, false, true},
};

const MemSpec* find_spec(isa::EntryId id) {
  for (const MemSpec& s : kSpecs)
    if (s.id == id) return &s;
  return nullptr;
}

}  // namespace

// Only a plain lwz or stw (D form, no update, a base register) may be a pinned word's access.
int BlockEmitter::pinned_slot(const JitOp& op) const {
  const Instr i = op.instr;
  if ((op.id != id_of("lwz") && op.id != id_of("stw")) || i.ra() == 0) return -1;
  return slot_of(i.ra(), int32_t(i.simm()));
}

bool BlockEmitter::is_register_slot_op(const JitOp& op) const {
  return (op.id == id_of("lwz") || slots_written_back()) && pinned_slot(op) >= 0;
}

bool BlockEmitter::native_store_keeps_deferred_cr(const JitOp& op) {
  const MemSpec* spec = find_spec(op.id);
  return spec && spec->store && !spec->update;
}

bool BlockEmitter::emit_loadstore(const JitOp& op, size_t index) {
  const MemSpec* spec = find_spec(op.id);
  if (!spec) return false;
  const Instr i = op.instr;
  const uint32_t rt = i.rt(), ra = i.ra();
  // Invalid update forms: RA=0, and for GPR loads RA=RT (the handler faults).
  if (spec->update && (ra == 0 || (!spec->store && !spec->fp && ra == rt))) return false;
  const Xbyak::Address fpr = ctx_q(offsetof(ThreadContext, fpr) + 8 * rt);
  const int32_t disp = spec->form == Ea::X ? 0 : int32_t(spec->form == Ea::D ? i.simm() : i.ds());
  const bool plain_word = op.id == id_of("lwz") || op.id == id_of("stw");
  use_.accesses.push_back({int8_t(spec->form == Ea::X || ra == 0 ? -1 : int(ra)), disp, spec->size, spec->store, plain_word});
  // A pinned memory slot (MemSlot): a load is its register's copy (no access: the word was
  // readable at the unit's entry and nothing in the unit changes that); a store updates the copy
  // first, then writes memory as any store does, unless the words are written back.
  const int slot = pinned_slot(op);
  if (slot >= 0 && !spec->store) {
    const Xbyak::Reg64 r = result_reg(rt);
    mov(r.cvt32(), slot_reg32(slot));
    finish_gpr(rt, r);
    return true;
  }
  if (slot >= 0) mov(slot_reg32(slot), gpr_src32(rt));
  if (slot >= 0 && slots_written_back()) return true;

  // rcx = the EA's low word (the access uses it; zero-extended); for an update form also rsi =
  // the 64-bit EA, which RA receives in SF=1.
  if (spec->update) {
    mov(rsi, gpr_reg(ra));
    if (spec->form == Ea::X) add(rsi, gpr_reg(i.rb())); else if (disp) add(rsi, disp);
    mov(ecx, esi);
  } else if (spec->form == Ea::X) {
    const Xbyak::Reg64& b = gpr_reg(i.rb());
    if (ra) lea(ecx, ptr[gpr_reg(ra) + b]); else mov(ecx, b.cvt32());
  } else {
    if (ra) lea(ecx, ptr[gpr_reg(ra) + disp]); else mov(ecx, uint32_t(disp));
  }

  SlowPath& slow = new_slow_path(index);
  if (spec->store && deferred_cr_.active) {
    // Its out-of-line path writes the field from the cache map as it is at each of its ways in:
    // the source fetched now, so the map stays as it is up to the access.
    if (!spec->fp) gpr_src(rt);
    slow.deferred = deferred_cr_;
    slow.cache_at_entry = cache_;
  }
  // The access itself, through Memory's read view (r12): recorded as a fault site, so that a host
  // fault there runs the out-of-line path instead.
  const auto site = [&] { access_sites_.push_back({getCurr(), &slow.entry, op.pc}); };
  const bool swap = !spec->reversed;
  if (op.checked_access) {
    // An access that kept faulting on the host (FaultSites::kHotFaults): Memory's inline checks
    // instead, which send it out of line without a host fault: the page allows the access
    // (kPageStoreDirect for a store) and an unaligned one stays within it.
    mov(edx, ecx);
    shr(edx, Memory::kPageShift);
    mov(rax, ctx_q(offsetof(ThreadContext, jit_page_prot)));
    test(byte[rax + rdx], spec->store ? uint8_t(kPageStoreDirect) : uint8_t(kProtRead));
    jz(slow.entry, T_NEAR);
    if (spec->size > 1) {
      Xbyak::Label within;  // an aligned access never crosses its page
      test(cl, spec->size - 1);
      jz(within);
      mov(edx, ecx);
      and_(edx, Memory::kPageSize - 1);
      cmp(edx, Memory::kPageSize - spec->size);
      ja(slow.entry, T_NEAR);
      L(within);
    }
  }
  if (spec->store) {
    // A store needs the page's direct-store bit (writable, no code: Memory's code watch), which
    // the read view's host protection carries, so only the reservation check is inline: with a
    // reservation active, Memory::write breaks it.
    cmp(ctx_d(offsetof(ThreadContext, jit_reservations)), 0);
    jne(slow.entry, T_NEAR);
    // Stored from the value's cache register where no swap is needed (a byte; a byte-reversed
    // form), else from a swapped copy in rax.
    switch (spec->size) {
      case 1: { const Xbyak::Reg8 v = gpr_reg(rt).cvt8(); site(); mov(byte[r12 + rcx], v); break; }
      case 2:
        if (!swap) { const Xbyak::Reg16 v = gpr_reg(rt).cvt16(); site(); mov(word[r12 + rcx], v); break; }
        mov(eax, gpr_src32(rt)); rol(ax, 8); site(); mov(word[r12 + rcx], ax); break;
      case 4:
        if (!swap) { const Xbyak::Reg32 v = gpr_reg(rt).cvt32(); site(); mov(dword[r12 + rcx], v); break; }
        mov(eax, gpr_src32(rt)); bswap(eax); site(); mov(dword[r12 + rcx], eax); break;
      default:
        if (spec->fp) mov(rax, fpr); else mov(rax, gpr_src(rt));
        if (swap) bswap(rax);
        site();
        mov(qword[r12 + rcx], rax);
        break;
    }
  } else {
    // A load needs no inline check: the read view faults on the host wherever Memory::read would
    // not just load (a page the guest may not read, across into one, MMIO). A GPR load goes
    // straight to RT's register (a faulting host load writes nothing).
    const Xbyak::Reg64 r = spec->fp ? rax : result_reg(rt);
    const Xbyak::Reg32 r32 = r.cvt32();
    site();
    switch (spec->size) {
      case 1: movzx(r32, byte[r12 + rcx]); break;
      case 2:
        movzx(r32, word[r12 + rcx]);
        if (swap) rol(r.cvt16(), 8);
        if (spec->sign) movsx(r, r.cvt16());
        break;
      case 4:
        mov(r32, dword[r12 + rcx]);
        if (swap) bswap(r32);
        if (spec->sign) movsxd(r, r32);
        break;
      default: mov(r, qword[r12 + rcx]); if (swap) bswap(r); break;
    }
    if (spec->fp) mov(fpr, rax); else finish_gpr(rt, r);
  }
  // Update forms: RA = the EA, 64-bit in SF=1, its low word in SF=0.
  if (spec->update) gpr_write(ra, block_->sf ? rsi : rcx);
  bind_resume(slow);
  return true;
}

}  // namespace hexad::cpu::jit
