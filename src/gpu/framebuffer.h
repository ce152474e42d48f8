// Reading a front buffer into a Frame (gpu_state.h): what VdSwap presents. hexad reads 2D
// textures of 32 bits per texel, linear or tiled, in the formats k_8_8_8_8 (6), k_2_10_10_10 (7)
// and k_2_10_10_10_AS_16_16_16_16 (54), as the texture fetch constant describes them (xenia's
// xe_gpu_texture_fetch_t, xenos.h):
//   dword 0: pitch in units of 32 texels (bits 22-30), tiled (bit 31);
//   dword 1: format (bits 0-5), endianness (bits 6-7: 0 none, 1 8in16, 2 8in32, 3 16in32);
//   dword 2: width - 1 (bits 0-12), height - 1 (bits 13-25);
//   dword 3: swizzle (bits 1-12): for R, G, B, A in turn 3 bits choosing texel component X, Y, Z,
//            W (0-3), zero (4) or one (5).
// A texel, after the endian swap, holds X in its low bits: 8_8_8_8 is X 0-7, Y 8-15, Z 16-23,
// W 24-31; 2_10_10_10 is X 0-9, Y 10-19, Z 20-29, W 30-31 (10-bit components keep their high 8
// bits, the 2-bit one is scaled to 0..255). A D3DFMT_A8R8G8B8 front buffer (words 0xAARRGGBB as
// the CPU stores them, endianness 8in32, swizzle R=Z G=Y B=X A=W) reads as its colours.
// Tiled addressing is xenia's TiledOffset2DOuter/Inner for 4-byte texels (texture_info.cc),
// over the pitch rounded up to 32 texels.
#pragma once
#include <cstdint>
#include <string_view>

#include "gpu/gpu_state.h"

namespace hexad::cpu {
class Memory;
}

namespace hexad::gpu {

struct FetchConstant {
  uint32_t words[6] = {};
  uint32_t pitch_texels() const { return ((words[0] >> 22) & 0x1FF) << 5; }
  bool tiled() const { return words[0] >> 31; }
  uint32_t format() const { return words[1] & 0x3F; }
  uint32_t endianness() const { return (words[1] >> 6) & 3; }
  uint32_t base_address() const { return words[1] & 0xFFFFF000; }
  uint32_t width() const { return (words[2] & 0x1FFF) + 1; }
  uint32_t height() const { return ((words[2] >> 13) & 0x1FFF) + 1; }
  uint32_t swizzle() const { return (words[3] >> 1) & 0xFFF; }
};

enum TextureFormat : uint32_t {
  kFormat8888 = 6,
  kFormat2101010 = 7,
  kFormat2101010As16161616 = 54,
};
std::string_view texture_format_name(uint32_t format);  // "8_8_8_8"; "" when hexad does not name it

// The largest front buffer hexad reads (a 1080p display is 1920x1080).
constexpr uint32_t kMaxFrameDimension = 4096;

// Reads the front buffer at guest virtual address `address` described by `fetch` into `out`
// (number untouched). Returns "" on success, else why it cannot be read (nothing is written).
std::string_view read_frontbuffer(const cpu::Memory& mem, uint32_t address, const FetchConstant& fetch, Frame& out);

// xenia's tiled address of texel (x, y) in a 2D texture of 4-byte texels whose row is
// `pitch_texels` (a multiple of 32) wide: the byte offset from the texture's base.
uint32_t tiled_offset_32bpp(uint32_t x, uint32_t y, uint32_t pitch_texels);

}  // namespace hexad::gpu
