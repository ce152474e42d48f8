// Debug output, time, handles.
#include <algorithm>
#include <cstdint>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/guest_format.h"
#include "kernel/xboxkrnl/exports/guest_varargs.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

HEXAD_EXPORTS_BEGIN;

// A format whose wide argument holds a unit above 0xFF fails (guest_format.cc) and prints
// nothing, as xenia-canary's DbgPrint_entry prints nothing when format_core returns -1.
uint32_t DbgPrint(ExportContext& x, GuestCString format, VarArgs va) {
  GuestVarArgs args(va);
  if (const auto text = format_guest(format.read(1 << 16), args)) x.k.debug_print(*text);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x0003, DbgPrint, Implemented);

// The timebase rate, which titles read with mftb.
uint64_t KeQueryPerformanceFrequency(ExportContext& x) { return cpu::kTimebaseHz; }
HEXAD_EXPORT(xboxkrnl, 0x0083, KeQueryPerformanceFrequency, Implemented);

// KeQuerySystemTime(PLARGE_INTEGER current_time); void on the console, 0 in r3 here. The
// console writes through the pointer unconditionally: NULL faults the caller like any bad pointer.
uint32_t KeQuerySystemTime(ExportContext& x, GuestPtr<uint64_t> current_time) {
  current_time.write(x.k.system_time());
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0084, KeQuerySystemTime, Implemented);

uint32_t NtClose(ExportContext& x, Handle handle) {
  if (x.k.files().close(handle.value)) return kStatusSuccess;
  return x.k.objects().close(handle.value) ? kStatusSuccess : kStatusInvalidHandle;
}
HEXAD_EXPORT(xboxkrnl, 0x00CF, NtClose, Implemented);

// 1 = title process, 2 = system process (a thread ExCreateThread made with flag 0x2; xenia's
// X_PROCTYPE_USER / X_PROCTYPE_SYSTEM).
uint32_t KeGetCurrentProcessType(ExportContext& x) {
  const ThreadRecord* rec = x.k.thread_record(x.t.tid);
  return rec && rec->system_thread ? 2 : 1;
}
HEXAD_EXPORT(xboxkrnl, 0x0066, KeGetCurrentProcessType, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> misc_exports() { return kAreaExports; }

}  // namespace hexad::kernel
