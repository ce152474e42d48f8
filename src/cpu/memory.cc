#include "cpu/memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "base/hexad_error.h"

namespace hexad::cpu {

namespace {
// Past the 4 GiB space a guard region absorbs the last page's multi-byte overrun in bulk
// copies; guest accessors never reach it because of the page table check.
constexpr uint64_t kGuard = 1ull << 16;

uint32_t page_floor(uint32_t a) { return a & ~(Memory::kPageSize - 1); }
uint64_t page_ceil(uint64_t a) { return (a + Memory::kPageSize - 1) & ~uint64_t(Memory::kPageSize - 1); }

// A committed page's table byte: its protection, the code mark, and the derived direct-store bit.
uint8_t page_byte(uint8_t prot, bool code) {
  const bool direct = (prot & kProtWrite) && !code;
  return uint8_t((prot & kProtRWX) | kPageCommitted | (code ? kPageHasCode : 0) | (direct ? kPageStoreDirect : 0));
}
}  // namespace

const char* access_name(Access a) {
  switch (a) {
    case Access::Read: return "read";
    case Access::Write: return "write";
    case Access::Execute: return "execute";
  }
  return "?";
}

const char* fault_kind_name(FaultKind k) {
  switch (k) {
    case FaultKind::None: return "none";
    case FaultKind::Memory: return "memory";
    case FaultKind::InvalidInstruction: return "invalid-instruction";
    case FaultKind::Trap: return "trap";
    case FaultKind::Exception: return "exception";
  }
  return "?";
}

std::string FaultRecord::describe() const {
  switch (kind) {
    case FaultKind::Memory:
      return fmt::format("guest {} of {} byte(s) at 0x{:08x} (unmapped or protected) at pc 0x{:08x}",
                         access_name(access), size, address, pc);
    case FaultKind::InvalidInstruction:
      return fmt::format("invalid or unimplemented instruction 0x{:08x} at pc 0x{:08x}", word, pc);
    case FaultKind::Trap:
      return fmt::format("trap instruction 0x{:08x} taken at pc 0x{:08x}", word, pc);
    case FaultKind::Exception:
      return fmt::format("unhandled exception 0x{:08x} (flags 0x{:08x}, address 0x{:08x}, {} parameter(s)) raised at pc 0x{:08x}",
                         word, flags, address, size, pc);
    case FaultKind::None: break;
  }
  return "no fault";
}

static_assert(kProtNone == 0, "the protection table starts as mmap's zero pages");

void Memory::UnmapProtTable::operator()(ProtTable* t) const { munmap(t, sizeof(ProtTable)); }

Memory::Memory() {
  void* table = mmap(nullptr, sizeof(ProtTable), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (table == MAP_FAILED) fail("cannot map the guest page table ({} bytes)", sizeof(ProtTable));
  prot_.reset(static_cast<ProtTable*>(table));
  // Shared, so that a second mapping of the same pages (the read view) can exist.
  void* p = mmap(nullptr, kSpaceSize + kGuard, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) fail("cannot reserve the 4 GiB guest address space");
  base_ = static_cast<uint8_t*>(p);
  // An old size of 0 maps the same shared pages again (no file, so no file size limit applies).
  void* v = mremap(base_, 0, kSpaceSize + kGuard, MREMAP_MAYMOVE);
  if (v == MAP_FAILED) {
    munmap(base_, kSpaceSize + kGuard);
    fail("cannot map the guest address space's read view");
  }
  read_view_ = static_cast<uint8_t*>(v);
}

Memory::~Memory() {
  munmap(read_view_, kSpaceSize + kGuard);
  munmap(base_, kSpaceSize + kGuard);
}

namespace {
// A page's host protection in the read view: readable where the guest may read, writable where
// a store needs nothing but the host store (kPageStoreDirect: writable, no code).
int read_view_prot(uint8_t page) {
  if (!(page & kProtRead)) return PROT_NONE;
  return (page & kPageStoreDirect) ? PROT_READ | PROT_WRITE : PROT_READ;
}
}  // namespace

// The read view of [start, end) after its pages' table bytes changed, in runs of pages alike.
void Memory::sync_read_view(uint64_t start, uint64_t end) {
  for (uint64_t a = start; a < end;) {
    const int prot = read_view_prot(prot_->pages[a >> kPageShift]);
    uint64_t b = a + kPageSize;
    while (b < end && read_view_prot(prot_->pages[b >> kPageShift]) == prot) b += kPageSize;
    if (mprotect(read_view_ + a, b - a, prot) != 0)
      fail("host mprotect failed on the read view of guest 0x{:08x}+0x{:x}", a, b - a);
    a = b;
  }
}

bool Memory::commit(uint32_t base, uint32_t size, uint8_t prot) {
  if (size == 0) return true;
  uint64_t start = page_floor(base), end = std::min<uint64_t>(page_ceil(uint64_t(base) + size), kSpaceSize);
  for (uint64_t a = start; a < end; a += kPageSize)
    if (prot_->pages[a >> kPageShift] & kPageCommitted) return false;
  if (mprotect(base_ + start, end - start, PROT_READ | PROT_WRITE) != 0)
    fail("host mprotect failed committing guest 0x{:08x}+0x{:x}", start, end - start);
  const uint8_t p = page_byte(prot, false);
  std::fill(prot_->pages + (start >> kPageShift), prot_->pages + (end >> kPageShift), p);
  sync_read_view(start, end);
  return true;
}

void Memory::protect(uint32_t base, uint32_t size, uint8_t prot) {
  uint64_t start = page_floor(base), end = std::min<uint64_t>(page_ceil(uint64_t(base) + size), kSpaceSize);
  for (uint64_t a = start; a < end; a += kPageSize) {
    uint8_t& page = prot_->pages[a >> kPageShift];
    if (!(page & kPageCommitted)) continue;
    // Code decoded from a page that can no longer be executed goes: running there must fault.
    if ((page & kPageHasCode) && !(prot & kProtExec)) notify_if_code(uint32_t(a), kPageSize);
    page = page_byte(prot, page & kPageHasCode);
  }
  if (end > start) sync_read_view(start, end);
}

void Memory::decommit(uint32_t base, uint32_t size) {
  uint64_t start = page_floor(base), end = std::min<uint64_t>(page_ceil(uint64_t(base) + size), kSpaceSize);
  if (end <= start) return;
  // Code decoded from these pages must not outlive them (a later commit may hold other code).
  notify_if_code(uint32_t(start), uint32_t(std::min<uint64_t>(end - start, UINT32_MAX)));
  // MADV_REMOVE frees shared pages (MADV_DONTNEED would only unmap them), so a later commit reads
  // zero; it needs a writable mapping over the whole range, uncommitted pages included.
  if (mprotect(base_ + start, end - start, PROT_READ | PROT_WRITE) != 0 ||
      madvise(base_ + start, end - start, MADV_REMOVE) != 0)
    fail("host cannot free guest 0x{:08x}+0x{:x} (mprotect/madvise: {})", start, end - start, std::strerror(errno));
  mprotect(base_ + start, end - start, PROT_NONE);
  std::fill(prot_->pages + (start >> kPageShift), prot_->pages + (end >> kPageShift), kProtNone);
  sync_read_view(start, end);
}

bool Memory::accessible_slow(uint32_t addr, uint32_t size, uint8_t need) const {
  uint64_t end = uint64_t(addr) + size;
  if (end > kSpaceSize) return false;
  for (uint64_t a = page_floor(addr); a < end; a += kPageSize)
    if ((prot_->pages[a >> kPageShift] & need) != need) return false;
  return true;
}

void Memory::map_mmio(uint32_t base, uint32_t size, MmioHandler& handler) {
  mmio_.push_back({base, size, &handler});
}

const Memory::MmioRegion* Memory::mmio_region(uint32_t addr, uint32_t size) const {
  if (size != 4 || (addr & 3)) return nullptr;
  for (const MmioRegion& r : mmio_)
    if (addr >= r.base && addr - r.base < r.size) return &r;
  return nullptr;
}

uint64_t Memory::mmio_read(uint32_t addr, uint32_t size) const {
  const MmioRegion* r = mmio_region(addr, size);
  if (!r) throw MemoryFault{addr, size, Access::Read};
  return r->handler->mmio_read32(addr);
}

void Memory::mmio_write(uint32_t addr, uint32_t size, uint64_t value) {
  const MmioRegion* r = mmio_region(addr, size);
  if (!r) throw MemoryFault{addr, size, Access::Write};
  r->handler->mmio_write32(addr, uint32_t(value));
}

void Memory::read_bytes(uint32_t addr, void* out, uint32_t size) const {
  if (size == 0) return;
  if (!accessible_slow(addr, size, kProtRead)) throw MemoryFault{addr, size, Access::Read};
  std::memcpy(out, base_ + addr, size);
}

void Memory::write_bytes(uint32_t addr, const void* in, uint32_t size) {
  if (size == 0) return;
  if (!accessible_slow(addr, size, kProtWrite)) throw MemoryFault{addr, size, Access::Write};
  if (prot_->active_reservations) break_reservations(addr, size);
  std::memcpy(base_ + addr, in, size);
  notify_if_code(addr, size);
}

void Memory::write_bytes_raw(uint32_t addr, const void* in, uint32_t size) {
  if (size == 0) return;
  if (!accessible_slow(addr, size, kPageCommitted)) throw MemoryFault{addr, size, Access::Write};
  if (prot_->active_reservations) break_reservations(addr, size);
  std::memcpy(base_ + addr, in, size);
  notify_if_code(addr, size);
}

void Memory::fill(uint32_t addr, uint8_t value, uint32_t size) {
  if (size == 0) return;
  if (!accessible_slow(addr, size, kProtWrite)) throw MemoryFault{addr, size, Access::Write};
  if (prot_->active_reservations) break_reservations(addr, size);
  std::memset(base_ + addr, value, size);
  notify_if_code(addr, size);
}

void Memory::write_checked(uint32_t addr, uint32_t size, uint64_t value) {
  if (!accessible(addr, size, kProtWrite)) return mmio_write(addr, size, value);
  if (prot_->active_reservations) break_reservations(addr, size);
  switch (size) {
    case 1: store_be<uint8_t>(base_ + addr, uint8_t(value)); break;
    case 2: store_be<uint16_t>(base_ + addr, uint16_t(value)); break;
    case 4: store_be<uint32_t>(base_ + addr, uint32_t(value)); break;
    default: store_be<uint64_t>(base_ + addr, value); break;
  }
  notify_if_code(addr, size);
}

void Memory::notify_if_code(uint32_t addr, uint32_t size) {
  if (code_listeners_.empty()) return;
  const uint64_t end = std::min<uint64_t>(uint64_t(addr) + size, kSpaceSize);
  for (uint64_t a = page_floor(addr); a < end; a += kPageSize) {
    if (!(prot_->pages[a >> kPageShift] & kPageHasCode)) continue;
    for (CodeWriteListener* l : code_listeners_) l->code_written(addr, size);
    return;
  }
}

void Memory::mark_code(uint32_t addr) { set_code_mark(addr, true); }
void Memory::unmark_code(uint32_t addr) { set_code_mark(addr, false); }

void Memory::set_code_mark(uint32_t addr, bool code) {
  uint8_t& page = prot_->pages[addr >> kPageShift];
  if (!(page & kPageCommitted)) return;
  const uint8_t before = page;
  page = page_byte(page, code);
  const uint64_t start = page_floor(addr);
  if (read_view_prot(before) != read_view_prot(page)) sync_read_view(start, start + kPageSize);
}

void Memory::reserve(uint32_t owner, uint32_t addr) {
  uint32_t g = addr & ~(kReservationGranule - 1);
  for (auto& r : reservations_)
    if (r.owner == owner) { r.granule = g; return; }
  reservations_.push_back({owner, g});
  prot_->active_reservations = uint32_t(reservations_.size());
}

bool Memory::reservation_held(uint32_t owner, uint32_t addr) const {
  uint32_t g = addr & ~(kReservationGranule - 1);
  for (const auto& r : reservations_)
    if (r.owner == owner) return r.granule == g;
  return false;
}

void Memory::clear_reservation(uint32_t owner) {
  std::erase_if(reservations_, [&](const Reservation& r) { return r.owner == owner; });
  prot_->active_reservations = uint32_t(reservations_.size());
}

void Memory::cancel_reservations(uint32_t addr) {
  uint32_t g = addr & ~(kReservationGranule - 1);
  std::erase_if(reservations_, [&](const Reservation& r) { return r.granule == g; });
  prot_->active_reservations = uint32_t(reservations_.size());
}

void Memory::break_reservations(uint32_t addr, uint32_t size) {
  uint32_t first = addr & ~(kReservationGranule - 1);
  uint64_t last = (uint64_t(addr) + size - 1) & ~uint64_t(kReservationGranule - 1);
  std::erase_if(reservations_, [&](const Reservation& r) {
    return r.owner != current_writer_ && r.granule >= first && r.granule <= last;
  });
  prot_->active_reservations = uint32_t(reservations_.size());
}

GuestHeap::GuestHeap(Memory& mem, uint32_t base, uint32_t size) : mem_(mem), base_(base), size_(size) {
  free_[base] = size;
}

uint32_t GuestHeap::alloc(uint32_t size, uint32_t align, uint8_t prot) {
  if (size == 0) size = 1;
  uint64_t len = page_ceil(size);
  uint64_t al = std::max<uint64_t>(align ? align : 1, Memory::kPageSize);
  if (al & (al - 1)) return 0;
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    uint64_t start = it->first, flen = it->second;
    uint64_t aligned = (start + al - 1) & ~(al - 1);
    if (aligned + len > start + flen) continue;
    free_.erase(it);
    if (aligned > start) free_[uint32_t(start)] = uint32_t(aligned - start);
    if (aligned + len < start + flen) free_[uint32_t(aligned + len)] = uint32_t(start + flen - aligned - len);
    live_[uint32_t(aligned)] = uint32_t(len);
    in_use_ += len;
    mem_.commit(uint32_t(aligned), uint32_t(len), prot);
    return uint32_t(aligned);
  }
  return 0;
}

bool GuestHeap::free(uint32_t addr) {
  auto it = live_.find(addr);
  if (it == live_.end()) return false;
  uint32_t len = it->second;
  live_.erase(it);
  in_use_ -= len;
  mem_.decommit(addr, len);
  auto [ins, ok] = free_.emplace(addr, len);
  // Coalesce with neighbours so the first-fit walk stays short and layout stays canonical.
  auto next = std::next(ins);
  if (next != free_.end() && ins->first + ins->second == next->first) {
    ins->second += next->second;
    free_.erase(next);
  }
  if (ins != free_.begin()) {
    auto prev = std::prev(ins);
    if (prev->first + prev->second == ins->first) {
      prev->second += ins->second;
      free_.erase(ins);
    }
  }
  return true;
}

}  // namespace hexad::cpu
