// The JIT's exactness beyond single ops: budgets ending at every position of a block, faults
// (not retired, counts taken back), stop_pc, icbi, stores over code and host invalidation, the
// fallback counters and the code cache flush. Each case runs the same program on both backends and compares after every run().
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "jit_test_machine.h"
#include "ppc_encode.h"

using namespace jit_test;
using namespace ppc_encode;

namespace {


// Counts r3 to 20 through a store and a load, reads the clock, then faults on an unmapped load.
std::vector<uint32_t> counting_program() {
  return {li(3, 0),
          lis(4, int32_t(kData >> 16)),
          addi(3, 3, 1),                // loop:
          stw(3, 4, 0x10),
          lwz(5, 4, 0x10),
          rlwinm(6, 5, 2, 0, 29),
          divw(7, 6, 3),                // a fallback inside the block
          cmpwi(3, 20),
          blt(-24),
          kMftb,
          lis(8, 0x5000),               // unmapped
          lwz(9, 8, 0),
          kSc};
}
constexpr uint64_t kToFault = 2 + 20 * 7 + 1 + 1;  // the faulting load is not retired



}  // namespace

TEST_CASE("jit: budgets ending at every position and a fault give the interpreter's state", "[jit]") {
  for (bool sf : {false, true}) {
    for (uint64_t slice = 1; slice <= kToFault + 1; ++slice) {
      INFO("sf " << sf << " slice " << slice);
      Machine a(make_interp), b(make_jit);
      start(a, counting_program(), sf);
      start(b, counting_program(), sf);
      CHECK(run_both(a, b, {slice}) == kToFault);
      CHECK(b.ctx.stop == Stop::Fault);
      CHECK(b.ctx.fault.pc == kCode + 11 * 4);
      CHECK(b.ctx.gpr[3] == 20);
    }
    // Irregular budgets, and one machine reused across many.
    std::mt19937 g(7);
    std::vector<uint64_t> budgets;
    for (int k = 0; k < 64; ++k) budgets.push_back(1 + g() % 23);
    Machine a(make_interp), b(make_jit);
    start(a, counting_program(), sf);
    start(b, counting_program(), sf);
    CHECK(run_both(a, b, budgets) == kToFault);
  }
}

TEST_CASE("jit: stop_pc stops where the interpreter stops", "[jit]") {
  // A call to the loop's head address as stop_pc, and a return to a sentinel.
  for (uint32_t stop_index : {2u, 9u}) {  // block starts: stop_pc is checked there only, by both
    Machine a(make_interp), b(make_jit);
    for (Machine* m : {&a, &b}) {
      start(*m, counting_program(), true);
      m->ctx.stop_pc = kCode + 4 * stop_index;
    }
    CHECK(run_both(a, b, {1000}) > 0);
    CHECK(b.ctx.stop == Stop::StopPc);
    CHECK(b.ctx.pc == kCode + 4 * stop_index);
  }
  Machine a(make_interp), b(make_jit);
  for (Machine* m : {&a, &b}) {
    start(*m, {li(3, 7), kBlr}, false);
    m->ctx.lr = m->ctx.stop_pc = 0x82008000;
  }
  CHECK(run_both(a, b, {100}) == 2);
  CHECK(b.ctx.stop == Stop::StopPc);
}

TEST_CASE("jit: a guest store over code and icbi drop its blocks as in the interpreter", "[jit]") {
  constexpr uint32_t kF = kCode + 0x100;
  constexpr uint32_t kNew = li(3, 2);
  const std::vector<uint32_t> prog = {
      bl(0x100),                                                      // f: r3 = 1
      lis(4, int32_t(kF >> 16)), ori(4, 4, kF & 0xFFFF),
      lis(5, int32_t(kNew >> 16)), ori(5, 5, kNew & 0xFFFF),
      stw(5, 4, 0),                                                   // f now says r3 = 2, and its block goes
      bl(0x100 - 24),
      mr(10, 3),
      icbi(0, 4),
      bl(0x100 - 36),
      kSc};
  for (bool sf : {false, true}) {
    Machine a(make_interp), b(make_jit);
    for (Machine* m : {&a, &b}) {
      start(*m, prog, sf);
      m->poke({li(3, 1), kBlr}, kF);
      m->cpu->invalidate(kF, 8);
    }
    run_both(a, b, {1000});
    CHECK(b.ctx.stop == Stop::Syscall);
    CHECK(b.ctx.gpr[10] == 2);
    CHECK(b.ctx.gpr[3] == 2);
    CHECK(static_cast<jit::JitBackend&>(*b.cpu).stats().blocks_invalidated > 0);
  }
}

TEST_CASE("jit: host writes and host invalidate drop code as the interpreter does", "[jit]") {
  Machine a(make_interp), b(make_jit);
  for (Machine* m : {&a, &b}) start(*m, {li(3, 1), kSc}, true);
  run_both(a, b, {100});
  CHECK(b.ctx.gpr[3] == 1);
  for (Machine* m : {&a, &b}) {
    m->poke({li(3, 2)}, kCode);  // a host write over code drops its block too
    m->ctx.pc = kCode;
  }
  run_both(a, b, {100});
  CHECK(b.ctx.gpr[3] == 2);
  const auto& stats = static_cast<jit::JitBackend&>(*b.cpu).stats();
  const uint64_t before = stats.blocks_invalidated;
  for (Machine* m : {&a, &b}) m->cpu->invalidate(kCode + 0x800, 4);  // the rule: blocks from the page's start
  CHECK(stats.blocks_invalidated == before + 1);
  for (Machine* m : {&a, &b}) {
    m->ctx.pc = kCode;
    m->poke({li(3, 3)}, kCode);
    m->cpu->invalidate_all();
  }
  run_both(a, b, {100});
  CHECK(b.ctx.gpr[3] == 3);
}

TEST_CASE("jit: a branch on a field set earlier in its block tests what the field holds", "[jit]") {
  // The JIT compares again from the registers that set the field when they are unchanged; a
  // write of one of them, or an op through its handler, in between must make it read the field.
  constexpr uint32_t add_dot = 31u << 26 | 5u << 21 | 3u << 16 | 4u << 11 | 266u << 1 | 1;  // add. r5,r3,r4
  constexpr uint32_t cmpw_3_4 = 31u << 26 | 0u << 21 | 3u << 16 | 4u << 11;                // cmpw r3,r4
  constexpr uint32_t beq8 = beq(8), bgt8 = bgt(8), blt8 = blt(8);
  const std::vector<std::vector<uint32_t>> middles = {
      {cmpwi(3, 5), addi(4, 4, 1), blt8},     // an unrelated register changes
      {cmpwi(3, 5), addi(3, 3, 10), blt8},    // the compared register changes
      {cmpw_3_4, addi(4, 4, 100), bgt8},      // the second compared register changes
      {cmpw_3_4, divw(6, 4, 4), bgt8},        // an op through its handler
      {add_dot, addi(5, 5, -3), beq8},        // a record form's result changes
      {add_dot, addi(6, 5, 0), beq8},         // ... or does not
  };
  for (bool sf : {false, true})
    for (size_t m = 0; m < middles.size(); ++m)
      for (int32_t r3 : {-7, 0, 3, 5, 6}) {
        INFO("sf " << sf << " case " << m << " r3 " << r3);
        std::vector<uint32_t> prog = {li(3, r3), li(4, 3)};
        prog.insert(prog.end(), middles[m].begin(), middles[m].end());
        prog.insert(prog.end(), {li(7, 1), kSc, li(7, 2), kSc});
        Machine a(make_interp), b(make_jit);
        start(a, prog, sf);
        start(b, prog, sf);
        run_both(a, b, {1000});
        CHECK(b.ctx.stop == Stop::Syscall);
      }
}

TEST_CASE("jit: fallbacks are counted per mnemonic", "[jit]") {
  Machine b(make_jit);
  start(b, counting_program(), true);
  b.cpu->run(b.ctx, 1'000'000);
  auto& jit = static_cast<jit::JitBackend&>(*b.cpu);
  uint64_t divw_runs = 0, native_lwz_fallbacks = 0;
  for (const auto& [name, runs] : jit.fallback_runs()) {
    if (name == "divw") divw_runs = runs;
    if (name == "lwz") native_lwz_fallbacks = runs;
  }
  CHECK(divw_runs == 20);
  // The faulting lwz took its checked path: that is not a fallback.
  CHECK(native_lwz_fallbacks == 0);
  CHECK(jit.stats().fallback_ops > 0);
  CHECK(jit.stats().code_bytes > 0);
}

TEST_CASE("jit: a full code cache is flushed and the run goes on unchanged", "[jit]") {
  // 300 blocks of one add and a branch to the next, run 5 times: more code than 32 KiB holds.
  std::vector<uint32_t> prog = {li(3, 0), li(4, 5)};
  const uint32_t head = uint32_t(prog.size());
  for (int k = 0; k < 300; ++k) {
    prog.push_back(addi(3, 3, k));
    prog.push_back(b(4));
  }
  prog.push_back(addi(4, 4, -1));
  prog.push_back(cmpwi(4, 0));
  prog.push_back(D(16, 4, 2, -int32_t(4 * (prog.size() - head))));  // bne head
  prog.push_back(kSc);
  Machine a(make_interp);
  Machine b([](Memory& m) { return std::make_unique<jit::JitBackend>(m, 32 * 1024); });
  start(a, prog, true);
  start(b, prog, true);
  run_both(a, b, {997});
  CHECK(b.ctx.stop == Stop::Syscall);
  CHECK(static_cast<jit::JitBackend&>(*b.cpu).stats().flushes > 0);
}

// W^X (code_cache.h): once the JIT has translated and linked code, no mapping of the process is
// both writable and executable.
TEST_CASE("jit: no host mapping is writable and executable at once", "[jit]") {
  Machine a(make_interp), b(make_jit);
  start(a, counting_program(), true);
  start(b, counting_program(), true);
  run_both(a, b, {1'000'000});
  REQUIRE(static_cast<jit::JitBackend&>(*b.cpu).stats().blocks_translated > 0);
  std::ifstream maps("/proc/self/maps");
  REQUIRE(maps);
  std::string line;
  size_t executable = 0;
  while (std::getline(maps, line)) {
    std::istringstream fields(line);
    std::string range, perms;
    fields >> range >> perms;
    INFO(line);
    CHECK_FALSE((perms.size() >= 3 && perms[1] == 'w' && perms[2] == 'x'));
    if (perms == "r-xs") ++executable;
  }
  CHECK(executable == 1);  // the code cache's execute view (shared; the program's own code is private)
}
