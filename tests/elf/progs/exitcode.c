/* hexad-test-args: 35 hello world
 * Exit status plumbing: the program's exit status is derived from its
 * arguments and a computation, and is deliberately non-zero (default 42). */
#include "rt.h"

static int weighted_sum(const char* s) {
  int sum = 0;
  for (int k = 0; s[k]; ++k) sum += (k + 1) * (unsigned char)s[k];
  return sum;
}

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int k = 1; k < argc; ++k) printf("argv[%d]=\"%s\" len=%u sum=%d\n", k, argv[k], (unsigned)strlen(argv[k]), weighted_sum(argv[k]));
  CHECK(argv[argc] == NULL);
  int status = 42;
  if (argc > 1) status = (int)(strtol_simple(argv[1]) & 0xFF);
  /* Heap sanity: allocate, fill, free, reallocate the same size class. */
  unsigned char* p = malloc(1000);
  CHECK(p != NULL);
  for (int k = 0; k < 1000; ++k) p[k] = (unsigned char)(k * 7);
  unsigned sum = 0;
  for (int k = 0; k < 1000; ++k) sum += p[k];
  printf("heap sum=%u\n", sum);
  free(p);
  unsigned char* q = malloc(1000);
  CHECK(q == p);
  unsigned char* big = calloc(300000, 1);
  CHECK(big != NULL);
  unsigned nz = 0;
  for (int k = 0; k < 300000; ++k) nz += big[k] != 0;
  printf("calloc nonzero=%u\n", nz);
  printf("failures=%d exit=%d\n", rt_failures, status);
  return rt_failures ? 1 : status;
}
