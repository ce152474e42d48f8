// The import libraries header (key 0x000103FF): see docs/xex2.md "Import libraries".
#include <cstring>

#include "loader/xex/xex_format.h"
#include "loader/xex/xex_parser.h"

namespace hexad::loader::detail {

using namespace hexad::xex;

void parse_imports(const Parser& p, const OptHeader& h, const std::vector<uint8_t>& image, uint32_t base,
                   std::vector<XexLibrary>& libs, std::vector<XexImport>& out) {
  const uint32_t off = h.data_off, size = h.data_size;
  const uint64_t end = uint64_t(off) + size;
  if (size < kImpHeaderSize)
    p.bad("import libraries size {} at offset 0x{:x} is smaller than its 12-byte header", size, off);
  const uint32_t strings_size = p.u32(off + 4, "import string table size", end);
  const uint32_t lib_count = p.u32(off + 8, "import library count", end);
  const uint64_t strings_off = uint64_t(off) + kImpHeaderSize;
  if (strings_size % 4 != 0 || strings_off + strings_size > end)
    p.bad("import string table size {} at offset 0x{:x} does not fit the {}-byte import libraries header",
          strings_size, off + 4, size);
  if (lib_count > 255) p.bad("import library count {} at offset 0x{:x} exceeds 255", lib_count, off + 8);

  // String table: NUL-terminated names, each padded to a multiple of 4 bytes.
  std::vector<std::string> names;
  for (uint64_t s = strings_off; s < strings_off + strings_size;) {
    const char* begin = p.b_.data() + s;
    const void* nul = std::memchr(begin, 0, size_t(strings_off + strings_size - s));
    if (!nul) p.bad("import library name at offset 0x{:x} is not NUL-terminated inside the string table", s);
    size_t len = size_t(static_cast<const char*>(nul) - begin);
    if (len == 0) {  // padding
      ++s;
      continue;
    }
    names.emplace_back(begin, len);  // raw bytes: traces and dumps keep non-UTF-8 names as data
    s += (len + 1 + 3) & ~size_t(3);
  }
  if (names.size() < lib_count)
    p.bad("import string table at offset 0x{:x} holds {} names for {} libraries (count at offset 0x{:x})",
          strings_off, names.size(), lib_count, off + 8);

  uint64_t lib = strings_off + strings_size;
  const uint64_t image_end = uint64_t(base) + image.size();
  for (uint32_t li = 0; li < lib_count; ++li) {
    const uint32_t lib_size = p.u32(lib + kLibSize, "import library size", end);
    const uint16_t name_index = p.u16(lib + kLibNameIndex, "import library name index", end);
    const uint16_t count = p.u16(lib + kLibCount, "import library record count", end);
    if (lib_size != kLibRecords + 4u * count || lib + lib_size > end)
      p.bad("import library {} size {} at offset 0x{:x} does not match its {} records or overruns the "
            "import libraries header (ends at 0x{:x})", li, lib_size, lib, count, end);
    if (name_index >= names.size())
      p.bad("import library {} name index {} at offset 0x{:x} is outside the string table ({} names)", li,
            name_index, lib + kLibNameIndex, names.size());
    const std::string& module = names[name_index];
    libs.push_back({module, p.u32(lib + kLibId, "import library id", end),
                    XexVersion{p.u32(lib + kLibVersion, "import library version", end)},
                    XexVersion{p.u32(lib + kLibMinVersion, "import library minimum version", end)}, count});
    for (uint32_t r = 0; r < count; ++r) {
      const uint64_t rec_off = lib + kLibRecords + 4ull * r;
      const uint32_t addr = p.u32(rec_off, "import record", end);
      if (addr % 4 != 0 || addr < base || uint64_t(addr) + 4 > image_end)
        p.bad("import library '{}' record {} at offset 0x{:x}: address 0x{:08x} is not an aligned word "
              "inside the image 0x{:08x}..0x{:08x}", module, r, rec_off, addr, base, image_end);
      const uint32_t word = load_be<uint32_t>(image.data() + (addr - base));
      const uint32_t type = word >> 24, index = (word >> 16) & 0xFF;
      const uint16_t ordinal = uint16_t(word & 0xFFFF);
      if (index != li)
        p.bad("import library '{}' record {} at offset 0x{:x}: the word at 0x{:08x} (0x{:08x}) names library "
              "index {}, expected {}", module, r, rec_off, addr, word, index, li);
      if (type == kRecordVariable) {
        out.push_back({module, ordinal, false, addr});
      } else if (type == kRecordThunk) {
        if (uint64_t(addr) + kThunkSize > image_end)
          p.bad("import library '{}' record {} at offset 0x{:x}: thunk 0x{:08x}+16 runs past the image end "
                "0x{:08x}", module, r, rec_off, addr, image_end);
        // Console linkers emit an import-address slot (type 0) followed by the function's thunk
        // (type 1) for the same ordinal: report the pair once, as the function.
        if (r > 0 && !out.empty() && !out.back().is_function && out.back().module == module &&
            out.back().ordinal == ordinal) {
          out.back().is_function = true;
          out.back().record_addr = addr;
        } else {
          out.push_back({module, ordinal, true, addr});
        }
      } else {
        p.bad("import library '{}' record {} at offset 0x{:x}: the word at 0x{:08x} (0x{:08x}) has record type "
              "{} (want 0 = variable or 1 = thunk)", module, r, rec_off, addr, word, type);
      }
    }
    lib += lib_size;
  }
}

}  // namespace hexad::loader::detail
