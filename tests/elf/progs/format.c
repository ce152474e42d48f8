/* String formatting: the runtime's printf/snprintf over widths, precision,
 * padding, signs, every length modifier and extreme values; plus a hand-made
 * integer-to-string round trip and snprintf truncation. */
#include "rt.h"

static int global_object;
static const char* volatile null_string = NULL;

static void to_base(char* out, unsigned long long v, unsigned base) {
  char tmp[70];
  int n = 0;
  do tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % base], v /= base;
  while (v);
  while (n) *out++ = tmp[--n];
  *out = 0;
}

static unsigned long long from_base(const char* s, unsigned base) {
  unsigned long long v = 0;
  for (; *s; ++s) {
    unsigned d = *s <= '9' ? (unsigned)(*s - '0') : (unsigned)(*s - 'a' + 10);
    v = v * base + d;
  }
  return v;
}

int main(void) {
  printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%8.3d]\n", 42, 42, 42, 42, 42, 42, 7, -7);
  printf("[%d] [%d] [%u] [%x] [%X] [%o] [%#x] [%#o]\n", INT_MIN, INT_MAX, UINT_MAX, 0xDEADBEEFu, 0xDEADBEEFu, 8u, 255u, 8u);
  printf("[%lld] [%lld] [%llu] [%llx] [%016llx]\n", LLONG_MIN, LLONG_MAX, ULLONG_MAX, 0x0123456789ABCDEFull, 0xABCull);
  printf("[%ld] [%lu] [%lx] [%zu] [%hd] [%hu] [%hhd] [%hhu]\n", -123456L, 123456UL, 0xABCDEFUL, (size_t)99, (short)-2, (unsigned short)65535,
         (signed char)-128, (unsigned char)255);
  printf("[%c%c%c] [%3c] [%-3c]\n", 'a', 'b', 'c', 'x', 'y');
  printf("[%s] [%10s] [%-10s] [%.2s] [%*s] [%-*s] [%s]\n", "hi", "right", "left", "truncate", 6, "star", 6, "star", null_string);
  printf("[%p] [%p] [%p]\n", (void*)0, (void*)&global_object, (void*)0x1234); /* static address: same ELF, same value */
  printf("[%%] [%0*d] [%-*d]\n", 6, -42, 6, -42);
  printf("[%.0d] [%#.0x] [%+.0d]\n", 0, 0u, 0);

  char buf[32];
  int n = snprintf(buf, sizeof buf, "%s-%d-%x", "abc", -17, 255u);
  printf("snprintf -> \"%s\" (%d)\n", buf, n);
  CHECK(n == 10 && strcmp(buf, "abc--17-ff") == 0);
  n = snprintf(buf, 8, "%d", 123456789);
  printf("truncated -> \"%s\" (%d)\n", buf, n);
  CHECK(n == 9 && strcmp(buf, "1234567") == 0);
  n = snprintf(buf, 0, "%lld", LLONG_MIN);
  CHECK(n == 20);
  snprintf(buf, sizeof buf, "%08x|%-6u|", 0xBEEFu, 12u);
  CHECK(strcmp(buf, "0000beef|12    |") == 0);

  /* Round trips in every base for a spread of 64-bit values. */
  unsigned long long v = 1;
  unsigned bad = 0;
  uint32_t h = 0;
  for (int k = 0; k < 300; ++k) {
    v = v * 6364136223846793005ull + 1442695040888963407ull;
    unsigned long long x = v >> (k % 64);
    for (unsigned base = 2; base <= 36; base += 1 + (unsigned)(k % 5)) {
      char s[70];
      to_base(s, x, base);
      bad += from_base(s, base) != x;
      for (const char* p = s; *p; ++p) h = h * 33 + (unsigned char)*p;
    }
    char d[32], e[32];
    snprintf(d, sizeof d, "%llu", x);
    to_base(e, x, 10);
    bad += strcmp(d, e) != 0;
    snprintf(d, sizeof d, "%llx", x);
    to_base(e, x, 16);
    bad += strcmp(d, e) != 0;
    long long sx = (long long)x;
    snprintf(d, sizeof d, "%lld", sx);
    bad += strtol_simple(d) != (long)sx && sizeof(long) == 8;
    if (k % 50 == 0) printf("%llu = 0x%llx = %lld = %020llu\n", x, x, sx, x);
  }
  printf("round trips bad %u hash %08x\n", bad, h);
  CHECK(bad == 0);
  /* A formatted table. */
  for (int r = 0; r < 6; ++r) printf("|%-8s|%6d|%06x|%+5d|%3u%%|\n", r & 1 ? "odd" : "even", r * r * 1000 - 9999, r * 0x1111u, r - 3, r * 20);
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 0;
}
