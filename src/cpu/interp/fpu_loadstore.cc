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

// Written once over an access policy A (Checked or Direct, helpers.h), as in loadstore.cc: each
// returns whether the access was made, and a declining Direct attempt has changed nothing.
using EaFn = uint64_t (*)(const ThreadContext&, Instr);

template <class A, bool kSingle>
bool load_fpr(ThreadContext& c, uint64_t ea64, uint64_t& v) {
  if constexpr (kSingle) {
    uint32_t w;
    if (!A::read(c, ea(ea64), w)) return false;
    v = single_to_double(w);
    return true;
  } else {
    return A::read(c, ea(ea64), v);
  }
}
template <class A, bool kSingle>
bool store_fpr(ThreadContext& c, Instr i, uint64_t ea64) {
  if constexpr (kSingle) return A::write(c, ea(ea64), double_to_single(c.fpr[i.rs()]));
  else return A::write(c, ea(ea64), c.fpr[i.rs()]);
}

template <class A, bool kSingle, EaFn kEa>
bool load(ThreadContext& c, Instr i) {
  uint64_t v;
  if (!load_fpr<A, kSingle>(c, kEa(c, i), v)) return false;
  c.fpr[i.rt()] = v;
  return true;
}
template <class A, bool kSingle, EaFn kEa>
bool load_update(ThreadContext& c, Instr i) {
  if (i.ra() == 0) invalid(i);
  const uint64_t a = kEa(c, i);
  uint64_t v;
  if (!load_fpr<A, kSingle>(c, a, v)) return false;
  c.fpr[i.rt()] = v;
  c.gpr[i.ra()] = mode_addr(c, a);
  return true;
}
template <class A, bool kSingle, EaFn kEa>
bool store(ThreadContext& c, Instr i) {
  return store_fpr<A, kSingle>(c, i, kEa(c, i));
}
template <class A, bool kSingle, EaFn kEa>
bool store_update(ThreadContext& c, Instr i) {
  if (i.ra() == 0) invalid(i);
  const uint64_t a = kEa(c, i);
  if (!store_fpr<A, kSingle>(c, i, a)) return false;
  c.gpr[i.ra()] = mode_addr(c, a);
  return true;
}

// Table entries: the checked handler and the direct attempt of one access shape.
template <bool kSingle, EaFn kEa>
consteval OpEntry fp_load(const char* name) {
  return mem_op<load<Checked, kSingle, kEa>, load<Direct, kSingle, kEa>>(name);
}
template <bool kSingle, EaFn kEa>
consteval OpEntry fp_load_update(const char* name) {
  return mem_op<load_update<Checked, kSingle, kEa>, load_update<Direct, kSingle, kEa>>(name);
}
template <bool kSingle, EaFn kEa>
consteval OpEntry fp_store(const char* name) {
  return mem_op<store<Checked, kSingle, kEa>, store<Direct, kSingle, kEa>>(name);
}
template <bool kSingle, EaFn kEa>
consteval OpEntry fp_store_update(const char* name) {
  return mem_op<store_update<Checked, kSingle, kEa>, store_update<Direct, kSingle, kEa>>(name);
}
constexpr bool kSingle = true, kDouble = false;

// stfiwx: the low word of FRS, as is.
void stfiwx(ThreadContext& c, Instr i) { mem(c).write32(ea(ea_x(c, i)), uint32_t(c.fpr[i.rs()])); }

constexpr OpEntry kOps[] = {
    fp_load<kSingle, ea_d>("lfs"),
    fp_load_update<kSingle, ea_du>("lfsu"),
    fp_load<kDouble, ea_d>("lfd"),
    fp_load_update<kDouble, ea_du>("lfdu"),
    fp_store<kSingle, ea_d>("stfs"),
    fp_store_update<kSingle, ea_du>("stfsu"),
    fp_store<kDouble, ea_d>("stfd"),
    fp_store_update<kDouble, ea_du>("stfdu"),

    fp_load<kSingle, ea_x>("lfsx"),
    fp_load_update<kSingle, ea_xu>("lfsux"),
    fp_load<kDouble, ea_x>("lfdx"),
    fp_load_update<kDouble, ea_xu>("lfdux"),
    fp_store<kSingle, ea_x>("stfsx"),
    fp_store_update<kSingle, ea_xu>("stfsux"),
    fp_store<kDouble, ea_x>("stfdx"),
    fp_store_update<kDouble, ea_xu>("stfdux"),
    op<stfiwx>("stfiwx"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> fpu_loadstore_ops() { return interp::kOps; }
}  // namespace hexad::cpu
