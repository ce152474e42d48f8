/* Sorting through function pointers: a generic quicksort (median of three,
 * insertion sort for short runs), a generic merge sort and a heap sort, with
 * several comparators (ascending, descending, by struct key with tie-break,
 * strings, unsigned 64-bit). Results are checked for order and permutation. */
#include "rt.h"

typedef int (*cmp_fn)(const void*, const void*);

static void swap_bytes(void* a, void* b, size_t size) {
  unsigned char *x = a, *y = b;
  while (size--) {
    unsigned char t = *x;
    *x++ = *y;
    *y++ = t;
  }
}

static void my_qsort(void* base, size_t n, size_t size, cmp_fn cmp) {
  unsigned char* a = base;
  while (n > 8) {
    size_t mid = n / 2;
    if (cmp(a + mid * size, a) < 0) swap_bytes(a + mid * size, a, size);
    if (cmp(a + (n - 1) * size, a) < 0) swap_bytes(a + (n - 1) * size, a, size);
    if (cmp(a + (n - 1) * size, a + mid * size) < 0) swap_bytes(a + (n - 1) * size, a + mid * size, size);
    swap_bytes(a + mid * size, a + (n - 2) * size, size); /* pivot at n-2 */
    unsigned char* pivot = a + (n - 2) * size;
    size_t i = 0, j = n - 2;
    for (;;) {
      while (cmp(a + (++i) * size, pivot) < 0) {
      }
      while (j > 0 && cmp(a + (--j) * size, pivot) > 0) {
      }
      if (i >= j) break;
      swap_bytes(a + i * size, a + j * size, size);
    }
    swap_bytes(a + i * size, pivot, size);
    /* Recurse into the smaller half, loop on the larger. */
    if (i < n - i - 1) {
      my_qsort(a, i, size, cmp);
      a += (i + 1) * size;
      n -= i + 1;
    } else {
      my_qsort(a + (i + 1) * size, n - i - 1, size, cmp);
      n = i;
    }
  }
  for (size_t i = 1; i < n; ++i)
    for (size_t j = i; j > 0 && cmp(a + (j - 1) * size, a + j * size) > 0; --j) swap_bytes(a + (j - 1) * size, a + j * size, size);
}

static void merge_sort(void* base, size_t n, size_t size, cmp_fn cmp, void* tmp) {
  if (n < 2) return;
  unsigned char *a = base, *t = tmp;
  size_t h = n / 2;
  merge_sort(a, h, size, cmp, tmp);
  merge_sort(a + h * size, n - h, size, cmp, tmp);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) {
    if (cmp(a + j * size, a + i * size) < 0) memcpy(t + k++ * size, a + j++ * size, size);
    else memcpy(t + k++ * size, a + i++ * size, size); /* stable */
  }
  while (i < h) memcpy(t + k++ * size, a + i++ * size, size);
  while (j < n) memcpy(t + k++ * size, a + j++ * size, size);
  memcpy(a, t, n * size);
}

static void sift(unsigned char* a, size_t root, size_t n, size_t size, cmp_fn cmp) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && cmp(a + child * size, a + (child + 1) * size) < 0) ++child;
    if (cmp(a + root * size, a + child * size) >= 0) return;
    swap_bytes(a + root * size, a + child * size, size);
    root = child;
  }
}
static void heap_sort(void* base, size_t n, size_t size, cmp_fn cmp) {
  unsigned char* a = base;
  for (size_t i = n / 2; i-- > 0;) sift(a, i, n, size, cmp);
  for (size_t end = n; end-- > 1;) {
    swap_bytes(a, a + end * size, size);
    sift(a, 0, end, size, cmp);
  }
}

static int cmp_int_asc(const void* a, const void* b) {
  int x = *(const int*)a, y = *(const int*)b;
  return (x > y) - (x < y);
}
static int cmp_int_desc(const void* a, const void* b) { return cmp_int_asc(b, a); }
static int cmp_u64(const void* a, const void* b) {
  uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
  return x < y ? -1 : x > y;
}
static int cmp_str(const void* a, const void* b) { return strcmp(*(const char* const*)a, *(const char* const*)b); }

typedef struct {
  short key;
  unsigned char tag;
  uint32_t seq;
} record;
static int cmp_record_key(const void* a, const void* b) {
  const record *x = a, *y = b;
  return x->key - y->key;
}

static uint32_t seed = 12345;
static uint32_t rnd(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

static uint32_t sum_ints(const int* a, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; ++i) s += (uint32_t)a[i] * 2654435761u ^ (uint32_t)a[i];
  return s;
}

typedef void (*sorter)(void*, size_t, size_t, cmp_fn, void*);
static void qsort_adapter(void* b, size_t n, size_t s, cmp_fn c, void* t) { (void)t, my_qsort(b, n, s, c); }
static void heap_adapter(void* b, size_t n, size_t s, cmp_fn c, void* t) { (void)t, heap_sort(b, n, s, c); }
static const struct {
  const char* name;
  sorter fn;
} kSorters[] = {{"quick", qsort_adapter}, {"merge", merge_sort}, {"heap", heap_adapter}};
static const struct {
  const char* name;
  cmp_fn fn;
  int dir;
} kIntCmps[] = {{"asc", cmp_int_asc, 1}, {"desc", cmp_int_desc, -1}};

int main(void) {
  enum { N = 3000 };
  int* src = malloc(N * sizeof(int));
  int* a = malloc(N * sizeof(int));
  void* tmp = malloc(N * sizeof(uint64_t));
  for (int i = 0; i < N; ++i) src[i] = (int)(rnd() % 2001) - 1000; /* many duplicates */
  uint32_t expect = sum_ints(src, N);
  for (unsigned s = 0; s < ARRAY_SIZE(kSorters); ++s) {
    for (unsigned c = 0; c < ARRAY_SIZE(kIntCmps); ++c) {
      memcpy(a, src, N * sizeof(int));
      kSorters[s].fn(a, N, sizeof(int), kIntCmps[c].fn, tmp);
      int ordered = 1;
      for (int i = 1; i < N; ++i) ordered &= kIntCmps[c].dir * (a[i] - a[i - 1]) >= 0;
      CHECK(ordered);
      CHECK(sum_ints(a, N) == expect);
      printf("%s/%s: first %d %d %d last %d median %d ordered %d\n", kSorters[s].name, kIntCmps[c].name, a[0], a[1], a[2],
             a[N - 1], a[N / 2], ordered);
    }
  }
  /* Sorting already-sorted and reversed input. */
  for (int i = 0; i < N; ++i) a[i] = N - i;
  my_qsort(a, N, sizeof(int), cmp_int_asc);
  for (int i = 0; i < N; ++i) CHECK(a[i] == i + 1);
  my_qsort(a, N, sizeof(int), cmp_int_asc);
  for (int i = 0; i < N; ++i) CHECK(a[i] == i + 1);

  /* Stable merge sort of records by key; sequence numbers must stay ordered within a key. */
  enum { R = 500 };
  record* rec = malloc(R * sizeof(record));
  for (int i = 0; i < R; ++i) rec[i] = (record){(short)((int)(rnd() % 41) - 20), (unsigned char)rnd(), (uint32_t)i};
  merge_sort(rec, R, sizeof(record), cmp_record_key, tmp);
  int stable = 1;
  for (int i = 1; i < R; ++i)
    stable &= rec[i - 1].key < rec[i].key || (rec[i - 1].key == rec[i].key && rec[i - 1].seq < rec[i].seq);
  CHECK(stable);
  printf("records: key[0]=%d seq[0]=%u key[%d]=%d seq=%u stable %d\n", rec[0].key, rec[0].seq, R - 1, rec[R - 1].key,
         rec[R - 1].seq, stable);

  /* 64-bit unsigned keys with the top bit set (unsigned compare). */
  uint64_t* big = tmp;
  for (int i = 0; i < 64; ++i) big[i] = ((uint64_t)rnd() << 32 | rnd()) ^ (i & 1 ? 0x8000000000000000ull : 0);
  heap_sort(big, 64, sizeof(uint64_t), cmp_u64);
  for (int i = 1; i < 64; ++i) CHECK(big[i - 1] <= big[i]);
  printf("u64: min %016llx max %016llx\n", (unsigned long long)big[0], (unsigned long long)big[63]);

  /* Strings. */
  const char* words[] = {"pear", "apple", "fig", "banana", "apricot", "cherry", "date", "Zebra", "apple", "", "kiwi", "applesauce"};
  const unsigned W = ARRAY_SIZE(words);
  my_qsort(words, W, sizeof(char*), cmp_str);
  for (unsigned i = 0; i < W; ++i) printf("%s%s", i ? "," : "words: ", words[i]);
  printf("\n");
  for (unsigned i = 1; i < W; ++i) CHECK(strcmp(words[i - 1], words[i]) <= 0);
  free(rec), free(a), free(src), free(tmp);
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 0;
}
