/* 64-bit integer arithmetic (in 32-bit code this exercises the carry chains
 * and libgcc's __divdi3/__udivdi3/__moddi3/__ashldi3... helpers): add, sub,
 * mul, div, mod, shifts and compares over a table of edge values, with
 * wraparound; cross-checked against schoolbook multiplication and
 * shift-subtract division written with 32-bit pieces. */
#include "rt.h"

typedef unsigned long long u64;
typedef long long s64;

static const u64 kEdge[] = {
    0, 1, 2, 3, 7, 10, 0xFF, 0x7FFFFFFFull, 0x80000000ull, 0xFFFFFFFFull, 0x100000000ull,
    0x123456789ABCDEF0ull, 0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0xFFFFFFFFFFFFFFFFull,
    0xFFFFFFFFFFFFFFF9ull /* -7 */, 0xDEADBEEFCAFEBABEull, 1000000007ull,
};

static u64 rng = 0x243F6A8885A308D3ull;
static u64 next_random(void) { /* xorshift64* */
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 0x2545F4914F6CDD1Dull;
}

/* 64x64->64 multiply from 32x32->64 partial products. */
static u64 mul_school(u64 a, u64 b) {
  uint32_t al = (uint32_t)a, ah = (uint32_t)(a >> 32), bl = (uint32_t)b, bh = (uint32_t)(b >> 32);
  u64 lo = (u64)al * bl;
  u64 mid = (u64)al * bh + (u64)ah * bl; /* only the low 32 bits matter */
  return lo + (mid << 32);
}

/* Full 128-bit product via 32-bit limbs; returns the high half. */
static u64 mulhi_school(u64 a, u64 b) {
  uint32_t x[2] = {(uint32_t)a, (uint32_t)(a >> 32)}, y[2] = {(uint32_t)b, (uint32_t)(b >> 32)};
  uint32_t r[4] = {0, 0, 0, 0};
  for (int i = 0; i < 2; ++i) {
    u64 carry = 0;
    for (int j = 0; j < 2; ++j) {
      u64 t = (u64)x[i] * y[j] + r[i + j] + carry;
      r[i + j] = (uint32_t)t;
      carry = t >> 32;
    }
    r[i + 2] = (uint32_t)carry;
  }
  return ((u64)r[3] << 32) | r[2];
}

static void divmod_shift(u64 n, u64 d, u64* q, u64* r) {
  u64 quo = 0, rem = 0;
  for (int bit = 63; bit >= 0; --bit) {
    rem = (rem << 1) | ((n >> bit) & 1);
    if (rem >= d) {
      rem -= d;
      quo |= 1ull << bit;
    }
  }
  *q = quo;
  *r = rem;
}

static u64 fold(u64 h, u64 v) { return (h ^ v) * 0x100000001B3ull; }

int main(void) {
  const unsigned n = ARRAY_SIZE(kEdge);
  /* Explicit table for a readable diff. */
  for (unsigned i = 0; i < n; ++i) {
    for (unsigned j = 0; j < n; j += 3) {
      u64 a = kEdge[i], b = kEdge[j];
      printf("%016llx %016llx: + %016llx - %016llx * %016llx", a, b, a + b, a - b, a * b);
      if (b) printf(" /u %llx %%u %llx", a / b, a % b);
      s64 sa = (s64)a, sb = (s64)b;
      if (sb && !(sa == LLONG_MIN && sb == -1)) printf(" / %lld %% %lld", sa / sb, sa % sb);
      printf(" <s%d <u%d\n", sa < sb, a < b);
    }
  }
  /* Shifts by every amount. */
  u64 hs = 0xCBF29CE484222325ull;
  for (unsigned k = 0; k < 64; ++k) {
    u64 v = 0x8123456789ABCDEFull;
    u64 l = v << k, r = v >> k;
    s64 sr = (s64)v >> k;
    hs = fold(fold(fold(hs, l), r), (u64)sr);
    if (k % 8 == 5) printf("shift %2u: %016llx %016llx %016llx\n", k, l, r, (u64)sr);
  }
  printf("shift hash %016llx\n", hs);

  /* Random operands: identities that must hold, plus a digest of everything. */
  u64 digest = 0xCBF29CE484222325ull;
  for (int k = 0; k < 2000; ++k) {
    u64 a = next_random(), b = next_random();
    if (k & 1) b >>= (unsigned)(a & 63); /* small divisors too */
    if (k % 7 == 0) a >>= 40;
    u64 p = a * b;
    CHECK(p == mul_school(a, b));
    u64 hi = mulhi_school(a, b);
    CHECK(mulhi_school(b, a) == hi);
    if (b) {
      u64 q, r, q2, r2;
      q = a / b;
      r = a % b;
      divmod_shift(a, b, &q2, &r2);
      CHECK(q == q2 && r == r2);
      CHECK(q * b + r == a);
      s64 sa = (s64)a, sb = (s64)b;
      if (!(sa == LLONG_MIN && sb == -1)) {
        s64 sq = sa / sb, sm = sa % sb;
        CHECK(sq * sb + sm == sa);
        CHECK(sm == 0 || (sm < 0) == (sa < 0));
        digest = fold(fold(digest, (u64)sq), (u64)sm);
      }
      digest = fold(fold(digest, q), r);
    }
    digest = fold(fold(digest, p), hi);
    digest = fold(digest, (u64)((s64)a >> (b & 63)));
    digest = fold(digest, (a < b) + 2 * ((s64)a < (s64)b) + 4 * (a == b));
  }
  printf("random digest %016llx\n", digest);

  /* Wraparound. */
  u64 m = 0xFFFFFFFFFFFFFFFFull;
  CHECK(m + 1 == 0);
  CHECK(m * m == 1);
  CHECK((u64)LLONG_MAX + 1 == 0x8000000000000000ull);
  CHECK(mulhi_school(m, m) == 0xFFFFFFFFFFFFFFFEull);
  uint32_t w = 0xFFFFFFFFu;
  w += 2;
  CHECK(w == 1);
  /* Factorials modulo 2^64 and a 1e9+7 modular power. */
  u64 f = 1;
  for (u64 k = 1; k <= 25; ++k) f *= k;
  printf("25! mod 2^64 = %llu\n", f);
  u64 base = 3, e = 1000000005ull, acc = 1;
  while (e) {
    if (e & 1) acc = acc * base % 1000000007ull;
    base = base * base % 1000000007ull;
    e >>= 1;
  }
  printf("3^-1 mod 1e9+7 = %llu\n", acc);
  CHECK(acc * 3 % 1000000007ull == 1);
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 0;
}
