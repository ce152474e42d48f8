/* kstrings: the kernel's sprintf family (sprintf, _snprintf, _scprintf, vsprintf, _vsnprintf,
 * _vscprintf) with the Microsoft CRT's semantics:
 *   - conversions, flags, widths, a 64-bit %lld, "(null)" for a NULL %s, arguments past r10 (the
 *     caller's stack) and a va_list whose arguments overflow the register save area;
 *   - _snprintf's three cases: the text fits (NUL written), exactly count bytes (no NUL, returns
 *     the length), longer (count bytes, no NUL, -1); count 0 writes nothing even at an unmapped
 *     buffer;
 *   - a NULL buffer or format returns -1 (xenia-canary's and the Microsoft CRT's validation);
 *   - hostile formats: unknown conversions and a dangling '%' are printed as written, a huge width
 *     is capped at 4096, extra arguments are ignored;
 *   - unmapped buffers, formats, %s strings and va_lists fault the calling thread (fault_cases.h). */
#define TITLE "kstrings"
#include "hx/libc.h"
#include "title_util.h"
#include "fault_cases.h"

static char buf[5000];

static void expect_text(const char* what, int got_len, int want_len, const char* want) {
  expect(what, got_len, want_len);
  expect("  the text", strcmp(buf, want), 0);
}

static int call_vsprintf(char* out, const char* format, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, format);
  int n = vsprintf(out, format, ap);
  __builtin_va_end(ap);
  return n;
}
static int call_vsnprintf(char* out, ULONG count, const char* format, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, format);
  int n = _vsnprintf(out, count, format, ap);
  __builtin_va_end(ap);
  return n;
}
static int call_vscprintf(const char* format, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, format);
  int n = _vscprintf(format, ap);
  __builtin_va_end(ap);
  return n;
}

static void formatting(void) {
  expect_text("sprintf conversions and flags", sprintf(buf, "%d %s %x|%5s|%-3c|%04u", -42, "abc", 0xBEEF, "ab", 'z', 7), 27,
              "-42 abc beef|   ab|z  |0007");
  expect_text("sprintf %lld (a register pair)", sprintf(buf, "%lld", -1234567890123ll), 14, "-1234567890123");
  expect_text("sprintf NULL %s", sprintf(buf, "[%s]", (const char*)0), 8, "[(null)]");
  expect_text("sprintf with arguments past r10 (the stack)",
              sprintf(buf, "%d%d%d%d%d%d%d%d%d%d", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 10, "0123456789");
  expect_text("sprintf ignores extra arguments", sprintf(buf, "%d", 1, 2, 3), 1, "1");
  expect_text("sprintf prints an unknown conversion and a dangling %% as written", sprintf(buf, "a%qb%"), 5, "a%qb%");
  expect("sprintf caps a huge width at 4096", (uint32_t)sprintf(buf, "%99999d", 1), 4096);
  expect("  and the text ends with the digit", buf[4095] == '1' && buf[4096] == 0, 1);
  expect("_scprintf counts without writing", (uint32_t)_scprintf("%d-%d", 12, 345), 6);
  expect("sprintf to a NULL buffer returns -1", (uint32_t)sprintf((char*)0, "x"), (uint32_t)-1);
  buf[0] = '#';
  expect("sprintf of a NULL format returns -1", (uint32_t)sprintf(buf, (const char*)0), (uint32_t)-1);
  expect("  and writes nothing", buf[0], '#');
  expect("_snprintf to a NULL buffer returns -1", (uint32_t)_snprintf((char*)0, 8, "x"), (uint32_t)-1);
  expect("_scprintf of a NULL format returns -1", (uint32_t)_scprintf((const char*)0), (uint32_t)-1);

  expect_text("vsprintf", call_vsprintf(buf, "%s=%d", "x", 5), 3, "x=5");
  expect_text("vsprintf past the register save area (the overflow area)",
              call_vsprintf(buf, "%d%d%d%d%d%d%d%d%d%d%d", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 12, "012345678910");
  expect_text("vsprintf %lld after six words (an aligned overflow slot)",
              call_vsprintf(buf, "%d%d%d%d%d%d|%lld", 1, 2, 3, 4, 5, 6, 0x123456789ll), 17, "123456|4886718345");
  expect("_vscprintf", (uint32_t)call_vscprintf("%05d", 42), 5);
}

static void counted(void) {
  memset(buf, '#', 16);
  expect_text("_snprintf that fits: text and NUL, the length", _snprintf(buf, 10, "%s", "hello"), 5, "hello");
  memset(buf, '#', 16);
  buf[15] = 0;
  expect("_snprintf of exactly count bytes returns the length", (uint32_t)_snprintf(buf, 5, "hello"), 5);
  expect("  and writes no NUL", buf[5], '#');
  expect("  the text", memcmp(buf, "hello", 5), 0);
  expect("_snprintf of a longer text returns -1", (uint32_t)_snprintf(buf, 3, "%d", 98765), (uint32_t)-1);
  expect("  writes count bytes, no NUL", memcmp(buf, "987lo#", 6), 0);
  expect("_snprintf with count 0 writes nothing (an unmapped buffer is not touched)",
         (uint32_t)_snprintf((char*)BAD, 0, "abc"), (uint32_t)-1);
  expect("_snprintf of an empty text with count 0 returns 0", (uint32_t)_snprintf((char*)BAD, 0, ""), 0);
  memset(buf, '#', 16);
  expect("_vsnprintf of a longer text returns -1", (uint32_t)call_vsnprintf(buf, 4, "%s", "abcdef"), (uint32_t)-1);
  expect("  writes count bytes, no NUL", memcmp(buf, "abcd#", 5), 0);
  expect_text("_vsnprintf that fits", call_vsnprintf(buf, 100, "%x", 255), 2, "ff");
}

static void c_unmapped_buffer(void) { sprintf((char*)BAD, "x"); }
static void c_unmapped_string(void) { sprintf(buf, "%s", (const char*)BAD); }
static void c_unmapped_format(void) { sprintf(buf, (const char*)BAD); }
static void c_snprintf_buffer(void) { _snprintf((char*)BAD_HIGH, 4, "hello"); }
static void c_vsprintf_list(void) {
  __builtin_va_list* bad = (__builtin_va_list*)BAD_HIGH;
  vsprintf(buf, "%d", *bad);
}

static const FaultCase kCases[] = {
    {"sprintf unmapped buffer", c_unmapped_buffer, BAD, "write"},
    {"sprintf %s of an unmapped string", c_unmapped_string, BAD, "read"},
    {"sprintf unmapped format", c_unmapped_format, BAD, "read"},
    {"_snprintf unmapped buffer", c_snprintf_buffer, BAD_HIGH, "write"},
    {"vsprintf unmapped va_list", c_vsprintf_list, BAD_HIGH, "read"},
};

int main(void) {
  formatting();
  counted();
  run_fault_cases(kCases, sizeof kCases / sizeof kCases[0]);
  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
