/* hexad-test-args: 2
 * VMX-heavy workload for the benchmark (tools/bench) and a differential test. Per round
 * (argv[1], default 1): blending and sum of absolute differences over two 64x64 byte images
 * (saturating byte arithmetic, averages, vsum4ubs/vsumsws), a 16-bit FIR filter (vmladduhm,
 * vmhraddshs), a float 4x4 transform of 1024 points (vcfsx, vmaddfp with splats, vctsxs), an
 * unaligned-source checksum (lvsl + vperm, rotates, xors, merges) and a byte-swap/pack pass.
 * Float values are small integers times powers of two, so every vmaddfp product is exact and
 * the Xenon's unfused rounding and qemu's fused one agree. Results fold into a digest (hex). */
#include <altivec.h>

#include "rt.h"

typedef vector unsigned char vu8;
typedef vector signed char vs8;
typedef vector unsigned short vu16;
typedef vector signed short vs16;
typedef vector unsigned int vu32;
typedef vector signed int vs32;
typedef vector float vf;

static uint64_t digest = 0xcbf29ce484222325ull;
static void mix32(uint32_t v) {
  for (int i = 0; i < 4; ++i) digest = (digest ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
}
static void mixv(vu32 v) {
  uint32_t w[4] __attribute__((aligned(16)));
  vec_st(v, 0, w);
  for (int i = 0; i < 4; ++i) mix32(w[i]);
}

static uint32_t lcg_state = 777u;
static uint32_t lcg(void) {
  lcg_state = lcg_state * 1664525u + 1013904223u;
  return lcg_state;
}

#define IMG 64
static unsigned char img_a[IMG * IMG] __attribute__((aligned(16)));
static unsigned char img_b[IMG * IMG] __attribute__((aligned(16)));
static unsigned char img_c[IMG * IMG] __attribute__((aligned(16)));

static void images(int round) {
  vu32 sad = {0, 0, 0, 0};
  vu8 bias = vec_splat_u8(3);
  for (int i = 0; i < IMG * IMG; i += 16) {
    vu8 a = vec_ld(i, img_a), b = vec_ld(i, img_b);
    vu8 blend = vec_avg(vec_adds(a, bias), vec_subs(b, bias));
    vu8 diff = vec_sub(vec_max(a, b), vec_min(a, b));
    sad = vec_sum4s(diff, sad);
    vec_st(blend, i, img_c);
  }
  vs32 total = vec_sums((vs32)sad, (vs32){0, 0, 0, round});
  mixv((vu32)total);
  /* Feed back: the blend becomes the next round's first image, rotated by one row. */
  for (int i = 0; i < IMG * IMG; i += 16) vec_st(vec_ld((i + IMG) % (IMG * IMG), img_c), i, img_a);
}

#define SAMPLES 2048
static short signal[SAMPLES + 16] __attribute__((aligned(16)));
static short filtered[SAMPLES] __attribute__((aligned(16)));

static void fir(void) {
  const vs16 taps0 = {1200, -3400, 5600, 7800, 5600, -3400, 1200, 0};
  vs16 acc_all = vec_splat_s16(0);
  for (int i = 0; i < SAMPLES; i += 8) {
    vs16 x0 = vec_ld(0, signal + i), x1 = vec_ld(16, signal + i);
    vs16 y = vec_splat_s16(0);
    y = vec_mradds(x0, vec_splat(taps0, 0), y);
    y = vec_mradds(vec_sld(x0, x1, 2), vec_splat(taps0, 1), y);
    y = vec_mradds(vec_sld(x0, x1, 4), vec_splat(taps0, 2), y);
    y = vec_mradds(vec_sld(x0, x1, 6), vec_splat(taps0, 3), y);
    y = vec_mradds(vec_sld(x0, x1, 8), vec_splat(taps0, 4), y);
    y = vec_mradds(vec_sld(x0, x1, 10), vec_splat(taps0, 5), y);
    y = vec_mradds(vec_sld(x0, x1, 12), vec_splat(taps0, 6), y);
    vec_st(y, 0, filtered + i);
    acc_all = (vs16)vec_mladd((vu16)acc_all, vec_splat_u16(3), (vu16)y);
  }
  mixv((vu32)acc_all);
  for (int i = 0; i < SAMPLES; i += 8) {
    vs16 s = vec_ld(0, signal + i), f = vec_ld(0, filtered + i);
    vec_st(vec_subs(vec_adds(s, vec_sra(f, vec_splat_u16(2))), vec_sra(s, vec_splat_u16(4))), 0, signal + i);
  }
}

#define POINTS 1024
static int pts[POINTS * 4] __attribute__((aligned(16)));

static void transform(void) {
  const vf m0 = {0.5f, -1.0f, 2.0f, 0.25f}, m1 = {1.5f, 0.75f, -0.5f, 1.0f}, m2 = {-2.0f, 0.125f, 1.0f, 3.0f},
           m3 = {4.0f, -8.0f, 0.0f, 1.0f};
  const vf zero = {-0.0f, -0.0f, -0.0f, -0.0f};
  vs32 acc = {0, 0, 0, 0};
  for (int i = 0; i < POINTS * 4; i += 4) {
    vs32 p = vec_ld(0, pts + i);
    vf v = vec_ctf(p, 4); /* p / 16, |p| < 2^15 */
    vf r = vec_madd(m0, vec_splat(v, 0), zero);
    r = vec_madd(m1, vec_splat(v, 1), r);
    r = vec_madd(m2, vec_splat(v, 2), r);
    r = vec_madd(m3, vec_splat(v, 3), r);
    vf lo = vec_floor(r);
    vs32 q = vec_cts(r, 2);
    acc = vec_add(acc, vec_xor(q, vec_cts(lo, 0)));
    /* Keep the points bounded: wrap into [-2^14, 2^14). */
    q = vec_sub(vec_and(vec_add(q, vec_splat_s32(0)), (vs32){0x7FFF, 0x7FFF, 0x7FFF, 0x7FFF}),
                (vs32){0x4000, 0x4000, 0x4000, 0x4000});
    vec_st(q, 0, pts + i);
  }
  mixv((vu32)acc);
}

static unsigned char stream[4096 + 32] __attribute__((aligned(16)));

static void checksum(int offset) {
  const unsigned char* p = stream + offset;
  vu8 perm = vec_lvsl(0, p), prev = vec_ld(0, p);
  vu32 h = {0x9E3779B9u, 0x7F4A7C15u, 0x85EBCA6Bu, 0xC2B2AE35u};
  const vu32 rot = {5, 11, 17, 23};
  for (int i = 0; i < 4096; i += 16) {
    vu8 next = vec_ld(i + 16, p);
    vu32 d = (vu32)vec_perm(prev, next, perm);
    prev = next;
    h = vec_add(vec_rl(vec_xor(h, d), rot), (vu32)vec_mergeh((vu16)d, (vu16)h));
  }
  mixv(h);
}

static void swap_pack(void) {
  const vu8 bswap = {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12};
  vu32 acc = {0, 0, 0, 0};
  for (int i = 0; i < 4096; i += 32) {
    vu32 a = (vu32)vec_perm(vec_ld(i, stream), vec_ld(i, stream), bswap);
    vu32 b = (vu32)vec_ld(i + 16, stream);
    vu16 packed = vec_packs(vec_sr(a, vec_splat_u32(12)), vec_sr(b, vec_splat_u32(13)));
    vs16 s = (vs16)packed;
    vs32 hi = vec_unpackh(s), lo = vec_unpackl(s);
    acc = vec_add(acc, vec_sel((vu32)hi, (vu32)lo, (vu32)vec_cmpgt(hi, lo)));
    vec_st((vu8)vec_add(a, b), i, stream);
  }
  mixv(acc);
  vu32 vscr = (vu32)vec_mfvscr();
  uint32_t w[4] __attribute__((aligned(16)));
  vec_st(vscr, 0, w);
  mix32(w[3] & 1); /* SAT */
}

int main(int argc, char** argv) {
  long rounds = argc > 1 ? strtol_simple(argv[1]) : 1;
  vec_mtvscr((vu32){0, 0, 0, 0x00010000u}); /* NJ=1: the Xenon's mode */
  for (int i = 0; i < IMG * IMG; ++i) img_a[i] = (unsigned char)lcg(), img_b[i] = (unsigned char)(lcg() >> 8);
  for (int i = 0; i < SAMPLES + 16; ++i) signal[i] = (short)(lcg() >> 16);
  for (int i = 0; i < POINTS * 4; ++i) pts[i] = (int)(lcg() >> 17) - 16384;
  for (int i = 0; i < 4096 + 32; ++i) stream[i] = (unsigned char)(lcg() >> 24);
  for (long r = 0; r < rounds; ++r) {
    images((int)r);
    fir();
    transform();
    checksum((int)(r % 16));
    swap_pack();
  }
  printf("vecmix rounds=%ld digest=%08x%08x\n", rounds, (unsigned)(digest >> 32), (unsigned)digest);
  return 0;
}
