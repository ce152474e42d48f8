// GuestVm: placement (bottom-up, top-down, alignment, gaps), the address map's invariants, and
// the statuses the memory exports return, without a guest.
#include <catch2/catch.hpp>

#include "cpu/memory.h"
#include "kernel/xboxkrnl/address_map.h"
#include "kernel/xboxkrnl/guest_vm.h"

using namespace hexad;
using namespace hexad::kernel;

namespace {
struct Vm {
  cpu::Memory mem;
  cpu::GuestHeap stacks{mem, 0x70000000, 0x0E000000};
  GuestVm vm{mem, stacks};
};
}  // namespace

TEST_CASE("the address map is sorted, disjoint and names every region once") {
  uint64_t end = 0;
  for (const AddressRegion& r : address_map()) {
    CHECK(r.base >= end);
    CHECK(r.size > 0);
    CHECK((r.base % r.page_size) == 0);
    end = uint64_t(r.base) + r.size;
    CHECK(region_of(r.base) == &r);
    CHECK(region_of(uint32_t(end - 1)) == &r);
  }
  CHECK(end <= (1ull << 32));
  CHECK(region_of(0x7FF00000) == nullptr);
  CHECK(region_by_kind(RegionKind::PhysicalView, 0x1000)->base == 0xE0000000);
  CHECK(region_by_kind(RegionKind::PhysicalView, 0x10000)->base == 0xA0000000);
  CHECK(region_by_kind(RegionKind::PhysicalView, 0x1000000)->base == 0xC0000000);
}

TEST_CASE("virtual allocations fill gaps first-fit, bottom-up and top-down, and reuse freed space") {
  Vm v;
  uint32_t a = 0, as = 0x1000, b = 0, bs = 0x30000, c = 0, cs = 1;
  REQUIRE(v.vm.allocate(a, as, kMemReserve, kPageReadWrite) == kStatusSuccess);
  REQUIRE(v.vm.allocate(b, bs, kMemReserve | kMemCommit, kPageReadWrite) == kStatusSuccess);
  CHECK(a == 0x10000);
  CHECK(b == 0x20000);
  CHECK(v.vm.committed_bytes(b, bs) == 0x30000);
  REQUIRE(v.vm.allocate(c, cs, kMemReserve | kMemTopDown, kPageReadOnly) == kStatusSuccess);
  CHECK(c == 0x3FFF0000);
  uint32_t fa = a, fs = 0;
  REQUIRE(v.vm.free(fa, fs, kMemRelease) == kStatusSuccess);
  uint32_t d = 0, ds = 0x10000;
  REQUIRE(v.vm.allocate(d, ds, kMemReserve, kPageReadWrite) == kStatusSuccess);
  CHECK(d == 0x10000);  // the freed gap, not past the others
  uint32_t e = 0, es = 0x20000;
  REQUIRE(v.vm.allocate(e, es, kMemReserve, kPageReadWrite) == kStatusSuccess);
  CHECK(e == 0x50000);  // too big for any gap below
}

TEST_CASE("protections reach the page table the guest's accesses check") {
  Vm v;
  uint32_t a = 0, s = 0x2000, old = 0;
  REQUIRE(v.vm.allocate(a, s, kMemReserve | kMemCommit, kPageReadWrite) == kStatusSuccess);
  CHECK(v.mem.accessible(a, 4, cpu::kProtWrite));
  uint32_t pb = a, ps = 0x1000;
  REQUIRE(v.vm.protect(pb, ps, kPageReadOnly, old) == kStatusSuccess);
  CHECK(old == kPageReadWrite);
  CHECK_FALSE(v.mem.accessible(a, 4, cpu::kProtWrite));
  CHECK(v.mem.accessible(a, 4, cpu::kProtRead));
  CHECK(v.mem.accessible(a + 0x1000, 4, cpu::kProtWrite));
  CHECK_FALSE(v.mem.accessible(a, 4, cpu::kProtExec));
  uint32_t db = a + 0x1000, ds = 0x1000;
  REQUIRE(v.vm.free(db, ds, kMemDecommit) == kStatusSuccess);
  CHECK_FALSE(v.mem.accessible(a + 0x1000, 4, cpu::kProtRead));
  MemoryBasicInfo m;
  REQUIRE(v.vm.query(a + 0x1000, m) == kStatusSuccess);
  CHECK(m.state == kMemReserve);
  CHECK(m.allocation_base == a);
}

TEST_CASE("hostile memory arguments get the console's statuses") {
  Vm v;
  uint32_t b = 0, s = 0;
  CHECK(v.vm.allocate(b, s, kMemCommit, kPageReadWrite) == kStatusInvalidParameter);
  s = 0xFFFFFFFF;
  CHECK(v.vm.allocate(b, s, kMemReserve, kPageReadWrite) == kStatusNoMemory);
  CHECK(s == 0xFFFFFFFF);
  s = 0x1000;
  CHECK(v.vm.allocate(b, s, kMemReserve, kPageExecuteReadWrite | kPageReadOnly) == kStatusInvalidPageProtection);
  b = 0xC0000000;
  CHECK(v.vm.allocate(b, s, kMemReserve, kPageReadWrite) == kStatusInvalidParameter);
  b = 0x6FFFF000, s = 0x20000;
  CHECK(v.vm.allocate(b, s, kMemReserve, kPageReadWrite) == kStatusNoMemory);
  b = 0, s = 0;
  CHECK(v.vm.free(b, s, kMemRelease) == kStatusMemoryNotAllocated);
  b = 0x12340000;
  CHECK(v.vm.free(b, s, kMemRelease) == kStatusUnsuccessful);
  CHECK(v.vm.allocate_physical(0x1000, kPageNoAccess, 0, 0xFFFFFFFF, 0) == 0);
  CHECK(v.vm.allocate_physical(0x20001000, kPageReadWrite, 0, 0xFFFFFFFF, 0) == 0);
  CHECK_FALSE(v.vm.free_physical(0xE0001000));
  CHECK_FALSE(v.vm.pool_free(0x7E000008));
  CHECK(v.vm.invalid_frees() == 1);
}

TEST_CASE("physical allocations never share a physical page across the three views") {
  Vm v;
  uint32_t small = v.vm.allocate_physical(0x1000, kPageReadWrite, 0, 0xFFFFFFFF, 0);
  uint32_t large = v.vm.allocate_physical(0x10000, kPageReadWrite | kMemLargePages, 0, 0xFFFFFFFF, 0);
  CHECK(small == 0xFFFFE000);
  CHECK(GuestVm::physical_address(small) == 0x1FFFF000);
  CHECK(large == 0xBFFE0000);
  uint64_t s_lo = GuestVm::physical_address(small), l_lo = GuestVm::physical_address(large);
  CHECK((s_lo >= l_lo + 0x10000 || l_lo >= s_lo + 0x1000));
  // Filling the physical window leaves no page twice.
  uint32_t n = 0;
  while (v.vm.allocate_physical(0x1000000, kPageReadWrite | kMem16MbPages, 0, 0xFFFFFFFF, 0)) ++n;
  CHECK(n == 31);  // the top 16 MiB page holds the two blocks above
  CHECK(v.vm.physical_bytes_in_use() == 31ull * 0x1000000 + 0x11000);
}
