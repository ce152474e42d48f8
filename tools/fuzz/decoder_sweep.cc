// The decoder checked word by word against the table's rule (decoder_oracle.h), without libFuzzer:
//   decoder_sweep [--stride N] [--from W] [--to W]
// checks from, from+N, ... up to `to` (inclusive; defaults: every word, 0..0xFFFFFFFF). A prime
// stride samples all primary opcodes and field values; ctest's fuzz.decoder_sweep uses one.
// Prints the words checked and the count of invalid ones; exits 1 at the first disagreement.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cpu/isa/isa.h"
#include "decoder_oracle.h"

int main(int argc, char** argv) {
  uint64_t stride = 1, from = 0, to = 0xFFFFFFFFull;
  for (int i = 1; i + 1 < argc; i += 2) {
    uint64_t v = std::strtoull(argv[i + 1], nullptr, 0);
    if (!std::strcmp(argv[i], "--stride") && v) stride = v;
    else if (!std::strcmp(argv[i], "--from")) from = v;
    else if (!std::strcmp(argv[i], "--to")) to = v;
    else {
      std::fprintf(stderr, "usage: decoder_sweep [--stride N] [--from W] [--to W]\n");
      return 2;
    }
  }
  if ((argc - 1) % 2 || to > 0xFFFFFFFFull || from > to) {
    std::fprintf(stderr, "usage: decoder_sweep [--stride N] [--from W] [--to W] (words up to 0xFFFFFFFF)\n");
    return 2;
  }
  uint64_t checked = 0, invalid = 0;
  for (uint64_t w = from; w <= to; w += stride) {
    const std::string why = hexad::fuzz::decoder_disagreement(uint32_t(w));
    if (!why.empty()) {
      std::fprintf(stderr, "decoder_sweep: %s\n", why.c_str());
      return 1;
    }
    invalid += hexad::cpu::isa::Decoder::instance().decode(uint32_t(w)) == hexad::cpu::isa::kInvalidId;
    ++checked;
  }
  std::printf("decoder_sweep: %llu words checked (0x%08llx..0x%08llx stride %llu), %llu invalid, 0 disagreements\n",
              (unsigned long long)checked, (unsigned long long)from, (unsigned long long)to,
              (unsigned long long)stride, (unsigned long long)invalid);
  return 0;
}
