#include "kernel/xboxkrnl/guest_vm.h"

#include <algorithm>
#include <bit>

namespace hexad::kernel {
namespace {

constexpr uint32_t kSmallPage = 0x1000, kLargePage = 0x10000, kHugePage = 0x1000000;
// xenia's xeAllocatePoolTypeWithTag: requests up to 0xFD8 bytes get an 8-byte header
// (byte 2 = 170, then the tag) and the address after it; larger ones a whole page, no header.
constexpr uint32_t kPoolSmallMax = 0xFD8, kPoolHeaderSize = 8;
constexpr uint8_t kPoolHeaderMark = 170;
// The first 64 KiB stay reserved and inaccessible (xenia's Memory::Initialize reserves them) so
// that a NULL-based pointer faults.
constexpr uint32_t kNullGuardSize = 0x10000;

uint64_t round_up(uint64_t v, uint64_t to) { return (v + to - 1) / to * to; }
uint64_t round_down(uint64_t v, uint64_t to) { return v / to * to; }

size_t region_index(const AddressRegion& r) { return size_t(&r - address_map().data()); }
bool is_heap(const AddressRegion& r) {
  return r.kind == RegionKind::Virtual || r.kind == RegionKind::Image || r.kind == RegionKind::PhysicalView;
}

// The base PAGE_* protections NtAllocateVirtualMemory accepts: exactly one of them (NT rejects
// none or several with STATUS_INVALID_PAGE_PROTECTION; copy-on-write is for mapped sections only).
constexpr uint32_t kBaseProtects = kPageNoAccess | kPageReadOnly | kPageReadWrite | kPageExecute | kPageExecuteRead |
                                   kPageExecuteReadWrite;
constexpr uint32_t kExecuteProtects = kPageExecute | kPageExecuteRead | kPageExecuteReadWrite | kPageExecuteWriteCopy;

}  // namespace

GuestVm::GuestVm(cpu::Memory& mem, cpu::GuestHeap& stacks)
    : mem_(mem),
      stacks_(stacks),
      pool_(mem, region_by_kind(RegionKind::Pool, kSmallPage)->base, region_by_kind(RegionKind::Pool, kSmallPage)->size),
      heaps_(address_map().size()) {
  const AddressRegion& low = *region_of(0);
  heaps_[region_index(low)][0] = {0, kNullGuardSize, kPageNoAccess, 0};
}

bool GuestVm::valid_protect(uint32_t protect) { return std::popcount(protect & 0xFF) == 1 && (protect & kBaseProtects); }

// xenia's FromXdkProtectFlags: read-only and execute-read read, read-write and
// execute-read-write read and write; the execute bits never make data executable (the console's
// hypervisor only runs signed image code).
uint8_t GuestVm::page_prot(uint32_t protect) {
  if (protect & (kPageReadOnly | kPageExecuteRead)) return cpu::kProtRead;
  if (protect & (kPageReadWrite | kPageExecuteReadWrite)) return cpu::kProtRW;
  return cpu::kProtNone;
}

// xenia's ToXdkProtectFlags, with image code pages (executable) shown as PAGE_EXECUTE_READ.
uint32_t GuestVm::page_protect_flags(uint8_t prot, uint32_t cache) {
  uint32_t p;
  switch (prot & cpu::kProtRWX) {
    case cpu::kProtRead: p = kPageReadOnly; break;
    case cpu::kProtRW: p = kPageReadWrite; break;
    case cpu::kProtRX: p = kPageExecuteRead; break;
    case cpu::kProtRWX: p = kPageExecuteReadWrite; break;
    case cpu::kProtExec: p = kPageExecute; break;
    default: p = kPageNoAccess; break;
  }
  return p | (cache & (kPageNoCache | kPageWriteCombine));
}

std::map<uint32_t, VmAllocation>& GuestVm::heap_of(const AddressRegion& r) { return heaps_[region_index(r)]; }
const std::map<uint32_t, VmAllocation>* GuestVm::heap_of_const(const AddressRegion& r) const {
  return is_heap(r) ? &heaps_[region_index(r)] : nullptr;
}

const std::map<uint32_t, VmAllocation>& GuestVm::allocations(const AddressRegion& r) const {
  return heaps_[region_index(r)];
}

const VmAllocation* GuestVm::containing(const std::map<uint32_t, VmAllocation>& heap, uint32_t addr) {
  auto it = heap.upper_bound(addr);
  if (it == heap.begin()) return nullptr;
  --it;
  return addr - it->second.base < it->second.size ? &it->second : nullptr;
}

bool GuestVm::range_free(const std::map<uint32_t, VmAllocation>& heap, uint64_t base, uint64_t size) {
  auto it = heap.lower_bound(uint32_t(base));
  if (it != heap.end() && it->first < base + size) return false;
  if (it != heap.begin()) {
    --it;
    if (uint64_t(it->first) + it->second.size > base) return false;
  }
  return true;
}

std::optional<uint32_t> GuestVm::find_free(const std::map<uint32_t, VmAllocation>& heap, uint64_t lo, uint64_t hi_end,
                                           uint64_t size, uint64_t align, bool top_down) {
  if (size == 0 || hi_end < lo || hi_end - lo < size) return std::nullopt;
  // Walk the gaps between allocations in address order (or its reverse); the first gap that
  // holds an aligned block wins. O(allocations) and deterministic.
  auto fits = [&](uint64_t gap_lo, uint64_t gap_hi) -> std::optional<uint32_t> {
    gap_lo = std::max(gap_lo, lo);
    gap_hi = std::min(gap_hi, hi_end);
    if (gap_hi <= gap_lo || gap_hi - gap_lo < size) return std::nullopt;
    uint64_t start = top_down ? round_down(gap_hi - size, align) : round_up(gap_lo, align);
    if (start < gap_lo || start + size > gap_hi) return std::nullopt;
    return uint32_t(start);
  };
  if (!top_down) {
    uint64_t cursor = lo;
    for (const auto& [base, a] : heap) {
      if (uint64_t(base) + a.size <= cursor) continue;
      if (base >= hi_end) break;
      if (auto s = fits(cursor, base)) return s;
      cursor = std::max<uint64_t>(cursor, uint64_t(base) + a.size);
    }
    return fits(cursor, hi_end);
  }
  uint64_t cursor = hi_end;
  for (auto it = heap.rbegin(); it != heap.rend(); ++it) {
    uint64_t end = uint64_t(it->first) + it->second.size;
    if (it->first >= cursor) continue;
    if (end <= lo) break;
    if (auto s = fits(end, cursor)) return s;
    cursor = std::min<uint64_t>(cursor, it->first);
  }
  return fits(lo, cursor);
}

void GuestVm::commit_range(uint32_t base, uint32_t size, uint32_t protect) {
  const uint8_t prot = page_prot(protect);
  mem_.protect(base, size, prot);  // the pages already committed
  uint64_t end = uint64_t(base) + size;
  for (uint64_t a = base; a < end;) {
    if (mem_.is_committed(uint32_t(a))) {
      a += cpu::Memory::kPageSize;
      continue;
    }
    uint64_t run = a;
    while (run < end && !mem_.is_committed(uint32_t(run))) run += cpu::Memory::kPageSize;
    mem_.commit(uint32_t(a), uint32_t(run - a), prot);
    a = run;
  }
}

void GuestVm::note_image(uint32_t base, uint32_t size) {
  const AddressRegion* r = region_of(base);
  if (!r || r->kind != RegionKind::Image || size == 0) return;
  uint64_t len = std::min<uint64_t>(round_up(size, r->page_size), uint64_t(r->base) + r->size - base);
  heap_of(*r)[base] = {base, uint32_t(len), kPageExecuteReadWrite, 0};
}

// NtAllocateVirtualMemory, after xenia's NtAllocateVirtualMemory_entry: with a base, the heap
// containing it decides the page size and the size is rounded to its pages; without one, 4 KiB
// pages (64 KiB with MEM_LARGE_PAGES) and the size rounded to 64 KiB, placed bottom-up (top-down
// with MEM_TOP_DOWN) at page alignment. A request the heap cannot meet is STATUS_NO_MEMORY.
uint32_t GuestVm::allocate(uint32_t& base_io, uint32_t& size_io, uint32_t type, uint32_t protect) {
  if (size_io == 0) return kStatusInvalidParameter;
  if (!(type & (kMemCommit | kMemReset | kMemReserve))) return kStatusInvalidParameter;
  if ((type & kMemReset) && (type & ~kMemReset)) return kStatusInvalidParameter;
  if (!valid_protect(protect)) return kStatusInvalidPageProtection;  // NT's rule; xenia does not check
  const AddressRegion* r;
  if (base_io) {
    r = region_of(base_io);
    if (!r || r->kind != RegionKind::Virtual) return kStatusInvalidParameter;
  } else {
    r = region_by_kind(RegionKind::Virtual, (type & kMemLargePages) ? kLargePage : kSmallPage);
  }
  auto& heap = heap_of(*r);
  const uint64_t page = r->page_size, region_end = uint64_t(r->base) + r->size;
  const uint32_t cache = protect & (kPageNoCache | kPageWriteCombine);
  uint64_t base, size;
  if (base_io) {
    base = round_down(base_io, page);
    size = round_up(uint64_t(base_io) + size_io, page) - base;
    if (base + size > region_end) return kStatusNoMemory;
    if (type & kMemReset) {
      // MEM_RESET: the contents may be discarded; hexad keeps them. The range must be committed.
      const VmAllocation* a = containing(heap, uint32_t(base));
      if (!a || base + size > uint64_t(a->base) + a->size || committed_bytes(uint32_t(base), uint32_t(size)) != size)
        return kStatusNoMemory;
    } else if (type & kMemReserve) {
      if (!range_free(heap, base, size)) return kStatusNoMemory;
      heap[uint32_t(base)] = {uint32_t(base), uint32_t(size), protect, cache};
    } else {
      VmAllocation* a = const_cast<VmAllocation*>(containing(heap, uint32_t(base)));
      if (!a || is_null_guard(*a) || base + size > uint64_t(a->base) + a->size) return kStatusNoMemory;
      a->cache = cache;
    }
  } else {
    if (type & kMemReset) return kStatusInvalidParameter;
    size = round_up(size_io, kLargePage);
    uint64_t lo = r->base;
    auto found = find_free(heap, lo, region_end, size, page, (type & kMemTopDown) != 0);
    if (!found) return kStatusNoMemory;
    base = *found;
    heap[uint32_t(base)] = {uint32_t(base), uint32_t(size), protect, cache};
  }
  if (type & kMemCommit) commit_range(uint32_t(base), uint32_t(size), protect);
  base_io = uint32_t(base);
  size_io = uint32_t(size);
  return kStatusSuccess;
}

// NtFreeVirtualMemory, after xenia's NtFreeVirtualMemory_entry: a zero base is
// STATUS_MEMORY_NOT_ALLOCATED, an address outside the virtual heaps STATUS_INVALID_PARAMETER,
// and a free the heap refuses (nothing allocated there; a release not at an allocation's base; a
// decommit past its end) STATUS_UNSUCCESSFUL. A free type other than exactly MEM_DECOMMIT or
// MEM_RELEASE is STATUS_INVALID_PARAMETER (NT's rule; xenia releases). A decommit of size 0
// decommits to the allocation's end (NT); a release frees the whole allocation, whatever size.
uint32_t GuestVm::free(uint32_t& base_io, uint32_t& size_io, uint32_t type) {
  if (!base_io) return kStatusMemoryNotAllocated;
  const AddressRegion* r = region_of(base_io);
  if (!r || r->kind != RegionKind::Virtual) return kStatusInvalidParameter;
  if (type != kMemDecommit && type != kMemRelease) return kStatusInvalidParameter;
  auto& heap = heap_of(*r);
  const VmAllocation* a = containing(heap, base_io);
  if (!a || is_null_guard(*a)) return kStatusUnsuccessful;
  const uint64_t page = r->page_size, a_end = uint64_t(a->base) + a->size;
  if (type == kMemRelease) {
    if (round_down(base_io, page) != a->base) return kStatusUnsuccessful;
    uint32_t base = a->base, size = a->size;
    mem_.decommit(base, size);
    heap.erase(base);
    base_io = base;
    size_io = size;
    return kStatusSuccess;
  }
  uint64_t base = round_down(base_io, page);
  uint64_t end = size_io ? round_up(uint64_t(base_io) + size_io, page) : a_end;
  if (end > a_end) return kStatusUnsuccessful;
  mem_.decommit(uint32_t(base), uint32_t(end - base));
  base_io = uint32_t(base);
  size_io = uint32_t(end - base);
  return kStatusSuccess;
}

// NtProtectVirtualMemory, after xenia's NtProtectVirtualMemory_entry: the execute protections
// are STATUS_INVALID_PAGE_PROTECTION, an address outside the virtual heaps
// STATUS_INVALID_PARAMETER, a range not wholly committed inside one allocation
// STATUS_ACCESS_DENIED. The previous protection is the first page's.
uint32_t GuestVm::protect(uint32_t& base_io, uint32_t& size_io, uint32_t protect, uint32_t& old_protect) {
  if (size_io == 0) return kStatusInvalidParameter;
  if ((protect & kExecuteProtects) || !valid_protect(protect)) return kStatusInvalidPageProtection;
  const AddressRegion* r = region_of(base_io);
  if (!r || r->kind != RegionKind::Virtual) return kStatusInvalidParameter;
  const uint64_t page = r->page_size;
  uint64_t base = round_down(base_io, page), end = round_up(uint64_t(base_io) + size_io, page);
  VmAllocation* a = const_cast<VmAllocation*>(containing(heap_of(*r), uint32_t(base)));
  if (!a || end > uint64_t(a->base) + a->size || committed_bytes(uint32_t(base), uint32_t(end - base)) != end - base)
    return kStatusAccessDenied;
  old_protect = page_protect_flags(mem_.prot(uint32_t(base)), a->cache);
  a->cache = protect & (kPageNoCache | kPageWriteCombine);
  mem_.protect(uint32_t(base), uint32_t(end - base), page_prot(protect));
  base_io = uint32_t(base);
  size_io = uint32_t(end - base);
  return kStatusSuccess;
}

std::optional<VmAllocation> GuestVm::allocation_at(uint32_t addr) const {
  const AddressRegion* r = region_of(addr);
  if (!r) return std::nullopt;
  if (const auto* heap = heap_of_const(*r)) {
    const VmAllocation* a = containing(*heap, addr);
    return a ? std::optional<VmAllocation>(*a) : std::nullopt;
  }
  if (r->kind == RegionKind::KernelObjects) return VmAllocation{r->base, r->size, kPageReadWrite, 0};
  const auto& live = (r->kind == RegionKind::Pool ? pool_ : stacks_).live();
  auto it = live.upper_bound(addr);
  if (it == live.begin()) return std::nullopt;
  --it;
  if (addr - it->first >= it->second) return std::nullopt;
  return VmAllocation{it->first, it->second, kPageReadWrite, 0};
}

// NtQueryVirtualMemory, after xenia's NtQueryVirtualMemory_entry and BaseHeap::QueryRegionInfo:
// from the page holding addr, the run of pages in the same state (and protection) inside its
// allocation, or the run of free pages up to the next allocation. Type is always MEM_PRIVATE.
uint32_t GuestVm::query(uint32_t addr, MemoryBasicInfo& out) const {
  const AddressRegion* r = region_of(addr);
  if (!r) return kStatusInvalidParameter;
  const uint64_t page = r->page_size, region_end = uint64_t(r->base) + r->size;
  const uint64_t first = round_down(addr - r->base, page) + r->base;
  out = {uint32_t(first), 0, 0, 0, kMemFree, 0, kMemPrivate};
  if (auto a = allocation_at(addr)) {
    const bool committed = mem_.is_committed(uint32_t(first));
    const uint8_t prot = mem_.prot(uint32_t(first));
    uint64_t end = first;
    const uint64_t a_end = uint64_t(a->base) + a->size;
    while (end < a_end && mem_.is_committed(uint32_t(end)) == committed && (!committed || mem_.prot(uint32_t(end)) == prot))
      end += page;
    out.allocation_base = a->base;
    out.allocation_protect = a->protect;
    out.region_size = uint32_t(end - first);
    out.state = committed ? kMemCommit : kMemReserve;
    out.protect = committed ? page_protect_flags(prot, a->cache) : 0;
    return kStatusSuccess;
  }
  uint64_t end = region_end;
  if (const auto* heap = heap_of_const(*r)) {
    auto next = heap->upper_bound(addr);
    if (next != heap->end()) end = std::min<uint64_t>(end, next->first);
  } else {
    const auto& live = (r->kind == RegionKind::Pool ? pool_ : stacks_).live();
    auto next = live.upper_bound(addr);
    if (next != live.end()) end = std::min<uint64_t>(end, next->first);
  }
  out.region_size = uint32_t(end - first);
  return kStatusSuccess;
}

// xeMmAllocatePhysicalMemoryEx (xenia): the protection must grant read or read-write; the page
// size is 64 KiB with MEM_LARGE_PAGES, 16 MiB with MEM_16MB_PAGES, else 4 KiB, and picks the view
// (0xA0000000, 0xC0000000, 0xE0000000); size and alignment are rounded up to it; the range is of
// physical addresses, the view's offset subtracted (saturating); placement is top-down. The
// pages are distinct physical pages across all three views.
uint32_t GuestVm::allocate_physical(uint32_t size, uint32_t protect, uint32_t min_phys, uint32_t max_phys,
                                    uint32_t align) {
  if (!(protect & (kPageReadOnly | kPageReadWrite))) return 0;
  const uint32_t page = (protect & kMemLargePages) ? kLargePage : (protect & kMem16MbPages) ? kHugePage : kSmallPage;
  const AddressRegion& view = *region_by_kind(RegionKind::PhysicalView, page);
  const uint64_t asize = round_up(size, page), aalign = round_up(std::max<uint32_t>(align, 1), page);
  if (asize == 0 || asize > view.size || !std::has_single_bit(aalign)) return 0;
  auto sat_sub = [](uint32_t a, uint32_t b) { return a > b ? a - b : 0u; };
  const uint64_t lo = std::min(sat_sub(min_phys, view.physical_offset), view.size - 1);
  const uint64_t hi = std::min(sat_sub(max_phys, view.physical_offset), view.size - 1);
  // Offsets in the view; the physical map holds every view's allocations as physical ranges,
  // so translate it into this view's offsets to search (a small map: one entry per allocation).
  std::map<uint32_t, VmAllocation> taken;
  for (const auto& [phys, len] : physical_) {
    uint64_t s = phys > view.physical_offset ? phys - view.physical_offset : 0;
    uint64_t e = uint64_t(phys) + len > view.physical_offset ? uint64_t(phys) + len - view.physical_offset : 0;
    if (e > s) taken[uint32_t(s)] = {uint32_t(s), uint32_t(e - s), 0, 0};
  }
  auto off = find_free(taken, lo, hi + 1, asize, aalign, true);
  if (!off) return 0;
  const uint32_t addr = view.base + *off;
  heap_of(view)[addr] = {addr, uint32_t(asize), protect & 0xFFFF, protect & (kPageNoCache | kPageWriteCombine)};
  physical_[*off + view.physical_offset] = uint32_t(asize);
  physical_in_use_ += asize;
  commit_range(addr, uint32_t(asize), protect);
  return addr;
}

bool GuestVm::free_physical(uint32_t addr) {
  const AddressRegion* r = region_of(addr);
  if (!r || r->kind != RegionKind::PhysicalView) return false;
  auto& heap = heap_of(*r);
  auto it = heap.find(addr);
  if (it == heap.end()) return false;
  mem_.decommit(addr, it->second.size);
  physical_.erase(addr - r->base + r->physical_offset);
  physical_in_use_ -= it->second.size;
  heap.erase(it);
  return true;
}

uint32_t GuestVm::view_address(uint32_t phys) const {
  for (const AddressRegion& r : address_map()) {
    if (r.kind != RegionKind::PhysicalView || phys < r.physical_offset || phys - r.physical_offset >= r.size) continue;
    const uint32_t addr = r.base + (phys - r.physical_offset);
    const auto* heap = heap_of_const(r);
    if (heap && containing(*heap, addr)) return addr;
  }
  return 0;
}

uint32_t GuestVm::physical_address(uint32_t addr) {
  const AddressRegion* r = region_of(addr);
  return r && r->kind == RegionKind::PhysicalView ? addr - r->base + r->physical_offset : 0;
}

uint32_t GuestVm::query_protect(uint32_t addr) const {
  if (!mem_.is_committed(addr)) return 0;
  auto a = allocation_at(addr);
  return page_protect_flags(mem_.prot(addr), a ? a->cache : 0);
}

// MmSetAddressProtect, after xenia's MmSetAddressProtect_entry: a protection with other than
// exactly one of NOACCESS/READONLY/READWRITE/EXECUTE_READ/EXECUTE_READWRITE is ignored, and so is
// an address in an image (the console keeps image pages as loaded). Only committed pages change.
// hexad's kernel object arena is also left alone (the kernel writes its headers there).
void GuestVm::set_protect(uint32_t addr, uint32_t size, uint32_t protect) {
  constexpr uint32_t kRequired = kPageNoAccess | kPageReadOnly | kPageReadWrite | kPageExecuteRead | kPageExecuteReadWrite;
  if (std::popcount(protect & kRequired) != 1) return;
  const AddressRegion* r = region_of(addr);
  if (!r || r->kind == RegionKind::Image || r->kind == RegionKind::KernelObjects) return;
  uint64_t end = std::min<uint64_t>(uint64_t(addr) + size, uint64_t(r->base) + r->size);
  if (end <= addr) return;
  mem_.protect(addr, uint32_t(end - addr), page_prot(protect));
  if (const auto* heap = heap_of_const(*r))
    if (VmAllocation* a = const_cast<VmAllocation*>(containing(*heap, addr)))
      a->cache = protect & (kPageNoCache | kPageWriteCombine);
}

uint32_t GuestVm::allocation_size(uint32_t addr) const {
  auto a = allocation_at(addr);
  return a ? a->size : 0;
}

bool GuestVm::address_valid(uint32_t addr) const { return mem_.is_committed(addr) && mem_.prot(addr) != cpu::kProtNone; }

uint32_t GuestVm::pool_alloc(uint32_t size, uint32_t tag) {
  if (size <= kPoolSmallMax) {
    uint32_t block = pool_.alloc(size + kPoolHeaderSize, kSmallPage, cpu::kProtRW);
    if (!block) return 0;
    mem_.write8(block + 2, kPoolHeaderMark);
    mem_.write32(block + 4, tag);
    return block + kPoolHeaderSize;
  }
  return pool_.alloc(size, kSmallPage, cpu::kProtRW);
}

// xenia's xeFreePool: a page-aligned address is a large block, any other has its header 8 bytes
// before it.
bool GuestVm::pool_free(uint32_t addr) {
  uint32_t block = (addr & (kSmallPage - 1)) == 0 ? addr : addr - kPoolHeaderSize;
  const AddressRegion* r = region_of(block);
  if (!r || r->kind != RegionKind::Pool || (block & (kSmallPage - 1)) || !pool_.free(block)) {
    ++invalid_frees_;
    return false;
  }
  return true;
}

uint64_t GuestVm::committed_bytes(uint32_t base, uint32_t size) const {
  uint64_t n = 0, end = uint64_t(base) + size;
  for (uint64_t a = base; a < end; a += cpu::Memory::kPageSize)
    if (mem_.is_committed(uint32_t(a))) n += cpu::Memory::kPageSize;
  return n;
}

GuestVm::RegionUse GuestVm::use_of(const AddressRegion& r) const {
  RegionUse u;
  if (const auto* heap = heap_of_const(r)) {
    for (const auto& [base, a] : *heap) {
      ++u.allocations;
      u.reserved_bytes += a.size;
      u.committed_bytes += committed_bytes(base, a.size);
    }
    return u;
  }
  if (r.kind == RegionKind::KernelObjects) return {1, r.size, committed_bytes(r.base, r.size)};
  const cpu::GuestHeap& h = r.kind == RegionKind::Pool ? pool_ : stacks_;
  return {h.live().size(), h.bytes_in_use(), h.bytes_in_use()};
}

}  // namespace hexad::kernel
