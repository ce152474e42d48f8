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
    op<vx<vmx::vaddubm>>("vaddubm", form_vx(0)),
    op<vx<vmx::vadduhm>>("vadduhm", form_vx(64)),
    op<vx<vmx::vadduwm>>("vadduwm", form_vx(128)),
    op<vx<vmx::vaddcuw>>("vaddcuw", form_vx(384)),
    op<vx<vmx::vaddubs>>("vaddubs", form_vx(512)),
    op<vx<vmx::vadduhs>>("vadduhs", form_vx(576)),
    op<vx<vmx::vadduws>>("vadduws", form_vx(640)),
    op<vx<vmx::vaddsbs>>("vaddsbs", form_vx(768)),
    op<vx<vmx::vaddshs>>("vaddshs", form_vx(832)),
    op<vx<vmx::vaddsws>>("vaddsws", form_vx(896)),
    op<vx<vmx::vsububm>>("vsububm", form_vx(1024)),
    op<vx<vmx::vsubuhm>>("vsubuhm", form_vx(1088)),
    op<vx<vmx::vsubuwm>>("vsubuwm", form_vx(1152)),
    op<vx<vmx::vsubcuw>>("vsubcuw", form_vx(1408)),
    op<vx<vmx::vsububs>>("vsububs", form_vx(1536)),
    op<vx<vmx::vsubuhs>>("vsubuhs", form_vx(1600)),
    op<vx<vmx::vsubuws>>("vsubuws", form_vx(1664)),
    op<vx<vmx::vsubsbs>>("vsubsbs", form_vx(1792)),
    op<vx<vmx::vsubshs>>("vsubshs", form_vx(1856)),
    op<vx<vmx::vsubsws>>("vsubsws", form_vx(1920)),
    op<vx<vmx::vmaxub>>("vmaxub", form_vx(2)),
    op<vx<vmx::vmaxuh>>("vmaxuh", form_vx(66)),
    op<vx<vmx::vmaxuw>>("vmaxuw", form_vx(130)),
    op<vx<vmx::vmaxsb>>("vmaxsb", form_vx(258)),
    op<vx<vmx::vmaxsh>>("vmaxsh", form_vx(322)),
    op<vx<vmx::vmaxsw>>("vmaxsw", form_vx(386)),
    op<vx<vmx::vminub>>("vminub", form_vx(514)),
    op<vx<vmx::vminuh>>("vminuh", form_vx(578)),
    op<vx<vmx::vminuw>>("vminuw", form_vx(642)),
    op<vx<vmx::vminsb>>("vminsb", form_vx(770)),
    op<vx<vmx::vminsh>>("vminsh", form_vx(834)),
    op<vx<vmx::vminsw>>("vminsw", form_vx(898)),
    op<vx<vmx::vavgub>>("vavgub", form_vx(1026)),
    op<vx<vmx::vavguh>>("vavguh", form_vx(1090)),
    op<vx<vmx::vavguw>>("vavguw", form_vx(1154)),
    op<vx<vmx::vavgsb>>("vavgsb", form_vx(1282)),
    op<vx<vmx::vavgsh>>("vavgsh", form_vx(1346)),
    op<vx<vmx::vavgsw>>("vavgsw", form_vx(1410)),
    op<vx<vmx::vmuloub>>("vmuloub", form_vx(8)),
    op<vx<vmx::vmulouh>>("vmulouh", form_vx(72)),
    op<vx<vmx::vmulosb>>("vmulosb", form_vx(264)),
    op<vx<vmx::vmulosh>>("vmulosh", form_vx(328)),
    op<vx<vmx::vmuleub>>("vmuleub", form_vx(520)),
    op<vx<vmx::vmuleuh>>("vmuleuh", form_vx(584)),
    op<vx<vmx::vmulesb>>("vmulesb", form_vx(776)),
    op<vx<vmx::vmulesh>>("vmulesh", form_vx(840)),
    op<vx<vmx::vsum4ubs>>("vsum4ubs", form_vx(1544)),
    op<vx<vmx::vsum4sbs>>("vsum4sbs", form_vx(1800)),
    op<vx<vmx::vsum4shs>>("vsum4shs", form_vx(1608)),
    op<vx<vmx::vsum2sws>>("vsum2sws", form_vx(1672)),
    op<vx<vmx::vsumsws>>("vsumsws", form_vx(1928)),
    op<vx<vmx::vand>>("vand", form_vx(1028)),
    op<vx<vmx::vandc>>("vandc", form_vx(1092)),
    op<vx<vmx::vor>>("vor", form_vx(1156)),
    op<vx<vmx::vxor>>("vxor", form_vx(1220)),
    op<vx<vmx::vnor>>("vnor", form_vx(1284)),
    op<va<vmx::vmhaddshs>>("vmhaddshs", form_va(32)),
    op<va<vmx::vmhraddshs>>("vmhraddshs", form_va(33)),
    op<va<vmx::vmladduhm>>("vmladduhm", form_va(34)),
    op<va<vmx::vmsumubm>>("vmsumubm", form_va(36)),
    op<va<vmx::vmsummbm>>("vmsummbm", form_va(37)),
    op<va<vmx::vmsumuhm>>("vmsumuhm", form_va(38)),
    op<va<vmx::vmsumuhs>>("vmsumuhs", form_va(39)),
    op<va<vmx::vmsumshm>>("vmsumshm", form_va(40)),
    op<va<vmx::vmsumshs>>("vmsumshs", form_va(41)),
    op<va<vmx::vsel>>("vsel", form_va(42)),
    op<vc<vmx::vcmpequb>>("vcmpequb", form_vc(6)),
    op<vc<vmx::vcmpequh>>("vcmpequh", form_vc(70)),
    op<vc<vmx::vcmpequw>>("vcmpequw", form_vc(134)),
    op<vc<vmx::vcmpgtub>>("vcmpgtub", form_vc(518)),
    op<vc<vmx::vcmpgtuh>>("vcmpgtuh", form_vc(582)),
    op<vc<vmx::vcmpgtuw>>("vcmpgtuw", form_vc(646)),
    op<vc<vmx::vcmpgtsb>>("vcmpgtsb", form_vc(774)),
    op<vc<vmx::vcmpgtsh>>("vcmpgtsh", form_vc(838)),
    op<vc<vmx::vcmpgtsw>>("vcmpgtsw", form_vc(902)),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> vmx_int_ops() { return interp::kOps; }
}  // namespace hexad::cpu
