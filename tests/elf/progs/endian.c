/* Byte order: the machine is big-endian; byte-reversal through
 * __builtin_bswap16/32/64 (GCC emits lhbrx/lwbrx/sthbrx/stwbrx for
 * reversed loads and stores), manual shift-and-mask swaps, union punning,
 * little-endian serialisation and a bit-reversal table. */
#include "rt.h"

static uint16_t swap16(uint16_t v) { return (uint16_t)(v >> 8 | v << 8); }
static uint32_t swap32(uint32_t v) { return v >> 24 | (v >> 8 & 0xFF00) | (v << 8 & 0xFF0000) | v << 24; }
static uint64_t swap64(uint64_t v) { return (uint64_t)swap32((uint32_t)v) << 32 | swap32((uint32_t)(v >> 32)); }

/* Loads/stores of byte-reversed data (lwbrx/stwbrx patterns). */
static uint32_t __attribute__((noinline)) load_le32(const uint32_t* p) { return __builtin_bswap32(*p); }
static uint16_t __attribute__((noinline)) load_le16(const uint16_t* p) { return __builtin_bswap16(*p); }
static void __attribute__((noinline)) store_le32(uint32_t* p, uint32_t v) { *p = __builtin_bswap32(v); }
static void __attribute__((noinline)) store_le16(uint16_t* p, uint16_t v) { *p = __builtin_bswap16(v); }
static uint64_t __attribute__((noinline)) load_le64(const uint64_t* p) { return __builtin_bswap64(*p); }

static uint8_t reverse_bits8(uint8_t b) {
  b = (uint8_t)((b & 0xF0) >> 4 | (b & 0x0F) << 4);
  b = (uint8_t)((b & 0xCC) >> 2 | (b & 0x33) << 2);
  b = (uint8_t)((b & 0xAA) >> 1 | (b & 0x55) << 1);
  return b;
}
static uint32_t reverse_bits32(uint32_t v) {
  uint32_t r = 0;
  for (int i = 0; i < 32; ++i) r |= ((v >> i) & 1u) << (31 - i);
  return r;
}

int main(void) {
  union {
    uint32_t w;
    uint64_t d;
    unsigned char b[8];
    uint16_t h[4];
  } u;
  u.d = 0x0102030405060708ull;
  printf("bytes of 0x0102030405060708: %02x %02x %02x %02x %02x %02x %02x %02x\n", u.b[0], u.b[1], u.b[2], u.b[3], u.b[4], u.b[5], u.b[6], u.b[7]);
  CHECK(u.b[0] == 1 && u.b[7] == 8); /* big-endian */
  printf("halves %04x %04x %04x %04x first word %08x\n", u.h[0], u.h[1], u.h[2], u.h[3], u.w);
  CHECK(u.w == 0x01020304u);

  uint32_t x = 0x89ABCDEFu;
  uint64_t y = 0xFEDCBA9876543210ull;
  printf("bswap16 %04x bswap32 %08x bswap64 %016llx\n", __builtin_bswap16((uint16_t)x), __builtin_bswap32(x), (unsigned long long)__builtin_bswap64(y));
  CHECK(__builtin_bswap32(x) == swap32(x));
  CHECK(__builtin_bswap64(y) == swap64(y));
  CHECK(__builtin_bswap16(0xABCD) == swap16(0xABCD));

  uint32_t words[64];
  uint16_t halves[64];
  uint32_t h = 2166136261u;
  uint32_t v = 0x01234567u;
  for (int i = 0; i < 64; ++i) {
    v = v * 2891336453u + 1;
    store_le32(&words[i], v);
    store_le16(&halves[i], (uint16_t)(v >> 7));
    const unsigned char* b = (const unsigned char*)&words[i];
    CHECK(b[0] == (v & 0xFF) && b[3] == v >> 24);
    CHECK(load_le32(&words[i]) == v);
    CHECK(load_le16(&halves[i]) == (uint16_t)(v >> 7));
    h = (h ^ words[i]) * 16777619u;
    h = (h ^ halves[i]) * 16777619u;
  }
  uint64_t acc = 0;
  for (int i = 0; i < 32; ++i) {
    uint64_t pair;
    memcpy(&pair, &words[2 * i], sizeof pair);
    acc += load_le64(&pair) >> (i % 7);
  }
  printf("le store hash %08x le64 sum %016llx\n", h, (unsigned long long)acc);

  /* Little-endian serialisation of a record and parsing it back. */
  unsigned char wire[14];
  uint16_t id = 0xBEEF;
  uint32_t len = 0x00C0FFEE;
  uint64_t stamp = 0x1122334455667788ull;
  for (int i = 0; i < 2; ++i) wire[i] = (unsigned char)(id >> (8 * i));
  for (int i = 0; i < 4; ++i) wire[2 + i] = (unsigned char)(len >> (8 * i));
  for (int i = 0; i < 8; ++i) wire[6 + i] = (unsigned char)(stamp >> (8 * i));
  printf("wire:");
  for (unsigned i = 0; i < sizeof wire; ++i) printf(" %02x", wire[i]);
  printf("\n");
  uint32_t len_back;
  memcpy(&len_back, wire + 2, 4); /* unaligned, reversed */
  CHECK(__builtin_bswap32(len_back) == len);
  uint64_t stamp_back;
  memcpy(&stamp_back, wire + 6, 8);
  CHECK(__builtin_bswap64(stamp_back) == stamp);

  /* Bit reversal. */
  uint32_t rh = 0;
  for (unsigned i = 0; i < 256; ++i) {
    uint8_t r = reverse_bits8((uint8_t)i);
    CHECK(reverse_bits8(r) == i);
    rh = rh * 31 + r;
  }
  printf("bit reverse table hash %08x, rev32(0x%08x) = %08x\n", rh, x, reverse_bits32(x));
  CHECK(reverse_bits32(reverse_bits32(x)) == x);
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 0;
}
