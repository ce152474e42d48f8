// The console's guest address map as a table: which range is which heap, its page size, and for
// the three physical views which physical address their first page shows. The memory exports
// (exports/memory.cc) and the exit dump's memory section read it; nothing else hard-codes a range.
#pragma once
#include <cstdint>
#include <span>

namespace hexad::kernel {

enum class RegionKind : uint8_t {
  Virtual,        // NtAllocateVirtualMemory's heaps
  Image,          // XEX images (the title at 0x82000000)
  KernelStacks,   // thread stacks (hexad's kernel heap)
  Pool,           // ExAllocatePool*
  KernelObjects,  // hexad's object arena: headers, KTHREADs, kernel variables
  PhysicalView,   // MmAllocatePhysicalMemory*: a window onto the 512 MiB of physical memory
};
const char* region_kind_name(RegionKind k);

struct AddressRegion {
  const char* name;  // as the dump names it: "v40000000"
  uint32_t base;
  uint32_t size;
  uint32_t page_size;        // the allocation unit of the heap
  RegionKind kind;
  uint32_t physical_offset;  // PhysicalView: the physical address of the view's first page
  const char* use;           // one line for the dump and `hexad` docs
};

constexpr uint32_t kPhysicalMemorySize = 0x20000000;  // 512 MiB

// Every region, by address; gaps are unmapped (never allocated by anyone).
std::span<const AddressRegion> address_map();
// nullptr when addr lies in no region.
const AddressRegion* region_of(uint32_t addr);
// The first region of `kind` with that page size; nullptr when there is none.
const AddressRegion* region_by_kind(RegionKind kind, uint32_t page_size);

}  // namespace hexad::kernel
