// Load/store unit: hand-encoded guest code run through the interpreter. Expected values follow
// the Power ISA; the string, byte-reversed, lmw and store-conditional cases were also checked
// against qemu-ppc64 running the same instructions.
#include <catch2/catch.hpp>

#include <initializer_list>

#include "cpu/context.h"
#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"
#include "guest_code.h"

using namespace hexad::cpu;

namespace {

constexpr uint32_t kCode = 0x82010000;
constexpr uint32_t kData = 0x40000000;   // 64 KiB, read/write
constexpr uint32_t kRo = 0x40010000;     // 4 KiB, read-only
constexpr uint32_t kUnmapped = 0x50000000;
constexpr uint32_t kReturn = 0x1000;
using guest_code::kBlr;

// Instruction encoders (IBM bit numbering: RT at 6-10, RA 11-15, RB 16-20).
constexpr uint32_t D(uint32_t op, uint32_t rt, uint32_t ra, int32_t d) {
  return op << 26 | rt << 21 | ra << 16 | (uint32_t(d) & 0xFFFF);
}
constexpr uint32_t DS(uint32_t op, uint32_t rt, uint32_t ra, int32_t ds, uint32_t xo) {
  return op << 26 | rt << 21 | ra << 16 | (uint32_t(ds) & 0xFFFC) | xo;
}
constexpr uint32_t X(uint32_t rt, uint32_t ra, uint32_t rb, uint32_t xo, uint32_t rc = 0) {
  return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | xo << 1 | rc;
}
// Anchors: words produced by powerpc64-linux-gnu-as for the same instructions.
static_assert(D(33, 3, 5, 4) == 0x84650004);         // lwzu r3,4(r5)
static_assert(DS(58, 3, 5, -8, 1) == 0xE865FFF9);    // ldu r3,-8(r5)
static_assert(DS(58, 3, 4, 8, 2) == 0xE864000A);     // lwa r3,8(r4)
static_assert(X(3, 4, 5, 55) == 0x7C64286E);         // lwzux r3,r4,r5
static_assert(X(3, 4, 5, 150, 1) == 0x7C64292D);     // stwcx. r3,r4,r5
static_assert(X(0, 4, 5, 1014) == 0x7C042FEC);       // dcbz r4,r5
static_assert(X(1, 4, 5, 1014) == 0x7C242FEC);       // dcbz128 (dcbzl) r4,r5
static_assert(X(31, 8, 10, 597) == 0x7FE854AA);      // lswi r31,r8,10
static_assert(X(3, 4, 5, 532) == 0x7C642C28);        // ldbrx r3,r4,r5
static_assert(X(3, 4, 5, 660) == 0x7C642D28);        // stdbrx r3,r4,r5
static_assert(D(46, 29, 8, 4) == 0xBBA80004);        // lmw r29,4(r8)
static_assert(X(11, 9, 7, 661) == 0x7D693D2A);       // stswx r11,r9,r7
static_assert(X(0, 4, 5, 982) == 0x7C042FAC);        // icbi r4,r5

// One guest thread over its own memory: code page at kCode, data pages at kData / kRo.
struct Machine {
  Memory mem;
  Interpreter interp{mem};
  ThreadContext ctx{};

  explicit Machine(bool sf = true) {
    REQUIRE(mem.commit(kCode, 0x1000, kProtRWX));
    REQUIRE(mem.commit(kData, 0x10000, kProtRW));
    REQUIRE(mem.commit(kRo, 0x1000, kProtRead));
    reset_context(ctx, &mem, sf);
    ctx.tid = 1;
  }
  // Writes the words then a blr at `at`; the run ends when control returns to kReturn.
  void code(std::initializer_list<uint32_t> words, uint32_t at = kCode) { place(ctx, words, at); }
  void place(ThreadContext& t, std::initializer_list<uint32_t> words, uint32_t at) {
    guest_code::place(mem, interp, t, at, words, kReturn);
  }
  StopReason run(uint64_t budget = 1000) { return interp.run(ctx, budget).why; }
  void bytes(uint32_t at, std::initializer_list<uint8_t> b) {
    for (uint8_t v : b) mem.write8(at++, v);
  }
};

// 24 bytes of recognisable data (the qemu-ppc64 cross-check used the same bytes).
void fill_source(Machine& m, uint32_t at) {
  m.bytes(at, {0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90,
               0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8});
}

}  // namespace

TEST_CASE("D and DS form loads zero- or sign-extend") {
  Machine m;
  fill_source(m, kData);
  m.ctx.gpr[4] = kData;
  m.code({D(34, 3, 4, 1),         // lbz r3,1(r4)
          D(40, 5, 4, 2),         // lhz r5,2(r4)
          D(42, 6, 4, 2),         // lha r6,2(r4)
          D(32, 7, 4, 16),        // lwz r7,16(r4)
          DS(58, 8, 4, 16, 2),    // lwa r8,16(r4)
          DS(58, 9, 4, 8, 0),     // ld r9,8(r4)
          D(34, 10, 0, 0x7FFF)});  // lbz r10,0x7fff(0): (RA|0) = 0 -> address 0x7fff, unmapped
  m.ctx.gpr[10] = 77;
  REQUIRE(m.run() == StopReason::Fault);
  CHECK(m.ctx.gpr[3] == 0x82);
  CHECK(m.ctx.gpr[5] == 0x8384);
  CHECK(m.ctx.gpr[6] == 0xFFFFFFFFFFFF8384ull);
  CHECK(m.ctx.gpr[7] == 0xF1F2F3F4);
  CHECK(m.ctx.gpr[8] == 0xFFFFFFFFF1F2F3F4ull);
  CHECK(m.ctx.gpr[9] == 0x898A8B8C8D8E8F90ull);
  CHECK(m.ctx.fault.address == 0x7FFF);
  CHECK(m.ctx.gpr[10] == 77);
}

TEST_CASE("stores write the low bytes of RS big-endian") {
  Machine m;
  m.ctx.gpr[3] = 0x1122334455667788ull;
  m.ctx.gpr[4] = kData + 0x100;
  m.code({D(38, 3, 4, 0),          // stb r3,0(r4)
          D(44, 3, 4, 2),          // sth r3,2(r4)
          D(36, 3, 4, 4),          // stw r3,4(r4)
          DS(62, 3, 4, 8, 0)});    // std r3,8(r4)
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.mem.read8(kData + 0x100) == 0x88);
  CHECK(m.mem.read8(kData + 0x101) == 0);
  CHECK(m.mem.read16(kData + 0x102) == 0x7788);
  CHECK(m.mem.read32(kData + 0x104) == 0x55667788);
  CHECK(m.mem.read64(kData + 0x108) == 0x1122334455667788ull);
  CHECK(m.ctx.instructions == 5);
}

TEST_CASE("indexed loads and stores") {
  Machine m;
  fill_source(m, kData);
  m.ctx.gpr[4] = kData;
  m.ctx.gpr[5] = 16;
  m.ctx.gpr[6] = 2;
  m.ctx.gpr[20] = 0xA0B0C0D0E0F01020ull;
  m.ctx.gpr[21] = 0x200;
  m.code({X(3, 4, 6, 87),     // lbzx r3,r4,r6
          X(7, 4, 6, 279),    // lhzx r7,r4,r6
          X(8, 4, 6, 343),    // lhax r8,r4,r6
          X(9, 4, 5, 23),     // lwzx r9,r4,r5
          X(10, 4, 5, 341),   // lwax r10,r4,r5
          X(11, 4, 5, 21),    // ldx r11,r4,r5
          X(20, 4, 21, 215),  // stbx r20,r4,r21
          X(20, 4, 21, 407),  // sthx  (overwrites 2 bytes at +0x200)
          X(20, 4, 6, 151),   // stwx r20 at kData+2
          X(20, 0, 4, 149)});  // stdx r20,0,r4: (RA|0)=0, EA = r4
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[3] == 0x83);
  CHECK(m.ctx.gpr[7] == 0x8384);
  CHECK(m.ctx.gpr[8] == 0xFFFFFFFFFFFF8384ull);
  CHECK(m.ctx.gpr[9] == 0xF1F2F3F4);
  CHECK(m.ctx.gpr[10] == 0xFFFFFFFFF1F2F3F4ull);
  CHECK(m.ctx.gpr[11] == 0xF1F2F3F4F5F6F7F8ull);
  CHECK(m.mem.read16(kData + 0x200) == 0x1020);
  CHECK(m.mem.read64(kData) == 0xA0B0C0D0E0F01020ull);  // stdx over the earlier stwx
}

TEST_CASE("update forms write the EA to RA") {
  Machine m;
  fill_source(m, kData);
  m.ctx.gpr[5] = kData;
  m.ctx.gpr[6] = kData + 16;
  m.ctx.gpr[7] = kData + 0x100;
  m.ctx.gpr[8] = 8;
  m.ctx.gpr[9] = 0xCAFEF00D;
  m.ctx.gpr[10] = kData + 4;
  m.ctx.gpr[15] = uint64_t(-8);
  m.code({D(33, 3, 5, 4),          // lwzu r3,4(r5)      r5 = kData+4
          D(35, 4, 5, 1),          // lbzu r4,1(r5)      r5 = kData+5
          D(43, 11, 5, -3),        // lhau r11,-3(r5)    r5 = kData+2
          DS(58, 12, 6, -8, 1),    // ldu r12,-8(r6)     r6 = kData+8
          X(13, 6, 8, 373),        // lwaux r13,r6,r8    r6 = kData+16
          X(14, 6, 15, 53),        // ldux r14,r6,r15    r15 = -8: r6 = kData+8
          D(37, 9, 7, 16),         // stwu r9,16(r7)     r7 = kData+0x110
          X(9, 7, 8, 183),         // stwux r9,r7,r8     r7 = kData+0x118
          D(37, 10, 10, 0x200)});  // stwu r10,0x200(r10): RA=RS is valid, stores the old r10
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[3] == 0x85868788);
  CHECK(m.ctx.gpr[4] == 0x86);
  CHECK(m.ctx.gpr[11] == 0xFFFFFFFFFFFF8384ull);
  CHECK(m.ctx.gpr[5] == kData + 2);
  CHECK(m.ctx.gpr[12] == 0x898A8B8C8D8E8F90ull);
  CHECK(m.ctx.gpr[13] == 0xFFFFFFFFF1F2F3F4ull);
  CHECK(m.ctx.gpr[14] == 0x898A8B8C8D8E8F90ull);
  CHECK(m.ctx.gpr[6] == kData + 8);
  CHECK(m.mem.read32(kData + 0x110) == 0xCAFEF00D);
  CHECK(m.mem.read32(kData + 0x118) == 0xCAFEF00D);
  CHECK(m.ctx.gpr[7] == kData + 0x118);
  CHECK(m.mem.read32(kData + 0x204) == kData + 4);
  CHECK(m.ctx.gpr[10] == kData + 0x204);
}

TEST_CASE("update forms: RA gets the 64-bit EA in SF=1 and its low word in SF=0") {
  for (bool sf : {true, false}) {
    Machine m(sf);
    m.mem.write32(kData + 0x10, 0x01020304);
    m.ctx.gpr[5] = 0x0000000100000000ull | kData;  // high word set: ignored by the access
    m.code({D(33, 3, 5, 0x10)});                     // lwzu r3,0x10(r5)
    REQUIRE(m.run() == StopReason::StopPc);
    CHECK(m.ctx.gpr[3] == 0x01020304);
    CHECK(m.ctx.gpr[5] == (sf ? 0x0000000100000000ull | (kData + 0x10) : uint64_t(kData + 0x10)));
  }
}

TEST_CASE("invalid update forms fault without retiring or changing state") {
  struct Case {
    const char* what;
    uint32_t word;
  };
  for (Case k : {Case{"lwzu RA=RT", D(33, 5, 5, 4)}, Case{"lwzu RA=0", D(33, 3, 0, 4)},
                 Case{"lbzux RA=RT", X(5, 5, 6, 119)}, Case{"ldu RA=0", DS(58, 3, 0, 8, 1)},
                 Case{"lhaux RA=RT", X(5, 5, 6, 375)}, Case{"stwu RA=0", D(37, 3, 0, 4)},
                 Case{"stdux RA=0", X(3, 0, 6, 181)}}) {
    INFO(k.what);
    Machine m;
    m.ctx.gpr[3] = 0x33;
    m.ctx.gpr[5] = kData;
    m.ctx.gpr[6] = 8;
    m.code({D(34, 7, 5, 0), k.word});  // lbz r7,0(r5) retires first
    REQUIRE(m.run() == StopReason::Fault);
    CHECK(m.ctx.fault.kind == FaultKind::InvalidInstruction);
    CHECK(m.ctx.fault.word == k.word);
    CHECK(m.ctx.fault.pc == kCode + 4);
    CHECK(m.ctx.instructions == 1);
    CHECK(m.ctx.gpr[3] == 0x33);
    CHECK(m.ctx.gpr[5] == kData);
    CHECK(m.mem.read64(kData) == 0);
  }
}

TEST_CASE("a load from unmapped memory faults at its pc and is not retired") {
  Machine m;
  m.mem.write32(kData, 0x11111111);
  m.ctx.gpr[4] = kData;
  m.ctx.gpr[6] = kUnmapped;
  m.ctx.gpr[5] = 0x55;
  m.code({D(32, 3, 4, 0),       // lwz r3,0(r4)
          D(33, 5, 6, 0x20),    // lwzu r5,0x20(r6): faults, r5 and r6 unchanged
          D(32, 7, 4, 0)});
  REQUIRE(m.run() == StopReason::Fault);
  CHECK(m.ctx.fault.kind == FaultKind::Memory);
  CHECK(m.ctx.fault.pc == kCode + 4);
  CHECK(m.ctx.fault.address == kUnmapped + 0x20);
  CHECK(m.ctx.fault.size == 4);
  CHECK(m.ctx.fault.access == Access::Read);
  CHECK(m.ctx.instructions == 1);
  CHECK(m.ctx.gpr[3] == 0x11111111);
  CHECK(m.ctx.gpr[5] == 0x55);
  CHECK(m.ctx.gpr[6] == kUnmapped);
}

TEST_CASE("a store to a read-only page faults and writes nothing") {
  Machine m;
  m.ctx.gpr[3] = 0xFFFFFFFF;
  m.ctx.gpr[4] = kRo;
  m.code({D(37, 3, 4, 8)});  // stwu r3,8(r4)
  REQUIRE(m.run() == StopReason::Fault);
  CHECK(m.ctx.fault.access == Access::Write);
  CHECK(m.ctx.fault.address == kRo + 8);
  CHECK(m.ctx.gpr[4] == kRo);
  CHECK(m.ctx.instructions == 0);
  CHECK(m.mem.read32(kRo + 8) == 0);
}

TEST_CASE("byte-reversed loads and stores") {
  Machine m;
  fill_source(m, kData);
  m.ctx.gpr[4] = kData;
  m.ctx.gpr[5] = 1;
  m.ctx.gpr[20] = 0x0102030405060708ull;
  m.ctx.gpr[21] = 0x100;
  m.ctx.gpr[22] = 0x110;
  m.ctx.gpr[23] = 0x120;
  m.code({X(3, 4, 5, 790),     // lhbrx r3,r4,r5
          X(6, 4, 5, 534),     // lwbrx r6,r4,r5
          X(7, 4, 5, 532),     // ldbrx r7,r4,r5
          X(20, 4, 21, 918),   // sthbrx
          X(20, 4, 22, 662),   // stwbrx
          X(20, 4, 23, 660)});  // stdbrx
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[3] == 0x8382);
  CHECK(m.ctx.gpr[6] == 0x85848382);
  CHECK(m.ctx.gpr[7] == 0x8988878685848382ull);
  CHECK(m.mem.read16(kData + 0x100) == 0x0807);
  CHECK(m.mem.read32(kData + 0x110) == 0x08070605);
  CHECK(m.mem.read64(kData + 0x120) == 0x0807060504030201ull);
}

TEST_CASE("lmw and stmw move the low words of RT..r31") {
  Machine m;
  fill_source(m, kData);
  m.ctx.gpr[8] = kData;
  m.ctx.gpr[29] = m.ctx.gpr[30] = m.ctx.gpr[31] = ~0ull;
  m.ctx.gpr[9] = kData + 0x100;
  m.code({D(46, 29, 8, 4),    // lmw r29,4(r8)
          D(47, 30, 9, 0)});  // stmw r30,0(r9)
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[29] == 0x85868788);
  CHECK(m.ctx.gpr[30] == 0x898A8B8C);
  CHECK(m.ctx.gpr[31] == 0x8D8E8F90);
  CHECK(m.mem.read32(kData + 0x100) == 0x898A8B8C);
  CHECK(m.mem.read32(kData + 0x104) == 0x8D8E8F90);
  CHECK(m.mem.read32(kData + 0x108) == 0);
}

TEST_CASE("lmw with RA in the loaded range is invalid, stmw across a page end is all or nothing") {
  Machine m;
  m.ctx.gpr[30] = kData;
  m.code({D(46, 29, 30, 0)});  // lmw r29,0(r30)
  REQUIRE(m.run() == StopReason::Fault);
  CHECK(m.ctx.fault.kind == FaultKind::InvalidInstruction);

  Machine n;
  n.ctx.gpr[9] = kRo - 8;  // r28..r31: 8 bytes writable, then the read-only page
  for (int r = 28; r < 32; ++r) n.ctx.gpr[r] = 0x01010101u * uint32_t(r);
  n.code({D(47, 28, 9, 0)});  // stmw r28,0(r9)
  REQUIRE(n.run() == StopReason::Fault);
  CHECK(n.ctx.fault.address == kRo);
  CHECK(n.ctx.fault.access == Access::Write);
  CHECK(n.mem.read64(kRo - 8) == 0);
}

TEST_CASE("string loads fill registers four bytes at a time and wrap to r0") {
  Machine m;
  fill_source(m, kData);
  m.ctx.gpr[8] = kData;
  m.ctx.gpr[0] = m.ctx.gpr[1] = m.ctx.gpr[31] = ~0ull;
  m.ctx.gpr[5] = m.ctx.gpr[6] = m.ctx.gpr[2] = ~0ull;
  m.ctx.gpr[7] = 2;
  m.ctx.xer_bytes = 6;
  m.code({X(31, 8, 10, 597),  // lswi r31,r8,10: r31, r0, r1
          X(5, 8, 7, 533)});  // lswx r5,r8,r7 with XER count 6: r5, r6
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[31] == 0x81828384);
  CHECK(m.ctx.gpr[0] == 0x85868788);
  CHECK(m.ctx.gpr[1] == 0x898A0000);
  CHECK(m.ctx.gpr[2] == ~0ull);
  CHECK(m.ctx.gpr[5] == 0x83848586);
  CHECK(m.ctx.gpr[6] == 0x87880000);
}

TEST_CASE("lswi NB=0 moves 32 bytes, lswx with a zero count changes nothing") {
  Machine m;
  for (uint32_t k = 0; k < 40; ++k) m.mem.write8(kData + k, uint8_t(k + 1));
  m.ctx.gpr[3] = kData;
  m.ctx.gpr[4] = 0;
  m.ctx.gpr[20] = 0x77;
  m.ctx.xer_bytes = 0;
  m.code({X(24, 3, 0, 597),    // lswi r24,r3,0 (32 bytes: r24..r31)
          X(20, 3, 4, 533)});  // lswx r20,r3,r4, count 0
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[24] == 0x01020304);
  CHECK(m.ctx.gpr[31] == 0x1D1E1F20);
  CHECK(m.ctx.gpr[20] == 0x77);
}

TEST_CASE("string stores take bytes from the low words, wrapping registers") {
  Machine m;
  m.mem.fill(kData + 0x40, 0xFF, 0x40);
  m.ctx.gpr[10] = 0x11223344A1A2A3A4ull;
  m.ctx.gpr[11] = 0x55667788;
  m.ctx.gpr[12] = kData + 0x40;
  m.ctx.gpr[31] = 0xC1C2C3C4;
  m.ctx.gpr[0] = 0xD1D2D3D4;
  m.ctx.gpr[9] = kData;
  m.ctx.gpr[7] = 0x60;
  m.ctx.xer_bytes = 3;
  m.code({X(10, 12, 5, 725),   // stswi r10,r12,5
          X(31, 9, 7, 661),    // stswx r31,r9,r7 (3 bytes)
          X(31, 12, 6, 725)});  // stswi r31,r12,6 at +0x40 again: r31 then r0
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.mem.read8(kData + 0x60) == 0xC1);
  CHECK(m.mem.read16(kData + 0x61) == 0xC2C3);
  CHECK(m.mem.read8(kData + 0x63) == 0xFF);
  CHECK(m.mem.read32(kData + 0x40) == 0xC1C2C3C4);
  CHECK(m.mem.read32(kData + 0x44) == 0xD1D2FFFF);
}

TEST_CASE("stswi n=5 stores a partial word") {
  Machine m;
  m.mem.fill(kData, 0xFF, 16);
  m.ctx.gpr[10] = 0x11223344A1A2A3A4ull;
  m.ctx.gpr[11] = 0x55667788;
  m.ctx.gpr[12] = kData;
  m.code({X(10, 12, 5, 725)});  // stswi r10,r12,5
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.mem.read64(kData) == 0xA1A2A3A455FFFFFFull);
}

TEST_CASE("string forms with RA or RB in the loaded range are invalid") {
  for (uint32_t word : {X(31, 0, 8, 597),     // lswi r31,0,8: loads r31,r0 and RA field is 0
                        X(30, 31, 0, 597),    // lswi r30,r31,0 (32 bytes, every register)
                        X(4, 3, 5, 533)}) {   // lswx r4,r3,r5, count 8: loads r4,r5 = RB
    Machine m;
    m.ctx.gpr[3] = m.ctx.gpr[31] = kData;
    m.ctx.gpr[5] = 0;
    m.ctx.xer_bytes = 8;
    m.code({word});
    REQUIRE(m.run() == StopReason::Fault);
    CHECK(m.ctx.fault.kind == FaultKind::InvalidInstruction);
  }
}

TEST_CASE("stwcx. without a reservation fails and stores nothing") {
  Machine m;
  m.ctx.gpr[3] = 0x55;
  m.ctx.gpr[4] = kData + 0x80;
  m.ctx.cr[0] = 0xF;
  m.code({X(3, 0, 4, 150, 1)});  // stwcx. r3,0,r4
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.cr[0] == 0);
  CHECK(m.mem.read32(kData + 0x80) == 0);
}

TEST_CASE("lwarx/stwcx. and ldarx/stdcx. succeed on a held reservation, then it is gone") {
  Machine m;
  m.mem.write32(kData + 0x80, 41);
  m.mem.write64(kData + 0x108, 0x123456789ull);
  m.ctx.gpr[4] = kData + 0x80;
  m.ctx.gpr[5] = 0x42;
  m.ctx.gpr[6] = kData + 0x108;
  m.ctx.gpr[7] = 0xAAAABBBBCCCCDDDDull;
  m.ctx.xer_so = 1;
  m.code({X(3, 0, 4, 20),        // lwarx r3,0,r4
          X(5, 0, 4, 150, 1)});  // stwcx. r5,0,r4
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[3] == 41);
  CHECK(m.ctx.cr[0] == (kCrEQ | kCrSO));
  CHECK(m.mem.read32(kData + 0x80) == 0x42);
  CHECK_FALSE(m.mem.reservation_held(1, kData + 0x80));

  m.ctx.xer_so = 0;
  m.code({X(8, 0, 6, 84),         // ldarx r8,0,r6
          X(7, 0, 6, 214, 1),     // stdcx. r7,0,r6
          X(5, 0, 6, 214, 1)});   // stdcx. again: the reservation was consumed
  m.ctx.cr[0] = 0;
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[8] == 0x123456789ull);
  CHECK(m.ctx.cr[0] == 0);  // from the second stdcx.
  CHECK(m.mem.read64(kData + 0x108) == 0xAAAABBBBCCCCDDDDull);
}

TEST_CASE("stwcx. with Rc=0 is not an instruction") {
  Machine m;
  m.ctx.gpr[4] = kData;
  m.code({X(3, 0, 4, 150, 0)});
  REQUIRE(m.run() == StopReason::Fault);
  CHECK(m.ctx.fault.kind == FaultKind::InvalidInstruction);
}

TEST_CASE("another thread's store to the granule cancels the reservation") {
  Machine m;
  ThreadContext b{};
  reset_context(b, &m.mem, true);
  b.tid = 2;
  const uint32_t word = kData + 0x200, other_in_line = kData + 0x27C, next_line = kData + 0x280;
  m.ctx.gpr[4] = b.gpr[4] = word;
  m.ctx.gpr[5] = 0xA;
  b.gpr[6] = 0xB;
  b.gpr[7] = next_line;
  b.gpr[8] = other_in_line;

  // A reserves; B stores to the next line: A's reservation survives and its stwcx. succeeds.
  m.code({X(3, 0, 4, 20)});
  REQUIRE(m.run() == StopReason::StopPc);
  m.place(b, {D(36, 6, 7, 0)}, kCode + 0x100);  // stw r6,0(r7)
  REQUIRE(m.interp.run(b, 100).why == StopReason::StopPc);
  m.code({X(5, 0, 4, 150, 1)});
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.cr[0] == kCrEQ);
  CHECK(m.mem.read32(word) == 0xA);

  // A reserves; B stores elsewhere in the same 128-byte line: A's stwcx. fails.
  m.code({X(3, 0, 4, 20)});
  REQUIRE(m.run() == StopReason::StopPc);
  m.place(b, {D(36, 6, 8, 0)}, kCode + 0x100);  // stw r6,0(r8)
  REQUIRE(m.interp.run(b, 100).why == StopReason::StopPc);
  m.ctx.gpr[5] = 0xC;
  m.code({X(5, 0, 4, 150, 1)});
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.cr[0] == 0);
  CHECK(m.mem.read32(word) == 0xA);

  // Both reserve the line; A's successful stwcx. cancels B's reservation.
  m.code({X(3, 0, 4, 20)});
  REQUIRE(m.run() == StopReason::StopPc);
  m.place(b, {X(3, 0, 4, 20)}, kCode + 0x100);  // lwarx r3,0,r4
  REQUIRE(m.interp.run(b, 100).why == StopReason::StopPc);
  m.code({X(5, 0, 4, 150, 1)});
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.cr[0] == kCrEQ);
  m.place(b, {X(6, 0, 4, 150, 1)}, kCode + 0x100);  // stwcx. r6,0,r4
  REQUIRE(m.interp.run(b, 100).why == StopReason::StopPc);
  CHECK(b.cr[0] == 0);
  CHECK(m.mem.read32(word) == 0xC);
}

TEST_CASE("dcbz zeroes the aligned 32-byte block, dcbz128 the aligned 128-byte line") {
  Machine m;
  m.mem.fill(kData, 0xFF, 0x300);
  m.ctx.gpr[4] = kData;
  m.ctx.gpr[5] = 0x45;
  m.ctx.gpr[6] = 0x1C5;
  m.code({X(0, 4, 5, 1014),    // dcbz r4,r5     -> [0x40, 0x60)
          X(1, 4, 6, 1014)});  // dcbz128 r4,r6  -> [0x180, 0x200)
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.mem.read8(kData + 0x3F) == 0xFF);
  for (uint32_t a = 0x40; a < 0x60; a += 8) CHECK(m.mem.read64(kData + a) == 0);
  CHECK(m.mem.read8(kData + 0x60) == 0xFF);
  CHECK(m.mem.read8(kData + 0x17F) == 0xFF);
  for (uint32_t a = 0x180; a < 0x200; a += 8) CHECK(m.mem.read64(kData + a) == 0);
  CHECK(m.mem.read8(kData + 0x200) == 0xFF);
}

TEST_CASE("dcbz is a store, dcbf a load, dcbt a hint") {
  Machine m;
  m.ctx.gpr[4] = kRo;
  m.ctx.gpr[5] = kUnmapped;
  m.code({X(0, 0, 5, 278),    // dcbt 0,r5: no fault
          X(0, 0, 5, 246),    // dcbtst 0,r5: no fault
          X(0, 0, 4, 86),     // dcbf 0,r4: readable, fine
          X(0, 0, 4, 54),     // dcbst 0,r4
          X(0, 0, 4, 1014)});  // dcbz 0,r4: read-only page -> write fault
  REQUIRE(m.run() == StopReason::Fault);
  CHECK(m.ctx.instructions == 4);
  CHECK(m.ctx.fault.access == Access::Write);
  CHECK(m.ctx.fault.address == kRo);

  Machine n;
  n.ctx.gpr[5] = kUnmapped;
  n.code({X(0, 0, 5, 86)});  // dcbf 0,r5 on an unmapped address
  REQUIRE(n.run() == StopReason::Fault);
  CHECK(n.ctx.fault.access == Access::Read);
  CHECK(n.ctx.fault.address == kUnmapped);
}

TEST_CASE("icbi makes rewritten code visible") {
  Machine m;
  m.mem.write32(kData, 0x11223344);
  m.ctx.gpr[6] = kData;
  const uint32_t target = kCode + 0x200;
  m.code({D(34, 5, 6, 0)}, target);  // lbz r5,0(r6)
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[5] == 0x11);

  // Guest code rewrites the first instruction at `target` into lhz r5,0(r6), then icbi.
  m.ctx.gpr[4] = kCode;
  m.ctx.gpr[7] = D(40, 5, 6, 0);
  m.ctx.gpr[8] = 0x200;
  m.code({D(36, 7, 4, 0x200),   // stw r7,0x200(r4)
          X(0, 4, 8, 982)});    // icbi r4,r8
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK_FALSE(m.ctx.icbi_pending);
  m.ctx.pc = target;
  m.ctx.lr = kReturn;
  REQUIRE(m.run() == StopReason::StopPc);
  CHECK(m.ctx.gpr[5] == 0x1122);
}

TEST_CASE("dcbi is privileged") {
  Machine m;
  m.ctx.gpr[4] = kData;
  m.code({X(0, 0, 4, 470)});
  REQUIRE(m.run() == StopReason::Fault);
  CHECK(m.ctx.fault.kind == FaultKind::InvalidInstruction);
  CHECK(m.ctx.fault.word == X(0, 0, 4, 470));
}

TEST_CASE("Memory::cancel_reservations drops every owner's reservation on the granule only") {
  Memory mem;
  REQUIRE(mem.commit(kData, 0x1000, kProtRW));
  mem.reserve(1, kData + 0x10);
  mem.reserve(2, kData + 0x7C);
  mem.reserve(3, kData + 0x80);
  mem.cancel_reservations(kData + 0x40);
  CHECK_FALSE(mem.reservation_held(1, kData + 0x10));
  CHECK_FALSE(mem.reservation_held(2, kData + 0x7C));
  CHECK(mem.reservation_held(3, kData + 0x80));
}
