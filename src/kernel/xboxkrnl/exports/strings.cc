// The kernel's C runtime string formatting (xenia's "String" export group): sprintf, _snprintf,
// _scprintf, their va_list forms and the wide forms of all six, through the one guest formatter
// (guest_format.cc, as DbgPrint) and the one reading of variadic arguments (guest_varargs.h).
// Microsoft CRT semantics, with len the text's length:
//   sprintf / vsprintf       write the text and a NUL; return len
//   _snprintf / _vsnprintf   len < count writes the text and a NUL and returns len; len == count
//                            writes the text without a NUL and returns len; len > count writes
//                            count bytes, no NUL, returns -1
//   _scprintf / _vscprintf   return len, write nothing
// The wide forms (swprintf, vswprintf, _snwprintf, _vsnwprintf, _scwprintf, _vscwprintf) are the
// same with a wide format and wide text: 16-bit big-endian units in guest memory, lengths and
// counts in units. In them %s, %ls, %ws take a wide string and %S, %hs a narrow one, %c, %lc, %wc
// a wide character and %C, %hc a narrow one (the Microsoft rule, guest_format.cc); narrow bytes
// are zero-extended, wide units copied as they are (no transcoding). swprintf and vswprintf are
// the old Microsoft forms without a count, swprintf(buffer, format, ...): xenia-canary's
// xboxkrnl_strings.cc (swprintf_entry, vswprintf_entry) takes the format as the second
// argument and the variadic ones from the third, as NT's kernel and msvcrt export them (the ISO
// swprintf(buffer, count, format, ...) is a later CRT's).
// In the narrow forms %S, %ls, %ws take a wide string and %C, %lc, %wc a wide character, %s %hs
// %c %hc narrow ones; a wide unit 0x00..0xFF becomes the byte of that value and any other unit
// fails the call: it returns -1 and writes only a NUL at the buffer's start (none when count is
// 0), the arguments after the failing one unread (the "C" locale's wctomb, guest_format.cc).
// A NULL buffer or format returns -1 and writes nothing, as xenia-canary's xboxkrnl_strings.cc
// and the Microsoft CRT's parameter validation do; a NULL %s prints "(null)" (widened in the wide
// forms), and so does a NULL wide one; an unmapped buffer, format or %s string (narrow or wide)
// faults the caller (read_or_fault; strings are cut at 1 Mi units). Unlike xenia-canary's _vsnprintf and _vsnwprintf, which return the
// untruncated length, they return -1 when they truncate, as _snprintf does; xenia's swprintf
// formats with the narrow rule for %s (format_core(..., false)), hexad with the wide rule as the
// Microsoft CRT's wide functions do. Arguments the format does not consume are ignored; one it
// consumes that the caller did not pass is whatever the register or stack slot holds, as on the
// console. The destination is probed before any byte is written: a bad buffer faults with nothing
// written.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/guest_format.h"
#include "kernel/xboxkrnl/exports/guest_varargs.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

// The text as guest memory holds it, with its NUL: bytes, or 16-bit big-endian units.
std::string guest_bytes(const std::string& text) { return text + '\0'; }
std::string guest_bytes(const std::u16string& text) {
  std::string bytes;
  bytes.reserve(2 * (text.size() + 1));
  for (const char16_t unit : text) {
    bytes.push_back(char(unit >> 8));
    bytes.push_back(char(unit & 0xFF));
  }
  bytes.append(2, '\0');
  return bytes;
}

// Writes at most `count` units of the text (_snprintf, _snwprintf): see the header for the three
// cases.
template <typename Text>
int32_t write_text(cpu::Memory& mem, uint32_t buffer, uint64_t count, const Text& text) {
  constexpr uint64_t kUnitBytes = sizeof(typename Text::value_type);
  const uint64_t len = text.size();
  const uint64_t written = std::min<uint64_t>(len, count);
  const bool terminated = len < count;
  const uint32_t total = uint32_t((written + (terminated ? 1 : 0)) * kUnitBytes);
  if (total) GuestPtr<void>(mem, buffer).probe(total, cpu::Access::Write);
  mem.write_bytes(buffer, guest_bytes(text).data(), total);
  return len > count ? -1 : int32_t(len);
}

// The counted write of a formatting's result. A failed formatting (nullopt: a wide unit a narrow
// format cannot hold) writes only a NUL at the buffer's start, when count leaves room for one,
// and returns -1, as xenia-canary's sprintf_entry and _snprintf_entry do.
template <typename Text>
int32_t write_counted(cpu::Memory& mem, uint32_t buffer, uint64_t count, const std::optional<Text>& formatted) {
  if (formatted) return write_text(mem, buffer, count, *formatted);
  if (count) write_text(mem, buffer, 1, Text());
  return -1;
}

// Writes the text and its NUL (sprintf, swprintf): the counted write with room for both.
template <typename Text>
int32_t write_all(cpu::Memory& mem, uint32_t buffer, const std::optional<Text>& text) {
  return write_counted(mem, buffer, uint64_t(text ? text->size() : 0) + 1, text);
}

// _scprintf, _scwprintf: the text's length, or -1 when formatting failed.
template <typename Text>
int32_t length(const std::optional<Text>& text) {
  return text ? int32_t(text->size()) : -1;
}

// The text of a non-NULL format (GuestCString or GuestWString) with the arguments make_args()
// gives; they are made only once the pointers are checked (a va_list is read then).
template <typename Format, typename MakeArgs>
auto format_text(Format format, MakeArgs make_args) {
  auto args = make_args();
  return format_guest(format.read_or_fault(kMaxFormattedString), args);
}
auto tail(const VarArgs& va) {
  return [va] { return GuestVarArgs(va, StringRead::Faulting); };
}
auto list(ExportContext& x, uint32_t va) {
  return [&x, va] { return GuestVaList(x.mem(), va, x.t.ctx->sf(), StringRead::Faulting); };
}

constexpr int32_t kInvalid = -1;

// The three shapes of the family, each with its NULL checks (a NULL buffer or format: -1, nothing
// written, no argument read). Buffer and Format are the typed shims' GuestPtr and GuestCString or
// GuestWString; make_args is tail(va) or list(x, va).
template <typename Buffer, typename Format, typename MakeArgs>
int32_t print_all(ExportContext& x, Buffer buffer, Format format, MakeArgs make_args) {
  if (!buffer.addr() || !format.addr()) return kInvalid;
  return write_all(x.mem(), buffer.addr(), format_text(format, make_args));
}
template <typename Buffer, typename Format, typename MakeArgs>
int32_t print_counted(ExportContext& x, Buffer buffer, uint32_t count, Format format, MakeArgs make_args) {
  if (!buffer.addr() || !format.addr()) return kInvalid;
  return write_counted(x.mem(), buffer.addr(), count, format_text(format, make_args));
}
template <typename Format, typename MakeArgs>
int32_t print_length(Format format, MakeArgs make_args) {
  if (!format.addr()) return kInvalid;
  return length(format_text(format, make_args));
}

HEXAD_EXPORTS_BEGIN;

int32_t sprintf(ExportContext& x, GuestPtr<uint8_t> buffer, GuestCString format, VarArgs va) {
  return print_all(x, buffer, format, tail(va));
}
HEXAD_EXPORT(xboxkrnl, 0x013B, sprintf, Implemented);

int32_t _snprintf(ExportContext& x, GuestPtr<uint8_t> buffer, uint32_t count, GuestCString format, VarArgs va) {
  return print_counted(x, buffer, count, format, tail(va));
}
HEXAD_EXPORT(xboxkrnl, 0x013A, _snprintf, Implemented);

int32_t _scprintf(ExportContext&, GuestCString format, VarArgs va) {
  return print_length(format, tail(va));
}
HEXAD_EXPORT(xboxkrnl, 0x0139, _scprintf, Implemented);

int32_t vsprintf(ExportContext& x, GuestPtr<uint8_t> buffer, GuestCString format, uint32_t va) {
  return print_all(x, buffer, format, list(x, va));
}
HEXAD_EXPORT(xboxkrnl, 0x014E, vsprintf, Implemented);

int32_t _vsnprintf(ExportContext& x, GuestPtr<uint8_t> buffer, uint32_t count, GuestCString format, uint32_t va) {
  return print_counted(x, buffer, count, format, list(x, va));
}
HEXAD_EXPORT(xboxkrnl, 0x014D, _vsnprintf, Implemented);

int32_t _vscprintf(ExportContext& x, GuestCString format, uint32_t va) {
  return print_length(format, list(x, va));
}
HEXAD_EXPORT(xboxkrnl, 0x014C, _vscprintf, Implemented);

int32_t swprintf(ExportContext& x, GuestPtr<uint16_t> buffer, GuestWString format, VarArgs va) {
  return print_all(x, buffer, format, tail(va));
}
HEXAD_EXPORT(xboxkrnl, 0x013E, swprintf, Implemented);

int32_t _snwprintf(ExportContext& x, GuestPtr<uint16_t> buffer, uint32_t count, GuestWString format, VarArgs va) {
  return print_counted(x, buffer, count, format, tail(va));
}
HEXAD_EXPORT(xboxkrnl, 0x013D, _snwprintf, Implemented);

int32_t _scwprintf(ExportContext&, GuestWString format, VarArgs va) {
  return print_length(format, tail(va));
}
HEXAD_EXPORT(xboxkrnl, 0x013C, _scwprintf, Implemented);

int32_t vswprintf(ExportContext& x, GuestPtr<uint16_t> buffer, GuestWString format, uint32_t va) {
  return print_all(x, buffer, format, list(x, va));
}
HEXAD_EXPORT(xboxkrnl, 0x0151, vswprintf, Implemented);

int32_t _vsnwprintf(ExportContext& x, GuestPtr<uint16_t> buffer, uint32_t count, GuestWString format, uint32_t va) {
  return print_counted(x, buffer, count, format, list(x, va));
}
HEXAD_EXPORT(xboxkrnl, 0x0150, _vsnwprintf, Implemented);

int32_t _vscwprintf(ExportContext& x, GuestWString format, uint32_t va) {
  return print_length(format, list(x, va));
}
HEXAD_EXPORT(xboxkrnl, 0x014F, _vscwprintf, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> string_exports() { return kAreaExports; }

}  // namespace hexad::kernel
