// The guest's variable arguments as a FormatArgs source for format_guest: a `...` tail
// (GuestVarArgs: DbgPrint, sprintf, _snprintf, _scprintf and their wide forms) and a va_list
// (GuestVaList: vsprintf, _vsnprintf, _vscprintf and their wide forms), each by the caller's mode.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "kernel/xboxkrnl/exports/guest_format.h"
#include "kernel/xboxkrnl/exports/shim.h"

namespace hexad::kernel {

// How a %s argument is read: Tolerant ends the string at an unreadable byte (DbgPrint, which
// prints what it can), Faulting faults the caller there (the sprintf family, as the console's C
// runtime would); Faulting strings are cut at kMaxFormattedString units (hexad's limit: bytes
// for a narrow string, 16-bit units for a wide one), Tolerant ones at 4096; either at
// `max_units` (a precision) when that is less.
enum class StringRead { Tolerant, Faulting };
constexpr size_t kMaxFormattedString = size_t(1) << 20;
constexpr size_t kMaxTolerantString = 4096;
template <typename GuestString>
auto read_string_argument(cpu::Memory& mem, uint32_t addr, StringRead how, size_t max_units) {
  return how == StringRead::Faulting
             ? GuestString(mem, addr).read_or_fault(std::min(max_units, kMaxFormattedString))
             : GuestString(mem, addr).read(std::min(max_units, kMaxTolerantString));
}

// Variadic arguments after the fixed parameters, by the caller's mode. In 64-bit mode (console code)
// every argument takes one 64-bit register, r4..r10, then an 8-byte slot of the caller's
// parameter save area from r1+0x50 (a 32-bit argument is the slot's low word, r1+0x54), as
// xenia's get_arg_64 and get_arg_stack_ptr (kernel/util/shim_utils.h) read them. In 32-bit mode
// (the SDK's -m32 titles, the SysV ABI) integers take r4..r10 and then 4-byte words from r1+8;
// a 64-bit value takes an odd-even register pair (r5, r7, r9) or an 8-byte-aligned stack slot.
class GuestVarArgs : public FormatArgs {
 public:
  explicit GuestVarArgs(const VarArgs& va, StringRead strings = StringRead::Tolerant)
      : va_(va), reg_(va.first_gpr), console_abi_(va.ctx->sf()), strings_(strings) {}
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
  std::string string_at(uint32_t addr, size_t max_units) override {
    return read_string_argument<GuestCString>(*va_.mem, addr, strings_, max_units);
  }
  std::u16string wide_string_at(uint32_t addr, size_t max_units) override {
    return read_string_argument<GuestWString>(*va_.mem, addr, strings_, max_units);
  }

 private:
  VarArgs va_;
  int reg_;
  bool console_abi_;
  StringRead strings_;
  uint32_t stack_ = 0;
};

// A va_list, by the caller's mode. 64-bit mode (console code, the Microsoft ABI): va_list is a
// pointer to the next 8-byte argument slot (a 32-bit argument in the slot's low word, +4). 32-bit
// mode (the SDK's -m32 titles, the PowerPC SysV ABI as gcc lays it out): va_list points to a
// 12-byte __va_list_tag {u8 gpr (r3..r10 used so far), u8 fpr, u16 reserved, u32
// overflow_arg_area, u32 reg_save_area}; argument words come from reg_save_area + 4 gpr while
// gpr < 8, then from the overflow area; a 64-bit value takes an even-odd gpr pair (r3:r4 is pair
// 0) or an 8-byte-aligned overflow slot. The guest's va_list is only read, never advanced.
class GuestVaList : public FormatArgs {
 public:
  GuestVaList(cpu::Memory& mem, uint32_t va_list, bool console_abi, StringRead strings)
      : mem_(mem), console_abi_(console_abi), strings_(strings) {
    if (console_abi_) {
      next_ = va_list;
      return;
    }
    gpr_ = mem.read8(va_list);
    next_ = mem.read32(va_list + 4);
    reg_save_ = mem.read32(va_list + 8);
  }
  uint32_t next32() override {
    if (console_abi_) {
      const uint32_t v = mem_.read32(next_ + 4);
      next_ += 8;
      return v;
    }
    if (gpr_ < 8) return mem_.read32(reg_save_ + 4 * gpr_++);
    const uint32_t v = mem_.read32(next_);
    next_ += 4;
    return v;
  }
  uint64_t next64() override {
    if (console_abi_) {
      const uint64_t v = mem_.read64(next_);
      next_ += 8;
      return v;
    }
    if (gpr_ % 2) ++gpr_;
    if (gpr_ < 8) {
      const uint64_t hi = mem_.read32(reg_save_ + 4 * gpr_), lo = mem_.read32(reg_save_ + 4 * gpr_ + 4);
      gpr_ += 2;
      return hi << 32 | lo;
    }
    next_ = (next_ + 7) & ~7u;
    const uint64_t v = mem_.read64(next_);
    next_ += 8;
    return v;
  }
  std::string string_at(uint32_t addr, size_t max_units) override {
    return read_string_argument<GuestCString>(mem_, addr, strings_, max_units);
  }
  std::u16string wide_string_at(uint32_t addr, size_t max_units) override {
    return read_string_argument<GuestWString>(mem_, addr, strings_, max_units);
  }

 private:
  cpu::Memory& mem_;
  bool console_abi_;
  StringRead strings_;
  uint32_t gpr_ = 0, next_ = 0, reg_save_ = 0;
};

}  // namespace hexad::kernel
