// Loop units laid out for speed (README "The JIT"): members' hot code in a row, one running on
// into the next (an exit to the next member with no jump, a conditional branch turned around so
// that its taken target is the one run on into); stack words held in registers across the unit
// (slot pins, MemSlot); XER[CA] written once per run of carrying ops. Each case runs a loop on both
// backends and compares after every run() call, at every budget.
#include <functional>

#include "cpu/jit/emitter.h"
#include "jit_test_machine.h"
#include "ppc_encode.h"

using namespace jit_test;
using namespace ppc_encode;

namespace {

constexpr int32_t to(uint32_t from, uint32_t target) { return int32_t(4 * target) - int32_t(4 * from); }

// Slot pins. r1 = kData + `offset`; i = 1..n. The head loads two stack words (0x10 and 0x14 from
// r1), the odd and even blocks store them back changed (and the even one a byte at 0x20, or, with
// `overlap`, at 0x12: inside the first word, which then cannot be pinned); the join loops. After
// the loop, the words are loaded again and a load from an unmapped page faults.
namespace slots {
constexpr uint32_t kHead = 6, kOdd = 12, kEven = 17, kJoin = 21, kAfter = 23;
std::vector<uint32_t> program(int32_t n, uint32_t offset, bool overlap) {
  return {lis(1, int32_t(kData >> 16)),
          ori(1, 1, offset),
          li(3, 0),                              // i
          li(5, 7),
          stw(5, 1, 0x10),
          stw(5, 1, 0x14),
          lwz(5, 1, 0x10),                       // kHead
          lwz(8, 1, 0x14),
          addi(3, 3, 1),
          rlwinm(6, 3, 0, 31, 31),
          cmpwi(6, 0),
          beq(to(11, kEven)),
          add(5, 5, 3),                          // kOdd
          stw(5, 1, 0x10),
          add(8, 8, 5),
          stw(8, 1, 0x14),
          b(to(16, kJoin)),
          addi(5, 5, 3),                         // kEven
          stw(5, 1, 0x10),
          stb(5, 1, overlap ? 0x12 : 0x20),
          add(8, 8, 3),
          cmpwi(3, n),                           // kJoin
          blt(to(22, kHead)),
          lwz(9, 1, 0x10),                       // kAfter
          lwz(10, 1, 0x14),
          lis(11, 0x5000),                       // unmapped
          lwz(12, 11, 0),
          kSc};
}
}  // namespace slots

// A conditional branch whose taken target is the next member of the unit (so the JIT turns it
// around: it jumps to the fall-through exit when not taken and runs on into the target), with
// BO `bo` on CR0's EQ bit. i = 1..; CTR = `ctr`. Block A sets CR0 from i & 7 == 5 (or, with `cr_in_b`,
// block B sets it for A's next round, so A's branch reads the field from the context) and
// branches to B; not taken, it leaves the loop through X. B counts i and loops while i < 20.
namespace turned {
constexpr uint32_t kA = 4, kX = 9, kB = 11, kAfter = 16;
std::vector<uint32_t> program(uint32_t bo, bool cr_in_b, int32_t ctr) {
  return {li(3, 0),
          li(4, ctr),
          mtspr(9, 4),                           // CTR
          cmpwi(3, 0),
          rlwinm(6, 3, 0, 29, 31),               // kA
          cr_in_b ? li(7, 1) : cmpwi(6, 5),
          li(7, 2),
          addi(10, 10, 1),
          bc_bo(bo, 2, to(8, kB)),
          addi(10, 10, 100),                     // kX: out of the loop
          b(to(10, kAfter)),
          addi(3, 3, 1),                         // kB
          cr_in_b ? rlwinm(6, 3, 0, 29, 31) : li(7, 3),
          cr_in_b ? cmpwi(6, 5) : li(7, 4),
          cmpwi_cr(1, 3, 20),
          bc_true(4 * 1 + 0, to(15, kA)),        // i < 20
          lis(11, 0x5000),                     // kAfter: unmapped
          lwz(12, 11, 0),
          kSc};
}
}  // namespace turned

// Carrying ops in a row (XER[CA] kept in a host register, written once) and then a store that
// faults, a handler that reads XER (mfxer through mfspr) or the block's end. Walks a pointer 4
// bytes a round into the read-only page, so the store faults in the loop.
std::vector<uint32_t> carry_program(bool read_xer) {
  constexpr uint32_t kLoop = 5;
  return {li(3, -1),
          li(4, 1),
          lis(6, int32_t((kReadOnly - 0x40) >> 16)),
          ori(6, 6, (kReadOnly - 0x40) & 0xFFFF),
          li(9, 0),
          addc(7, 3, 4),                         // kLoop: CA = 1
          adde(8, 3, 9),                         // CA from the last one
          addc(7, 9, 9),                         // CA = 0
          adde(8, 8, 4),
          read_xer ? mfspr(10, 1) : addi(10, 10, 1),
          stw(8, 6, 0),
          addi(6, 6, 4),
          addc(3, 3, 4),
          b(to(13, kLoop)),
          kSc};
}

}  // namespace

TEST_CASE("jit layout: stack words a loop stores and loads are pinned, exact at every budget", "[jit]") {
  for (bool sf : {false, true}) {
    uint64_t pinned[2] = {};
    for (bool overlap : {false, true}) {
      INFO("sf " << sf << " overlap " << overlap);
      const auto prog = slots::program(13, 0x100, overlap);
      Machine whole(make_jit);
      const uint64_t total = whole_run(prog, sf, whole);
      CHECK(whole.ctx.stop == Stop::Fault);
      CHECK(whole.ctx.fault.pc == kCode + 4 * (slots::kAfter + 3));
      CHECK(whole.ctx.gpr[3] == 13);
      CHECK(stats(whole).loop_units > 0);
      CHECK(stats(whole).slot_entries_interpreted == 0);
      // Every access is by r1 and none into a pinned word but its own lwz/stw: written back (the
      // data pages are compared after every run() call).
      CHECK(stats(whole).slot_write_back_units > 0);
      pinned[overlap] = stats(whole).slot_pins;
      check_every_budget(prog, sf, total, 5, 23);
    }
    // Words pinned in every unit the loop formed: fewer when a byte store touches one of them.
    CHECK(pinned[1] > 0);
    CHECK(pinned[1] < pinned[0]);
  }
}

TEST_CASE("jit layout: a pinned word that cannot be loaded at the unit's entry runs the block op by op", "[jit]") {
  // r1 = kData + 0x102: the words are misaligned, so an outer entry cannot load them directly.
  for (bool sf : {false, true}) {
    const auto prog = slots::program(13, 0x102, false);
    Machine whole(make_jit);
    const uint64_t total = whole_run(prog, sf, whole);
    CHECK(whole.ctx.stop == Stop::Fault);
    CHECK(whole.ctx.gpr[3] == 13);
    CHECK(stats(whole).slot_pins > 0);
    CHECK(stats(whole).slot_entries_interpreted > 0);
    check_every_budget(prog, sf, total, 9, 17);
  }
}

TEST_CASE("jit layout: a pinned word on a page that lost access runs the block op by op, faulting as the interpreter", "[jit]") {
  // The loop runs a while (its unit formed, the words pinned and written back), then the stack
  // page becomes inaccessible, or read-only (the words can be loaded but not stored without
  // Memory's checks), between two run() calls: the next entry into the unit runs the block op by
  // op, faulting at its first access (a store, when read-only) as the interpreter does.
  for (bool sf : {false, true}) {
    for (uint8_t prot : {uint8_t(kProtNone), uint8_t(kProtRead)}) {
      INFO("sf " << sf << " prot " << int(prot));
      Machine a(make_interp), b(make_jit);
      for (Machine* m : {&a, &b}) {
        start(*m, slots::program(1000, 0x100, false), sf);
        REQUIRE(m->cpu->run(m->ctx, 200).why == Stop::Budget);
        m->mem.protect(kData, 0x1000, prot);
      }
      run_both(a, b, {1000});
      CHECK(b.ctx.stop == Stop::Fault);
      if (prot == kProtRead) CHECK(b.ctx.fault.access == Access::Write);
      CHECK(stats(b).slot_write_back_units > 0);
      CHECK(stats(b).slot_entries_interpreted > 0);
    }
  }
}

TEST_CASE("jit layout: a written-back word breaks another thread's reservation as its store would", "[jit]") {
  // Another thread (7) takes a reservation on the stack words' granule while the loop runs, or
  // this one (1) does, which its own stores leave: after every run() call, both backends agree
  // on it (the JIT's stores reach memory, and the reservation is broken, when the unit is left).
  // r1 = kData + 0x168: the words at 0x178 and 0x17c are in the reserved granule, the loop's byte
  // store (0x188) in the next one.
  constexpr uint32_t kReserved = kData + 0x178;
  for (bool sf : {false, true}) {
    for (uint32_t owner : {7u, 1u}) {
      for (uint64_t slice : {1u, 5u, 17u, 64u, 1000u}) {
        INFO("sf " << sf << " owner " << owner << " slice " << slice);
        Machine a(make_interp), b(make_jit);
        // Reserved once the loop runs (its unit formed), after the stores before it.
        for (Machine* m : {&a, &b}) {
          start(*m, slots::program(13, 0x168, false), sf);
          m->mem.set_current_writer(1);
          REQUIRE(m->cpu->run(m->ctx, 60).why == Stop::Budget);
          m->mem.reserve(owner, kReserved);
        }
        for (int k = 0; k < 1000; ++k) {
          const RunResult ra = a.cpu->run(a.ctx, slice);
          const RunResult rb = b.cpu->run(b.ctx, slice);
          REQUIRE(ra.retired == rb.retired);
          require_same(a, b);
          REQUIRE(a.mem.reservation_held(owner, kReserved) == b.mem.reservation_held(owner, kReserved));
          if (ra.why != Stop::Budget) break;
        }
        CHECK(a.mem.reservation_held(owner, kReserved) == (owner == 1));
        if (slice == 1000) CHECK(stats(b).slot_write_back_units > 0);
      }
    }
  }
}

TEST_CASE("jit layout: which stack words are pinned", "[jit]") {
  using jit::GprUse;
  const auto word = [](int8_t base, int32_t disp, bool store) { return GprUse::Access{base, disp, 4, store, true}; };
  GprUse use;
  use.accesses = {word(1, 0x10, false), word(1, 0x10, true), word(1, 0x14, false), word(1, 0x14, false),
                  word(1, 0x14, true), word(1, 0x18, false), word(1, 0x1c, true), word(1, 0x20, false),
                  word(1, 0x20, true)};
  // Stored and loaded words only (not 0x18, only loaded, nor 0x1c, only stored); most loaded
  // first; at most kMaxSlots.
  auto slots = jit::choose_slots(use);
  REQUIRE(slots.size() == 2);
  CHECK((slots[0].base == 1 && slots[0].disp == 0x14));
  CHECK((slots[1].base == 1 && slots[1].disp == 0x10));
  CHECK((slots[0].write_back && slots[1].write_back));
  // A byte store into a word keeps it out; one next to it does not.
  use.accesses.push_back(GprUse::Access{1, 0x13, 1, true, false});
  use.accesses.push_back(GprUse::Access{1, 0x24, 1, true, false});
  slots = jit::choose_slots(use);
  REQUIRE(slots.size() == 2);
  CHECK(slots[0].disp == 0x14);
  CHECK(slots[1].disp == 0x20);
  // None when: a store by another base register (it may write any word), an X-form store, the
  // base register written, a handler called, an FP/VMX step called.
  const auto none_with = [&](const std::function<void(GprUse&)>& change) {
    GprUse u = use;
    change(u);
    return jit::choose_slots(u).empty();
  };
  CHECK(none_with([&](GprUse& u) { u.accesses.push_back(word(3, 0x40, true)); }));
  CHECK(none_with([&](GprUse& u) { u.accesses.insert(u.accesses.begin(), word(3, 0x40, true)); }));
  CHECK(none_with([&](GprUse& u) { u.accesses.push_back(word(-1, 0, true)); }));
  CHECK(none_with([](GprUse& u) { u.writes[1] = 1; }));
  CHECK(none_with([](GprUse& u) { u.handler_calls = 1; }));
  CHECK(none_with([](GprUse& u) { u.direct_calls = 1; }));
  // Loads by another base do not matter (memory is written through).
  CHECK(!none_with([&](GprUse& u) { u.accesses.push_back(word(3, 0x10, false)); }));
  // Written back only when nothing else can read a pinned word: not with a load by another base
  // register or an X form, nor one into a pinned word (0x14, 0x20 here); loads beside them are fine.
  const auto written_back_with = [&](const GprUse::Access& a) {
    GprUse u = use;
    u.accesses.push_back(a);
    const auto s = jit::choose_slots(u);
    REQUIRE(s.size() == 2);
    CHECK(s[0].write_back == s[1].write_back);
    return s[0].write_back;
  };
  CHECK(!written_back_with(word(3, 0x100, false)));
  CHECK(!written_back_with(word(-1, 0, false)));
  CHECK(!written_back_with(GprUse::Access{1, 0x17, 1, false, false}));
  CHECK(!written_back_with(GprUse::Access{1, 0x1e, 4, false, false}));
  CHECK(written_back_with(GprUse::Access{1, 0x18, 1, false, false}));
  CHECK(written_back_with(GprUse::Access{1, 0x0c, 4, false, false}));
}

TEST_CASE("jit layout: a branch turned around, for every BO, exact at every budget", "[jit]") {
  // BO: CTR decremented and tested (0, 2, 8, 10, 16, 18), the CR bit alone (4, 12), always (20);
  // CTR running out while the CR test passes (4), or not before it fails (9).
  for (uint32_t bo : {0u, 2u, 4u, 8u, 10u, 12u, 16u, 18u, 20u}) {
    for (bool cr_in_b : {false, true}) {
      for (int32_t ctr : {4, 9}) {
        for (bool sf : {false, true}) {
          INFO("bo " << bo << " cr_in_b " << cr_in_b << " ctr " << ctr << " sf " << sf);
          const auto prog = turned::program(bo, cr_in_b, ctr);
          Machine whole(make_jit);
          const uint64_t total = whole_run(prog, sf, whole);
          CHECK(whole.ctx.stop == Stop::Fault);
          check_every_budget(prog, sf, total, bo + 1, 13);
        }
      }
    }
  }
}

TEST_CASE("jit layout: XER[CA] kept in a register is written before a fault and a handler", "[jit]") {
  for (bool sf : {false, true}) {
    for (bool read_xer : {false, true}) {
      INFO("sf " << sf << " read_xer " << read_xer);
      const auto prog = carry_program(read_xer);
      Machine whole(make_jit);
      const uint64_t total = whole_run(prog, sf, whole);
      CHECK(whole.ctx.stop == Stop::Fault);
      CHECK(whole.ctx.fault.pc == kCode + 4 * 10);
      check_every_budget(prog, sf, total, 3, 11);
    }
  }
}
