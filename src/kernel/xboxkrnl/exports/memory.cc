// Memory: virtual allocation, physical allocation, protections, queries and the pool. The rules
// live in GuestVm (guest_vm.cc, after xenia's xboxkrnl_memory.cc); these shims read and write the
// guest's arguments. Every in/out pointer is checked before anything changes, so a bad one
// faults the caller and leaves no half-done allocation behind.
#include <cstdint>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

HEXAD_EXPORTS_BEGIN;

// The in/out (PVOID* base, SIZE_T* size) pair of the Nt*VirtualMemory calls: NULL pointers are
// STATUS_INVALID_PARAMETER (xenia), unreadable or unwritable ones fault the caller.
bool read_in_out(GuestPtr<uint32_t> base_ptr, GuestPtr<uint32_t> size_ptr, uint32_t& base, uint32_t& size) {
  if (!base_ptr || !size_ptr) return false;
  base_ptr.probe(4, cpu::Access::Write);
  size_ptr.probe(4, cpu::Access::Write);
  base = base_ptr.read();
  size = size_ptr.read();
  return true;
}

uint32_t NtAllocateVirtualMemory(ExportContext& x, GuestPtr<uint32_t> base_ptr, GuestPtr<uint32_t> size_ptr,
                                 uint32_t allocation_type, uint32_t protect, uint32_t debug_memory) {
  (void)debug_memory;  // devkit memory: allocated like any other (as xenia does)
  uint32_t base, size;
  if (!read_in_out(base_ptr, size_ptr, base, size)) return kStatusInvalidParameter;
  uint32_t status = x.k.vm().allocate(base, size, allocation_type, protect);
  if (status == kStatusSuccess) {
    base_ptr.write(base);
    size_ptr.write(size);
  }
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x00CC, NtAllocateVirtualMemory, Implemented);

uint32_t NtFreeVirtualMemory(ExportContext& x, GuestPtr<uint32_t> base_ptr, GuestPtr<uint32_t> size_ptr,
                             uint32_t free_type, uint32_t debug_memory) {
  (void)debug_memory;
  uint32_t base, size;
  if (!read_in_out(base_ptr, size_ptr, base, size)) return kStatusInvalidParameter;
  uint32_t status = x.k.vm().free(base, size, free_type);
  if (status == kStatusSuccess) {
    base_ptr.write(base);
    size_ptr.write(size);
  }
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x00DC, NtFreeVirtualMemory, Implemented);

uint32_t NtProtectVirtualMemory(ExportContext& x, GuestPtr<uint32_t> base_ptr, GuestPtr<uint32_t> size_ptr,
                                uint32_t protect, GuestPtr<uint32_t> old_protect, uint32_t debug_memory) {
  (void)debug_memory;
  uint32_t base, size, old = 0;
  if (!read_in_out(base_ptr, size_ptr, base, size)) return kStatusInvalidParameter;
  old_protect.probe_if_set();
  uint32_t status = x.k.vm().protect(base, size, protect, old);
  if (status == kStatusSuccess) {
    base_ptr.write(base);
    size_ptr.write(size);
    old_protect.write_if_set(old);
  }
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x00E1, NtProtectVirtualMemory, Implemented);

// region_type: xenia accepts 0, 1 and 2 (meaning unknown) and rejects the others.
uint32_t NtQueryVirtualMemory(ExportContext& x, uint32_t address, GuestPtr<uint32_t> info, uint32_t region_type) {
  if (region_type > 2) return kStatusInvalidParameter;
  MemoryBasicInfo mbi;
  if (uint32_t status = x.k.vm().query(address, mbi)) return status;
  info.probe(kMemoryBasicInfoSize, cpu::Access::Write);
  const uint32_t words[] = {mbi.base_address, mbi.allocation_base, mbi.allocation_protect,
                            mbi.region_size, mbi.state, mbi.protect, mbi.type};
  for (uint32_t i = 0; i < 7; ++i) info.write(words[i], i);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00EE, NtQueryVirtualMemory, Implemented);

// flags: 0 for titles, 1 and 2 from D3D (xenia); not modelled.
uint32_t MmAllocatePhysicalMemoryEx(ExportContext& x, uint32_t flags, uint32_t size, uint32_t protect,
                                    uint32_t min_address, uint32_t max_address, uint32_t alignment) {
  (void)flags;
  return x.k.vm().allocate_physical(size, protect, min_address, max_address, alignment);
}
HEXAD_EXPORT(xboxkrnl, 0x00BA, MmAllocatePhysicalMemoryEx, Implemented);

uint32_t MmAllocatePhysicalMemory(ExportContext& x, uint32_t flags, uint32_t size, uint32_t protect) {
  (void)flags;
  return x.k.vm().allocate_physical(size, protect, 0, 0xFFFFFFFFu, 0);
}
HEXAD_EXPORT(xboxkrnl, 0x00B9, MmAllocatePhysicalMemory, Implemented);

// void on the console. An address that starts no physical allocation is ignored (xenia asserts)
// and counted in the dump's memory.invalid_frees.
void MmFreePhysicalMemory(ExportContext& x, uint32_t type, uint32_t address) {
  (void)type;
  if (!x.k.vm().free_physical(address)) x.k.vm().count_invalid_free();
}
HEXAD_EXPORT(xboxkrnl, 0x00BD, MmFreePhysicalMemory, Implemented);

uint32_t MmGetPhysicalAddress(ExportContext& x, uint32_t address) {
  (void)x;
  return GuestVm::physical_address(address);
}
HEXAD_EXPORT(xboxkrnl, 0x00BE, MmGetPhysicalAddress, Implemented);

uint32_t MmQueryAddressProtect(ExportContext& x, uint32_t address) { return x.k.vm().query_protect(address); }
HEXAD_EXPORT(xboxkrnl, 0x00C4, MmQueryAddressProtect, Implemented);

void MmSetAddressProtect(ExportContext& x, uint32_t address, uint32_t size, uint32_t protect) {
  x.k.vm().set_protect(address, size, protect);
}
HEXAD_EXPORT(xboxkrnl, 0x00C7, MmSetAddressProtect, Implemented);

uint32_t MmQueryAllocationSize(ExportContext& x, uint32_t address) { return x.k.vm().allocation_size(address); }
HEXAD_EXPORT(xboxkrnl, 0x00C5, MmQueryAllocationSize, Implemented);

uint32_t MmIsAddressValid(ExportContext& x, uint32_t address) { return x.k.vm().address_valid(address) ? 1 : 0; }
HEXAD_EXPORT(xboxkrnl, 0x00BF, MmIsAddressValid, Implemented);

// MM_STATISTICS (xenia's X_MM_QUERY_STATISTICS_RESULT, 104 bytes): Length, TotalPhysicalPages,
// KernelPages, the title's and the system's sections (11 words each), HighestPhysicalPage.
constexpr uint32_t kMmStatisticsSize = 104;
enum StatWord : uint32_t {
  kLength = 0, kTotalPhysicalPages, kKernelPages,
  kTitleAvailablePages, kTitleTotalVirtualBytes, kTitleReservedVirtualBytes, kTitlePhysicalPages, kTitlePoolPages,
  kTitleStackPages, kTitleImagePages, kTitleHeapPages, kTitleVirtualPages, kTitlePageTablePages, kTitleCachePages,
  kHighestPhysicalPage = 25,
};

// A Length other than 104 is STATUS_BUFFER_TOO_SMALL, NULL STATUS_INVALID_PARAMETER (xenia).
// The totals are xenia's (512 MiB of 4 KiB pages, 0x100 kernel pages, 0x2FFE0000 bytes of title
// address space); the title's counts are hexad's own, measured from the address map's regions
// (heap, page-table and cache pages are not modelled and read 0; the system section is 0).
uint32_t MmQueryStatistics(ExportContext& x, GuestPtr<uint32_t> stats) {
  if (!stats) return kStatusInvalidParameter;
  if (stats.read(kLength) != kMmStatisticsSize) return kStatusBufferTooSmall;
  stats.probe(kMmStatisticsSize, cpu::Access::Write);
  uint32_t w[kMmStatisticsSize / 4] = {};
  const GuestVm& vm = x.k.vm();
  uint64_t virtual_committed = 0, virtual_reserved = 0, image = 0, stack = 0, pool = 0;
  for (const AddressRegion& r : address_map()) {
    GuestVm::RegionUse u = vm.use_of(r);
    switch (r.kind) {
      case RegionKind::Virtual: virtual_committed += u.committed_bytes, virtual_reserved += u.reserved_bytes; break;
      case RegionKind::Image: image += u.committed_bytes; break;
      case RegionKind::KernelStacks: stack += u.committed_bytes; break;
      case RegionKind::Pool: pool += u.committed_bytes; break;
      default: break;
    }
  }
  constexpr uint32_t kTotalPages = kPhysicalMemorySize / 0x1000, kKernel = 0x100;
  const uint64_t physical = vm.physical_bytes_in_use() / 0x1000;
  const uint64_t used = kKernel + physical + (virtual_committed + image + stack + pool) / 0x1000;
  w[kLength] = kMmStatisticsSize;
  w[kTotalPhysicalPages] = kTotalPages;
  w[kKernelPages] = kKernel;
  w[kTitleAvailablePages] = used < kTotalPages ? uint32_t(kTotalPages - used) : 0;
  w[kTitleTotalVirtualBytes] = 0x2FFE0000;
  w[kTitleReservedVirtualBytes] = uint32_t(virtual_reserved);
  w[kTitlePhysicalPages] = uint32_t(physical);
  w[kTitlePoolPages] = uint32_t(pool / 0x1000);
  w[kTitleStackPages] = uint32_t(stack / 0x1000);
  w[kTitleImagePages] = uint32_t(image / 0x1000);
  w[kTitleVirtualPages] = uint32_t(virtual_committed / 0x1000);
  w[kHighestPhysicalPage] = kTotalPages - 1;
  for (uint32_t i = 0; i < kMmStatisticsSize / 4; ++i) stats.write(w[i], i);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00C6, MmQueryStatistics, Implemented);

// The pool (xenia's xeAllocatePoolTypeWithTag): NULL when it cannot be met. ExAllocatePool's
// tag is 'None'; the pool type is not modelled (one pool).
constexpr uint32_t kTagNone = 0x656E6F4E;

uint32_t ExAllocatePool(ExportContext& x, uint32_t size) { return x.k.vm().pool_alloc(size, kTagNone); }
HEXAD_EXPORT(xboxkrnl, 0x0009, ExAllocatePool, Implemented);

uint32_t ExAllocatePoolWithTag(ExportContext& x, uint32_t size, uint32_t tag) { return x.k.vm().pool_alloc(size, tag); }
HEXAD_EXPORT(xboxkrnl, 0x000A, ExAllocatePoolWithTag, Implemented);

uint32_t ExAllocatePoolTypeWithTag(ExportContext& x, uint32_t size, uint32_t tag, uint32_t pool_type) {
  (void)pool_type;
  return x.k.vm().pool_alloc(size, tag);
}
HEXAD_EXPORT(xboxkrnl, 0x000B, ExAllocatePoolTypeWithTag, Implemented);

// void on the console, which bug-checks (BAD_POOL_CALLER) on an address the pool did not give
// out; hexad ignores it and counts it in the dump's memory.invalid_frees.
void ExFreePool(ExportContext& x, uint32_t address) { x.k.vm().pool_free(address); }
HEXAD_EXPORT(xboxkrnl, 0x000F, ExFreePool, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> memory_exports() { return kAreaExports; }

}  // namespace hexad::kernel
