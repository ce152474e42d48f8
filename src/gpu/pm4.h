// PM4, the Xenos command processor's packet format, as xenia decodes it
// (xenia-project/xenia src/xenia/gpu/command_processor.cc, ExecutePacket*; the type-3 opcodes are
// xenos.h's PM4_* enum). A packet is a header word and the words it counts:
//   type 0 (bits 31-30 = 0): write `count` registers from base_index (bits 0-14), or one register
//          `count` times when bit 15 is set; count = bits 16-29, plus 1;
//   type 1: write two registers, bits 0-10 and 11-21; two data words;
//   type 2: a NOP, no data words;
//   type 3: opcode = bits 8-14, count = bits 16-29, plus 1, data words.
#pragma once
#include <cstdint>
#include <string_view>

namespace hexad::gpu {

constexpr uint32_t kPm4Type3OpcodeCount = 128;  // 7 bits

// Type-3 opcodes hexad acts on or counts specially.
enum Pm4Opcode : uint8_t {
  kPm4Nop = 0x10,
  kPm4DrawIndx = 0x22,
  kPm4DrawIndx2 = 0x36,
  kPm4XeSwap = 0x64,  // xenia's own: what its VdSwap writes into the ring (xboxkrnl_video.cc)
};

struct Pm4Header {
  uint32_t type = 0;        // 0..3
  uint32_t data_words = 0;  // words after the header
  uint32_t opcode = 0;      // type 3
  uint32_t base_index = 0;  // type 0: the first register; type 1: the first of the two
  uint32_t second_index = 0;  // type 1
  bool one_register = false;  // type 0: every word goes to base_index
};
Pm4Header decode_pm4(uint32_t header);

// xenos.h's name without the PM4_ prefix ("DRAW_INDX"); "" for an opcode it does not name.
std::string_view pm4_opcode_name(uint32_t opcode);

// Headers as xenia's MakePacketType0/2/3 (xenos.h) build them.
constexpr uint32_t make_pm4_type0(uint32_t index, uint32_t count) { return ((count - 1) << 16) | index; }
constexpr uint32_t make_pm4_type2() { return 0x80000000u; }
constexpr uint32_t make_pm4_type3(uint32_t opcode, uint32_t count) {
  return 0xC0000000u | ((count - 1) << 16) | ((opcode & 0x7F) << 8);
}

}  // namespace hexad::gpu
