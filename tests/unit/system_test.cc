// System unit: SPR moves, timebase reads, barriers, traps. Expected values follow the Power ISA
// (trap conditions: Book I 3.3.11); encodings are anchored to powerpc64-linux-gnu-as output.
#include <catch2/catch.hpp>

#include <initializer_list>

#include "cpu/context.h"
#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"
#include "guest_code.h"

using namespace hexad::cpu;

namespace {

constexpr uint32_t kCode = 0x82010000;
constexpr uint32_t kReturn = 0x1000;
using guest_code::kBlr;

constexpr uint32_t X(uint32_t rt, uint32_t ra, uint32_t rb, uint32_t xo, uint32_t op = 31) {
  return op << 26 | rt << 21 | ra << 16 | rb << 11 | xo << 1;
}
// mfspr/mtspr carry the SPR number with its two 5-bit halves swapped.
constexpr uint32_t spr_field(uint32_t spr) { return (spr & 31) << 16 | (spr >> 5) << 11; }
constexpr uint32_t mfspr(uint32_t rt, uint32_t spr) { return 31u << 26 | rt << 21 | spr_field(spr) | 339u << 1; }
constexpr uint32_t mtspr(uint32_t spr, uint32_t rs) { return 31u << 26 | rs << 21 | spr_field(spr) | 467u << 1; }
constexpr uint32_t tw(uint32_t to, uint32_t ra, uint32_t rb) { return X(to, ra, rb, 4); }
constexpr uint32_t td(uint32_t to, uint32_t ra, uint32_t rb) { return X(to, ra, rb, 68); }
constexpr uint32_t twi(uint32_t to, uint32_t ra, int32_t si) { return 3u << 26 | to << 21 | ra << 16 | (uint32_t(si) & 0xFFFF); }
constexpr uint32_t tdi(uint32_t to, uint32_t ra, int32_t si) { return 2u << 26 | to << 21 | ra << 16 | (uint32_t(si) & 0xFFFF); }

constexpr uint32_t kSync = 0x7C0004AC, kLwsync = 0x7C2004AC, kPtesync = 0x7C4004AC;
constexpr uint32_t kIsync = 0x4C00012C, kEieio = 0x7C0006AC, kTrap = 0x7FE00008;

static_assert(mfspr(3, 268) == 0x7C6C42A6);  // mftb r3 (as the mfspr form)
static_assert(mfspr(3, 8) == 0x7C6802A6);    // mflr r3
static_assert(mtspr(1, 3) == 0x7C6103A6);    // mtxer r3
static_assert(mfspr(3, 272) == 0x7C7042A6);  // mfsprg r3,0
static_assert(tw(31, 0, 0) == kTrap);        // trap
static_assert(twi(4, 3, -1) == 0x0C83FFFF);  // tweqi r3,-1
static_assert(td(16, 3, 4) == 0x7E032088);   // tdlt r3,r4
static_assert(tdi(1, 3, 5) == 0x08230005);   // tdlgti r3,5

struct Machine {
  Memory mem;
  Interpreter interp{mem};
  ThreadContext ctx{};

  explicit Machine(bool sf = true) {
    REQUIRE(mem.commit(kCode, 0x1000, kProtRWX));
    reset_context(ctx, &mem, sf);
    ctx.tid = 1;
  }
  void code(std::initializer_list<uint32_t> words) { guest_code::place(mem, interp, ctx, kCode, words, kReturn); }
  StopReason run(uint64_t budget = 1000) { return interp.run(ctx, budget).why; }
};

// A clock that exposes the retired-instruction count it is read at.
struct CountingClock : GuestClock {
  uint64_t timebase(const ThreadContext& c) const override { return c.instructions << 32 | 0x7777; }
};

}  // namespace

TEST_CASE("mfspr/mtspr move LR, CTR, XER and SPRG0-3") {
  Machine m;
  m.ctx.gpr[3] = 0x1122334455667788ull;
  m.ctx.gpr[4] = 0xCAFE;
  m.ctx.gpr[5] = 0xE000007Full;  // SO, OV, CA, byte count 127
  m.ctx.gpr[6] = 0x20000005ull;  // CA, byte count 5
  m.code({mtspr(9, 3),     // mtctr r3
          mfspr(10, 9),    // mfctr r10
          mtspr(1, 5),     // mtxer r5
          mfspr(11, 1),    // mfxer r11
          mtspr(1, 6),     // mtxer r6
          mtspr(272, 3), mtspr(273, 4), mtspr(274, 5), mtspr(275, 6),
          mfspr(12, 272), mfspr(13, 273), mfspr(14, 274), mfspr(15, 275),
          mfspr(16, 8),    // mflr r16 (= kReturn)
          mtspr(8, 3),     // mtlr r3
          mfspr(17, 8),    // mflr r17
          mtspr(8, 16)});  // mtlr r16: restores the return address
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.ctr == 0x1122334455667788ull);
  CHECK(m.ctx.gpr[10] == 0x1122334455667788ull);
  CHECK(m.ctx.gpr[11] == 0xE000007Full);
  CHECK(m.ctx.xer_so == 0);
  CHECK(m.ctx.xer_ov == 0);
  CHECK(m.ctx.xer_ca == 1);
  CHECK(m.ctx.xer_bytes == 5);
  CHECK(m.ctx.sprg[0] == 0x1122334455667788ull);
  CHECK(m.ctx.gpr[12] == 0x1122334455667788ull);
  CHECK(m.ctx.gpr[13] == 0xCAFE);
  CHECK(m.ctx.gpr[14] == 0xE000007Full);
  CHECK(m.ctx.gpr[15] == 0x20000005ull);
  CHECK(m.ctx.gpr[16] == kReturn);
  CHECK(m.ctx.gpr[17] == 0x1122334455667788ull);
}

TEST_CASE("mfspr 268/269 read the timebase at the exact instruction count") {
  Machine m;
  CountingClock clock;
  m.ctx.clock = &clock;
  m.ctx.instructions = 10;
  m.code({kSync, kSync, mfspr(3, 268), kIsync, mfspr(4, 269), X(5, 12, 8, 371)});  // ..., mftb r5
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[3] == (12ull << 32 | 0x7777));
  CHECK(m.ctx.gpr[4] == 14);
  CHECK(m.ctx.gpr[5] == (15ull << 32 | 0x7777));
  CHECK(m.ctx.instructions == 10 + 7);
}

TEST_CASE("unsupported SPRs and mfmsr fault naming the word") {
  for (uint32_t word : {mfspr(3, 22),    // DEC
                        mfspr(3, 256),   // VRSAVE
                        mtspr(268, 3),   // TB is not writable through 268
                        mtspr(284, 3),   // TBL write: privileged
                        mfspr(3, 1013),  // DABR
                        X(3, 0, 0, 83)}) {  // mfmsr r3
    Machine m;
    m.ctx.gpr[3] = 0x33;
    m.code({kSync, word});
    REQUIRE(m.run() == StopReason::Fault);
    CHECK(m.ctx.fault.kind == FaultKind::InvalidInstruction);
    CHECK(m.ctx.fault.word == word);
    CHECK(m.ctx.fault.pc == kCode + 4);
    CHECK(m.ctx.instructions == 1);
    CHECK(m.ctx.gpr[3] == 0x33);
  }
}

TEST_CASE("barriers are no-ops") {
  Machine m;
  m.ctx.gpr[3] = 7;
  m.code({kSync, kLwsync, kPtesync, kIsync, kEieio});
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.instructions == 6);
  CHECK(m.ctx.gpr[3] == 7);
  CHECK(m.ctx.pc == kReturn);
}

TEST_CASE("trap always traps, without retiring") {
  Machine m;
  m.code({kSync, kTrap, kSync});
  REQUIRE(m.run() == StopReason::Fault);
  CHECK(m.ctx.fault.kind == FaultKind::Trap);
  CHECK(m.ctx.fault.word == kTrap);
  CHECK(m.ctx.fault.pc == kCode + 4);
  CHECK(m.ctx.instructions == 1);
}

namespace {
struct TrapCase {
  const char* what;
  uint32_t word;
  uint64_t r3, r4;
  bool traps;
};
}  // namespace

TEST_CASE("trap conditions: signed, unsigned, equality, and word forms compare the low words") {
  const uint64_t m1 = ~0ull;
  const TrapCase cases[] = {
      // From the xenia conformance cases (all of them non-trapping).
      {"twlt 24,16", tw(16, 3, 4), 24, 16, false},
      {"twle 24,16", tw(20, 3, 4), 24, 16, false},
      {"tweq 0,24", tw(4, 3, 4), 0, 24, false},
      {"twge -1,0", tw(12, 3, 4), m1, 0, false},
      {"twgt -1,0", tw(8, 3, 4), m1, 0, false},
      {"twne 24,24", tw(24, 3, 4), 24, 24, false},
      {"twng 0,-1", tw(20, 3, 4), 0, m1, false},
      {"twllt 24,16", tw(2, 3, 4), 24, 16, false},
      {"twlge 0,48", tw(5, 3, 4), 0, 48, false},
      {"twlgt 0,48", tw(1, 3, 4), 0, 48, false},
      {"twlng 24,16", tw(6, 3, 4), 24, 16, false},
      // Taken.
      {"twlt 16,24", tw(16, 3, 4), 16, 24, true},
      {"twlt -1,0", tw(16, 3, 4), m1, 0, true},
      {"twllt -1,0 (unsigned: not less)", tw(2, 3, 4), m1, 0, false},
      {"twlgt -1,0", tw(1, 3, 4), m1, 0, true},
      {"twgt 48,24", tw(8, 3, 4), 48, 24, true},
      {"tweq 24,24", tw(4, 3, 4), 24, 24, true},
      {"twne 24,16", tw(24, 3, 4), 24, 16, true},
      // Word forms ignore the high words; doubleword forms do not.
      {"tweq 0x1_00000005,5", tw(4, 3, 4), 0x100000005ull, 5, true},
      {"tdeq 0x1_00000005,5", td(4, 3, 4), 0x100000005ull, 5, false},
      {"twlt 0x80000000 (negative word),1", tw(16, 3, 4), 0x80000000ull, 1, true},
      {"tdlt 0x80000000,1", td(16, 3, 4), 0x80000000ull, 1, false},
      {"tdlt -1,0", td(16, 3, 4), m1, 0, true},
      {"tdlgt -1,0", td(1, 3, 4), m1, 0, true},
      {"tdllt 1,2", td(2, 3, 4), 1, 2, true},
      {"td 0 (never)", td(0, 3, 4), 1, 2, false},
      // Immediate forms: SI is sign-extended.
      {"tweqi 0xFFFFFFFF,-1", twi(4, 3, -1), 0xFFFFFFFFull, 0, true},
      {"tdeqi 0xFFFFFFFF,-1", tdi(4, 3, -1), 0xFFFFFFFFull, 0, false},
      {"tdeqi -1,-1", tdi(4, 3, -1), m1, 0, true},
      {"tdlgti -1,5", tdi(1, 3, 5), m1, 0, true},
      {"twlgti 3,5", twi(1, 3, 5), 3, 0, false},
      {"twlti 3,-8", twi(16, 3, -8), 3, 0, false},
      {"twgti 3,-8", twi(8, 3, -8), 3, 0, true},
      {"twllti 3,-8 (unsigned 0xFFFFFFF8)", twi(2, 3, -8), 3, 0, true},
  };
  for (const TrapCase& k : cases) {
    INFO(k.what);
    Machine m;
    m.ctx.gpr[3] = k.r3;
    m.ctx.gpr[4] = k.r4;
    m.code({k.word});
    if (k.traps) {
      REQUIRE(m.run() == StopReason::Fault);
      CHECK(m.ctx.fault.kind == FaultKind::Trap);
      CHECK(m.ctx.fault.word == k.word);
      CHECK(m.ctx.fault.pc == kCode);
      CHECK(m.ctx.instructions == 0);
    } else {
      REQUIRE(m.run() == StopReason::StopPc);
      CHECK(m.ctx.instructions == 2);
    }
    CHECK(m.ctx.gpr[3] == k.r3);
    CHECK(m.ctx.gpr[4] == k.r4);
  }
}
