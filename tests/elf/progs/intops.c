/* 32-bit (and native-width) integer operations: carries, high multiplies,
 * signed/unsigned division, variable shifts, sign/zero extension of chars and
 * shorts, compares, min/max/abs idioms, count-leading-zeros, popcount and
 * rotates (GCC turns the rotate idiom into rlwnm/rldcl). */
#include "rt.h"

static const uint32_t kVals[] = {0, 1, 2, 5, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF,
                                 0x12345678, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF,
                                 0xDEADBEEF, 1000, 0xFFFFFC18 /* -1000 */};

static uint32_t h = 2166136261u;
static void mix(uint32_t v) {
  for (int k = 0; k < 4; ++k) {
    h ^= (v >> (k * 8)) & 0xFF;
    h *= 16777619u;
  }
}

static int clz_loop(uint32_t v) {
  int n = 0;
  if (!v) return 32;
  while (!(v & 0x80000000u)) v <<= 1, ++n;
  return n;
}
static int pop_loop(uint32_t v) {
  int n = 0;
  while (v) n += v & 1, v >>= 1;
  return n;
}
static uint32_t rotl(uint32_t v, unsigned s) { return (v << (s & 31)) | (v >> ((32 - s) & 31)); }
static unsigned long rotl_native(unsigned long v, unsigned s) {
  const unsigned bits = sizeof(long) * 8;
  return (v << (s % bits)) | (v >> ((bits - s % bits) % bits));
}

/* volatile so the compiler cannot fold the arithmetic away. */
static volatile uint32_t sink_u;

int main(void) {
  const unsigned n = ARRAY_SIZE(kVals);
  for (unsigned i = 0; i < n; ++i) {
    uint32_t a = kVals[i];
    int32_t sa = (int32_t)a;
    printf("%08x: sx8 %d sx16 %d zx8 %u zx16 %u neg %d not %08x clz %d pop %d rotl7 %08x abs %u\n", a,
           (int)(signed char)a, (int)(short)a, (unsigned)(unsigned char)a, (unsigned)(unsigned short)a,
           (int)(0u - a), ~a, a ? __builtin_clz(a) : 32, __builtin_popcount(a), rotl(a, 7),
           sa < 0 ? 0u - a : a);
    CHECK((a ? __builtin_clz(a) : 32) == clz_loop(a));
    CHECK(__builtin_popcount(a) == pop_loop(a));
    CHECK(rotl(rotl(a, 13), 19) == a);
    for (unsigned j = 0; j < n; ++j) {
      uint32_t b = kVals[j];
      int32_t sb = (int32_t)b;
      uint64_t pu = (uint64_t)a * b;
      int64_t ps = (int64_t)sa * sb;
      mix(a + b);
      mix(a - b);
      mix(a * b);
      mix((uint32_t)(pu >> 32)); /* mulhwu */
      mix((uint32_t)((uint64_t)ps >> 32)); /* mulhw */
      mix(a & b), mix(a | b), mix(a ^ b), mix(a & ~b), mix(~(a | b)), mix(~(a ^ b));
      mix(a << (b & 31)), mix(a >> (b & 31)), mix((uint32_t)(sa >> (b & 31)));
      mix((a < b) | (sa < sb) << 1 | (a == b) << 2);
      mix(sa < sb ? a : b), mix(a > b ? a : b);
      uint32_t carry = (a + b) < a; /* addc/adde idioms */
      mix(carry);
      if (b) {
        mix(a / b), mix(a % b);
        if (!(sa == INT_MIN && sb == -1)) {
          mix((uint32_t)(sa / sb)), mix((uint32_t)(sa % sb));
          CHECK((sa / sb) * sb + sa % sb == sa);
        }
        CHECK((a / b) * b + a % b == a);
      }
    }
    if (i % 4 == 3) printf("running hash after %u rows: %08x\n", i + 1, h);
  }
  printf("table hash %08x\n", h);

  /* Native width (32 bits in -m32, 64 in -m64) shifts and rotates. */
  unsigned long acc = 0x0123456789ABCDEFull & (unsigned long)-1;
  for (unsigned s = 0; s < 200; ++s) {
    acc = rotl_native(acc, s) ^ (acc >> (s % (sizeof(long) * 8)));
    acc += (unsigned long)s * 0x9E3779B9u;
  }
  printf("native width %u bits, rotate chain %lx\n", (unsigned)(sizeof(long) * 8), acc);

  /* Constant divisions (multiply-by-reciprocal sequences). */
  uint32_t dsum = 0;
  for (uint32_t v = 0xFFFFFFFFu, k = 0; k < 1000; ++k, v -= 0x00414243u) {
    int32_t s = (int32_t)v;
    dsum += v / 3 + v / 7 + v / 10 + v / 1000 + v % 13 + (uint32_t)(s / 3) + (uint32_t)(s / -7) + (uint32_t)(s % 10);
    dsum = rotl(dsum, 3);
  }
  printf("constant division hash %08x\n", dsum);
  sink_u = dsum;

  /* Saturating and overflow-detecting helpers. */
  int32_t over = 0;
  for (unsigned i = 0; i < n; ++i)
    for (unsigned j = 0; j < n; ++j) {
      int32_t r;
      over += __builtin_add_overflow((int32_t)kVals[i], (int32_t)kVals[j], &r);
      over += 2 * __builtin_mul_overflow((int32_t)kVals[i], (int32_t)kVals[j], &r);
      over += 4 * __builtin_sub_overflow(kVals[i], kVals[j], (uint32_t*)&r);
    }
  printf("overflow score %d\n", over);
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 0;
}
