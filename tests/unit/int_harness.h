// Shared by the integer-unit tests (alu, rotate/shift, compare/CR): instruction encoders and a
// one-thread guest that runs a few hand-encoded words followed by blr.
#pragma once
#include <catch2/catch.hpp>

#include <cstdint>
#include <initializer_list>

#include "cpu/context.h"
#include "cpu/interp/interpreter.h"
#include "cpu/memory.h"
#include "guest_code.h"

namespace int_test {

using namespace hexad::cpu;

constexpr uint32_t kCode = 0x82010000;
constexpr uint32_t kReturn = 0x1000;
using guest_code::kBlr;

// Encoders, IBM bit numbering (RT/RS at 6-10, RA 11-15, RB 16-20).
constexpr uint32_t D(uint32_t op, uint32_t rt, uint32_t ra, int32_t imm) {
  return op << 26 | rt << 21 | ra << 16 | (uint32_t(imm) & 0xFFFF);
}
constexpr uint32_t XO(uint32_t xo, uint32_t rt, uint32_t ra, uint32_t rb, bool oe = false, bool rc = false) {
  return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | uint32_t(oe) << 10 | xo << 1 | uint32_t(rc);
}
constexpr uint32_t X(uint32_t xo, uint32_t rs, uint32_t ra, uint32_t rb, bool rc = false, uint32_t op = 31) {
  return op << 26 | rs << 21 | ra << 16 | rb << 11 | xo << 1 | uint32_t(rc);
}
constexpr uint32_t M(uint32_t op, uint32_t rs, uint32_t ra, uint32_t sh, uint32_t mb, uint32_t me, bool rc = false) {
  return op << 26 | rs << 21 | ra << 16 | sh << 11 | mb << 6 | me << 1 | uint32_t(rc);
}
// MD-form (rldicl/rldicr/rldic/rldimi): 6-bit sh with sh[5] in bit 30, 6-bit mb/me with the
// high bit in bit 26.
constexpr uint32_t MD(uint32_t xo, uint32_t rs, uint32_t ra, uint32_t sh, uint32_t mbe, bool rc = false) {
  return 30u << 26 | rs << 21 | ra << 16 | (sh & 31) << 11 | (mbe & 31) << 6 | (mbe >> 5) << 5 | xo << 2 |
         (sh >> 5) << 1 | uint32_t(rc);
}
constexpr uint32_t MDS(uint32_t xo, uint32_t rs, uint32_t ra, uint32_t rb, uint32_t mbe, bool rc = false) {
  return 30u << 26 | rs << 21 | ra << 16 | rb << 11 | (mbe & 31) << 6 | (mbe >> 5) << 5 | xo << 1 | uint32_t(rc);
}
constexpr uint32_t SRADI(uint32_t rs, uint32_t ra, uint32_t sh, bool rc = false) {
  return 31u << 26 | rs << 21 | ra << 16 | (sh & 31) << 11 | 413u << 2 | (sh >> 5) << 1 | uint32_t(rc);
}
// XL-form CR logical / mcrf (primary 19).
constexpr uint32_t XL(uint32_t xo, uint32_t bt, uint32_t ba, uint32_t bb) {
  return 19u << 26 | bt << 21 | ba << 16 | bb << 11 | xo << 1;
}
// XFX-form CR moves: one_field selects mfocrf/mtocrf.
constexpr uint32_t XFX(uint32_t xo, uint32_t r, uint32_t fxm, bool one_field) {
  return 31u << 26 | r << 21 | uint32_t(one_field) << 20 | fxm << 12 | xo << 1;
}
constexpr uint32_t CMP(uint32_t xo, uint32_t bf, bool l, uint32_t ra, uint32_t rb) {
  return 31u << 26 | bf << 23 | uint32_t(l) << 21 | ra << 16 | rb << 11 | xo << 1;
}
constexpr uint32_t CMPI(uint32_t op, uint32_t bf, bool l, uint32_t ra, int32_t imm) {
  return op << 26 | bf << 23 | uint32_t(l) << 21 | ra << 16 | (uint32_t(imm) & 0xFFFF);
}

// Anchors: words produced by powerpc64-linux-gnu-as for the same instructions.
static_assert(XO(266, 3, 4, 5, true, true) == 0x7C642E15);    // addo. r3,r4,r5
static_assert(XO(8, 3, 4, 5) == 0x7C642810);                  // subfc r3,r4,r5
static_assert(XO(104, 3, 4, 0, true) == 0x7C6404D0);          // nego r3,r4
static_assert(D(13, 3, 4, -1) == 0x3464FFFF);                 // addic. r3,r4,-1
static_assert(D(28, 4, 3, 0x8000) == 0x70838000);             // andi. r3,r4,0x8000
static_assert(X(124, 4, 3, 5, true) == 0x7C8328F9);           // nor. r3,r4,r5
static_assert(X(986, 4, 3, 0, true) == 0x7C8307B5);           // extsw. r3,r4
static_assert(M(21, 4, 3, 8, 28, 3, true) == 0x54834707);     // rlwinm. r3,r4,8,28,3
static_assert(M(23, 4, 3, 5, 0, 31) == 0x5C83283E);           // rlwnm r3,r4,r5,0,31
static_assert(MD(0, 4, 3, 32, 33, true) == 0x78830063);       // rldicl. r3,r4,32,33
static_assert(MD(1, 4, 3, 60, 5) == 0x7883E146);              // rldicr r3,r4,60,5
static_assert(MD(2, 4, 3, 8, 60) == 0x78834728);              // rldic r3,r4,8,60
static_assert(MD(3, 4, 3, 60, 8) == 0x7883E20E);              // rldimi r3,r4,60,8
static_assert(MDS(8, 4, 3, 5, 40) == 0x78832A30);             // rldcl r3,r4,r5,40
static_assert(MDS(9, 4, 3, 5, 8, true) == 0x78832A13);        // rldcr. r3,r4,r5,8
static_assert(SRADI(4, 3, 33, true) == 0x7C830E77);           // sradi. r3,r4,33
static_assert(X(824, 4, 3, 31) == 0x7C83FE70);                // srawi r3,r4,31
static_assert(X(792, 4, 3, 5, true) == 0x7C832E31);           // sraw. r3,r4,r5
static_assert(CMP(0, 7, true, 4, 5) == 0x7FA42800);           // cmpd cr7,r4,r5
static_assert(CMP(32, 3, false, 4, 5) == 0x7D842840);         // cmplw cr3,r4,r5
static_assert(CMPI(10, 5, false, 4, 0xFFFF) == 0x2A84FFFF);   // cmplwi cr5,r4,0xffff
static_assert(CMPI(11, 4, false, 4, -1) == 0x2E04FFFF);       // cmpwi cr4,r4,-1
static_assert(XL(417, 15, 0, 1) == 0x4DE00B42);               // crorc 15,0,1
static_assert(XL(0, 28, 0, 0) == 0x4F800000);                 // mcrf cr7,cr0
static_assert(X(512, 8, 0, 0) == 0x7D000400);                 // mcrxr cr2
static_assert(XFX(19, 3, 0, false) == 0x7C600026);            // mfcr r3
static_assert(XFX(144, 4, 0x81, false) == 0x7C881120);        // mtcrf 0x81,r4
static_assert(XFX(144, 4, 0x04, true) == 0x7C904120);         // mtocrf 0x04,r4
static_assert(XFX(19, 3, 0x02, true) == 0x7C702026);          // mfocrf r3,0x02

// One guest thread over its own memory; run() places the words plus blr at kCode and runs
// them to the return sentinel.
struct Guest {
  Memory mem;
  ThreadContext ctx{};

  explicit Guest(bool sf) {
    REQUIRE(mem.commit(kCode, 0x1000, kProtRWX));
    reset_context(ctx, &mem, sf);
  }
  void run(std::initializer_list<uint32_t> words) {
    Interpreter interp(mem);
    guest_code::place(mem, interp, ctx, kCode, words, kReturn);
    REQUIRE(interp.run(ctx, 1000).why == StopReason::StopPc);
  }
  uint64_t& r(int n) { return ctx.gpr[n]; }
  // XER[SO,OV,CA] as a 3-bit value (SO=4, OV=2, CA=1), for compact checks.
  int xer3() const { return ctx.xer_so * 4 + ctx.xer_ov * 2 + ctx.xer_ca; }
};

}  // namespace int_test
