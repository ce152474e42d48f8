// PNG files of RGBA pixels (libpng from Debian): the studio's screenshots.
#pragma once
#include <cstdint>
#include <string>

namespace hexad::app::studio {

// Writes `width` x `height` pixels, 4 bytes each (R, G, B, A), rows `stride` bytes apart.
// Throws hexad::Error naming the file when it cannot be written.
void write_png(const std::string& path, uint32_t width, uint32_t height, const uint8_t* rgba, size_t stride);

}  // namespace hexad::app::studio
