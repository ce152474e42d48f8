// The interpreter's decoder: a word's ISA entry (cpu/isa/isa.h), then the handler the units'
// tables bind to that entry. Decoding is done once per block, so clarity wins over speed here.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cpu/interp/op_table.h"

namespace hexad::cpu {

class Decoder {
 public:
  static const Decoder& instance();
  // The entry for `word`, or the `invalid` entry (which faults when executed).
  const OpEntry& decode(uint32_t word) const;
  bool is_valid(uint32_t word) const { return &decode(word) != &invalid_; }
  // The handler bound to an ISA entry, or nullptr if none is.
  const OpEntry* bound(isa::EntryId id) const { return by_id_[id]; }
  // Every problem with the binding: ISA rows without a handler, rows bound twice. Empty when
  // every row has exactly one handler (checked by tests/unit/isa_binding_test.cc).
  const std::vector<std::string>& binding_errors() const { return binding_errors_; }

 private:
  Decoder();
  std::vector<const OpEntry*> by_id_;  // indexed by isa::EntryId
  std::vector<std::string> binding_errors_;
  OpEntry invalid_;
};

}  // namespace hexad::cpu
