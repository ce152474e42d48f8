/* hexad guest SDK: the few C library functions the SDK provides (sdk/src/libc.c). The compiler
 * may also emit calls to memcpy/memset/memmove/memcmp on its own, so these are always linked. */
#ifndef HX_LIBC_H
#define HX_LIBC_H

#include "hx/types.h"

void* memset(void* dst, int value, size_t n);
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
char* strcpy(char* dst, const char* src);

#endif
