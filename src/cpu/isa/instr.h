// Field accessors for a PowerPC instruction word. Bit numbers in comments are IBM's (0 = MSB).
#pragma once
#include <cstdint>

namespace hexad::cpu {

struct Instr {
  uint32_t w;
  // The 5-bit fields at bits 6-10, 11-15 and 16-20 (RT/RS, RA, RB and the fields sharing their
  // places), extracted once when the word is decoded instead of on every execution.
  uint8_t f6, f11, f16;
  // A value the decoder derived from the word once, when the op's table entry asks for it
  // (OpEntry::prep), e.g. a rotate's mask; 0 otherwise.
  uint64_t aux;

  constexpr explicit Instr(uint32_t word, uint64_t aux_value = 0)
      : w(word), f6((word >> 21) & 31), f11((word >> 16) & 31), f16((word >> 11) & 31), aux(aux_value) {}
  // From fields a decoded op already holds (the same values the constructor above computes).
  constexpr Instr(uint32_t word, uint8_t field6, uint8_t field11, uint8_t field16, uint64_t aux_value)
      : w(word), f6(field6), f11(field11), f16(field16), aux(aux_value) {}

  constexpr uint32_t bits(int first, int last) const {  // IBM bit numbering, inclusive
    return (w >> (31 - last)) & ((1u << (last - first + 1)) - 1);
  }
  constexpr uint32_t opcd() const { return w >> 26; }
  constexpr uint32_t rt() const { return f6; }
  constexpr uint32_t rs() const { return f6; }
  constexpr uint32_t ra() const { return f11; }
  constexpr uint32_t rb() const { return f16; }
  constexpr uint32_t rc_reg() const { return bits(21, 25); }
  constexpr bool rc() const { return w & 1; }          // record bit
  constexpr bool oe() const { return bits(21, 21); }   // XO-form overflow enable
  constexpr bool lk() const { return w & 1; }
  constexpr bool aa() const { return (w >> 1) & 1; }
  constexpr int64_t simm() const { return int16_t(w & 0xFFFF); }
  constexpr uint64_t uimm() const { return w & 0xFFFF; }
  constexpr int64_t ds() const { return int16_t(w & 0xFFFC); }   // DS-form displacement
  constexpr uint32_t sh() const { return f16; }
  constexpr uint32_t mb() const { return bits(21, 25); }
  constexpr uint32_t me() const { return bits(26, 30); }
  constexpr uint32_t sh64() const { return bits(16, 20) | (bits(30, 30) << 5); }   // MD-form
  constexpr uint32_t mbe64() const { return bits(21, 25) | (bits(26, 26) << 5); }  // MD-form mb/me
  constexpr uint32_t bo() const { return f6; }
  constexpr uint32_t bi() const { return f11; }
  constexpr int64_t bd() const { return int16_t(w & 0xFFFC); }
  constexpr int64_t li() const { return int32_t((w & 0x03FFFFFC) << 6) >> 6; }
  constexpr uint32_t crfd() const { return bits(6, 8); }
  constexpr uint32_t crfs() const { return bits(11, 13); }
  constexpr uint32_t crbd() const { return f6; }
  constexpr uint32_t crba() const { return f11; }
  constexpr uint32_t crbb() const { return f16; }
  constexpr bool l_cmp() const { return bits(10, 10); }   // compare L (64-bit) bit
  constexpr uint32_t spr() const { return bits(16, 20) << 5 | bits(11, 15); }   // halves swapped
  constexpr uint32_t crm() const { return bits(12, 19); }
  constexpr uint32_t to() const { return f6; }
  constexpr uint32_t nb() const { return f16; }
};

}  // namespace hexad::cpu
