// The ExecBackend contract (cpu/exec_backend.h), checked through the interface for every
// backend make_backend() knows: exact retired counts per call, and each stop reason returned
// as a status with the context left as the contract says.
#include <catch2/catch.hpp>

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include "base/endian.h"
#include "cpu/context.h"
#include "cpu/exec_backend.h"
#include "cpu/jit/jit_backend.h"
#include "cpu/memory.h"

using namespace hexad::cpu;

namespace {

constexpr uint32_t kCode = 0x82010000;
constexpr uint32_t kData = 0x40000000;
constexpr uint32_t kUnmapped = 0x50000000;
constexpr uint32_t kSentinel = 0x82020000;  // a stop_pc outside the code

constexpr uint32_t D(uint32_t op, uint32_t rt, uint32_t ra, int32_t d) {
  return op << 26 | rt << 21 | ra << 16 | (uint32_t(d) & 0xFFFF);
}
constexpr uint32_t li(uint32_t rt, int32_t v) { return D(14, rt, 0, v); }
constexpr uint32_t lis(uint32_t rt, int32_t v) { return D(15, rt, 0, v); }
constexpr uint32_t addi(uint32_t rt, uint32_t ra, int32_t v) { return D(14, rt, ra, v); }
constexpr uint32_t cmpwi(uint32_t ra, int32_t v) { return D(11, 0, ra, v); }
constexpr uint32_t blt(int32_t disp) { return D(16, 12, 0, disp); }
constexpr uint32_t lwz(uint32_t rt, uint32_t ra, int32_t d) { return D(32, rt, ra, d); }
constexpr uint32_t stw(uint32_t rs, uint32_t ra, int32_t d) { return D(36, rs, ra, d); }
constexpr uint32_t ori(uint32_t ra, uint32_t rs, uint32_t v) { return D(24, rs, ra, int32_t(v)); }
constexpr uint32_t add(uint32_t rt, uint32_t ra, uint32_t rb) { return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | 266u << 1; }
constexpr uint32_t b_rel(int32_t disp) { return 18u << 26 | (uint32_t(disp) & 0x03FFFFFC); }
constexpr uint32_t kSc = 0x44000002;
constexpr uint32_t kBlr = 0x4E800020;
constexpr uint32_t kInvalidWord = 0x00000000;

struct Machine {
  Memory mem;
  std::unique_ptr<ExecBackend> cpu;
  ThreadContext ctx{};

  explicit Machine(std::string_view backend) : cpu(make_backend(backend, mem)) {
    REQUIRE(cpu);
    REQUIRE(mem.commit(kCode, 0x1000, kProtRWX));
    REQUIRE(mem.commit(kData, 0x1000, kProtRW));
    reset_context(ctx, &mem, true);
    ctx.tid = 1;
  }
  void code(std::initializer_list<uint32_t> words) {
    uint32_t a = kCode;
    for (uint32_t w : words) {
      uint32_t be = hexad::bswap(w);
      mem.write_bytes_raw(a, &be, 4);
      a += 4;
    }
    cpu->invalidate(kCode, a - kCode);
    ctx.pc = kCode;
  }
};

// Counts r3 to 50 (2 + 50 * 3 instructions), then `last`.
void count_to_50_then(Machine& m, uint32_t last) {
  m.code({li(3, 0), lis(4, kUnmapped >> 16), addi(3, 3, 1), cmpwi(3, 50), blt(-8), last, kSc});
}
constexpr uint64_t kLoop = 2 + 50 * 3;

}  // namespace

TEST_CASE("exec backend: make_backend knows its names and nothing else", "[backend]") {
  Memory mem;
  REQUIRE(!backend_names().empty());
  CHECK(backend_names().front() == kDefaultBackend);
  for (std::string_view name : backend_names()) {
    auto b = make_backend(name, mem);
    REQUIRE(b);
    CHECK(std::string(b->name()) == name);
  }
  CHECK_FALSE(make_backend("no-such-backend", mem));
  CHECK_FALSE(make_backend("", mem));
}

TEST_CASE("exec backend: retired counts are exact across budget slices and a fault", "[backend]") {
  for (std::string_view name : backend_names()) {
    INFO(name);
    for (uint64_t slice : {1u, 7u, 64u, 1000u}) {
      INFO("slice " << slice);
      Machine m(name);
      count_to_50_then(m, lwz(5, 4, 0));  // r4 = kUnmapped
      uint64_t total = 0;
      RunResult r{};
      while ((r = m.cpu->run(m.ctx, slice)).why == Stop::Budget) {
        CHECK(r.retired == slice);
        total += r.retired;
        REQUIRE(total <= kLoop);
      }
      total += r.retired;
      REQUIRE(r.why == Stop::Fault);
      CHECK(m.ctx.stop == Stop::Fault);
      CHECK(total == kLoop);  // the faulting load is not retired
      CHECK(m.ctx.instructions == kLoop);
      CHECK(m.ctx.fault.kind == FaultKind::Memory);
      CHECK(m.ctx.fault.address == kUnmapped);
      CHECK(m.ctx.fault.pc == kCode + 20);
      CHECK(m.ctx.pc == kCode + 20);
      CHECK(m.ctx.gpr[3] == 50);
    }
  }
}

TEST_CASE("exec backend: an empty budget, syscall, invalid instruction and stop pc are statuses", "[backend]") {
  for (std::string_view name : backend_names()) {
    INFO(name);
    {
      Machine m(name);
      count_to_50_then(m, li(6, 1));
      const RunResult none = m.cpu->run(m.ctx, 0);
      CHECK(none.why == Stop::Budget);
      CHECK(none.retired == 0);
      CHECK(m.ctx.pc == kCode);
      const RunResult r = m.cpu->run(m.ctx, 1'000'000);
      CHECK(r.why == Stop::Syscall);
      CHECK(r.retired == kLoop + 2);  // sc retires
      CHECK(m.ctx.pc == kCode + 28);  // past the sc
      CHECK(m.ctx.gpr[6] == 1);
    }
    {
      Machine m(name);
      count_to_50_then(m, kInvalidWord);
      const RunResult r = m.cpu->run(m.ctx, 1'000'000);
      CHECK(r.why == Stop::Fault);
      CHECK(r.retired == kLoop);
      CHECK(m.ctx.fault.kind == FaultKind::InvalidInstruction);
      CHECK(m.ctx.fault.pc == kCode + 20);
    }
    {
      Machine m(name);
      count_to_50_then(m, kBlr);
      m.ctx.lr = m.ctx.stop_pc = kSentinel;
      const RunResult r = m.cpu->run(m.ctx, 1'000'000);
      CHECK(r.why == Stop::StopPc);
      CHECK(r.retired == kLoop + 1);
      CHECK(m.ctx.pc == kSentinel);
      // Running again from the stop pc stops at once.
      const RunResult again = m.cpu->run(m.ctx, 1'000'000);
      CHECK(again.why == Stop::StopPc);
      CHECK(again.retired == 0);
    }
  }
}

// A store over decoded code drops the blocks holding the bytes written, so the new code runs the
// next time control gets there; the block the store is in finishes as it was decoded (as a
// core's prefetched instructions would), also when the budget ends inside it. Every backend
// alike. Budgets of one instruction resume after the store at a block start of its own,
// decoded after the store: there even the first pass runs the new code.
TEST_CASE("exec backend: a guest store over decoded code drops its blocks", "[backend]") {
  constexpr uint32_t kNew = li(3, 2);
  for (std::string_view name : backend_names()) {
    INFO(name);
    for (auto [slice, sum] : {std::pair<uint64_t, uint64_t>{1, 6}, {5, 5}, {1000, 5}}) {
      INFO("slice " << slice);
      Machine m(name);
      m.code({lis(4, kCode >> 16), lis(5, kNew >> 16), ori(5, 5, kNew & 0xFFFF), li(6, 0), li(8, 0), b_rel(4),
              // the loop, at kCode + 24: rewrites its own `li r3, 1` at kCode + 36
              stw(5, 4, 36), addi(6, 6, 1), 0x60000000 /* nop */, li(3, 1), add(8, 8, 3), cmpwi(6, 3), blt(-24),
              kSc});
      uint64_t total = 0;
      RunResult r{};
      while ((r = m.cpu->run(m.ctx, slice)).why == Stop::Budget) total += r.retired;
      total += r.retired;
      REQUIRE(r.why == Stop::Syscall);
      CHECK(total == 6 + 3 * 7 + 1);
      CHECK(m.ctx.gpr[6] == 3);
      // The first pass runs the block as decoded (r3 = 1); the store dropped it, so the next
      // passes decode it again and add 2 each: 1 + 2 + 2 (2 + 2 + 2 with one-op slices).
      CHECK(m.ctx.gpr[8] == sum);
    }
  }
}

// Taking execute permission away from code already run drops it: the next run faults on fetch.
TEST_CASE("exec backend: code whose page loses execute permission is not run again", "[backend]") {
  for (std::string_view name : backend_names()) {
    INFO(name);
    Machine m(name);
    m.code({li(3, 7), kSc});
    REQUIRE(m.cpu->run(m.ctx, 100).why == Stop::Syscall);
    m.mem.protect(kCode, 0x1000, kProtRW);
    m.ctx.pc = kCode;
    const RunResult r = m.cpu->run(m.ctx, 100);
    CHECK(r.why == Stop::Fault);
    CHECK(r.retired == 0);
    CHECK(m.ctx.fault.kind == FaultKind::Memory);
    CHECK(m.ctx.fault.access == Access::Execute);
    CHECK(m.ctx.fault.pc == kCode);
  }
}

// stop_pc_needs_block_checks: a stop_pc no block can start at (unmapped, as the kernel's return
// sentinels) leaves chaining on; one at executable code makes the runner see every block start.
TEST_CASE("exec backend: only a stop_pc at executable code stops chaining", "[backend]") {
  for (uint32_t stop : {kSentinel, kCode + 0x800}) {
    INFO("stop_pc 0x" << std::hex << stop);
    for (std::string_view name : backend_names()) {
      INFO(name);
      Machine m(name);
      CHECK(stop_pc_needs_block_checks(m.ctx, m.mem) == false);  // none set
      count_to_50_then(m, kBlr);
      m.ctx.lr = m.ctx.stop_pc = stop;
      CHECK(stop_pc_needs_block_checks(m.ctx, m.mem) == (stop != kSentinel));
      // Either way the run stops at the stop_pc, the blr retired and nothing there run.
      const RunResult r = m.cpu->run(m.ctx, 1'000'000);
      CHECK(r.why == Stop::StopPc);
      CHECK(r.retired == kLoop + 1);
      CHECK(m.ctx.pc == stop);
      if (auto* jit = dynamic_cast<jit::JitBackend*>(m.cpu.get())) {
        // 51 blocks run (the start, 49 more passes of the loop, the blr's): chained when no
        // block can start at the stop_pc, else each entered by the runner.
        if (stop == kSentinel) CHECK(jit->stats().entries <= 3);
        else CHECK(jit->stats().entries >= 50);
      }
    }
  }
}

// A stop_pc at code a chained jump goes to: a backend that chained there would run past it.
TEST_CASE("exec backend: a stop_pc at code stops even where blocks were chained before", "[backend]") {
  for (std::string_view name : backend_names()) {
    INFO(name);
    Machine m(name);
    count_to_50_then(m, b_rel(4));  // on to the sc, a block of its own at kCode + 24
    constexpr uint32_t kAtSc = kCode + 24;
    REQUIRE(m.cpu->run(m.ctx, 1'000'000).why == Stop::Syscall);  // every edge seen (and linked)
    m.ctx.pc = kCode;
    m.ctx.stop_pc = kAtSc;
    const RunResult r = m.cpu->run(m.ctx, 1'000'000);
    CHECK(r.why == Stop::StopPc);
    CHECK(r.retired == kLoop + 1);
    CHECK(m.ctx.pc == kAtSc);
  }
}
