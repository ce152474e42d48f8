// PNG files of 8-bit RGBA pixels (libpng from Debian): --frames-dir's frames, the studio's screenshots.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hexad::app {

// Writes `width` x `height` pixels, 4 bytes each (R, G, B, A), rows `stride` bytes apart.
// Throws hexad::Error naming the file when it cannot be written.
void write_png(const std::string& path, uint32_t width, uint32_t height, const uint8_t* rgba, size_t stride);

// Reads a PNG (any colour type libpng converts) as 8-bit R, G, B, A pixels, row after row, in
// `rgba` (width * height words, bytes R, G, B, A in memory order, as gpu::Frame keeps them).
// Throws hexad::Error naming the file when it cannot be read or is not a PNG.
void read_png(const std::string& path, uint32_t& width, uint32_t& height, std::vector<uint32_t>& rgba);

}  // namespace hexad::app
