// FPU conversion, move and compare unit: frsp, fctiw(z), fctid(z), fcfid, fmr, fneg, fabs, fnabs,
// fcmpu, fcmpo (Power ISA Book I 4.6.4, 4.6.7-4.6.8).
//
// - frsp rounds to single under FPSCR[RN] (OX/UX/XX/FR/FI, FPRF as a single-precision class); a
//   NaN is quieted and its fraction cut to the single format's 23 bits (the ISA's
//   round-to-single model).
// - fctiw[z]/fctid[z] round under RN (or toward zero); NaN and out-of-range operands raise VXCVI
//   (plus VXSNAN for an SNaN) and give the saturated value - the most negative integer for a
//   NaN - with FR=FI=0. FPRF is undefined in the ISA and left unchanged. The word forms write
//   the 32-bit result sign-extended to 64 bits (the high word is undefined in the ISA; the shared
//   Xenon suite expects e.g. 0xFFFFFFFF80000000 for -2^31, and a NaN gives the same).
// - fmr/fneg/fabs/fnabs are bit operations: no FPSCR change, NaNs (SNaNs too) pass unchanged.
// - fcmpu: VXSNAN for an SNaN operand. fcmpo: VXSNAN and, unless VE=1, VXVC for an SNaN;
//   VXVC for a QNaN. Both set CR field BF and FPSCR[FPCC]; FR, FI and FPRF's C are unchanged.
#include "cpu/interp/fpu_common.h"

namespace hexad::cpu::interp {
namespace {
using namespace fpu;

uint64_t B(const ThreadContext& c, Instr i) { return c.fpr[i.rb()]; }

void frsp(ThreadContext& c, Instr i) {
  const uint64_t b = B(c, i);
  Result r{b, 0, 0};
  if (is_nan(b)) {
    r = {nan_to_single(quiet(b)), is_snan(b) ? kVXSNAN : 0, 0};
  } else if (!is_inf(b) && !is_zero(b)) {
    const Exact x = unpack(b);
    r = round(c.fpscr, x.neg, x.e, x.sig, kSingleFormat);
  }
  commit(c, i, r, true);
}

// Float to signed integer of `bits` bits, rounded by `rn`.
template <int kBits>
void convert_to_int(ThreadContext& c, Instr i, uint32_t rn) {
  const uint64_t b = B(c, i);
  const uint64_t max_mag = 1ull << (kBits - 1);  // |most negative|; the maximum is one less
  uint64_t value = 0;
  uint32_t exc = 0, status = 0;
  bool saturate = false, neg = is_neg(b);
  if (is_nan(b)) {
    exc = kVXCVI | (is_snan(b) ? kVXSNAN : 0);
    saturate = true;
    neg = true;
  } else if (is_inf(b)) {
    exc = kVXCVI;
    saturate = true;
  } else if (!is_zero(b)) {
    const Exact x = unpack(b);
    u128 mag;
    bool inexact = false, above_half = false, at_half = false;
    if (x.e >= 0) {
      mag = x.e >= 64 ? ~u128(0) : x.sig << x.e;  // >= 2^64 saturates either way
    } else if (x.e <= -128) {
      mag = 0, inexact = true;
    } else {
      const int s = -x.e;
      mag = x.sig >> s;
      const u128 rem = x.sig & ((u128(1) << s) - 1), half = u128(1) << (s - 1);
      inexact = rem != 0, above_half = rem > half, at_half = rem == half;
    }
    bool up = false;
    switch (rn) {
      case kRoundNearest: up = above_half || (at_half && (mag & 1)); break;
      case kRoundZero: break;
      case kRoundUp: up = inexact && !neg; break;
      case kRoundDown: up = inexact && neg; break;
    }
    mag += up;
    if (mag > (neg ? u128(max_mag) : u128(max_mag - 1))) {
      exc = kVXCVI;
      saturate = true;
    } else {
      value = neg ? 0 - uint64_t(mag) : uint64_t(mag);
      if (inexact) exc = kXX, status = kFI | (up ? kFR : 0);
    }
  }
  if (saturate) value = neg ? 0 - max_mag : max_mag - 1;
  if (kBits == 32) value = uint64_t(int64_t(int32_t(uint32_t(value))));

  uint32_t f = c.fpscr & ~(kFR | kFI);
  if (!((exc & kVXAll) && (f & kVE))) {
    c.fpr[i.rt()] = value;
    f |= status;
  }
  c.fpscr = raise(f, exc);
  if (i.rc()) record_cr1(c);
}

void fctiw(ThreadContext& c, Instr i) { convert_to_int<32>(c, i, c.fpscr & 3); }
void fctiwz(ThreadContext& c, Instr i) { convert_to_int<32>(c, i, kRoundZero); }
void fctid(ThreadContext& c, Instr i) { convert_to_int<64>(c, i, c.fpscr & 3); }
void fctidz(ThreadContext& c, Instr i) { convert_to_int<64>(c, i, kRoundZero); }

void fcfid(ThreadContext& c, Instr i) {
  const uint64_t v = B(c, i);
  Result r{0, 0, 0};
  if (v) {
    const bool neg = int64_t(v) < 0;
    r = round(c.fpscr, neg, 0, u128(neg ? 0 - v : v), kDoubleFormat);
  }
  commit(c, i, r, false);
}

// --- moves: bit operations on the register, no FPSCR change ---
template <uint64_t kAnd, uint64_t kXor>
void move_op(ThreadContext& c, Instr i) {
  c.fpr[i.rt()] = (B(c, i) & kAnd) ^ kXor;
  if (i.rc()) record_cr1(c);
}
constexpr uint64_t kAll = ~0ull;

// --- compares ---
// The 4-bit result (FL, FG, FE, FU as CR LT, GT, EQ, SO) of comparing two doubles.
uint8_t compare_bits(uint64_t a, uint64_t b) {
  if (is_nan(a) || is_nan(b)) return kCrSO;
  if (is_zero(a) && is_zero(b)) return kCrEQ;
  // Sign-magnitude to a monotonic integer key.
  auto key = [](uint64_t x) { return is_neg(x) ? int64_t(0) - int64_t(x & ~kSignBit) : int64_t(x); };
  const int64_t ka = key(a), kb = key(b);
  return ka < kb ? kCrLT : ka > kb ? kCrGT : kCrEQ;
}

void compare(ThreadContext& c, Instr i, bool ordered) {
  const uint64_t a = c.fpr[i.ra()], b = B(c, i);
  const uint8_t res = compare_bits(a, b);
  uint32_t exc = 0;
  if (is_snan(a) || is_snan(b)) {
    exc = kVXSNAN;
    if (ordered && !(c.fpscr & kVE)) exc |= kVXVC;
  } else if (ordered && (is_nan(a) || is_nan(b))) {
    exc = kVXVC;
  }
  c.cr[i.crfd()] = res;
  c.fpscr = raise((c.fpscr & ~kFpccMask) | uint32_t(res) << kFprfShift, exc);
}

void fcmpu(ThreadContext& c, Instr i) { compare(c, i, false); }
void fcmpo(ThreadContext& c, Instr i) { compare(c, i, true); }

constexpr OpEntry kOps[] = {
    op<fcmpu>("fcmpu"),
    op<frsp>("frsp"),
    op<fctiw>("fctiw"),
    op<fctiwz>("fctiwz"),
    op<fcmpo>("fcmpo"),
    op<move_op<kAll, kSignBit>>("fneg"),
    op<move_op<kAll, 0>>("fmr"),
    op<move_op<~kSignBit, kSignBit>>("fnabs"),
    op<move_op<~kSignBit, 0>>("fabs"),
    op<fctid>("fctid"),
    op<fctidz>("fctidz"),
    op<fcfid>("fcfid"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> fpu_convert_ops() { return interp::kOps; }
}  // namespace hexad::cpu
