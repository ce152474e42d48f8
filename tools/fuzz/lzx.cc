// libFuzzer: the LZX decoder path of the XEX loader (src/loader/xex/lzx_decode.cc driving
// libmspack's lzxd) on arbitrary streams. The xex harness cannot reach deep into the decoder: a
// mutated LZX block fails its SHA-1 before it is decoded. Input: byte 0 picks the window
// (2^(15 + byte % 7)), bytes 1-3 the output size (big-endian, modulo 2 MiB: larger outputs only
// cost throughput), the rest is the
// stream. The decoder must return success (exactly the output size) or an error message; a
// crash, sanitizer report or hang is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "loader/xex/lzx_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const uint32_t window = 1u << (15 + data[0] % 7);
  const size_t out_size = (size_t(data[1]) << 16 | size_t(data[2]) << 8 | data[3]) & 0x1FFFFF;
  static std::vector<uint8_t> out;
  out.assign(out_size, 0xA5);
  // lzx_decompress itself refuses a result short of out_size; its error text must say something.
  const std::string why = hexad::xex::lzx_decompress(data + 4, size - 4, out.data(), out.size(), window);
  if (!why.empty() && why.size() < 10) {
    std::fprintf(stderr, "lzx: uninformative error '%s'\n", why.c_str());
    std::abort();
  }
  return 0;
}
