/* rtl: the Rtl and system exports a title's runtime calls, each against a value computed by hand
 * (NT and console semantics, README "Rtl, system and crypto exports"):
 *   - counted strings: RtlInitAnsiString/RtlInitUnicodeString lengths (NULL source: empty),
 *     RtlCompareString(N) (case folding, length tie-break, 0xFFFFFFFF = up to the NUL),
 *     RtlCopyString (truncated to the destination's MaximumLength), RtlUpperChar/RtlLowerChar;
 *   - Latin-1 conversions: RtlMultiByteToUnicodeN / RtlUnicodeToMultiByteN (counts, '?' above
 *     0xFF), RtlUnicodeStringToAnsiString into a buffer (terminated; too short: truncated with
 *     STATUS_BUFFER_OVERFLOW) and allocated (then RtlFreeAnsiString), RtlCopyUnicodeString;
 *   - memory: RtlCompareMemory counts the leading equal bytes only, RtlCompareMemoryUlong whole
 *     ULONGs, RtlFillMemoryUlong writes length / 4 words and nothing after them;
 *   - RtlComputeCrc32: the CRC-32 check value of "123456789", and continuing from a seed;
 *   - time fields both ways: 1601-01-01 (a Monday), the boot time 2005-11-22 (a Tuesday), a leap
 *     day round trip, every out-of-range field rejected without writing the time;
 *   - KeQueryInterruptTime advances with guest time; RtlGetStackLimits brackets a local variable;
 *   - HalGetCurrentAVPack, ExGetXConfigSetting's settings and its error statuses;
 *   - KeSaveFloatingPointState / KeRestoreFloatingPointState: f31 set, saved, overwritten,
 *     restored (the saved value is back); KeEnableFpuExceptions toggles the thread's byte
 *     (the dump's "fpu_exceptions", checked by krtl_checks.py) and returns;
 *   - DbgBreakPoint and RtlRip return (no debugger), RtlRaiseException with the SetThreadName
 *     code returns. */
#define TITLE "rtl"
#include "hx/libc.h"
#include "title_util.h"

static void expect_time_fields(const char* what, const TIME_FIELDS* t, int y, int mo, int d, int h, int mi, int s,
                               int ms, int wd) {
  expect(what, t->Year == y && t->Month == mo && t->Day == d && t->Hour == h && t->Minute == mi && t->Second == s &&
                   t->Milliseconds == ms && t->Weekday == wd,
         1);
}

static void strings(void) {
  ANSI_STRING a, b;
  UNICODE_STRING u;
  static const uint16_t wide[] = {'h', 'e', 'x', 0};
  char buffer[8];

  memset(&a, 0x55, sizeof a);
  RtlInitAnsiString(&a, "Hello");
  expect("RtlInitAnsiString Length", a.Length, 5);
  expect("RtlInitAnsiString MaximumLength", a.MaximumLength, 6);
  RtlInitAnsiString(&b, NULL);
  expect("RtlInitAnsiString(NULL) is empty", b.Length == 0 && b.MaximumLength == 0 && b.Buffer == NULL, 1);
  RtlInitUnicodeString(&u, wide);
  expect("RtlInitUnicodeString Length (bytes)", u.Length, 6);
  expect("RtlInitUnicodeString MaximumLength", u.MaximumLength, 8);
  expect("RtlInitUnicodeString Buffer", (uint32_t)u.Buffer, (uint32_t)wide);

  RtlInitAnsiString(&b, "hello");
  expect("RtlCompareString case-sensitive: 'H' - 'h'", (uint32_t)RtlCompareString(&a, &b, FALSE), (uint32_t)('H' - 'h'));
  expect("RtlCompareString case-insensitive", (uint32_t)RtlCompareString(&a, &b, TRUE), 0);
  RtlInitAnsiString(&b, "Hell");
  expect("RtlCompareString equal prefix: length difference", (uint32_t)RtlCompareString(&a, &b, FALSE), 1);
  expect("RtlCompareStringN up to the NUL", (uint32_t)RtlCompareStringN("abc", 0xFFFFFFFF, "ABC", 0xFFFFFFFF, 1), 0);
  expect("RtlCompareStringN counted", (uint32_t)RtlCompareStringN("abcX", 3, "abcY", 3, 0), 0);
  expect("RtlCompareStringN first difference", (uint32_t)RtlCompareStringN("abd", 3, "abc", 3, 0), 1);

  b.Buffer = buffer;
  b.MaximumLength = 3;
  b.Length = 0;
  memset(buffer, '#', sizeof buffer);
  RtlCopyString(&b, &a);
  expect("RtlCopyString truncates to MaximumLength", b.Length, 3);
  expect("RtlCopyString copied 'Hel', nothing after", memcmp(buffer, "Hel#", 4), 0);
  RtlCopyString(&b, NULL);
  expect("RtlCopyString(NULL source) empties", b.Length, 0);

  expect("RtlUpperChar('a')", (uint8_t)RtlUpperChar('a'), 'A');
  expect("RtlUpperChar(0xE9) (Latin-1 e acute)", (uint8_t)RtlUpperChar((char)0xE9), 0xC9);
  expect("RtlUpperChar(0xF7) (division sign) unchanged", (uint8_t)RtlUpperChar((char)0xF7), 0xF7);
  expect("RtlLowerChar('Q')", (uint8_t)RtlLowerChar('Q'), 'q');
  expect("RtlLowerChar('1') unchanged", (uint8_t)RtlLowerChar('1'), '1');
}

static void conversions(void) {
  static const uint16_t wide[] = {'A', 0xE9, 0x263A, 'z', 0};
  uint16_t widened[4];
  char narrowed[8], small[3];
  ULONG written = 0;
  UNICODE_STRING u, copy;
  ANSI_STRING a;
  uint16_t copy_buffer[3];

  memset(widened, 0, sizeof widened);
  expect("RtlMultiByteToUnicodeN", (uint32_t)RtlMultiByteToUnicodeN(widened, 6, &written, "hi\xE9!", 4), STATUS_SUCCESS);
  expect("  3 characters fit 6 bytes: written 6", written, 6);
  expect("  widened", widened[0] == 'h' && widened[1] == 'i' && widened[2] == 0xE9 && widened[3] == 0, 1);
  memset(narrowed, '#', sizeof narrowed);
  expect("RtlUnicodeToMultiByteN", (uint32_t)RtlUnicodeToMultiByteN(narrowed, 8, &written, wide, 8), STATUS_SUCCESS);
  expect("  4 characters, written 4", written, 4);
  expect("  0x263A narrows to '?'", memcmp(narrowed, "A\xE9?z#", 5), 0);

  RtlInitUnicodeString(&u, wide);
  a.Buffer = narrowed, a.MaximumLength = 8, a.Length = 0;
  memset(narrowed, '#', sizeof narrowed);
  expect("RtlUnicodeStringToAnsiString into a buffer", (uint32_t)RtlUnicodeStringToAnsiString(&a, &u, FALSE),
         STATUS_SUCCESS);
  expect("  Length 4, terminated", a.Length == 4 && memcmp(narrowed, "A\xE9?z", 5) == 0, 1);
  a.Buffer = small, a.MaximumLength = 3;
  expect("RtlUnicodeStringToAnsiString into a short buffer", (uint32_t)RtlUnicodeStringToAnsiString(&a, &u, FALSE),
         STATUS_BUFFER_OVERFLOW);
  expect("  truncated to MaximumLength - 1, terminated", a.Length == 2 && memcmp(small, "A\xE9", 3) == 0, 1);
  a.MaximumLength = 0;
  expect("RtlUnicodeStringToAnsiString with MaximumLength 0", (uint32_t)RtlUnicodeStringToAnsiString(&a, &u, FALSE),
         STATUS_BUFFER_OVERFLOW);
  expect("RtlUnicodeStringToAnsiString allocating", (uint32_t)RtlUnicodeStringToAnsiString(&a, &u, TRUE),
         STATUS_SUCCESS);
  expect("  Length 4, MaximumLength 5, the text", a.Length == 4 && a.MaximumLength == 5 && memcmp(a.Buffer, "A\xE9?z", 5) == 0,
         1);
  RtlFreeAnsiString(&a);
  expect("RtlFreeAnsiString empties the string", a.Length == 0 && a.MaximumLength == 0 && a.Buffer == NULL, 1);

  copy.Buffer = copy_buffer, copy.MaximumLength = 6, copy.Length = 0;
  memset(copy_buffer, 0x77, sizeof copy_buffer);
  RtlCopyUnicodeString(&copy, &u);
  expect("RtlCopyUnicodeString: 3 characters fit, no room for the terminator",
         copy.Length == 6 && copy_buffer[0] == 'A' && copy_buffer[2] == 0x263A, 1);
  copy.MaximumLength = 4;
  memset(copy_buffer, 0x77, sizeof copy_buffer);
  RtlCopyUnicodeString(&copy, &u);
  expect("RtlCopyUnicodeString: MaximumLength 4 holds 2 characters", copy.Length == 4 && copy_buffer[2] == 0x7777, 1);
  copy.MaximumLength = 6;
  u.Length = 2;
  RtlCopyUnicodeString(&copy, &u);
  expect("RtlCopyUnicodeString terminates when it fits", copy.Length == 2 && copy_buffer[1] == 0, 1);
}

static void memory(void) {
  static const uint8_t x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  static const uint8_t y[8] = {1, 2, 3, 9, 5, 6, 7, 8};
  uint32_t words[4] = {0, 0, 0, 0x11111111};

  expect("RtlCompareMemory leading equal bytes", RtlCompareMemory(x, y, 8), 3);
  expect("RtlCompareMemory all equal", RtlCompareMemory(x, x, 8), 8);
  expect("RtlCompareMemory length 0", RtlCompareMemory(x, y, 0), 0);
  RtlFillMemoryUlong(words, 11, 0xCAFEF00D); /* 11 / 4 = 2 words */
  expect("RtlFillMemoryUlong word 0", words[0], 0xCAFEF00D);
  expect("RtlFillMemoryUlong word 1", words[1], 0xCAFEF00D);
  expect("RtlFillMemoryUlong stops at length / 4", words[2], 0);
  expect("RtlCompareMemoryUlong two matching words of 11 bytes", RtlCompareMemoryUlong(words, 11, 0xCAFEF00D), 8);
  expect("RtlCompareMemoryUlong stops at the first other word", RtlCompareMemoryUlong(words, 16, 0xCAFEF00D), 8);
  expect("RtlCompareMemoryUlong length 3: no whole word", RtlCompareMemoryUlong(words, 3, 0xCAFEF00D), 0);

  expect("RtlComputeCrc32 of 123456789 (check value)", RtlComputeCrc32(0, "123456789", 9), 0xCBF43926);
  expect("RtlComputeCrc32 continues from a seed", RtlComputeCrc32(RtlComputeCrc32(0, "1234", 4), "56789", 5),
         0xCBF43926);
  expect("RtlComputeCrc32 of nothing is the seed", RtlComputeCrc32(0x12345678, x, 0), 0x12345678);
}

static void time_fields(void) {
  LARGE_INTEGER t, back;
  TIME_FIELDS f;

  t.QuadPart = 0;
  RtlTimeToTimeFields(&t, &f);
  expect_time_fields("time 0 is 1601-01-01 00:00:00.000, a Monday", &f, 1601, 1, 1, 0, 0, 0, 0, 1);
  t.QuadPart = 127770912000000000LL; /* the boot time */
  RtlTimeToTimeFields(&t, &f);
  expect_time_fields("the boot time is 2005-11-22 00:00, a Tuesday", &f, 2005, 11, 22, 0, 0, 0, 0, 2);

  t.QuadPart = -1; /* the largest unsigned time: NT divides it as unsigned */
  RtlTimeToTimeFields(&t, &f);
  expect_time_fields("time 0xFFFFFFFFFFFFFFFF is 60056-05-28 05:36:10.955, a Sunday", &f, 60056, 5, 28, 5, 36, 10, 955,
                     0);

  f.Year = 2004, f.Month = 2, f.Day = 29, f.Hour = 12, f.Minute = 34, f.Second = 56, f.Milliseconds = 789;
  f.Weekday = 6;
  expect("RtlTimeFieldsToTime 2004-02-29", RtlTimeFieldsToTime(&f, &t), TRUE);
  RtlTimeToTimeFields(&t, &f);
  expect_time_fields("and back (a Sunday)", &f, 2004, 2, 29, 12, 34, 56, 789, 0);
  KeQuerySystemTime(&t);
  RtlTimeToTimeFields(&t, &f);
  expect("RtlTimeFieldsToTime round-trips the system time to the millisecond",
         RtlTimeFieldsToTime(&f, &back) && back.QuadPart == t.QuadPart - t.QuadPart % 10000, 1);

  static const struct {
    const char* what;
    uint16_t year, month, day, hour, minute, second, ms;
  } bad[] = {
      {"2005-02-29 (not a leap year)", 2005, 2, 29, 0, 0, 0, 0}, {"month 13", 2005, 13, 1, 0, 0, 0, 0},
      {"month 0", 2005, 0, 1, 0, 0, 0, 0},                       {"year 1600", 1600, 1, 1, 0, 0, 0, 0},
      {"day 0", 2005, 1, 0, 0, 0, 0, 0},                         {"April 31", 2005, 4, 31, 0, 0, 0, 0},
      {"hour 24", 2005, 1, 1, 24, 0, 0, 0},                      {"minute 60", 2005, 1, 1, 0, 60, 0, 0},
      {"second 60", 2005, 1, 1, 0, 0, 60, 0},                    {"millisecond 1000", 2005, 1, 1, 0, 0, 0, 1000},
  };
  for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    f.Year = bad[i].year, f.Month = bad[i].month, f.Day = bad[i].day, f.Hour = bad[i].hour;
    f.Minute = bad[i].minute, f.Second = bad[i].second, f.Milliseconds = bad[i].ms;
    t.QuadPart = 77;
    DbgPrint("rtl: RtlTimeFieldsToTime rejects %s\n", bad[i].what);
    expect("  FALSE, time untouched", RtlTimeFieldsToTime(&f, &t) == FALSE && t.QuadPart == 77, 1);
  }
}

static void system_queries(void) {
  ULONG low = 0, high = 0;
  uint32_t local = 0;
  uint8_t buffer[8];
  USHORT size = 0xBEEF;

  unsigned long long before = KeQueryInterruptTime();
  sleep_ms(2);
  unsigned long long after = KeQueryInterruptTime();
  expect("KeQueryInterruptTime advances at least 2 ms (100 ns units)", after - before >= 20000, 1);
  expect("KeQueryInterruptTime is not more than the run's guest time", after < 10000000ull, 1);

  RtlGetStackLimits(&low, &high);
  expect("RtlGetStackLimits: low < a local < high", low < (uint32_t)&local && (uint32_t)&local < high, 1);
  expect("HalGetCurrentAVPack (VGA)", HalGetCurrentAVPack(), 6);

  memset(buffer, 0, sizeof buffer);
  expect("ExGetXConfigSetting(user, language)", (uint32_t)ExGetXConfigSetting(3, 9, buffer, 4, &size), STATUS_SUCCESS);
  expect("  language 1 (English), size 4", buffer[3] == 1 && size == 4, 1);
  expect("ExGetXConfigSetting(user, country)", (uint32_t)ExGetXConfigSetting(3, 0x0E, buffer, 8, &size),
         STATUS_SUCCESS);
  expect("  country 103 (US), size 1", buffer[0] == 103 && size == 1, 1);
  expect("ExGetXConfigSetting(secured, AV region)", (uint32_t)ExGetXConfigSetting(2, 2, buffer, 4, NULL),
         STATUS_SUCCESS);
  expect("  NTSC-M 0x00400100", buffer[0] == 0 && buffer[1] == 0x40 && buffer[2] == 1 && buffer[3] == 0, 1);
  expect("ExGetXConfigSetting size query (NULL buffer, size 0)", (uint32_t)ExGetXConfigSetting(3, 0x0B, NULL, 0, &size),
         STATUS_SUCCESS);
  expect("  audio flags need 4 bytes", size, 4);
  expect("ExGetXConfigSetting unknown category", (uint32_t)ExGetXConfigSetting(0x55, 1, buffer, 4, &size),
         STATUS_INVALID_PARAMETER_1);
  expect("  required size 0 on an error", size, 0);
  expect("ExGetXConfigSetting unknown setting", (uint32_t)ExGetXConfigSetting(3, 0x77, buffer, 4, &size),
         STATUS_INVALID_PARAMETER_2);
  expect("ExGetXConfigSetting NULL buffer with a size", (uint32_t)ExGetXConfigSetting(3, 9, NULL, 4, &size),
         STATUS_INVALID_PARAMETER_3);
  memset(buffer, 0xAB, sizeof buffer);
  expect("ExGetXConfigSetting buffer too small", (uint32_t)ExGetXConfigSetting(3, 9, buffer, 3, &size),
         STATUS_BUFFER_TOO_SMALL);
  expect("  nothing written", buffer[0] == 0xAB && buffer[3] == 0xAB, 1);

  DbgBreakPoint();
  RtlRip("rtl", "an assertion report");
  EXCEPTION_RECORD thread_name;
  memset(&thread_name, 0, sizeof thread_name);
  thread_name.ExceptionCode = 0x406D1388;
  RtlRaiseException(&thread_name);
  expect("DbgBreakPoint, RtlRip and the SetThreadName exception returned", 1, 1);
}

/* f31 = before; KeSaveFloatingPointState; f31 = clobber; KeRestoreFloatingPointState; -> f31.
 * One asm block around both calls. Titles build soft-float, so the compiler uses no FPR (none
 * can be named as clobbered) and f31 is the test's alone; values are IEEE bit patterns; the nonvolatile GPRs that carry the
 * operands over the calls are declared clobbered. */
static uint64_t save_clobber_restore(uint64_t before, uint64_t clobber) {
  uint64_t values[2] = {before, clobber}, after = 0;
  __asm__ volatile(
      "mr 14, %[values]\n\t"
      "mr 15, %[restore]\n\t"
      "lfd 31, 0(14)\n\t"
      "mtctr %[save]\n\t"
      "bctrl\n\t"
      "lfd 31, 8(14)\n\t"
      "mtctr 15\n\t"
      "bctrl\n\t"
      "stfd 31, 0(14)\n\t"
      :
      : [values] "r"(values), [save] "r"(&KeSaveFloatingPointState), [restore] "r"(&KeRestoreFloatingPointState)
      : "r0", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "r14", "r15", "ctr", "lr", "cr0", "cr1",
        "cr5", "cr6", "cr7", "xer", "memory");
  after = values[0];
  return after;
}

static void floating_point(void) {
  /* IEEE-754 bit patterns (titles are soft-float: no double arithmetic): 2.5 over -7.0, then
   * 0.125 over 1e300. */
  expect("KeSave/RestoreFloatingPointState brings f31 back (2.5 over -7.0)",
         save_clobber_restore(0x4004000000000000ull, 0xC01C000000000000ull) == 0x4004000000000000ull, 1);
  expect("  and again (0.125 over 1e300)",
         save_clobber_restore(0x3FC0000000000000ull, 0x7E37E43C8800759Cull) == 0x3FC0000000000000ull, 1);
  KeEnableFpuExceptions(1);
  KeEnableFpuExceptions(0);
  KeEnableFpuExceptions(0xFFFFFFFF); /* any nonzero value enables: the dump shows the byte set */
  expect("KeEnableFpuExceptions returned", 1, 1);
}

int main(void) {
  strings();
  floating_point();
  conversions();
  memory();
  time_fields();
  system_queries();
  DbgPrint("rtl: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
