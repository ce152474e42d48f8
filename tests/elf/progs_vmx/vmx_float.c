/* VMX floating point through <altivec.h>: vaddfp/vsubfp, vmaddfp/vnmsubfp, vmaxfp/vminfp,
 * compares as masks and predicates (vec_all_* / vec_any_*, vcmpbfp bounds), round to integral
 * (vrfin/vrfiz/vrfip/vrfim), fixed-point conversions with scale factors and saturation
 * (vctsxs/vctuxs set VSCR[SAT]), vcfsx/vcfux, and the estimates on inputs where they are exact.
 * Per-operation digests over all operand pairs, as hex; the first result printed in full.
 *
 * Operand rules (so that qemu-user and the Xenon must agree):
 * - no denormal inputs or results: the Xenon's VMX flushes them in every mode, qemu only with
 *   VSCR[NJ]=1 and only on outputs. Finite inputs have 12-bit significands and |exponent| <= 20.
 * - vmaddfp/vnmsubfp: the Xenon rounds the product before adding, qemu fuses; with 12-bit
 *   significands every product is exact, so both give the same result.
 * - vrefp/vrsqrtefp/vexptefp/vlogefp are estimates: only powers of two (and small integers for
 *   vexptefp), where the exact result is representable. */
#include <altivec.h>

#include "rt.h"

typedef vector float vf;
typedef vector unsigned int vu32;
typedef vector signed int vs32;

static uint64_t digest;
static int first;

static void mix(uint32_t v) {
  for (int i = 0; i < 4; ++i) digest = (digest ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
}
static void begin(const char* name) {
  printf("%s\n", name);
  digest = 0xcbf29ce484222325ull;
  first = 1;
}
static void take(vu32 v) {
  uint32_t w[4] __attribute__((aligned(16)));
  vec_st(v, 0, w);
  for (int i = 0; i < 4; ++i) mix(w[i]);
  if (first) {
    printf("  first %08x %08x %08x %08x\n", (unsigned)w[0], (unsigned)w[1], (unsigned)w[2], (unsigned)w[3]);
    first = 0;
  }
}
static void end(const char* name) { printf("%s %08x%08x\n", name, (unsigned)(digest >> 32), (unsigned)digest); }
static void take_sat(void) {
  vu32 vscr = (vu32)vec_mfvscr();
  uint32_t w[4] __attribute__((aligned(16)));
  vec_st(vscr, 0, w);
  mix(w[3] & 1);
  vec_mtvscr(vec_and(vscr, (vu32){0, 0, 0, 0xFFFFFFFEu}));
}

#define NV 28
static uint32_t in_words[NV][4] __attribute__((aligned(16)));
static vf V(int k) { return (vf)vec_ld(0, in_words[k % NV]); }

static uint32_t lcg_state = 99991u;
static uint32_t lcg(void) {
  lcg_state = lcg_state * 1664525u + 1013904223u;
  return lcg_state >> 7;
}
/* A float with a 12-bit significand and exponent in [-20, 20]. */
static uint32_t short_float(void) {
  uint32_t r = lcg();
  uint32_t sign = (r & 1) << 31, exp = 127 - 20 + (r >> 1) % 41, frac = ((r >> 8) & 0x7FF) << 12;
  return sign | exp << 23 | frac;
}

static void init_inputs(void) {
  static const uint32_t edges[6][4] = {
    {0x00000000u, 0x80000000u, 0x3F800000u, 0xBF800000u},    /* +0 -0 1 -1 */
    {0x7F800000u, 0xFF800000u, 0x7FC00000u, 0x7FC12300u},    /* +inf -inf QNaN QNaN(payload) */
    {0x7F800001u, 0x40490000u, 0xC2F6E000u, 0x4B000800u},    /* SNaN 3.140625 -123.4375 2^23+16 */
    {0x3F000000u, 0xBFC00000u, 0x40200000u, 0xC0600000u},    /* 0.5 -1.5 2.5 -3.5 (ties) */
    {0x4F000000u, 0xCF000000u, 0x4F800000u, 0x5F000000u},    /* 2^31 -2^31 2^32 2^63 */
    {0x3FFFF000u, 0x3F801000u, 0xC1A80000u, 0x45FFF000u},
  };
  for (int k = 0; k < NV; ++k)
    for (int i = 0; i < 4; ++i) in_words[k][i] = k < 6 ? edges[k][i] : short_float();
}

#define BIN(name, expr, sat)                                                                \
  do {                                                                                      \
    begin(name);                                                                            \
    for (int a = 0; a < NV; ++a)                                                            \
      for (int b = 0; b < NV; ++b) {                                                        \
        vf x = V(a), y = V(b);                                                              \
        (void)y;                                                                            \
        take((vu32)(expr));                                                                 \
        if (sat) take_sat();                                                                \
      }                                                                                     \
    end(name);                                                                              \
  } while (0)

/* The products of 12-bit significands are exact: a,c from the table, b any. SNaN inputs with
 * 0*inf are fine for VMX (no exception flags). */
#define TRI(name, expr)                                                                     \
  do {                                                                                      \
    begin(name);                                                                            \
    for (int a = 0; a < NV; ++a)                                                            \
      for (int b = 0; b < NV; b += 3)                                                       \
        for (int c = 0; c < NV; c += 2) {                                                   \
          vf x = V(a), y = V(b), z = vec_sld(V(c), V(c), 4);                                \
          take((vu32)(expr));                                                               \
        }                                                                                   \
    end(name);                                                                              \
  } while (0)

int main(void) {
  init_inputs();
  vec_mtvscr((vu32){0, 0, 0, 0x00010000u}); /* NJ=1: the Xenon's mode; SAT clear */
  BIN("vaddfp", vec_add(x, y), 0);
  BIN("vsubfp", vec_sub(x, y), 0);
  BIN("vmaxfp", vec_max(x, y), 0);
  BIN("vminfp", vec_min(x, y), 0);
  TRI("vmaddfp", vec_madd(x, z, y));
  TRI("vnmsubfp", vec_nmsub(x, z, y));
  BIN("vcmpeqfp", vec_cmpeq(x, y), 0);
  BIN("vcmpgtfp", vec_cmpgt(x, y), 0);
  BIN("vcmpgefp", vec_cmpge(x, y), 0);
  BIN("vcmpbfp", vec_cmpb(x, vec_abs(y)), 0);
  BIN("vrfin", vec_round(x), 0);
  BIN("vrfiz", vec_trunc(x), 0);
  BIN("vrfip", vec_ceil(x), 0);
  BIN("vrfim", vec_floor(x), 0);
  BIN("vctsxs 0", vec_cts(x, 0), 1);
  BIN("vctsxs 7", vec_cts(x, 7), 1);
  BIN("vctuxs 0", vec_ctu(x, 0), 1);
  BIN("vctuxs 31", vec_ctu(x, 31), 1);
  BIN("vcfsx 0", vec_ctf((vs32)x, 0), 0);
  BIN("vcfsx 9", vec_ctf((vs32)x, 9), 0);
  BIN("vcfux 3", vec_ctf((vu32)x, 3), 0);

  begin("predicates");
  for (int a = 0; a < NV; ++a)
    for (int b = 0; b < NV; ++b) {
      vf x = V(a), y = V(b);
      uint32_t m = (uint32_t)vec_all_eq(x, y) | (uint32_t)vec_any_eq(x, y) << 1 |
                   (uint32_t)vec_all_gt(x, y) << 2 | (uint32_t)vec_any_gt(x, y) << 3 |
                   (uint32_t)vec_all_ge(x, y) << 4 | (uint32_t)vec_any_ge(x, y) << 5 |
                   (uint32_t)vec_all_lt(x, y) << 6 | (uint32_t)vec_any_le(x, y) << 7 |
                   (uint32_t)vec_all_nan(x) << 8 | (uint32_t)vec_any_nan(x) << 9 |
                   (uint32_t)vec_all_numeric(y) << 10 | (uint32_t)vec_any_numeric(y) << 11 |
                   (uint32_t)vec_all_in(x, vec_abs(y)) << 12 | (uint32_t)vec_any_out(x, vec_abs(y)) << 13 |
                   (uint32_t)vec_all_ngt(x, y) << 14 | (uint32_t)vec_any_nge(x, y) << 15;
      mix(m);
      if (a < 3 && b < 3) printf("  pred %d,%d %04x\n", a, b, (unsigned)m);
    }
  end("predicates");

  /* Estimates where the exact value is representable: powers of two (1/x and 1/sqrt(4^k)),
   * log2 of powers of two (vexptefp: see the top comment). */
  begin("estimates");
  for (int k = -12; k <= 12; ++k) {
    uint32_t p2 = (uint32_t)(127 + k) << 23, p4 = (uint32_t)(127 + 2 * k) << 23;
    vf v2 = (vf)(vu32){p2, p2 | 0x80000000u, p2, p2};
    vf v4 = (vf)(vu32){p4, p4, p4, p4};
    take((vu32)vec_re(v2));
    take((vu32)vec_rsqrte(v4));
    take((vu32)vec_loge(v4));
  }
  end("estimates");

  /* A 4x4 single-precision matrix applied to vectors (splat + madd chains): all values have
   * short significands so each product and sum is exact or rounds the same either way. */
  begin("transform");
  vf rows[4] = {(vf){1.0f, 0.5f, -2.0f, 0.25f}, (vf){0.0f, 3.0f, 1.5f, -1.0f}, (vf){-0.75f, 0.125f, 2.0f, 4.0f},
                (vf){1.0f, 1.0f, 1.0f, 1.0f}};
  vf acc = (vf){0.0f, 0.0f, 0.0f, 0.0f};
  for (int k = 0; k < NV; ++k) {
    vf v = V(k);
    vf r = vec_madd(rows[0], vec_splat(v, 0), (vf){-0.0f, -0.0f, -0.0f, -0.0f});
    r = vec_madd(rows[1], vec_splat(v, 1), r);
    r = vec_madd(rows[2], vec_splat(v, 2), r);
    r = vec_madd(rows[3], vec_splat(v, 3), r);
    take((vu32)r);
    acc = vec_add(acc, vec_sel(r, (vf){0, 0, 0, 0}, vec_cmpgt(vec_abs(r), (vf){1e30f, 1e30f, 1e30f, 1e30f})));
  }
  take((vu32)acc);
  end("transform");
  return 0;
}
