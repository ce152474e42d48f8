/* Conversions between double, float and integers, printed as raw bits in hex: C casts
 * (fctiwz, fctidz/fcfid on 64-bit, libgcc's conversion routines on 32-bit), negative, large
 * and out-of-range values through fctiw/fctiwz (saturation, NaN) in every rounding mode,
 * float<->double (frsp on halfway cases) and int64->float (no double rounding allowed).
 * Inputs pass through an empty asm so nothing is folded at compile time. */
#include "rt.h"

/* Sticky exception bits (OX UX ZX XX, VX*) and FPRF; FX, FEX, VX summary, FR and FI are
 * left out (qemu sets FX on every exception and never updates FR, see docs/difffuzz.md).
 * After fctiw/fctid FPRF is undefined (qemu classifies its 0x8000.. result as a QNaN),
 * so the conversions print only the exception bits. */
#define FPSCR_MASK 0x1FF9F700u
#define FPSCR_CVT_MASK 0x1FF80700u

typedef union { double d; uint64_t u; } dbits;
typedef union { float f; uint32_t u; } fbits;

static double opaque(double x) {
  __asm__("" : "+f"(x));
  return x;
}
static float opaquef(float x) {
  __asm__("" : "+f"(x));
  return x;
}
static uint64_t bits(double d) { dbits b = {d}; return b.u; }
static uint32_t fbitsof(float f) { fbits b = {f}; return b.u; }
static double from_bits(uint64_t u) { dbits b; b.u = u; return b.d; }
static void hex64(uint64_t v) { printf("%08x%08x", (unsigned)(v >> 32), (unsigned)v); }

static const uint64_t kInputs[] = {
  0x0000000000000000ull, 0x8000000000000000ull, /* +0, -0 */
  0x3FE0000000000000ull, 0xBFE0000000000000ull, /* 0.5, -0.5 */
  0x3FF8000000000000ull, 0xBFF8000000000000ull, /* 1.5, -1.5 */
  0x4004000000000000ull, 0xC004000000000000ull, /* 2.5, -2.5 */
  0x3FEFFFFFFFFFFFFFull, 0xBFEFFFFFFFFFFFFFull, /* just below +-1 */
  0x41CDCD6500000000ull, 0xC1CDCD6500000000ull, /* +-1e9 */
  0x41DFFFFFFFC00000ull, 0x41DFFFFFFFFE6666ull, /* 2147483647, 2147483647.9 */
  0xC1E0000000000000ull, 0xC1E00000001CCCCDull, /* -2147483648, -2147483648.9 */
  0x41E0000000000000ull, 0xC1E0000000200000ull, /* 2^31, -2^31-1 */
  0x40FE240C9FBE76C9ull, 0xC0F81CD6E9E1B08Aull, /* 123456.789, -98765.4321 */
  0x4340000000000001ull, 0xC340000000000001ull, /* +-(2^53+2) */
  0x43DFFFFFFFFFFFFFull, 0xC3E0000000000000ull, /* largest below 2^63, -2^63 */
  0x43E0000000000000ull, 0xC3E0000000000001ull, /* 2^63, below -2^63 */
  0x7FF0000000000000ull, 0xFFF0000000000000ull, /* +-inf */
  0x7FF8000000000000ull, 0x7FF4000000000000ull, /* QNaN, SNaN */
  0x0000000000000001ull, 0x800FFFFFFFFFFFFFull, /* denormals */
  0x4415AF1D78B58C40ull, 0xC415AF1D78B58C40ull, /* +-1e20 */
};

/* fctiw/fctiwz under an explicit FPSCR (rounding mode in the low bits, sticky bits clear); the
 * integer word is stored with stfiwx (FRT[0:31] is undefined). Returns the word; *fpscr gets
 * the FPSCR after the instruction. */
static uint32_t fcti(int z, double x, uint32_t rn, uint32_t* fpscr) {
  double ctl = from_bits(rn & 3), r, after;
  uint32_t w;
  if (z)
    __asm__ volatile("mtfsf 0xff,%2\n\tfctiwz %0,%3\n\tmffs %1\n\tstfiwx %0,0,%4"
                     : "=&f"(r), "=&f"(after) : "f"(ctl), "f"(x), "r"(&w) : "memory");
  else
    __asm__ volatile("mtfsf 0xff,%2\n\tfctiw %0,%3\n\tmffs %1\n\tstfiwx %0,0,%4"
                     : "=&f"(r), "=&f"(after) : "f"(ctl), "f"(x), "r"(&w) : "memory");
  *fpscr = (uint32_t)bits(after) & FPSCR_CVT_MASK;
  return w;
}

#ifdef _ARCH_PPC64
static uint64_t fctid_rn(int z, double x, uint32_t rn, uint32_t* fpscr) {
  double ctl = from_bits(rn & 3), r, after;
  if (z)
    __asm__ volatile("mtfsf 0xff,%2\n\tfctidz %0,%3\n\tmffs %1" : "=&f"(r), "=&f"(after) : "f"(ctl), "f"(x));
  else
    __asm__ volatile("mtfsf 0xff,%2\n\tfctid %0,%3\n\tmffs %1" : "=&f"(r), "=&f"(after) : "f"(ctl), "f"(x));
  *fpscr = (uint32_t)bits(after) & FPSCR_CVT_MASK;
  return bits(r);
}
#endif

static void reset_fpscr(void) {
  double z = 0.0;
  __asm__ volatile("mtfsf 0xff,%0" : : "f"(z));
}


int main(void) {
  const unsigned n = ARRAY_SIZE(kInputs);
  /* C casts in the default rounding mode. Out-of-range and NaN inputs are undefined in C, so
   * they only go through the instructions below. */
  for (unsigned k = 0; k < n; ++k) {
    double x = opaque(from_bits(kInputs[k]));
    dbits in = {x};
    int exp = (int)((in.u >> 52) & 0x7FF) - 1023;
    printf("in ");
    hex64(in.u);
    if (exp < 31 || in.u == 0xC1E0000000000000ull || in.u == 0xC1E00000001CCCCDull) {
      int iv = (int)x;
      printf(" i32 %08x", (unsigned)iv);
    }
    if (exp < 63 || in.u == 0xC3E0000000000000ull) {
      long long lv = (long long)x;
      printf(" i64 ");
      hex64((uint64_t)lv);
    }
    if (exp < 32 && !(in.u >> 63)) printf(" u32 %08x", (unsigned)x);
    if (exp < 64 && !(in.u >> 63)) {
      printf(" u64 ");
      hex64((uint64_t)(unsigned long long)x);
    }
    printf(" f32 %08x\n", fbitsof((float)x));
  }

  /* fctiw/fctiwz (and fctid/fctidz on 64-bit) under each rounding mode, including
   * saturation, NaN and infinities, with the FPSCR they leave. */
  for (uint32_t rn = 0; rn < 4; ++rn) {
    reset_fpscr();
    for (unsigned k = 0; k < n; ++k) {
      double x = from_bits(kInputs[k]);
      uint32_t f1, f2;
      uint32_t w = fcti(0, x, rn, &f1), wz = fcti(1, x, rn, &f2);
      printf("rn%u fctiw %08x [%08x] fctiwz %08x [%08x]", (unsigned)rn, (unsigned)w,
             (unsigned)f1, (unsigned)wz, (unsigned)f2);
#ifdef _ARCH_PPC64
      uint64_t d = fctid_rn(0, x, rn, &f1), dz = fctid_rn(1, x, rn, &f2);
      printf(" fctid ");
      hex64(d);
      printf(" [%08x] fctidz ", (unsigned)f1);
      hex64(dz);
      printf(" [%08x]", (unsigned)f2);
#endif
      printf("\n");
    }
  }
  reset_fpscr();

  /* Integers to floating point: int32, uint32, int64 (2^53 and beyond round), uint64. */
  static const int64_t ints[] = {0, 1, -1, 7, -7, 2147483647LL, -2147483647LL - 1, 4294967295LL,
                                 9007199254740993LL, -9007199254740993LL, 9223372036854775807LL,
                                 -9223372036854775807LL - 1, 0x123456789ABCDEFLL, -0x123456789ABCDEFLL,
                                 16777217, -16777217, 0x7FFFFF8000000001LL, 0x20000010000001LL};
  for (unsigned k = 0; k < ARRAY_SIZE(ints); ++k) {
    int64_t v = ints[k];
    __asm__("" : "+r"(v));
    int32_t v32 = (int32_t)v;
    uint32_t u32 = (uint32_t)v;
    printf("int ");
    hex64((uint64_t)v);
    printf(" d(i32) ");
    hex64(bits((double)v32));
    printf(" d(u32) ");
    hex64(bits((double)u32));
    printf(" d(i64) ");
    hex64(bits((double)v));
    printf(" d(u64) ");
    hex64(bits((double)(uint64_t)v));
    printf(" f(i32) %08x f(i64) %08x f(u64) %08x\n", fbitsof((float)v32), fbitsof((float)v),
           fbitsof((float)(uint64_t)v));
  }

  /* double -> float: halfway cases between two floats, overflow to infinity, values that round
   * up to the smallest normal; float -> double is exact. */
  static const uint64_t narrow[] = {
    0x3FF0000010000000ull, 0x3FF0000030000000ull, /* 1 + half ulp(float): ties to even (down, up) */
    0x3FF0000010000001ull, 0xBFF000000FFFFFFFull, /* just above / below halfway */
    0x47EFFFFFF0000000ull, 0x47EFFFFFEFFFFFFFull, /* rounds to inf / to FLT_MAX */
    0x3810000000000000ull, 0xB810000000000000ull, /* +-FLT_MIN */
    0x4415AF1D78B58C40ull, 0x3FB999999999999Aull, /* 1e20, 0.1 */
  };
  for (uint32_t rn = 0; rn < 4; ++rn) {
    double ctl = from_bits(rn);
    __asm__ volatile("mtfsf 0xff,%0" : : "f"(ctl));
    for (unsigned k = 0; k < ARRAY_SIZE(narrow); ++k) {
      double x = from_bits(narrow[k]), r, after;
      __asm__ volatile("frsp %0,%2\n\tmffs %1" : "=&f"(r), "=&f"(after) : "f"(x));
      printf("rn%u frsp ", (unsigned)rn);
      hex64(narrow[k]);
      printf(" -> ");
      hex64(bits(r));
      printf(" [%08x]\n", (unsigned)(bits(after) & FPSCR_MASK));
      __asm__ volatile("mtfsf 0xff,%0" : : "f"(ctl));
    }
  }
  reset_fpscr();
  float fl[] = {1.0f / 3.0f, -2.5e-38f, 3.4e38f, 7.0f};
  for (unsigned k = 0; k < ARRAY_SIZE(fl); ++k) {
    double w = (double)opaquef(fl[k]);
    printf("widen %08x -> ", fbitsof(fl[k]));
    hex64(bits(w));
    printf("\n");
  }
  return rt_failures;
}
