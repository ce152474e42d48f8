/* hexad-test-args: 2
 * FP-heavy workload for the benchmark (hard float: built in the hf/vmx configurations of
 * cross_elf.cmake). Per round (argv[1], default 1): a 32x32 double
 * matrix product, an n-body step in single precision (fused multiply-adds, fsqrts, fdivs), a
 * Mandelbrot tile (compare-heavy), Newton square roots and reciprocal refinement, float<->int
 * conversions (fctiwz, fcfid on 64-bit) and a running sum under each rounding mode set with
 * mtfsfi. Results are folded bit-exactly into a 64-bit digest printed as hex, so qemu-user and
 * hexad must agree to the last bit (doubles are never passed to printf). */
#include "rt.h"

static uint64_t digest = 0xcbf29ce484222325ull;
static void mix64(uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    digest ^= (v >> (8 * i)) & 0xFF;
    digest *= 0x100000001b3ull;
  }
}
static void mixd(double d) {
  union { double d; uint64_t u; } x = {d};
  mix64(x.u);
}
static void mixf(float f) {
  union { float f; uint32_t u; } x = {f};
  mix64(x.u);
}

static uint32_t lcg_state = 12345;
static uint32_t lcg(void) { return lcg_state = lcg_state * 1664525u + 1013904223u; }
static double frand(void) { return (double)(lcg() >> 8) / 16777216.0 - 0.5; }

#define N 32
static double ma[N][N], mb[N][N], mc[N][N];

static void matmul(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0.0;
      for (int k = 0; k < N; ++k) s += ma[i][k] * mb[k][j];
      mc[i][j] = s;
    }
  for (int i = 0; i < N; ++i) mixd(mc[i][(i * 7) % N]);
}

/* fsqrts where the target has it (_ARCH_PPCSQ: -mcpu=cell); the G3/G4 (-mcpu=750/7450) lack it,
 * so 32-bit configurations use Newton steps from a bit-trick seed instead. */
static float sqrt_single(float x) {
#ifdef _ARCH_PPCSQ
  float r;
  __asm__("fsqrts %0,%1" : "=f"(r) : "f"(x));
  return r;
#else
  union { float f; uint32_t u; } s = {x};
  s.u = (s.u >> 1) + 0x1fc00000u;
  float r = s.f;
  for (int k = 0; k < 3; ++k) r = 0.5f * (r + x / r);
  return r;
#endif
}

#define BODIES 48
static float px[BODIES], py[BODIES], pz[BODIES], vx[BODIES], vy[BODIES], vz[BODIES], mass[BODIES];

static void nbody_step(float dt) {
  for (int i = 0; i < BODIES; ++i) {
    float ax = 0.0f, ay = 0.0f, az = 0.0f;
    for (int j = 0; j < BODIES; ++j) {
      float dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
      float r2 = dx * dx + dy * dy + dz * dz + 0.01f;
      float r = sqrt_single(r2);
      float inv = mass[j] / (r2 * r);
      ax += dx * inv, ay += dy * inv, az += dz * inv;
    }
    vx[i] += ax * dt, vy[i] += ay * dt, vz[i] += az * dt;
  }
  for (int i = 0; i < BODIES; ++i) px[i] += vx[i] * dt, py[i] += vy[i] * dt, pz[i] += vz[i] * dt;
  for (int i = 0; i < BODIES; i += 5) mixf(px[i]), mixf(vy[i]);
}

static void mandel(double cx0, double cy0) {
  uint32_t total = 0;
  for (int y = 0; y < 24; ++y)
    for (int x = 0; x < 32; ++x) {
      double cr = cx0 + x * 0.0625, ci = cy0 + y * 0.0625, zr = 0, zi = 0;
      int it = 0;
      while (it < 64 && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        ++it;
      }
      total = total * 31 + it;
    }
  mix64(total);
}

static void newton(void) {
  for (int i = 1; i < 200; ++i) {
    double a = i * 1.37, x = a;  /* sqrt by Newton iterations */
    for (int k = 0; k < 8; ++k) x = 0.5 * (x + a / x);
    double r = 1.0 / (a + 0.25);  /* reciprocal refined from a rough seed */
    double y = 0.5 / a;
    for (int k = 0; k < 4; ++k) y = y * (2.0 - (a + 0.25) * y);
    mixd(x), mixd(y - r);
  }
}

static void conversions(void) {
  for (int i = 0; i < 300; ++i) {
    double v = frand() * 1e6;
    int iv = (int)v;                        /* fctiwz */
    long long lv = (long long)(v * 4096.0); /* fctidz (64-bit) or a libgcc call (32-bit) */
    double back = (double)iv;               /* int -> double */
    float f = (float)v;                     /* frsp */
    mix64((uint32_t)iv), mix64((uint64_t)lv), mixd(back), mixf(f);
  }
}

/* mtfsfi 7,n sets the rounding mode; mffs reads the FPSCR back. */
static void set_rounding(int mode) {
  switch (mode & 3) {
    case 0: __asm__ volatile("mtfsfi 7,0"); break;
    case 1: __asm__ volatile("mtfsfi 7,1"); break;
    case 2: __asm__ volatile("mtfsfi 7,2"); break;
    default: __asm__ volatile("mtfsfi 7,3"); break;
  }
}
static uint32_t read_fpscr(void) {
  union { double d; uint64_t u; } x;
  __asm__ volatile("mffs %0" : "=f"(x.d));
  return (uint32_t)x.u;
}

static void rounding_sums(void) {
  for (int mode = 0; mode < 4; ++mode) {
    set_rounding(mode);
    double s = 0.0;
    float fs = 0.0f;
    for (int i = 1; i < 400; ++i) {
      s += 1.0 / i;
      fs += 1.0f / (float)i;
    }
    mixd(s), mixf(fs);
    mix64(read_fpscr() & 0x3);  /* sticky flags differ by compiler choices; keep RN only */
  }
  set_rounding(0);
}

int main(int argc, char** argv) {
  long rounds = argc > 1 ? strtol_simple(argv[1]) : 1;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) ma[i][j] = frand(), mb[i][j] = frand();
  for (int i = 0; i < BODIES; ++i) {
    px[i] = (float)frand() * 10, py[i] = (float)frand() * 10, pz[i] = (float)frand() * 10;
    vx[i] = vy[i] = vz[i] = 0.0f;
    mass[i] = 0.5f + (float)(lcg() % 100) / 100.0f;
  }
  for (long r = 0; r < rounds; ++r) {
    matmul();
    nbody_step(0.01f);
    mandel(-2.0 + (r % 4) * 0.25, -1.0);
    newton();
    conversions();
    rounding_sums();
    for (int i = 0; i < N; ++i) ma[i][r % N] = mc[i][r % N] * 0.001;
  }
  printf("fpmix rounds=%ld digest=%08x%08x\n", rounds, (unsigned)(digest >> 32), (unsigned)digest);
  return 0;
}
