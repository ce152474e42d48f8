#include "cpu/interp/vmx128_ops_xenon.h"

#include <bit>
#include <cstring>

#include "cpu/fault.h"
#include "cpu/interp/vmx_impl.h"
#include "cpu/isa/vmx128_fields.h"

namespace hexad::cpu::interp::vmx128_xenon {

namespace {

namespace f128 = cpu::vmx128;

float as_float(uint32_t u) { return std::bit_cast<float>(u); }
bool is_nan(uint32_t u) { return (u & 0x7FFFFFFFu) > 0x7F800000u; }

constexpr uint32_t kDefaultNan = 0x7FC00000u;  // PowerPC's generated QNaN
constexpr uint32_t kThree = 0x40400000u;       // 3.0f: the bias of the D3D integer formats
constexpr uint32_t kOne = 0x3F800000u;         // 1.0f

// The dot product of the first n lanes, accumulated left to right in single precision with
// the VMX's rounding, denormal and NaN rules (each product and sum rounded).
void dot(ThreadContext& c, Instr i, int n) {
  const uint32_t* a = c.vr[f128::va(i.w)];
  const uint32_t* b = c.vr[f128::vb(i.w)];
  uint32_t s = vmx::fp_mul(a[0], b[0]);
  for (int k = 1; k < n; ++k) s = vmx::fp_add(s, vmx::fp_mul(a[k], b[k]));
  uint32_t* d = c.vr[f128::vd(i.w)];
  d[0] = d[1] = d[2] = d[3] = s;
}

// Clamps the float `x` to [lo, hi] (both given as bit patterns of floats in [2, 4), where the
// bit pattern is linear in the value) and returns its offset from 3.0 in mantissa units.
// NaN clamps to the low end.
int32_t biased(uint32_t x, uint32_t lo, uint32_t hi) {
  float f = as_float(x);
  uint32_t r;
  if (is_nan(x) || f < as_float(lo)) r = lo;
  else if (f > as_float(hi)) r = hi;
  else r = x;
  return int32_t(r) - int32_t(kThree);
}
// The signed range +-(2^(bits-1) - 1) and the unsigned range 0..2^bits - 1 around 3.0.
int32_t snorm(uint32_t x, unsigned bits) {
  uint32_t m = (1u << (bits - 1)) - 1;
  return biased(x, kThree - m, kThree + m);
}
uint32_t unorm(uint32_t x, unsigned bits) { return uint32_t(biased(x, kThree, kThree + (1u << bits) - 1)); }

// The reverse: a signed field back to a 3.0-biased float; the most negative code is NaN.
uint32_t from_snorm(uint32_t field, unsigned bits) {
  int32_t v = int32_t(field << (32 - bits)) >> (32 - bits);
  if (v == -(int32_t(1) << (bits - 1))) return kDefaultNan;
  return uint32_t(int32_t(kThree) + v);
}

}  // namespace

uint16_t float_to_half(uint32_t f) {
  uint32_t sign = (f >> 16) & 0x8000u;
  uint32_t exp = (f >> 23) & 0xFF;
  uint32_t man = f & 0x7FFFFFu;
  if (exp == 0xFF) return uint16_t(sign | 0x7C00u | (man ? 0x200u | (man >> 13) : 0));
  int32_t e = int32_t(exp) - 127 + 15;
  if (e >= 31) return uint16_t(sign | 0x7C00u);
  uint32_t full = man | (exp ? 0x800000u : 0);  // 24-bit significand
  uint32_t shift;
  uint32_t out_exp;
  if (e <= 0) {  // half subnormal (or zero): value = full * 2^(e-1-23+... ) -> 10-bit fraction
    if (e < -10) return uint16_t(sign);
    shift = uint32_t(14 - e);
    out_exp = 0;
  } else {
    shift = 13;
    out_exp = uint32_t(e);
  }
  uint32_t q = full >> shift;
  uint32_t rem = full & ((1u << shift) - 1), halfway = 1u << (shift - 1);
  if (rem > halfway || (rem == halfway && (q & 1))) ++q;
  // q includes the implicit bit for normals; adding exponent bits lets a carry roll over.
  uint32_t h = out_exp ? ((out_exp << 10) + (q - 0x400u)) : q;
  if (h >= 0x7C00u) h = 0x7C00u;
  return uint16_t(sign | h);
}

uint32_t half_to_float(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 31, man = h & 0x3FFu;
  if (exp == 31) return sign | 0x7F800000u | (man << 13);
  if (exp == 0) {
    if (man == 0) return sign;
    int e = -1;
    do {
      man <<= 1;
      ++e;
    } while (!(man & 0x400u));
    return sign | uint32_t(127 - 15 - e) << 23 | (man & 0x3FFu) << 13;
  }
  return sign | (exp - 15 + 127) << 23 | man << 13;
}

bool d3d_pack(unsigned type, const uint32_t in[4], uint32_t out[4]) {
  out[0] = out[1] = out[2] = out[3] = 0;
  auto s16 = [&](int k) { return uint32_t(snorm(in[k], 16)) & 0xFFFFu; };
  auto h16 = [&](int k) { return uint32_t(float_to_half(in[k])); };
  switch (type) {
    case kD3dColor:
      out[3] = unorm(in[3], 8) << 24 | unorm(in[0], 8) << 16 | unorm(in[1], 8) << 8 | unorm(in[2], 8);
      return true;
    case kNormShort2: out[3] = s16(0) << 16 | s16(1); return true;
    case kNormShort4:
      out[2] = s16(0) << 16 | s16(1);
      out[3] = s16(2) << 16 | s16(3);
      return true;
    case kNormPacked32: {
      auto s10 = [&](int k) { return uint32_t(snorm(in[k], 10)) & 0x3FFu; };
      out[3] = unorm(in[3], 2) << 30 | s10(2) << 20 | s10(1) << 10 | s10(0);
      return true;
    }
    case kFloat16x2: out[3] = h16(0) << 16 | h16(1); return true;
    case kFloat16x4:
      out[2] = h16(0) << 16 | h16(1);
      out[3] = h16(2) << 16 | h16(3);
      return true;
    case kNormPacked64: {
      auto s20 = [&](int k) { return uint64_t(uint32_t(snorm(in[k], 20)) & 0xFFFFFu); };
      uint64_t v = uint64_t(unorm(in[3], 4)) << 60 | s20(2) << 40 | s20(1) << 20 | s20(0);
      out[2] = uint32_t(v >> 32);
      out[3] = uint32_t(v);
      return true;
    }
    default: return false;
  }
}

bool d3d_unpack(unsigned type, const uint32_t in[4], uint32_t out[4]) {
  const uint32_t hi = in[2], lo = in[3];
  switch (type) {
    case kD3dColor:
      out[0] = kOne | ((lo >> 16) & 0xFF);
      out[1] = kOne | ((lo >> 8) & 0xFF);
      out[2] = kOne | (lo & 0xFF);
      out[3] = kOne | (lo >> 24);
      return true;
    case kNormShort2:
      out[0] = from_snorm(lo >> 16, 16);
      out[1] = from_snorm(lo & 0xFFFF, 16);
      out[2] = 0;
      out[3] = kOne;
      return true;
    case kNormShort4:
      out[0] = from_snorm(hi >> 16, 16);
      out[1] = from_snorm(hi & 0xFFFF, 16);
      out[2] = from_snorm(lo >> 16, 16);
      out[3] = from_snorm(lo & 0xFFFF, 16);
      return true;
    case kNormPacked32:
      out[0] = from_snorm(lo & 0x3FF, 10);
      out[1] = from_snorm((lo >> 10) & 0x3FF, 10);
      out[2] = from_snorm((lo >> 20) & 0x3FF, 10);
      out[3] = kOne + (lo >> 30);
      return true;
    case kFloat16x2:
      out[0] = half_to_float(uint16_t(lo >> 16));
      out[1] = half_to_float(uint16_t(lo));
      out[2] = 0;
      out[3] = kOne;
      return true;
    case kFloat16x4:
      out[0] = half_to_float(uint16_t(hi >> 16));
      out[1] = half_to_float(uint16_t(hi));
      out[2] = half_to_float(uint16_t(lo >> 16));
      out[3] = half_to_float(uint16_t(lo));
      return true;
    case kNormPacked64: {
      uint64_t v = uint64_t(hi) << 32 | lo;
      out[0] = from_snorm(uint32_t(v & 0xFFFFF), 20);
      out[1] = from_snorm(uint32_t((v >> 20) & 0xFFFFF), 20);
      out[2] = from_snorm(uint32_t((v >> 40) & 0xFFFFF), 20);
      out[3] = kOne + uint32_t(v >> 60);
      return true;
    }
    default: return false;
  }
}

void vmsum3fp128(ThreadContext& c, Instr i) { dot(c, i, 3); }
void vmsum4fp128(ThreadContext& c, Instr i) { dot(c, i, 4); }

// vrlimi128 vD, vB, MASK, ROT: rotate vB left by ROT words, then insert the words whose MASK bit
// is set (bit 3 = word 0) into vD.
void vrlimi128(ThreadContext& c, Instr i) {
  const uint32_t* b = c.vr[f128::vb(i.w)];
  unsigned mask = f128::uimm(i.w), rot = f128::z(i.w);
  uint32_t r[4];
  for (unsigned k = 0; k < 4; ++k) r[k] = b[(k + rot) & 3];
  uint32_t* d = c.vr[f128::vd(i.w)];
  for (unsigned k = 0; k < 4; ++k)
    if ((mask >> (3 - k)) & 1) d[k] = r[k];
}

// vpermwi128 vD, vB, PERM: word k of vD is word PERM[2k..2k+1] (MSB pair first) of vB.
void vpermwi128(ThreadContext& c, Instr i) {
  const uint32_t* b = c.vr[f128::vb(i.w)];
  unsigned p = f128::perm(i.w);
  uint32_t r[4];
  for (unsigned k = 0; k < 4; ++k) r[k] = b[(p >> (6 - 2 * k)) & 3];
  std::memcpy(c.vr[f128::vd(i.w)], r, sizeof r);
}

// vpkd3d128 vD, vB, TYPE, PACK, SHIFT (IMM = TYPE << 2 | PACK, z = SHIFT): packs vB and merges
// the packed words into vD. PACK 1 inserts word 3 of the packed value at word 3 - SHIFT; PACK 2
// and 3 insert words 2..3 at words 2 - SHIFT .. 3 - SHIFT (words moved below 0 are dropped),
// except that PACK 3 with SHIFT 3 puts packed word 2 at word 3.
void vpkd3d128(ThreadContext& c, Instr i) {
  unsigned imm = f128::uimm(i.w), type = imm >> 2, pack = imm & 3, shift = f128::z(i.w);
  uint32_t packed[4];
  if (pack == 0 || !d3d_pack(type, c.vr[f128::vb(i.w)], packed))
    throw InstructionFault{FaultKind::InvalidInstruction, i.w};
  uint32_t* d = c.vr[f128::vd(i.w)];
  if (pack == 1) {
    d[3 - shift] = packed[3];
  } else if (pack == 3 && shift == 3) {
    d[3] = packed[2];
  } else {
    if (shift <= 2) d[2 - shift] = packed[2];
    d[3 - shift] = packed[3];
  }
}

// vupkd3d128 vD, vB, TYPE (IMM = TYPE << 2).
void vupkd3d128(ThreadContext& c, Instr i) {
  uint32_t r[4];
  if (!d3d_unpack(f128::uimm(i.w) >> 2, c.vr[f128::vb(i.w)], r))
    throw InstructionFault{FaultKind::InvalidInstruction, i.w};
  std::memcpy(c.vr[f128::vd(i.w)], r, sizeof r);
}

}  // namespace hexad::cpu::interp::vmx128_xenon
