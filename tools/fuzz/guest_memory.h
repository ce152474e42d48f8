// The guest memory the loader harnesses load into: one cpu::Memory for the whole run, with every
// page decommitted before it is handed out, so each input starts from an empty address space.
// (Constructing a Memory per input costs ~2 ms under AddressSanitizer, its 1 MiB page table being
// a fresh large allocation each time; decommitting everything costs ~10 us.)
#pragma once
#include "cpu/memory.h"

namespace hexad::fuzz {

inline cpu::Memory& guest_memory() {
  static cpu::Memory* mem = new cpu::Memory;  // never destroyed: libFuzzer may exit from any input
  mem->decommit(0, 0xFFFFFFFFu);
  return *mem;
}

}  // namespace hexad::fuzz
