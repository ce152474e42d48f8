// FPSCR unit: mffs, mtfsf, mtfsfi, mtfsb0, mtfsb1, mcrfs (Power ISA Book I 4.6.10).
//
// - FEX and VX are summaries: never set or cleared explicitly, always recomputed.
// - mtfsf/mtfsfi write FX and OX from their operand and never set FX implicitly; mtfsb1 sets FX
//   when it changes an exception bit from 0 to 1 (the ISA's FX rule exempts only mtfsf/mtfsfi).
// - mcrfs copies a field to CR and clears the exception bits it copied (FX, OX, UX, ZX, XX,
//   VX*), except FEX and VX, which are recomputed.
// - mffs puts the FPSCR in the low word of FRT with a zero high word (the ISA leaves the high
//   word undefined; qemu also returns zero there).
// - The Xenon predates Power ISA 2.05, so mtfsf's L and W bits and mtfsfi's W bit are reserved
//   and ignored. FPSCR bit 20 is reserved and reads as 0.
#include "cpu/interp/fpu_common.h"

namespace hexad::cpu::interp {
namespace {
using namespace fpu;

constexpr uint32_t field_mask(uint32_t field) { return 0xF0000000u >> (4 * field); }

void finish(ThreadContext& c, Instr i, uint32_t f) {
  c.fpscr = with_summaries(f & ~kReservedBit);
  if (i.rc()) record_cr1(c);
}

void mffs(ThreadContext& c, Instr i) {
  c.fpr[i.rt()] = c.fpscr;
  if (i.rc()) record_cr1(c);
}

void mtfsf(ThreadContext& c, Instr i) {
  const uint32_t flm = i.bits(7, 14);
  uint32_t mask = 0;
  for (uint32_t k = 0; k < 8; ++k)
    if (flm & (0x80u >> k)) mask |= field_mask(k);
  finish(c, i, (c.fpscr & ~mask) | (uint32_t(c.fpr[i.rb()]) & mask));
}

void mtfsfi(ThreadContext& c, Instr i) {
  const uint32_t bf = i.crfd();
  finish(c, i, (c.fpscr & ~field_mask(bf)) | (i.bits(16, 19) << (28 - 4 * bf)));
}

void mtfsb0(ThreadContext& c, Instr i) { finish(c, i, c.fpscr & ~fpscr_bit(int(i.crbd()))); }

void mtfsb1(ThreadContext& c, Instr i) {
  const uint32_t bit = fpscr_bit(int(i.crbd()));
  if (bit & (kFEX | kVX | kReservedBit)) return finish(c, i, c.fpscr);
  finish(c, i, raise(c.fpscr, bit));
}

void mcrfs(ThreadContext& c, Instr i) {
  const uint32_t bfa = i.crfs();
  c.cr[i.crfd()] = uint8_t((c.fpscr >> (28 - 4 * bfa)) & 0xF);
  finish(c, i, c.fpscr & ~(field_mask(bfa) & (kFX | kExceptionBits)));
}

constexpr OpEntry kOps[] = {
    op<mcrfs>("mcrfs"),
    op<mtfsb1>("mtfsb1"),
    op<mtfsb0>("mtfsb0"),
    op<mtfsfi>("mtfsfi"),
    op<mffs>("mffs"),
    op<mtfsf>("mtfsf"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> fpscr_ops() { return interp::kOps; }
}  // namespace hexad::cpu
