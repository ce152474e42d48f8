/* Hashing: FNV-1a (32/64), CRC-32 (bitwise and table-driven), MurmurHash3
 * x86_32 and SHA-256, checked against their published test vectors and
 * against each other over a generated buffer. */
#include "rt.h"

static uint32_t fnv1a32(const void* p, size_t n) {
  const unsigned char* s = p;
  uint32_t h = 2166136261u;
  while (n--) h = (h ^ *s++) * 16777619u;
  return h;
}
static uint64_t fnv1a64(const void* p, size_t n) {
  const unsigned char* s = p;
  uint64_t h = 0xCBF29CE484222325ull;
  while (n--) h = (h ^ *s++) * 0x100000001B3ull;
  return h;
}

static uint32_t crc32_bitwise(const void* p, size_t n) {
  const unsigned char* s = p;
  uint32_t c = 0xFFFFFFFFu;
  while (n--) {
    c ^= *s++;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}
static uint32_t crc_table[256];
static void crc32_init(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    crc_table[i] = c;
  }
}
static uint32_t crc32_table(const void* p, size_t n) {
  const unsigned char* s = p;
  uint32_t c = 0xFFFFFFFFu;
  while (n--) c = crc_table[(c ^ *s++) & 0xFF] ^ (c >> 8);
  return ~c;
}

static uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static uint32_t murmur3_32(const void* key, size_t len, uint32_t seed) {
  const unsigned char* data = key;
  uint32_t h = seed, c1 = 0xCC9E2D51u, c2 = 0x1B873593u;
  size_t nblocks = len / 4;
  for (size_t i = 0; i < nblocks; ++i) {
    const unsigned char* b = data + i * 4; /* little-endian block read */
    uint32_t k = b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    k *= c1;
    k = rotl32(k, 15);
    k *= c2;
    h ^= k;
    h = rotl32(h, 13);
    h = h * 5 + 0xE6546B64u;
  }
  const unsigned char* tail = data + nblocks * 4;
  uint32_t k = 0;
  switch (len & 3) {
    case 3: k ^= (uint32_t)tail[2] << 16; /* fall through */
    case 2: k ^= (uint32_t)tail[1] << 8;  /* fall through */
    case 1:
      k ^= tail[0];
      k *= c1;
      k = rotl32(k, 15);
      k *= c2;
      h ^= k;
  }
  h ^= (uint32_t)len;
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

/* ---- SHA-256 ---- */
typedef struct {
  uint32_t h[8];
  unsigned char buf[64];
  uint64_t len;
  unsigned fill;
} sha256;
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
static uint32_t rotr(uint32_t x, int r) { return (x >> r) | (x << (32 - r)); }
static void sha256_block(sha256* s, const unsigned char* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i) w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
  for (int i = 0; i < 64; ++i) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
  }
  s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d, s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}
static void sha256_init(sha256* s) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, iv, sizeof iv);
  s->len = 0;
  s->fill = 0;
}
static void sha256_update(sha256* s, const void* data, size_t n) {
  const unsigned char* p = data;
  s->len += n;
  while (n) {
    unsigned take = 64 - s->fill;
    if (take > n) take = (unsigned)n;
    memcpy(s->buf + s->fill, p, take);
    s->fill += take, p += take, n -= take;
    if (s->fill == 64) sha256_block(s, s->buf), s->fill = 0;
  }
}
static void sha256_final(sha256* s, char hex[65]) {
  uint64_t bits = s->len * 8;
  unsigned char pad = 0x80, zero = 0, lenbe[8];
  sha256_update(s, &pad, 1);
  while (s->fill != 56) sha256_update(s, &zero, 1);
  for (int i = 0; i < 8; ++i) lenbe[i] = (unsigned char)(bits >> (56 - 8 * i));
  sha256_update(s, lenbe, 8);
  for (int i = 0; i < 8; ++i) snprintf(hex + 8 * i, 9, "%08x", s->h[i]);
}
static void sha256_str(const void* p, size_t n, char hex[65]) {
  sha256 s;
  sha256_init(&s);
  sha256_update(&s, p, n);
  sha256_final(&s, hex);
}

int main(void) {
  char hex[65];
  crc32_init();
  const char* check = "123456789";
  printf("crc32(\"123456789\") = %08x / %08x\n", crc32_bitwise(check, 9), crc32_table(check, 9));
  CHECK(crc32_bitwise(check, 9) == 0xCBF43926u);
  CHECK(crc32_table(check, 9) == 0xCBF43926u);
  printf("fnv1a32(\"\") = %08x fnv1a32(\"a\") = %08x fnv1a64(\"a\") = %016llx\n", fnv1a32("", 0), fnv1a32("a", 1),
         (unsigned long long)fnv1a64("a", 1));
  CHECK(fnv1a32("", 0) == 0x811C9DC5u);
  CHECK(fnv1a32("a", 1) == 0xE40C292Cu);
  CHECK(fnv1a64("a", 1) == 0xAF63DC4C8601EC8Cull);
  printf("murmur3(\"\",0) = %08x murmur3(\"\",1) = %08x\n", murmur3_32("", 0, 0), murmur3_32("", 0, 1));
  CHECK(murmur3_32("", 0, 0) == 0);
  CHECK(murmur3_32("", 0, 1) == 0x514E28B7u);
  sha256_str("abc", 3, hex);
  printf("sha256(\"abc\") = %s\n", hex);
  CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
  const char* two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  sha256_str(two, strlen(two), hex);
  printf("sha256(448-bit vector) = %s\n", hex);
  CHECK(strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0);

  /* A generated 64 KiB buffer, hashed whole and in odd-sized chunks. */
  enum { N = 65536 };
  unsigned char* buf = malloc(N);
  uint32_t x = 1;
  for (int i = 0; i < N; ++i) {
    x = x * 1103515245u + 12345u;
    buf[i] = (unsigned char)(x >> 16);
  }
  sha256 s;
  sha256_init(&s);
  for (size_t off = 0, step = 1; off < N; off += step, step = step * 3 % 1021 + 1)
    sha256_update(&s, buf + off, off + step > N ? N - off : step);
  sha256_final(&s, hex);
  char whole[65];
  sha256_str(buf, N, whole);
  printf("sha256(buffer) = %s\n", whole);
  CHECK(strcmp(hex, whole) == 0);
  uint32_t c1 = crc32_bitwise(buf, N), c2 = crc32_table(buf, N);
  printf("crc32(buffer) = %08x fnv1a32 = %08x fnv1a64 = %016llx\n", c2, fnv1a32(buf, N),
         (unsigned long long)fnv1a64(buf, N));
  CHECK(c1 == c2);
  for (unsigned len = 0; len < 12; ++len) printf("murmur3(buf,%u,seed %u) = %08x\n", len, len * 77, murmur3_32(buf + len, len, len * 77));
  free(buf);
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 0;
}
