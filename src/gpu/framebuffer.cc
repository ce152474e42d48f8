#include "gpu/framebuffer.h"

#include "cpu/memory.h"

namespace hexad::gpu {

std::string_view texture_format_name(uint32_t format) {
  switch (format) {
    case kFormat8888: return "8_8_8_8";
    case kFormat2101010: return "2_10_10_10";
    case kFormat2101010As16161616: return "2_10_10_10_AS_16_16_16_16";
  }
  return "";
}

// TiledOffset2DOuter(y, pitch, log2 bpp = 2) + TiledOffset2DInner(x, y, 2, outer): xenia's
// texture_info.cc (after crunch's crn_decomp.h), for 4-byte texels.
uint32_t tiled_offset_32bpp(uint32_t x, uint32_t y, uint32_t pitch_texels) {
  constexpr uint32_t kLog2Bpp = 2;
  const uint32_t macro_row = ((y >> 5) * (pitch_texels >> 5)) << (kLog2Bpp + 7);
  const uint32_t micro_row = ((y & 6) << 2) << kLog2Bpp;
  const uint32_t outer = macro_row + ((micro_row & ~15u) << 1) + (micro_row & 15) + ((y & 8) << (3 + kLog2Bpp)) +
                         ((y & 1) << 4);
  const uint32_t macro = (x >> 5) << (kLog2Bpp + 7);
  const uint32_t micro = (x & 7) << kLog2Bpp;
  const uint32_t offset = outer + macro + ((micro & ~15u) << 1) + (micro & 15);
  return ((offset & ~511u) << 3) + ((offset & 448) << 2) + (offset & 63) + ((y & 16) << 7) +
         (((((y & 8) >> 2) + (x >> 3)) & 3) << 6);
}

namespace {

// The texel as the GPU sees it: guest memory holds the bytes as stored; the endian mode swaps them.
uint32_t texel(const uint8_t* p, uint32_t endianness) {
  const uint32_t le = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  switch (endianness) {
    case 1: return ((le & 0xFF00FF00u) >> 8) | ((le & 0x00FF00FFu) << 8);
    case 2: return __builtin_bswap32(le);
    case 3: return (le >> 16) | (le << 16);
  }
  return le;
}

// X, Y, Z, W of a texel as 8-bit values.
void components(uint32_t t, uint32_t format, uint8_t xyzw[4]) {
  if (format == kFormat8888) {
    for (int i = 0; i < 4; ++i) xyzw[i] = uint8_t(t >> (8 * i));
    return;
  }
  xyzw[0] = uint8_t((t >> 2) & 0xFF);
  xyzw[1] = uint8_t((t >> 12) & 0xFF);
  xyzw[2] = uint8_t((t >> 22) & 0xFF);
  xyzw[3] = uint8_t((t >> 30) * 85);
}

}  // namespace

std::string_view read_frontbuffer(const cpu::Memory& mem, uint32_t address, const FetchConstant& fetch, Frame& out) {
  const uint32_t format = fetch.format();
  if (texture_format_name(format).empty()) return "format not readable";
  const uint32_t w = fetch.width(), h = fetch.height();
  if (w > kMaxFrameDimension || h > kMaxFrameDimension) return "larger than hexad reads";
  const uint32_t pitch = fetch.pitch_texels();
  if (pitch < w) return "pitch narrower than the width";
  if (!address) return "front buffer not mapped";
  // Every byte the texels can come from: the rows of the pitch (tiled: whole 32-row tiles).
  const uint64_t rows = fetch.tiled() ? (uint64_t(h) + 31) / 32 * 32 : h;
  const uint64_t span = rows * pitch * 4;
  if (uint64_t(address) + span > cpu::Memory::kSpaceSize || !mem.accessible(address, uint32_t(span), cpu::kProtRead))
    return "front buffer not mapped";
  const uint8_t* base = mem.host(address);
  const uint32_t swizzle = fetch.swizzle();
  out.width = w;
  out.height = h;
  out.rgba.resize(size_t(w) * h);
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      const uint32_t offset = fetch.tiled() ? tiled_offset_32bpp(x, y, pitch) : (y * pitch + x) * 4;
      uint8_t xyzw[4];
      components(texel(base + offset, fetch.endianness()), format, xyzw);
      uint32_t rgba = 0;
      for (uint32_t c = 0; c < 4; ++c) {
        const uint32_t sel = (swizzle >> (3 * c)) & 7;
        const uint32_t v = sel < 4 ? xyzw[sel] : sel == 5 ? 255 : 0;
        rgba |= v << (8 * c);
      }
      out.rgba[size_t(y) * w + x] = rgba;
    }
  return "";
}

}  // namespace hexad::gpu
