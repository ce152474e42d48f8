#include "app/png_frames.h"

#include <unistd.h>

#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "app/png_file.h"
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

void write_frame_png(const std::string& dir, const gpu::Frame& frame) {
  const std::string path = fmt::format("{}/frame-{:06}.png", dir, frame.number);
  // Rows as bytes R, G, B, A: the Frame's words are 0xAABBGGRR.
  std::vector<uint8_t> bytes(size_t(frame.width) * frame.height * 4);
  for (size_t i = 0; i < frame.rgba.size(); ++i)
    for (int c = 0; c < 4; ++c) bytes[i * 4 + size_t(c)] = uint8_t(frame.rgba[i] >> (8 * c));
  try {
    write_png(path, frame.width, frame.height, bytes.data(), size_t(frame.width) * 4);
  } catch (const Error&) {
    fail("--frames-dir: cannot write '{}'", path);
  }
}

}  // namespace hexad::app
