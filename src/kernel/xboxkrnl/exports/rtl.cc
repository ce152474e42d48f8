// Rtl exports: counted strings (ANSI_STRING / UNICODE_STRING), memory compares and fills, time
// fields and CRC32. Semantics are NT's (WDK documentation, ReactOS sdk/lib/rtl), checked against
// xenia-canary's src/xenia/kernel/xboxkrnl/xboxkrnl_rtl.cc where the console differs. Every guest
// byte is read and written through cpu::Memory, so a bad pointer faults the caller cleanly.
#include <zlib.h>

#include <algorithm>
#include <cstdint>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

HEXAD_EXPORTS_BEGIN;

// STRING / ANSI_STRING / UNICODE_STRING: Length (bytes, u16), MaximumLength (u16), Buffer (u32).
struct CountedString {
  uint16_t length, maximum_length;
  uint32_t buffer;
};
CountedString read_counted(cpu::Memory& mem, uint32_t addr) {
  return {mem.read16(addr), mem.read16(addr + 2), mem.read32(addr + 4)};
}
void write_counted(cpu::Memory& mem, uint32_t addr, const CountedString& s) {
  GuestPtr<void>(mem, addr).probe(8, cpu::Access::Write);
  mem.write16(addr, s.length);
  mem.write16(addr + 2, s.maximum_length);
  mem.write32(addr + 4, s.buffer);
}

// The console's Latin-1 case mapping, as xenia's rtl_upper_table / rtl_lower_table give it:
// ASCII letters, and 0xC0-0xDE / 0xE0-0xFE except the multiplication and division signs. 0xFF
// (y with diaeresis) has no Latin-1 capital and upper-cases to '?'.
uint8_t upper_char(uint8_t c) {
  if (c >= 'a' && c <= 'z') return uint8_t(c - 0x20);
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return uint8_t(c - 0x20);
  if (c == 0xFF) return '?';
  return c;
}
uint8_t lower_char(uint8_t c) {
  if (c >= 'A' && c <= 'Z') return uint8_t(c + 0x20);
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return uint8_t(c + 0x20);
  return c;
}

// Length of the NUL-terminated guest string at `addr`, at most `max` units of `unit` bytes
// (NT's RtlInit*String stop at MAXUSHORT - 1 bytes). Faults on an unreadable byte before the NUL.
uint32_t guest_strlen(cpu::Memory& mem, uint32_t addr, uint32_t unit, uint32_t max) {
  uint32_t n = 0;
  while (n < max && (unit == 1 ? mem.read8(addr + n) : mem.read16(addr + 2 * n)) != 0) ++n;
  return n;
}

// RtlCompareString / RtlCompareStringN: the first differing byte (upper-cased when asked)
// decides; equal prefixes compare by length. NT and xenia return the difference itself.
int32_t compare_bytes(cpu::Memory& mem, uint32_t a, uint32_t len_a, uint32_t b, uint32_t len_b, bool fold_case) {
  const uint32_t n = std::min(len_a, len_b);
  for (uint32_t i = 0; i < n; ++i) {
    uint8_t ca = mem.read8(a + i), cb = mem.read8(b + i);
    if (fold_case) ca = upper_char(ca), cb = upper_char(cb);
    if (ca != cb) return int32_t(ca) - int32_t(cb);
  }
  return int32_t(len_a - len_b);
}

// ---- strings --------------------------------------------------------------------------------

// RtlInitAnsiString(PANSI_STRING dst, PCSZ src): points dst at src (not copied).
void RtlInitAnsiString(ExportContext& x, GuestPtr<void> destination, GuestPtr<void> source) {
  CountedString s{0, 0, source.addr()};
  if (source) {
    const uint32_t n = guest_strlen(x.mem(), source.addr(), 1, 0xFFFE);
    s.length = uint16_t(n), s.maximum_length = uint16_t(n + 1);
  }
  write_counted(x.mem(), destination.addr(), s);
}
HEXAD_EXPORT(xboxkrnl, 0x012C, RtlInitAnsiString, Implemented);

// RtlInitUnicodeString(PUNICODE_STRING dst, PCWSTR src): lengths in bytes, big-endian UTF-16.
void RtlInitUnicodeString(ExportContext& x, GuestPtr<void> destination, GuestPtr<void> source) {
  CountedString s{0, 0, source.addr()};
  if (source) {
    const uint32_t n = guest_strlen(x.mem(), source.addr(), 2, 0x7FFE);
    s.length = uint16_t(2 * n), s.maximum_length = uint16_t(2 * n + 2);
  }
  write_counted(x.mem(), destination.addr(), s);
}
HEXAD_EXPORT(xboxkrnl, 0x012D, RtlInitUnicodeString, Implemented);

// LONG RtlCompareString(const STRING* s1, const STRING* s2, BOOLEAN case_insensitive).
int32_t RtlCompareString(ExportContext& x, GuestPtr<void> string1, GuestPtr<void> string2, Boolean case_insensitive) {
  const CountedString a = read_counted(x.mem(), string1.addr()), b = read_counted(x.mem(), string2.addr());
  return compare_bytes(x.mem(), a.buffer, a.length, b.buffer, b.length, case_insensitive);
}
HEXAD_EXPORT(xboxkrnl, 0x011C, RtlCompareString, Implemented);

// LONG RtlCompareStringN(const char* s1, ULONG len1, const char* s2, ULONG len2, ULONG
// case_insensitive): a length of 0xFFFFFFFF means "up to the NUL" (xenia's reading of the console).
int32_t RtlCompareStringN(ExportContext& x, GuestPtr<void> string1, uint32_t length1, GuestPtr<void> string2,
                          uint32_t length2, uint32_t case_insensitive) {
  if (length1 == 0xFFFFFFFF) length1 = guest_strlen(x.mem(), string1.addr(), 1, 0xFFFFFFFF);
  if (length2 == 0xFFFFFFFF) length2 = guest_strlen(x.mem(), string2.addr(), 1, 0xFFFFFFFF);
  return compare_bytes(x.mem(), string1.addr(), length1, string2.addr(), length2, case_insensitive != 0);
}
HEXAD_EXPORT(xboxkrnl, 0x011D, RtlCompareStringN, Implemented);

// RtlCopyString(PSTRING dst, const STRING* src): min(dst.MaximumLength, src.Length) bytes, no
// terminator (NT); a NULL source empties dst.
void RtlCopyString(ExportContext& x, GuestPtr<void> destination, GuestPtr<void> source) {
  CountedString d = read_counted(x.mem(), destination.addr());
  d.length = 0;
  if (source) {
    const CountedString s = read_counted(x.mem(), source.addr());
    d.length = std::min(d.maximum_length, s.length);
    if (d.length) {
      GuestPtr<void>(x.mem(), s.buffer).probe(d.length, cpu::Access::Read);
      GuestPtr<void>(x.mem(), d.buffer).probe(d.length, cpu::Access::Write);
    }
    for (uint32_t i = 0; i < d.length; ++i) x.mem().write8(d.buffer + i, x.mem().read8(s.buffer + i));
  }
  x.mem().write16(destination.addr(), d.length);
}
HEXAD_EXPORT(xboxkrnl, 0x0121, RtlCopyString, Implemented);

// RtlCopyUnicodeString(PUNICODE_STRING dst, PCUNICODE_STRING src): min(dst.MaximumLength,
// src.Length) bytes, then a terminator when it fits (ReactOS sdk/lib/rtl/unicode.c); NULL source
// empties dst.
void RtlCopyUnicodeString(ExportContext& x, GuestPtr<void> destination, GuestPtr<void> source) {
  CountedString d = read_counted(x.mem(), destination.addr());
  d.length = 0;
  if (source) {
    const CountedString s = read_counted(x.mem(), source.addr());
    d.length = std::min(d.maximum_length, s.length) & ~uint16_t(1);
    const bool terminate = d.length + 2u <= d.maximum_length;
    if (d.length) GuestPtr<void>(x.mem(), s.buffer).probe(d.length, cpu::Access::Read);
    if (d.length || terminate)
      GuestPtr<void>(x.mem(), d.buffer).probe(d.length + (terminate ? 2u : 0u), cpu::Access::Write);
    for (uint32_t i = 0; i < d.length; i += 2) x.mem().write16(d.buffer + i, x.mem().read16(s.buffer + i));
    if (terminate) x.mem().write16(d.buffer + d.length, 0);
  }
  x.mem().write16(destination.addr(), d.length);
}
HEXAD_EXPORT(xboxkrnl, 0x0122, RtlCopyUnicodeString, Implemented);

// The console's code page is Latin-1 (xenia): a byte widens to its code point, a UTF-16 unit
// above 0xFF narrows to '?'.
uint8_t narrow(uint16_t c) { return c < 0x100 ? uint8_t(c) : uint8_t('?'); }

// NTSTATUS RtlMultiByteToUnicodeN(PWCH dst, ULONG dst_bytes, PULONG written_bytes, const char*
// src, ULONG src_bytes): min(dst_bytes / 2, src_bytes) characters; written_bytes optional.
uint32_t RtlMultiByteToUnicodeN(ExportContext& x, GuestPtr<void> destination, uint32_t destination_bytes,
                                GuestPtr<uint32_t> written_bytes, GuestPtr<void> source, uint32_t source_bytes) {
  const uint32_t n = std::min(destination_bytes / 2, source_bytes);
  if (n) {
    source.probe(n, cpu::Access::Read);
    destination.probe(2 * n, cpu::Access::Write);
  }
  written_bytes.probe_if_set();
  for (uint32_t i = 0; i < n; ++i) x.mem().write16(destination.addr() + 2 * i, x.mem().read8(source.addr() + i));
  written_bytes.write_if_set(2 * n);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x0133, RtlMultiByteToUnicodeN, Implemented);

// NTSTATUS RtlUnicodeToMultiByteN(PCHAR dst, ULONG dst_bytes, PULONG written_bytes, PCWCH src,
// ULONG src_bytes): min(src_bytes / 2, dst_bytes) characters.
uint32_t RtlUnicodeToMultiByteN(ExportContext& x, GuestPtr<void> destination, uint32_t destination_bytes,
                                GuestPtr<uint32_t> written_bytes, GuestPtr<void> source, uint32_t source_bytes) {
  const uint32_t n = std::min(source_bytes / 2, destination_bytes);
  if (n) {
    source.probe(2 * n, cpu::Access::Read);
    destination.probe(n, cpu::Access::Write);
  }
  written_bytes.probe_if_set();
  for (uint32_t i = 0; i < n; ++i) x.mem().write8(destination.addr() + i, narrow(x.mem().read16(source.addr() + 2 * i)));
  written_bytes.write_if_set(n);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x0143, RtlUnicodeToMultiByteN, Implemented);

// NTSTATUS RtlUnicodeStringToAnsiString(PANSI_STRING dst, PCUNICODE_STRING src, BOOLEAN allocate),
// as ReactOS's: with allocate, the buffer (length + 1 bytes) comes from the kernel heap
// (RtlFreeAnsiString returns it; STATUS_NO_MEMORY when it is full); without, a destination too
// short gets MaximumLength - 1 characters and STATUS_BUFFER_OVERFLOW (nothing at all when its
// MaximumLength is 0). The result is always NUL-terminated.
uint32_t RtlUnicodeStringToAnsiString(ExportContext& x, GuestPtr<void> destination, GuestPtr<void> source,
                                      Boolean allocate) {
  const CountedString s = read_counted(x.mem(), source.addr());
  CountedString d = read_counted(x.mem(), destination.addr());
  const uint32_t chars = s.length / 2u;  // at most 0x7FFF: the result always fits a USHORT
  uint32_t status = kStatusSuccess;
  d.length = uint16_t(chars);
  if (!allocate && d.length >= d.maximum_length) {
    if (!d.maximum_length) return kStatusBufferOverflow;
    status = kStatusBufferOverflow;
    d.length = uint16_t(d.maximum_length - 1);
  }
  // Every fault before the allocation: a faulting call leaves no buffer behind.
  if (d.length) GuestPtr<void>(x.mem(), s.buffer).probe(2u * d.length, cpu::Access::Read);
  GuestPtr<void>(x.mem(), destination.addr()).probe(8, cpu::Access::Write);
  if (allocate) {
    const uint32_t buffer = x.k.heap().alloc(chars + 1, 8, cpu::kProtRW);
    if (!buffer) return kStatusNoMemory;
    d.buffer = buffer, d.maximum_length = uint16_t(chars + 1);
  }
  GuestPtr<void>(x.mem(), d.buffer).probe(d.length + 1u, cpu::Access::Write);
  for (uint32_t i = 0; i < d.length; ++i) x.mem().write8(d.buffer + i, narrow(x.mem().read16(s.buffer + 2 * i)));
  x.mem().write8(d.buffer + d.length, 0);
  write_counted(x.mem(), destination.addr(), d);
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x0142, RtlUnicodeStringToAnsiString, Implemented);

// RtlFreeAnsiString(PANSI_STRING s): returns a buffer RtlUnicodeStringToAnsiString allocated to
// the kernel heap (any other buffer is left alone) and empties the string.
void RtlFreeAnsiString(ExportContext& x, GuestPtr<void> string) {
  const CountedString s = read_counted(x.mem(), string.addr());
  GuestPtr<void>(x.mem(), string.addr()).probe(8, cpu::Access::Write);
  if (s.buffer) x.k.heap().free(s.buffer);
  write_counted(x.mem(), string.addr(), {0, 0, 0});
}
HEXAD_EXPORT(xboxkrnl, 0x0127, RtlFreeAnsiString, Implemented);

uint32_t RtlUpperChar(ExportContext& x, uint32_t c) { return upper_char(uint8_t(c)); }
HEXAD_EXPORT(xboxkrnl, 0x014A, RtlUpperChar, Implemented);

uint32_t RtlLowerChar(ExportContext& x, uint32_t c) { return lower_char(uint8_t(c)); }
HEXAD_EXPORT(xboxkrnl, 0x0132, RtlLowerChar, Implemented);

// ---- memory ---------------------------------------------------------------------------------

// SIZE_T RtlCompareMemory(const void* a, const void* b, SIZE_T length): the number of leading
// bytes that match (NT; xenia counts every equal byte, which differs after a mismatch).
uint32_t RtlCompareMemory(ExportContext& x, GuestPtr<void> source1, GuestPtr<void> source2, uint32_t length) {
  uint32_t n = 0;
  while (n < length && x.mem().read8(source1.addr() + n) == x.mem().read8(source2.addr() + n)) ++n;
  return n;
}
HEXAD_EXPORT(xboxkrnl, 0x011A, RtlCompareMemory, Implemented);

// SIZE_T RtlCompareMemoryUlong(const void* source, SIZE_T length, ULONG pattern): bytes of the
// leading whole ULONGs equal to pattern (length rounded down to a multiple of 4).
uint32_t RtlCompareMemoryUlong(ExportContext& x, GuestPtr<void> source, uint32_t length, uint32_t pattern) {
  uint32_t n = 0;
  while (n + 4 <= (length & ~3u) && x.mem().read32(source.addr() + n) == pattern) n += 4;
  return n;
}
HEXAD_EXPORT(xboxkrnl, 0x011B, RtlCompareMemoryUlong, Implemented);

// RtlFillMemoryUlong(void* destination, SIZE_T length, ULONG pattern): length / 4 ULONGs. The
// whole range is probed first, so a bad pointer faults before anything is written.
void RtlFillMemoryUlong(ExportContext& x, GuestPtr<void> destination, uint32_t length, uint32_t pattern) {
  const uint32_t words = length / 4;
  if (words) destination.probe(words * 4, cpu::Access::Write);
  for (uint32_t i = 0; i < words; ++i) x.mem().write32(destination.addr() + 4 * i, pattern);
}
HEXAD_EXPORT(xboxkrnl, 0x0126, RtlFillMemoryUlong, Implemented);

// ULONG RtlComputeCrc32(ULONG seed, const void* buffer, ULONG length): CRC-32 (IEEE 802.3, the
// zlib polynomial) continuing from `seed` (0 to start), as xenia's table implements it.
uint32_t RtlComputeCrc32(ExportContext& x, uint32_t seed, GuestPtr<void> buffer, uint32_t length) {
  if (length == 0) return seed;
  buffer.probe(length, cpu::Access::Read);
  return uint32_t(crc32_z(seed, x.mem().host(buffer.addr()), length));
}
HEXAD_EXPORT(xboxkrnl, 0x027B, RtlComputeCrc32, Implemented);

// ---- time fields ----------------------------------------------------------------------------

// TIME_FIELDS: Year, Month, Day, Hour, Minute, Second, Milliseconds, Weekday (USHORTs, 16 bytes).
constexpr uint64_t kTicksPerMs = 10000, kMsPerDay = 86400000;
// Days from 1601-01-01 to 1970-01-01, so the civil-date arithmetic below can use the Unix epoch.
constexpr int64_t kDays1601To1970 = 134774;

// Howard Hinnant's days_from_civil / civil_from_days (public domain), on 64-bit integers so every
// 64-bit time has a date.
int64_t days_from_civil(int64_t y, uint32_t m, uint32_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const uint32_t yoe = uint32_t(y - era * 400);
  const uint32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}
void civil_from_days(int64_t z, int64_t& y, uint32_t& m, uint32_t& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const uint32_t doe = uint32_t(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = int64_t(yoe) + era * 400 + (m <= 2);
}
bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
uint32_t days_in_month(int64_t y, uint32_t m) {
  static constexpr uint8_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// RtlTimeToTimeFields(const LARGE_INTEGER* time, PTIME_FIELDS fields): the time is unsigned, as
// NT divides it; a year past 65535 is truncated to the USHORT field like the console's would be.
void RtlTimeToTimeFields(ExportContext& x, GuestPtr<uint64_t> time, GuestPtr<void> time_fields) {
  const uint64_t ms = time.read() / kTicksPerMs;
  const int64_t days = int64_t(ms / kMsPerDay);
  const uint64_t ms_of_day = ms % kMsPerDay;
  int64_t year;
  uint32_t month, day;
  civil_from_days(days - kDays1601To1970, year, month, day);
  const uint16_t fields[8] = {uint16_t(year), uint16_t(month), uint16_t(day), uint16_t(ms_of_day / 3600000),
                              uint16_t(ms_of_day / 60000 % 60), uint16_t(ms_of_day / 1000 % 60),
                              uint16_t(ms_of_day % 1000),
                              uint16_t((days + 1) % 7)};  // 1601-01-01 was a Monday (1)
  time_fields.probe(16, cpu::Access::Write);
  for (uint32_t i = 0; i < 8; ++i) x.mem().write16(time_fields.addr() + 2 * i, fields[i]);
}
HEXAD_EXPORT(xboxkrnl, 0x0140, RtlTimeToTimeFields, Implemented);

// BOOLEAN RtlTimeFieldsToTime(const TIME_FIELDS* fields, PLARGE_INTEGER time): FALSE (time not
// written) unless every field is in range and the day exists; Weekday is ignored (NT).
uint32_t RtlTimeFieldsToTime(ExportContext& x, GuestPtr<void> time_fields, GuestPtr<uint64_t> time) {
  uint16_t f[7];
  for (uint32_t i = 0; i < 7; ++i) f[i] = x.mem().read16(time_fields.addr() + 2 * i);
  const uint16_t year = f[0], month = f[1], day = f[2], hour = f[3], minute = f[4], second = f[5], ms = f[6];
  if (year < 1601 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 59 || ms > 999)
    return 0;
  const uint64_t days = uint64_t(days_from_civil(year, month, day) + kDays1601To1970);
  const uint64_t total_ms = days * kMsPerDay + ((uint64_t(hour) * 60 + minute) * 60 + second) * 1000 + ms;
  time.write(total_ms * kTicksPerMs);
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x013F, RtlTimeFieldsToTime, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> rtl_exports() { return kAreaExports; }

}  // namespace hexad::kernel
