// Two machines, one per backend, set up alike, for comparing the JIT with the interpreter
// (tests/unit/jit_*_test.cc): the same code and data, then the same run() calls on each.
#pragma once
#include <catch2/catch.hpp>

#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/endian.h"
#include "cpu/context.h"
#include "cpu/exec_backend.h"
#include "cpu/jit/jit_backend.h"
#include "cpu/memory.h"

namespace jit_test {

using namespace hexad::cpu;

constexpr uint32_t kCode = 0x82000000;
constexpr uint32_t kData = 0x40000000;      // read-write page
constexpr uint32_t kReadOnly = 0x40001000;  // read-only page right after it
constexpr uint32_t kUnmapped = 0x40002000;
constexpr uint32_t kCodeBytes = 0x10000;

struct Machine {
  Memory mem;
  std::unique_ptr<ExecBackend> cpu;
  ThreadContext ctx{};

  explicit Machine(const std::function<std::unique_ptr<ExecBackend>(Memory&)>& make) : cpu(make(mem)) {
    REQUIRE(cpu);
    REQUIRE(mem.commit(kCode, kCodeBytes, kProtRWX));
    REQUIRE(mem.commit(kData, 0x1000, kProtRW));
    REQUIRE(mem.commit(kReadOnly, 0x1000, kProtRead));
  }
  void code(const std::vector<uint32_t>& words, uint32_t at = kCode) {
    poke(words, at);
    cpu->invalidate(at, uint32_t(4 * words.size()));
  }
  // Rewrites code without telling the backend (as a guest store would).
  void poke(const std::vector<uint32_t>& words, uint32_t at) {
    for (size_t k = 0; k < words.size(); ++k) {
      const uint32_t be = hexad::bswap(words[k]);
      mem.write_bytes_raw(at + uint32_t(4 * k), &be, 4);
    }
  }
  void data(const std::vector<uint8_t>& bytes) { mem.write_bytes_raw(kData, bytes.data(), uint32_t(bytes.size())); }
  std::vector<uint8_t> data_pages() const {
    std::vector<uint8_t> out(0x2000);
    std::memcpy(out.data(), mem.host(kData), out.size());
    return out;
  }
};

inline std::unique_ptr<ExecBackend> make_interp(Memory& m) { return make_backend("interp", m); }
inline std::unique_ptr<ExecBackend> make_jit(Memory& m) { return make_backend("jit", m); }

// Everything guest-visible of a thread, for comparison (with a readable description on failure).
inline std::string describe(const ThreadContext& c) {
  std::string s;
  for (int r = 0; r < 32; ++r) s += "r" + std::to_string(r) + "=" + std::to_string(c.gpr[r]) + " ";
  s += "lr=" + std::to_string(c.lr) + " ctr=" + std::to_string(c.ctr) + " pc=" + std::to_string(c.pc);
  s += " cr=" + std::to_string(c.cr_word()) + " xer=" + std::to_string(c.xer());
  s += " n=" + std::to_string(c.instructions) + " stop=" + std::to_string(int(c.stop));
  s += " fault=" + std::to_string(int(c.fault.kind)) + "@" + std::to_string(c.fault.pc) + "/" +
       std::to_string(c.fault.address) + "/" + std::to_string(c.fault.size) + "/" +
       std::to_string(int(c.fault.access)) + "/" + std::to_string(c.fault.word);
  s += " fpscr=" + std::to_string(c.fpscr) + " vscr=" + std::to_string(c.vscr) + " sprg0=" + std::to_string(c.sprg[0]);
  return s;
}

inline void require_same(const Machine& a, const Machine& b) {
  REQUIRE(describe(a.ctx) == describe(b.ctx));
  REQUIRE(std::memcmp(a.ctx.fpr, b.ctx.fpr, sizeof a.ctx.fpr) == 0);
  REQUIRE(std::memcmp(a.ctx.vr, b.ctx.vr, sizeof a.ctx.vr) == 0);
  REQUIRE(a.data_pages() == b.data_pages());
}

// A fresh thread at the start of `prog` (placed at kCode), in 64-bit mode when `sf`.
inline void start(Machine& m, const std::vector<uint32_t>& prog, bool sf) {
  reset_context(m.ctx, &m.mem, sf);
  m.ctx.tid = 1;
  m.code(prog);
  m.ctx.pc = kCode;
}

// Runs both machines with the same budgets (cycled) until one stops for something else or
// `limit` instructions ran; compares after every call. Returns the total retired.
inline uint64_t run_both(Machine& a, Machine& b, const std::vector<uint64_t>& budgets, uint64_t limit = 100000) {
  uint64_t total = 0;
  for (size_t k = 0;; ++k) {
    const uint64_t n = budgets[k % budgets.size()];
    const RunResult ra = a.cpu->run(a.ctx, n);
    const RunResult rb = b.cpu->run(b.ctx, n);
    INFO("call " << k << " budget " << n);
    REQUIRE(ra.retired == rb.retired);
    REQUIRE(ra.why == rb.why);
    require_same(a, b);
    total += ra.retired;
    if (ra.why != Stop::Budget || total > limit) return total;
  }
}

inline const jit::JitStats& stats(const Machine& m) { return static_cast<const jit::JitBackend&>(*m.cpu).stats(); }

using Setup = std::function<void(Machine&)>;
inline const Setup kNoSetup = [](Machine&) {};

// `prog` started on both backends (then `setup` on each), run with `budgets` (cycled) and compared
// after every run() call (run_both); `check` gets the JIT's machine and the instructions retired.
inline void run_pair(const std::vector<uint32_t>& prog, bool sf, const std::vector<uint64_t>& budgets, const Setup& setup,
                     const std::function<void(Machine&, uint64_t)>& check) {
  Machine a(make_interp), b(make_jit);
  for (Machine* m : {&a, &b}) {
    start(*m, prog, sf);
    setup(*m);
  }
  const uint64_t retired = run_both(a, b, budgets);
  check(b, retired);
}

// `prog` on both backends with the run cut at every budget up to its whole length `total`, then
// with 64 random budgets of 1..`max_budget` (from `seed`).
inline void check_every_budget(const std::vector<uint32_t>& prog, bool sf, uint64_t total, uint32_t seed,
                               uint32_t max_budget, const Setup& setup = kNoSetup) {
  const auto whole = [&](Machine&, uint64_t retired) { CHECK(retired == total); };
  for (uint64_t slice = 1; slice <= total + 1; ++slice) {
    INFO("sf " << sf << " slice " << slice);
    run_pair(prog, sf, {slice}, setup, whole);
  }
  std::mt19937 g(seed);
  std::vector<uint64_t> budgets;
  for (int k = 0; k < 64; ++k) budgets.push_back(1 + g() % max_budget);
  run_pair(prog, sf, budgets, setup, whole);
}

// The whole run in one call, for its length and the fault's place.
inline uint64_t whole_run(const std::vector<uint32_t>& prog, bool sf, Machine& m) {
  start(m, prog, sf);
  return m.cpu->run(m.ctx, 1000000).retired;
}

}  // namespace jit_test
