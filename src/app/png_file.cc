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

void read_png(const std::string& path, uint32_t& width, uint32_t& height, std::vector<uint32_t>& rgba) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) fail("cannot read '{}': {}", path, image.message);
  image.format = PNG_FORMAT_RGBA;
  // A frame is at most 4096x4096 (the GPU's limit); a bigger header is refused before allocating.
  if (image.width == 0 || image.height == 0 || image.width > 4096 || image.height > 4096) {
    const uint32_t w = image.width, h = image.height;
    png_image_free(&image);
    fail("'{}': a {}x{} picture is not a frame (at most 4096x4096)", path, w, h);
  }
  rgba.assign(size_t(image.width) * image.height, 0);
  if (!png_image_finish_read(&image, nullptr, rgba.data(), 0, nullptr)) {
    const std::string why = image.message;
    png_image_free(&image);
    fail("cannot read '{}': {}", path, why);
  }
  width = image.width;
  height = image.height;
}

}  // namespace hexad::app
