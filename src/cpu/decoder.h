// Merges the units' opcode tables into per-primary-opcode candidate lists, most specific mask
// first. Decoding is done once per block, so clarity wins over speed here.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "cpu/ppc/opcode_table.h"

namespace hexad::cpu {

class Decoder {
 public:
  static const Decoder& instance();
  // The entry for `word`, or the `invalid` entry (which faults when executed).
  const OpEntry& decode(uint32_t word) const;
  bool is_valid(uint32_t word) const { return &decode(word) != &invalid_; }
  const std::vector<const OpEntry*>& all() const { return all_; }

 private:
  Decoder();
  std::array<std::vector<const OpEntry*>, 64> by_primary_;
  std::vector<const OpEntry*> all_;
  OpEntry invalid_;
};

}  // namespace hexad::cpu
