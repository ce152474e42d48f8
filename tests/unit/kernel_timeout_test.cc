// Kernel::read_timeout at the edges of the 64-bit range (README "Guest time"): no overflow, a
// deadline too far away to represent is none, and the traced interval is the requested one
// saturated at INT64_MAX.
#include <catch2/catch.hpp>

#include <cstdint>

#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"
#include "kernel/xboxkrnl/kernel.h"
#include "trace/sink.h"

using namespace hexad;
using kernel::Kernel;

namespace {

constexpr uint32_t kTimeoutAddr = 0x40000000;

struct TimeoutFixture {
  cpu::Memory mem;
  cpu::Interpreter cpu{mem};
  trace::NullSink sink;
  trace::Tracer trace{sink};
  Kernel k{mem, cpu, cpu::sched::SchedulerOptions{}, trace, nullptr, false};
  TimeoutFixture() { REQUIRE(mem.commit(kTimeoutAddr, cpu::Memory::kPageSize, cpu::kProtRW)); }
  Kernel::Timeout read(int64_t v) {
    mem.write64(kTimeoutAddr, uint64_t(v));
    return k.read_timeout(kTimeoutAddr);
  }
};

}  // namespace

TEST_CASE("read_timeout keeps representable NT timeouts exact") {
  TimeoutFixture f;
  Kernel::Timeout zero = f.read(0);
  CHECK(zero.deadline == f.k.now_cycle());
  CHECK(zero.ns == 0);
  Kernel::Timeout ms = f.read(-10'000);  // 1 ms relative
  CHECK(ms.deadline == f.k.now_cycle() + 3'200'000);
  CHECK(ms.ns == 1'000'000);
  Kernel::Timeout years = f.read(-1'000'000'000'000'000);  // 10^17 ns, about 3 years
  CHECK(years.deadline == f.k.now_cycle() + 320'000'000'000'000'000ull);
  CHECK(years.ns == 100'000'000'000'000'000);
  Kernel::Timeout past = f.read(1);  // absolute, long before boot: due now
  CHECK(past.deadline == f.k.now_cycle());
  CHECK(past.ns == 0);
  CHECK(!f.k.read_timeout(0).deadline);  // no pointer: infinite
  CHECK(!f.k.read_timeout(0).ns);
}

TEST_CASE("read_timeout treats a deadline beyond kNeverCycle as none and saturates the traced ns") {
  TimeoutFixture f;
  for (int64_t v : {INT64_MIN, -INT64_MAX, int64_t(-30'000'000'000'000'000), INT64_MAX}) {
    Kernel::Timeout t = f.read(v);
    INFO("timeout " << v);
    CHECK(!t.deadline);
    REQUIRE(t.ns);
    CHECK(*t.ns > 0);
  }
  CHECK(f.read(INT64_MIN).ns == INT64_MAX);
  CHECK(f.read(-INT64_MAX).ns == INT64_MAX);
  CHECK(f.read(INT64_MAX).ns == INT64_MAX);
  // 3e18 ns fits an int64 but its deadline (9.6e18 cycles) is past kNeverCycle: traced as asked.
  CHECK(f.read(-30'000'000'000'000'000).ns == 3'000'000'000'000'000'000);
  // The last relative interval whose deadline is still representable.
  const int64_t last_units = int64_t(kernel::kNeverCycle / 320);  // 100 ns = 320 cycles
  CHECK(f.read(-last_units).deadline == uint64_t(last_units) * 320);
  CHECK(!f.read(-(last_units + 1)).deadline);
}
