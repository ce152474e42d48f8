// VMX permute unit: element shifts and rotates, whole-register shifts (vsl/vsr by bits,
// vslo/vsro by octets), splats, vperm, vsldoi, merges, packs and unpacks. Operations by register
// index in hexad::cpu::vmx (vmx_impl.h); the table's handlers only decode fields.
#include <cstdint>

#include "cpu/interp/helpers.h"
#include "cpu/interp/vmx_impl.h"

namespace hexad::cpu::vmx {
namespace {

// Element shift/rotate: f(value, count) with count already reduced modulo the element width.
template <unsigned kBits, class F>
void shift_lanes(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, F f) {
  Vec a = get(c, va), b = get(c, vb), d{};
  if constexpr (kBits == 8) {
    for (unsigned i = 0; i < 16; ++i) d.set_b(i, uint8_t(f(a.b(i), b.b(i) & 7u)));
  } else if constexpr (kBits == 16) {
    for (unsigned i = 0; i < 8; ++i) d.set_h(i, uint16_t(f(a.h(i), b.h(i) & 15u)));
  } else {
    for (unsigned i = 0; i < 4; ++i) d.w[i] = uint32_t(f(a.w[i], b.w[i] & 31u));
  }
  put(c, vd, d);
}

constexpr auto kShl = [](uint32_t x, uint32_t n) { return x << n; };
constexpr auto kShr = [](uint32_t x, uint32_t n) { return x >> n; };
template <unsigned kBits>
constexpr auto kSra = [](uint32_t x, uint32_t n) {
  int32_t s = int32_t(x << (32 - kBits)) >> (32 - kBits);  // sign-extend the element
  return uint32_t(s >> n);
};
template <unsigned kBits>
constexpr auto kRotl = [](uint32_t x, uint32_t n) {
  return n == 0 ? x : ((x << n) | (x >> (kBits - n)));  // x is zero-extended; caller truncates
};

// 128-bit value as two 64-bit halves, high first.
struct U128 {
  uint64_t hi, lo;
};
U128 to128(const Vec& v) { return {uint64_t(v.w[0]) << 32 | v.w[1], uint64_t(v.w[2]) << 32 | v.w[3]}; }
Vec from128(U128 u) { return Vec{{uint32_t(u.hi >> 32), uint32_t(u.hi), uint32_t(u.lo >> 32), uint32_t(u.lo)}}; }
U128 shl128(U128 u, unsigned n) {  // n < 128
  if (n == 0) return u;
  if (n >= 64) return {u.lo << (n - 64), 0};
  return {(u.hi << n) | (u.lo >> (64 - n)), u.lo << n};
}
U128 shr128(U128 u, unsigned n) {
  if (n == 0) return u;
  if (n >= 64) return {0, u.hi >> (n - 64)};
  return {u.hi >> n, (u.lo >> n) | (u.hi << (64 - n))};
}

}  // namespace

// --- element shifts and rotates (count = low log2(width) bits of the matching vb element)
void vslb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<8>(c, vd, va, vb, kShl); }
void vslh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<16>(c, vd, va, vb, kShl); }
void vslw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<32>(c, vd, va, vb, kShl); }
void vsrb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<8>(c, vd, va, vb, kShr); }
void vsrh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<16>(c, vd, va, vb, kShr); }
void vsrw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<32>(c, vd, va, vb, kShr); }
void vsrab(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<8>(c, vd, va, vb, kSra<8>); }
void vsrah(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<16>(c, vd, va, vb, kSra<16>); }
void vsraw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<32>(c, vd, va, vb, kSra<32>); }
void vrlb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<8>(c, vd, va, vb, kRotl<8>); }
void vrlh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<16>(c, vd, va, vb, kRotl<16>); }
void vrlw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { shift_lanes<32>(c, vd, va, vb, kRotl<32>); }

// --- whole-register shifts. The ISA requires every byte of vb to carry the same 3-bit count
// for vsl/vsr (otherwise the result is undefined); the count is taken from byte 15, as the
// AltiVec PEM's pseudo-code does (vB[125:127]). vslo/vsro use vB[121:124].
void vsl(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  unsigned n = get(c, vb).b(15) & 7u;
  put(c, vd, from128(shl128(to128(get(c, va)), n)));
}
void vsr(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  unsigned n = get(c, vb).b(15) & 7u;
  put(c, vd, from128(shr128(to128(get(c, va)), n)));
}
void vslo(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  unsigned n = (get(c, vb).b(15) >> 3) & 15u;
  put(c, vd, from128(shl128(to128(get(c, va)), 8 * n)));
}
void vsro(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  unsigned n = (get(c, vb).b(15) >> 3) & 15u;
  put(c, vd, from128(shr128(to128(get(c, va)), 8 * n)));
}

// --- splats
void vspltb(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm) {
  uint32_t x = get(c, vb).b(uimm & 15u);
  x *= 0x01010101u;
  put(c, vd, Vec{{x, x, x, x}});
}
void vsplth(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm) {
  uint32_t x = get(c, vb).h(uimm & 7u);
  x *= 0x00010001u;
  put(c, vd, Vec{{x, x, x, x}});
}
void vspltw(ThreadContext& c, unsigned vd, unsigned vb, unsigned uimm) {
  uint32_t x = get(c, vb).w[uimm & 3u];
  put(c, vd, Vec{{x, x, x, x}});
}
void vspltisb(ThreadContext& c, unsigned vd, int simm) {
  uint32_t x = uint32_t(uint8_t(simm)) * 0x01010101u;
  put(c, vd, Vec{{x, x, x, x}});
}
void vspltish(ThreadContext& c, unsigned vd, int simm) {
  uint32_t x = uint32_t(uint16_t(simm)) * 0x00010001u;
  put(c, vd, Vec{{x, x, x, x}});
}
void vspltisw(ThreadContext& c, unsigned vd, int simm) {
  uint32_t x = uint32_t(simm);
  put(c, vd, Vec{{x, x, x, x}});
}

// --- permute and double-register shift
void vperm(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned vcn) {
  Vec a = get(c, va), b = get(c, vb), s = get(c, vcn), d{};
  for (unsigned i = 0; i < 16; ++i) {
    unsigned k = s.b(i) & 31u;
    d.set_b(i, k < 16 ? a.b(k) : b.b(k - 16));
  }
  put(c, vd, d);
}
void vsldoi(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, unsigned shb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  shb &= 15u;
  for (unsigned i = 0; i < 16; ++i) {
    unsigned k = i + shb;
    d.set_b(i, k < 16 ? a.b(k) : b.b(k - 16));
  }
  put(c, vd, d);
}

// --- merges: interleave the high (elements 0..n/2-1) or low halves of va and vb
void vmrghb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  for (unsigned i = 0; i < 8; ++i) {
    d.set_b(2 * i, a.b(i));
    d.set_b(2 * i + 1, b.b(i));
  }
  put(c, vd, d);
}
void vmrglb(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  for (unsigned i = 0; i < 8; ++i) {
    d.set_b(2 * i, a.b(i + 8));
    d.set_b(2 * i + 1, b.b(i + 8));
  }
  put(c, vd, d);
}
void vmrghh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  for (unsigned i = 0; i < 4; ++i) {
    d.set_h(2 * i, a.h(i));
    d.set_h(2 * i + 1, b.h(i));
  }
  put(c, vd, d);
}
void vmrglh(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  for (unsigned i = 0; i < 4; ++i) {
    d.set_h(2 * i, a.h(i + 4));
    d.set_h(2 * i + 1, b.h(i + 4));
  }
  put(c, vd, d);
}
void vmrghw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb);
  put(c, vd, Vec{{a.w[0], b.w[0], a.w[1], b.w[1]}});
}
void vmrglw(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb);
  put(c, vd, Vec{{a.w[2], b.w[2], a.w[3], b.w[3]}});
}

// --- packs: the 2n source elements of va||vb narrowed to half width
namespace {
// Half -> byte. kSrcSigned: source halves signed; [lo, hi]: destination range when kSat.
template <bool kSrcSigned, bool kSat>
void pack_h(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, int64_t lo, int64_t hi) {
  Vec a = get(c, va), b = get(c, vb), d{};
  bool sat = false;
  for (unsigned i = 0; i < 16; ++i) {
    uint16_t h = i < 8 ? a.h(i) : b.h(i - 8);
    int64_t v = kSrcSigned ? int64_t(int16_t(h)) : int64_t(h);
    if (kSat && v < lo) v = lo, sat = true;
    if (kSat && v > hi) v = hi, sat = true;
    d.set_b(i, uint8_t(v));
  }
  put(c, vd, d);
  if (sat) c.vscr |= kVscrSat;
}
template <bool kSrcSigned, bool kSat>
void pack_w(ThreadContext& c, unsigned vd, unsigned va, unsigned vb, int64_t lo, int64_t hi) {
  Vec a = get(c, va), b = get(c, vb), d{};
  bool sat = false;
  for (unsigned i = 0; i < 8; ++i) {
    uint32_t w = i < 4 ? a.w[i] : b.w[i - 4];
    int64_t v = kSrcSigned ? int64_t(int32_t(w)) : int64_t(w);
    if (kSat && v < lo) v = lo, sat = true;
    if (kSat && v > hi) v = hi, sat = true;
    d.set_h(i, uint16_t(v));
  }
  put(c, vd, d);
  if (sat) c.vscr |= kVscrSat;
}
}  // namespace

void vpkuhum(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { pack_h<false, false>(c, vd, va, vb, 0, 0); }
void vpkuwum(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { pack_w<false, false>(c, vd, va, vb, 0, 0); }
void vpkuhus(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { pack_h<false, true>(c, vd, va, vb, 0, 255); }
void vpkuwus(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { pack_w<false, true>(c, vd, va, vb, 0, 65535); }
void vpkshus(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { pack_h<true, true>(c, vd, va, vb, 0, 255); }
void vpkswus(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { pack_w<true, true>(c, vd, va, vb, 0, 65535); }
void vpkshss(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) { pack_h<true, true>(c, vd, va, vb, -128, 127); }
void vpkswss(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  pack_w<true, true>(c, vd, va, vb, -32768, 32767);
}
// 32-bit pixels to 1/5/5/5: word bit 7 || bits 8:12 || 16:20 || 24:28 (IBM numbering).
void vpkpx(ThreadContext& c, unsigned vd, unsigned va, unsigned vb) {
  Vec a = get(c, va), b = get(c, vb), d{};
  for (unsigned i = 0; i < 8; ++i) {
    uint32_t w = i < 4 ? a.w[i] : b.w[i - 4];
    uint32_t p = ((w >> 24) & 1u) << 15 | ((w >> 19) & 0x1Fu) << 10 | ((w >> 11) & 0x1Fu) << 5 | ((w >> 3) & 0x1Fu);
    d.set_h(i, uint16_t(p));
  }
  put(c, vd, d);
}

// --- unpacks: sign-extend the high (first) or low (second) half of vb's elements
void vupkhsb(ThreadContext& c, unsigned vd, unsigned vb) {
  Vec b = get(c, vb), d{};
  for (unsigned i = 0; i < 8; ++i) d.set_h(i, uint16_t(int16_t(b.sb(i))));
  put(c, vd, d);
}
void vupklsb(ThreadContext& c, unsigned vd, unsigned vb) {
  Vec b = get(c, vb), d{};
  for (unsigned i = 0; i < 8; ++i) d.set_h(i, uint16_t(int16_t(b.sb(i + 8))));
  put(c, vd, d);
}
void vupkhsh(ThreadContext& c, unsigned vd, unsigned vb) {
  Vec b = get(c, vb), d{};
  for (unsigned i = 0; i < 4; ++i) d.w[i] = uint32_t(int32_t(b.sh(i)));
  put(c, vd, d);
}
void vupklsh(ThreadContext& c, unsigned vd, unsigned vb) {
  Vec b = get(c, vb), d{};
  for (unsigned i = 0; i < 4; ++i) d.w[i] = uint32_t(int32_t(b.sh(i + 4)));
  put(c, vd, d);
}
namespace {
// 1/5/5/5 pixel to 8/8/8/8: sign-extended top bit, then each 5-bit channel zero-extended.
uint32_t unpack_pixel(uint16_t p) {
  uint32_t a = (p & 0x8000u) ? 0xFFu : 0u;
  return a << 24 | ((p >> 10) & 0x1Fu) << 16 | ((p >> 5) & 0x1Fu) << 8 | (p & 0x1Fu);
}
}  // namespace
void vupkhpx(ThreadContext& c, unsigned vd, unsigned vb) {
  Vec b = get(c, vb), d{};
  for (unsigned i = 0; i < 4; ++i) d.w[i] = unpack_pixel(b.h(i));
  put(c, vd, d);
}
void vupklpx(ThreadContext& c, unsigned vd, unsigned vb) {
  Vec b = get(c, vb), d{};
  for (unsigned i = 0; i < 4; ++i) d.w[i] = unpack_pixel(b.h(i + 4));
  put(c, vd, d);
}

}  // namespace hexad::cpu::vmx

// ------------------------------------------------------------------------------ decoders
namespace hexad::cpu::interp {
namespace {

using namespace vmx::decode;

// vspltis*: SIMM (bits 11-15) sign-extended from 5 bits.
template <void (*F)(ThreadContext&, unsigned, int)>
void vx_simm(ThreadContext& c, Instr i) { F(c, i.rt(), int32_t(i.ra() << 27) >> 27); }
// vsldoi: VA-form with SHB in bits 22-25.
void vsldoi(ThreadContext& c, Instr i) { vmx::vsldoi(c, i.rt(), i.ra(), i.rb(), i.bits(22, 25)); }

constexpr OpEntry kOps[] = {
    op<vx<vmx::vrlb>>("vrlb"),
    op<vx<vmx::vrlh>>("vrlh"),
    op<vx<vmx::vrlw>>("vrlw"),
    op<vx<vmx::vslb>>("vslb"),
    op<vx<vmx::vslh>>("vslh"),
    op<vx<vmx::vslw>>("vslw"),
    op<vx<vmx::vsl>>("vsl"),
    op<vx<vmx::vsrb>>("vsrb"),
    op<vx<vmx::vsrh>>("vsrh"),
    op<vx<vmx::vsrw>>("vsrw"),
    op<vx<vmx::vsr>>("vsr"),
    op<vx<vmx::vsrab>>("vsrab"),
    op<vx<vmx::vsrah>>("vsrah"),
    op<vx<vmx::vsraw>>("vsraw"),
    op<vx<vmx::vslo>>("vslo"),
    op<vx<vmx::vsro>>("vsro"),
    op<vx<vmx::vmrghb>>("vmrghb"),
    op<vx<vmx::vmrghh>>("vmrghh"),
    op<vx<vmx::vmrghw>>("vmrghw"),
    op<vx<vmx::vmrglb>>("vmrglb"),
    op<vx<vmx::vmrglh>>("vmrglh"),
    op<vx<vmx::vmrglw>>("vmrglw"),
    op<vx_dbu<vmx::vspltb>>("vspltb"),
    op<vx_dbu<vmx::vsplth>>("vsplth"),
    op<vx_dbu<vmx::vspltw>>("vspltw"),
    op<vx_simm<vmx::vspltisb>>("vspltisb"),
    op<vx_simm<vmx::vspltish>>("vspltish"),
    op<vx_simm<vmx::vspltisw>>("vspltisw"),
    op<vx<vmx::vpkuhum>>("vpkuhum"),
    op<vx<vmx::vpkuwum>>("vpkuwum"),
    op<vx<vmx::vpkuhus>>("vpkuhus"),
    op<vx<vmx::vpkuwus>>("vpkuwus"),
    op<vx<vmx::vpkshus>>("vpkshus"),
    op<vx<vmx::vpkswus>>("vpkswus"),
    op<vx<vmx::vpkshss>>("vpkshss"),
    op<vx<vmx::vpkswss>>("vpkswss"),
    op<vx<vmx::vpkpx>>("vpkpx"),
    op<vx_db<vmx::vupkhsb>>("vupkhsb"),
    op<vx_db<vmx::vupkhsh>>("vupkhsh"),
    op<vx_db<vmx::vupklsb>>("vupklsb"),
    op<vx_db<vmx::vupklsh>>("vupklsh"),
    op<vx_db<vmx::vupkhpx>>("vupkhpx"),
    op<vx_db<vmx::vupklpx>>("vupklpx"),
    op<va<vmx::vperm>>("vperm"),
    op<vsldoi>("vsldoi"),
};

}  // namespace
}  // namespace hexad::cpu::interp

namespace hexad::cpu {
std::span<const OpEntry> vmx_permute_ops() { return interp::kOps; }
}  // namespace hexad::cpu
