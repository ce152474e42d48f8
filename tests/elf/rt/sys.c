/* System calls, process start/exit and a brk-based allocator. */
#include "rt.h"

int rt_failures;

int main(int argc, char** argv); /* programs may also define int main(void) */

long rt_syscall3(long nr, long a, long b, long c) {
  register long r0 __asm__("r0") = nr;
  register long r3 __asm__("r3") = a;
  register long r4 __asm__("r4") = b;
  register long r5 __asm__("r5") = c;
  /* On error the kernel sets CR0[SO] and leaves the positive errno in r3. */
  __asm__ volatile("sc\n\t"
                   "bns+ 1f\n\t"
                   "neg %1, %1\n"
                   "1:"
                   : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
                   :
                   : "memory", "cr0", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "xer");
  return r3;
}

long write(int fd, const void* buf, size_t len) {
  return rt_syscall3(SYS_write, fd, (long)buf, (long)len);
}

void exit(int status) {
  fflush_stdout();
  for (;;) rt_syscall3(SYS_exit_group, status, 0, 0);
}

__attribute__((noreturn, used)) void __rt_main(int argc, char** argv, char** envp) {
  (void)envp;
  exit(main(argc, argv));
}

/* ---- brk ---------------------------------------------------------------- */

static uintptr_t brk_cur, brk_end;

void* sbrk_bytes(size_t n) {
  if (!brk_end) {
    brk_end = (uintptr_t)rt_syscall3(SYS_brk, 0, 0, 0);
    brk_cur = (brk_end + 15) & ~(uintptr_t)15;
  }
  n = (n + 15) & ~(size_t)15;
  if (brk_cur + n > brk_end) {
    uintptr_t want = (brk_cur + n + 0xFFFF) & ~(uintptr_t)0xFFFF;
    uintptr_t got = (uintptr_t)rt_syscall3(SYS_brk, (long)want, 0, 0);
    if (got < want) return NULL;
    brk_end = got;
  }
  void* p = (void*)brk_cur;
  brk_cur += n;
  return p;
}

/* ---- malloc: power-of-two size classes with per-class free lists -------- */

#define MIN_SHIFT 4
#define NUM_CLASSES 28

typedef union block_header {
  struct {
    unsigned cls;
    union block_header* next_free;
  } h;
  char align[16];
} block_header;

static block_header* free_lists[NUM_CLASSES];

void* malloc(size_t n) {
  unsigned cls = 0;
  while (((size_t)1 << (cls + MIN_SHIFT)) < n + sizeof(block_header)) {
    if (++cls >= NUM_CLASSES) return NULL;
  }
  block_header* b = free_lists[cls];
  if (b) {
    free_lists[cls] = b->h.next_free;
  } else {
    b = sbrk_bytes((size_t)1 << (cls + MIN_SHIFT));
    if (!b) return NULL;
    b->h.cls = cls;
  }
  b->h.next_free = NULL;
  return b + 1;
}

void* calloc(size_t n, size_t size) {
  if (size && n > (size_t)-1 / size) return NULL;
  void* p = malloc(n * size);
  if (p) memset(p, 0, n * size);
  return p;
}

void free(void* p) {
  if (!p) return;
  block_header* b = (block_header*)p - 1;
  b->h.next_free = free_lists[b->h.cls];
  free_lists[b->h.cls] = b;
}
