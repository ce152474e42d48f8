/* hexad-test-args: 3
 * Small numeric kernels as the compiler schedules them (fmadd contraction, fsel, frsp, fcmpu,
 * conversions): a 16x16 double matrix product with every row's digest printed, an n-body
 * system in single precision stepped argv[1] times (positions printed as float bits), a
 * Mandelbrot set printed as integer iteration counts, and a Horner polynomial in float and
 * double over a range of arguments. */
#include "rt.h"

typedef union { double d; uint64_t u; } dbits;
typedef union { float f; uint32_t u; } fbits;
static uint64_t bits(double d) { dbits b = {d}; return b.u; }
static uint32_t fbitsof(float f) { fbits b = {f}; return b.u; }

static uint64_t fnv(uint64_t h, uint64_t v) {
  for (int i = 0; i < 8; ++i) h = (h ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
  return h;
}

static uint32_t seed = 2024;
static double rnd(void) {
  seed = seed * 1103515245u + 12345u;
  return (double)((seed >> 9) & 0xFFFF) / 65536.0 * 2.0 - 1.0;
}

#define N 16
static double A[N][N], B[N][N], C[N][N];

static void matmul(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0.0;
      for (int k = 0; k < N; ++k) s += A[i][k] * B[k][j];
      C[i][j] = s;
    }
  for (int i = 0; i < N; ++i) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (int j = 0; j < N; ++j) h = fnv(h, bits(C[i][j]));
    printf("matmul row %2d %08x%08x c[i][i]=%08x%08x\n", i, (unsigned)(h >> 32), (unsigned)h,
           (unsigned)(bits(C[i][i]) >> 32), (unsigned)bits(C[i][i]));
  }
}

#define BODIES 8
static float px[BODIES], py[BODIES], vx[BODIES], vy[BODIES], m[BODIES];

static float inv_sqrt(float x) {
#ifdef _ARCH_PPCSQ
  return 1.0f / __builtin_sqrtf(x);
#else
  /* No fsqrt on the G3/G4: Newton steps for 1/sqrt(x) from a bit-trick seed. */
  fbits s = {x};
  s.u = 0x5f3759dfu - (s.u >> 1);
  float y = s.f;
  for (int k = 0; k < 4; ++k) y = y * (1.5f - 0.5f * x * y * y);
  return y;
#endif
}

static void nbody(long steps) {
  for (int i = 0; i < BODIES; ++i) {
    px[i] = (float)rnd() * 4.0f, py[i] = (float)rnd() * 4.0f;
    vx[i] = (float)rnd() * 0.1f, vy[i] = (float)rnd() * 0.1f;
    m[i] = 1.0f + (float)i * 0.25f;
  }
  const float dt = 0.005f;
  for (long s = 0; s < steps * 40; ++s) {
    for (int i = 0; i < BODIES; ++i) {
      float ax = 0.0f, ay = 0.0f;
      for (int j = 0; j < BODIES; ++j) {
        if (j == i) continue;
        float dx = px[j] - px[i], dy = py[j] - py[i];
        float r2 = dx * dx + dy * dy + 0.05f;
        float ir = inv_sqrt(r2);
        float f = m[j] * ir * ir * ir;
        ax += dx * f, ay += dy * f;
      }
      vx[i] += ax * dt, vy[i] += ay * dt;
    }
    for (int i = 0; i < BODIES; ++i) px[i] += vx[i] * dt, py[i] += vy[i] * dt;
  }
  for (int i = 0; i < BODIES; ++i)
    printf("body %d x=%08x y=%08x vx=%08x vy=%08x\n", i, fbitsof(px[i]), fbitsof(py[i]), fbitsof(vx[i]),
           fbitsof(vy[i]));
}

static void mandelbrot(void) {
  for (int y = 0; y < 16; ++y) {
    printf("mandel %2d:", y);
    for (int x = 0; x < 24; ++x) {
      double cr = -2.1 + x * 0.115, ci = -1.2 + y * 0.16, zr = 0.0, zi = 0.0;
      int it = 0;
      while (it < 200 && zr * zr + zi * zi < 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        ++it;
      }
      printf(" %d", it);
    }
    printf("\n");
  }
}

static void horner(void) {
  static const double coef[] = {1.0, -0.5, 0.375, -0.3125, 0.2734375, -0.24609375, 0.2255859375};
  uint64_t hd = 0xcbf29ce484222325ull, hf = hd;
  for (int i = -40; i <= 40; ++i) {
    double x = i * 0.0245;
    float xf = (float)x;
    double pd = 0.0;
    float pf = 0.0f;
    for (int k = (int)ARRAY_SIZE(coef) - 1; k >= 0; --k) pd = pd * x + coef[k], pf = pf * xf + (float)coef[k];
    hd = fnv(hd, bits(pd)), hf = fnv(hf, fbitsof(pf));
    if (i % 10 == 0)
      printf("horner %3d double=%08x%08x float=%08x\n", i, (unsigned)(bits(pd) >> 32), (unsigned)bits(pd),
             fbitsof(pf));
  }
  printf("horner digest double=%08x%08x float=%08x%08x\n", (unsigned)(hd >> 32), (unsigned)hd,
         (unsigned)(hf >> 32), (unsigned)hf);
}

int main(int argc, char** argv) {
  long steps = argc > 1 ? strtol_simple(argv[1]) : 1;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) A[i][j] = rnd(), B[i][j] = rnd() * 3.0;
  matmul();
  nbody(steps);
  mandelbrot();
  horner();
  return 0;
}
