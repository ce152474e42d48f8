// VMX integer unit: modulo and saturating add/subtract, carries, averages, min/max, multiplies,
// multiply-sums, sums across, logicals and integer compares (Power ISA Book I ch. 6 / AltiVec
// PEM ch. 6). The operations live in hexad::cpu::vmx (vmx_impl.h) by register index; the
// handlers at the bottom only decode the VX/VA/VC fields and call them.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "cpu/interp/helpers.h"
#include "cpu/interp/vmx_impl.h"

namespace hexad::cpu::vmx {
namespace {

// Lane-wise helpers: f(a_elem, b_elem) -> result element (as an unsigned of the lane width).
template <class F>
void lanes_b(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, F f) {
  Vec a = get(c, va), b = get(c, vb), d{};
  for (unsigned i = 0; i < 16; ++i) d.set_b(i, uint8_t(f(a.b(i), b.b(i))));
  put(c, vd, d);
}
template <class F>
void lanes_h(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, F f) {
  Vec a = get(c, va), b = get(c, vb), d{};
  for (unsigned i = 0; i < 8; ++i) d.set_h(i, uint16_t(f(a.h(i), b.h(i))));
  put(c, vd, d);
}
template <class F>
void lanes_w(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, F f) {
  Vec a = get(c, va), b = get(c, vb), d{};
  for (unsigned i = 0; i < 4; ++i) d.w[i] = uint32_t(f(a.w[i], b.w[i]));
  put(c, vd, d);
}

// Clamp a wide value into [lo, hi], noting saturation.
inline int64_t clamp(int64_t v, int64_t lo, int64_t hi, bool& sat) {
  if (v < lo) {
    sat = true;
    return lo;
  }
  if (v > hi) {
    sat = true;
    return hi;
  }
  return v;
}
inline void note_sat(ThreadContext& c, bool sat) {
  if (sat) c.vscr |= kVscrSat;
}

template <class T>
int64_t lo_of() { return int64_t(std::numeric_limits<T>::min()); }
template <class T>
int64_t hi_of() { return int64_t(std::numeric_limits<T>::max()); }

// Saturating element op on lanes of type T (signed or unsigned, 8/16/32 bits).
template <class T, class F>
void sat_lanes(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, F f) {
  bool sat = false;
  auto g = [&](uint32_t x, uint32_t y) {
    int64_t xv = int64_t(T(x)), yv = int64_t(T(y));
    return uint32_t(clamp(f(xv, yv), lo_of<T>(), hi_of<T>(), sat));
  };
  if constexpr (sizeof(T) == 1) lanes_b(c, vd, va, vb, g);
  else if constexpr (sizeof(T) == 2) lanes_h(c, vd, va, vb, g);
  else lanes_w(c, vd, va, vb, g);
  note_sat(c, sat);
}

// Plain element op on lanes of type T, computed in int64_t and truncated.
template <class T, class F>
void int_lanes(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, F f) {
  auto g = [&](uint32_t x, uint32_t y) { return uint32_t(uint64_t(f(int64_t(T(x)), int64_t(T(y))))); };
  if constexpr (sizeof(T) == 1) lanes_b(c, vd, va, vb, g);
  else if constexpr (sizeof(T) == 2) lanes_h(c, vd, va, vb, g);
  else lanes_w(c, vd, va, vb, g);
}

constexpr auto kAdd = [](int64_t x, int64_t y) { return x + y; };
constexpr auto kSub = [](int64_t x, int64_t y) { return x - y; };
constexpr auto kAvg = [](int64_t x, int64_t y) { return (x + y + 1) >> 1; };
constexpr auto kMax = [](int64_t x, int64_t y) { return std::max(x, y); };
constexpr auto kMin = [](int64_t x, int64_t y) { return std::min(x, y); };

// Element-wise compare: all-ones where pred holds; CR6 on request.
template <class T, class P>
void compare(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc, P pred) {
  bool all = true, none = true;
  auto g = [&](uint32_t x, uint32_t y) {
    bool t = pred(T(x), T(y));
    all &= t;
    none &= !t;
    return t ? ~0u : 0u;
  };
  if constexpr (sizeof(T) == 1) lanes_b(c, vd, va, vb, g);
  else if constexpr (sizeof(T) == 2) lanes_h(c, vd, va, vb, g);
  else lanes_w(c, vd, va, vb, g);
  if (rc) set_cr6(c, all, none);
}
constexpr auto kEq = [](auto x, auto y) { return x == y; };
constexpr auto kGt = [](auto x, auto y) { return x > y; };

}  // namespace

// --- add / subtract
void vaddubm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint8_t>(c, vd, va, vb, kAdd); }
void vadduhm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint16_t>(c, vd, va, vb, kAdd); }
void vadduwm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint32_t>(c, vd, va, vb, kAdd); }
void vaddubs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<uint8_t>(c, vd, va, vb, kAdd); }
void vadduhs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<uint16_t>(c, vd, va, vb, kAdd); }
void vadduws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<uint32_t>(c, vd, va, vb, kAdd); }
void vaddsbs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<int8_t>(c, vd, va, vb, kAdd); }
void vaddshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<int16_t>(c, vd, va, vb, kAdd); }
void vaddsws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<int32_t>(c, vd, va, vb, kAdd); }
void vaddcuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  lanes_w(c, vd, va, vb, [](uint32_t x, uint32_t y) { return (uint64_t(x) + y) >> 32; });
}
void vsububm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint8_t>(c, vd, va, vb, kSub); }
void vsubuhm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint16_t>(c, vd, va, vb, kSub); }
void vsubuwm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint32_t>(c, vd, va, vb, kSub); }
void vsububs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<uint8_t>(c, vd, va, vb, kSub); }
void vsubuhs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<uint16_t>(c, vd, va, vb, kSub); }
void vsubuws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<uint32_t>(c, vd, va, vb, kSub); }
void vsubsbs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<int8_t>(c, vd, va, vb, kSub); }
void vsubshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<int16_t>(c, vd, va, vb, kSub); }
void vsubsws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { sat_lanes<int32_t>(c, vd, va, vb, kSub); }
// Carry out of va + ~vb + 1: 1 when no borrow, i.e. va >= vb unsigned.
void vsubcuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  lanes_w(c, vd, va, vb, [](uint32_t x, uint32_t y) { return x >= y ? 1u : 0u; });
}

// --- average, max, min
void vavgub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint8_t>(c, vd, va, vb, kAvg); }
void vavguh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint16_t>(c, vd, va, vb, kAvg); }
void vavguw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint32_t>(c, vd, va, vb, kAvg); }
void vavgsb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<int8_t>(c, vd, va, vb, kAvg); }
void vavgsh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<int16_t>(c, vd, va, vb, kAvg); }
void vavgsw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<int32_t>(c, vd, va, vb, kAvg); }
void vmaxub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint8_t>(c, vd, va, vb, kMax); }
void vmaxuh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint16_t>(c, vd, va, vb, kMax); }
void vmaxuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint32_t>(c, vd, va, vb, kMax); }
void vmaxsb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<int8_t>(c, vd, va, vb, kMax); }
void vmaxsh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<int16_t>(c, vd, va, vb, kMax); }
void vmaxsw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<int32_t>(c, vd, va, vb, kMax); }
void vminub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint8_t>(c, vd, va, vb, kMin); }
void vminuh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint16_t>(c, vd, va, vb, kMin); }
void vminuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<uint32_t>(c, vd, va, vb, kMin); }
void vminsb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<int8_t>(c, vd, va, vb, kMin); }
void vminsh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<int16_t>(c, vd, va, vb, kMin); }
void vminsw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { int_lanes<int32_t>(c, vd, va, vb, kMin); }

// --- multiply even/odd: elements 2i (even) or 2i+1 (odd) into double-width results
namespace {
template <class T, unsigned kOdd>
void mul_eo(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  if constexpr (sizeof(T) == 1) {
    for (unsigned i = 0; i < 8; ++i)
      d.set_h(i, uint16_t(int32_t(T(a.b(2 * i + kOdd))) * int32_t(T(b.b(2 * i + kOdd)))));
  } else {
    for (unsigned i = 0; i < 4; ++i)
      d.w[i] = uint32_t(int64_t(T(a.h(2 * i + kOdd))) * int64_t(T(b.h(2 * i + kOdd))));
  }
  put(c, vd, d);
}
}  // namespace
void vmuleub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { mul_eo<uint8_t, 0>(c, vd, va, vb); }
void vmulesb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { mul_eo<int8_t, 0>(c, vd, va, vb); }
void vmuleuh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { mul_eo<uint16_t, 0>(c, vd, va, vb); }
void vmulesh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { mul_eo<int16_t, 0>(c, vd, va, vb); }
void vmuloub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { mul_eo<uint8_t, 1>(c, vd, va, vb); }
void vmulosb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { mul_eo<int8_t, 1>(c, vd, va, vb); }
void vmulouh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { mul_eo<uint16_t, 1>(c, vd, va, vb); }
void vmulosh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { mul_eo<int16_t, 1>(c, vd, va, vb); }

// --- multiply-sum: word i = sum of the products in word i's sub-elements + vc word i
namespace {
// TA/TB: element types of va/vb (bytes or halves); TW: type of vc's words and of the result
// range when saturating (kSat).
template <class TA, class TB, class TW, bool kSat>
void msum(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vcn) {
  Vec a = get(c, va), b = get(c, vb), cc = get(c, vcn), d{};
  bool sat = false;
  for (unsigned i = 0; i < 4; ++i) {
    int64_t s = int64_t(TW(cc.w[i]));
    if constexpr (sizeof(TA) == 1) {
      for (unsigned j = 0; j < 4; ++j) s += int64_t(TA(a.b(4 * i + j))) * int64_t(TB(b.b(4 * i + j)));
    } else {
      for (unsigned j = 0; j < 2; ++j) s += int64_t(TA(a.h(2 * i + j))) * int64_t(TB(b.h(2 * i + j)));
    }
    d.w[i] = kSat ? uint32_t(clamp(s, lo_of<TW>(), hi_of<TW>(), sat)) : uint32_t(uint64_t(s));
  }
  put(c, vd, d);
  note_sat(c, sat);
}
}  // namespace
void vmsumubm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc) {
  msum<uint8_t, uint8_t, uint32_t, false>(c, vd, va, vb, vc);
}
void vmsummbm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc) {
  msum<int8_t, uint8_t, int32_t, false>(c, vd, va, vb, vc);
}
void vmsumuhm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc) {
  msum<uint16_t, uint16_t, uint32_t, false>(c, vd, va, vb, vc);
}
void vmsumuhs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc) {
  msum<uint16_t, uint16_t, uint32_t, true>(c, vd, va, vb, vc);
}
void vmsumshm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc) {
  msum<int16_t, int16_t, int32_t, false>(c, vd, va, vb, vc);
}
void vmsumshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vc) {
  msum<int16_t, int16_t, int32_t, true>(c, vd, va, vb, vc);
}

// --- halfword multiply-add
void vmhaddshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vcn) {
  Vec a = get(c, va), b = get(c, vb), cc = get(c, vcn), d{};
  bool sat = false;
  for (unsigned i = 0; i < 8; ++i) {
    int64_t p = (int64_t(a.sh(i)) * b.sh(i)) >> 15;
    d.set_h(i, uint16_t(clamp(p + cc.sh(i), -32768, 32767, sat)));
  }
  put(c, vd, d);
  note_sat(c, sat);
}
void vmhraddshs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vcn) {
  Vec a = get(c, va), b = get(c, vb), cc = get(c, vcn), d{};
  bool sat = false;
  for (unsigned i = 0; i < 8; ++i) {
    int64_t p = (int64_t(a.sh(i)) * b.sh(i) + 0x4000) >> 15;
    d.set_h(i, uint16_t(clamp(p + cc.sh(i), -32768, 32767, sat)));
  }
  put(c, vd, d);
  note_sat(c, sat);
}
void vmladduhm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vcn) {
  Vec a = get(c, va), b = get(c, vb), cc = get(c, vcn), d{};
  for (unsigned i = 0; i < 8; ++i) d.set_h(i, uint16_t(uint32_t(a.h(i)) * b.h(i) + cc.h(i)));
  put(c, vd, d);
}

// --- sums across
void vsum4ubs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  bool sat = false;
  for (unsigned i = 0; i < 4; ++i) {
    int64_t s = int64_t(b.w[i]);
    for (unsigned j = 0; j < 4; ++j) s += a.b(4 * i + j);
    d.w[i] = uint32_t(clamp(s, 0, 0xFFFFFFFFll, sat));
  }
  put(c, vd, d);
  note_sat(c, sat);
}
void vsum4sbs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  bool sat = false;
  for (unsigned i = 0; i < 4; ++i) {
    int64_t s = b.sw(i);
    for (unsigned j = 0; j < 4; ++j) s += a.sb(4 * i + j);
    d.w[i] = uint32_t(clamp(s, INT32_MIN, INT32_MAX, sat));
  }
  put(c, vd, d);
  note_sat(c, sat);
}
void vsum4shs(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  bool sat = false;
  for (unsigned i = 0; i < 4; ++i) {
    int64_t s = int64_t(b.sw(i)) + a.sh(2 * i) + a.sh(2 * i + 1);
    d.w[i] = uint32_t(clamp(s, INT32_MIN, INT32_MAX, sat));
  }
  put(c, vd, d);
  note_sat(c, sat);
}
void vsum2sws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  bool sat = false;
  for (unsigned i = 0; i < 2; ++i) {
    int64_t s = int64_t(a.sw(2 * i)) + a.sw(2 * i + 1) + b.sw(2 * i + 1);
    d.w[2 * i + 1] = uint32_t(clamp(s, INT32_MIN, INT32_MAX, sat));
  }
  put(c, vd, d);
  note_sat(c, sat);
}
void vsumsws(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  bool sat = false;
  int64_t s = int64_t(a.sw(0)) + a.sw(1) + a.sw(2) + a.sw(3) + b.sw(3);
  d.w[3] = uint32_t(clamp(s, INT32_MIN, INT32_MAX, sat));
  put(c, vd, d);
  note_sat(c, sat);
}

// --- logical
void vand(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  lanes_w(c, vd, va, vb, [](uint32_t x, uint32_t y) { return x & y; });
}
void vandc(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  lanes_w(c, vd, va, vb, [](uint32_t x, uint32_t y) { return x & ~y; });
}
void vor(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  lanes_w(c, vd, va, vb, [](uint32_t x, uint32_t y) { return x | y; });
}
void vnor(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  lanes_w(c, vd, va, vb, [](uint32_t x, uint32_t y) { return ~(x | y); });
}
void vxor(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  lanes_w(c, vd, va, vb, [](uint32_t x, uint32_t y) { return x ^ y; });
}
void vsel(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vcn) {
  Vec a = get(c, va), b = get(c, vb), m = get(c, vcn), d{};
  for (unsigned i = 0; i < 4; ++i) d.w[i] = (a.w[i] & ~m.w[i]) | (b.w[i] & m.w[i]);
  put(c, vd, d);
}

// --- integer compares
void vcmpequb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc) { compare<uint8_t>(c, vd, va, vb, rc, kEq); }
void vcmpequh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc) { compare<uint16_t>(c, vd, va, vb, rc, kEq); }
void vcmpequw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc) { compare<uint32_t>(c, vd, va, vb, rc, kEq); }
void vcmpgtub(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc) { compare<uint8_t>(c, vd, va, vb, rc, kGt); }
void vcmpgtuh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc) { compare<uint16_t>(c, vd, va, vb, rc, kGt); }
void vcmpgtuw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc) { compare<uint32_t>(c, vd, va, vb, rc, kGt); }
void vcmpgtsb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc) { compare<int8_t>(c, vd, va, vb, rc, kGt); }
void vcmpgtsh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc) { compare<int16_t>(c, vd, va, vb, rc, kGt); }
void vcmpgtsw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, bool rc) { compare<int32_t>(c, vd, va, vb, rc, kGt); }

}  // namespace hexad::cpu::vmx

// ------------------------------------------------------------------------------ decoders
namespace hexad::cpu::interp {
namespace {

using namespace vmx::decode;

constexpr OpEntry kOps[] = {
    op<vx<vmx::vaddubm>>("vaddubm"),
    op<vx<vmx::vadduhm>>("vadduhm"),
    op<vx<vmx::vadduwm>>("vadduwm"),
    op<vx<vmx::vaddcuw>>("vaddcuw"),
    op<vx<vmx::vaddubs>>("vaddubs"),
    op<vx<vmx::vadduhs>>("vadduhs"),
    op<vx<vmx::vadduws>>("vadduws"),
    op<vx<vmx::vaddsbs>>("vaddsbs"),
    op<vx<vmx::vaddshs>>("vaddshs"),
    op<vx<vmx::vaddsws>>("vaddsws"),
    op<vx<vmx::vsububm>>("vsububm"),
    op<vx<vmx::vsubuhm>>("vsubuhm"),
    op<vx<vmx::vsubuwm>>("vsubuwm"),
    op<vx<vmx::vsubcuw>>("vsubcuw"),
    op<vx<vmx::vsububs>>("vsububs"),
    op<vx<vmx::vsubuhs>>("vsubuhs"),
    op<vx<vmx::vsubuws>>("vsubuws"),
    op<vx<vmx::vsubsbs>>("vsubsbs"),
    op<vx<vmx::vsubshs>>("vsubshs"),
    op<vx<vmx::vsubsws>>("vsubsws"),
    op<vx<vmx::vmaxub>>("vmaxub"),
    op<vx<vmx::vmaxuh>>("vmaxuh"),
    op<vx<vmx::vmaxuw>>("vmaxuw"),
    op<vx<vmx::vmaxsb>>("vmaxsb"),
    op<vx<vmx::vmaxsh>>("vmaxsh"),
    op<vx<vmx::vmaxsw>>("vmaxsw"),
    op<vx<vmx::vminub>>("vminub"),
    op<vx<vmx::vminuh>>("vminuh"),
    op<vx<vmx::vminuw>>("vminuw"),
    op<vx<vmx::vminsb>>("vminsb"),
    op<vx<vmx::vminsh>>("vminsh"),
    op<vx<vmx::vminsw>>("vminsw"),
    op<vx<vmx::vavgub>>("vavgub"),
    op<vx<vmx::vavguh>>("vavguh"),
    op<vx<vmx::vavguw>>("vavguw"),
    op<vx<vmx::vavgsb>>("vavgsb"),
    op<vx<vmx::vavgsh>>("vavgsh"),
    op<vx<vmx::vavgsw>>("vavgsw"),
    op<vx<vmx::vmuloub>>("vmuloub"),
    op<vx<vmx::vmulouh>>("vmulouh"),
    op<vx<vmx::vmulosb>>("vmulosb"),
    op<vx<vmx::vmulosh>>("vmulosh"),
    op<vx<vmx::vmuleub>>("vmuleub"),
    op<vx<vmx::vmuleuh>>("vmuleuh"),
    op<vx<vmx::vmulesb>>("vmulesb"),
    op<vx<vmx::vmulesh>>("vmulesh"),
    op<vx<vmx::vsum4ubs>>("vsum4ubs"),
    op<vx<vmx::vsum4sbs>>("vsum4sbs"),
    op<vx<vmx::vsum4shs>>("vsum4shs"),
    op<vx<vmx::vsum2sws>>("vsum2sws"),
    op<vx<vmx::vsumsws>>("vsumsws"),
    op<vx<vmx::vand>>("vand"),
    op<vx<vmx::vandc>>("vandc"),
    op<vx<vmx::vor>>("vor"),
    op<vx<vmx::vxor>>("vxor"),
    op<vx<vmx::vnor>>("vnor"),
    op<va<vmx::vmhaddshs>>("vmhaddshs"),
    op<va<vmx::vmhraddshs>>("vmhraddshs"),
    op<va<vmx::vmladduhm>>("vmladduhm"),
    op<va<vmx::vmsumubm>>("vmsumubm"),
    op<va<vmx::vmsummbm>>("vmsummbm"),
    op<va<vmx::vmsumuhm>>("vmsumuhm"),
    op<va<vmx::vmsumuhs>>("vmsumuhs"),
    op<va<vmx::vmsumshm>>("vmsumshm"),
    op<va<vmx::vmsumshs>>("vmsumshs"),
    op<va<vmx::vsel>>("vsel"),
    op<vc<vmx::vcmpequb>>("vcmpequb"),
    op<vc<vmx::vcmpequh>>("vcmpequh"),
    op<vc<vmx::vcmpequw>>("vcmpequw"),
    op<vc<vmx::vcmpgtub>>("vcmpgtub"),
    op<vc<vmx::vcmpgtuh>>("vcmpgtuh"),
    op<vc<vmx::vcmpgtuw>>("vcmpgtuw"),
    op<vc<vmx::vcmpgtsb>>("vcmpgtsb"),
    op<vc<vmx::vcmpgtsh>>("vcmpgtsh"),
    op<vc<vmx::vcmpgtsw>>("vcmpgtsw"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> vmx_int_ops() { return interp::kOps; }
}  // namespace hexad::cpu
