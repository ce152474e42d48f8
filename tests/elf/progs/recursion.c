/* Recursion and the heap: Ackermann (small arguments, deep call chains),
 * naive and memoised Fibonacci, a binary search tree built with malloc,
 * walked in order, measured, then freed and rebuilt from the free lists,
 * Towers of Hanoi and a recursive permutation counter. */
#include "rt.h"

static unsigned ackermann(unsigned m, unsigned n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint64_t memo[94];
static uint64_t fib_memo(unsigned n) {
  if (n < 2) return n;
  if (memo[n]) return memo[n];
  return memo[n] = fib_memo(n - 1) + fib_memo(n - 2);
}

typedef struct node {
  int key;
  unsigned count;
  struct node *left, *right;
} node;

static node* insert(node* t, int key) {
  if (!t) {
    t = malloc(sizeof *t);
    t->key = key, t->count = 1, t->left = t->right = NULL;
    return t;
  }
  if (key < t->key) t->left = insert(t->left, key);
  else if (key > t->key) t->right = insert(t->right, key);
  else t->count++;
  return t;
}
static unsigned depth(const node* t) {
  if (!t) return 0;
  unsigned l = depth(t->left), r = depth(t->right);
  return 1 + (l > r ? l : r);
}
static int prev_key;
static unsigned ordered, visited;
static uint32_t walk_hash;
static void walk(const node* t) {
  if (!t) return;
  walk(t->left);
  ordered += visited == 0 || t->key > prev_key;
  prev_key = t->key;
  ++visited;
  walk_hash = (walk_hash ^ (uint32_t)t->key ^ (t->count << 24)) * 16777619u;
  walk(t->right);
}
static unsigned destroy(node* t) {
  if (!t) return 0;
  unsigned n = destroy(t->left) + destroy(t->right) + 1;
  free(t);
  return n;
}

static unsigned hanoi_moves;
static uint32_t hanoi_hash;
static void hanoi(unsigned n, int from, int to, int via) {
  if (!n) return;
  hanoi(n - 1, from, via, to);
  ++hanoi_moves;
  hanoi_hash = hanoi_hash * 31 + (uint32_t)(from * 3 + to) + n;
  hanoi(n - 1, via, to, from);
}

static unsigned permutations(int* a, unsigned k, unsigned n, unsigned* checksum) {
  if (k == n) {
    unsigned v = 0;
    for (unsigned i = 0; i < n; ++i) v = v * 10 + (unsigned)a[i];
    *checksum = *checksum * 7 + v;
    return 1;
  }
  unsigned count = 0;
  for (unsigned i = k; i < n; ++i) {
    int t = a[k];
    a[k] = a[i], a[i] = t;
    count += permutations(a, k + 1, n, checksum);
    a[i] = a[k], a[k] = t;
  }
  return count;
}

int main(void) {
  for (unsigned m = 0; m <= 3; ++m)
    for (unsigned n = 0; n <= 4; ++n) printf("A(%u,%u)=%u%s", m, n, ackermann(m, n), n == 4 ? "\n" : " ");
  CHECK(ackermann(2, 3) == 9 && ackermann(3, 4) == 125);
  printf("A(3,6)=%u\n", ackermann(3, 6));
  CHECK(ackermann(3, 6) == 509);
  printf("fib(24)=%u\n", fib(24));
  CHECK(fib(24) == 46368);
  printf("fib(90)=%llu\n", (unsigned long long)fib_memo(90));
  CHECK(fib_memo(90) == 2880067194370816120ull);

  node* root = NULL;
  uint32_t x = 7;
  for (int k = 0; k < 4000; ++k) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    root = insert(root, (int)(x % 5000) - 2500);
  }
  walk(root);
  printf("tree: %u distinct keys, depth %u, in-order %s, hash %08x\n", visited, depth(root), ordered == visited ? "yes" : "no", walk_hash);
  CHECK(ordered == visited);
  unsigned freed = destroy(root);
  CHECK(freed == visited);
  /* Rebuild: the allocator must hand back the freed blocks. */
  root = NULL;
  for (int k = 0; k < 1000; ++k) root = insert(root, (k * 7919) % 1000);
  visited = ordered = 0, walk_hash = 0;
  walk(root);
  printf("rebuilt: %u keys depth %u hash %08x\n", visited, depth(root), walk_hash);
  CHECK(visited == 1000);
  destroy(root);

  hanoi(16, 1, 3, 2);
  printf("hanoi(16): %u moves, hash %08x\n", hanoi_moves, hanoi_hash);
  CHECK(hanoi_moves == 65535);
  int perm[7] = {1, 2, 3, 4, 5, 6, 7};
  unsigned checksum = 0;
  unsigned count = permutations(perm, 0, 7, &checksum);
  printf("permutations of 7: %u checksum %u\n", count, checksum);
  CHECK(count == 5040);
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 0;
}
