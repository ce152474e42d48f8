// The console's memory manager (HLE) over cpu::Memory: NtAllocateVirtualMemory's reservations
// and commits in the virtual heaps, MmAllocatePhysicalMemory's allocations in the physical views,
// the pool, and what NtQueryVirtualMemory and the exit dump see of every region of the address
// map (address_map.h). Page states and protections live in cpu::Memory's page table (what every
// guest access checks); this class only records allocations, in ordered maps, so the same calls
// give the same addresses in every run. Statuses and rules follow xenia's xboxkrnl_memory.cc;
// each function says where NT's own rule was used instead.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "cpu/memory.h"
#include "kernel/xboxkrnl/address_map.h"
#include "kernel/xboxkrnl/files.h"
#include "kernel/xboxkrnl/objects.h"

namespace hexad::kernel {

// MEM_* and PAGE_* as the console's kernel takes them (xenia's src/xenia/xbox.h, X_MEM / X_PAGE).
constexpr uint32_t kMemCommit = 0x00001000;
constexpr uint32_t kMemReserve = 0x00002000;
constexpr uint32_t kMemDecommit = 0x00004000;
constexpr uint32_t kMemRelease = 0x00008000;
constexpr uint32_t kMemFree = 0x00010000;
constexpr uint32_t kMemPrivate = 0x00020000;
constexpr uint32_t kMemReset = 0x00080000;
constexpr uint32_t kMemTopDown = 0x00100000;
constexpr uint32_t kMemNoZero = 0x00800000;
constexpr uint32_t kMemLargePages = 0x20000000;
constexpr uint32_t kMem16MbPages = 0x80000000;
constexpr uint32_t kPageNoAccess = 0x001;
constexpr uint32_t kPageReadOnly = 0x002;
constexpr uint32_t kPageReadWrite = 0x004;
constexpr uint32_t kPageWriteCopy = 0x008;
constexpr uint32_t kPageExecute = 0x010;
constexpr uint32_t kPageExecuteRead = 0x020;
constexpr uint32_t kPageExecuteReadWrite = 0x040;
constexpr uint32_t kPageExecuteWriteCopy = 0x080;
constexpr uint32_t kPageGuard = 0x100;
constexpr uint32_t kPageNoCache = 0x200;
constexpr uint32_t kPageWriteCombine = 0x400;
// NTSTATUS values of the memory exports (the others are in objects.h and files.h).
enum : uint32_t {
  kStatusInvalidPageProtection = 0xC0000045,
  kStatusMemoryNotAllocated = 0xC00000A0,
};

// One allocation (a reservation, or a physical allocation in a view): its pages are committed or
// not in cpu::Memory. `protect` is the PAGE_* it was made with (MEMORY_BASIC_INFORMATION's
// AllocationProtect); `cache` the NOCACHE/WRITECOMBINE bits last given for it.
struct VmAllocation {
  uint32_t base = 0, size = 0;
  uint32_t protect = 0;
  uint32_t cache = 0;
};

// MEMORY_BASIC_INFORMATION as NtQueryVirtualMemory writes it (seven big-endian words, 28 bytes;
// xenia's X_MEMORY_BASIC_INFORMATION).
struct MemoryBasicInfo {
  uint32_t base_address, allocation_base, allocation_protect, region_size, state, protect, type;
};
constexpr uint32_t kMemoryBasicInfoSize = 28;

class GuestVm {
 public:
  // `stacks` is the kernel's stack heap (its region in the map), which the kernel allocates from.
  GuestVm(cpu::Memory& mem, cpu::GuestHeap& stacks);

  // The title's image, as the loader committed it.
  void note_image(uint32_t base, uint32_t size);

  // NtAllocateVirtualMemory / NtFreeVirtualMemory / NtProtectVirtualMemory on the in/out base
  // and size; an NTSTATUS. base and size are written back only on success.
  uint32_t allocate(uint32_t& base, uint32_t& size, uint32_t type, uint32_t protect);
  uint32_t free(uint32_t& base, uint32_t& size, uint32_t type);
  uint32_t protect(uint32_t& base, uint32_t& size, uint32_t protect, uint32_t& old_protect);
  uint32_t query(uint32_t addr, MemoryBasicInfo& out) const;

  // MmAllocatePhysicalMemoryEx: the view address, 0 when it cannot be met.
  uint32_t allocate_physical(uint32_t size, uint32_t protect, uint32_t min_phys, uint32_t max_phys, uint32_t align);
  bool free_physical(uint32_t addr);  // false: addr starts no physical allocation
  static uint32_t physical_address(uint32_t addr);  // 0 outside the physical views
  // The view address where physical address `phys` is allocated; 0 when no view holds it.
  uint32_t view_address(uint32_t phys) const;
  uint32_t query_protect(uint32_t addr) const;      // PAGE_* of a committed page, else 0
  void set_protect(uint32_t addr, uint32_t size, uint32_t protect);
  uint32_t allocation_size(uint32_t addr) const;     // 0 when addr is in no allocation
  bool address_valid(uint32_t addr) const;

  // ExAllocatePool*: 0 when the pool cannot hold it. pool_free is false for an address the pool
  // did not give out (counted in invalid_frees()).
  uint32_t pool_alloc(uint32_t size, uint32_t tag);
  bool pool_free(uint32_t addr);

  // The allocation containing addr, whatever its region.
  std::optional<VmAllocation> allocation_at(uint32_t addr) const;
  // The recorded allocations of a heap region (virtual, image, physical view); empty otherwise.
  const std::map<uint32_t, VmAllocation>& allocations(const AddressRegion& r) const;
  struct RegionUse {
    uint64_t allocations = 0, reserved_bytes = 0, committed_bytes = 0;
  };
  RegionUse use_of(const AddressRegion& r) const;
  uint64_t committed_bytes(uint32_t base, uint32_t size) const;
  uint64_t physical_bytes_in_use() const { return physical_in_use_; }
  uint64_t invalid_frees() const { return invalid_frees_; }
  void count_invalid_free() { ++invalid_frees_; }

  // PAGE_* <-> the page table's protection.
  static bool valid_protect(uint32_t protect);
  static uint8_t page_prot(uint32_t protect);
  static uint32_t page_protect_flags(uint8_t prot, uint32_t cache);

 private:
  std::map<uint32_t, VmAllocation>& heap_of(const AddressRegion& r);
  const std::map<uint32_t, VmAllocation>* heap_of_const(const AddressRegion& r) const;
  static const VmAllocation* containing(const std::map<uint32_t, VmAllocation>& heap, uint32_t addr);
  // The reserved, inaccessible first 64 KiB of the low heap: never committed, protected or freed.
  static bool is_null_guard(const VmAllocation& a) { return a.base == 0; }
  static bool range_free(const std::map<uint32_t, VmAllocation>& heap, uint64_t base, uint64_t size);
  // Lowest (or highest) `align`-aligned start in [lo, hi_end - size] free in `heap`.
  static std::optional<uint32_t> find_free(const std::map<uint32_t, VmAllocation>& heap, uint64_t lo, uint64_t hi_end,
                                           uint64_t size, uint64_t align, bool top_down);
  // Commits [base, base+size) with `protect` (already committed pages keep their contents and
  // take the new protection); newly committed pages read as zero.
  void commit_range(uint32_t base, uint32_t size, uint32_t protect);

  cpu::Memory& mem_;
  cpu::GuestHeap& stacks_;
  cpu::GuestHeap pool_;
  // One map per region of the address map, by the region's index; empty for non-heap regions.
  std::vector<std::map<uint32_t, VmAllocation>> heaps_;
  std::map<uint32_t, uint32_t> physical_;  // physical start -> size: every view's allocations
  uint64_t physical_in_use_ = 0;
  uint64_t invalid_frees_ = 0;
};

}  // namespace hexad::kernel
