// The instruction set as a backend sees it: the table of entries (cpu/isa/ppc_table.h), lookup
// of an entry by mnemonic at compile time, and decoding a word to its entry.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "cpu/isa/entry.h"
#include "cpu/isa/ppc_table.h"

namespace hexad::cpu::isa {

inline constexpr size_t kEntryCount = std::size(kEntries);
static_assert(kEntryCount < kInvalidId);

constexpr std::span<const Entry> entries() { return kEntries; }
constexpr const Entry& entry(EntryId id) { return kEntries[id]; }

// The id of the row named `mnemonic`; a name not in the table fails to compile.
consteval EntryId id_of(std::string_view mnemonic) {
  for (size_t i = 0; i < kEntryCount; ++i)
    if (std::string_view(kEntries[i].mnemonic) == mnemonic) return EntryId(i);
  throw "mnemonic not in the ISA table (cpu/isa/ppc_table.h)";
}

// Word -> entry: per primary opcode, the candidate rows with the most specific mask first (rows
// of equal specificity in table order). Done once per decoded block, so clarity wins over speed.
class Decoder {
 public:
  static const Decoder& instance();
  // The entry `word` encodes, or kInvalidId.
  EntryId decode(uint32_t word) const;

 private:
  Decoder();
  std::array<std::vector<EntryId>, 64> by_primary_;
};

}  // namespace hexad::cpu::isa
