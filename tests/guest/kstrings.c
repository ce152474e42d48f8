/* kstrings: the kernel's sprintf family (sprintf, _snprintf, _scprintf, vsprintf, _vsnprintf,
 * _vscprintf) and its wide forms (swprintf, _snwprintf, _scwprintf, vswprintf, _vsnwprintf,
 * _vscwprintf) with the Microsoft CRT's semantics:
 *   - conversions, flags, widths, a 64-bit %lld, "(null)" for a NULL %s, arguments past r10 (the
 *     caller's stack) and a va_list whose arguments overflow the register save area;
 *   - _snprintf's three cases: the text fits (NUL written), exactly count bytes (no NUL, returns
 *     the length), longer (count bytes, no NUL, -1); count 0 writes nothing even at an unmapped
 *     buffer;
 *   - a NULL buffer or format returns -1 (xenia-canary's and the Microsoft CRT's validation);
 *   - hostile formats: unknown conversions and a dangling '%' are printed as written, a huge width
 *     is capped at 4096, extra arguments are ignored;
 *   - the wide forms: u"" formats and text (16-bit big-endian units), counts in units; %s %ls %ws
 *     %c %lc %wc take wide arguments, %S %hs %C %hc narrow ones (bytes widened, wide units copied
 *     as they are); the same three count cases, NULL cases and faults;
 *   - wide arguments of the narrow forms: %S %ls %ws a wide string, %C %lc %wc a wide character
 *     (%s %hs %c %hc narrow); a unit 0x00..0xFF is the byte of that value, any other fails the call
 *     (-1, only a NUL written, later arguments unread; DbgPrint prints nothing); width, precision,
 *     NULL, the count cases and an unmapped wide string (a fault);
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

static void narrow_wide_arguments(void) {
  expect_text("sprintf: %S %ls %ws %lS wide, %s %hs narrow",
              sprintf(buf, "%S|%ls|%ws|%lS|%s|%hs", u"wide", u"ls", u"ws", u"lS", "n", "hs"), 18,
              "wide|ls|ws|lS|n|hs");
  expect_text("sprintf: a wide unit up to 0xFF is that byte", sprintf(buf, "[%S]", u"caf\u00E9\u00FF"), 7,
              "[caf\xE9\xFF]");
  expect_text("sprintf: %C %lc %wc wide, %c %hc narrow", sprintf(buf, "[%C%lc%wc%c%hc]", 0xE9, 'l', 'w', 'c', 'h'), 7,
              "[\xE9lwch]");
  expect_text("sprintf: width and precision on wide arguments",
              sprintf(buf, "[%6S][%-4ls][%.2S][%*.*ws][%3C]", u"abc", u"ab", u"xyz", 4, 1, u"qr", 'x'), 29,
              "[   abc][ab  ][xy][   q][  x]");
  expect_text("sprintf: a NULL wide string", sprintf(buf, "[%S|%ls]", (const uint16_t*)0, (const uint16_t*)0), 15,
              "[(null)|(null)]");
  expect_text("sprintf: units past the precision are not converted", sprintf(buf, "[%.2S]", u"ok\u65E5"), 4, "[ok]");
  memset(buf, '#', 16);
  expect("sprintf of a wide unit above 0xFF returns -1", (uint32_t)sprintf(buf, "ab%S", u"x\u65E5"), (uint32_t)-1);
  expect("  and writes only a NUL", buf[0] == 0 && buf[1] == '#', 1);
  memset(buf, '#', 16);
  expect("sprintf of a wide character above 0xFF returns -1", (uint32_t)sprintf(buf, "%C", 0x263A), (uint32_t)-1);
  expect("  and writes only a NUL", buf[0] == 0 && buf[1] == '#', 1);
  expect("sprintf stops at the failure: a later unmapped %s is not read",
         (uint32_t)sprintf(buf, "%lc%s", 0x100, (const char*)BAD), (uint32_t)-1);
  /* The CRT reads a string argument no further than its precision: with 0, not at all. */
  expect_text("sprintf %.0s of an unmapped string reads nothing", sprintf(buf, "[%.0s]", (const char*)BAD), 2, "[]");
  expect_text("sprintf %.0S of an unmapped wide string reads nothing", sprintf(buf, "[%.0S]", (const uint16_t*)BAD), 2,
              "[]");

  expect_text("_snprintf %ls that fits", _snprintf(buf, 10, "%ls", u"hello"), 5, "hello");
  memset(buf, '#', 16);
  expect("_snprintf %S of a longer text returns -1", (uint32_t)_snprintf(buf, 3, "%S", u"hello"), (uint32_t)-1);
  expect("  writes count bytes, no NUL", memcmp(buf, "hel#", 4), 0);
  memset(buf, '#', 16);
  expect("_snprintf of a wide unit above 0xFF returns -1", (uint32_t)_snprintf(buf, 8, "%ws", u"\u0100"),
         (uint32_t)-1);
  expect("  and writes only a NUL", buf[0] == 0 && buf[1] == '#', 1);
  expect("_snprintf failing with count 0 writes nothing (an unmapped buffer is not touched)",
         (uint32_t)_snprintf((char*)BAD, 0, "%S", u"\u65E5"), (uint32_t)-1);
  expect("_scprintf counts a wide argument's bytes", (uint32_t)_scprintf("%S%C", u"ab", 0xE9), 3);
  expect("_scprintf of a wide unit above 0xFF returns -1", (uint32_t)_scprintf("%S", u"\u65E5"), (uint32_t)-1);

  expect_text("vsprintf %S", call_vsprintf(buf, "%S=%d", u"v", 5), 3, "v=5");
  memset(buf, '#', 16);
  expect("vsprintf of a wide unit above 0xFF returns -1", (uint32_t)call_vsprintf(buf, "%S", u"\u263A"),
         (uint32_t)-1);
  expect("  and writes only a NUL", buf[0] == 0 && buf[1] == '#', 1);
  memset(buf, '#', 16);
  expect("_vsnprintf %ls of a longer text returns -1", (uint32_t)call_vsnprintf(buf, 2, "%ls", u"abc"), (uint32_t)-1);
  expect("  writes count bytes, no NUL", memcmp(buf, "ab#", 3), 0);
  expect("_vscprintf of a wide unit above 0xFF returns -1", (uint32_t)call_vscprintf("%lc", 0x4E2D), (uint32_t)-1);
  expect("_vscprintf of a Latin-1 wide character", (uint32_t)call_vscprintf("%lc", 0xFC), 1);

  DbgPrint(TITLE ": DbgPrint %S and %C\n", u"wide \u00FCber", 0xE9);
  DbgPrint(TITLE ": this line is not printed: %S\n", u"\u65E5");
}

static uint16_t wbuf[64];

static uint32_t wlen(const uint16_t* s) {
  uint32_t n = 0;
  while (s[n]) ++n;
  return n;
}
static int wsame(const uint16_t* a, const uint16_t* b, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return 0;
  return 1;
}
static void fill_wbuf(void) {
  for (uint32_t i = 0; i < 64; ++i) wbuf[i] = 0x2323; /* '##' */
}
/* The wide text and its NUL, and the returned length. */
static void expect_wtext(const char* what, int got_len, const uint16_t* want) {
  expect(what, (uint32_t)got_len, wlen(want));
  expect("  the wide text and its NUL", wsame(wbuf, want, wlen(want) + 1), 1);
}

static int call_vswprintf(uint16_t* out, const uint16_t* format, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, format);
  int n = vswprintf(out, format, ap);
  __builtin_va_end(ap);
  return n;
}
static int call_vsnwprintf(uint16_t* out, ULONG count, const uint16_t* format, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, format);
  int n = _vsnwprintf(out, count, format, ap);
  __builtin_va_end(ap);
  return n;
}
static int call_vscwprintf(const uint16_t* format, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, format);
  int n = _vscwprintf(format, ap);
  __builtin_va_end(ap);
  return n;
}

static void wide_formatting(void) {
  expect_wtext("swprintf: %s %ls %ws wide, %S %hs narrow",
               swprintf(wbuf, u"%s|%ls|%ws|%S|%hs|%5s|%-4S|%.2s", u"w\u65E5", u"ls", u"ws", "caf\xE9", "hs", u"ab", "n",
                        u"xyz"),
               u"w\u65E5|ls|ws|caf\u00E9|hs|   ab|n   |xy");
  expect_wtext("swprintf: %c %lc %wc wide, %C %hc narrow (the low byte)",
               swprintf(wbuf, u"[%c%lc%wc][%C%hc][%3c]", 0x263A, 0x4E2D, 'w', 0x1E9, 'h', 'x'),
               u"[\u263A\u4E2Dw][\u00E9h][  x]");
  expect_wtext("swprintf numbers, flags, %lld (a register pair), %p and a non-ASCII literal",
               swprintf(wbuf, u"%d %x|%04u|%lld|%p|\u00FC%%", -42, 0xBEEF, 7, -1234567890123ll, 0x8200ABC),
               u"-42 beef|0007|-1234567890123|08200ABC|\u00FC%");
  expect_wtext("swprintf NULL %s and %S", swprintf(wbuf, u"[%s|%S]", (const uint16_t*)0, (const char*)0),
               u"[(null)|(null)]");
  expect_wtext("swprintf with arguments past r10 (the stack)",
               swprintf(wbuf, u"%d%d%d%d%d%d%d%d%d%s", 0, 1, 2, 3, 4, 5, 6, 7, 8, u"9"), u"0123456789");
  expect_wtext("swprintf prints an unknown conversion and a dangling %% as written", swprintf(wbuf, u"a%qb%"),
               u"a%qb%");
  expect("_scwprintf counts wide characters", (uint32_t)_scwprintf(u"%s-%d", u"\u65E5\u672C", 345), 6);
  expect("swprintf to a NULL buffer returns -1", (uint32_t)swprintf((uint16_t*)0, u"x"), (uint32_t)-1);
  fill_wbuf();
  expect("swprintf of a NULL format returns -1", (uint32_t)swprintf(wbuf, (const uint16_t*)0), (uint32_t)-1);
  expect("  and writes nothing", wbuf[0], 0x2323);
  expect("_snwprintf to a NULL buffer returns -1", (uint32_t)_snwprintf((uint16_t*)0, 8, u"x"), (uint32_t)-1);
  expect("_snwprintf of a NULL format returns -1", (uint32_t)_snwprintf(wbuf, 8, (const uint16_t*)0), (uint32_t)-1);
  expect("_scwprintf of a NULL format returns -1", (uint32_t)_scwprintf((const uint16_t*)0), (uint32_t)-1);
  expect("vswprintf to a NULL buffer returns -1", (uint32_t)call_vswprintf((uint16_t*)0, u"x"), (uint32_t)-1);
  expect("_vsnwprintf of a NULL format returns -1", (uint32_t)call_vsnwprintf(wbuf, 8, (const uint16_t*)0),
         (uint32_t)-1);
  expect("_vscwprintf of a NULL format returns -1", (uint32_t)call_vscwprintf((const uint16_t*)0), (uint32_t)-1);
  expect("  and none wrote", wbuf[0], 0x2323);

  expect_wtext("vswprintf", call_vswprintf(wbuf, u"%s=%d %S", u"\u263A", 5, "n"), u"\u263A=5 n");
  expect_wtext("vswprintf past the register save area (the overflow area)",
               call_vswprintf(wbuf, u"%d%d%d%d%d%d%d%d%d%d%s", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, u"10"), u"012345678910");
  expect("_vscwprintf", (uint32_t)call_vscwprintf(u"%05d%c", 42, 0x263A), 6);
}

static void wide_counted(void) {
  fill_wbuf();
  expect_wtext("_snwprintf that fits: text and NUL, the length in units", _snwprintf(wbuf, 10, u"%s", u"h\u00E9llo"),
               u"h\u00E9llo");
  expect("  and nothing after the NUL", wbuf[6], 0x2323);
  fill_wbuf();
  expect("_snwprintf of exactly count units returns the length", (uint32_t)_snwprintf(wbuf, 5, u"hello"), 5);
  expect("  the text", wsame(wbuf, u"hello", 5), 1);
  expect("  and writes no NUL", wbuf[5], 0x2323);
  expect("_snwprintf of a longer text returns -1", (uint32_t)_snwprintf(wbuf, 3, u"%d", 98765), (uint32_t)-1);
  expect("  writes count units, no NUL", wsame(wbuf, u"987lo\x2323", 6), 1);
  expect("_snwprintf with count 0 writes nothing (an unmapped buffer is not touched)",
         (uint32_t)_snwprintf((uint16_t*)BAD, 0, u"abc"), (uint32_t)-1);
  expect("_snwprintf of an empty text with count 0 returns 0", (uint32_t)_snwprintf((uint16_t*)BAD, 0, u""), 0);
  fill_wbuf();
  expect("_vsnwprintf of a longer text returns -1", (uint32_t)call_vsnwprintf(wbuf, 4, u"%S", "abcdef"),
         (uint32_t)-1);
  expect("  writes count units, no NUL", wsame(wbuf, u"abcd\x2323", 5), 1);
  expect_wtext("_vsnwprintf that fits", call_vsnwprintf(wbuf, 100, u"%x%c", 255, 0x263A), u"ff\u263A");
}

static void c_unmapped_buffer(void) { sprintf((char*)BAD, "x"); }
static void c_unmapped_string(void) { sprintf(buf, "%s", (const char*)BAD); }
static void c_unmapped_format(void) { sprintf(buf, (const char*)BAD); }
static void c_snprintf_buffer(void) { _snprintf((char*)BAD_HIGH, 4, "hello"); }
static void c_sprintf_wide_string(void) { sprintf(buf, "%S", (const uint16_t*)BAD); }
static void c_snprintf_wide_string(void) { _snprintf(buf, 8, "%ls", (const uint16_t*)BAD_HIGH); }
static void c_vsprintf_list(void) {
  __builtin_va_list* bad = (__builtin_va_list*)BAD_HIGH;
  vsprintf(buf, "%d", *bad);
}

static void c_swprintf_buffer(void) { swprintf((uint16_t*)BAD, u"x"); }
static void c_swprintf_string(void) { swprintf(wbuf, u"%s", (const uint16_t*)BAD); }
static void c_swprintf_format(void) { swprintf(wbuf, (const uint16_t*)BAD); }
static void c_snwprintf_buffer(void) { _snwprintf((uint16_t*)BAD_HIGH, 4, u"hello"); }
static void c_scwprintf_narrow_string(void) { _scwprintf(u"%S", (const char*)BAD_HIGH); }
static void c_vswprintf_list(void) {
  __builtin_va_list* bad = (__builtin_va_list*)BAD_HIGH;
  vswprintf(wbuf, u"%d", *bad);
}

static const FaultCase kCases[] = {
    {"sprintf unmapped buffer", c_unmapped_buffer, BAD, "write"},
    {"sprintf %s of an unmapped string", c_unmapped_string, BAD, "read"},
    {"sprintf unmapped format", c_unmapped_format, BAD, "read"},
    {"_snprintf unmapped buffer", c_snprintf_buffer, BAD_HIGH, "write"},
    {"vsprintf unmapped va_list", c_vsprintf_list, BAD_HIGH, "read"},
    {"sprintf %S of an unmapped wide string", c_sprintf_wide_string, BAD, "read"},
    {"_snprintf %ls of an unmapped wide string", c_snprintf_wide_string, BAD_HIGH, "read"},
    {"swprintf unmapped buffer", c_swprintf_buffer, BAD, "write"},
    {"swprintf %s of an unmapped wide string", c_swprintf_string, BAD, "read"},
    {"swprintf unmapped format", c_swprintf_format, BAD, "read"},
    {"_snwprintf unmapped buffer", c_snwprintf_buffer, BAD_HIGH, "write"},
    {"_scwprintf %S of an unmapped narrow string", c_scwprintf_narrow_string, BAD_HIGH, "read"},
    {"vswprintf unmapped va_list", c_vswprintf_list, BAD_HIGH, "read"},
};

int main(void) {
  formatting();
  counted();
  narrow_wide_arguments();
  wide_formatting();
  wide_counted();
  run_fault_cases(kCases, sizeof kCases / sizeof kCases[0]);
  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
