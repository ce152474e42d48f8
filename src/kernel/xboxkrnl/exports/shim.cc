#include "kernel/xboxkrnl/exports/shim.h"

namespace hexad::kernel {

namespace {

// The one reading of a NUL-terminated guest string, narrow (Char = char, bytes) or wide
// (char16_t, 16-bit big-endian units): up to `max` units. A tolerant read ends the string at the
// first unit it cannot read; otherwise that read faults the caller (cpu::MemoryFault).
template <typename Char>
std::basic_string<Char> read_guest_string(cpu::Memory& mem, uint32_t addr, size_t max, bool tolerant) {
  static constexpr Char kNull[] = {'(', 'n', 'u', 'l', 'l', ')', 0};
  if (!addr) return kNull;
  std::basic_string<Char> s;
  for (size_t i = 0; i < max; ++i) {
    const uint32_t at = addr + uint32_t(i * sizeof(Char));
    if (tolerant && !mem.accessible(at, sizeof(Char), cpu::kProtRead)) break;
    Char unit;
    if constexpr (sizeof(Char) == 1) unit = Char(mem.read8(at));
    else unit = Char(mem.read16(at));
    if (!unit) break;
    s.push_back(unit);
  }
  return s;
}

}  // namespace

std::string GuestCString::read(size_t max) const { return read_guest_string<char>(*mem_, addr_, max, true); }
std::string GuestCString::read_or_fault(size_t max) const { return read_guest_string<char>(*mem_, addr_, max, false); }
std::u16string GuestWString::read(size_t max) const { return read_guest_string<char16_t>(*mem_, addr_, max, true); }
std::u16string GuestWString::read_or_fault(size_t max) const {
  return read_guest_string<char16_t>(*mem_, addr_, max, false);
}

}  // namespace hexad::kernel
