#include "decoder_oracle.h"

#include <bit>

#include <fmt/format.h>

#include "cpu/isa/isa.h"

namespace hexad::fuzz {

namespace isa = cpu::isa;

std::string decoder_disagreement(uint32_t word) {
  isa::EntryId expected = isa::kInvalidId;
  int best = -1;
  for (size_t id = 0; id < isa::kEntryCount; ++id) {
    const isa::Entry& e = isa::entry(isa::EntryId(id));
    if ((word & e.mask) != e.value) continue;
    if (std::popcount(e.mask) > best) {
      best = std::popcount(e.mask);
      expected = isa::EntryId(id);
    }
  }
  const isa::EntryId got = isa::Decoder::instance().decode(word);
  if (got == expected) return {};
  auto name = [](isa::EntryId id) { return id == isa::kInvalidId ? "(invalid)" : isa::entry(id).mnemonic; };
  return fmt::format("word 0x{:08x}: decoder gives {} ({}), the table's rule gives {} ({})", word, name(got), got,
                     name(expected), expected);
}

}  // namespace hexad::fuzz
