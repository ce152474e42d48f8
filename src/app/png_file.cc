#include "app/png_file.h"

#include <png.h>

#include <cstdio>
#include <memory>

#include "base/hexad_error.h"

namespace hexad::app {

void write_png(const std::string& path, uint32_t width, uint32_t height, const uint8_t* rgba, size_t stride) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) fail("cannot write '{}'", path);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    fail("'{}': libpng could not start", path);
  }
  if (setjmp(png_jmpbuf(png))) {  // libpng's error path: nothing with a destructor lives past here
    png_destroy_write_struct(&png, &info);
    fail("cannot write '{}' (libpng error)", path);
  }
  png_init_io(png, file.get());
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (uint32_t y = 0; y < height; ++y) png_write_row(png, rgba + size_t(y) * stride);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  if (std::fflush(file.get()) != 0 || std::fclose(file.release()) != 0) fail("cannot write '{}'", path);
}

}  // namespace hexad::app
