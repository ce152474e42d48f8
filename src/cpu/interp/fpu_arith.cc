// FPU arithmetic unit: fadd, fsub, fmul, fdiv, the four fused multiply-adds, fsqrt (double and
// single forms), fres, frsqrte, fsel (Power ISA Book I 4.6.5-4.6.7).
//
// Every result is computed exactly and rounded once by fpu::round() (see fpu_common.h), so the
// single-precision forms - fused multiply-adds included - round once, straight to 24 bits.
//
// Special operands follow the ISA:
// - NaN propagation: the first NaN among frA, frB, frC (in that order; fmul has only A and C) is
//   the result, quieted. An SNaN operand anywhere raises VXSNAN.
// - Invalid operations produce the default QNaN 0x7FF8000000000000 and raise VXISI (inf - inf),
//   VXIMZ (inf * 0), VXIDI (inf / inf), VXZDZ (0 / 0) or VXSQRT (sqrt of a negative). For the
//   multiply-adds, inf * 0 raises VXIMZ even when the addend is a NaN (which is then the result),
//   as qemu's PowerPC model does.
// - fnmadd/fnmsub negate the rounded result, except NaN results (ISA: "QNaNs propagate with no
//   effect on their sign bit").
//
// fres and frsqrte: the Xenon's estimate tables are not documented. These return the exact
// reciprocal rounded to single (fres) and the reciprocal of the rounded square root rounded to
// double (frsqrte) under FPSCR[RN] - both within the ISA's required estimate accuracy, and
// bit-identical to qemu's PowerPC model. Real Xenon estimates differ in the low bits (the shared
// suite's disabled frsqrte cases quote 12-bit hardware values such as 1.0 -> 0.999755859375).
// FR and FI, undefined for the estimates, are set from that rounding (FI: either step of
// frsqrte inexact, as qemu); XX is not raised (the ISA does not list it for the estimates).
#include "cpu/interp/fpu_common.h"

#include <initializer_list>

namespace hexad::cpu::interp {
namespace {
using namespace fpu;

// The first NaN operand, quieted, with VXSNAN if any operand is an SNaN. False if none is a NaN.
bool propagate_nan(std::initializer_list<uint64_t> ops, Result& r) {
  bool found = false;
  uint64_t pick = 0;
  uint32_t exc = 0;
  for (uint64_t x : ops) {
    if (!is_nan(x)) continue;
    if (!found) pick = x, found = true;
    if (is_snan(x)) exc = kVXSNAN;
  }
  if (found) r = {quiet(pick), exc, 0};
  return found;
}

uint64_t signed_inf(bool neg) { return (neg ? kSignBit : 0) | kPosInf; }
uint64_t signed_zero(bool neg) { return neg ? kSignBit : 0; }
Result invalid(uint32_t exc) { return {kDefaultQNaN, exc, 0}; }

Result add_op(uint32_t fpscr, uint64_t a, uint64_t b, bool subtract, const Format& fmt) {
  Result r;
  if (propagate_nan({a, b}, r)) return r;
  const bool b_neg = is_neg(b) != subtract;
  if (is_inf(a) || is_inf(b)) {
    if (is_inf(a) && is_inf(b) && is_neg(a) != b_neg) return invalid(kVXISI);
    return {is_inf(a) ? a : signed_inf(b_neg), 0, 0};
  }
  Exact y = exact_of(b);
  y.neg = b_neg;
  return add_exact(fpscr, exact_of(a), y, fmt);
}

Result mul_op(uint32_t fpscr, uint64_t a, uint64_t c, const Format& fmt) {
  Result r;
  if (propagate_nan({a, c}, r)) return r;
  const bool neg = is_neg(a) != is_neg(c);
  if (is_inf(a) || is_inf(c)) {
    if (is_zero(a) || is_zero(c)) return invalid(kVXIMZ);
    return {signed_inf(neg), 0, 0};
  }
  if (is_zero(a) || is_zero(c)) return {signed_zero(neg), 0, 0};
  const Exact x = unpack(a), y = unpack(c);
  return round(fpscr, neg, x.e + y.e, x.sig * y.sig, fmt);
}

Result div_op(uint32_t fpscr, uint64_t a, uint64_t b, const Format& fmt) {
  Result r;
  if (propagate_nan({a, b}, r)) return r;
  const bool neg = is_neg(a) != is_neg(b);
  if (is_inf(a)) return is_inf(b) ? invalid(kVXIDI) : Result{signed_inf(neg), 0, 0};
  if (is_inf(b)) return {signed_zero(neg), 0, 0};
  if (is_zero(b)) return is_zero(a) ? invalid(kVXZDZ) : Result{signed_inf(neg), kZX, 0};
  if (is_zero(a)) return {signed_zero(neg), 0, 0};
  const Exact x = top(unpack(a), 52), y = top(unpack(b), 52);
  const u128 n = x.sig << 74;  // quotient of at least 74 bits; the remainder becomes sticky
  const uint64_t d = uint64_t(y.sig);
  const u128 q = n / d, rem = n % d;
  return round(fpscr, neg, x.e - 74 - y.e, q | u128(rem != 0), fmt);
}

// floor(sqrt(n)) for n < 2^127: a double estimate, one Newton step, then exact correction.
uint64_t isqrt(u128 n) {
  const double approx = __builtin_sqrt(double(uint64_t(n >> 64)) * 18446744073709551616.0 + double(uint64_t(n)));
  uint64_t r = uint64_t(approx);
  if (r == 0) r = 1;
  r = uint64_t((u128(r) + n / r) >> 1);
  while (u128(r) * r > n) --r;
  while (u128(r + 1) * (r + 1) <= n) ++r;
  return r;
}

Result sqrt_op(uint32_t fpscr, uint64_t b, const Format& fmt) {
  Result r;
  if (propagate_nan({b}, r)) return r;
  if (is_zero(b)) return {b, 0, 0};  // sqrt(-0) = -0
  if (is_neg(b)) return invalid(kVXSQRT);
  if (is_inf(b)) return {b, 0, 0};
  Exact x = top(unpack(b), 52);
  if (x.e & 1) x.sig <<= 1, x.e -= 1;  // even exponent
  const u128 n = x.sig << 72;          // < 2^127; the root has at least 62 bits
  const uint64_t s = isqrt(n);
  const bool exact = u128(s) * s == n;
  return round(fpscr, false, (x.e - 72) / 2, u128(s) | u128(!exact), fmt);
}

// (a * c) + b, with b negated for the msub forms and the rounded result negated for the
// nm* forms (not a NaN result).
Result fma_op(uint32_t fpscr, uint64_t a, uint64_t c, uint64_t b, bool negate_b, bool negate_result,
              const Format& fmt) {
  Result r;
  const bool imz = (is_inf(a) && is_zero(c)) || (is_zero(a) && is_inf(c));
  if (propagate_nan({a, b, c}, r)) {
    if (imz) r.exc |= kVXIMZ;
    return r;
  }
  if (imz) return invalid(kVXIMZ);
  const bool p_neg = is_neg(a) != is_neg(c);
  const bool b_neg = is_neg(b) != negate_b;
  if (is_inf(a) || is_inf(c)) {
    if (is_inf(b) && b_neg != p_neg) return invalid(kVXISI);
    r = {signed_inf(p_neg), 0, 0};
  } else if (is_inf(b)) {
    r = {signed_inf(b_neg), 0, 0};
  } else {
    Exact p{p_neg, 0, 0};
    if (!is_zero(a) && !is_zero(c)) {
      const Exact x = unpack(a), y = unpack(c);
      p = {p_neg, x.e + y.e, x.sig * y.sig};  // exact 106-bit product
    }
    Exact addend = exact_of(b);
    addend.neg = b_neg;
    r = add_exact(fpscr, p, addend, fmt);
  }
  if (negate_result) r.bits ^= kSignBit;
  return r;
}

Result fres_op(uint32_t fpscr, uint64_t b) {
  Result r;
  if (propagate_nan({b}, r)) return r;
  if (is_zero(b)) return {signed_inf(is_neg(b)), kZX, 0};
  if (is_inf(b)) return {signed_zero(is_neg(b)), 0, 0};
  const Exact x = top(unpack(b), 52);
  const u128 n = u128(1) << 126;
  const uint64_t d = uint64_t(x.sig);
  r = round(fpscr, x.neg, -126 - x.e, n / d | u128(n % d != 0), kSingleFormat);
  r.exc &= ~kXX;
  return r;
}

Result frsqrte_op(uint32_t fpscr, uint64_t b) {
  Result r;
  if (propagate_nan({b}, r)) return r;
  if (is_zero(b)) return {signed_inf(is_neg(b)), kZX, 0};
  if (is_neg(b)) return invalid(kVXSQRT);
  if (is_inf(b)) return {0, 0, 0};
  const Result s = sqrt_op(fpscr, b, kDoubleFormat);
  r = div_op(fpscr, 0x3FF0000000000000ull, s.bits, kDoubleFormat);
  r.status |= s.status & kFI;  // either step inexact
  r.exc &= ~kXX;
  return r;
}

// --- handlers: frT = i.rt(), frA = i.ra(), frB = i.rb(), frC = i.rc_reg() ---
uint64_t A(const ThreadContext& c, Instr i) { return c.fpr[i.ra()]; }
uint64_t B(const ThreadContext& c, Instr i) { return c.fpr[i.rb()]; }
uint64_t C(const ThreadContext& c, Instr i) { return c.fpr[i.rc_reg()]; }

void fadd(ThreadContext& c, Instr i) { commit(c, i, add_op(c.fpscr, A(c, i), B(c, i), false, kDoubleFormat), false); }
void fadds(ThreadContext& c, Instr i) { commit(c, i, add_op(c.fpscr, A(c, i), B(c, i), false, kSingleFormat), true); }
void fsub(ThreadContext& c, Instr i) { commit(c, i, add_op(c.fpscr, A(c, i), B(c, i), true, kDoubleFormat), false); }
void fsubs(ThreadContext& c, Instr i) { commit(c, i, add_op(c.fpscr, A(c, i), B(c, i), true, kSingleFormat), true); }
void fmul(ThreadContext& c, Instr i) { commit(c, i, mul_op(c.fpscr, A(c, i), C(c, i), kDoubleFormat), false); }
void fmuls(ThreadContext& c, Instr i) { commit(c, i, mul_op(c.fpscr, A(c, i), C(c, i), kSingleFormat), true); }
void fdiv(ThreadContext& c, Instr i) { commit(c, i, div_op(c.fpscr, A(c, i), B(c, i), kDoubleFormat), false); }
void fdivs(ThreadContext& c, Instr i) { commit(c, i, div_op(c.fpscr, A(c, i), B(c, i), kSingleFormat), true); }
void fsqrt(ThreadContext& c, Instr i) { commit(c, i, sqrt_op(c.fpscr, B(c, i), kDoubleFormat), false); }
void fsqrts(ThreadContext& c, Instr i) { commit(c, i, sqrt_op(c.fpscr, B(c, i), kSingleFormat), true); }
void fres(ThreadContext& c, Instr i) { commit(c, i, fres_op(c.fpscr, B(c, i)), true); }
void frsqrte(ThreadContext& c, Instr i) { commit(c, i, frsqrte_op(c.fpscr, B(c, i)), false); }

template <bool kNegB, bool kNegResult, bool kSingle>
void fma_form(ThreadContext& c, Instr i) {
  commit(c, i, fma_op(c.fpscr, A(c, i), C(c, i), B(c, i), kNegB, kNegResult, kSingle ? kSingleFormat : kDoubleFormat),
         kSingle);
}

// fsel: frA >= 0 (either zero included; not a NaN) selects frC, else frB. No FPSCR change.
void fsel(ThreadContext& c, Instr i) {
  const uint64_t a = A(c, i);
  const bool ge_zero = !is_nan(a) && (!is_neg(a) || is_zero(a));
  c.fpr[i.rt()] = ge_zero ? C(c, i) : B(c, i);
  if (i.rc()) record_cr1(c);
}

constexpr OpEntry kOps[] = {
    op<fdivs>("fdivs"),
    op<fsubs>("fsubs"),
    op<fadds>("fadds"),
    op<fsqrts>("fsqrts"),
    op<fres>("fres"),
    op<fmuls>("fmuls"),
    op<fma_form<true, false, true>>("fmsubs"),
    op<fma_form<false, false, true>>("fmadds"),
    op<fma_form<true, true, true>>("fnmsubs"),
    op<fma_form<false, true, true>>("fnmadds"),

    op<fdiv>("fdiv"),
    op<fsub>("fsub"),
    op<fadd>("fadd"),
    op<fsqrt>("fsqrt"),
    op<fsel>("fsel"),
    op<fmul>("fmul"),
    op<frsqrte>("frsqrte"),
    op<fma_form<true, false, false>>("fmsub"),
    op<fma_form<false, false, false>>("fmadd"),
    op<fma_form<true, true, false>>("fnmsub"),
    op<fma_form<false, true, false>>("fnmadd"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> fpu_arith_ops() { return interp::kOps; }
}  // namespace hexad::cpu
