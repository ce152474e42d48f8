// Rotate and shift unit. Expected values follow the Power ISA's ROTL32/ROTL64 and MASK(mb, me)
// definitions (worked out by hand in the comments) and were also run under qemu-ppc64 (SF=1).
#include "int_harness.h"

using namespace int_test;

namespace {
enum : uint32_t { kRlwimi = 20, kRlwinm = 21, kRlwnm = 23 };
enum : uint32_t { kRldicl = 0, kRldicr = 1, kRldic = 2, kRldimi = 3, kRldcl = 8, kRldcr = 9 };
enum : uint32_t { kSlw = 24, kSrw = 536, kSraw = 792, kSrawi = 824, kSld = 27, kSrd = 539, kSrad = 794 };
constexpr uint8_t LT = kCrLT, GT = kCrGT, EQ = kCrEQ, SO = kCrSO;
}  // namespace

TEST_CASE("rlwinm: ROTL32 replicates the low word, masks with and without wraparound") {
  Guest g(true);
  g.r(4) = 0xABCDEF0012345678ull;  // the high word never contributes
  g.r(5) = 0xABCDEF0012345679ull;
  g.run({
      M(kRlwinm, 4, 3, 8, 28, 3),    // ROTL32 = 0x34567812_34567812; MASK(60,35) = bits 0..35 | 60..63
      M(kRlwinm, 4, 6, 0, 1, 0),     // MASK(33,32) = all 64 bits: the doubled word
      M(kRlwinm, 4, 7, 4, 0, 31),    // rotlwi 4
      M(kRlwinm, 5, 8, 0, 31, 31),   // single bit
      M(kRlwinm, 4, 9, 16, 16, 15),  // MASK(48,47) = all bits: 0x56781234_56781234
      M(kRlwinm, 4, 10, 28, 4, 31),  // srwi 4
      M(kRlwinm, 4, 11, 4, 0, 27),   // slwi 4
      M(kRlwinm, 4, 12, 0, 16, 23),  // byte extract
  });
  CHECK(g.r(3) == 0x3456781230000002ull);
  CHECK(g.r(6) == 0x1234567812345678ull);
  CHECK(g.r(7) == 0x23456781ull);
  CHECK(g.r(8) == 1);
  CHECK(g.r(9) == 0x5678123456781234ull);
  CHECK(g.r(10) == 0x01234567ull);
  CHECK(g.r(11) == 0x23456780ull);
  CHECK(g.r(12) == 0x5600ull);
}

TEST_CASE("rlwinm. CR0 by mode, SO copied") {
  SECTION("SF=0 looks at the low word") {
    Guest g(false);
    g.ctx.xer_so = 1;
    g.r(4) = 0x12345678;
    g.run({M(kRlwinm, 4, 3, 8, 28, 3, true)});
    CHECK(g.r(3) == 0x3456781230000002ull);
    CHECK(g.ctx.cr[0] == (GT | SO));  // low word 0x30000002
  }
  SECTION("SF=1 looks at all 64 bits") {
    Guest g(true);
    g.r(4) = 0x87654321;
    g.run({M(kRlwinm, 4, 3, 0, 1, 0, true)});
    CHECK(g.r(3) == 0x8765432187654321ull);
    CHECK(g.ctx.cr[0] == LT);
  }
  SECTION("zero result") {
    Guest g(true);
    g.r(4) = 0xFFFFFFFF0000FFFFull;
    g.run({M(kRlwinm, 4, 3, 0, 0, 15, true)});
    CHECK(g.r(3) == 0);
    CHECK(g.ctx.cr[0] == EQ);
  }
}

TEST_CASE("rlwnm: rotate amount is RB[59:63]") {
  Guest g(true);
  g.r(4) = 0x12345678, g.r(5) = 0x24, g.r(6) = 0xFFFFFFFFFFFFFFE8ull;
  g.run({M(kRlwnm, 4, 3, 5, 0, 31), M(kRlwnm, 4, 7, 6, 24, 7)});
  CHECK(g.r(3) == 0x23456781ull);  // 0x24 & 31 = 4
  // rotate 8: 0x34567812_34567812; MASK(56,39) = bits 0..39 | 56..63
  CHECK(g.r(7) == 0x3456781234000012ull);
}

TEST_CASE("rlwimi: insert under the mask, keep RA elsewhere") {
  Guest g(true);
  g.r(3) = 0xAAAAAAAAAAAAAAAAull, g.r(4) = 0x12345678;
  g.r(5) = 0x5555555555555555ull, g.r(6) = 0xFFFFFFFF00000000ull;
  g.r(7) = 0xFFFFFFFFFFFFFFFFull, g.r(8) = 0x000000AB;
  g.run({M(kRlwimi, 4, 3, 8, 28, 3), M(kRlwimi, 6, 5, 0, 0, 31), M(kRlwimi, 8, 7, 8, 16, 23, true)});
  // rotated 0x34567812_34567812 under bits 0..35|60..63, RA's 0xA..A under bits 36..59
  CHECK(g.r(3) == 0x345678123AAAAAA2ull);
  CHECK(g.r(5) == 0x5555555500000000ull);
  CHECK(g.r(7) == 0xFFFFFFFFFFFFABFFull);
  CHECK(g.ctx.cr[0] == LT);
}

TEST_CASE("rldicl/rldicr/rldic: 6-bit sh and mb/me fields") {
  Guest g(true);
  g.r(4) = 0x0123456789ABCDEFull;
  g.run({
      MD(kRldicl, 4, 3, 24, 0),   // rotldi 24
      MD(kRldicl, 4, 5, 32, 0),   // sh[5]: swap halves
      MD(kRldicl, 4, 6, 0, 32),   // mb[5]: clrldi 32
      MD(kRldicl, 4, 7, 60, 4),   // srdi 4
      MD(kRldicl, 4, 8, 0, 63),   // lowest bit
      MD(kRldicr, 4, 9, 60, 5),   // rotate 60 = 0xF0123456789ABCDE, keep bits 0..5
      MD(kRldicr, 4, 10, 4, 59),  // sldi 4
      MD(kRldicr, 4, 11, 0, 63),  // identity
      MD(kRldic, 4, 12, 8, 60),   // MASK(60,55) wraps: clears bits 56..59 only
      MD(kRldic, 4, 13, 8, 4),    // MASK(4,55)
      MD(kRldic, 4, 14, 0, 0),    // MASK(0,63): identity
  });
  CHECK(g.r(3) == 0x6789ABCDEF012345ull);
  CHECK(g.r(5) == 0x89ABCDEF01234567ull);
  CHECK(g.r(6) == 0x89ABCDEFull);
  CHECK(g.r(7) == 0x00123456789ABCDEull);
  CHECK(g.r(8) == 1);
  CHECK(g.r(9) == 0xF000000000000000ull);
  CHECK(g.r(10) == 0x123456789ABCDEF0ull);
  CHECK(g.r(11) == 0x0123456789ABCDEFull);
  CHECK(g.r(12) == 0x23456789ABCDEF01ull);
  CHECK(g.r(13) == 0x03456789ABCDEF00ull);
  CHECK(g.r(14) == 0x0123456789ABCDEFull);
}

TEST_CASE("rldimi: insert with MASK(mb, 63-sh), wrapping") {
  Guest g(true);
  g.r(3) = 0xFFFFFFFFFFFFFFFFull, g.r(4) = 0x0123456789ABCDEFull;
  g.r(5) = 0x1111111111111111ull, g.r(6) = 0xABCD;
  g.run({MD(kRldimi, 4, 3, 60, 8), MD(kRldimi, 6, 5, 32, 16, true)});
  // rotate 60 = 0xF0123456789ABCDE under bits 8..63|0..3, RA's ones under bits 4..7
  CHECK(g.r(3) == 0xFF123456789ABCDEull);
  // insrdi-like: 0xABCD << 32 under bits 16..31
  CHECK(g.r(5) == 0x1111ABCD11111111ull);
  CHECK(g.ctx.cr[0] == GT);
}

TEST_CASE("rldcl/rldcr: rotate by RB[58:63]") {
  Guest g(true);
  g.r(4) = 0x0123456789ABCDEFull, g.r(5) = 0x44, g.r(6) = 0x84, g.r(7) = 0xFFFFFFFFFFFFFFC8ull;
  g.run({MDS(kRldcl, 4, 3, 5, 8), MDS(kRldcr, 4, 8, 6, 8), MDS(kRldcl, 4, 9, 7, 40), MDS(kRldcr, 4, 10, 5, 63, true)});
  CHECK(g.r(3) == 0x003456789ABCDEF0ull);
  CHECK(g.r(8) == 0x1200000000000000ull);
  CHECK(g.r(9) == 0xCDEF01ull);
  CHECK(g.r(10) == 0x123456789ABCDEF0ull);
  CHECK(g.ctx.cr[0] == GT);
}

TEST_CASE("slw/srw: RB[58:63], 32..63 give 0, high word of RS ignored") {
  Guest g(true);
  g.r(4) = 0x12345678FFFFFFFFull;
  g.r(20) = 4, g.r(21) = 32, g.r(22) = 63, g.r(23) = 64, g.r(24) = 68, g.r(25) = 36;
  g.run({X(kSlw, 4, 3, 20), X(kSlw, 4, 5, 21), X(kSlw, 4, 6, 22), X(kSlw, 4, 7, 23), X(kSrw, 4, 8, 20),
         X(kSrw, 4, 9, 21), X(kSrw, 4, 10, 25), X(kSrw, 4, 11, 24), X(kSlw, 4, 12, 24, true)});
  CHECK(g.r(3) == 0xFFFFFFF0ull);
  CHECK(g.r(5) == 0);
  CHECK(g.r(6) == 0);
  CHECK(g.r(7) == 0xFFFFFFFFull);  // 64 & 63 = 0
  CHECK(g.r(8) == 0x0FFFFFFFull);
  CHECK(g.r(9) == 0);
  CHECK(g.r(10) == 0);
  CHECK(g.r(11) == 0x0FFFFFFFull);  // 68 & 63 = 4
  CHECK(g.r(12) == 0xFFFFFFF0ull);
  CHECK(g.ctx.cr[0] == GT);
}

TEST_CASE("slw. in SF=0: CR0 from the low word") {
  Guest g(false);
  g.r(4) = 0x40000000, g.r(5) = 1;
  g.run({X(kSlw, 4, 3, 5, true)});
  CHECK(g.r(3) == 0x80000000ull);
  CHECK(g.ctx.cr[0] == LT);
}

TEST_CASE("sraw/srawi: sign-extended result, CA = negative and 1 bits lost") {
  struct Case {
    uint64_t rs, rb, result;
    bool ca;
  };
  const Case cases[] = {
      {0x80000010, 4, 0xFFFFFFFFF8000001ull, false},
      {0x80000011, 4, 0xFFFFFFFFF8000001ull, true},
      {0xFFFFFFFF7FFFFFFFull, 4, 0x07FFFFFFull, false},  // positive low word: never CA
      {0x80000000, 0, 0xFFFFFFFF80000000ull, false},
      {0x80000000, 31, 0xFFFFFFFFFFFFFFFFull, false},  // only 0 bits shifted out
      {0x80000001, 31, 0xFFFFFFFFFFFFFFFFull, true},
      {0x80000000, 32, 0xFFFFFFFFFFFFFFFFull, true},
      {0x80000000, 63, 0xFFFFFFFFFFFFFFFFull, true},
      {0x80000000, 64, 0xFFFFFFFF80000000ull, false},  // 64 & 63 = 0
      {0x7FFFFFFF, 32, 0, false},
      {0xFFFFFFFF00000001ull, 40, 0, false},
  };
  for (const Case& k : cases) {
    Guest g(true);
    g.ctx.xer_ca = !k.ca;
    g.r(4) = k.rs, g.r(5) = k.rb;
    g.run({X(kSraw, 4, 3, 5)});
    INFO("sraw " << std::hex << k.rs << " by " << k.rb);
    CHECK(g.r(3) == k.result);
    CHECK(bool(g.ctx.xer_ca) == k.ca);
    if (k.rb < 32) {
      Guest h(true);
      h.ctx.xer_ca = !k.ca;
      h.r(4) = k.rs;
      h.run({X(kSrawi, 4, 3, uint32_t(k.rb))});
      CHECK(h.r(3) == k.result);
      CHECK(bool(h.ctx.xer_ca) == k.ca);
    }
  }
}

TEST_CASE("srawi. and sraw. record forms") {
  Guest g(false);
  g.r(4) = 0x1234567880000001ull;
  g.run({X(kSrawi, 4, 3, 1, true)});
  CHECK(g.r(3) == 0xFFFFFFFFC0000000ull);
  CHECK(g.ctx.xer_ca == 1);
  CHECK(g.ctx.cr[0] == LT);
  g.r(5) = 0x3F;
  g.r(4) = 0x7FFFFFFF;
  g.run({X(kSraw, 4, 3, 5, true)});
  CHECK(g.r(3) == 0);
  CHECK(g.ctx.xer_ca == 0);
  CHECK(g.ctx.cr[0] == EQ);
}

TEST_CASE("sld/srd: RB[57:63], 64..127 give 0") {
  Guest g(true);
  g.r(4) = 0xFFFF, g.r(5) = 0xF000000000000010ull, g.r(6) = 1;
  g.r(20) = 64, g.r(21) = 65, g.r(22) = 0x84, g.r(23) = 63, g.r(24) = 4, g.r(25) = 127;
  g.run({X(kSld, 4, 3, 20), X(kSld, 4, 7, 21), X(kSld, 4, 8, 22), X(kSld, 6, 9, 23), X(kSrd, 5, 10, 24),
         X(kSrd, 5, 11, 20), X(kSrd, 5, 12, 25), X(kSrd, 5, 13, 23), X(kSld, 6, 14, 23, true)});
  CHECK(g.r(3) == 0);
  CHECK(g.r(7) == 0);
  CHECK(g.r(8) == 0xFFFF0ull);  // 0x84 & 127 = 4
  CHECK(g.r(9) == 0x8000000000000000ull);
  CHECK(g.r(10) == 0x0F00000000000001ull);
  CHECK(g.r(11) == 0);
  CHECK(g.r(12) == 0);
  CHECK(g.r(13) == 1);
  CHECK(g.ctx.cr[0] == LT);
}

TEST_CASE("sld. in SF=0: CR0 from the low word") {
  Guest g(false);
  g.r(4) = 0x80000000, g.r(5) = 1;
  g.run({X(kSld, 4, 3, 5, true)});
  CHECK(g.r(3) == 0x100000000ull);
  CHECK(g.ctx.cr[0] == EQ);
}

TEST_CASE("srad/sradi: CA = negative and 1 bits lost") {
  struct Case {
    uint64_t rs, n, result;
    bool ca;
  };
  const Case cases[] = {
      {0xF000000000000001ull, 4, 0xFF00000000000000ull, true},
      {0xF000000000000010ull, 4, 0xFF00000000000001ull, false},
      {0x8000000000000001ull, 0, 0x8000000000000001ull, false},
      {0x8000000100000000ull, 32, 0xFFFFFFFF80000001ull, false},  // sh[5] set
      {0x8000000100000001ull, 32, 0xFFFFFFFF80000001ull, true},
      {0x8000000100000000ull, 33, 0xFFFFFFFFC0000000ull, true},
      {0x8000000000000000ull, 63, 0xFFFFFFFFFFFFFFFFull, false},
      {0x8000000000000002ull, 63, 0xFFFFFFFFFFFFFFFFull, true},
      {0x7FFFFFFFFFFFFFFFull, 63, 0, false},
  };
  for (const Case& k : cases) {
    INFO("srad " << std::hex << k.rs << " by " << std::dec << k.n);
    Guest g(true);
    g.ctx.xer_ca = !k.ca;
    g.r(4) = k.rs, g.r(5) = k.n;
    g.run({X(kSrad, 4, 3, 5)});
    CHECK(g.r(3) == k.result);
    CHECK(bool(g.ctx.xer_ca) == k.ca);
    Guest h(true);
    h.ctx.xer_ca = !k.ca;
    h.r(4) = k.rs;
    h.run({SRADI(4, 3, uint32_t(k.n))});
    CHECK(h.r(3) == k.result);
    CHECK(bool(h.ctx.xer_ca) == k.ca);
  }
  SECTION("srad by 64..127") {
    Guest g(true);
    g.r(4) = 0x8000000000000001ull, g.r(5) = 64, g.r(6) = 1, g.r(7) = 127;
    g.run({X(kSrad, 4, 3, 5, true)});
    CHECK(g.r(3) == 0xFFFFFFFFFFFFFFFFull);
    CHECK(g.ctx.xer_ca == 1);
    CHECK(g.ctx.cr[0] == LT);
    g.run({X(kSrad, 6, 3, 7, true)});
    CHECK(g.r(3) == 0);
    CHECK(g.ctx.xer_ca == 0);
    CHECK(g.ctx.cr[0] == EQ);
  }
  SECTION("sradi. SF=0 CR0 from the low word") {
    Guest g(false);
    g.r(4) = 0x8000000100000000ull;
    g.run({SRADI(4, 3, 33, true)});
    CHECK(g.r(3) == 0xFFFFFFFFC0000000ull);
    CHECK(g.ctx.cr[0] == LT);
  }
}
