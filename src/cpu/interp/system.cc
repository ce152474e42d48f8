// System unit: sc, SPR moves, timebase, traps, barriers and cache control.
#include "cpu/interp/helpers.h"

namespace hexad::cpu::interp {
namespace {

void sc(ThreadContext& c, Instr i) {
  c.pc = mode_addr(c, c.pc + 4);
  c.stop = StopReason::Syscall;
}

uint64_t timebase(const ThreadContext& c) {
  return c.clock ? c.clock->timebase(c) : c.instructions / kCyclesPerTimebaseTick;
}

// mftb rt, tbr: 268 = TBL (the whole 64-bit TB in 64-bit implementations), 269 = TBU.
void mftb(ThreadContext& c, Instr i) {
  uint64_t tb = timebase(c);
  R(c, i.rt()) = i.spr() == 269 ? (tb >> 32) : tb;
}

constexpr OpEntry kOps[] = {
    {"sc", 0xFC000002u, 17u << 26 | 2u, sc, kOpEndsBlock | kOpSetsPc},
    op("mftb", form_x(31, 371), mftb, kOpEndsBlock),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> system_ops() { return interp::kOps; }
}  // namespace hexad::cpu
