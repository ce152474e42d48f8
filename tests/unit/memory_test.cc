#include <catch2/catch.hpp>

#include <utility>
#include <vector>

#include "cpu/memory.h"

using namespace hexad::cpu;

TEST_CASE("uncommitted memory faults with address and access kind") {
  Memory mem;
  try {
    mem.read32(0x40001000);
    FAIL("read of uncommitted memory did not fault");
  } catch (const MemoryFault& f) {
    CHECK(f.address == 0x40001000);
    CHECK(f.access == Access::Read);
  }
}

TEST_CASE("committed memory is zeroed and big-endian") {
  Memory mem;
  REQUIRE(mem.commit(0x10000, 0x2000, kProtRW));
  CHECK(mem.read64(0x10008) == 0);
  mem.write32(0x10000, 0x11223344);
  CHECK(mem.read8(0x10000) == 0x11);
  CHECK(mem.read16(0x10002) == 0x3344);
  CHECK_FALSE(mem.commit(0x11000, 0x1000, kProtRW));
}

TEST_CASE("an access straddling into an uncommitted page faults") {
  Memory mem;
  REQUIRE(mem.commit(0x20000, 0x1000, kProtRW));
  CHECK_THROWS_AS(mem.read32(0x20FFE), MemoryFault);
  CHECK_NOTHROW(mem.read16(0x20FFE));
}

TEST_CASE("page protections are enforced") {
  Memory mem;
  REQUIRE(mem.commit(0x30000, 0x1000, kProtRead));
  CHECK_THROWS_AS(mem.write8(0x30000, 1), MemoryFault);
  CHECK_THROWS_AS(mem.fetch32(0x30000), MemoryFault);
  mem.protect(0x30000, 0x1000, kProtRX);
  CHECK_NOTHROW(mem.fetch32(0x30000));
  REQUIRE(mem.commit(0x31000, 0x1000, kProtNone));
  CHECK(mem.is_committed(0x31000));
  CHECK_THROWS_AS(mem.read8(0x31000), MemoryFault);
}

TEST_CASE("a store by another owner cancels a reservation on the granule") {
  Memory mem;
  REQUIRE(mem.commit(0x40000, 0x1000, kProtRW));
  mem.reserve(1, 0x40010);
  mem.set_current_writer(1);
  mem.write32(0x40000, 5);  // own store: reservation stays
  CHECK(mem.reservation_held(1, 0x40010));
  mem.set_current_writer(2);
  mem.write32(0x40080, 5);  // other granule
  CHECK(mem.reservation_held(1, 0x40010));
  mem.write32(0x40070, 5);  // same 128-byte granule
  CHECK_FALSE(mem.reservation_held(1, 0x40010));
}

TEST_CASE("guest heap is deterministic first-fit and coalesces") {
  Memory mem;
  GuestHeap heap(mem, 0x50000000, 0x100000);
  uint32_t a = heap.alloc(100, 0, kProtRW);
  uint32_t b = heap.alloc(0x1800, 0x2000, kProtRW);
  uint32_t c = heap.alloc(10, 0, kProtRW);
  CHECK(a == 0x50000000);
  CHECK(b == 0x50002000);
  CHECK(c == 0x50001000);
  CHECK(mem.read32(b) == 0);
  CHECK(heap.free(a));
  CHECK_FALSE(heap.free(a));
  CHECK_FALSE(mem.is_committed(a));
  CHECK(heap.free(c));
  CHECK(heap.alloc(0x2000, 0, kProtRW) == 0x50000000);
  CHECK(heap.alloc(0x200000, 0, kProtRW) == 0);
}

namespace {
struct RecordingListener : CodeWriteListener {
  std::vector<std::pair<uint32_t, uint32_t>> writes;
  void code_written(uint32_t addr, uint32_t size) override { writes.emplace_back(addr, size); }
};
}  // namespace

TEST_CASE("stores to a page marked as holding code reach the code listeners, after the store") {
  Memory mem;
  REQUIRE(mem.commit(0x10000, 0x3000, kProtRWX));
  RecordingListener l;
  mem.add_code_listener(l);
  mem.mark_code(0x11000);
  CHECK(mem.has_code(0x11ABC));
  CHECK_FALSE(mem.has_code(0x10000));
  CHECK_FALSE(mem.direct_writable<uint32_t>(0x11000));  // inline store paths must not skip the watch
  CHECK(mem.direct_writable<uint32_t>(0x10000));
  mem.write32(0x10FFC, 1);  // beside the code page
  CHECK(l.writes.empty());
  mem.write32(0x11010, 0xAABBCCDD);
  REQUIRE(l.writes.size() == 1);
  CHECK(l.writes[0] == std::pair<uint32_t, uint32_t>{0x11010, 4});
  CHECK(mem.read32(0x11010) == 0xAABBCCDD);
  mem.write16(0x10FFF, 0x1234);  // across into the code page
  CHECK(l.writes.size() == 2);
  mem.write_bytes(0x11800, "ab", 2);
  mem.fill(0x11900, 0, 8);
  mem.write_bytes_raw(0x11A00, "cd", 2);
  CHECK(l.writes.size() == 5);
  // Protection changes keep the mark; a store the protection forbids faults and tells no one.
  mem.protect(0x11000, 0x1000, kProtRX);
  CHECK(mem.has_code(0x11000));
  CHECK_THROWS_AS(mem.write32(0x11000, 0), MemoryFault);
  CHECK(l.writes.size() == 5);
  // Taking execute away tells the listeners (the code there can no longer run).
  mem.protect(0x11000, 0x1000, kProtRW);
  REQUIRE(l.writes.size() == 6);
  CHECK(l.writes[5] == std::pair<uint32_t, uint32_t>{0x11000, 0x1000});
  l.writes.pop_back();
  mem.protect(0x11000, 0x1000, kProtRWX);
  CHECK_FALSE(mem.direct_writable<uint32_t>(0x11000));
  mem.unmark_code(0x11000);
  CHECK(mem.direct_writable<uint32_t>(0x11000));
  mem.write32(0x11020, 2);
  CHECK(l.writes.size() == 5);
  // Decommitting code tells the listeners (what was decoded there must go).
  mem.mark_code(0x12000);
  mem.decommit(0x12000, 0x1000);
  REQUIRE(l.writes.size() == 6);
  CHECK(l.writes[5] == std::pair<uint32_t, uint32_t>{0x12000, 0x1000});
  mem.remove_code_listener(l);
  mem.mark_code(0x11000);
  mem.write32(0x11020, 3);
  CHECK(l.writes.size() == 6);
}
