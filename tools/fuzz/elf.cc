// libFuzzer: the ELF loader (src/loader/elf) on arbitrary bytes, into an empty guest memory.
// A malformed file must be rejected with hexad::Error (anything else escaping is a crash); a
// file it accepts must have an executable entry point and committed segments.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/hexad_error.h"
#include "cpu/memory.h"
#include "guest_memory.h"
#include "loader/elf/elf_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  hexad::cpu::Memory& mem = hexad::fuzz::guest_memory();
  hexad::loader::ElfImage img;
  try {
    img = hexad::loader::load_elf(bytes, mem, "fuzz.elf");
  } catch (const hexad::Error&) {
    return 0;
  }
  const bool ok = img.lowest <= img.highest && img.entry <= 0xFFFFFFFFull &&
                  mem.accessible(uint32_t(img.entry), 4, hexad::cpu::kProtExec) && mem.is_committed(img.lowest) &&
                  mem.is_committed(img.highest - 1);
  if (!ok) {
    std::fprintf(stderr, "elf: accepted image 0x%08x..0x%08x entry 0x%llx is not loaded or inconsistent\n", img.lowest,
                 img.highest, (unsigned long long)img.entry);
    std::abort();
  }
  return 0;
}
