// PNG files of 8-bit RGBA pixels (libpng from Debian): --frames-dir's frames, the studio's screenshots.
#pragma once
#include <cstdint>
#include <string>

namespace hexad::app {

// Writes `width` x `height` pixels, 4 bytes each (R, G, B, A), rows `stride` bytes apart.
// Throws hexad::Error naming the file when it cannot be written.
void write_png(const std::string& path, uint32_t width, uint32_t height, const uint8_t* rgba, size_t stride);

}  // namespace hexad::app
