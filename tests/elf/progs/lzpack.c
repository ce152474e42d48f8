/* hexad-test-args: 2
 * A second CPU-bound integer workload for tools/bench, one the interpreter was not tuned on: per
 * round (argv[1], default 1) a pseudo-random text of dictionary words is compressed with a
 * hash-chained LZ77 coder (byte tokens, greedy matching with a lazy step), decompressed and
 * compared, its words are counted in an open-addressing hash table, the counts are heap-sorted,
 * and the compressed bytes are base64-encoded; every result is folded into a digest. */
#include "rt.h"

enum { TEXT = 24576, HASH_BITS = 12, WINDOW = 4096, MIN_MATCH = 4, MAX_MATCH = 130, TABLE = 2048 };

static const char* const kWords[] = {"the", "of", "xenon", "kernel", "thread", "wait", "event", "queue", "branch",
                                     "vector", "guest", "trace", "audit", "slot", "cycle", "page", "fault",
                                     "reserve", "store", "load", "and", "a", "to", "in"};

static uint32_t lcg(uint32_t* s) {
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

static size_t make_text(unsigned char* out, uint32_t* seed) {
  size_t n = 0;
  while (n < TEXT - 16) {
    const char* w = kWords[lcg(seed) % ARRAY_SIZE(kWords)];
    while (*w) out[n++] = (unsigned char)*w++;
    out[n++] = (lcg(seed) & 15) == 0 ? '\n' : ' ';
  }
  return n;
}

static uint32_t hash4(const unsigned char* p) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

static size_t match_len(const unsigned char* a, const unsigned char* b, size_t limit) {
  size_t n = 0;
  while (n < limit && a[n] == b[n]) ++n;
  return n;
}

/* Longest match for position i through the hash chain (at most 16 candidates). */
static size_t best_match(const unsigned char* in, size_t i, size_t n, const int* head, const int* prev, size_t* dist) {
  size_t best = 0, limit = n - i < MAX_MATCH ? n - i : MAX_MATCH;
  int cand = head[hash4(in + i)];
  for (int tries = 0; cand >= 0 && i - (size_t)cand <= WINDOW && tries < 16; ++tries) {
    size_t len = match_len(in + cand, in + i, limit);
    if (len > best) best = len, *dist = i - (size_t)cand;
    cand = prev[cand % WINDOW];
  }
  return best;
}

/* Tokens: 0x00-0x7F literal run of (t+1) bytes; 0x80-0xFF match of (t-0x80+MIN_MATCH) bytes at
 * a 12-bit distance in the next two bytes. */
static size_t compress(const unsigned char* in, size_t n, unsigned char* out, int* head, int* prev) {
  size_t o = 0, lit_start = 0, i = 0;
  for (int k = 0; k < (1 << HASH_BITS); ++k) head[k] = -1;
  while (i < n) {
    size_t dist = 0, len = i + MIN_MATCH <= n ? best_match(in, i, n, head, prev, &dist) : 0;
    if (len >= MIN_MATCH && i + 1 + MIN_MATCH <= n) { /* lazy: a longer match one byte later wins */
      size_t d2 = 0, l2 = best_match(in, i + 1, n, head, prev, &d2);
      if (l2 > len + 1) len = 0;
    }
    if (len < MIN_MATCH) {
      if (i + MIN_MATCH <= n) {
        uint32_t h = hash4(in + i);
        prev[i % WINDOW] = head[h], head[h] = (int)i;
      }
      ++i;
      if (i - lit_start == 128 || i == n) {
        out[o++] = (unsigned char)(i - lit_start - 1);
        while (lit_start < i) out[o++] = in[lit_start++];
      }
      continue;
    }
    if (lit_start < i) {
      out[o++] = (unsigned char)(i - lit_start - 1);
      while (lit_start < i) out[o++] = in[lit_start++];
    }
    out[o++] = (unsigned char)(0x80 + len - MIN_MATCH);
    out[o++] = (unsigned char)(dist >> 8), out[o++] = (unsigned char)dist;
    for (size_t e = i + len; i < e; ++i)
      if (i + MIN_MATCH <= n) {
        uint32_t h = hash4(in + i);
        prev[i % WINDOW] = head[h], head[h] = (int)i;
      }
    lit_start = i;
  }
  return o;
}

static size_t decompress(const unsigned char* in, size_t n, unsigned char* out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    unsigned t = in[i++];
    if (t < 0x80) {
      for (unsigned k = 0; k <= t; ++k) out[o++] = in[i++];
    } else {
      size_t len = t - 0x80 + MIN_MATCH, dist = (size_t)in[i] << 8 | in[i + 1];
      i += 2;
      for (size_t k = 0; k < len; ++k, ++o) out[o] = out[o - dist];
    }
  }
  return o;
}

struct Slot {
  uint32_t hash, count;
  const unsigned char* word;
  uint32_t len;
};

static uint32_t word_hash(const unsigned char* w, uint32_t len) {
  uint32_t h = 2166136261u;
  for (uint32_t k = 0; k < len; ++k) h = (h ^ w[k]) * 16777619u;
  return h | 1;
}

static unsigned count_words(const unsigned char* text, size_t n, struct Slot* table) {
  unsigned distinct = 0;
  memset(table, 0, TABLE * sizeof *table);
  for (size_t i = 0; i < n;) {
    while (i < n && (text[i] == ' ' || text[i] == '\n')) ++i;
    size_t s = i;
    while (i < n && text[i] != ' ' && text[i] != '\n') ++i;
    if (i == s) break;
    uint32_t len = (uint32_t)(i - s), h = word_hash(text + s, len), k = h & (TABLE - 1);
    while (table[k].hash && !(table[k].hash == h && table[k].len == len && !memcmp(table[k].word, text + s, len)))
      k = (k + 1) & (TABLE - 1);
    if (!table[k].hash) table[k].hash = h, table[k].word = text + s, table[k].len = len, ++distinct;
    ++table[k].count;
  }
  return distinct;
}

static void sift(uint32_t* a, size_t i, size_t n) {
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) return;
    if (c + 1 < n && a[c + 1] > a[c]) ++c;
    if (a[i] >= a[c]) return;
    uint32_t t = a[i];
    a[i] = a[c], a[c] = t, i = c;
  }
}

static void heap_sort(uint32_t* a, size_t n) {
  for (size_t i = n / 2; i-- > 0;) sift(a, i, n);
  for (size_t e = n; e-- > 1;) {
    uint32_t t = a[0];
    a[0] = a[e], a[e] = t;
    sift(a, 0, e);
  }
}

static uint32_t base64_digest(const unsigned char* in, size_t n, char* out) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i + 2 < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
    for (int s = 18; s >= 0; s -= 6) out[o++] = kAlphabet[(v >> s) & 63];
  }
  uint32_t h = 0;
  for (size_t k = 0; k < o; ++k) h = h * 31 + (unsigned char)out[k];
  return h;
}

int main(int argc, char** argv) {
  long rounds = argc > 1 ? strtol_simple(argv[1]) : 1;
  if (rounds < 1) rounds = 1;
  unsigned char* text = malloc(TEXT);
  unsigned char* packed = malloc(TEXT + TEXT / 128 + 16);
  unsigned char* back = malloc(TEXT);
  char* b64 = malloc(2 * TEXT);
  int* head = malloc((1 << HASH_BITS) * sizeof(int));
  int* prev = malloc(WINDOW * sizeof(int));
  struct Slot* table = malloc(TABLE * sizeof(struct Slot));
  uint32_t* counts = malloc(TABLE * sizeof(uint32_t));
  uint64_t digest = 0xCBF29CE484222325ull;
  uint32_t seed = 7;
  for (long round = 0; round < rounds; ++round) {
    size_t n = make_text(text, &seed);
    size_t packed_n = compress(text, n, packed, head, prev);
    size_t back_n = decompress(packed, packed_n, back);
    int same = back_n == n && memcmp(text, back, n) == 0;
    unsigned distinct = count_words(text, n, table);
    size_t m = 0;
    for (unsigned k = 0; k < TABLE; ++k)
      if (table[k].hash) counts[m++] = table[k].count;
    heap_sort(counts, m);
    uint32_t b = base64_digest(packed, packed_n, b64);
    uint64_t words[] = {n, packed_n, (uint32_t)same, distinct, counts[0], counts[m - 1], b};
    for (unsigned k = 0; k < ARRAY_SIZE(words); ++k) digest = (digest ^ words[k]) * 0x100000001B3ull;
    if (round == 0 || round == rounds - 1)
      printf("round %ld: text %u packed %u roundtrip %d words %u min %u max %u base64 %08x\n", round, (unsigned)n,
             (unsigned)packed_n, same, distinct, counts[0], counts[m - 1], b);
    CHECK(same && distinct == ARRAY_SIZE(kWords) && packed_n < n);
  }
  printf("rounds %ld digest %016llx\n", rounds, (unsigned long long)digest);
  free(counts), free(table), free(prev), free(head), free(b64), free(back), free(packed), free(text);
  return rt_failures ? 1 : 0;
}
