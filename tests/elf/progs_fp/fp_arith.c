/* Scalar FPU arithmetic on a table of operands (signed zeros, infinities, QNaN, SNaN, large,
 * small and denormal doubles), each instruction run in inline asm under an explicit FPSCR
 * (rounding mode, sticky bits clear) and printed with the FPSCR it leaves: fadd/fsub/fmul/fdiv
 * in double and single, fmadd family, fsqrt (where the target has it), fsel, fabs/fneg/fnabs/fmr,
 * fcmpu/fcmpo (CR field). Then C-level __builtin_fma/__builtin_fmaf, sqrt and float-vs-double
 * rounding. Everything is printed as hex bits.
 *
 * Left out, because qemu-user 7.2 differs from the ISA there (docs/difffuzz.md): FX and FR in
 * the FPSCR, FI and FPRF after compares, fnmadd/fnmsub under round-to-+/-inf, multiply-adds
 * with 0*inf and an SNaN addend, FPRF of single-precision denormal results (single operations
 * only see operands whose results stay normal in single). fres/frsqrte are estimates. */
#include "rt.h"

typedef union { double d; uint64_t u; } dbits;
static uint64_t bits(double d) { dbits b = {d}; return b.u; }
static double from_bits(uint64_t u) { dbits b; b.u = u; return b.d; }
static void hex64(uint64_t v) { printf("%08x%08x", (unsigned)(v >> 32), (unsigned)v); }

#define FPSCR_MASK 0x1FF9F700u /* sticky exception bits and FPRF */

static const uint64_t kDouble[] = {
  0x0000000000000000ull, 0x8000000000000000ull, 0x3FF0000000000000ull, 0xC008000000000000ull,
  0x7FF0000000000000ull, 0xFFF0000000000000ull, 0x7FF8000000000000ull, 0x7FF4000000000001ull,
  0x7FEFFFFFFFFFFFFFull, 0x0010000000000000ull, 0x000FFFFFFFFFFFFFull, 0x3FB999999999999Aull,
  0x400921FB54442D18ull, 0xC1D2345678ABCDEFull, 0x3CB0000000000000ull, 0x3FF0000000000001ull,
};
/* Values representable in single precision whose single results stay normal. */
static const uint64_t kSingle[] = {
  0x0000000000000000ull, 0x8000000000000000ull, 0x3FF0000000000000ull, 0xC008000000000000ull,
  0x7FF0000000000000ull, 0x7FF8000000000000ull, 0x3FD5555560000000ull, 0x4093480000000000ull,
  0xC0FE240C00000000ull, 0x3F1A36E2E0000000ull, 0x4415AF1D80000000ull, 0xBFF0000020000000ull,
};

#define OP2(name, insn)                                                                        \
  static double name(double a, double b, uint32_t rn, uint32_t* fpscr) {                       \
    double ctl = from_bits(rn), r, after;                                                      \
    __asm__ volatile("mtfsf 0xff,%2\n\t" insn " %0,%3,%4\n\tmffs %1"                         \
                     : "=&f"(r), "=&f"(after) : "f"(ctl), "f"(a), "f"(b));                   \
    *fpscr = (uint32_t)bits(after) & FPSCR_MASK;                                               \
    return r;                                                                                  \
  }
OP2(op_fadd, "fadd")
OP2(op_fsub, "fsub")
OP2(op_fdiv, "fdiv")
OP2(op_fadds, "fadds")
OP2(op_fsubs, "fsubs")
OP2(op_fdivs, "fdivs")

#define OPMUL(name, insn)                                                                      \
  static double name(double a, double c, uint32_t rn, uint32_t* fpscr) {                       \
    double ctl = from_bits(rn), r, after;                                                      \
    __asm__ volatile("mtfsf 0xff,%2\n\t" insn " %0,%3,%4\n\tmffs %1"                         \
                     : "=&f"(r), "=&f"(after) : "f"(ctl), "f"(a), "f"(c));                   \
    *fpscr = (uint32_t)bits(after) & FPSCR_MASK;                                               \
    return r;                                                                                  \
  }
OPMUL(op_fmul, "fmul")
OPMUL(op_fmuls, "fmuls")

#define OP3(name, insn)                                                                        \
  static double name(double a, double c, double b, uint32_t rn, uint32_t* fpscr) {             \
    double ctl = from_bits(rn), r, after;                                                      \
    __asm__ volatile("mtfsf 0xff,%2\n\t" insn " %0,%3,%4,%5\n\tmffs %1"                      \
                     : "=&f"(r), "=&f"(after) : "f"(ctl), "f"(a), "f"(c), "f"(b));           \
    *fpscr = (uint32_t)bits(after) & FPSCR_MASK;                                               \
    return r;                                                                                  \
  }
OP3(op_fmadd, "fmadd")
OP3(op_fmsub, "fmsub")
OP3(op_fnmadd, "fnmadd")
OP3(op_fnmsub, "fnmsub")
OP3(op_fmadds, "fmadds")
OP3(op_fnmsubs, "fnmsubs")
OP3(op_fsel, "fsel")

#define OP1(name, insn)                                                                        \
  static double name(double b, uint32_t rn, uint32_t* fpscr) {                                 \
    double ctl = from_bits(rn), r, after;                                                      \
    __asm__ volatile("mtfsf 0xff,%2\n\t" insn " %0,%3\n\tmffs %1"                            \
                     : "=&f"(r), "=&f"(after) : "f"(ctl), "f"(b));                           \
    *fpscr = (uint32_t)bits(after) & FPSCR_MASK;                                               \
    return r;                                                                                  \
  }
OP1(op_fabs, "fabs")
OP1(op_fnabs, "fnabs")
OP1(op_fneg, "fneg")
OP1(op_frsp, "frsp")
#ifdef _ARCH_PPCSQ
OP1(op_fsqrt, "fsqrt")
OP1(op_fsqrts, "fsqrts")
#endif

/* fcmpu/fcmpo into CR1; returns the CR1 field and the FPSCR exception bits (FPRF[FPCC] is
 * printed through the CR field; FI/C are left out: qemu changes them on compares). */
static unsigned compare(int ordered, double a, double b, uint32_t* fpscr) {
  double ctl = 0.0, after;
  unsigned long cr;
  if (ordered)
    __asm__ volatile("mtfsf 0xff,%2\n\tfcmpo 1,%3,%4\n\tmffs %1\n\tmfcr %0"
                     : "=r"(cr), "=&f"(after) : "f"(ctl), "f"(a), "f"(b) : "cr1");
  else
    __asm__ volatile("mtfsf 0xff,%2\n\tfcmpu 1,%3,%4\n\tmffs %1\n\tmfcr %0"
                     : "=r"(cr), "=&f"(after) : "f"(ctl), "f"(a), "f"(b) : "cr1");
  *fpscr = (uint32_t)bits(after) & 0x1FF80700u;
  return (unsigned)(cr >> 24) & 0xF;
}

static void put(const char* name, uint32_t rn, double r, uint32_t fpscr) {
  printf(" %s%u=", name, (unsigned)rn);
  hex64(bits(r));
  printf("/%x", (unsigned)fpscr);
}

static uint64_t digest = 0xcbf29ce484222325ull;
static void mix(uint64_t v) {
  for (int i = 0; i < 8; ++i) digest = (digest ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
}

int main(void) {
  const unsigned nd = ARRAY_SIZE(kDouble), ns = ARRAY_SIZE(kSingle);
  uint32_t f;
  /* Two-operand double ops over all pairs, each rounding mode folded into a per-pair line. */
  for (unsigned i = 0; i < nd; ++i)
    for (unsigned j = 0; j < nd; ++j) {
      double a = from_bits(kDouble[i]), b = from_bits(kDouble[j]);
      printf("d %x,%x", i, j);
      for (uint32_t rn = 0; rn < 4; rn += 3) { /* nearest and toward -inf */
        put("add", rn, op_fadd(a, b, rn, &f), f);
        put("sub", rn, op_fsub(a, b, rn, &f), f);
        put("mul", rn, op_fmul(a, b, rn, &f), f);
        put("div", rn, op_fdiv(a, b, rn, &f), f);
      }
      unsigned cu = compare(0, a, b, &f);
      printf(" cmpu=%x/%x", cu, (unsigned)f);
      unsigned co = compare(1, a, b, &f);
      printf(" cmpo=%x/%x\n", co, (unsigned)f);
    }
  for (unsigned i = 0; i < ns; ++i)
    for (unsigned j = 0; j < ns; ++j) {
      double a = from_bits(kSingle[i]), b = from_bits(kSingle[j]);
      printf("s %x,%x", i, j);
      for (uint32_t rn = 0; rn < 4; ++rn) {
        put("adds", rn, op_fadds(a, b, rn, &f), f);
        put("subs", rn, op_fsubs(a, b, rn, &f), f);
        put("muls", rn, op_fmuls(a, b, rn, &f), f);
        put("divs", rn, op_fdivs(a, b, rn, &f), f);
      }
      printf("\n");
    }
  /* Multiply-adds over triples, folded into a digest per (a, c) pair to keep the output short;
   * fnmadd/fnmsub only under nearest and toward zero. Addends never hold an SNaN when a*c could
   * be 0*inf (the table's SNaN is index 7: skipped as addend). */
  for (unsigned i = 0; i < nd; ++i)
    for (unsigned j = 0; j < nd; ++j) {
      digest = 0xcbf29ce484222325ull;
      double a = from_bits(kDouble[i]), c = from_bits(kDouble[j]);
      for (unsigned k = 0; k < nd; ++k) {
        if (k == 7) continue;
        double b = from_bits(kDouble[k]);
        for (uint32_t rn = 0; rn < 4; ++rn) {
          mix(bits(op_fmadd(a, c, b, rn, &f))), mix(f);
          mix(bits(op_fmsub(a, c, b, rn, &f))), mix(f);
          mix(bits(op_fsel(a, c, b, rn, &f))), mix(f);
          if (rn < 2) {
            mix(bits(op_fnmadd(a, c, b, rn, &f))), mix(f);
            mix(bits(op_fnmsub(a, c, b, rn, &f))), mix(f);
          }
        }
      }
      printf("madd %x,%x %08x%08x\n", i, j, (unsigned)(digest >> 32), (unsigned)digest);
    }
  for (unsigned i = 0; i < ns; ++i) {
    digest = 0xcbf29ce484222325ull;
    double a = from_bits(kSingle[i]);
    for (unsigned j = 0; j < ns; ++j)
      for (unsigned k = 0; k < ns; ++k) {
        double c = from_bits(kSingle[j]), b = from_bits(kSingle[k]);
        for (uint32_t rn = 0; rn < 2; ++rn) {
          mix(bits(op_fmadds(a, c, b, rn, &f))), mix(f);
          mix(bits(op_fnmsubs(a, c, b, rn, &f))), mix(f);
        }
      }
    printf("madds %x %08x%08x\n", i, (unsigned)(digest >> 32), (unsigned)digest);
  }
  /* One-operand ops. */
  for (unsigned i = 0; i < nd; ++i) {
    double b = from_bits(kDouble[i]);
    printf("u %x", i);
    put("abs", 0, op_fabs(b, 0, &f), f);
    put("nabs", 0, op_fnabs(b, 0, &f), f);
    put("neg", 0, op_fneg(b, 0, &f), f);
    put("rsp", 0, op_frsp(b, 0, &f), f);
    put("rsp", 1, op_frsp(b, 1, &f), f);
#ifdef _ARCH_PPCSQ
    for (uint32_t rn = 0; rn < 4; rn += 2) put("sqrt", rn, op_fsqrt(b, rn, &f), f);
    if (i < ns) put("sqrts", 0, op_fsqrts(from_bits(kSingle[i]), 0, &f), f);
#endif
    printf("\n");
  }

  /* C level, default FPSCR: fused multiply-add builtins against separately rounded forms. */
  double z = 0.0;
  __asm__ volatile("mtfsf 0xff,%0" : : "f"(z));
  double x = 1.0 + 0x1p-30, y = 1.0 - 0x1p-30;
  __asm__("" : "+f"(x), "+f"(y));
  double p = x * y;
  __asm__("" : "+f"(p));
  printf("fma ");
  hex64(bits(__builtin_fma(x, y, -1.0)));
  printf(" mul-sub ");
  hex64(bits(p - 1.0));
  float xf = 1.0f + 0x1p-13f, yf = 1.0f - 0x1p-13f;
  __asm__("" : "+f"(xf), "+f"(yf));
  union { float f; uint32_t u; } r1 = {__builtin_fmaf(xf, yf, -1.0f)};
  printf(" fmaf %08x\n", (unsigned)r1.u);
  /* float vs double rounding: the sum of 1/i accumulated in float, in double, and in double
   * rounded to float at the end differ; and a double-rounding case (double then float). */
  float sf = 0.0f;
  double sd = 0.0;
  for (int i = 1; i <= 1000; ++i) {
    float fi = (float)i;
    double di = (double)i;
    __asm__("" : "+f"(fi), "+f"(di));
    sf += 1.0f / fi;
    sd += 1.0 / di;
  }
  union { float f; uint32_t u; } sfb = {sf}, sdf = {(float)sd};
  printf("harmonic float %08x double ", (unsigned)sfb.u);
  hex64(bits(sd));
  printf(" double->float %08x\n", (unsigned)sdf.u);
  double a = 1.0 + 0x1p-24 + 0x1p-53 * 0, b = 0x1p-54;
  __asm__("" : "+f"(a), "+f"(b));
  union { float f; uint32_t u; } twice = {(float)(a + b)}, once;
  float fa = 1.0f, fb = 0x1p-24f;
  __asm__("" : "+f"(fa), "+f"(fb));
  once.f = fa + fb;
  printf("double-rounding %08x single %08x\n", (unsigned)twice.u, (unsigned)once.u);
#ifdef _ARCH_PPCSQ
  double two = 2.0;
  __asm__("" : "+f"(two));
  printf("sqrt2 ");
  hex64(bits(__builtin_sqrt(two)));
  union { float f; uint32_t u; } s2 = {__builtin_sqrtf((float)two)};
  printf(" sqrtf2 %08x\n", (unsigned)s2.u);
#endif
  return 0;
}
