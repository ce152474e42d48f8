// System unit: sc, SPR moves, timebase, traps, barriers and cache control.
#include "cpu/interp/helpers.h"

namespace hexad::cpu::interp {
namespace {

void sc(ThreadContext& c, Instr i) {
  c.pc = mode_addr(c, c.pc + 4);
  c.stop = StopReason::Syscall;
  return_to_runner(c);
}

uint64_t timebase(const ThreadContext& c) {
  return c.clock ? c.clock->timebase(c) : c.instructions / kCyclesPerTimebaseTick;
}

[[noreturn]] void invalid(Instr i) { throw InstructionFault{FaultKind::InvalidInstruction, i.w}; }

// mftb rt, tbr: 268 = TBL (the whole 64-bit TB in 64-bit implementations), 269 = TBU.
// The clock is read as of the instructions before this one (ctx.instructions already counts it).
void mftb(ThreadContext& c, Instr i) {
  c.instructions -= 1;
  uint64_t tb = timebase(c);
  c.instructions += 1;
  R(c, i.rt()) = i.spr() == 269 ? (tb >> 32) : tb;
}

// SPR numbers reachable from a problem-state program on this core. SPRG0-3 are supervisor
// registers on real hardware; they are kept per thread so kernel-style code runs.
enum : uint32_t { kSprXer = 1, kSprLr = 8, kSprCtr = 9, kSprTbl = 268, kSprTbu = 269, kSprSprg0 = 272, kSprSprg3 = 275 };

// mfspr: the timebase numbers 268/269 have their own table entries (mfspr_tb) because reading
// the clock must end the block; every other SPR not listed faults.
void mfspr(ThreadContext& c, Instr i) {
  const uint32_t spr = i.spr();
  uint64_t v;
  switch (spr) {
    case kSprXer: v = c.xer(); break;
    case kSprLr: v = c.lr; break;
    case kSprCtr: v = c.ctr; break;
    default:
      if (spr >= kSprSprg0 && spr <= kSprSprg3) { v = c.sprg[spr - kSprSprg0]; break; }
      invalid(i);
  }
  R(c, i.rt()) = v;
}

void mtspr(ThreadContext& c, Instr i) {
  const uint32_t spr = i.spr();
  const uint64_t v = c.gpr[i.rs()];
  switch (spr) {
    case kSprXer: c.set_xer(v); break;
    case kSprLr: c.lr = v; break;
    case kSprCtr: c.ctr = v; break;
    default:
      if (spr >= kSprSprg0 && spr <= kSprSprg3) { c.sprg[spr - kSprSprg0] = v; break; }
      invalid(i);  // incl. the timebase: writing it is privileged (and uses SPRs 284/285)
  }
}

// Storage barriers and context synchronisation have nothing to order in this interpreter:
// sync (any L: sync, lwsync, ptesync), eieio, isync.
void sync(ThreadContext& c, Instr i) {}
void eieio(ThreadContext& c, Instr i) {}
void isync(ThreadContext& c, Instr i) {}

// Trap conditions, TO bits from the left: 16 a<b signed, 8 a>b signed, 4 a==b, 2 a<b unsigned,
// 1 a>b unsigned. Word forms compare the low 32 bits (as signed or unsigned words).
bool trap_taken(uint32_t to, int64_t a, int64_t b) {
  const uint64_t ua = uint64_t(a), ub = uint64_t(b);
  return ((to & 16) && a < b) || ((to & 8) && a > b) || ((to & 4) && a == b) || ((to & 2) && ua < ub) ||
         ((to & 1) && ua > ub);
}
bool trap_taken_word(uint32_t to, uint64_t a, uint64_t b) {
  const int32_t sa = int32_t(uint32_t(a)), sb = int32_t(uint32_t(b));
  const uint32_t ua = uint32_t(a), ub = uint32_t(b);
  return ((to & 16) && sa < sb) || ((to & 8) && sa > sb) || ((to & 4) && ua == ub) || ((to & 2) && ua < ub) ||
         ((to & 1) && ua > ub);
}
void trap(Instr i) { throw InstructionFault{FaultKind::Trap, i.w}; }

void tw(ThreadContext& c, Instr i) {
  if (trap_taken_word(i.to(), c.gpr[i.ra()], c.gpr[i.rb()])) trap(i);
}
void twi(ThreadContext& c, Instr i) {
  if (trap_taken_word(i.to(), c.gpr[i.ra()], uint64_t(i.simm()))) trap(i);
}
void td(ThreadContext& c, Instr i) {
  if (trap_taken(i.to(), int64_t(c.gpr[i.ra()]), int64_t(c.gpr[i.rb()]))) trap(i);
}
void tdi(ThreadContext& c, Instr i) {
  if (trap_taken(i.to(), int64_t(c.gpr[i.ra()]), i.simm())) trap(i);
}

constexpr OpEntry kOps[] = {
    op<sc>("sc"),
    op<mftb>("mftb"),
    op<mftb>("mfspr(tbl)"),
    op<mftb>("mfspr(tbu)"),
    op<mfspr>("mfspr"),
    op<mtspr>("mtspr"),
    op<sync>("sync"),
    op<eieio>("eieio"),
    op<isync>("isync"),
    op<tw>("tw"),
    op<td>("td"),
    op<twi>("twi"),
    op<tdi>("tdi"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> system_ops() { return interp::kOps; }
}  // namespace hexad::cpu
