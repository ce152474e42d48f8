// libFuzzer: the XEX2 loader (src/loader/xex) on arbitrary bytes, into an empty guest memory:
// headers, AES decryption, basic and LZX (libmspack) decompression, the SHA-1 block chain, the
// PE headers. A malformed file must be rejected with hexad::Error (anything else escaping is a
// crash); a file it accepts must have its whole image committed, its entry point inside it, a PE
// image ("MZ") at its base and every PE section inside the image.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/hexad_error.h"
#include "cpu/memory.h"
#include "guest_memory.h"
#include "loader/xex/xex_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  hexad::cpu::Memory& mem = hexad::fuzz::guest_memory();
  hexad::loader::XexImage img;
  try {
    img = hexad::loader::load_xex(bytes, mem, "fuzz.xex");
  } catch (const hexad::Error&) {
    return 0;
  }
  const uint64_t end = uint64_t(img.base) + img.image_size;
  bool ok = img.image_size > 0 && end <= hexad::cpu::Memory::kSpaceSize && img.entry >= img.base && img.entry < end;
  for (uint64_t a = img.base; ok && a < end; a += hexad::cpu::Memory::kPageSize) ok = mem.is_committed(uint32_t(a));
  ok = ok && mem.read8(img.base) == 'M' && mem.read8(img.base + 1) == 'Z';
  for (const hexad::pe::Section& s : img.headers.pe.sections)
    ok = ok && uint64_t(s.rva) + s.virtual_size <= img.image_size;
  if (!ok) {
    std::fprintf(stderr, "xex: accepted image base 0x%08x size 0x%x entry 0x%08x is not committed or inconsistent\n",
                 img.base, img.image_size, img.entry);
    std::abort();
  }
  return 0;
}
