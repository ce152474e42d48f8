// VMX128 split-field decoding and the decode table's unambiguity over primary opcodes 4, 5, 6.
#include <catch2/catch.hpp>

#include <bit>
#include <string>

#include "cpu/isa/isa.h"
#include "cpu/isa/vmx128_fields.h"

namespace f = hexad::cpu::vmx128;
namespace isa = hexad::cpu::isa;

TEST_CASE("vmx128 fields: every register number round-trips", "[vmx128][fields]") {
  for (unsigned r = 0; r < 128; ++r) {
    CHECK(f::vd(f::put_vd(r)) == r);
    CHECK(f::va(f::put_va(r)) == r);
    CHECK(f::vb(f::put_vb(r)) == r);
    // Fields do not overlap one another or the opcode bits of the three-register form.
    uint32_t bits = f::put_vd(r) | f::put_va(127) | f::put_vb(127);
    CHECK((f::put_vd(r) & (f::put_va(127) | f::put_vb(127))) == 0);
    CHECK((bits & f::form_low_mask(f::Form::VX128)) == 0);
    CHECK((bits & 0xFC000000u) == 0);
  }
  for (unsigned k = 0; k < 32; ++k) {
    CHECK(f::ra(f::put_ra(k)) == k);
    CHECK(f::rb(f::put_rb(k)) == k);
    CHECK(f::uimm(f::put_uimm(k)) == k);
    CHECK(f::simm(f::put_uimm(k)) == (k < 16 ? int(k) : int(k) - 32));
  }
  for (unsigned k = 0; k < 256; ++k) CHECK(f::perm(f::put_perm(k)) == k);
  for (unsigned k = 0; k < 16; ++k) CHECK(f::sh(f::put_sh(k)) == k);
  for (unsigned k = 0; k < 8; ++k) CHECK(f::vc(f::put_vc(k)) == k);
  for (unsigned k = 0; k < 4; ++k) CHECK(f::z(f::put_z(k)) == k);
  CHECK(f::rc(f::put_rc(true)));
  CHECK_FALSE(f::rc(f::put_rc(false)));
}

TEST_CASE("vmx128 fields: bit positions by hand", "[vmx128][fields]") {
  // VD128 = w[25:21] | w[3:2] << 5
  CHECK(f::put_vd(0x7F) == 0x03E0000Cu);
  CHECK(f::vd(0x00000004u) == 32);
  CHECK(f::vd(0x00000008u) == 64);
  // VA128 = w[20:16] | w[5] << 5 | w[10] << 6
  CHECK(f::put_va(0x7F) == 0x001F0420u);
  CHECK(f::va(0x00000020u) == 32);
  CHECK(f::va(0x00000400u) == 64);
  // VB128 = w[15:11] | w[1:0] << 5
  CHECK(f::put_vb(0x7F) == 0x0000F803u);
  CHECK(f::vb(0x00000001u) == 32);
  CHECK(f::vb(0x00000002u) == 64);
  // The immediate fields.
  CHECK(f::put_perm(0xFF) == 0x001F01C0u);
  CHECK(f::put_sh(15) == 0x000003C0u);
  CHECK(f::put_vc(7) == 0x000001C0u);
  CHECK(f::put_z(3) == 0x000000C0u);
  CHECK(f::put_rc(true) == 0x00000040u);
  // Words from a retail title: vmaddcfp128 v63,v23,v63,v20 and stvx128 v63,r11,r5.
  CHECK(f::vd(0x17F7A114u) == 63);
  CHECK(f::va(0x17F7A114u) == 23);
  CHECK(f::vb(0x17F7A114u) == 20);
  CHECK(f::vd(0x13EB29C7u) == 63);
  CHECK(f::ra(0x13EB29C7u) == 11);
  CHECK(f::rb(0x13EB29C7u) == 5);
  // vpermwi128 v4,v3,0xE4 from the shared suite: PERM split w[20:16] | w[8:6] << 5.
  CHECK(f::perm(0x18841BD0u) == 0xE4);
  CHECK(f::vb(0x18841BD0u) == 3);
  // vrlimi128 v4,v3,0xF,3: IMM 0xF, z 3.
  CHECK(f::uimm(0x188F1FD0u) == 0xF);
  CHECK(f::z(0x188F1FD0u) == 3);
}

TEST_CASE("vmx128 opcode table: every mnemonic decodes to itself", "[vmx128][fields][decoder]") {
  const isa::Decoder& d = isa::Decoder::instance();
  for (const f::Opcode& o : f::kOpcodes) {
    INFO(o.mnemonic);
    // The bare opcode word, and the same with every operand bit the form leaves free set.
    uint32_t free = ~o.mask();
    for (uint32_t w : {o.value, o.value | free}) {
      if ((w & o.mask()) != o.value) continue;
      const isa::EntryId id = d.decode(w);
      REQUIRE(id != isa::kInvalidId);
      // vupkhsb128 with every free bit set has VA128 = 0x7F, not the 0x60 of vupkhsh128.
      CHECK(std::string(isa::entry(id).mnemonic) == o.mnemonic);
    }
  }
}

TEST_CASE("decoder: no two entries of primary opcodes 4, 5, 6 claim a word with equal specificity",
          "[vmx128][decoder]") {
  std::vector<const isa::Entry*> entries;
  for (const isa::Entry& e : isa::entries()) {
    uint32_t p = e.value >> 26;
    if (p == 4 || p == 5 || p == 6) entries.push_back(&e);
  }
  REQUIRE(entries.size() >= std::size(f::kOpcodes));
  unsigned overlaps = 0;
  for (size_t a = 0; a < entries.size(); ++a) {
    for (size_t b = a + 1; b < entries.size(); ++b) {
      const isa::Entry& x = *entries[a];
      const isa::Entry& y = *entries[b];
      // Some word matches both iff they agree on every bit both masks fix.
      bool overlap = ((x.value ^ y.value) & x.mask & y.mask) == 0;
      if (!overlap) continue;
      ++overlaps;
      INFO(x.mnemonic << " and " << y.mnemonic);
      CHECK(std::popcount(x.mask) != std::popcount(y.mask));
      // The only intended overlaps are the VA128-pinned unpacks inside their byte forms.
      std::string pair = std::string(x.mnemonic) + "/" + y.mnemonic;
      bool intended = pair == "vupkhsb128/vupkhsh128" || pair == "vupkhsh128/vupkhsb128" ||
                      pair == "vupklsb128/vupklsh128" || pair == "vupklsh128/vupklsb128";
      CHECK(intended);
    }
  }
  CHECK(overlaps == 2);
}
