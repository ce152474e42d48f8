/* hexad-test-args: 2
 * CPU-bound mixed integer workload, also used by tools/bench with a larger
 * round count (argv[1], default 1): per round an LCG-filled buffer is
 * checksummed with CRC-32 and Adler-32, 2048 integers are sorted with a
 * comparator call per comparison, primes below 60000 are sieved, a 24x24
 * integer matrix is squared and a Collatz search runs; every result is folded
 * into a digest printed at the end. */
#include "rt.h"

static uint32_t crc_table[256];

static uint32_t crc32(const unsigned char* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
  return ~c;
}
static uint32_t adler32(const unsigned char* p, size_t n) {
  uint32_t a = 1, b = 0;
  while (n--) {
    a = (a + *p++) % 65521u;
    b = (b + a) % 65521u;
  }
  return b << 16 | a;
}

static int cmp_int(const void* a, const void* b) {
  int x = *(const int*)a, y = *(const int*)b;
  return (x > y) - (x < y);
}
static void shell_sort(int* a, size_t n, int (*cmp)(const void*, const void*)) {
  static const size_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
  for (unsigned g = 0; g < ARRAY_SIZE(gaps); ++g) {
    size_t gap = gaps[g];
    for (size_t i = gap; i < n; ++i) {
      int t = a[i];
      size_t j = i;
      for (; j >= gap && cmp(&a[j - gap], &t) > 0; j -= gap) a[j] = a[j - gap];
      a[j] = t;
    }
  }
}

static unsigned sieve(unsigned char* composite, unsigned limit) {
  memset(composite, 0, limit);
  unsigned count = 0;
  for (unsigned i = 2; i < limit; ++i) {
    if (composite[i]) continue;
    ++count;
    for (unsigned j = i * 2; j < limit; j += i) composite[j] = 1;
  }
  return count;
}

enum { M = 24 };
static uint32_t matrix_square_trace(uint32_t (*a)[M], uint32_t (*r)[M]) {
  uint32_t trace = 0;
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < M; ++j) {
      uint32_t s = 0;
      for (int k = 0; k < M; ++k) s += a[i][k] * a[k][j];
      r[i][j] = s;
    }
  for (int i = 0; i < M; ++i) trace += r[i][i] ^ r[i][M - 1 - i];
  return trace;
}

static unsigned collatz_longest(unsigned from, unsigned to) {
  unsigned best = 0, best_n = 0;
  for (unsigned n = from; n < to; ++n) {
    uint64_t v = n;
    unsigned steps = 0;
    while (v != 1) v = (v & 1) ? 3 * v + 1 : v >> 1, ++steps;
    if (steps > best) best = steps, best_n = n;
  }
  return best_n << 10 | best;
}

int main(int argc, char** argv) {
  long rounds = argc > 1 ? strtol_simple(argv[1]) : 1;
  if (rounds < 1) rounds = 1;
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    crc_table[i] = c;
  }
  enum { BUF = 32768, N = 2048, LIMIT = 60000 };
  unsigned char* buf = malloc(BUF);
  int* arr = malloc(N * sizeof(int));
  unsigned char* comp = malloc(LIMIT);
  static uint32_t a[M][M], r[M][M];
  uint64_t digest = 0xCBF29CE484222325ull;
  uint32_t seed = 1;
  for (long round = 0; round < rounds; ++round) {
    for (int i = 0; i < BUF; ++i) seed = seed * 1103515245u + 12345u, buf[i] = (unsigned char)(seed >> 16);
    uint32_t c = crc32(buf, BUF), ad = adler32(buf, BUF);
    for (int i = 0; i < N; ++i) seed = seed * 1103515245u + 12345u, arr[i] = (int)(seed >> 8) - (1 << 23);
    shell_sort(arr, N, cmp_int);
    int ok = 1;
    for (int i = 1; i < N; ++i) ok &= arr[i - 1] <= arr[i];
    unsigned primes = sieve(comp, LIMIT);
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < M; ++j) a[i][j] = (uint32_t)(i * 31 + j * 17) ^ seed ^ (uint32_t)round;
    uint32_t tr = matrix_square_trace(a, r);
    unsigned col = collatz_longest(1 + (unsigned)(round % 7) * 1000, 3001 + (unsigned)(round % 7) * 1000);
    uint64_t words[] = {c, ad, (uint32_t)arr[0], (uint32_t)arr[N / 2], (uint32_t)ok, primes, tr, col};
    for (unsigned k = 0; k < ARRAY_SIZE(words); ++k) digest = (digest ^ words[k]) * 0x100000001B3ull;
    if (round == 0 || round == rounds - 1)
      printf("round %ld: crc %08x adler %08x min %d median %d sorted %d primes %u trace %08x collatz %u/%u\n", round, c, ad, arr[0],
             arr[N / 2], ok, primes, tr, col >> 10, col & 1023);
    CHECK(ok && primes == 6057);
  }
  printf("rounds %ld digest %016llx\n", rounds, (unsigned long long)digest);
  free(comp), free(arr), free(buf);
  return rt_failures ? 1 : 0;
}
