// FPU loads and stores: single<->double conversion on the bits (SNaN stays signalling, single
// denormals normalised, stfs denormalisation by truncation), update forms, invalid RA=0 update
// forms, stfiwx. Expected values follow the ISA's load/store single models (Book I 4.6.2-4.6.3).
#include "int_harness.h"

namespace {
using namespace int_test;

constexpr uint32_t kData = 0x82010800;  // inside the guest's committed code page

constexpr uint32_t FD(uint32_t op, uint32_t frt, uint32_t ra, int32_t d) { return op << 26 | frt << 21 | ra << 16 | (uint32_t(d) & 0xFFFF); }
constexpr uint32_t FXL(uint32_t xo, uint32_t frt, uint32_t ra, uint32_t rb) { return 31u << 26 | frt << 21 | ra << 16 | rb << 11 | xo << 1; }
static_assert(FD(48, 1, 3, -8) == 0xC023FFF8);          // lfs f1,-8(r3)
static_assert(FXL(567, 1, 3, 4) == 0x7C23246E);         // lfsux f1,r3,r4
static_assert(FXL(983, 1, 0, 4) == 0x7C2027AE);         // stfiwx f1,0,r4

uint64_t lfs(uint32_t word) {
  Guest g(true);
  g.mem.write32(kData, word);
  g.r(3) = kData;
  g.run({FD(48, 1, 3, 0)});
  return g.ctx.fpr[1];
}
uint32_t stfs(uint64_t value) {
  Guest g(true);
  g.ctx.fpr[1] = value;
  g.r(3) = kData;
  g.run({FD(52, 1, 3, 0)});
  return g.mem.read32(kData);
}

TEST_CASE("lfs converts on the bits", "[fpu]") {
  CHECK(lfs(0x3F800000) == 0x3FF0000000000000);  // 1.0
  CHECK(lfs(0xC0490FDB) == 0xC00921FB60000000);  // -pi (single)
  CHECK(lfs(0x7F800001) == 0x7FF0000020000000);  // SNaN stays signalling
  CHECK(lfs(0xFFC00000) == 0xFFF8000000000000);  // QNaN
  CHECK(lfs(0x7F800000) == 0x7FF0000000000000);  // +inf
  CHECK(lfs(0x80000000) == 0x8000000000000000);  // -0
  CHECK(lfs(0x00000001) == 0x36A0000000000000);  // 2^-149, normalised
  CHECK(lfs(0x00400000) == 0x3800000000000000);  // 2^-127
  CHECK(lfs(0x007FFFFF) == 0x380FFFFFC0000000);  // largest single denormal
}

TEST_CASE("stfs converts on the bits", "[fpu]") {
  CHECK(stfs(0x3FF0000000000000) == 0x3F800000);
  CHECK(stfs(0x3FF0000004000000) == 0x3F800000);  // extra precision truncated, not rounded
  CHECK(stfs(0x7FF0000020000000) == 0x7F800001);  // SNaN round trip
  CHECK(stfs(0x7FF8000000000001) == 0x7FC00000);  // NaN: low fraction dropped
  CHECK(stfs(0x36A0000000000000) == 0x00000001);  // 2^-149: single denormal
  CHECK(stfs(0x3730000000000000) == 0x00000200);  // 2^-140
  CHECK(stfs(0xB690000000000000) == 0x80000000);  // -2^-150: below the denormal range
  CHECK(stfs(0x8000000000000000) == 0x80000000);
}

TEST_CASE("lfd/stfd, update and indexed forms, stfiwx", "[fpu]") {
  Guest g(true);
  g.mem.write64(kData + 16, 0x0123456789ABCDEF);
  g.r(3) = kData;
  g.r(4) = 16;
  g.ctx.fpr[5] = 0xFEDCBA9876543210;
  g.run({
      FXL(631, 1, 3, 4),      // lfdux f1,r3,r4: r3 = kData + 16
      FD(55, 5, 3, 8),        // stfdu f5,8(r3): r3 = kData + 24
      FXL(983, 5, 0, 3),      // stfiwx f5,0,r3 -> overwrites the first word at kData + 24
      FD(50, 2, 3, -8),       // lfd f2,-8(r3)
  });
  CHECK(g.ctx.fpr[1] == 0x0123456789ABCDEF);
  CHECK(g.r(3) == kData + 24);
  CHECK(g.mem.read32(kData + 24) == 0x76543210);
  CHECK(g.mem.read32(kData + 28) == 0x76543210);
  CHECK(g.ctx.fpr[2] == 0x0123456789ABCDEF);
}

TEST_CASE("update forms with RA=0 are invalid", "[fpu]") {
  for (uint32_t w : {FD(49, 1, 0, 0), FD(51, 1, 0, 0), FD(53, 1, 0, 0), FD(55, 1, 0, 0), FXL(567, 1, 0, 4),
                     FXL(759, 1, 0, 4)}) {
    Guest g(true);
    g.mem.write32(kCode, w);
    g.mem.write32(kCode + 4, kBlr);
    Interpreter interp(g.mem);
    g.ctx.pc = kCode;
    g.ctx.lr = g.ctx.stop_pc = kReturn;
    CHECK(interp.run(g.ctx, 10).why == StopReason::Fault);
    CHECK(g.ctx.fault.kind == FaultKind::InvalidInstruction);
  }
}

}  // namespace
