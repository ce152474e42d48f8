// The block frame of a translation: ops in order (native or through the handler), the block's
// end (ctx.pc and its exits), block chaining and the out-of-line fault and slow paths.
#include "cpu/jit/emitter.h"

#include <algorithm>

#include "cpu/jit/runtime.h"
#include "cpu/memory.h"

namespace hexad::cpu::jit {

using namespace Xbyak::util;
using isa::id_of;

BlockEmitter::BlockEmitter(uint8_t* buf, size_t size, const EmitEnv& env, const std::vector<JitBlock*>& unit,
                           const PinMap& pins, const std::vector<uint8_t>& cr_kills, const std::vector<MemSlot>& slots)
    : Xbyak::CodeGenerator(size, buf),
      slots_(slots),
      pins_(pins),
      kills_in_(cr_kills),
      env_(env),
      unit_(unit),
      inner_(unit.size()) {
  member_reads_.resize(unit.size());
  member_writes_.resize(unit.size());
  cache_clear();
}

namespace {
// Not used as scratch by any unit (scratch: rax, rcx, rdx, rsi); r8-r11 and rdi are caller-saved,
// r15, rbp and r13 callee-saved (the enter stub saves them).
const Xbyak::Reg64 kCache64[kCacheRegs] = {r15, rbp, r13, r8, r9, r10, r11, rdi};
const Xbyak::Reg32 kCache32[kCacheRegs] = {r15d, ebp, r13d, r8d, r9d, r10d, r11d, edi};
}  // namespace

bool BlockEmitter::pinned(uint32_t n) const {
  for (int8_t p : pins_)
    if (p == int8_t(n)) return true;
  return false;
}

// Slot pins are copies of memory, kept over calls: written to memory here only when the unit
// writes them back (else its stores did).
void BlockEmitter::flush_pins() {
  for (int k = 0; k < kCacheRegs; ++k)
    if (pins_[k] >= 0 && pins_[k] < kSlotPin) mov(gpr(uint32_t(pins_[k])), kCache64[k]);
  if (slots_written_back()) call(store_slots_);
}

// Each word stored directly (its page took direct stores at the unit's entry, and nothing in the
// unit changes that); with a reservation active, through Memory::write instead, which breaks
// those of other threads on the word (jit_write_word), every caller-saved register kept. The base
// register is never written in the unit, so the context holds it. Generated code calls with rsp
// 16-byte aligned: the return address and nine pushes keep the helper's call aligned.
void BlockEmitter::emit_store_slots() {
  Xbyak::Label checked;
  L(store_slots_);
  cmp(ctx_d(offsetof(ThreadContext, jit_reservations)), 0);
  jne(checked);
  for (size_t j = 0; j < slots_.size(); ++j) {
    mov(ecx, gpr32(slots_[j].base));
    if (slots_[j].disp) add(ecx, slots_[j].disp);
    mov(eax, slot_reg32(int(j)));
    bswap(eax);
    mov(dword[r12 + rcx], eax);
  }
  ret();
  L(checked);
  const Xbyak::Reg64 saved[] = {rax, rcx, rdx, rsi, rdi, r8, r9, r10, r11};
  for (const Xbyak::Reg64& r : saved) push(r);
  for (size_t j = 0; j < slots_.size(); ++j) {
    mov(rdi, rbx);
    mov(esi, gpr32(slots_[j].base));
    if (slots_[j].disp) add(esi, slots_[j].disp);
    mov(edx, slot_reg32(int(j)));
    mov_address(*this, rax, reinterpret_cast<const void*>(&jit_write_word));
    call(rax);
  }
  for (size_t k = std::size(saved); k-- > 0;) pop(saved[k]);
  ret();
}

void BlockEmitter::reload_pins() {
  for (int k = 0; k < kCacheRegs; ++k)
    if (pins_[k] >= 0 && pins_[k] < kSlotPin) mov(kCache64[k], gpr(uint32_t(pins_[k])));
}

GprUse BlockEmitter::gpr_use(const std::vector<uint32_t>& weight) const {
  GprUse use = use_;
  use.read_first = read_first_;
  for (size_t k = 0; k < unit_.size(); ++k) {
    const uint32_t w = k < weight.size() ? weight[k] : 1;
    for (size_t n = 0; n < kCachedRegs; ++n) {
      use.reads[n] += w * member_reads_[k][n];
      use.writes[n] += w * member_writes_[k][n];
    }
  }
  return use;
}

Xbyak::Reg32 BlockEmitter::slot_reg32(int j) { return kCache32[j]; }

int BlockEmitter::slot_of(uint32_t base, int32_t disp) const {
  for (size_t j = 0; j < slots_.size(); ++j)
    if (slots_[j].base == base && slots_[j].disp == disp) return int(j);
  return -1;
}

// Each slot's word loaded into its register (as lwz would), when the access is aligned and its
// page directly readable (Memory::read would just load: the inline check of a checked load) and,
// for words written back, takes direct stores; else to `cannot`, before anything changed.
void BlockEmitter::load_slots(Xbyak::Label& cannot) {
  if (!slots_.empty()) mov(rcx, ctx_q(offsetof(ThreadContext, jit_page_prot)));
  for (size_t j = 0; j < slots_.size(); ++j) {
    mov(eax, gpr32(slots_[j].base));
    if (slots_[j].disp) add(eax, slots_[j].disp);
    test(al, 3);
    jnz(cannot, T_NEAR);
    mov(edx, eax);
    shr(edx, Memory::kPageShift);
    test(byte[rcx + rdx], uint8_t(kProtRead));
    jz(cannot, T_NEAR);
    if (slots_[j].write_back) {
      test(byte[rcx + rdx], uint8_t(kPageStoreDirect));
      jz(cannot, T_NEAR);
    }
    mov(kCache32[j], dword[r12 + rax]);
    bswap(kCache32[j]);
  }
}

// Least recently used first, but a copy a deferred CR field's compare reads after the others
// (the branch makes that compare, and from the context it would wait for the store just made
// there), and the op's own operands last of all: an op uses an operand's register after it
// fetched the next one.
uint64_t BlockEmitter::eviction_rank(int k) const {
  const CrRecipe& r = deferred_cr_.recipe;
  const bool compared = deferred_cr_.active && (cache_[k] == int8_t(r.a) || (r.with_reg && cache_[k] == int8_t(r.b)));
  const uint64_t tier = cache_used_[k] > op_clock_ ? 2 : compared ? 1 : 0;
  return (tier << 32) | cache_used_[k];
}

// The slot holding guest GPR n, else a claimed one (a free register, else the least recently used:
// write-through, so eviction costs nothing) with `hit` false: its caller fills the register.
int BlockEmitter::claim_slot(uint32_t n, bool& hit) {
  int slot = -1;
  for (int k = 0; k < kCacheRegs; ++k)
    if (cache_[k] == int8_t(n)) slot = k;
  hit = slot >= 0;
  if (!hit) {
    slot = -1;
    for (int k = 0; k < kCacheRegs; ++k) {
      if (pins_[k] >= 0) continue;  // never evicted
      if (cache_[k] < 0) { slot = k; break; }
      if (slot < 0 || eviction_rank(k) < eviction_rank(slot)) slot = k;
    }
    cache_[slot] = int8_t(n);
  }
  cache_used_[slot] = ++cache_clock_;
  return slot;
}

int BlockEmitter::cache_slot(uint32_t n) {
  ++member_reads_[member_][n];
  if (!member_writes_[member_][n]) read_first_[n] = true;
  bool hit;
  const int slot = claim_slot(n, hit);
  if (!hit) mov(kCache64[slot], gpr(n));
  return slot;
}

const Xbyak::Operand& BlockEmitter::gpr_src(uint32_t n) { return kCache64[cache_slot(n)]; }
const Xbyak::Operand& BlockEmitter::gpr_src32(uint32_t n) { return kCache32[cache_slot(n)]; }
const Xbyak::Reg64& BlockEmitter::gpr_reg(uint32_t n) { return kCache64[cache_slot(n)]; }

void BlockEmitter::begin_gpr_write(uint32_t n) {
  ++member_writes_[member_][n];
  const CrRecipe& deferred = deferred_cr_.recipe;
  if (deferred_cr_.active && (deferred.a == n || (deferred.with_reg && deferred.b == n))) settle_deferred_cr();
  forget_cr_recipes_of(n);
}

void BlockEmitter::gpr_write(uint32_t n, const Xbyak::Reg64& v) {
  begin_gpr_write(n);
  if (!pinned(n)) mov(gpr(n), v);  // a pinned register is written back by flush_pins
  bool hit;
  mov(kCache64[claim_slot(n, hit)], v);
}

Xbyak::Reg64 BlockEmitter::result_reg(uint32_t dst, std::initializer_list<uint32_t> later) {
  for (uint32_t n : later)
    if (n == dst) return rax;
  int slot = -1;
  for (int k = 0; k < kCacheRegs && slot < 0; ++k)
    if (cache_[k] == int8_t(dst)) slot = k;
  for (int k = 0; k < kCacheRegs && slot < 0; ++k)
    if (cache_[k] < 0) slot = k;  // free: no operand is in it
  if (slot < 0) {
    // The least recently used copy the op no longer reads (write-through: dropping it costs
    // nothing); an operand the op has read already is fine, the result starts from it.
    for (int k = 0; k < kCacheRegs; ++k) {
      if (pins_[k] >= 0) continue;
      bool read_later = false;
      for (uint32_t n : later) read_later |= cache_[k] == int8_t(n);
      if (!read_later && (slot < 0 || eviction_rank(k) < eviction_rank(slot))) slot = k;
    }
  }
  if (slot < 0) return rax;
  begin_gpr_write(dst);  // before the register changes: a deferred CR field may compare its old value
  cache_[slot] = int8_t(dst);
  cache_used_[slot] = ++cache_clock_;
  return kCache64[slot];
}

void BlockEmitter::finish_gpr(uint32_t dst, const Xbyak::Reg64& r) {
  if (r.getIdx() == rax.getIdx()) gpr_write(dst, rax);
  else if (!pinned(dst)) mov(gpr(dst), r);
}

void BlockEmitter::cache_reload(const CacheMap& map) {
  for (int k = 0; k < kCacheRegs; ++k)
    if (map[k] >= 0 && map[k] < kSlotPin) mov(kCache64[k], gpr(uint32_t(map[k])));
}

size_t BlockEmitter::emit_unit() {
  size_t native = 0;
  for (size_t k = 0; k < unit_.size(); ++k) {
    block_ = unit_[k];
    member_ = k;
    MemberCode code;
    code.start = getSize();
    native += emit_block(k);
    code.end = getSize();
    member_code_.push_back(code);
  }
  // Then the members' cold code, each with the state its hot code ended with.
  for (size_t k = 0; k < unit_.size(); ++k) {
    MemberCold& c = *cold_[k];
    block_ = c.block;
    member_ = k;
    cache_ = c.cache_at_end;
    deferred_cr_ = c.deferred_at_end;
    member_code_[k].cold_start = getSize();
    emit_cold_code(c);
    member_code_[k].cold_end = getSize();
    member_code_[k].begin = c.outer_entry.getAddress() - getCode();
    member_code_[k].inner = inner_[k].getAddress() - getCode();
  }
  if (slots_written_back()) emit_store_slots();
  return native;
}

// Entering from outside the unit: the pinned registers loaded, then the block counted, if it fits
// what is left of the run (the interpreter's finish_block rule); else back to the runner, which
// runs it op by op (entry_bail_). A jump from a member counts it itself, before it comes in past
// this (emit_fixed_exit).
void BlockEmitter::emit_outer_entry() {
  L(cold().outer_entry);
  reload_pins();
  load_slots(cold().interpret);
  sub(kLeft, uint32_t(block_->ops.size()));
  jb(cold().entry_bail, T_NEAR);
}

size_t BlockEmitter::emit_block(size_t k) {
  size_t native = 0;
  const size_t n = block_->ops.size();
  bool exits_emitted = false;
  cache_clear();
  cache_used_.fill(0);
  forget_cr_recipes();
  ca_in_esi_ = false;
  ca_dirty_ = false;
  deferred_cr_ = {};
  cold_.push_back(std::make_unique<MemberCold>());
  MemberCold& c = cold();
  c.block = block_;
  c.member = k;
  c.fault_labels.resize(n);
  c.fault_used.assign(n, false);
  // A member after the first starts at its inner entry (the one before may run on into it); its
  // outer entry is out of line, jumping there.
  c.outer_inline = k == 0;
  if (c.outer_inline) emit_outer_entry();
  L(inner_[k]);
  member_kills_.push_back(0);
  kill_scan_open_ = true;
  for (index_ = 0; index_ < n; ++index_) {
    const JitOp& op = block_->ops[index_];
    op_clock_ = cache_clock_;
    if (op.flags & kOpSetsPc) {
      // Only a block's last op sets pc. A branch unit emits the exits itself.
      end_kill_scan();
      settle_ca();
      if (emit_branch(op)) {
        ++native;
      } else {
        emit_handler_call(op, index_, true);
        emit_dynamic_exit(true);
      }
      exits_emitted = true;
      continue;
    }
    if (emit_alu(op) || (is_register_slot_op(op) && emit_loadstore(op, index_))) {
      ++native;
      continue;
    }
    end_kill_scan();  // the member's leading native ALU ops are over
    // Loads and handlers may leave or read the CR (and XER): a deferred field is written before
    // them. A native store writes no GPR: the field stays deferred, its out-of-line path (the
    // one way the store can leave or run a handler) writing it from the recipe first.
    if (!native_store_keeps_deferred_cr(op)) settle_deferred_cr();
    settle_ca();
    if (emit_loadstore(op, index_) || emit_vmx(op, index_)) {
      ++native;
      continue;
    }
    settle_deferred_cr();  // (none left deferred: only a native store keeps it)
    if (handler_cannot_throw(op)) emit_direct_handler_call(op);
    else emit_handler_call(op, index_, true);
  }
  if (!exits_emitted) {
    // Ended by its size, a page end or an op that ends blocks without setting pc (mftb, icbi):
    // on to the next word, as the interpreter's end sentinel does (a 32-bit pc, no mode wrap).
    // An ending op ran through its handler, which may ask for the runner (icbi).
    const uint32_t next = block_->pc + uint32_t(4 * n);
    block_->fixed_exits = true;
    settle_ca();
    emit_fixed_exit(0, next, n > 0 && (block_->ops[n - 1].flags & kOpEndsBlock), true);
  }
  c.cache_at_end = cache_;
  c.deferred_at_end = deferred_cr_;
  return native;
}

void BlockEmitter::mov_imm(const Xbyak::Reg64& r, uint64_t v) {
  if (v <= 0xFFFFFFFFull) mov(r.cvt32(), uint32_t(v));
  else if (int64_t(v) == int64_t(int32_t(v))) mov(r, int32_t(v));
  else mov(r, v);
}

void BlockEmitter::emit_handler_call(const JitOp& op, size_t index, bool counted, bool reload) {
  flush_pins();  // the handler reads and writes the context
  if (counted) ++use_.handler_calls;
  if (counted && op.id != isa::kInvalidId) {
    mov_address(*this, rax, &env_.fallback_counts[op.id]);
    add(qword[rax], 1);
  }
  emit_sync_instructions();
  mov(rdi, rbx);
  mov_address(*this, rsi, &op);
  mov_address(*this, rax, reinterpret_cast<const void*>(&run_handler));
  call(rax);
  cache_clear();
  forget_cr_recipes();
  ca_in_esi_ = false;
  test(eax, eax);
  jnz(fault_exit(index), T_NEAR);
  if (reload) reload_pins();
}

// FP and VMX arithmetic (no memory access) cannot fault: FP exceptions set FPSCR bits and never
// trap, and those units' handlers (fpu_arith, fpu_convert, fpscr, vmx_int, vmx_float,
// vmx_permute) throw nothing. VMX128 is excluded: some of its forms fault as invalid.
bool BlockEmitter::handler_cannot_throw(const JitOp& op) {
  if (op.id == isa::kInvalidId) return false;
  const isa::Entry& e = isa::entry(op.id);
  if (e.flags & (isa::kReadsMemory | isa::kWritesMemory | isa::kEndsBlock | isa::kSetsPc) || !op.step[0].step) return false;
  return e.cls == isa::kFp || e.cls == isa::kVmx;
}

// The interpreter's step for the op (its handler inlined), without the trampoline.
void BlockEmitter::emit_direct_handler_call(const JitOp& op) {
  mov_address(*this, rax, &env_.fallback_counts[op.id]);
  add(qword[rax], 1);
  mov(rdi, rbx);
  // FP and VMX ops touch no GPR, and a unit that calls them pins only callee-saved registers
  // (choose_pins): the pins go over the call as they are.
  ++use_.direct_calls;
  mov_address(*this, rsi, &op.step[0]);
  mov_address(*this, rax, reinterpret_cast<const void*>(op.step[0].step));
  call(rax);
  cache_clear();
  forget_cr_recipes();  // an FP op with Rc=1 sets CR1
  ca_in_esi_ = false;
}

Xbyak::Label& BlockEmitter::fault_exit(size_t index) {
  cold().fault_used[index] = true;
  return cold().fault_labels[index];
}

void BlockEmitter::emit_sync_instructions() {
  mov(rax, ctx_q(offsetof(ThreadContext, run_limit)));
  sub(rax, kLeft);
  mov(ctx_q(offsetof(ThreadContext, instructions)), rax);
}

void BlockEmitter::emit_fixed_exit(int slot, uint64_t target, bool runner_may_be_asked, bool last) {
  JitBlock::Exit& x = block_->exits[slot];
  x.pc = target;
  size_t k = 0;
  while (k < unit_.size() && unit_[k]->pc != target) ++k;
  const bool to_member = k < unit_.size();
  // A deferred CR field is written here (the branch's flags are still those of its compare),
  // unless the target is a member that overwrites it first: then only on the ways that do not go
  // into that member's code (written from the recipe after the pins, emit_cold_exit).
  const bool killed = deferred_cr_.active && to_member && k < kills_in_.size() && (kills_in_[k] >> deferred_cr_.field & 1);
  if (deferred_cr_.active && !killed) {
    if (exit_cr_value_ >= 0) store_cr_value(deferred_cr_.field, exit_cr_value_);
    else store_cr_from_flags(deferred_cr_.field, deferred_cr_.recipe.is_signed);
  }
  // Pinned registers live on only into this unit's own blocks (inner entries): leaving the unit,
  // they are written back first; on a jump to a member, only where it does not go there.
  if (!to_member) flush_pins();
  cold().exits.push_back(std::make_unique<ColdExit>());
  ColdExit& c = *cold().exits.back();
  c.slot = slot;
  c.target = target;
  c.member = k;
  c.killed = killed;
  c.runner_may_be_asked = runner_may_be_asked;
  if (runner_may_be_asked) {
    cmp(ctx_d(offsetof(ThreadContext, chain_budget)), 1);
    je(to_member ? c.asked : c.to_runner, T_NEAR);
  }
  // The link: a jump the backend patches to the target block's code once it is known
  // (JitBackend::link), and back to `unlinked` when links are cleared (a store over code may do
  // that while this block runs). A jump to a member of this unit (a loop onto itself included)
  // is linked from the start, to its inner entry. That entry is past the member's budget check,
  // so the jump counts the member first, and when it does not fit takes it back and leaves as
  // unlinked (for the target's own entry or the runner to see): the link is then the check's own
  // conditional jump (jae, taken when it fits; Exit::link_is_jcc), the way out after it. To the
  // next member, when nothing of this one follows, it runs on into it: a 5-byte nop, which a
  // patch makes a jump, after the check.
  if (to_member) sub(kLeft, uint32_t(unit_[k]->ops.size()));
  if (last && to_member && k == member_ + 1) {
    jb(c.unlinked, T_NEAR);
    db(0x0F); db(0x1F); db(0x44); db(0x00); db(0x00);
    x.link_site = const_cast<uint8_t*>(getCurr()) - 4;
  } else if (to_member) {
    jae(inner_[k], T_NEAR);
    x.link_site = const_cast<uint8_t*>(getCurr()) - 4;
    x.link_is_jcc = true;
    jmp(c.unlinked, T_NEAR);
  } else {
    jmp(c.unlinked, T_NEAR);
    x.link_site = const_cast<uint8_t*>(getCurr()) - 4;
  }
}

void BlockEmitter::emit_cold_exit(ColdExit& c) {
  JitBlock::Exit& x = block_->exits[c.slot];
  const bool to_member = c.member < unit_.size();
  const auto leave_unit = [&] {
    flush_pins();
    if (c.killed) store_deferred_cr();
  };
  L(c.unlinked);
  x.unlinked = getCurr();
  if (to_member) {
    x.next = &unit_[c.member]->head;
    // Not counted after all (the target's own entry counts it); pinned registers written back,
    // then on to the target's outer entry (out_site, linked by JitBackend::link when the target
    // went to another unit) or back to the runner.
    add(kLeft, uint32_t(unit_[c.member]->ops.size()));
    leave_unit();
    jmp(c.to_runner, T_NEAR);
    x.out_site = const_cast<uint8_t*>(getCurr()) - 4;
    x.out_unlinked = getCurr();
  }
  L(c.to_runner);
  // ctx.pc is written only when returning to the runner: a chained block never reads it (each
  // op through a handler sets it first, as the interpreter's steps do).
  mov_imm(rax, c.target);
  mov(ctx_q(offsetof(ThreadContext, pc)), rax);
  emit_return_to_runner();
  if (c.runner_may_be_asked && to_member) {
    L(c.asked);
    leave_unit();
    jmp(c.to_runner, T_NEAR);
  }
}

void BlockEmitter::emit_return_to_runner() {
  mov_address(*this, rcx, block_);
  mov(ctx_q(offsetof(ThreadContext, cur_block)), rcx);
  xor_(eax, eax);
  jmp(env_.exit_stub, T_NEAR);
}

void BlockEmitter::emit_dynamic_exit(bool runner_may_be_asked) {
  Xbyak::Label back, second, have;
  flush_pins();  // the successor is entered from outside its unit
  if (runner_may_be_asked) {
    cmp(ctx_d(offsetof(ThreadContext, chain_budget)), 1);
    je(back, T_NEAR);
  }
  mov(rcx, ctx_q(offsetof(ThreadContext, pc)));
  mov_address(*this, rdx, &block_->exits[0]);
  constexpr uint32_t kPc = offsetof(JitBlock::Exit, pc), kNext = offsetof(JitBlock::Exit, next);
  constexpr uint32_t kSecond = sizeof(JitBlock::Exit);  // exits[1], after exits[0]
  cmp(rcx, qword[rdx + kPc]);
  jne(second);
  mov(rax, qword[rdx + kNext]);
  jmp(have);
  L(second);
  cmp(rcx, qword[rdx + kSecond + kPc]);
  jne(back, T_NEAR);
  mov(rax, qword[rdx + kSecond + kNext]);
  L(have);
  test(rax, rax);
  jz(back, T_NEAR);
  // The next block's start counts it (or, when it does not fit, returns to the runner).
  jmp(qword[rax + offsetof(ChainHead, entry)]);
  L(back);
  emit_return_to_runner();
}

BlockEmitter::SlowPath& BlockEmitter::new_slow_path(size_t index) {
  slow_storage_.push_back(std::make_unique<SlowPath>());
  SlowPath& s = *slow_storage_.back();
  s.index = index;
  cold().slow_paths.push_back(&s);
  // The path's handler call clobbers esi: XER[CA] (settled before any op with such a path,
  // emit_block) is not there after the op, on either path.
  ca_in_esi_ = false;
  return s;
}

void BlockEmitter::bind_resume(SlowPath& s) {
  L(s.resume);
  s.cache_at_resume = cache_;
}

void BlockEmitter::emit_cold_code(MemberCold& c) {
  // The exits' first (the cache map and the deferred CR field are still as the exits saw them).
  for (auto& x : c.exits) emit_cold_exit(*x);
  // The block does not fit what is left: uncounted, back to the runner at its start, with no
  // block to link from (the runner looks this one up again and runs it op by op).
  L(c.entry_bail);
  flush_pins();
  add(kLeft, uint32_t(block_->ops.size()));
  mov_imm(rax, block_->pc);
  mov(ctx_q(offsetof(ThreadContext, pc)), rax);
  mov(qword[rbx + offsetof(ThreadContext, cur_block)], 0);
  xor_(eax, eax);
  jmp(env_.exit_stub, T_NEAR);
  if (!slots_.empty()) {
    // A slot's word cannot be loaded at the entry: the runner runs the block op by op (the
    // interpreter faults or reads as it would); nothing was counted or changed.
    L(c.interpret);
    mov_imm(rax, block_->pc);
    mov(ctx_q(offsetof(ThreadContext, pc)), rax);
    mov_address(*this, rcx, block_);
    mov(ctx_q(offsetof(ThreadContext, cur_block)), rcx);
    mov(eax, uint32_t(kExitInterpret));
    jmp(env_.exit_stub, T_NEAR);
  }
  for (SlowPath* s : c.slow_paths) {
    L(s->entry);
    if (s->deferred.active) {
      // A store's, with a CR field deferred over it: written first, from the recipe's registers
      // as they were at the store.
      cache_ = s->cache_at_entry;
      deferred_cr_ = s->deferred;
      store_deferred_cr();
    }
    emit_handler_call(block_->ops[s->index], s->index, false, false);
    cache_reload(s->cache_at_resume);
    jmp(s->resume, T_NEAR);
  }
  const size_t n = block_->ops.size();
  for (size_t i = 0; i < n; ++i) {
    if (!c.fault_used[i]) continue;
    L(c.fault_labels[i]);
    // Not retired: the faulting op and those after it (the status stays in eax).
    add(kLeft, uint32_t(n - i));
    jmp(env_.exit_stub, T_NEAR);
  }
  if (!c.outer_inline) {
    emit_outer_entry();
    jmp(inner_[c.member], T_NEAR);
  }
}

void BlockEmitter::set_cr(uint32_t field, const CrRecipe& recipe) {
  if (kill_scan_open_) member_kills_.back() |= uint8_t(1u << field);
  cr_recipe_[field] = recipe;
  if (defer_cr(field)) {
    deferred_cr_ = DeferredCr{true, field, recipe};  // a pending one is overwritten unseen
    return;
  }
  emit_cr_recipe(recipe, true);
  store_cr_from_flags(field, recipe.is_signed);
}

// The block ends in a conditional branch on `field` alone (no CTR): the branch makes the
// compare (the recipe, emit_branch), and the exits write the field from its flags.
bool BlockEmitter::defer_cr(uint32_t field) const {
  const size_t n = block_->ops.size();
  if (index_ + 1 >= n) return false;
  const JitOp& br = block_->ops[n - 1];
  const bool fixed_bc = br.id == id_of("bc") || br.id == id_of("bc(if-true)") || br.id == id_of("bc(if-false)");
  return fixed_bc && branch_tests_cr_only(br.instr.bo(), br.instr.bi()) && br.instr.bi() >> 2 == field;
}

void BlockEmitter::store_deferred_cr() {
  emit_cr_recipe(deferred_cr_.recipe);
  store_cr_from_flags(deferred_cr_.field, deferred_cr_.recipe.is_signed);
}

void BlockEmitter::settle_deferred_cr() {
  if (!deferred_cr_.active) return;
  store_deferred_cr();
  deferred_cr_ = {};
}

// The field values with XER[SO] already in them (ThreadContext::jit_cr_values): EQ, GT, LT.
Xbyak::Address BlockEmitter::cr_value(int k) { return ctx_d(offsetof(ThreadContext, jit_cr_values) + 4 * k); }

void BlockEmitter::store_cr_from_flags(uint32_t field, bool is_signed) {
  mov(ecx, cr_value(0));
  if (is_signed) cmovg(ecx, cr_value(1)); else cmova(ecx, cr_value(1));
  if (is_signed) cmovl(ecx, cr_value(2)); else cmovb(ecx, cr_value(2));
  mov(cr(field), cl);
}

void BlockEmitter::store_cr_value(uint32_t field, int k) {
  mov(ecx, cr_value(k));
  mov(cr(field), cl);
}

void BlockEmitter::set_cr0_of(uint32_t dst) {
  set_cr(0, CrRecipe{true, uint8_t(dst), 0, false, block_->sf, true, 0});
}

void BlockEmitter::forget_cr_recipes_of(uint32_t gpr) {
  for (CrRecipe& r : cr_recipe_)
    if (r.valid && (r.a == gpr || (r.with_reg && r.b == gpr))) r = CrRecipe{};
}

// Without `through_cache`, the operands where they are, the cache left as it is: this may be
// emitted on a cold path (the cache's map must stay that of the hot path), or while an op's result
// waits in rax. With it (the compare op itself), as any op's operands: loaded for the ops after.
void BlockEmitter::emit_cr_recipe(const CrRecipe& r, bool through_cache) {
  const auto cached = [&](uint32_t n) {
    if (through_cache) return cache_slot(n);
    for (int k = 0; k < kCacheRegs; ++k)
      if (cache_[k] == int8_t(n)) return k;
    return -1;
  };
  const auto reg = [&](int k) -> Xbyak::Reg { return r.dword ? Xbyak::Reg(kCache64[k]) : Xbyak::Reg(kCache32[k]); };
  const auto mem = [&](uint32_t n) { return r.dword ? gpr(n) : gpr32(n); };
  const int ka = cached(r.a);
  if (!r.with_reg) {
    if (ka >= 0) cmp(reg(ka), r.imm); else cmp(mem(r.a), r.imm);
    return;
  }
  const int kb = cached(r.b);
  if (ka >= 0 && kb >= 0) {
    cmp(reg(ka), reg(kb));
  } else if (ka >= 0) {
    cmp(reg(ka), mem(r.b));
  } else if (kb >= 0) {
    cmp(mem(r.a), reg(kb));
  } else {
    const Xbyak::Reg scratch = r.dword ? Xbyak::Reg(rcx) : Xbyak::Reg(ecx);
    mov(scratch, mem(r.a));
    cmp(scratch, mem(r.b));
  }
}

}  // namespace hexad::cpu::jit
