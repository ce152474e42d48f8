/* Memory moves at every alignment: memcpy/memmove/memset/memcmp over all
 * source/destination offsets and many lengths (checked against a byte loop),
 * overlapping moves in both directions, and unaligned 16/32/64-bit loads and
 * stores through packed structs. */
#include "rt.h"

enum { BUF = 160 };
static unsigned char src[BUF], dst[BUF], ref[BUF];

static void fill(unsigned char* p, unsigned n, unsigned seed) {
  for (unsigned i = 0; i < n; ++i) p[i] = (unsigned char)(seed + i * 37 + (i >> 3));
}

static uint32_t digest(const unsigned char* p, unsigned n) {
  uint32_t h = 2166136261u;
  for (unsigned i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

struct __attribute__((packed)) unaligned {
  unsigned char pad;
  uint16_t h;
  uint32_t w;
  uint64_t d;
  int16_t sh;
  int32_t sw;
};

int main(void) {
  static const unsigned kLens[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100};
  unsigned bad = 0, cases = 0;
  /* Non-overlapping copies. */
  for (unsigned so = 0; so < 8; ++so)
    for (unsigned d = 0; d < 8; ++d)
      for (unsigned li = 0; li < ARRAY_SIZE(kLens); ++li) {
        unsigned len = kLens[li];
        fill(src, BUF, so * 8 + d);
        memset(dst, 0xA5, BUF);
        memset(ref, 0xA5, BUF);
        for (unsigned i = 0; i < len; ++i) ref[d + i] = src[so + i];
        void* r = memcpy(dst + d, src + so, len);
        bad += r != dst + d;
        bad += memcmp(dst, ref, BUF) != 0;
        ++cases;
      }
  printf("memcpy: %u cases, %u bad\n", cases, bad);
  CHECK(bad == 0);

  /* Overlapping moves within one buffer, forward and backward. */
  bad = cases = 0;
  uint32_t h = 0;
  for (unsigned so = 0; so < 12; ++so)
    for (unsigned d = 0; d < 12; ++d)
      for (unsigned li = 0; li < ARRAY_SIZE(kLens); ++li) {
        unsigned len = kLens[li];
        fill(dst, BUF, so + 3 * d);
        memcpy(ref, dst, BUF);
        unsigned char tmp[BUF];
        for (unsigned i = 0; i < len; ++i) tmp[i] = ref[so + i];
        for (unsigned i = 0; i < len; ++i) ref[d + i] = tmp[i];
        memmove(dst + d, dst + so, len);
        bad += memcmp(dst, ref, BUF) != 0;
        h = h * 31 + digest(dst, 40);
        ++cases;
      }
  printf("memmove: %u cases, %u bad, hash %08x\n", cases, bad, h);
  CHECK(bad == 0);

  /* memset at all offsets; memcmp sign at every position. */
  bad = 0;
  for (unsigned off = 0; off < 8; ++off)
    for (unsigned li = 0; li < ARRAY_SIZE(kLens); ++li) {
      memset(dst, 0, BUF);
      memset(dst + off, 0x5A + (int)off, kLens[li]);
      for (unsigned i = 0; i < BUF; ++i) bad += dst[i] != (i >= off && i < off + kLens[li] ? 0x5A + off : 0);
    }
  for (unsigned i = 0; i < 64; ++i) {
    fill(src, 64, 1);
    memcpy(dst, src, 64);
    dst[i] ^= 0x80;
    int c = memcmp(src, dst, 64);
    bad += (src[i] & 0x80) ? c <= 0 : c >= 0;
    bad += memcmp(src, dst, i) != 0;
  }
  printf("memset/memcmp bad %u\n", bad);
  CHECK(bad == 0);

  /* Unaligned scalar access through packed structs at every byte offset. */
  unsigned char raw[64];
  uint64_t acc = 0;
  for (unsigned off = 0; off < 16; ++off) {
    for (unsigned i = 0; i < sizeof raw; ++i) raw[i] = (unsigned char)(0xF0 + i * 3);
    struct unaligned* u = (struct unaligned*)(raw + off);
    uint16_t h16 = u->h;
    uint32_t w32 = u->w;
    uint64_t d64 = u->d;
    int16_t s16 = u->sh;
    int32_t s32 = u->sw;
    /* Big-endian: assemble the same values byte by byte. */
    const unsigned char* b = raw + off + 1;
    CHECK(h16 == (uint16_t)(b[0] << 8 | b[1]));
    CHECK(w32 == ((uint32_t)b[2] << 24 | (uint32_t)b[3] << 16 | (uint32_t)b[4] << 8 | b[5]));
    uint64_t want = 0;
    for (int k = 0; k < 8; ++k) want = want << 8 | b[6 + k];
    CHECK(d64 == want);
    if (off % 5 == 0) printf("off %2u: h %04x w %08x d %016llx sh %d sw %d\n", off, h16, w32, (unsigned long long)d64, s16, s32);
    u->h = (uint16_t)(h16 + 0x1111);
    u->w = w32 ^ 0xFFFF0000u;
    u->d = d64 + 0x0101010101010101ull;
    u->sh = (int16_t)-s16;
    u->sw = -s32;
    acc = acc * 1099511628211ull + digest(raw, sizeof raw);
    CHECK(raw[off] == (unsigned char)(0xF0 + off * 3)); /* pad byte untouched */
  }
  printf("packed store digest %016llx\n", (unsigned long long)acc);
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 0;
}
