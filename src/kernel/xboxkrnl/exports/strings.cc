// The kernel's C runtime string formatting (xenia's "String" export group): sprintf, _snprintf,
// _scprintf and their va_list forms, through the one guest formatter (guest_format.cc, as
// DbgPrint) and the one reading of variadic arguments (guest_varargs.h). Microsoft CRT semantics:
//   sprintf / vsprintf       write the text and a NUL; return its length
//   _snprintf / _vsnprintf   with len the text's length: len < count writes the text and a NUL
//                            and returns len; len == count writes the text without a NUL and
//                            returns len; len > count writes count bytes, no NUL, returns -1
//   _scprintf / _vscprintf   return len, write nothing
// A NULL buffer or format returns -1 and writes nothing, as xenia-canary's xboxkrnl_strings.cc
// and the Microsoft CRT's parameter validation do; a NULL %s prints "(null)"; an unmapped buffer,
// format or %s string faults the caller (GuestCString::read_or_fault; strings are cut at 1 MiB).
// Unlike xenia-canary's _vsnprintf, which returns the untruncated length, _vsnprintf returns -1
// when it truncates, as _snprintf does. Arguments the format does not consume are ignored; one it
// consumes that the caller did not pass is whatever the register or stack slot holds, as on the
// console. The destination is probed before any byte is written: a bad buffer faults with nothing
// written. The wide forms (_snwprintf, swprintf, _vsnwprintf, vswprintf, _scwprintf, _vscwprintf)
// are not implemented: the formatter reads narrow strings only.
#include <algorithm>
#include <cstdint>
#include <string>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/guest_format.h"
#include "kernel/xboxkrnl/exports/guest_varargs.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {


// Writes `text` and its NUL (sprintf).
int32_t write_all(cpu::Memory& mem, uint32_t buffer, const std::string& text) {
  GuestPtr<void>(mem, buffer).probe(uint32_t(text.size() + 1), cpu::Access::Write);
  mem.write_bytes(buffer, text.c_str(), uint32_t(text.size() + 1));
  return int32_t(text.size());
}

// Writes at most `count` bytes (_snprintf): see the header for the three cases.
int32_t write_counted(cpu::Memory& mem, uint32_t buffer, uint32_t count, const std::string& text) {
  const uint64_t len = text.size();
  const uint32_t written = uint32_t(std::min<uint64_t>(len, count));
  const bool terminated = len < count;
  const uint32_t total = written + (terminated ? 1 : 0);
  if (total) GuestPtr<void>(mem, buffer).probe(total, cpu::Access::Write);
  mem.write_bytes(buffer, text.c_str(), total);  // c_str() has the NUL after the text
  return len > count ? -1 : int32_t(len);
}

constexpr int32_t kInvalid = -1;

HEXAD_EXPORTS_BEGIN;

int32_t sprintf(ExportContext& x, GuestPtr<uint8_t> buffer, GuestCString format, VarArgs va) {
  if (!buffer.addr() || !format.addr()) return kInvalid;
  GuestVarArgs args(va, StringRead::Faulting);
  return write_all(x.mem(), buffer.addr(), format_guest(format.read_or_fault(kMaxFormattedString), args));
}
HEXAD_EXPORT(xboxkrnl, 0x013B, sprintf, Implemented);

int32_t _snprintf(ExportContext& x, GuestPtr<uint8_t> buffer, uint32_t count, GuestCString format, VarArgs va) {
  if (!buffer.addr() || !format.addr()) return kInvalid;
  GuestVarArgs args(va, StringRead::Faulting);
  return write_counted(x.mem(), buffer.addr(), count, format_guest(format.read_or_fault(kMaxFormattedString), args));
}
HEXAD_EXPORT(xboxkrnl, 0x013A, _snprintf, Implemented);

int32_t _scprintf(ExportContext&, GuestCString format, VarArgs va) {
  if (!format.addr()) return kInvalid;
  GuestVarArgs args(va, StringRead::Faulting);
  return int32_t(format_guest(format.read_or_fault(kMaxFormattedString), args).size());
}
HEXAD_EXPORT(xboxkrnl, 0x0139, _scprintf, Implemented);

int32_t vsprintf(ExportContext& x, GuestPtr<uint8_t> buffer, GuestCString format, uint32_t va) {
  if (!buffer.addr() || !format.addr()) return kInvalid;
  GuestVaList args(x.mem(), va, x.t.ctx->sf(), StringRead::Faulting);
  return write_all(x.mem(), buffer.addr(), format_guest(format.read_or_fault(kMaxFormattedString), args));
}
HEXAD_EXPORT(xboxkrnl, 0x014E, vsprintf, Implemented);

int32_t _vsnprintf(ExportContext& x, GuestPtr<uint8_t> buffer, uint32_t count, GuestCString format, uint32_t va) {
  if (!buffer.addr() || !format.addr()) return kInvalid;
  GuestVaList args(x.mem(), va, x.t.ctx->sf(), StringRead::Faulting);
  return write_counted(x.mem(), buffer.addr(), count, format_guest(format.read_or_fault(kMaxFormattedString), args));
}
HEXAD_EXPORT(xboxkrnl, 0x014D, _vsnprintf, Implemented);

int32_t _vscprintf(ExportContext& x, GuestCString format, uint32_t va) {
  if (!format.addr()) return kInvalid;
  GuestVaList args(x.mem(), va, x.t.ctx->sf(), StringRead::Faulting);
  return int32_t(format_guest(format.read_or_fault(kMaxFormattedString), args).size());
}
HEXAD_EXPORT(xboxkrnl, 0x014C, _vscprintf, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> string_exports() { return kAreaExports; }

}  // namespace hexad::kernel
