// Loop units (README "The JIT"): the blocks of a loop translated together, with guest registers
// pinned in host registers across them and written back only where something else reads them.
// Each case runs a loop of several blocks on both backends, compares after every run() call
// (budgets ending at every position, faults inside the loop, stores over the loop's own code,
// stop_pc at a block of the loop), and checks that the JIT did form a unit.
#include <functional>
#include <random>

#include "jit_test_machine.h"
#include "ppc_encode.h"

using namespace jit_test;
using namespace ppc_encode;

namespace {

// Word indexes of the loop's blocks.
constexpr uint32_t kHead = 7, kOdd = 11, kEven = 18, kJoin = 21, kAfter = 23;
// The word the odd block may store over (the even block's divw) and what it stores there.
constexpr uint32_t kPatched = kEven + 1;
constexpr uint32_t kPatch = addi(7, 12, 5);

// i = 1..n: the head tests i's parity; the odd block adds i to an accumulator, stores it at
// kData + 0x20 and at kData + (i << 8) (in the read-only page from i = 16 on: a store fault in the
// loop) and, with `patch_code`, stores kPatch over the even block's divw; the even block reloads
// the accumulator and divides it by i (a fallback, through the interpreter's handler); the join
// block compares and loops. After the loop, a load from an unmapped page faults.
std::vector<uint32_t> loop_program(int32_t n, bool patch_code) {
  return {li(3, 0),                                       // i
          li(10, 0),                                      // accumulator
          lis(4, int32_t(kData >> 16)),
          patch_code ? lis(21, int32_t(kCode >> 16)) : kNop,
          patch_code ? ori(21, 21, 4 * kPatched) : kNop,
          patch_code ? lis(20, int32_t(kPatch >> 16)) : kNop,
          patch_code ? ori(20, 20, kPatch & 0xFFFF) : kNop,
          addi(3, 3, 1),                                  // kHead
          rlwinm(6, 3, 0, 31, 31),
          cmpwi(6, 0),
          beq(int32_t(4 * (kEven - 10))),
          add(10, 10, 3),                                 // kOdd
          stw(10, 4, 0x20),
          rlwinm(13, 3, 8, 0, 23),
          add(13, 13, 4),
          stw(10, 13, 0),
          patch_code ? stw(20, 21, 0) : kNop,
          b(int32_t(4 * (kJoin - 17))),
          lwz(12, 4, 0x20),                               // kEven
          divw(7, 12, 3),
          add(10, 10, 7),
          cmpwi(3, n),                                    // kJoin
          blt(int32_t(4 * (kHead - 22))),
          lis(8, 0x5000),                                 // kAfter: unmapped
          lwz(9, 8, 0),
          kSc};
}



// A loop whose blocks end in a branch on a CR field, so the JIT defers the field's write
// (emitter.h, "Deferred CR field"): with the compare right before the branch, or with an
// unrelated op, a load of the compared register, a write of the compare's own operand or a second
// compare of the field in between; into blocks that overwrite the field first (after other ops, or as their first op),
// that overwrite another field, that read the CR through a handler (mfcr) or start with a load;
// with word and doubleword compares, signed and unsigned, register and immediate, and record
// forms; XER[SO] set when `so` (every field written carries it). The CR reaches GPRs through
// mfcr, so a field written wrong shows in r10 as well as in the CR.
// i = 1..n; after the loop, mfcr and a load from an unmapped page (a fault).
namespace deferred {
constexpr uint32_t kHead = 5, kLow = 9, kOdd = 12, kEven = 17, kThree = 22, kJoin = 27, kAfter = 30;
constexpr uint32_t kPatched = kThree + 1;  // the word kEven may store over, and its new value
constexpr uint32_t kPatch = add(10, 10, 3);
constexpr int32_t to(uint32_t from, uint32_t target) { return int32_t(4 * target) - int32_t(4 * from); }
std::vector<uint32_t> program(int32_t n, bool so, bool patch_code) {
  return {li(3, 0),                           // i
          li(10, 0),                          // accumulator
          lis(4, int32_t(kData >> 16)),
          so ? lis(5, -0x8000) : li(5, 0),    // XER: SO alone, or nothing
          mtspr(1, 5),
          addi(3, 3, 1),                      // kHead
          rlwinm(6, 3, 0, 30, 31),            // i & 3
          cmplwi_cr(7, 6, 2),
          bc_true(4 * 7 + 1, to(8, kThree)),  // i & 3 == 3
          andi_rc(7, 3, 1),                   // kLow: CR0 (CR7 from kHead must be written)
          lwz(7, 4, 0x20),                    // a load between, into the compared register
          bc_true(2, to(11, kEven)),
          mfcr(8),                            // kOdd: reads CR0 and CR7
          add(10, 10, 8),
          add_rc(11, 10, 3),
          li(15, 7),                          // an unrelated op between
          bc_false(0, to(16, kJoin)),         // CR0 LT clear: to kJoin (which writes CR7 only)
          add(10, 10, 3),                     // kEven
          cmpl_cr(7, true, 10, 3),            // doublewords, unsigned
          bc_true(4 * 7 + 0, to(19, kJoin)),
          patch_code ? stw(20, 21, 0) : stw(10, 4, 0x20),
          b(to(21, kJoin)),
          lwz(9, 4, 0x20),                    // kThree: a load first
          add(10, 10, 9),
          cmp_cr(7, false, 9, 10),            // words, signed
          addi(9, 9, 1),                      // the compare's operand written between
          bc_false(4 * 7 + 2, to(26, kJoin)),
          cmpwi_cr(7, 3, 0),                  // kJoin: overwritten unseen
          cmpwi_cr(7, 3, n),                  // kHead writes CR7 again, after two ops
          bc_true(4 * 7 + 0, to(29, kHead)),
          mfcr(12),                           // kAfter
          lis(8, 0x5000),
          lwz(9, 8, 0),
          kSc};
}
}  // namespace deferred

}  // namespace

TEST_CASE("jit loop units: a loop of several blocks is one unit, exact at every budget", "[jit]") {
  for (bool sf : {false, true}) {
    const auto prog = loop_program(12, false);
    Machine whole(make_jit);
    const uint64_t total = whole_run(prog, sf, whole);
    CHECK(whole.ctx.stop == Stop::Fault);
    CHECK(whole.ctx.fault.pc == kCode + 4 * (kAfter + 1));
    CHECK(whole.ctx.gpr[3] == 12);
    CHECK(stats(whole).loop_units > 0);  // the loop's blocks were translated together
    check_every_budget(prog, sf, total, 11, 29);
  }
}

TEST_CASE("jit loop units: a store fault inside the loop leaves the interpreter's state", "[jit]") {
  // i = 17, odd, stores into the read-only page: the fault is in the unit, with the loop's
  // registers held in host registers until then.
  for (bool sf : {false, true}) {
    for (uint64_t budget : {1000000ull, 7ull, 13ull}) {
      INFO("sf " << sf << " budget " << budget);
      run_pair(loop_program(40, false), sf, {budget}, kNoSetup, [](Machine& b, uint64_t) {
        CHECK(b.ctx.stop == Stop::Fault);
        CHECK(b.ctx.fault.pc == kCode + 4 * (kOdd + 4));
        CHECK(b.ctx.gpr[3] == 17);
        CHECK(stats(b).loop_units > 0);
      });
    }
  }
}

TEST_CASE("jit loop units: the loop storing over its own code runs the new code", "[jit]") {
  // The odd block rewrites the even block's divw (kPatch): from then on, the even block is
  // translated again, outside the unit, and the head's jump to it leaves the unit.
  for (bool sf : {false, true}) {
    for (uint64_t budget : {1000000ull, 5ull, 17ull}) {
      INFO("sf " << sf << " budget " << budget);
      run_pair(loop_program(30, true), sf, {budget}, kNoSetup, [](Machine& b, uint64_t) {
        CHECK(b.ctx.stop == Stop::Fault);
        CHECK(b.mem.read32(kCode + 4 * kPatched) == kPatch);
        CHECK(stats(b).blocks_invalidated > 0);
      });
    }
  }
}

TEST_CASE("jit loop units: stop_pc at a block of the loop stops there", "[jit]") {
  for (bool sf : {false, true}) {
    for (uint32_t at : {kOdd, kJoin, kHead}) {
      INFO("sf " << sf << " stop at word " << at);
      Machine a(make_interp), b(make_jit);
      for (Machine* m : {&a, &b}) {
        start(*m, loop_program(12, false), sf);
        // A first run forms the unit; then the stop_pc is set.
        REQUIRE(m->cpu->run(m->ctx, 40).why == Stop::Budget);
        m->ctx.stop_pc = kCode + 4 * at;
      }
      run_both(a, b, {1000});
      CHECK(b.ctx.stop == Stop::StopPc);
      CHECK(b.ctx.pc == kCode + 4 * at);
    }
  }
}

TEST_CASE("jit loop units: pins go to the most used registers, the values a loop carries counting double", "[jit]") {
  jit::GprUse use;
  use.reads[1] = 50;                                                 // read only (a base address): 50
  use.reads[3] = 2, use.writes[3] = 1, use.read_first[3] = true;     // carried: 2 x 3
  use.reads[9] = 9, use.writes[9] = 9, use.read_first[9] = true;     // carried: 2 x 18
  use.reads[7] = 30;                                                 // read only, more uses than r9: 30
  use.reads[jit::kCtr] = 1, use.writes[jit::kCtr] = 1;               // CTR counted down: carried, 2 x 2
  use.read_first[jit::kCtr] = true;
  use.reads[12] = 20, use.writes[12] = 20;                           // written before read: not carried, 40
  use.writes[15] = 30;                                               // written only: never pinned
  use.reads[4] = 1;                                                  // the seventh: no pin left
  const jit::PinMap pins = jit::choose_pins(use);
  CHECK(pins[0] == 1);
  CHECK(pins[1] == 12);
  CHECK(pins[2] == 9);
  CHECK(pins[3] == 7);
  CHECK(pins[4] == 3);
  CHECK(pins[5] == int8_t(jit::kCtr));
  for (int k = jit::kMaxPins; k < jit::kCacheRegs; ++k) CHECK(pins[k] == -1);
  CHECK(jit::choose_pins(jit::GprUse{}) == jit::kNoPins);
  // From a given register on (those before it hold pinned stack words, MemSlot).
  const jit::PinMap after_slots = jit::choose_pins(use, 2);
  CHECK(after_slots[0] == -1);
  CHECK(after_slots[1] == -1);
  CHECK(after_slots[2] == 1);
  CHECK(after_slots[5] == 7);
  // A unit calling FP/VMX steps pins only in the registers a call preserves (the first three).
  use.direct_calls = 1;
  const jit::PinMap callee_saved = jit::choose_pins(use);
  CHECK(callee_saved[0] == 1);
  CHECK(callee_saved[1] == 12);
  CHECK(callee_saved[2] == 9);
  for (int k = 3; k < jit::kCacheRegs; ++k) CHECK(callee_saved[k] == -1);
}

TEST_CASE("jit loop units: deferred CR fields are written on every way out", "[jit]") {
  for (bool sf : {false, true}) {
    for (bool so : {false, true}) {
      const auto prog = deferred::program(12, so, false);
      Machine whole(make_jit);
      const uint64_t total = whole_run(prog, sf, whole);
      CHECK(whole.ctx.stop == Stop::Fault);
      CHECK(whole.ctx.fault.pc == kCode + 4 * (deferred::kAfter + 2));
      CHECK(stats(whole).loop_units > 0);
      INFO("so " << so);
      // Page 0 readable: an access at a wrong small address (a CR value taken for an EA) reads
      // there instead of faulting into the out-of-line path, which would hide it.
      check_every_budget(prog, sf, total, 5, 23, [](Machine& m) { REQUIRE(m.mem.commit(0, 0x1000, kProtRW)); });
    }
  }
}

TEST_CASE("jit loop units: a deferred CR field survives the loop storing over its own code", "[jit]") {
  // kEven stores over kThree's second word while jumps into kHead leave CR7 unwritten: links are
  // cleared under the running unit, and kThree is translated again outside it.
  for (bool sf : {false, true}) {
    for (uint64_t budget : {1000000ull, 9ull, 31ull}) {
      INFO("sf " << sf << " budget " << budget);
      const auto patch_regs = [](Machine& m) {
        m.ctx.gpr[21] = kCode + 4 * deferred::kPatched;
        m.ctx.gpr[20] = deferred::kPatch;
      };
      run_pair(deferred::program(40, false, true), sf, {budget}, patch_regs, [](Machine& b, uint64_t) {
        CHECK(b.ctx.stop == Stop::Fault);
        CHECK(b.mem.read32(kCode + 4 * deferred::kPatched) == deferred::kPatch);
        CHECK(stats(b).blocks_invalidated > 0);
      });
    }
  }
}

TEST_CASE("jit loop units: a load or store faulting while a CR field is deferred writes it first", "[jit]") {
  // A loop onto itself: i's compare with n is deferred to the branch at the end, with a store
  // (or a load) in between whose address walks 4 bytes a round into a page it may not access:
  // CR0 must be written by the time the access faults.
  const auto program = [](bool store) {
    const uint32_t start = store ? kReadOnly - 0x100 : kUnmapped - 0x100;
    return std::vector<uint32_t>{li(3, 0),
                                 li(7, 1000),
                                 lis(6, int32_t(start >> 16)),
                                 ori(6, 6, start & 0xFFFF),
                                 addi(3, 3, 1),  // the loop
                                 cmp_cr(0, false, 3, 7),
                                 store ? stw(3, 6, 0) : lwz(10, 6, 0),
                                 addi(6, 6, 4),
                                 bc_false(2, -16),
                                 kSc};
  };
  for (bool sf : {false, true}) {
    for (bool store : {false, true}) {
      for (uint64_t budget : {1000000ull, 7ull, 11ull}) {
        INFO("sf " << sf << " store " << store << " budget " << budget);
        run_pair(program(store), sf, {budget}, kNoSetup, [](Machine& b, uint64_t) {
          CHECK(b.ctx.stop == Stop::Fault);
          CHECK(b.ctx.gpr[3] == 65);
          CHECK(b.ctx.cr[0] == kCrLT);  // 65 < 1000, written before the fault
        });
      }
    }
  }
}

TEST_CASE("jit loop units: an op's operands keep their registers while a deferred compare's are kept too", "[jit]") {
  // Six registers (r3-r8) pinned, leaving two cache registers to the block: the join block
  // computes r9, compares it for its branch (deferred) and then adds r10 and r11. The compare's
  // copy of r9 is kept over others' (the branch makes the compare from it), but not over r10's,
  // which the add still needs when it fetches r11.
  constexpr uint32_t kA = 11, kB = 24;
  std::vector<uint32_t> prog = {li(3, 1), li(4, 2), li(5, 3), li(6, 4), li(7, 5), li(8, 6),
                                li(9, 0), li(10, 5), li(11, 7), li(12, 0), li(13, 0)};
  for (int round = 0; round < 2; ++round)  // kA: the pinned registers' uses
    for (uint32_t r = 3; r <= 8; ++r) prog.push_back(add(r, r, r == 8 ? 3 : r + 1));
  prog.push_back(b(deferred::to(uint32_t(prog.size()), kB)));
  REQUIRE(prog.size() == kB);
  for (uint32_t w : {addi(9, 9, 1), cmpwi(9, 40), add(12, 10, 11), add(13, 13, 12)}) prog.push_back(w);
  prog.push_back(blt(deferred::to(uint32_t(prog.size()), kA)));
  prog.push_back(kSc);
  for (bool sf : {false, true}) {
    Machine whole(make_jit);
    const uint64_t total = whole_run(prog, sf, whole);
    CHECK(whole.ctx.gpr[13] == 40 * 12);
    CHECK(stats(whole).loop_units > 0);
    check_every_budget(prog, sf, total, 7, 40);
  }
}
