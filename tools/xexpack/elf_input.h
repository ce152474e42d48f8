// Reads a linked guest SDK title (static 32-bit big-endian PowerPC ELF) into a flat image plus
// the import thunks and variable slots the SDK's HX_IMPORT macros emitted (sdk/include/hx/import.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hexad::xexpack {

struct ElfImport {
  uint32_t module_id;  // SDK module id: 0 xboxkrnl, 1 xam
  uint16_t ordinal;
  bool is_function;    // thunk (16 bytes) or variable slot (4 bytes)
  uint32_t addr;
};

// A loadable ELF segment: becomes a PE section (.text, .rdata or .data by its flags).
struct TitleSegment {
  uint32_t vaddr, memsz, filesz, flags;  // flags: ELF PF_X 1, PF_W 2, PF_R 4
};

struct TitleImage {
  uint32_t base = 0;              // page-aligned guest address of the first byte
  std::vector<uint8_t> bytes;     // base .. base + size, zero-filled where nothing is loaded
  std::vector<uint8_t> page_type; // one XEX section type per 4 KiB page (1 code, 2 data, 3 ro)
  uint32_t entry = 0;
  bool has_tls = false;
  uint32_t tls_addr = 0, tls_file_size = 0, tls_mem_size = 0;
  std::vector<ElfImport> imports;  // in address order
  std::vector<TitleSegment> segments;  // the PT_LOAD segments, in address order
};

// Throws hexad::Error naming the problem and its file offset.
TitleImage read_title_elf(const std::string& bytes, const std::string& name);

// Library name of an SDK module id ("xboxkrnl.exe", "xam.xex"); empty when unknown.
std::string sdk_module_name(uint32_t module_id);

}  // namespace hexad::xexpack
