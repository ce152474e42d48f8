/* Bit-fields: signed and unsigned fields of odd widths (sign extension on
 * read, truncation on write), fields straddling words, packed structs with
 * bit-fields, and a manual extract/insert reference (rlwinm/rlwimi idioms). */
#include "rt.h"

struct flags {
  unsigned a : 1;
  unsigned b : 3;
  signed c : 5;
  unsigned d : 7;
  signed e : 12;
  unsigned f : 4;
};

struct __attribute__((packed)) pk {
  unsigned char tag;
  unsigned x : 9;
  signed y : 11;
  unsigned z : 20;
  signed long long w : 37;
  unsigned long long v : 27;
};

struct wide {
  unsigned long long lo : 33;
  signed long long mid : 30;
  unsigned long long hi : 1;
};

static uint32_t extract(uint32_t w, unsigned pos, unsigned len) { /* pos: from msb, big-endian allocation */
  return (w >> (32 - pos - len)) & ((len == 32) ? 0xFFFFFFFFu : ((1u << len) - 1));
}
static int32_t sextract(uint32_t w, unsigned pos, unsigned len) {
  uint32_t v = extract(w, pos, len);
  uint32_t sign = 1u << (len - 1);
  return (int32_t)((v ^ sign) - sign);
}
static uint32_t insert(uint32_t w, unsigned pos, unsigned len, uint32_t v) {
  uint32_t mask = ((len == 32) ? 0xFFFFFFFFu : ((1u << len) - 1)) << (32 - pos - len);
  return (w & ~mask) | ((v << (32 - pos - len)) & mask);
}

static uint32_t hash = 2166136261u;
static void mix(uint32_t v) { hash = (hash ^ v) * 16777619u; }

int main(void) {
  CHECK(sizeof(struct flags) == 4);
  printf("sizeof flags %u pk %u wide %u\n", (unsigned)sizeof(struct flags), (unsigned)sizeof(struct pk), (unsigned)sizeof(struct wide));
  uint32_t seed = 0x9E3779B9u;
  for (int k = 0; k < 200; ++k) {
    seed = seed * 1664525u + 1013904223u;
    union {
      struct flags f;
      uint32_t w;
    } u;
    u.w = seed;
    /* Big-endian PowerPC allocates bit-fields from the most significant bit. */
    CHECK(u.f.a == extract(seed, 0, 1));
    CHECK(u.f.b == extract(seed, 1, 3));
    CHECK(u.f.c == sextract(seed, 4, 5));
    CHECK(u.f.d == extract(seed, 9, 7));
    CHECK(u.f.e == sextract(seed, 16, 12));
    CHECK(u.f.f == extract(seed, 28, 4));
    if (k < 6) printf("%08x: a %u b %u c %d d %u e %d f %u\n", seed, u.f.a, u.f.b, u.f.c, u.f.d, u.f.e, u.f.f);
    /* Writes truncate and leave neighbours alone. */
    int32_t nc = (int32_t)(seed >> 7) - 40, ne = (int32_t)(seed % 9000) - 4500;
    uint32_t expect = insert(insert(insert(seed, 4, 5, (uint32_t)nc), 16, 12, (uint32_t)ne), 1, 3, seed >> 29);
    u.f.c = nc;
    u.f.e = ne;
    u.f.b = seed >> 29;
    CHECK(u.w == expect);
    u.f.d += 100; /* wraps modulo 128 */
    CHECK(u.f.d == ((extract(expect, 9, 7) + 100) & 127));
    mix(u.w);
  }
  printf("flags hash %08x\n", hash);

  struct pk p;
  memset(&p, 0, sizeof p);
  p.tag = 0xAB;
  for (int k = 0; k < 50; ++k) {
    p.x = (unsigned)(k * 37);
    p.y = k * 100 - 2500;
    p.z = (unsigned)(k * 99991);
    p.w = (long long)k * -3000000007LL;
    p.v = (unsigned long long)k * 0x123457;
    mix(p.x), mix((uint32_t)p.y), mix(p.z), mix((uint32_t)p.w), mix((uint32_t)((unsigned long long)p.w >> 32)), mix((uint32_t)p.v);
    CHECK(p.x == (unsigned)(k * 37) % 512);
    long long wv = (long long)k * -3000000007LL;
    long long wt = (long long)((unsigned long long)wv << 27) >> 27;
    CHECK(p.w == wt);
    CHECK(p.tag == 0xAB);
    if (k % 10 == 9) {
      const unsigned char* b = (const unsigned char*)&p;
      printf("pk k=%d x %u y %d z %u w %lld v %llu bytes", k, p.x, p.y, p.z, (long long)p.w, (unsigned long long)p.v);
      for (unsigned i = 0; i < sizeof p; ++i) printf(" %02x", b[i]);
      printf("\n");
    }
  }
  struct wide w = {0, 0, 0};
  for (int k = 0; k < 40; ++k) {
    w.lo += 0x0FFFFFFFull * (unsigned)k;
    w.mid -= 0x1234567 * k;
    w.hi ^= 1;
    mix((uint32_t)w.lo), mix((uint32_t)(w.lo >> 32)), mix((uint32_t)w.mid), mix((uint32_t)w.hi);
  }
  printf("wide lo %llx mid %lld hi %u\n", (unsigned long long)w.lo, (long long)w.mid, (unsigned)w.hi);
  printf("final hash %08x failures %d\n", hash, rt_failures);
  return rt_failures ? 1 : 0;
}
