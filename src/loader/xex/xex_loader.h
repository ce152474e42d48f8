// XEX2 executables (the console's format), unencrypted, uncompressed or basic-compressed, as
// tools/xexpack writes them for the guest SDK's titles. See docs/xex2.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hexad::cpu {
class Memory;
}

namespace hexad::loader {

struct XexImport {
  std::string module;    // the import library's name as stored, e.g. "xboxkrnl.exe", "xam.xex"
  uint16_t ordinal;
  bool is_function;      // true: record_addr is a 16-byte thunk; false: a 4-byte variable slot
  uint32_t record_addr;  // guest address of the thunk or slot
};

struct XexImage {
  std::string name;  // the original PE name header if present, else the name passed to load_xex
  uint32_t base = 0, image_size = 0, entry = 0, stack_size = 0;
  uint32_t tls_slots = 0, tls_data_size = 0, tls_raw_addr = 0, tls_raw_size = 0;
  std::vector<XexImport> imports;  // in file order: library by library, record by record
};

// Validates the whole file, then commits the image's pages in `mem` (code pages RX, read-only
// data R, data RW, as the page descriptors say) and copies the image. Thunks and variable slots
// are left as in the file: the kernel rewrites them (with Memory::write_bytes_raw, since thunks
// live in read-only pages). Throws hexad::Error naming the bad field and its file offset; `mem`
// is untouched when it throws.
XexImage load_xex(const std::string& bytes, cpu::Memory& mem, const std::string& name);

// True when the file starts with the XEX2 magic.
bool looks_like_xex(const std::string& bytes);

}  // namespace hexad::loader
