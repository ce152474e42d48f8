/* Freestanding runtime for the qemu-user differential test programs.
 * The runtime itself uses only the integer ISA; it is compiled per configuration with that
 * configuration's float flags (soft float, hard float, or hard float + AltiVec). */
#ifndef HEXAD_TESTS_ELF_RT_H
#define HEXAD_TESTS_ELF_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define INT_MAX __INT_MAX__
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (INT_MAX * 2U + 1U)
#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-LONG_MAX - 1L)
#define LLONG_MAX __LONG_LONG_MAX__
#define LLONG_MIN (-LLONG_MAX - 1LL)
#define ULLONG_MAX (LLONG_MAX * 2ULL + 1ULL)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Raw system calls: return the result, or -errno on failure (CR0[SO] set). */
long rt_syscall3(long nr, long a, long b, long c);

enum { SYS_exit = 1, SYS_write = 4, SYS_brk = 45, SYS_exit_group = 234 };

long write(int fd, const void* buf, size_t len);
__attribute__((noreturn)) void exit(int status);
void* sbrk_bytes(size_t n); /* grows the break; NULL when brk refuses */

void* malloc(size_t n);
void* calloc(size_t n, size_t size);
void free(void* p);

void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);
char* strcpy(char* dst, const char* src);
char* strchr(const char* s, int c);
long strtol_simple(const char* s); /* decimal, optional sign; no error reporting */

int printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char* fmt, va_list ap);
int snprintf(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap);
int puts(const char* s);
void fflush_stdout(void);

/* Self-check helper used by the programs: prints a FAIL line and counts it. */
extern int rt_failures;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                   \
      ++rt_failures;                                                           \
    }                                                                          \
  } while (0)


#endif
