#include "gpu/pm4.h"

#include <array>

namespace hexad::gpu {

Pm4Header decode_pm4(uint32_t header) {
  Pm4Header h;
  h.type = header >> 30;
  switch (h.type) {
    case 0:
      h.base_index = header & 0x7FFF;
      h.one_register = (header >> 15) & 1;
      h.data_words = ((header >> 16) & 0x3FFF) + 1;
      break;
    case 1:
      h.base_index = header & 0x7FF;
      h.second_index = (header >> 11) & 0x7FF;
      h.data_words = 2;
      break;
    case 2: break;
    default:
      h.opcode = (header >> 8) & 0x7F;
      h.data_words = ((header >> 16) & 0x3FFF) + 1;
      break;
  }
  return h;
}

namespace {
// xenia's xenos.h, enum Type3Opcode: the spec as data.
struct NamedOpcode {
  uint8_t opcode;
  std::string_view name;
};
constexpr NamedOpcode kType3Names[] = {
    {0x10, "NOP"},
    {0x21, "REG_RMW"},
    {0x22, "DRAW_INDX"},
    {0x23, "VIZ_QUERY"},
    {0x26, "WAIT_FOR_IDLE"},
    {0x27, "IM_LOAD"},
    {0x2B, "IM_LOAD_IMMEDIATE"},
    {0x2D, "SET_CONSTANT"},
    {0x2F, "LOAD_ALU_CONSTANT"},
    {0x36, "DRAW_INDX_2"},
    {0x37, "INDIRECT_BUFFER_PFD"},
    {0x3B, "INVALIDATE_STATE"},
    {0x3C, "WAIT_REG_MEM"},
    {0x3D, "MEM_WRITE"},
    {0x3E, "REG_TO_MEM"},
    {0x3F, "INDIRECT_BUFFER"},
    {0x45, "COND_WRITE"},
    {0x46, "EVENT_WRITE"},
    {0x48, "ME_INIT"},
    {0x50, "SET_BIN_MASK"},
    {0x51, "SET_BIN_SELECT"},
    {0x54, "INTERRUPT"},
    {0x55, "SET_CONSTANT2"},
    {0x56, "SET_SHADER_CONSTANTS"},
    {0x58, "EVENT_WRITE_SHD"},
    {0x5A, "EVENT_WRITE_EXT"},
    {0x5B, "EVENT_WRITE_ZPD"},
    {0x5E, "CONTEXT_UPDATE"},
    {0x60, "SET_BIN_MASK_LO"},
    {0x61, "SET_BIN_MASK_HI"},
    {0x62, "SET_BIN_SELECT_LO"},
    {0x63, "SET_BIN_SELECT_HI"},
    {0x64, "XE_SWAP"},
};

constexpr std::array<std::string_view, kPm4Type3OpcodeCount> by_opcode() {
  std::array<std::string_view, kPm4Type3OpcodeCount> a{};
  for (const NamedOpcode& n : kType3Names) a[n.opcode] = n.name;
  return a;
}
constexpr auto kNames = by_opcode();
}  // namespace

std::string_view pm4_opcode_name(uint32_t opcode) { return opcode < kPm4Type3OpcodeCount ? kNames[opcode] : ""; }

}  // namespace hexad::gpu
