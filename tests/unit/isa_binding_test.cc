// The ISA table (cpu/isa) and the interpreter's handlers bound to it (cpu/interp): every row
// has exactly one handler, every handler implements a row, and decoding through the ISA gives
// the entries the decoder gave before the two were split.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <string_view>

#include "cpu/interp/decoder.h"
#include "cpu/isa/isa.h"

namespace isa = hexad::cpu::isa;
using hexad::cpu::Decoder;
using hexad::cpu::OpEntry;

namespace {
struct GoldenDecode {
  uint32_t word;
  const char* mnemonic;
};
constexpr GoldenDecode kGolden[] = {
#include "decode_golden.inc"
};

// Every unit table of the interpreter, as the decoder merges them.
std::vector<std::span<const OpEntry>> unit_tables() {
  using namespace hexad::cpu;
  return {alu_ops(),         rotate_shift_ops(), compare_cr_ops(),  branch_ops(),      loadstore_ops(),
          system_ops(),      fpu_loadstore_ops(), fpu_arith_ops(),  fpu_convert_ops(), fpscr_ops(),
          vmx_int_ops(),     vmx_float_ops(),    vmx_permute_ops(), vmx_loadstore_ops(), vmx128_ops()};
}
}  // namespace

TEST_CASE("isa: mnemonics are unique and every row has a class and a primary opcode mask", "[isa]") {
  std::set<std::string_view> names;
  for (const isa::Entry& e : isa::entries()) {
    INFO(e.mnemonic);
    CHECK(names.insert(e.mnemonic).second);
    CHECK((e.mask & 0xFC000000u) == 0xFC000000u);
    CHECK((e.value & ~e.mask) == 0);
    CHECK(std::string_view(isa::class_name(e.cls)) != "?");
    // A row that sets pc ends its block; memory rows are loads, stores, fp or vector.
    if (e.flags & isa::kSetsPc) CHECK((e.flags & isa::kEndsBlock));
    if (e.cls == isa::kLoad) CHECK((e.flags & isa::kReadsMemory));
    if (e.cls == isa::kStore) CHECK((e.flags & isa::kWritesMemory));
  }
  CHECK(names.size() == isa::kEntryCount);
}

TEST_CASE("isa binding: every ISA row has exactly one interpreter handler", "[isa][interp]") {
  const Decoder& d = Decoder::instance();
  for (const std::string& e : d.binding_errors()) FAIL_CHECK(e);
  CHECK(d.binding_errors().empty());
  std::vector<int> bound(isa::kEntryCount, 0);
  for (auto table : unit_tables())
    for (const OpEntry& e : table) {
      REQUIRE(e.isa_id < isa::kEntryCount);  // every handler maps to an ISA row
      ++bound[e.isa_id];
      // The decoded op's block flags are the ISA row's.
      CHECK(e.flags == (isa::entry(e.isa_id).flags & (isa::kEndsBlock | isa::kSetsPc)));
    }
  for (size_t id = 0; id < isa::kEntryCount; ++id) {
    INFO(isa::kEntries[id].mnemonic);
    CHECK(bound[id] == 1);
    REQUIRE(d.bound(isa::EntryId(id)) != nullptr);
    CHECK(d.bound(isa::EntryId(id))->isa_id == id);
  }
}

TEST_CASE("isa decoder: the words of the pre-split decoder decode to the same entries", "[isa][interp]") {
  const isa::Decoder& isa_dec = isa::Decoder::instance();
  const Decoder& interp_dec = Decoder::instance();
  REQUIRE(std::size(kGolden) > 3000);
  size_t invalid = 0;
  for (const GoldenDecode& g : kGolden) {
    INFO(std::hex << g.word << " expected " << g.mnemonic);
    const isa::EntryId id = isa_dec.decode(g.word);
    const OpEntry& op = interp_dec.decode(g.word);
    if (std::string_view(g.mnemonic) == "(invalid)") {
      ++invalid;
      CHECK(id == isa::kInvalidId);
      CHECK_FALSE(interp_dec.is_valid(g.word));
      CHECK(op.isa_id == isa::kInvalidId);
      continue;
    }
    REQUIRE(id != isa::kInvalidId);
    CHECK(std::string_view(isa::entry(id).mnemonic) == g.mnemonic);
    CHECK(op.isa_id == id);  // the interpreter runs the handler bound to that entry
  }
  // The random words include invalid ones, so both outcomes are exercised.
  CHECK(invalid > 100);
}
