// System exports: bug checks and return-to-firmware (they stop the run), debug breaks and
// raised exceptions (no kernel debugger is attached), stack limits, interrupt time, the AV pack
// and the console's configuration (ExGetXConfigSetting). Facts from xenia-canary's
// xboxkrnl_debug.cc, xboxkrnl_hal.cc, xboxkrnl_misc.cc, xboxkrnl_rtl.cc and xboxkrnl_xconfig.cc(.h).
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

HEXAD_EXPORTS_BEGIN;

using cpu::sched::RunStop;

enum : uint32_t {
  kStatusInvalidParameter1 = 0xC00000EF,
  kStatusInvalidParameter2 = 0xC00000F0,
  kStatusInvalidParameter3 = 0xC00000F1,
};

// ---- stopping the console -------------------------------------------------------------------

// KeBugCheckEx(code, p1, p2, p3, p4): the console halts. The run stops with reason "bugcheck"
// (exit status 6) and the dump's run.system_stop holds the code and parameters. Never returns to
// the guest: the run ends before the caller's next instruction.
void KeBugCheckEx(ExportContext& x, uint32_t code, uint32_t p1, uint32_t p2, uint32_t p3, uint32_t p4) {
  x.k.debug_print(fmt::format("*** STOP: 0x{:08X} (0x{:08X}, 0x{:08X}, 0x{:08X}, 0x{:08X})\n", code, p1, p2, p3, p4));
  x.k.request_system_stop({"bugcheck", x.t.tid, code, {p1, p2, p3, p4}}, RunStop::BugCheck);
}
HEXAD_EXPORT(xboxkrnl, 0x0053, KeBugCheckEx, Implemented);

void KeBugCheck(ExportContext& x, uint32_t code) { KeBugCheckEx(x, code, 0, 0, 0, 0); }
HEXAD_EXPORT(xboxkrnl, 0x0052, KeBugCheck, Implemented);

// HalReturnToFirmware(routine): the title leaves for the firmware (1 = reboot/dashboard in
// xenia's table); the run ends with reason "exit" and run.system_stop names the routine.
void HalReturnToFirmware(ExportContext& x, uint32_t routine) {
  x.k.request_system_stop({"return_to_firmware", x.t.tid, routine, {}}, RunStop::Exit);
}
HEXAD_EXPORT(xboxkrnl, 0x0028, HalReturnToFirmware, Implemented);

// ---- debugging ------------------------------------------------------------------------------

// No kernel debugger is attached to a hexad run, so a breakpoint is not taken: the call returns
// (the import.call in the trace records it), as xenia does.
void DbgBreakPoint(ExportContext& x) {}
HEXAD_EXPORT(xboxkrnl, 0x0001, DbgBreakPoint, Implemented);

// RtlRip(const char* api, const char* message): the runtime's assertion report. The console
// prints it to the debugger and breaks; here it goes to the debug output (debug.print) and, with
// no debugger, returns. NULL strings print as empty.
void RtlRip(ExportContext& x, GuestCString api, GuestCString message) {
  x.k.debug_print(fmt::format("RtlRip: {} {}\n", api.addr() ? api.read() : "", message.addr() ? message.read() : ""));
}
HEXAD_EXPORT(xboxkrnl, 0x0138, RtlRip, Implemented);

// RtlRaiseException(PEXCEPTION_RECORD record). EXCEPTION_RECORD (xenia xboxkrnl_rtl.h
// X_EXCEPTION_RECORD): ExceptionCode @0, ExceptionFlags @4, ExceptionRecord @8, ExceptionAddress
// @0xC, NumberParameters @0x10, ExceptionInformation[15] @0x14.
//
// What is modelled (README "Raised exceptions and alerts"): hexad runs no exception handlers — it has no
// .pdata unwinding, and gcc-built titles carry none — and no debugger is attached, so
//  - 0x406D1388, the MSVC SetThreadName notification (ExceptionInformation holds THREADNAME_INFO:
//    type 0x1000, name pointer, thread id or -1 for the caller, flags), names the thread as the
//    debugger would (xenia's HandleSetThreadName does the same) and the call returns: the raiser's
//    own __except handler would continue the same way. Traced as thread.name; the dump's thread
//    "name" and the wedge map's "thread_name" show it. A record that is not a THREADNAME_INFO
//    (type not 0x1000, fewer than 3 parameters), a NULL or unreadable name, or an unknown thread
//    id names nothing and still returns, as a debugger ignores it;
//  - any other code (C++ throws 0xE06D7363, STATUS_BREAKPOINT, a title's own codes) is taken by no
//    handler: NT's dispatcher finds none and the thread ends with the unhandled exception. hexad
//    records a guest fault of kind `exception` (word = code, flags, address = ExceptionAddress,
//    NumberParameters) at the raise and ends the thread as any fault does (its object signaled, its
//    mutants abandoned). xenia instead logs and returns, which a title that catches its own throw
//    needs and which hexad cannot offer without handlers: such a title faults here;
//  - NumberParameters above 15 (EXCEPTION_MAXIMUM_PARAMETERS): NT refuses the record and raises
//    STATUS_INVALID_PARAMETER (0xC000000D) in its place, which is unhandled in turn;
//  - a NULL or unmapped record faults on the read, as any bad pointer.
constexpr uint32_t kSetThreadNameException = 0x406D1388;
constexpr uint32_t kThreadNameInfoType = 0x1000;
constexpr uint32_t kMaxExceptionParameters = 15;
constexpr uint32_t kStatusInvalidParameter = 0xC000000D;
constexpr uint32_t kMaxThreadName = 256;  // longer names are cut (a debugger shows as much)

void name_thread(ExportContext& x, GuestPtr<uint32_t> record, uint32_t parameters) {
  if (parameters < 3 || record.read(5) != kThreadNameInfoType) return;
  const uint32_t name_addr = record.read(6), thread_id = record.read(7);
  ThreadRecord* target = x.k.thread_record(thread_id == 0xFFFFFFFF ? x.t.tid : thread_id);
  if (!target || !name_addr) return;
  std::string name;
  for (uint32_t i = 0; i < kMaxThreadName; ++i) {
    if (!x.mem().accessible(name_addr + i, 1, cpu::kProtRead)) return;  // the debugger cannot read it
    const uint8_t c = x.mem().read8(name_addr + i);
    if (!c) break;
    name.push_back(char(c));
  }
  target->name = name;
  x.k.trace().emit(x.k.where(x.t), trace::ThreadName{target->tid, target->name});
}

void RtlRaiseException(ExportContext& x, GuestPtr<uint32_t> record) {
  record.probe(0x14, cpu::Access::Read);
  uint32_t code = record.read(0), flags = record.read(1), address = record.read(3), parameters = record.read(4);
  if (parameters > kMaxExceptionParameters) {
    code = kStatusInvalidParameter;
    flags = 0;
    address = uint32_t(x.t.ctx->lr);
    parameters = 0;
  } else {
    record.probe(0x14 + 4 * parameters, cpu::Access::Read);
  }
  if (code == kSetThreadNameException) {
    name_thread(x, record, parameters);
    return;
  }
  cpu::FaultRecord f{cpu::FaultKind::Exception, x.t.ctx->pc - 4, code, address, parameters, cpu::Access::Execute};
  f.flags = flags;
  throw ExportFault{f, nullptr};
}
HEXAD_EXPORT(xboxkrnl, 0x0136, RtlRaiseException, Implemented);

// RtlGetStackLimits(PULONG low_limit, PULONG high_limit): the calling thread's stack, as its
// ThreadRecord allocated it (xenia reads the same pair from the KPCR).
void RtlGetStackLimits(ExportContext& x, GuestPtr<uint32_t> low_limit, GuestPtr<uint32_t> high_limit) {
  const ThreadRecord* rec = x.k.thread_record(x.t.tid);
  const uint32_t low = rec ? rec->stack_base : 0, high = rec ? rec->stack_base + rec->stack_size : 0;
  low_limit.probe(4, cpu::Access::Write);
  high_limit.probe(4, cpu::Access::Write);
  low_limit.write(low);
  high_limit.write(high);
}
HEXAD_EXPORT(xboxkrnl, 0x012A, RtlGetStackLimits, Implemented);

// ---- floating point ---------------------------------------------------------------------

// The thread's floating-point bookkeeping, as xenia-canary's xboxkrnl_misc.cc keeps it in the
// KTHREAD (X_KTHREAD.fpu_exceptions_on at +0x71 and fpu_context, xboxkrnl_threading.h).
ThreadRecord& calling_thread_record(ExportContext& x) {
  ThreadRecord* rec = x.k.thread_record(x.t.tid);
  if (!rec) throw guest_trap(*x.t.ctx, "the calling thread has no kernel record");
  return *rec;
}

// KeEnableFpuExceptions(BOOL enabled): xenia-canary stores `enabled != 0` in the calling
// thread's KTHREAD.fpu_exceptions_on and returns nothing. The byte is the whole effect modelled:
// hexad's FPU raises no enabled IEEE exceptions (MSR.FE0/FE1 trapping is not emulated, as in
// xenia), so the dump's "fpu_exceptions": true is what a title can observe changing.
void KeEnableFpuExceptions(ExportContext& x, uint32_t enabled) { calling_thread_record(x).fpu_exceptions = enabled != 0; }
HEXAD_EXPORT(xboxkrnl, 0x005D, KeEnableFpuExceptions, Implemented);

// KeSaveFloatingPointState(void) / KeRestoreFloatingPointState(void): xenia-canary takes no
// argument and copies f0..f31 into the calling thread's KTHREAD.fpu_context, and back. A
// restore with no save before it loads the context's initial zeros, as xenia's zeroed KTHREAD.
void KeSaveFloatingPointState(ExportContext& x) {
  ThreadRecord& rec = calling_thread_record(x);
  std::memcpy(rec.fpu_context.data(), x.t.ctx->fpr, sizeof x.t.ctx->fpr);
  rec.fpu_saved = true;
}
HEXAD_EXPORT(xboxkrnl, 0x0095, KeSaveFloatingPointState, Implemented);

void KeRestoreFloatingPointState(ExportContext& x) {
  const ThreadRecord& rec = calling_thread_record(x);
  std::memcpy(x.t.ctx->fpr, rec.fpu_context.data(), sizeof x.t.ctx->fpr);
}
HEXAD_EXPORT(xboxkrnl, 0x0090, KeRestoreFloatingPointState, Implemented);

// ---- time and hardware ----------------------------------------------------------------------

// ULONGLONG KeQueryInterruptTime(void): 100 ns units of guest time since boot (the console's
// KUSER interrupt time starts at 0 at power-on; guest time starts at 0 with the run).
uint64_t KeQueryInterruptTime(ExportContext& x) { return Kernel::cycles_to_ns(x.k.now_cycle()) / 100; }
HEXAD_EXPORT(xboxkrnl, 0x0082, KeQueryInterruptTime, Implemented);

// The AV pack (video connector). Titles accept 3, 4, 6 or 8 (see XGetAVPack); hexad reports 6,
// VGA, the value xenia returns from both the kernel and the XAM query.
constexpr uint32_t kAvPackVga = 6;
uint32_t HalGetCurrentAVPack(ExportContext& x) { return kAvPackVga; }
HEXAD_EXPORT(xboxkrnl, 0x0022, HalGetCurrentAVPack, Implemented);

// ---- configuration --------------------------------------------------------------------------

// The settings a hexad console reports (categories and setting ids from xenia's xboxkrnl_xconfig.h,
// defaults from xenia's non-Windows build, which uses no host state): a US NTSC-M console in
// English, UTC without daylight saving, 4:3 video, Dolby Digital audio. The value bytes are the
// big-endian form the guest reads. README "Console configuration" lists them.
struct XConfigSetting {
  uint16_t category, setting;
  uint8_t size;
  uint8_t value[4];
};
constexpr uint16_t kSecured = 0x02, kUser = 0x03;
constexpr XConfigSetting kXConfig[] = {
    {kSecured, 0x02, 4, {0x00, 0x40, 0x01, 0x00}},  // AV_REGION: NTSC-M
    {kUser, 0x01, 4, {0, 0, 0, 0}},                 // TIME_ZONE_BIAS: 0 minutes
    {kUser, 0x02, 4, {'G', 'M', 'T', 0}},           // TIME_ZONE_STD_NAME
    {kUser, 0x03, 4, {0, 0, 0, 0}},                 // TIME_ZONE_DLT_NAME: none
    {kUser, 0x04, 4, {0, 0, 0, 0}},                 // TIME_ZONE_STD_DATE: none
    {kUser, 0x05, 4, {0, 0, 0, 0}},                 // TIME_ZONE_DLT_DATE: none
    {kUser, 0x06, 4, {0, 0, 0, 0}},                 // TIME_ZONE_STD_BIAS
    {kUser, 0x07, 4, {0, 0, 0, 0}},                 // TIME_ZONE_DLT_BIAS
    {kUser, 0x09, 4, {0, 0, 0, 1}},                 // LANGUAGE: 1, English
    {kUser, 0x0A, 4, {0, 0, 0, 0}},                 // VIDEO_FLAGS: normal (4:3), not widescreen
    {kUser, 0x0B, 4, {0x00, 0x01, 0x00, 0x01}},     // AUDIO_FLAGS: Dolby Digital + Pro Logic
    {kUser, 0x0E, 1, {103, 0, 0, 0}},               // COUNTRY: 103, United States
    {kUser, 0x17, 4, {0, 0, 0, 0}},                 // PC_PASSWORD: none
};

// NTSTATUS ExGetXConfigSetting(USHORT category, USHORT setting, void* buffer, USHORT buffer_size,
// USHORT* required_size). As xenia: an unknown category is STATUS_INVALID_PARAMETER_1, an unknown
// setting _2, a NULL buffer with a nonzero size _3, a short buffer STATUS_BUFFER_TOO_SMALL; the
// required size (0 on an error) is written whenever the pointer is not NULL.
uint32_t ExGetXConfigSetting(ExportContext& x, uint32_t category, uint32_t setting, GuestPtr<void> buffer,
                             uint32_t buffer_size, GuestPtr<uint16_t> required_size) {
  const uint16_t cat = uint16_t(category), id = uint16_t(setting), size = uint16_t(buffer_size);
  const XConfigSetting* found = nullptr;
  bool known_category = false;
  for (const XConfigSetting& s : kXConfig) {
    known_category |= s.category == cat;
    if (s.category == cat && s.setting == id) found = &s;
  }
  uint32_t status = kStatusSuccess;
  if (!known_category) status = kStatusInvalidParameter1;
  else if (!found) status = kStatusInvalidParameter2;
  else if (!buffer && size != 0) status = kStatusInvalidParameter3;
  else if (buffer && size < found->size) status = kStatusBufferTooSmall;
  required_size.probe_if_set();
  if (status == kStatusSuccess && buffer) {
    buffer.probe(found->size, cpu::Access::Write);
    x.mem().write_bytes(buffer.addr(), found->value, found->size);
  }
  required_size.write_if_set(status == kStatusSuccess ? found->size : 0);
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x0010, ExGetXConfigSetting, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> system_exports() { return kAreaExports; }

}  // namespace hexad::kernel
