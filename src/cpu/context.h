// One flat, standard-layout context per guest thread. Registers sit at fixed offsets so a JIT
// can address them as [ctx + offsetof(...)].
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "cpu/fault.h"

namespace hexad::cpu {

class Memory;

// Supplies the deterministic timebase (mftb). The scheduler owns the real clock; the default
// derives time from this thread's retired instructions alone.
class GuestClock {
 public:
  virtual ~GuestClock() = default;
  virtual uint64_t timebase(const struct ThreadContext& ctx) const = 0;
};

// The deterministic clock: one retired instruction is one guest cycle of a 3.2 GHz core, and
// the timebase (mftb) ticks at 50 MHz, i.e. every 64 cycles.
constexpr uint64_t kGuestCyclesPerSecond = 3'200'000'000ull;
constexpr uint64_t kTimebaseHz = 50'000'000ull;
constexpr uint64_t kCyclesPerTimebaseTick = kGuestCyclesPerSecond / kTimebaseHz;

enum class StopReason : uint8_t {
  None,
  Syscall,     // `sc` executed; pc is past it, the host services it and resumes
  Fault,       // see ThreadContext::fault
  Budget,      // instruction limit of this run() call reached
  StopPc,      // reached ThreadContext::stop_pc (conformance runner's return sentinel)
};

// CR field bits as stored in cr[i]: LT=8, GT=4, EQ=2, SO=1 (the field's 4 bits, MSB first).
enum : uint8_t { kCrLT = 8, kCrGT = 4, kCrEQ = 2, kCrSO = 1 };

struct alignas(16) ThreadContext {
  uint64_t gpr[32];
  uint64_t lr;
  uint64_t ctr;
  uint64_t pc;          // address of the current instruction while it executes, else the next one
  uint64_t msr;         // only SF (bit 63) is consulted; see sf()
  uint8_t cr[8];        // one 4-bit field per byte
  uint8_t xer_so, xer_ov, xer_ca;
  uint8_t xer_bytes;    // XER[57:63], string instruction byte count
  uint32_t fpscr;
  uint32_t vscr;
  // Memory's count of active reservations (a store with one active takes Memory::write, which
  // breaks it), as of when generated code was entered or last called a handler: only handlers
  // change it while generated code runs. Refreshed with jit_cr_values (jit::refresh_jit_values).
  uint32_t jit_reservations;
  uint64_t sprg[4];
  uint64_t fpr[32];     // raw IEEE-754 double bits
  alignas(16) uint32_t vr[128][4];  // VMX128 register file (VMX uses vr[0..31]), word 0 is most significant

  // Retired on this thread: the deterministic clock's source. While an instruction executes it
  // is already counted (a block adds its length on entry); a fault takes the count back to
  // the instructions before the faulting one.
  uint64_t instructions;
  uint64_t stop_pc;       // StopReason::StopPc when control reaches it (0 = unused)
  uint32_t tid;           // owner id for reservations
  uint32_t icbi_addr;     // set with icbi_pending by icbi; the runner drops that code block
  bool icbi_pending;
  StopReason stop;
  FaultRecord fault;

  Memory* mem;
  const GuestClock* clock;

  // The interpreter's block-chaining state (see interpreter.cc), kept here so chained blocks
  // need nothing but the context.
  uint64_t run_limit;      // `instructions` may not pass this in the current run()
  const void* cur_block;   // the block running (or that ran last); faults recount from it
  uint32_t chain_budget;   // blocks the interpreter may still chain before returning to run();
                           // 1 (return_to_runner) also stops the JIT's chaining at the block's end
  // The JIT's CR field values EQ, GT and LT with XER[SO] merged in, for its compares to pick from
  // (cmov from memory). Refreshed from xer_so (refresh_cr_values) wherever generated code may run
  // next after SO may have changed: by the JIT's runner before it enters generated code, and after
  // each handler generated code calls (no native op writes SO). Nothing else reads them.
  uint32_t jit_cr_values[3];
  // Memory's page protection table, for generated code's inline checks: set by the JIT's enter
  // stub.
  const uint8_t* jit_page_prot;

  bool sf() const { return (msr >> 63) & 1; }
  void set_sf(bool on) { msr = on ? (msr | (1ull << 63)) : (msr & ~(1ull << 63)); }

  uint32_t cr_word() const {
    uint32_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 4) | (cr[i] & 0xF);
    return v;
  }
  void set_cr_word(uint32_t v) {
    for (int i = 0; i < 8; ++i) cr[i] = (v >> (28 - 4 * i)) & 0xF;
  }
  uint64_t xer() const {
    return (uint64_t(xer_so) << 31) | (uint64_t(xer_ov) << 30) | (uint64_t(xer_ca) << 29) | xer_bytes;
  }
  void refresh_cr_values() {
    jit_cr_values[0] = kCrEQ | xer_so;
    jit_cr_values[1] = kCrGT | xer_so;
    jit_cr_values[2] = kCrLT | xer_so;
  }
  void set_xer(uint64_t v) {
    xer_so = (v >> 31) & 1;
    xer_ov = (v >> 30) & 1;
    xer_ca = (v >> 29) & 1;
    xer_bytes = v & 0x7F;
  }
};
static_assert(std::is_standard_layout_v<ThreadContext>);

inline void set_pc(ThreadContext& c, uint32_t pc) { c.pc = pc; }

// For an op that ends its block and needs the runner to look at the context before anything
// else runs (sc's stop, icbi's invalidation): no further block is chained.
inline void return_to_runner(ThreadContext& c) { c.chain_budget = 1; }

// The fault record of a guest fault raised by the instruction at ctx.pc: every backend records
// faults through these, so the record never depends on the backend.
inline void record_fault(ThreadContext& c, const MemoryFault& f) {
  c.fault = {FaultKind::Memory, c.pc, 0, f.address, f.size, f.access};
}
inline void record_fault(ThreadContext& c, const InstructionFault& f) {
  c.fault = {f.kind, c.pc, f.word, 0, 0, Access::Execute};
}

// A clean context: every register zero, the given mode, no stop.
void reset_context(ThreadContext& ctx, Memory* mem, bool sixty_four_bit);

}  // namespace hexad::cpu
