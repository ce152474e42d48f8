// FPU load/store unit: lfs, lfd, stfs, stfd (D and X forms, with update) and stfiwx
// (Power ISA Book I 4.6.2-4.6.3).
//
// Single-precision loads and stores convert between the formats on the bits, as the ISA's
// "Floating-Point Load/Store Single" models specify - never through host float conversions,
// which would quiet an SNaN:
// - lfs: a single (SNaN included) becomes the double of the same value; NaN and infinity keep
//   their fraction bits (an SNaN stays signalling); a single denormal is normalised.
// - stfs: a value with double exponent > 896 (single normals, infinities, NaNs; and out-of-range
//   values, whose bits are simply selected) stores sign, the exponent's top bit and bits 5-34; an
//   exponent in 874..896 stores the denormalised (truncated) single; anything smaller (the ISA
//   leaves it undefined) stores a signed zero, as qemu does.
// Conventions as in loadstore.cc: EAs use the low 32 bits; update forms with RA=0 are invalid
// forms (InvalidInstruction); the load happens before any register is written.
#include "cpu/interp/fpu_common.h"

namespace hexad::cpu::interp {
namespace {
using namespace fpu;

[[noreturn]] void invalid(Instr i) { throw InstructionFault{FaultKind::InvalidInstruction, i.w}; }

uint64_t single_to_double(uint32_t w) {
  const uint64_t sign = uint64_t(w >> 31) << 63;
  const uint32_t e = (w >> 23) & 0xFF, f = w & 0x7FFFFF;
  if (e == 0xFF) return sign | kExpMask | uint64_t(f) << 29;
  if (e) return sign | uint64_t(e + 1023 - 127) << 52 | uint64_t(f) << 29;
  if (f == 0) return sign;
  const int m = 31 - std::countl_zero(f);  // value = f * 2^-149
  return sign | uint64_t(m - 149 + 1023) << 52 | ((uint64_t(f) << (52 - m)) & kFracMask);
}

uint32_t double_to_single(uint64_t d) {
  const uint32_t e = uint32_t(d >> 52) & 0x7FF;
  if (e > 896) return uint32_t((d >> 32) & 0xC0000000u) | uint32_t((d >> 29) & 0x3FFFFFFFu);
  const uint32_t sign = uint32_t(d >> 63) << 31;
  if (e < 874) return sign;
  return sign | uint32_t(((d & kFracMask) | (1ull << 52)) >> (926 - e));
}

uint64_t ea_d(const ThreadContext& c, Instr i) { return ra0(c, i) + uint64_t(i.simm()); }
uint64_t ea_x(const ThreadContext& c, Instr i) { return ra0(c, i) + c.gpr[i.rb()]; }
uint64_t ea_du(const ThreadContext& c, Instr i) { return c.gpr[i.ra()] + uint64_t(i.simm()); }
uint64_t ea_xu(const ThreadContext& c, Instr i) { return c.gpr[i.ra()] + c.gpr[i.rb()]; }

uint64_t load_single(ThreadContext& c, uint64_t ea64) { return single_to_double(mem(c).read32(ea(ea64))); }
uint64_t load_double(ThreadContext& c, uint64_t ea64) { return mem(c).read<uint64_t>(ea(ea64)); }
void store_single(ThreadContext& c, Instr i, uint64_t ea64) { mem(c).write32(ea(ea64), double_to_single(c.fpr[i.rs()])); }
void store_double(ThreadContext& c, Instr i, uint64_t ea64) { mem(c).write<uint64_t>(ea(ea64), c.fpr[i.rs()]); }

template <uint64_t (*kLoad)(ThreadContext&, uint64_t), uint64_t (*kEa)(const ThreadContext&, Instr)>
void load(ThreadContext& c, Instr i) {
  c.fpr[i.rt()] = kLoad(c, kEa(c, i));
}
template <uint64_t (*kLoad)(ThreadContext&, uint64_t), uint64_t (*kEa)(const ThreadContext&, Instr)>
void load_update(ThreadContext& c, Instr i) {
  if (i.ra() == 0) invalid(i);
  const uint64_t a = kEa(c, i);
  c.fpr[i.rt()] = kLoad(c, a);
  c.gpr[i.ra()] = mode_addr(c, a);
}
template <void (*kStore)(ThreadContext&, Instr, uint64_t), uint64_t (*kEa)(const ThreadContext&, Instr)>
void store(ThreadContext& c, Instr i) {
  kStore(c, i, kEa(c, i));
}
template <void (*kStore)(ThreadContext&, Instr, uint64_t), uint64_t (*kEa)(const ThreadContext&, Instr)>
void store_update(ThreadContext& c, Instr i) {
  if (i.ra() == 0) invalid(i);
  const uint64_t a = kEa(c, i);
  kStore(c, i, a);
  c.gpr[i.ra()] = mode_addr(c, a);
}

// stfiwx: the low word of FRS, as is.
void stfiwx(ThreadContext& c, Instr i) { mem(c).write32(ea(ea_x(c, i)), uint32_t(c.fpr[i.rs()])); }

constexpr OpEntry kOps[] = {
    op<load<load_single, ea_d>>("lfs", form_d(48)),
    op<load_update<load_single, ea_du>>("lfsu", form_d(49)),
    op<load<load_double, ea_d>>("lfd", form_d(50)),
    op<load_update<load_double, ea_du>>("lfdu", form_d(51)),
    op<store<store_single, ea_d>>("stfs", form_d(52)),
    op<store_update<store_single, ea_du>>("stfsu", form_d(53)),
    op<store<store_double, ea_d>>("stfd", form_d(54)),
    op<store_update<store_double, ea_du>>("stfdu", form_d(55)),

    op<load<load_single, ea_x>>("lfsx", form_x(31, 535)),
    op<load_update<load_single, ea_xu>>("lfsux", form_x(31, 567)),
    op<load<load_double, ea_x>>("lfdx", form_x(31, 599)),
    op<load_update<load_double, ea_xu>>("lfdux", form_x(31, 631)),
    op<store<store_single, ea_x>>("stfsx", form_x(31, 663)),
    op<store_update<store_single, ea_xu>>("stfsux", form_x(31, 695)),
    op<store<store_double, ea_x>>("stfdx", form_x(31, 727)),
    op<store_update<store_double, ea_xu>>("stfdux", form_x(31, 759)),
    op<stfiwx>("stfiwx", form_x(31, 983)),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> fpu_loadstore_ops() { return interp::kOps; }
}  // namespace hexad::cpu
