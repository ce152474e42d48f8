// Debug output, time, handles.
#include <algorithm>
#include <cstdint>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/guest_format.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

HEXAD_EXPORTS_BEGIN;

// Variadic arguments after the format (r3), by the caller's mode. In 64-bit mode (console code)
// every argument takes one 64-bit register, r4..r10, then an 8-byte slot of the caller's
// parameter save area from r1+0x50 (a 32-bit argument is the slot's low word, r1+0x54), as
// xenia's get_arg_64 and get_arg_stack_ptr (kernel/util/shim_utils.h) read them. In 32-bit mode
// (the SDK's -m32 titles, the SysV ABI) integers take r4..r10 and then 4-byte words from r1+8;
// a 64-bit value takes an odd-even register pair (r5, r7, r9) or an 8-byte-aligned stack slot.
class GuestVarArgs : public FormatArgs {
 public:
  explicit GuestVarArgs(const VarArgs& va) : va_(va), reg_(va.first_gpr), console_abi_(va.ctx->sf()) {}
  uint32_t next32() override {
    if (reg_ <= 10) return uint32_t(va_.ctx->gpr[reg_++]);
    return va_.mem->read32(stack_argument_address(*va_.ctx, stack_++));
  }
  uint64_t next64() override {
    if (console_abi_) {  // the whole slot: its high word is 4 bytes before the 32-bit argument's
      if (reg_ <= 10) return va_.ctx->gpr[reg_++];
      return va_.mem->read64(stack_argument_address(*va_.ctx, stack_++) - 4);
    }
    if (reg_ % 2 == 0) ++reg_;
    if (reg_ <= 9) {
      uint64_t hi = uint32_t(va_.ctx->gpr[reg_]), lo = uint32_t(va_.ctx->gpr[reg_ + 1]);
      reg_ += 2;
      return hi << 32 | lo;
    }
    reg_ = 11;
    if (stack_ % 2) ++stack_;
    uint64_t hi = next32(), lo = next32();
    return hi << 32 | lo;
  }
  std::string string_at(uint32_t addr) override { return GuestCString(*va_.mem, addr).read(); }

 private:
  VarArgs va_;
  int reg_;
  bool console_abi_;
  uint32_t stack_ = 0;
};

uint32_t DbgPrint(ExportContext& x, GuestCString format, VarArgs va) {
  GuestVarArgs args(va);
  x.k.debug_print(format_guest(format.read(1 << 16), args));
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
