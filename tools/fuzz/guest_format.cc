// libFuzzer: the DbgPrint formatter (src/kernel/xboxkrnl/exports/guest_format.*), narrow and wide
// (each input is formatted both ways, the wide format being the bytes zero-extended). The input is a
// format string (up to the first NUL) and, after it, the hostile guest's data: the argument words
// next32/next64 read in order (zero once exhausted), which are also mapped as guest memory at
// kImageBase so that %s pointers can land inside it, on its end, or on unmapped pages.
// string_at reads as the kernel's GuestCString does: up to 4096 bytes (or the precision), stopping
// at a NUL or the first unreadable byte. The output must stay within the width/precision caps; a narrow format
// may also fail (nullopt) on a wide argument's unit above 0xFF.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
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
  std::string string_at(uint32_t addr, size_t max_units) override { return read<char>(addr, max_units); }
  std::u16string wide_string_at(uint32_t addr, size_t max_units) override { return read<char16_t>(addr, max_units); }
  size_t string_bytes = 0;

 private:
  template <typename Char>
  std::basic_string<Char> read(uint32_t addr, size_t max_units) {
    static constexpr Char kNull[] = {'(', 'n', 'u', 'l', 'l', ')', 0};
    if (!addr) return kNull;
    std::basic_string<Char> s;
    for (size_t i = 0; i < std::min(kStringMax, max_units); ++i) {
      const uint32_t at = addr + uint32_t(i * sizeof(Char));
      if (!mem_.accessible(at, sizeof(Char), hexad::cpu::kProtRead)) break;
      const Char unit = sizeof(Char) == 1 ? Char(mem_.read8(at)) : Char(mem_.read16(at));
      if (!unit) break;
      s.push_back(unit);
    }
    string_bytes += s.size();  // units
    return s;
  }
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

// Every conversion takes at least two format units and writes at most max(width, precision +
// sign/prefix) = 4096 + 2 units, or a string's units; literal text is copied.
template <typename Text>
void check_bound(const Text& format, hexad::cpu::Memory& mem, const uint8_t* rest, size_t rest_size) {
  HostileArgs args(mem, rest, rest_size);
  const std::optional<Text> formatted = hexad::kernel::format_guest(format, args);
  if (!formatted) {  // only a narrow format can fail (a wide unit it cannot hold)
    if (sizeof(typename Text::value_type) == 1) return;
    std::fprintf(stderr, "guest_format: a wide format failed\n");
    std::abort();
  }
  const Text& out = *formatted;
  const size_t bound = format.size() + (format.size() / 2) * (4096 + 2) + args.string_bytes;
  if (out.size() > bound) {
    std::fprintf(stderr, "guest_format: %zu output units exceed the bound %zu for a %zu-unit format\n", out.size(),
                 bound, format.size());
    std::abort();
  }
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

  // The narrow formatter on the format, then the wide one on the format's bytes as 16-bit units.
  check_bound(format, mem, rest, rest_size);
  check_bound(std::u16string(format.begin(), format.end()), mem, rest, rest_size);
  return 0;
}
