// Scalar floating point shared by the FPU units (fpu_loadstore, fpu_arith, fpu_convert, fpscr):
// FPSCR layout and update rules, and an exact software rounding core (Power ISA Book I ch. 4).
//
// Approach: every arithmetic result is computed EXACTLY (or exactly enough: with a sticky bit
// well below the rounding position) in integer arithmetic on the operands' significands, then
// rounded ONCE by round() to the target precision - double, or single for the *s forms - under
// FPSCR[RN]. Nothing depends on host floating-point state (no host FP arithmetic, no <cfenv>),
// so results and FPSCR bits are deterministic across hosts. This also gives, by construction:
// - fused multiply-add with a single rounding, also for fmadds & co. (the 106-bit product and
//   the addend are summed exactly before the one rounding to 24 bits: no double rounding);
// - FR (rounded result larger in magnitude), FI (inexact), XX, OX (after rounding with
//   unbounded exponent), UX with tininess detected BEFORE rounding as on PowerPC (an x86 host
//   detects it after rounding, so host flags could not be used);
// - enabled overflow/underflow (OE/UE=1): the result exponent is adjusted by 1536 (double) or
//   192 (single) as the ISA specifies.
//
// Enabled exceptions never trap here: titles run with FE0=FE1=0 (MSR is not modelled), so an
// exception whose enable bit is set only sets FEX (and, per the ISA's "enabled" actions, an
// invalid operation or zero divide leaves the target FPR and FPRF unchanged).
// FPSCR[NI] (non-IEEE mode) is not modelled: arithmetic is always IEEE.
#pragma once
#include <bit>
#include <cstdint>

#include "cpu/interp/helpers.h"

namespace hexad::cpu::fpu {

using u128 = unsigned __int128;

// --- FPSCR (32 bits; IBM bit n of the 32-bit register is mask 1 << (31 - n)) ---
constexpr uint32_t fpscr_bit(int n) { return 1u << (31 - n); }
constexpr uint32_t kFX = fpscr_bit(0), kFEX = fpscr_bit(1), kVX = fpscr_bit(2), kOX = fpscr_bit(3);
constexpr uint32_t kUX = fpscr_bit(4), kZX = fpscr_bit(5), kXX = fpscr_bit(6), kVXSNAN = fpscr_bit(7);
constexpr uint32_t kVXISI = fpscr_bit(8), kVXIDI = fpscr_bit(9), kVXZDZ = fpscr_bit(10), kVXIMZ = fpscr_bit(11);
constexpr uint32_t kVXVC = fpscr_bit(12), kFR = fpscr_bit(13), kFI = fpscr_bit(14);
constexpr uint32_t kVXSOFT = fpscr_bit(21), kVXSQRT = fpscr_bit(22), kVXCVI = fpscr_bit(23);
constexpr uint32_t kVE = fpscr_bit(24), kOE = fpscr_bit(25), kUE = fpscr_bit(26), kZE = fpscr_bit(27);
constexpr uint32_t kXE = fpscr_bit(28), kNI = fpscr_bit(29);
constexpr uint32_t kReservedBit = fpscr_bit(20);  // reads as 0
constexpr int kFprfShift = 12;                     // FPRF = bits 15..19 (C, FL, FG, FE, FU)
constexpr uint32_t kFprfMask = 0x1Fu << kFprfShift;
constexpr uint32_t kFpccMask = 0xFu << kFprfShift;
constexpr uint32_t kVXAll = kVXSNAN | kVXISI | kVXIDI | kVXZDZ | kVXIMZ | kVXVC | kVXSOFT | kVXSQRT | kVXCVI;
// The sticky exception bits: an instruction (other than mtfsf/mtfsfi) that changes one from 0 to
// 1 also sets FX.
constexpr uint32_t kExceptionBits = kOX | kUX | kZX | kXX | kVXAll;

enum : uint32_t { kRoundNearest = 0, kRoundZero = 1, kRoundUp = 2, kRoundDown = 3 };

// FPRF values (C || FPCC) for each result class.
enum : uint32_t {
  kClassQNaN = 0x11,
  kClassNegInf = 0x09,
  kClassNegNormal = 0x08,
  kClassNegDenorm = 0x18,
  kClassNegZero = 0x12,
  kClassPosZero = 0x02,
  kClassPosDenorm = 0x14,
  kClassPosNormal = 0x04,
  kClassPosInf = 0x05,
};

// Recomputes the summary bits: VX = OR of the VX* bits, FEX = OR of (exception AND enable).
// Each of VX, OX, UX, ZX, XX sits 22 bits above its enable VE, OE, UE, ZE, XE.
inline uint32_t with_summaries(uint32_t f) {
  f &= ~(kVX | kFEX);
  if (f & kVXAll) f |= kVX;
  if (f & (f << 22) & (kVX | kOX | kUX | kZX | kXX)) f |= kFEX;
  return f;
}

// Sets the sticky exception bits `exc`; FX when any of them changes from 0 to 1.
inline uint32_t raise(uint32_t f, uint32_t exc) {
  if (exc & ~f & kExceptionBits) f |= kFX;
  return with_summaries(f | exc);
}

// Rc=1 of a floating-point instruction: CR1 = FPSCR[FX, FEX, VX, OX].
inline void record_cr1(ThreadContext& c) { c.cr[1] = uint8_t(c.fpscr >> 28); }

// --- IEEE double bit patterns ---
constexpr uint64_t kSignBit = 1ull << 63;
constexpr uint64_t kExpMask = 0x7FFull << 52;
constexpr uint64_t kFracMask = (1ull << 52) - 1;
constexpr uint64_t kQuietBit = 1ull << 51;
constexpr uint64_t kDefaultQNaN = 0x7FF8000000000000ull;
constexpr uint64_t kPosInf = kExpMask;

inline bool is_nan(uint64_t b) { return (b & ~kSignBit) > kExpMask; }
inline bool is_snan(uint64_t b) { return is_nan(b) && !(b & kQuietBit); }
inline bool is_inf(uint64_t b) { return (b & ~kSignBit) == kExpMask; }
inline bool is_zero(uint64_t b) { return (b & ~kSignBit) == 0; }
inline bool is_neg(uint64_t b) { return b >> 63; }
inline uint64_t quiet(uint64_t b) { return b | kQuietBit; }
// A NaN in double format reduced to single precision (the ISA's round-to-single model for a NaN
// operand: the fraction beyond the single format's 23 bits is dropped).
inline uint64_t nan_to_single(uint64_t b) { return b & ~((1ull << 29) - 1); }

// FPRF class of a value in double format; `single` classifies it as a single-precision result
// (a single denormal is a normal double: biased double exponent below 1023 - 126).
inline uint32_t fprf_class(uint64_t b, bool single) {
  const bool neg = is_neg(b);
  const uint64_t m = b & ~kSignBit;
  if (m > kExpMask) return kClassQNaN;
  if (m == kExpMask) return neg ? kClassNegInf : kClassPosInf;
  if (m == 0) return neg ? kClassNegZero : kClassPosZero;
  const uint64_t e = m >> 52;
  const bool denorm = single ? e < 1023 - 126 : e == 0;
  if (denorm) return neg ? kClassNegDenorm : kClassPosDenorm;
  return neg ? kClassNegNormal : kClassPosNormal;
}

// --- Exact values: (-1)^neg * sig * 2^e ---
struct Exact {
  bool neg;
  int e;
  u128 sig;  // non-zero for finite non-zero values
};

inline int msb_index(u128 x) {  // x != 0
  uint64_t hi = uint64_t(x >> 64);
  return hi ? 127 - std::countl_zero(hi) : 63 - std::countl_zero(uint64_t(x));
}

// A finite non-zero double.
inline Exact unpack(uint64_t b) {
  const uint64_t ef = (b >> 52) & 0x7FF, f = b & kFracMask;
  if (ef) return {is_neg(b), int(ef) - 1075, u128(f | (1ull << 52))};
  return {is_neg(b), -1074, u128(f)};
}

// The same value with its significand's top bit at `pos`.
inline Exact top(Exact x, int pos) {
  const int m = msb_index(x.sig);
  if (m < pos) return {x.neg, x.e - (pos - m), x.sig << (pos - m)};
  return {x.neg, x.e + (m - pos), x.sig >> (m - pos)};  // callers only shift out zero bits
}

// x >> d with the bits shifted out ORed into bit 0 ("jamming"): exact for rounding as long as
// bit 0 lies below the rounding position's round bit.
inline u128 jam_shift_right(u128 x, int64_t d) {
  if (d <= 0) return x;
  if (d >= 128) return x != 0;
  return (x >> d) | u128((x << (128 - d)) != 0);
}

// --- Rounding ---
struct Format {
  int p;       // precision in bits, with the leading bit
  int emin;    // exponent of the smallest normal
  int emax;    // exponent of the largest finite
  int adjust;  // exponent adjustment for enabled overflow/underflow
};
constexpr Format kDoubleFormat{53, -1022, 1023, 1536};
constexpr Format kSingleFormat{24, -126, 127, 192};

// A rounded result in double format plus what it raises: `exc` holds sticky exception bits
// (OX, UX, XX, ZX, VX*), `status` the non-sticky FR and FI.
struct Result {
  uint64_t bits;
  uint32_t exc;
  uint32_t status;
};

// Packs kept * 2^lsb_exp (kept != 0, at most 54 significant bits, in range) as a double.
inline uint64_t pack_double(bool neg, u128 kept, int lsb_exp) {
  const int m = msb_index(kept);
  const int exp = lsb_exp + m;
  const uint64_t sign = neg ? kSignBit : 0;
  if (exp < -1022) return sign | uint64_t(kept << (lsb_exp + 1074));  // double denormal
  const uint64_t sig = m > 52 ? uint64_t(kept >> (m - 52)) : uint64_t(kept << (52 - m));
  return sign | uint64_t(exp + 1023) << 52 | (sig & kFracMask);
}

// Rounds (-1)^neg * sig * 2^e (sig != 0, sig < 2^127) to `fmt` under FPSCR[RN] and the OE/UE
// enables of `fpscr`. The value is returned in double format.
inline Result round(uint32_t fpscr, bool neg, int e, u128 sig, const Format& fmt) {
  const uint32_t rn = fpscr & 3;
  const int E = e + msb_index(sig);  // the exact value is in [2^E, 2^(E+1))
  const bool tiny = E < fmt.emin;     // tininess before rounding
  const bool denormalize = tiny && !(fpscr & kUE);
  int lsb_exp = denormalize ? fmt.emin - (fmt.p - 1) : E - (fmt.p - 1);
  const int64_t shift = int64_t(lsb_exp) - e;  // bits of sig below the kept LSB

  u128 kept;
  bool inexact = false, above_half = false, at_half = false;
  if (shift <= 0) {
    kept = sig << -shift;
  } else if (shift >= 128) {
    kept = 0;
    inexact = true;  // sig < 2^127 <= half: below half
  } else {
    kept = sig >> shift;
    const u128 rem = sig & ((u128(1) << shift) - 1), half = u128(1) << (shift - 1);
    inexact = rem != 0;
    above_half = rem > half;
    at_half = rem == half;
  }
  bool up = false;
  switch (rn) {
    case kRoundNearest: up = above_half || (at_half && (kept & 1)); break;
    case kRoundZero: break;
    case kRoundUp: up = inexact && !neg; break;
    case kRoundDown: up = inexact && neg; break;
  }
  kept += up;

  Result r{0, 0, 0};
  if (inexact) r.exc |= kXX, r.status |= kFI;
  if (up) r.status |= kFR;
  if (tiny && (inexact || (fpscr & kUE))) r.exc |= kUX;
  if (kept == 0) {  // underflow to zero
    r.bits = neg ? kSignBit : 0;
    return r;
  }
  if (tiny && (fpscr & kUE)) lsb_exp += fmt.adjust;
  const int final_exp = lsb_exp + msb_index(kept);
  if (final_exp > fmt.emax) {
    r.exc |= kOX;
    if (fpscr & kOE) {
      lsb_exp -= fmt.adjust;
    } else {
      // Disabled overflow: infinity or the largest finite number by rounding mode; FI and XX
      // are set, FR (undefined in the ISA) tells whether the magnitude went up.
      r.exc |= kXX;
      const bool to_inf = rn == kRoundNearest || (rn == kRoundUp && !neg) || (rn == kRoundDown && neg);
      r.status = kFI | (to_inf ? kFR : 0);
      if (to_inf) {
        r.bits = (neg ? kSignBit : 0) | kPosInf;
      } else {
        r.bits = pack_double(neg, (u128(1) << fmt.p) - 1, fmt.emax - (fmt.p - 1));
      }
      return r;
    }
  }
  r.bits = pack_double(neg, kept, lsb_exp);
  return r;
}

// An exactly zero sum: +0, or -0 when both addends are -0 or when rounding toward -infinity
// cancels non-zero addends (and +0 + -0 gives -0 in that mode too).
inline uint64_t zero_sum_bits(uint32_t fpscr, bool neg_a, bool neg_b) {
  if (neg_a == neg_b) return neg_a ? kSignBit : 0;
  return (fpscr & 3) == kRoundDown ? kSignBit : 0;
}

// a + b, both finite; either may have a zero significand (a signed zero).
inline Result add_exact(uint32_t fpscr, Exact a, Exact b, const Format& fmt) {
  if (a.sig == 0 && b.sig == 0) return {zero_sum_bits(fpscr, a.neg, b.neg), 0, 0};
  if (a.sig == 0) return round(fpscr, b.neg, b.e, b.sig, fmt);
  if (b.sig == 0) return round(fpscr, a.neg, a.e, a.sig, fmt);
  a = top(a, 124);  // two bits of headroom for the carry
  b = top(b, 124);
  if (a.e < b.e || (a.e == b.e && a.sig < b.sig)) std::swap(a, b);
  const u128 bs = jam_shift_right(b.sig, int64_t(a.e) - b.e);
  const u128 sum = a.neg == b.neg ? a.sig + bs : a.sig - bs;
  if (sum == 0) return {zero_sum_bits(fpscr, a.neg, b.neg), 0, 0};
  return round(fpscr, a.neg, a.e, sum, fmt);
}

// A finite double (possibly zero) as an Exact.
inline Exact exact_of(uint64_t b) { return is_zero(b) ? Exact{is_neg(b), 0, 0} : unpack(b); }

// --- Writing an arithmetic result ---
// Stores `r` in FRT with FPRF, FR and FI, raises its exceptions, and records CR1 for Rc=1. An
// invalid operation with VE=1 or a zero divide with ZE=1 leaves FRT and FPRF unchanged and
// clears FR and FI (the ISA's "enabled" actions; no interrupt is taken, see the top comment).
inline void commit(ThreadContext& c, Instr i, const Result& r, bool single) {
  uint32_t f = c.fpscr & ~(kFR | kFI);
  const bool suppressed = ((r.exc & kVXAll) && (f & kVE)) || ((r.exc & kZX) && (f & kZE));
  if (!suppressed) {
    // A single-precision NaN result is the NaN rounded to single: its low fraction is dropped.
    c.fpr[i.rt()] = single && is_nan(r.bits) ? nan_to_single(r.bits) : r.bits;
    f = (f & ~kFprfMask) | r.status | fprf_class(r.bits, single) << kFprfShift;
  }
  c.fpscr = raise(f, r.exc);
  if (i.rc()) record_cr1(c);
}

}  // namespace hexad::cpu::fpu
