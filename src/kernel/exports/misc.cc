// Debug output, time, handles.
#include <algorithm>
#include <cstdint>

#include "kernel/exports/export_table.h"
#include "kernel/exports/guest_format.h"
#include "kernel/kernel.h"

namespace hexad::kernel {
namespace {

std::string read_cstring(ExportCall& c, uint32_t addr, size_t max = 4096) {
  std::string s;
  if (!addr) return "(null)";
  for (size_t i = 0; i < max; ++i) {
    if (!c.k.mem().accessible(addr + uint32_t(i), 1, cpu::kProtRead)) break;
    char ch = char(c.k.mem().read8(addr + uint32_t(i)));
    if (!ch) break;
    s.push_back(ch);
  }
  return s;
}

// The 32-bit SysV calling convention's variadic arguments: integers in r4..r10 (r3 is the
// format), then the caller's parameter save area at 8(r1); a 64-bit value takes an odd-even
// register pair (r3:r4 is taken, so r5, r7, r9) or an 8-byte-aligned stack slot.
class GuestVarArgs : public FormatArgs {
 public:
  explicit GuestVarArgs(ExportCall& c) : c_(c) {}
  uint32_t next32() override {
    if (reg_ <= 10) return uint32_t(c_.t.ctx->gpr[reg_++]);
    return c_.k.mem().read32(uint32_t(c_.t.ctx->gpr[1]) + 8 + 4 * stack_++);
  }
  uint64_t next64() override {
    if (reg_ % 2 == 0) ++reg_;
    if (reg_ <= 9) {
      uint64_t hi = uint32_t(c_.t.ctx->gpr[reg_]), lo = uint32_t(c_.t.ctx->gpr[reg_ + 1]);
      reg_ += 2;
      return hi << 32 | lo;
    }
    reg_ = 11;
    if (stack_ % 2) ++stack_;
    uint64_t hi = next32(), lo = next32();
    return hi << 32 | lo;
  }
  std::string string_at(uint32_t addr) override { return read_cstring(c_, addr); }

 private:
  ExportCall& c_;
  int reg_ = 4;
  uint32_t stack_ = 0;
};

// DbgPrint(PCSTR format, ...)
void DbgPrint(ExportCall& c) {
  GuestVarArgs args(c);
  c.k.debug_print(format_guest(read_cstring(c, c.arg(0), 1 << 16), args));
  c.ret(kStatusSuccess);
}

// KeQueryPerformanceFrequency(): the timebase rate, which titles read with mftb.
void KeQueryPerformanceFrequency(ExportCall& c) { c.ret(cpu::kTimebaseHz); }

// KeQuerySystemTime(PLARGE_INTEGER)
void KeQuerySystemTime(ExportCall& c) {
  if (c.arg(0)) c.k.mem().write64(c.arg(0), c.k.system_time());
  c.ret(0);
}

void NtClose(ExportCall& c) { c.ret(c.k.objects().close(c.arg(0)) ? kStatusSuccess : kStatusInvalidHandle); }

// KeGetCurrentProcessType(): 1 = title process.
void KeGetCurrentProcessType(ExportCall& c) { c.ret(1); }

constexpr ExportEntry kExports[] = {
    {"xboxkrnl", 0x003, "DbgPrint", 1, DbgPrint},
    {"xboxkrnl", 0x083, "KeQueryPerformanceFrequency", 0, KeQueryPerformanceFrequency},
    {"xboxkrnl", 0x084, "KeQuerySystemTime", 1, KeQuerySystemTime},
    {"xboxkrnl", 0x0CF, "NtClose", 1, NtClose},
    {"xboxkrnl", 0x066, "KeGetCurrentProcessType", 0, KeGetCurrentProcessType},
};

}  // namespace

std::span<const ExportEntry> misc_exports() { return kExports; }

const ExportEntry* find_export(const std::string& module_stem, uint16_t ordinal) {
  for (auto table : {thread_exports(), sync_exports(), misc_exports()})
    for (const ExportEntry& e : table)
      if (module_stem == e.module && ordinal == e.ordinal) return &e;
  return nullptr;
}

}  // namespace hexad::kernel
