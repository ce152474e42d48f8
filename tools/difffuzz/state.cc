#include "state.h"

#include "rng.h"

namespace difffuzz {

namespace {

void put(Record& rec, uint32_t off, uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k) rec[off + k] = uint8_t(v >> (8 * (bytes - 1 - k)));
}

}  // namespace

uint64_t random_gpr(Rng& r) {
  switch (r.below(16)) {
    case 0: return r.pick<uint64_t>({0, 1, ~0ull, 2, ~1ull});
    case 1: return r.pick<uint64_t>({0x7FFFFFFFull, 0x80000000ull, 0xFFFFFFFFull, 0xFFFFFFFF80000000ull,
                                     0x100000000ull, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull});
    case 2: return r.below(256);
    case 3: return uint64_t(-int64_t(r.below(256)));
    case 4: return uint64_t(int64_t(int32_t(uint32_t(r.next()))));  // sign-extended word
    case 5: return uint32_t(r.next());                              // zero-extended word
    case 6: return 1ull << r.below(64);
    case 7: return (1ull << r.below(64)) - 1;
    case 8: return ~((1ull << r.below(64)) - 1);
    default: return r.next();
  }
}

uint64_t random_double_bits(Rng& r) {
  const uint64_t sign = r.chance(50) ? 1ull << 63 : 0;
  const uint64_t frac = r.next() & ((1ull << 52) - 1);
  switch (r.below(20)) {
    case 0: return sign;                                              // +-0
    case 1: return sign | 0x7FF0000000000000ull;                      // +-inf
    case 2: return sign | 0x7FF8000000000000ull | (frac >> r.below(53));  // QNaN
    case 3: return sign | 0x7FF0000000000000ull | ((frac >> 1) | 1);  // SNaN (quiet bit clear)
    case 4: return sign | (frac >> r.below(52)) | 1;                   // denormal
    case 5: return sign | r.pick<uint64_t>({0x0010000000000000ull, 0x7FEFFFFFFFFFFFFFull, 0x3FF0000000000000ull,
                                            0x3FE0000000000000ull, 0x41DFFFFFFFC00000ull, 0x41E0000000000000ull,
                                            0x43E0000000000000ull, 0x47EFFFFFE0000000ull, 0x3810000000000000ull,
                                            0x36A0000000000000ull, 0x4330000000000000ull});
    case 6: {  // an integer value near the conversion limits
      const double v = double(int64_t(random_gpr(r)) >> r.below(33));
      uint64_t b;
      __builtin_memcpy(&b, &v, 8);
      return b;
    }
    case 7: case 8: {  // single-precision representable
      const uint64_t exp = uint64_t(1023 - 126 + r.below(253));
      return sign | (exp << 52) | (frac & ~((1ull << 29) - 1));
    }
    case 9: return r.next();                                           // any bits
    default: {                                                         // moderate magnitude
      const uint64_t exp = uint64_t(1023 - 40 + r.below(81));
      return sign | (exp << 52) | frac;
    }
  }
}

uint64_t random_single_as_double_bits(Rng& r) {
  const uint32_t sign = r.chance(50) ? 0x80000000u : 0;
  uint32_t x;
  switch (r.below(12)) {
    case 0: x = sign; break;
    case 1: x = sign | 0x7F800000u; break;
    case 2: x = sign | 0x7FC00000u | (uint32_t(r.next()) & 0x3FFFFF); break;           // QNaN
    case 3: x = sign | 0x7F800000u | ((uint32_t(r.next()) & 0x3FFFFF) | 1); break;     // SNaN
    case 4: x = sign | ((uint32_t(r.next()) & 0x7FFFFF) >> r.below(23)) | 1; break;    // denormal
    case 5: x = sign | r.pick<uint32_t>({0x00800000u, 0x7F7FFFFFu, 0x3F800000u, 0x4F000000u, 0x4EFFFFFFu}); break;
    default: x = sign | (uint32_t(127 - 40 + r.below(81)) << 23) | (uint32_t(r.next()) & 0x7FFFFF);
  }
  // Widen exactly (no host conversion: that would quiet an SNaN).
  const uint64_t s = uint64_t(x >> 31) << 63;
  uint32_t exp = (x >> 23) & 0xFF, frac = x & 0x7FFFFF;
  if (exp == 0xFF) return s | 0x7FF0000000000000ull | (uint64_t(frac) << 29);
  if (exp == 0 && frac == 0) return s;
  int e = int(exp) - 127;
  if (exp == 0) {  // normalise a single denormal
    e = -126;
    while (!(frac & 0x800000)) frac <<= 1, --e;
    frac &= 0x7FFFFF;
  }
  return s | (uint64_t(e + 1023) << 52) | (uint64_t(frac) << 29);
}

uint64_t bounded_single_as_double_bits(Rng& r) {
  const uint64_t sign = r.chance(50) ? 1ull << 63 : 0;
  switch (r.below(16)) {
    case 0: return sign;
    case 1: return sign | 0x7FF0000000000000ull;
    case 2: return sign | 0x7FF8000000000000ull | ((r.next() & 0x3FFFFF) << 29);             // QNaN
    case 3: return sign | 0x7FF0000000000000ull | ((((r.next() & 0x3FFFFF) | 1)) << 29);     // SNaN
    default: return sign | (uint64_t(1023 - 30 + r.below(61)) << 52) | ((r.next() & 0x7FFFFF) << 29);
  }
}

uint32_t random_vmx_float_bits(Rng& r) {
  const uint32_t sign = r.chance(50) ? 0x80000000u : 0;
  switch (r.below(24)) {
    case 0: return sign;
    case 1: return sign | 0x7F800000u;
    case 2: return sign | 0x7FC00000u | (uint32_t(r.next()) & 0x3FFFFF);
    case 3: return sign | 0x3F800000u;
    default: return sign | (uint32_t(127 - 30 + r.below(61)) << 23) | (uint32_t(r.next()) & 0x7FFFFF);
  }
}

static bool is_snan(uint64_t x) {
  return ((x >> 52) & 0x7FF) == 0x7FF && (x & 0x000FFFFFFFFFFFFFull) != 0 && !(x & 0x0008000000000000ull);
}

Record make_record(uint64_t seed, uint64_t block) {
  Rng r(seed, block, 1);
  Record rec{};
  for (int k = 0; k < 32; ++k) put(rec, kInRegs + kOffGpr + 8 * k, random_gpr(r), 8);
  // FPR pools, see grammar_fp.cc.
  for (int k = 0; k < 32; ++k) {
    uint64_t x;
    if (k >= 4 && k < 8) {  // no tiny magnitudes: frsp must not produce a single denormal
      do x = random_double_bits(r);
      while (((x & 0x7FFFFFFFFFFFFFFFull) != 0 && ((x >> 52) & 0x7FF) < 1023 - 126) || is_snan(x));
    } else if (k >= 16 && k < 24) {
      do x = bounded_single_as_double_bits(r);
      while (k < 20 && is_snan(x));
    } else if (k >= 24) {
      x = random_single_as_double_bits(r);
    } else {
      x = random_double_bits(r);
    }
    put(rec, kInRegs + kOffFpr + 8 * k, x, 8);
  }
  put(rec, kInRegs + kOffCr, r.next(), 4);
  // XER: SO, OV, CA and a string byte count; the reserved bits stay zero.
  put(rec, kInRegs + kOffXer, (r.next() & 0xE0000000ull) | r.below(128), 8);
  // FPSCR: FX, sticky exception bits (half of the time none), FR/FI/FPRF, rounding mode. Exception
  // enables stay off (an enabled exception suppresses the target write) and NI off (non-IEEE
  // mode is implementation-specific). FEX/VX are summaries mtfsf recomputes.
  // FX is always 1 (see grammar_fp.cc: qemu sets FX on every exception).
  uint32_t fpscr = 0x80000000u | uint32_t(r.below(4));
  if (r.chance(50)) fpscr |= uint32_t(r.next()) & 0x1FFFF700u;
  put(rec, kInRegs + kOffFpscr, fpscr, 8);
  // VSCR: NJ=1 (the Xenon flushes VMX denormals), SAT random. Word 3 of the vector.
  put(rec, kInRegs + kOffVscr + 12, 0x00010000u | uint32_t(r.below(2)), 4);
  put(rec, kInRegs + kOffCtr, random_gpr(r), 8);
  put(rec, kInRegs + kOffLr, random_gpr(r), 8);
  // VR: v0..v19 any bits (integer lanes of chosen shapes), v20..v31 floats the VMX float ops read
  // (see grammar_vmx.cc).
  for (int v = 0; v < 32; ++v) {
    for (int w = 0; w < 4; ++w) {
      uint32_t x;
      if (v >= 20 && v < 24) x = random_vmx_float_bits(r) & 0xFFFFF000u;  // 12-bit significands (11 stored bits)
      else if (v >= 24) x = random_vmx_float_bits(r);
      else if (r.chance(25)) x = r.pick<uint32_t>({0, 0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0x7F7F7F7Fu, 0x80808080u,
                                                   0x7FFF8000u, 0x00FF00FFu, 0x01010101u});
      else x = uint32_t(r.next());
      put(rec, kInRegs + kOffVr + 16 * v + 4 * w, x, 4);
    }
  }
  for (uint32_t k = 0; k < kBufSize; k += 8) put(rec, kBuf + k, r.next(), 8);
  return rec;
}

}  // namespace difffuzz
