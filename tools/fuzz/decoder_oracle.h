// The decoder's rule, checked independently of its per-opcode lists (cpu/isa/isa.cc): a word
// decodes to the matching row with the most specific mask, the earliest in table order among
// equally specific ones, and to kInvalidId when no row of the whole table matches it.
#pragma once
#include <cstdint>
#include <string>

namespace hexad::fuzz {

// Empty when isa::Decoder agrees with a linear scan of the table for `word`, else what differs.
std::string decoder_disagreement(uint32_t word);

}  // namespace hexad::fuzz
