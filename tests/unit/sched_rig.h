// A scheduler on real guest code with a synthetic host (no kernel), for the scheduler's unit
// tests: tiny programs (spinners, syscall loops) placed in guest memory, and a host that hands
// every trap to a test-provided function.
#pragma once
#include <catch2/catch.hpp>

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "base/endian.h"
#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"
#include "cpu/sched/scheduler.h"

namespace hexad::test {

using namespace hexad::cpu;
using namespace hexad::cpu::sched;

constexpr uint32_t kCode = 0x82010000;
constexpr uint32_t kSentinel = 0xBCBC0000;
constexpr uint32_t kAddiR3 = 0x38630001;  // addi r3,r3,1
constexpr uint32_t kSc = 0x44000002;
constexpr uint32_t kIllegal = 0x00000000;
constexpr uint32_t branch(int32_t disp) { return 0x48000000u | (uint32_t(disp) & 0x03FFFFFCu); }
static_assert(branch(-8) == 0x4BFFFFF8);  // b .-8, as powerpc64-linux-gnu-as encodes it

// A host that hands every trap to a test-provided function and records faults.
struct Host : SchedulerHost {
  std::function<void(GuestThread&)> syscall = [](GuestThread&) {};
  std::vector<uint32_t> faulted;
  Scheduler* sched = nullptr;
  void on_syscall(GuestThread& t) override { syscall(t); }
  void on_thread_return(GuestThread& t) override { sched->exit_thread(t, int64_t(t.ctx->gpr[3])); }
  void on_fault(GuestThread& t) override {
    CHECK(t.state() == ThreadState::Faulted);  // the scheduler has already stopped it
    faulted.push_back(t.tid);
  }
};

struct Rig {
  Memory mem;
  Interpreter cpu{mem};
  Host host;
  Scheduler sched;
  uint32_t next_code = kCode;

  explicit Rig(const SchedulerOptions& opt) : sched(mem, cpu, opt, host) {
    REQUIRE(mem.commit(kCode, 0x10000, kProtRWX));
    host.sched = &sched;
  }
  // Places `words` and returns their address.
  uint32_t code(std::initializer_list<uint32_t> words) {
    uint32_t at = next_code;
    for (uint32_t w : words) {
      uint32_t be = hexad::bswap(w);
      mem.write_bytes_raw(next_code, &be, 4);
      next_code += 4;
    }
    cpu.invalidate(at, next_code - at);
    next_code = (next_code + 0xFF) & ~0xFFu;
    return at;
  }
  uint32_t spinner() { return code({kAddiR3, branch(-4)}); }
  // `work` additions then a syscall, forever.
  uint32_t syscaller(uint32_t work) {
    std::vector<uint32_t> w(work, kAddiR3);
    uint32_t at = next_code;
    for (uint32_t x : w) code_word(x);
    code_word(kSc);
    code_word(branch(-int32_t(4 * (work + 1))));
    cpu.invalidate(at, next_code - at);
    next_code = (next_code + 0xFF) & ~0xFFu;
    return at;
  }
  void code_word(uint32_t w) {
    uint32_t be = hexad::bswap(w);
    mem.write_bytes_raw(next_code, &be, 4);
    next_code += 4;
  }
  GuestThread& thread(uint32_t entry, uint8_t affinity, int32_t prio, bool suspended = false) {
    GuestThread& t = sched.spawn(affinity, prio, suspended, false);
    t.ctx->pc = entry;
    t.ctx->lr = t.ctx->stop_pc = kSentinel;
    return t;
  }
};

inline SchedulerOptions options(uint64_t quantum, const char* policy = "aging", uint64_t budget = 5'000'000) {
  SchedulerOptions o;
  o.quantum = quantum;
  o.budget = budget;
  o.policy = policy;
  o.aging.enabled = std::string(policy) == "aging";
  return o;
}

}  // namespace hexad::test
