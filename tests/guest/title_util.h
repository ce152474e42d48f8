/* What the self-checking titles share. Define TITLE (the title's name, a string literal) before
 * including it: every check prints "TITLE: what = got (want want) ok|FAIL", which the title's
 * python check reads, and counts failures for the title's exit code. */
#ifndef HEXAD_TITLE_UTIL_H
#define HEXAD_TITLE_UTIL_H
#include "hx/kernel.h"

#ifndef TITLE
#error "define TITLE before including title_util.h"
#endif

static int failures;

__attribute__((unused)) static void expect(const char* what, uint32_t got, uint32_t want) {
  DbgPrint(TITLE ": %s = %x (want %x) %s\n", what, got, want, got == want ? "ok" : "FAIL");
  failures += got != want;
}

__attribute__((unused)) static void sleep_ms(int ms) {
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(ms);
  KeDelayExecutionThread(UserMode, FALSE, &t);
}

/* A zero-timeout wait: STATUS_WAIT_0 if signaled (and taken), STATUS_TIMEOUT if not. */
__attribute__((unused)) static NTSTATUS poll(HANDLE h) {
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  return NtWaitForSingleObjectEx(h, UserMode, FALSE, &zero);
}

#endif
