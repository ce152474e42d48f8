/* VMX integer, permute and load/store operations through <altivec.h>: each operation runs over
 * edge-value and pseudo-random operand vectors, and its results (and, for saturating ones,
 * VSCR[SAT]) are folded into a per-operation digest printed as hex; the first result of each
 * is printed in full. Covers modulo and saturating add/sub, multiplies (even/odd, mladd, madds,
 * mradds), multiply-sums and sums across, averages, min/max, logicals, shifts and rotates
 * (element, whole-vector bit and octet), compares as masks and as predicates (vec_all_* /
 * vec_any_*: record forms setting CR6), pack/unpack (modulo, saturating, pixel), merges,
 * vec_perm/vec_sel/vec_splat/vec_sld, lvsl/lvsr realignment of unaligned data, vec_ld/vec_st
 * and element stores. */
#include <altivec.h>

#include "rt.h"

typedef vector unsigned char vu8;
typedef vector signed char vs8;
typedef vector unsigned short vu16;
typedef vector signed short vs16;
typedef vector unsigned int vu32;
typedef vector signed int vs32;
typedef vector bool int vb32;
typedef vector pixel vpx;

static uint64_t digest;
static int first;

static void mix(uint32_t v) {
  for (int i = 0; i < 4; ++i) digest = (digest ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
}

static void begin(void) {
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

static void end(const char* name) {
  printf("%s %08x%08x\n", name, (unsigned)(digest >> 32), (unsigned)digest);
}

/* VSCR[SAT]: read, fold, then clear it (keeping NJ as it was). */
static void take_sat(void) {
  vu32 vscr = (vu32)vec_mfvscr();
  uint32_t w[4] __attribute__((aligned(16)));
  vec_st(vscr, 0, w);
  mix(w[3] & 1);
  vec_mtvscr(vec_and(vscr, (vu32){0, 0, 0, 0xFFFFFFFEu}));
}

#define NV 24
static uint32_t in_words[NV][4] __attribute__((aligned(16)));

static vu32 V(int k) { return vec_ld(0, in_words[k % NV]); }

static uint32_t lcg_state = 0x1234567u;
static uint32_t lcg(void) {
  lcg_state = lcg_state * 1664525u + 1013904223u;
  return lcg_state ^ (lcg_state >> 15);
}

static void init_inputs(void) {
  static const uint32_t edges[8][4] = {
    {0, 0, 0, 0},
    {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu},
    {0x7F7F7F7Fu, 0x80808080u, 0x7FFF8000u, 0x7FFFFFFFu},
    {0x80000000u, 0x00000001u, 0x01FF7F80u, 0xFF01807Fu},
    {0x00010002u, 0x00030004u, 0xFFFEFFFDu, 0x8001FFFFu},
    {0x0F1E2D3Cu, 0x4B5A6978u, 0x8796A5B4u, 0xC3D2E1F0u},
    {0x7FFFFFFEu, 0x80000001u, 0xFFFF0000u, 0x0000FFFFu},
    {0x01010101u, 0x20202020u, 0x07070707u, 0x1F1F1F1Fu},
  };
  for (int k = 0; k < NV; ++k)
    for (int i = 0; i < 4; ++i) in_words[k][i] = k < 8 ? edges[k][i] : lcg();
}

#define BIN(name, T, expr)                                                                  \
  do {                                                                                      \
    begin();                                                                                \
    printf("%s\n", name);                                                                   \
    for (int a = 0; a < NV; ++a)                                                            \
      for (int b = 0; b < NV; b += 3) {                                                     \
        T x = (T)V(a), y = (T)V(b);                                                         \
        (void)y;                                                                            \
        take((vu32)(expr));                                                                 \
      }                                                                                     \
    end(name);                                                                              \
  } while (0)

#define BIN_SAT(name, T, expr)                                                              \
  do {                                                                                      \
    begin();                                                                                \
    printf("%s\n", name);                                                                   \
    for (int a = 0; a < NV; ++a)                                                            \
      for (int b = 0; b < NV; b += 3) {                                                     \
        T x = (T)V(a), y = (T)V(b);                                                         \
        (void)y;                                                                            \
        take((vu32)(expr));                                                                 \
        take_sat();                                                                         \
      }                                                                                     \
    end(name);                                                                              \
  } while (0)

#define TRI(name, T, U, W, expr, sat)                                                       \
  do {                                                                                      \
    begin();                                                                                \
    printf("%s\n", name);                                                                   \
    for (int a = 0; a < NV; ++a)                                                            \
      for (int b = 0; b < NV; b += 5) {                                                     \
        T x = (T)V(a);                                                                      \
        U y = (U)V(b);                                                                      \
        W z = (W)V(a + b + 1);                                                              \
        take((vu32)(expr));                                                                 \
        if (sat) take_sat();                                                                \
      }                                                                                     \
    end(name);                                                                              \
  } while (0)

static void arithmetic(void) {
  BIN("vaddubm", vu8, vec_add(x, y));
  BIN("vadduhm", vu16, vec_add(x, y));
  BIN("vadduwm", vu32, vec_add(x, y));
  BIN("vsububm", vu8, vec_sub(x, y));
  BIN("vsubuwm", vu32, vec_sub(x, y));
  BIN("vaddcuw", vu32, vec_addc(x, y));
  BIN("vsubcuw", vu32, vec_subc(x, y));
  BIN_SAT("vaddubs", vu8, vec_adds(x, y));
  BIN_SAT("vaddsbs", vs8, vec_adds(x, y));
  BIN_SAT("vadduhs", vu16, vec_adds(x, y));
  BIN_SAT("vaddshs", vs16, vec_adds(x, y));
  BIN_SAT("vadduws", vu32, vec_adds(x, y));
  BIN_SAT("vaddsws", vs32, vec_adds(x, y));
  BIN_SAT("vsububs", vu8, vec_subs(x, y));
  BIN_SAT("vsubsbs", vs8, vec_subs(x, y));
  BIN_SAT("vsubuhs", vu16, vec_subs(x, y));
  BIN_SAT("vsubshs", vs16, vec_subs(x, y));
  BIN_SAT("vsubuws", vu32, vec_subs(x, y));
  BIN_SAT("vsubsws", vs32, vec_subs(x, y));
  BIN("vmuleub", vu8, vec_mule(x, y));
  BIN("vmulosb", vs8, vec_mulo(x, y));
  BIN("vmuleuh", vu16, vec_mule(x, y));
  BIN("vmulosh", vs16, vec_mulo(x, y));
  TRI("vmladduhm", vu16, vu16, vu16, vec_mladd(x, y, z), 0);
  TRI("vmhaddshs", vs16, vs16, vs16, vec_madds(x, y, z), 1);
  TRI("vmhraddshs", vs16, vs16, vs16, vec_mradds(x, y, z), 1);
  TRI("vmsumubm", vu8, vu8, vu32, vec_msum(x, y, z), 0);
  TRI("vmsummbm", vs8, vu8, vs32, vec_msum(x, y, z), 0);
  TRI("vmsumshm", vs16, vs16, vs32, vec_msum(x, y, z), 0);
  TRI("vmsumuhs", vu16, vu16, vu32, vec_msums(x, y, z), 1);
  TRI("vmsumshs", vs16, vs16, vs32, vec_msums(x, y, z), 1);
  BIN_SAT("vsum4ubs", vu8, vec_sum4s(x, (vu32)y));
  BIN_SAT("vsum4sbs", vs8, vec_sum4s(x, (vs32)y));
  BIN_SAT("vsum4shs", vs16, vec_sum4s(x, (vs32)y));
  BIN_SAT("vsum2sws", vs32, vec_sum2s(x, y));
  BIN_SAT("vsumsws", vs32, vec_sums(x, y));
  BIN("vavgub", vu8, vec_avg(x, y));
  BIN("vavgsh", vs16, vec_avg(x, y));
  BIN("vavgsw", vs32, vec_avg(x, y));
  BIN("vmaxsb", vs8, vec_max(x, y));
  BIN("vmaxuh", vu16, vec_max(x, y));
  BIN("vminsw", vs32, vec_min(x, y));
  BIN("vminub", vu8, vec_min(x, y));
}

static void logical_shift(void) {
  BIN("vand/vandc/vor/vxor/vnor", vu32,
      vec_xor(vec_and(x, y), vec_add(vec_andc(x, y), vec_add(vec_or(x, y), vec_nor(x, y)))));
  BIN("vslb", vu8, vec_sl(x, y));
  BIN("vsrh", vu16, vec_sr(x, y));
  BIN("vsraw", vs32, vec_sra(x, (vu32)y));
  BIN("vsrab", vs8, vec_sra(x, (vu8)y));
  BIN("vrlw", vu32, vec_rl(x, y));
  BIN("vrlh", vu16, vec_rl(x, y));
  /* vsl/vsr need the same shift count in every byte. */
  BIN("vsl", vu8, vec_sll(x, vec_splat(y, 15)));
  BIN("vsr", vu8, vec_srl(x, vec_splat(y, 3)));
  BIN("vslo", vu8, vec_slo(x, y));
  BIN("vsro", vu8, vec_sro(x, y));
  BIN("vsldoi 3", vu8, vec_sld(x, y, 3));
  BIN("vsldoi 13", vu8, vec_sld(x, y, 13));
}

static void compares(void) {
  BIN("vcmpequb", vu8, vec_cmpeq(x, y));
  BIN("vcmpgtsh", vs16, vec_cmpgt(x, y));
  BIN("vcmpgtuw", vu32, vec_cmpgt(x, y));
  BIN("vcmpgtsb", vs8, vec_cmpgt(x, y));
  /* Predicates: every combination of all/any over eq/gt/ge/lt, folded into a bit mask. The
   * pairs include x == y (a == b), disjoint and mixed lanes. */
  begin();
  printf("predicates\n");
  for (int a = 0; a < NV; ++a)
    for (int b = 0; b < NV; ++b) {
      vs32 x = (vs32)V(a), y = (vs32)V(b);
      vu8 xb = (vu8)V(a), yb = (vu8)V(b);
      vs16 xh = (vs16)V(a), yh = (vs16)V(b);
      uint32_t m = (uint32_t)vec_all_eq(x, y) | (uint32_t)vec_any_eq(x, y) << 1 |
                   (uint32_t)vec_all_gt(x, y) << 2 | (uint32_t)vec_any_gt(x, y) << 3 |
                   (uint32_t)vec_all_ge(x, y) << 4 | (uint32_t)vec_any_lt(x, y) << 5 |
                   (uint32_t)vec_all_ne(xb, yb) << 6 | (uint32_t)vec_any_ne(xb, yb) << 7 |
                   (uint32_t)vec_all_gt(xb, yb) << 8 | (uint32_t)vec_any_le(xb, yb) << 9 |
                   (uint32_t)vec_all_lt(xh, yh) << 10 | (uint32_t)vec_any_ge(xh, yh) << 11 |
                   (uint32_t)vec_all_eq(xb, xb) << 12 | (uint32_t)vec_any_ne(xh, xh) << 13;
      mix(m);
      if (a == 2 && b < 4) printf("  pred %d,%d %04x\n", a, b, (unsigned)m);
    }
  end("predicates");
}

static void permute_pack(void) {
  BIN("vperm", vu8, vec_perm(x, y, (vu8)V(a + b + 7)));
  BIN("vsel", vu32, vec_sel(x, y, V(a * 3 + b)));
  BIN("vspltb 5", vu8, vec_add(vec_splat(x, 5), y));
  BIN("vsplth 6", vu16, vec_add(vec_splat(x, 6), y));
  BIN("vspltw 1", vu32, vec_add(vec_splat(x, 1), y));
  BIN("vspltis", vs8, vec_add(vec_add(x, vec_splat_s8(-7)), (vs8)vec_sub((vs16)y, vec_splat_s16(15))));
  BIN("vmrghb", vu8, vec_mergeh(x, y));
  BIN("vmrglh", vu16, vec_mergel(x, y));
  BIN("vmrghw", vu32, vec_mergeh(x, y));
  BIN("vmrglw", vu32, vec_mergel(x, y));
  BIN("vpkuhum", vu16, vec_pack(x, y));
  BIN("vpkuwum", vu32, vec_pack(x, y));
  BIN_SAT("vpkshss", vs16, vec_packs(x, y));
  BIN_SAT("vpkswss", vs32, vec_packs(x, y));
  BIN_SAT("vpkuhus", vu16, vec_packs(x, y));
  BIN_SAT("vpkshus", vs16, vec_packsu(x, y));
  BIN_SAT("vpkswus", vs32, vec_packsu(x, y));
  BIN("vpkpx", vu32, vec_packpx(x, y));
  BIN("vupkhsb", vs8, vec_add(vec_unpackh(x), (vs16)y));
  BIN("vupklsb", vs8, vec_unpackl(x));
  BIN("vupkhsh", vs16, vec_unpackh(x));
  BIN("vupklsh", vs16, vec_add(vec_unpackl(x), (vs32)y));
  BIN("vupkhpx", vpx, vec_unpackh(x));
  BIN("vupklpx", vpx, vec_unpackl(x));
}

/* Loads and stores: lvsl/lvsr + vperm realign a byte stream at every offset; stvewx/stvehx/
 * stvebx store one element (the others in memory stay); lvx/stvx ignore the low address bits. */
static void load_store(void) {
  static unsigned char buf[96] __attribute__((aligned(16)));
  for (int i = 0; i < 96; ++i) buf[i] = (unsigned char)(i * 37 + 11);
  begin();
  printf("lvsl/lvsr\n");
  for (int off = 0; off < 32; ++off) {
    const unsigned char* p = buf + off;
    vu8 lo = vec_ld(0, p), hi = vec_ld(16, p);
    take((vu32)vec_perm(lo, hi, vec_lvsl(0, p)));
    take((vu32)vec_lvsr(0, p));
    /* lvx ignores the low 4 bits: same as the aligned load. */
    take((vu32)vec_ld(off & 15, buf + 16));
  }
  end("lvsl/lvsr");

  begin();
  printf("stores\n");
  static unsigned char out[64] __attribute__((aligned(16)));
  for (int k = 0; k < 16; ++k) {
    memset(out, 0xEE, sizeof out);
    vu8 v = (vu8)V(k + 8);
    vec_st(v, 16 + k, out); /* address rounds down to out + 16 */
    vec_ste(v, k, out + 32);
    vec_ste((vu16)v, 2 * (k & 7), (unsigned short*)(out + 48));
    vec_ste((vu32)v, 4 * (k & 3), (unsigned int*)(out + 48));
    for (int i = 0; i < 64; i += 4)
      mix((uint32_t)out[i] << 24 | (uint32_t)out[i + 1] << 16 | (uint32_t)out[i + 2] << 8 | out[i + 3]);
  }
  end("stores");

  /* An unaligned memcpy-like loop: every 16-byte chunk of src+5 copied to an aligned buffer. */
  static unsigned char src[160] __attribute__((aligned(16))), dst[144] __attribute__((aligned(16)));
  for (int i = 0; i < 160; ++i) src[i] = (unsigned char)(i ^ 0x5A);
  const unsigned char* s = src + 5;
  vu8 perm = vec_lvsl(0, s), prev = vec_ld(0, s);
  for (int i = 0; i < 144; i += 16) {
    vu8 next = vec_ld(i + 16, s);
    vec_st(vec_perm(prev, next, perm), i, dst);
    prev = next;
  }
  int ok = 1;
  for (int i = 0; i < 144; ++i) ok &= dst[i] == src[i + 5];
  CHECK(ok);
  printf("realign copy %s\n", ok ? "ok" : "WRONG");
}

int main(void) {
  init_inputs();
  vec_mtvscr((vu32){0, 0, 0, 0x00010000u}); /* NJ=1 (the Xenon's mode), SAT clear */
  arithmetic();
  logical_shift();
  compares();
  permute_pack();
  load_store();
  return rt_failures;
}
