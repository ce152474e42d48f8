#include "app/png_frames.h"

#include <png.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "base/hexad_error.h"

namespace hexad::app {

void prepare_frames_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (dir.empty()) fail("--frames-dir: an empty folder name");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) fail("--frames-dir: '{}' is not a folder", dir);
  fs::create_directories(dir, ec);
  if (ec) fail("--frames-dir: cannot make '{}': {}", dir, ec.message());
  if (access(dir.c_str(), W_OK) != 0) fail("--frames-dir: '{}' is not writable", dir);
}

namespace {
// libpng reports errors by longjmp: this function keeps nothing but plain locals across setjmp.
bool encode_png(std::FILE* f, png_bytep* rows, uint32_t width, uint32_t height) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}
}  // namespace

void write_frame_png(const std::string& dir, const gpu::Frame& frame) {
  const std::string path = fmt::format("{}/frame-{:06}.png", dir, frame.number);
  // Rows as bytes R, G, B, A: the Frame's words are 0xAABBGGRR.
  std::vector<png_byte> bytes(size_t(frame.width) * frame.height * 4);
  for (size_t i = 0; i < frame.rgba.size(); ++i)
    for (int c = 0; c < 4; ++c) bytes[i * 4 + size_t(c)] = png_byte(frame.rgba[i] >> (8 * c));
  std::vector<png_bytep> rows(frame.height);
  for (uint32_t y = 0; y < frame.height; ++y) rows[y] = bytes.data() + size_t(y) * frame.width * 4;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fail("--frames-dir: cannot write '{}'", path);
  const bool encoded = encode_png(f, rows.data(), frame.width, frame.height);
  if (std::fclose(f) != 0 || !encoded) fail("--frames-dir: cannot write '{}'", path);
}

}  // namespace hexad::app
