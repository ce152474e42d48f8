// The interpreter's dispatch: chained blocks, fused compare-and-branch steps, the direct memory
// path and its fallback, budget slicing and fault recovery. Unlike the unit tests per
// instruction unit, these programs end with `sc` rather than returning to a stop_pc, because a
// stop_pc turns block chaining off (see Interpreter::run).
#include <catch2/catch.hpp>

#include <pthread.h>

#include <initializer_list>
#include <vector>

#include "base/endian.h"
#include "cpu/context.h"
#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"

using namespace hexad::cpu;

namespace {

constexpr uint32_t kCode = 0x82010000;
constexpr uint32_t kData = 0x40000000;   // 8 KiB, read/write
constexpr uint32_t kRo = 0x40002000;     // 4 KiB, read-only, right after kData
constexpr uint32_t kUnmapped = 0x50000000;

constexpr uint32_t D(uint32_t op, uint32_t rt, uint32_t ra, int32_t d) {
  return op << 26 | rt << 21 | ra << 16 | (uint32_t(d) & 0xFFFF);
}
constexpr uint32_t X(uint32_t rt, uint32_t ra, uint32_t rb, uint32_t xo) {
  return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | xo << 1;
}
constexpr uint32_t li(uint32_t rt, int32_t v) { return D(14, rt, 0, v); }
constexpr uint32_t addi(uint32_t rt, uint32_t ra, int32_t v) { return D(14, rt, ra, v); }
constexpr uint32_t add(uint32_t rt, uint32_t ra, uint32_t rb) { return X(rt, ra, rb, 266); }
constexpr uint32_t cmpwi(uint32_t crf, uint32_t ra, int32_t v) { return D(11, crf << 2, ra, v); }
constexpr uint32_t bc(uint32_t bo, uint32_t bi, int32_t disp) { return D(16, bo, bi, disp); }
constexpr uint32_t blt(int32_t disp) { return bc(12, 0, disp); }
constexpr uint32_t beq(uint32_t crf, int32_t disp) { return bc(12, crf * 4 + 2, disp); }
constexpr uint32_t stw(uint32_t rs, uint32_t ra, int32_t d) { return D(36, rs, ra, d); }
constexpr uint32_t lwz(uint32_t rt, uint32_t ra, int32_t d) { return D(32, rt, ra, d); }
constexpr uint32_t mftb(uint32_t rt) { return X(rt, 12, 8, 371); }
constexpr uint32_t kSc = 0x44000002;
// Anchors: words produced by powerpc64-linux-gnu-as.
static_assert(add(4, 4, 3) == 0x7C841A14);      // add r4,r4,r3
static_assert(cmpwi(0, 3, 100) == 0x2C030064);  // cmpwi r3,100
static_assert(cmpwi(1, 3, 5) == 0x2C830005);    // cmpwi cr1,r3,5
static_assert(blt(-12) == 0x4180FFF4);          // blt .-12
static_assert(beq(0, 8) == 0x41820008);         // beq .+8
static_assert(mftb(8) == 0x7D0C42E6);           // mftb r8

struct Machine {
  Memory mem;
  Interpreter interp{mem};
  ThreadContext ctx{};

  Machine() {
    REQUIRE(mem.commit(kCode, 0x1000, kProtRWX));
    REQUIRE(mem.commit(kData, 0x2000, kProtRW));
    REQUIRE(mem.commit(kRo, 0x1000, kProtRead));
    reset_context(ctx, &mem, true);
    ctx.tid = 1;
  }
  void code(std::initializer_list<uint32_t> words) { code(std::vector<uint32_t>(words)); }
  void code(const std::vector<uint32_t>& words) {
    uint32_t a = kCode;
    for (uint32_t w : words) {
      uint32_t be = hexad::bswap(w);
      mem.write_bytes_raw(a, &be, 4);
      a += 4;
    }
    interp.invalidate(kCode, a - kCode);
    ctx.pc = kCode;
  }
};

// Sums 0..99 in a loop that ends in a fused compare-and-branch, stores the sum, then faults
// loading from unmapped memory: 2 + 100 * 4 + 1 instructions retire before the fault.
void sum_then_fault(Machine& m) {
  m.ctx.gpr[5] = kData + 0x10;
  m.ctx.gpr[7] = kUnmapped;
  m.code({li(3, 0), li(4, 0),
          add(4, 4, 3), addi(3, 3, 1), cmpwi(0, 3, 100), blt(-12),
          stw(4, 5, 0), lwz(6, 7, 0), kSc});
}
constexpr uint64_t kRetiredBeforeFault = 2 + 100 * 4 + 1;

void check_sum_then_fault(const Machine& m) {
  CHECK(m.ctx.fault.kind == FaultKind::Memory);
  CHECK(m.ctx.fault.pc == kCode + 28);
  CHECK(m.ctx.fault.address == kUnmapped);
  CHECK(m.ctx.pc == kCode + 28);
  CHECK(m.ctx.instructions == kRetiredBeforeFault);
  CHECK(m.ctx.gpr[3] == 100);
  CHECK(m.ctx.gpr[4] == 4950);
  CHECK(m.ctx.gpr[6] == 0);
  CHECK(m.mem.read32(kData + 0x10) == 4950);
  CHECK(m.ctx.cr[0] == kCrEQ);
}

}  // namespace

TEST_CASE("a fault after chained blocks is counted exactly and leaves the faulting op undone") {
  Machine m;
  sum_then_fault(m);
  REQUIRE(m.interp.run(m.ctx, 1'000'000).why == StopReason::Fault);
  check_sum_then_fault(m);
}

TEST_CASE("any budget slicing retires exactly the budget and reaches the same state") {
  for (uint64_t slice : {1u, 2u, 3u, 5u, 7u, 64u, 401u}) {
    INFO("slice " << slice);
    Machine m;
    sum_then_fault(m);
    StopReason r;
    uint64_t runs = 0;
    while ((r = m.interp.run(m.ctx, slice).why) == StopReason::Budget) {
      ++runs;
      REQUIRE(m.ctx.instructions == runs * slice);
    }
    REQUIRE(r == StopReason::Fault);
    CHECK(runs == kRetiredBeforeFault / slice);
    check_sum_then_fault(m);
  }
}

TEST_CASE("a fused compare-and-branch tests the field the branch names, not the one compared") {
  struct Case {
    uint32_t branch_field;
    uint8_t cr0;
    int64_t r3;
    bool taken;
  };
  for (const Case& k : {Case{0, kCrEQ, 7, true}, Case{0, 0, 5, false}, Case{1, 0, 5, true}, Case{1, kCrEQ, 7, false}}) {
    INFO("beq cr" << k.branch_field << ", cr0 " << int(k.cr0) << ", r3 " << k.r3);
    Machine m;
    m.ctx.cr[0] = k.cr0;
    m.ctx.gpr[3] = uint64_t(k.r3);
    m.code({cmpwi(1, 3, 5), beq(k.branch_field, 8), li(10, 1), li(11, 1), kSc});
    REQUIRE(m.interp.run(m.ctx, 100).why == StopReason::Syscall);
    CHECK(m.ctx.gpr[10] == (k.taken ? 0u : 1u));
    CHECK(m.ctx.gpr[11] == 1);
    CHECK(m.ctx.cr[1] == (k.r3 == 5 ? kCrEQ : kCrGT));
    CHECK(m.ctx.cr[0] == k.cr0);
    CHECK(m.ctx.instructions == (k.taken ? 4u : 5u));
    CHECK(m.ctx.pc == kCode + 20);
  }
}

TEST_CASE("mftb after chained blocks reads the clock at the instructions before it") {
  struct CountingClock : GuestClock {
    uint64_t timebase(const ThreadContext& c) const override { return c.instructions; }
  } clock;
  Machine m;
  m.ctx.clock = &clock;
  m.code({li(3, 0), addi(3, 3, 1), cmpwi(0, 3, 10), blt(-8), mftb(8), kSc});
  REQUIRE(m.interp.run(m.ctx, 1000).why == StopReason::Syscall);
  CHECK(m.ctx.gpr[8] == 1 + 10 * 3);
  CHECK(m.ctx.instructions == 1 + 10 * 3 + 2);
}

TEST_CASE("accesses that cross a page take the checked path: made when both pages allow them") {
  Machine m;
  m.ctx.gpr[4] = kData + 0xFFE;  // both pages read/write
  m.ctx.gpr[5] = kRo - 2;        // the second page is read-only
  m.ctx.gpr[3] = 0xA1B2C3D4;
  m.mem.write16(kRo - 2, 0x5566);
  const uint8_t ro_bytes[] = {0x77, 0x88};
  m.mem.write_bytes_raw(kRo, ro_bytes, 2);
  m.code({stw(3, 4, 0), lwz(6, 4, 0), lwz(7, 5, 0), stw(3, 5, 0), kSc});
  REQUIRE(m.interp.run(m.ctx, 100).why == StopReason::Fault);
  CHECK(m.ctx.gpr[6] == 0xA1B2C3D4);
  CHECK(m.mem.read32(kData + 0xFFE) == 0xA1B2C3D4);
  CHECK(m.ctx.gpr[7] == 0x55667788);
  CHECK(m.ctx.fault.pc == kCode + 12);
  CHECK(m.ctx.fault.address == kRo - 2);
  CHECK(m.ctx.fault.access == Access::Write);
  CHECK(m.ctx.instructions == 3);
  CHECK(m.mem.read16(kRo - 2) == 0x5566);  // nothing of the faulting store was written
}

TEST_CASE("chained blocks run in constant host stack") {
  // A 21-op loop body run 5000 times, so chains reach their full length (kMaxChain blocks). If a
  // step's final call were not compiled as a jump, each op would take at least 16 bytes of stack
  // and a 1024-block chain over 300 KiB: the 256 KiB thread stack below would overflow.
  Machine m;
  std::vector<uint32_t> words{li(3, 0), li(4, 0)};
  for (int k = 0; k < 18; ++k) words.push_back(addi(4, 4, 1));
  for (uint32_t w : {addi(3, 3, 1), cmpwi(0, 3, 5000), blt(-(18 + 2) * 4), kSc}) words.push_back(w);
  m.code(words);

  struct Job {
    Machine* m;
    StopReason stop = StopReason::None;
  } job{&m};
  pthread_attr_t attr;
  REQUIRE(pthread_attr_init(&attr) == 0);
  REQUIRE(pthread_attr_setstacksize(&attr, 256 * 1024) == 0);
  pthread_t thread;
  auto body = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    j->stop = j->m->interp.run(j->m->ctx, 10'000'000).why;
    return nullptr;
  };
  REQUIRE(pthread_create(&thread, &attr, body, &job) == 0);
  REQUIRE(pthread_join(thread, nullptr) == 0);
  pthread_attr_destroy(&attr);

  REQUIRE(job.stop == StopReason::Syscall);
  CHECK(m.ctx.gpr[3] == 5000);
  CHECK(m.ctx.gpr[4] == 18 * 5000);
  CHECK(m.ctx.instructions == 2 + 5000 * 21 + 1);
}
