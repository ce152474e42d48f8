// A valid LZX stream for libmspack's decoder without compressing: uncompressed blocks of one
// 32 KiB frame each (the format's block type 3). Enough for xexpack's normal-compression output,
// whose point is to exercise the loader's block chain and the decoder.
#pragma once
#include <cstdint>
#include <vector>

namespace hexad::xexpack {

constexpr uint32_t kLzxFrameSize = 0x8000;

// `data` as an LZX stream (no Intel E8 translation), to be decoded with a window of 32 KiB or more.
std::vector<uint8_t> lzx_uncompressed_stream(const std::vector<uint8_t>& data);

}  // namespace hexad::xexpack
