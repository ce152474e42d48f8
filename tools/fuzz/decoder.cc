// libFuzzer: the PowerPC decoder (src/cpu/isa). Every 4 bytes of the input are a word; each must
// decode without crashing to the row the table's rule names, or to kInvalidId when no row matches.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "base/endian.h"
#include "decoder_oracle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (size_t off = 0; off + 4 <= size; off += 4) {
    const std::string why = hexad::fuzz::decoder_disagreement(hexad::load_be<uint32_t>(data + off));
    if (!why.empty()) {
      std::fprintf(stderr, "decoder: %s\n", why.c_str());
      std::abort();
    }
  }
  return 0;
}
