// libFuzzer: the DbgPrint formatter (src/kernel/xboxkrnl/exports/guest_format.*). The input is a
// format string (up to the first NUL) and, after it, the hostile guest's data: the argument words
// next32/next64 read in order (zero once exhausted), which are also mapped as guest memory at
// kImageBase so that %s pointers can land inside it, on its end, or on unmapped pages.
// string_at reads as the kernel's GuestCString does: up to 4096 bytes, stopping at a NUL or the
// first unreadable byte. The output must stay within the width/precision caps.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/endian.h"
#include "cpu/memory.h"
#include "kernel/xboxkrnl/exports/guest_format.h"

namespace {

constexpr uint32_t kImageBase = 0x00100000;
constexpr uint32_t kImageMax = 4 * hexad::cpu::Memory::kPageSize;
constexpr size_t kStringMax = 4096;  // GuestCString::read's default bound

class HostileArgs : public hexad::kernel::FormatArgs {
 public:
  HostileArgs(hexad::cpu::Memory& mem, const uint8_t* data, size_t size) : mem_(mem), data_(data), size_(size) {}
  uint32_t next32() override { return uint32_t(take(4)); }
  uint64_t next64() override { return take(8); }
  std::string string_at(uint32_t addr) override {
    std::string s;
    if (!addr) return "(null)";
    for (size_t i = 0; i < kStringMax; ++i) {
      if (!mem_.accessible(addr + uint32_t(i), 1, hexad::cpu::kProtRead)) break;
      char ch = char(mem_.read8(addr + uint32_t(i)));
      if (!ch) break;
      s.push_back(ch);
    }
    string_bytes += s.size();
    return s;
  }
  size_t string_bytes = 0;

 private:
  uint64_t take(size_t n) {
    uint8_t buf[8] = {};
    const size_t got = pos_ < size_ ? std::min(n, size_ - pos_) : 0;
    std::memcpy(buf, data_ + pos_, got);
    pos_ += got;
    return n == 4 ? hexad::load_be<uint32_t>(buf) : hexad::load_be<uint64_t>(buf);
  }
  hexad::cpu::Memory& mem_;
  const uint8_t* data_;
  size_t size_, pos_ = 0;
};

hexad::cpu::Memory& guest() {
  static hexad::cpu::Memory* mem = [] {
    auto* m = new hexad::cpu::Memory;
    m->commit(kImageBase, kImageMax, hexad::cpu::kProtRead);
    return m;
  }();
  return *mem;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const uint8_t* nul = static_cast<const uint8_t*>(std::memchr(data, 0, size));
  const size_t format_len = nul ? size_t(nul - data) : size;
  const std::string format(reinterpret_cast<const char*>(data), format_len);
  const uint8_t* rest = nul ? nul + 1 : data + size;
  const size_t rest_size = size_t(data + size - rest);

  hexad::cpu::Memory& mem = guest();
  const uint32_t mapped = uint32_t(std::min<size_t>(rest_size, kImageMax));
  static const std::string zeros(kImageMax, '\0');
  mem.write_bytes_raw(kImageBase, zeros.data(), kImageMax);  // the pages are read-only to the guest
  if (mapped) mem.write_bytes_raw(kImageBase, rest, mapped);

  HostileArgs args(mem, rest, rest_size);
  const std::string out = hexad::kernel::format_guest(format, args);
  // Every conversion takes at least two format characters and writes at most max(width,
  // precision + sign/prefix) = 4096 + 2 characters, or a string's bytes; literal text is copied.
  const size_t bound = format.size() + (format.size() / 2) * (4096 + 2) + args.string_bytes;
  if (out.size() > bound) {
    std::fprintf(stderr, "guest_format: %zu output bytes exceed the bound %zu for a %zu-byte format\n", out.size(),
                 bound, format.size());
    std::abort();
  }
  return 0;
}
