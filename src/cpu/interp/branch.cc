// Branch unit: b, bc, bclr, bcctr and their link/absolute forms.
#include "cpu/interp/block.h"
#include "cpu/interp/compare_ops.h"
#include "cpu/interp/helpers.h"

namespace hexad::cpu::interp {
namespace {

// BO: bit 0 (value 16) ignore CR, bit 1 (8) branch if CR bit true, bit 2 (4) do not touch CTR,
// bit 3 (2) branch if CTR == 0 after decrement.
bool ctr_ok(ThreadContext& c, uint32_t bo) {
  if (bo & 4) return true;
  c.ctr -= 1;
  uint64_t ctr = c.sf() ? c.ctr : (c.ctr & 0xFFFFFFFFull);
  return (ctr == 0) == bool(bo & 2);
}
bool cond_ok(const ThreadContext& c, uint32_t bo, uint32_t bi) {
  return (bo & 16) || cr_bit(c, bi) == bool(bo & 8);
}

void b(ThreadContext& c, Instr i) {
  uint64_t cia = c.pc;
  if (i.lk()) c.lr = mode_addr(c, cia + 4);
  c.pc = mode_addr(c, (i.aa() ? 0 : cia) + uint64_t(i.li()));
}

void bc(ThreadContext& c, Instr i) {
  uint64_t cia = c.pc;
  bool ctr = ctr_ok(c, i.bo());
  bool taken = ctr && cond_ok(c, i.bo(), i.bi());
  if (i.lk()) c.lr = mode_addr(c, cia + 4);
  c.pc = taken ? mode_addr(c, (i.aa() ? 0 : cia) + uint64_t(i.bd())) : mode_addr(c, cia + 4);
}

// The common bc shapes, picked by the decoder through more specific masks (AA=0, LK=0):
// branch if a CR bit is true / false (BO = 011at / 001at), and bdnz (BO = 1a00t). Written
// without data-dependent host branches: the guest's branch pattern would otherwise become
// the host's mispredictions.
void bc_if_true(ThreadContext& c, Instr i) {
  uint64_t cia = c.pc;
  uint64_t step = cr_bit(c, i.bi()) ? uint64_t(i.bd()) : 4;
  c.pc = mode_addr(c, cia + step);
}
void bc_if_false(ThreadContext& c, Instr i) {
  uint64_t cia = c.pc;
  uint64_t step = cr_bit(c, i.bi()) ? 4 : uint64_t(i.bd());
  c.pc = mode_addr(c, cia + step);
}
void bdnz(ThreadContext& c, Instr i) {
  uint64_t cia = c.pc;
  c.ctr -= 1;
  uint64_t ctr = c.sf() ? c.ctr : (c.ctr & 0xFFFFFFFFull);
  uint64_t step = ctr != 0 ? uint64_t(i.bd()) : 4;
  c.pc = mode_addr(c, cia + step);
}

void bclr(ThreadContext& c, Instr i) {
  uint64_t cia = c.pc;
  uint64_t target = c.lr & ~3ull;  // read before a link form overwrites LR
  bool ctr = ctr_ok(c, i.bo());
  bool taken = ctr && cond_ok(c, i.bo(), i.bi());
  if (i.lk()) c.lr = mode_addr(c, cia + 4);
  c.pc = taken ? mode_addr(c, target) : mode_addr(c, cia + 4);
}

void bcctr(ThreadContext& c, Instr i) {
  uint64_t cia = c.pc;
  // BO[2]=0 (decrement CTR) is an invalid form for bcctr; treat CTR as untouched.
  bool taken = cond_ok(c, i.bo(), i.bi());
  if (i.lk()) c.lr = mode_addr(c, cia + 4);
  c.pc = taken ? mode_addr(c, c.ctr & ~3ull) : mode_addr(c, cia + 4);
}

constexpr OpEntry kOps[] = {
    branch_op<b>("b"),
    branch_op<bc>("bc"),
    branch_op<bc_if_true>("bc(if-true)"),
    branch_op<bc_if_false>("bc(if-false)"),
    branch_op<bdnz>("bdnz"),
    branch_op<bclr>("bclr"),
    branch_op<bcctr>("bcctr"),
};

// A compare followed by a conditional branch is the commonest block end in compiled code.
constexpr FusedPair kFusedPairs[] = {
    fused_pair<cmpi, bc_if_true>(),  fused_pair<cmpi, bc_if_false>(),  fused_pair<cmpli, bc_if_true>(),
    fused_pair<cmpli, bc_if_false>(), fused_pair<cmp, bc_if_true>(),   fused_pair<cmp, bc_if_false>(),
    fused_pair<cmpl, bc_if_true>(),  fused_pair<cmpl, bc_if_false>(),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> branch_ops() { return interp::kOps; }
std::span<const FusedPair> fused_pairs() { return interp::kFusedPairs; }
}  // namespace hexad::cpu
