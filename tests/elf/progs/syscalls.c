/* The Linux system call convention: results in r3, errors reported with
 * CR0[SO] set and a positive errno in r3 (the runtime turns that into
 * -errno). Exercises EBADF, EFAULT and ENOSYS, short and zero-length writes
 * and brk growth/queries (addresses are printed relative to the initial
 * break, which differs between loaders). */
#include "rt.h"

int main(void) {
  long r = rt_syscall3(SYS_write, 99, (long)"x", 1);
  printf("write(99) = %ld\n", r);
  CHECK(r == -9); /* EBADF */
  r = rt_syscall3(SYS_write, 1, 16, 4);
  printf("write(1, bad pointer) = %ld\n", r);
  CHECK(r == -14); /* EFAULT */
  r = rt_syscall3(9999, 1, 2, 3);
  printf("syscall 9999 = %ld\n", r);
  CHECK(r == -38); /* ENOSYS */
  fflush_stdout();
  r = rt_syscall3(SYS_write, 1, (long)"", 0);
  printf("write(1, len 0) = %ld\n", r);
  CHECK(r == 0);
  fflush_stdout();
  r = rt_syscall3(SYS_write, 1, (long)"partial line\n" + 8, 5);
  CHECK(r == 5);

  long b0 = rt_syscall3(SYS_brk, 0, 0, 0);
  long b1 = rt_syscall3(SYS_brk, 0, 0, 0);
  CHECK(b0 == b1 && b0 != 0);
  long grown = rt_syscall3(SYS_brk, b0 + 100000, 0, 0);
  printf("brk grow by 100000: delta %ld\n", grown - b0);
  CHECK(grown == b0 + 100000);
  /* The new memory is zero and writable, right up to the break. */
  unsigned char* p = (unsigned char*)b0;
  unsigned nz = 0;
  for (long k = 0; k < 100000; ++k) nz += p[k] != 0, p[k] = (unsigned char)k;
  printf("fresh brk memory nonzero bytes: %u, last byte %u\n", nz, p[99999]);
  long shrunk = rt_syscall3(SYS_brk, b0 + 50000, 0, 0);
  printf("brk shrink: delta %ld\n", shrunk - b0);
  CHECK(shrunk == b0 + 50000);
  long below = rt_syscall3(SYS_brk, 4096, 0, 0); /* below the start: refused, current break returned */
  printf("brk below start: delta %ld\n", below - b0);
  CHECK(below == shrunk);
  /* The allocator keeps working on top of the moved break. */
  char* s = malloc(64);
  snprintf(s, 64, "heap ok %d", 7);
  puts(s);

  /* Stack: 16-byte aligned frames and a deep chain of them. */
  char local[40];
  printf("stack alignment of a local array mod 8 = %u\n", (unsigned)((uintptr_t)local % 8));
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 3; /* a non-zero success status */
}
