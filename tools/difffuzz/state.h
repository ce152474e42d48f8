// Seed-derived initial architected state of one block (the input half of its record) and the
// initial scratch-buffer contents. Independent of the enabled classes and of batching.
#pragma once
#include <array>
#include <cstdint>

#include "layout.h"

namespace difffuzz {

using Record = std::array<uint8_t, kRecordSize>;

Record make_record(uint64_t seed, uint64_t block);

// Value pools, also used by the grammars for immediates they materialise.
class Rng;
uint64_t random_gpr(Rng& r);
uint64_t random_double_bits(Rng& r);
uint64_t random_single_as_double_bits(Rng& r);
uint64_t bounded_single_as_double_bits(Rng& r);  // single-representable, |exponent| <= 30
uint32_t random_vmx_float_bits(Rng& r);  // a normal float with |exponent| <= 30, or 0/inf/NaN

}  // namespace difffuzz
