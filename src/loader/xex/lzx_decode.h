// LZX decompression of a XEX image's "normal"-compressed data through libmspack's decoder
// (lzxd.c, built from Debian's libmspack source: third_party/). hexad has no LZX decoder of its own.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace hexad::xex {

// Decodes the LZX stream `in` (the chunks of every block, concatenated) into exactly `out_size`
// bytes at `out`, with a window of `window_size` bytes (a power of two, 32 KiB .. 2 MiB), no
// reset interval, as one stream (the console's loader and xenia's feed it the same way).
// Returns "" on success, else libmspack's reason.
std::string lzx_decompress(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size, uint32_t window_size);

}  // namespace hexad::xex
