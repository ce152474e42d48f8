// Static big-endian PowerPC ELF programs (32-bit, and 64-bit ELFv1 with function descriptors).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hexad::cpu {
class Memory;
}

namespace hexad::loader {

struct ElfImage {
  bool is64 = false;
  uint64_t entry = 0;        // code address (descriptor already followed for ELFv1)
  uint64_t entry_toc = 0;    // r2 from the ELFv1 descriptor, 0 otherwise
  uint32_t lowest = 0, highest = 0;   // span of the loaded segments
  uint32_t brk_start = 0;    // first page after the highest segment
};

// Maps every PT_LOAD segment into `mem`. Throws hexad::Error naming the field and offset on a
// malformed file.
ElfImage load_elf(const std::string& bytes, cpu::Memory& mem, const std::string& name);

}  // namespace hexad::loader
