// Internal to the XEX loader (src/loader/xex/*.cc): bounds-checked big-endian reads of the file
// that name the field and its file offset when they fail, and the optional-header directory.
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/endian.h"
#include "base/hexad_error.h"
#include "loader/xex/xex_loader.h"

namespace hexad::loader::detail {

// One optional-header entry and, for the keys that point into the header, its data's extent.
struct OptHeader {
  uint32_t key = 0, value = 0;
  uint32_t entry_off = 0;                // file offset of the {key, value} entry
  uint32_t data_off = 0, data_size = 0;  // for offset-type keys; 0 otherwise
};

class Parser {
 public:
  Parser(const std::string& b, const std::string& name) : b_(b), name_(name) {}

  template <typename... Args>
  [[noreturn]] void bad(fmt::format_string<Args...> f, Args&&... args) const {
    throw Error(name_ + ": malformed XEX: " + fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  [[noreturn]] void unsupported(fmt::format_string<Args...> f, Args&&... args) const {
    throw Error(name_ + ": unsupported XEX: " + fmt::format(f, std::forward<Args>(args)...));
  }

  // Reads a big-endian value at `off`, which must lie inside the first `limit` bytes.
  template <typename T>
  T at(uint64_t off, const char* field, uint64_t limit = UINT64_MAX) const {
    uint64_t end = std::min<uint64_t>(limit, b_.size());
    if (off + sizeof(T) > end) {
      if (end < b_.size())
        bad("{} at offset 0x{:x} lies past the end of the XEX headers (0x{:x} bytes)", field, off, end);
      bad("{} at offset 0x{:x} lies past the end of the file ({} bytes)", field, off, b_.size());
    }
    return load_be<T>(b_.data() + off);
  }
  uint32_t u32(uint64_t off, const char* field, uint64_t limit = UINT64_MAX) const { return at<uint32_t>(off, field, limit); }
  uint16_t u16(uint64_t off, const char* field, uint64_t limit = UINT64_MAX) const { return at<uint16_t>(off, field, limit); }
  uint8_t u8(uint64_t off, const char* field, uint64_t limit = UINT64_MAX) const { return at<uint8_t>(off, field, limit); }
  const uint8_t* data(uint64_t off) const { return reinterpret_cast<const uint8_t*>(b_.data()) + off; }
  uint64_t size() const { return b_.size(); }

  const std::string& b_;
  const std::string& name_;
};

using OptHeaders = std::map<uint32_t, OptHeader>;

inline const OptHeader* find_opt(const OptHeaders& opts, uint32_t key) {
  auto it = opts.find(key);
  return it == opts.end() ? nullptr : &it->second;
}

// A fixed-size name field (8 bytes in static libraries and resources) as printable ASCII: NUL
// ends it, other bytes outside 0x20..0x7E become '?'.
std::string printable_name(const uint8_t* p, size_t max);

// Parses the import libraries into `libs` and `out`, checking every record against the decoded
// image (image-relative) at guest address `base`. xex_imports.cc.
void parse_imports(const Parser& p, const OptHeader& h, const std::vector<uint8_t>& image, uint32_t base,
                   std::vector<XexLibrary>& libs, std::vector<XexImport>& out);

// Reads the optional headers that describe the title (execution info, TLS, libraries, resources,
// sizes, flags, names) into `img`. xex_headers.cc.
void parse_title_headers(const Parser& p, const OptHeaders& opts, XexImage& img);

// Decrypts (choosing the master key) and decompresses the image data into `image` (image_size
// bytes, zero-filled), recording the key, the block count and the LZX window in `h`. xex_data.cc.
void decode_image(const Parser& p, const OptHeader& ffi, XexHeaders& h, uint32_t image_size, uint32_t sec_off,
                  std::vector<uint8_t>& image);

}  // namespace hexad::loader::detail
