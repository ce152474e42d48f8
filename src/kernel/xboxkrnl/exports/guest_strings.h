// Counted guest strings the file, link and object-name exports take: ANSI_STRING {u16 Length, u16
// MaximumLength, char* Buffer} (xenia: X_ANSI_STRING, src/xenia/xbox.h), big-endian.
#pragma once
#include <cstdint>
#include <string>

#include "kernel/xboxkrnl/exports/shim.h"
#include "kernel/xboxkrnl/objects.h"  // kAnsiStringSize

namespace hexad::kernel {

// The ANSI_STRING at `addr` (faults the caller on a bad pointer, before anything is read).
inline std::string read_ansi_string(cpu::Memory& mem, uint32_t addr) {
  GuestPtr<uint16_t>(mem, addr).probe(kAnsiStringSize, cpu::Access::Read);
  const uint16_t length = mem.read16(addr);
  const uint32_t buffer = mem.read32(addr + 4);
  if (length) GuestPtr<void>(mem, buffer).probe(length, cpu::Access::Read);
  std::string s(length, '\0');
  for (uint16_t i = 0; i < length; ++i) s[i] = char(mem.read8(buffer + i));
  return s;
}

}  // namespace hexad::kernel
