#include "kernel/xboxkrnl/address_map.h"

namespace hexad::kernel {
namespace {

// From xenia's Memory::Initialize (src/xenia/memory.cc, xenia-project/xenia and xenia-canary):
//   v00000000  0x00000000 +0x40000000  4 KiB pages   guest virtual
//   v40000000  0x40000000 +0x3F000000  64 KiB pages  guest virtual
//   v80000000  0x80000000 +0x10000000  64 KiB pages  XEX images
//   v90000000  0x90000000 +0x10000000  4 KiB pages   XEX images
//   vA0000000  0xA0000000 +0x20000000  64 KiB pages  physical view
//   vC0000000  0xC0000000 +0x20000000  16 MiB pages  physical view
//   vE0000000  0xE0000000 +0x20000000  4 KiB pages   physical view, shows physical + 0x1000
//                                                     (PhysicalHeap::GetPhysicalAddress)
// and xboxkrnl_memory.cc's MmCreateKernelStack allocates stacks in 0x70000000-0x7F000000 of the
// 64 KiB heap. hexad keeps that range for its own kernel (stacks, then the pool, then the object
// arena at 0x7F000000, where xenia keeps its GPU write-back ranges), so the title's 64 KiB heap
// ends at 0x70000000.
constexpr AddressRegion kMap[] = {
    {"v00000000", 0x00000000, 0x40000000, 0x1000, RegionKind::Virtual, 0,
     "NtAllocateVirtualMemory, 4 KiB pages (the first 64 KiB stay reserved, no access)"},
    {"v40000000", 0x40000000, 0x30000000, 0x10000, RegionKind::Virtual, 0,
     "NtAllocateVirtualMemory with MEM_LARGE_PAGES, 64 KiB pages"},
    {"kernel_stacks", 0x70000000, 0x0E000000, 0x1000, RegionKind::KernelStacks, 0, "thread stacks"},
    {"pool", 0x7E000000, 0x01000000, 0x1000, RegionKind::Pool, 0, "ExAllocatePool*"},
    {"kernel_objects", 0x7F000000, 0x00400000, 0x1000, RegionKind::KernelObjects, 0,
     "object headers, KTHREADs, kernel variables"},
    {"v80000000", 0x80000000, 0x10000000, 0x10000, RegionKind::Image, 0, "XEX images, 64 KiB pages"},
    {"v90000000", 0x90000000, 0x10000000, 0x1000, RegionKind::Image, 0, "XEX images, 4 KiB pages"},
    {"vA0000000", 0xA0000000, 0x20000000, 0x10000, RegionKind::PhysicalView, 0x00000000,
     "physical memory, 64 KiB pages (MEM_LARGE_PAGES)"},
    {"vC0000000", 0xC0000000, 0x20000000, 0x1000000, RegionKind::PhysicalView, 0x00000000,
     "physical memory, 16 MiB pages (MEM_16MB_PAGES)"},
    {"vE0000000", 0xE0000000, 0x1FFFF000, 0x1000, RegionKind::PhysicalView, 0x00001000,
     "physical memory, 4 KiB pages; shows physical address + 0x1000"},
};

}  // namespace

const char* region_kind_name(RegionKind k) {
  switch (k) {
    case RegionKind::Virtual: return "virtual";
    case RegionKind::Image: return "image";
    case RegionKind::KernelStacks: return "kernel_stacks";
    case RegionKind::Pool: return "pool";
    case RegionKind::KernelObjects: return "kernel_objects";
    case RegionKind::PhysicalView: return "physical_view";
  }
  return "?";
}

std::span<const AddressRegion> address_map() { return kMap; }

const AddressRegion* region_of(uint32_t addr) {
  for (const AddressRegion& r : kMap)
    if (addr >= r.base && addr - r.base < r.size) return &r;
  return nullptr;
}

const AddressRegion* region_by_kind(RegionKind kind, uint32_t page_size) {
  for (const AddressRegion& r : kMap)
    if (r.kind == kind && r.page_size == page_size) return &r;
  return nullptr;
}

}  // namespace hexad::kernel
