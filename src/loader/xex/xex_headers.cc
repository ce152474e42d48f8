// The optional headers that describe a title (everything but the file format info and the
// import libraries): see docs/xex2.md "Optional headers".
#include <cstring>

#include "loader/xex/xex_format.h"
#include "loader/xex/xex_parser.h"

namespace hexad::loader {

using namespace hexad::xex;

namespace {

struct KeyName {
  uint32_t key;
  const char* name;
};

// The keys hexad knows, with the names `hexad info` shows (xenia's xex2_info.h lists them).
constexpr KeyName kKeyNames[] = {
    {kKeyResourceInfo, "resource info"},
    {kKeyFileFormatInfo, "file format info"},
    {kKeyDeltaPatchDescriptor, "delta patch descriptor"},
    {kKeyBaseReference, "base reference"},
    {kKeyBoundingPath, "bounding path"},
    {kKeyDeviceId, "device id"},
    {kKeyOriginalBaseAddress, "original base address"},
    {kKeyEntryPoint, "entry point"},
    {kKeyImageBase, "image base address"},
    {kKeyImportLibraries, "import libraries"},
    {kKeyChecksumTimestamp, "checksum and timestamp"},
    {kKeyEnabledForCallcap, "enabled for callcap"},
    {kKeyEnabledForFastcap, "enabled for fastcap"},
    {kKeyOriginalPeName, "original PE name"},
    {kKeyStaticLibraries, "static libraries"},
    {kKeyTlsInfo, "TLS info"},
    {kKeyDefaultStackSize, "default stack size"},
    {kKeyDefaultFsCacheSize, "default filesystem cache size"},
    {kKeyDefaultHeapSize, "default heap size"},
    {kKeyPageHeapSizeAndFlags, "page heap size and flags"},
    {kKeySystemFlags, "system flags"},
    {kKeyExecutionInfo, "execution info"},
    {kKeyTitleWorkspaceSize, "title workspace size"},
    {kKeyGameRatings, "game ratings"},
    {kKeyLanKey, "LAN key"},
    {kKeyXbox360Logo, "Xbox 360 logo"},
    {kKeyMultidiscMediaIds, "multidisc media ids"},
    {kKeyAlternateTitleIds, "alternate title ids"},
    {kKeyAdditionalTitleMemory, "additional title memory"},
    {kKeyExportsByName, "exports by name"},
    {kKeyHexadCodeMode, "hexad code mode"},
};

using detail::OptHeader;
using detail::Parser;

// An inline key's datum: the entry's value (low byte 0x00 or 0x01).
std::optional<uint32_t> inline_value(const detail::OptHeaders& opts, uint32_t key) {
  if (const OptHeader* h = detail::find_opt(opts, key)) return h->value;
  return std::nullopt;
}

// A variable-size header's entries ({u32 size} then `entry` bytes each): their count, checked.
uint32_t entry_count(const Parser& p, const OptHeader& h, uint32_t entry, const char* what) {
  if ((h.data_size - 4) % entry != 0)
    p.bad("{} size {} at offset 0x{:x} is not 4 + {} * count", what, h.data_size, h.data_off, entry);
  return (h.data_size - 4) / entry;
}

}  // namespace

std::string XexVersion::str() const { return fmt::format("{}.{}.{}.{}", major(), minor(), build(), qfe()); }

const char* xex_key_name(uint32_t key) {
  for (const KeyName& k : kKeyNames)
    if (k.key == key) return k.name;
  return "";
}

namespace detail {

std::string printable_name(const uint8_t* p, size_t max) {
  std::string s;
  for (size_t i = 0; i < max && p[i]; ++i) s.push_back(p[i] >= 0x20 && p[i] < 0x7F ? char(p[i]) : '?');
  return s;
}

void parse_title_headers(const Parser& p, const OptHeaders& opts, XexImage& img) {
  XexHeaders& h = img.headers;
  img.stack_size = kDefaultStackSize;
  if (const OptHeader* o = find_opt(opts, kKeyDefaultStackSize)) {
    if (o->value == 0 || o->value > 0x10000000)
      p.bad("default stack size 0x{:x} (entry at offset 0x{:x}) is zero or larger than 256 MiB", o->value,
            o->entry_off);
    img.stack_size = o->value;
  }
  if (const OptHeader* o = find_opt(opts, kKeyHexadCodeMode)) {
    if (o->value != 32 && o->value != 64)
      p.bad("hexad code mode {} (entry at offset 0x{:x}) is neither 32 nor 64", o->value, o->entry_off);
    img.sixty_four_bit = o->value == 64;
  }
  h.system_flags = inline_value(opts, kKeySystemFlags);
  h.default_heap_size = inline_value(opts, kKeyDefaultHeapSize);
  h.default_fs_cache_size = inline_value(opts, kKeyDefaultFsCacheSize);
  h.title_workspace_size = inline_value(opts, kKeyTitleWorkspaceSize);
  h.additional_title_memory = inline_value(opts, kKeyAdditionalTitleMemory);
  h.original_base_address = inline_value(opts, kKeyOriginalBaseAddress);
  if (const OptHeader* o = find_opt(opts, kKeyChecksumTimestamp)) {
    h.checksum = p.u32(o->data_off, "image checksum");
    h.timestamp = p.u32(o->data_off + 4, "image timestamp");
  }
  if (const OptHeader* o = find_opt(opts, kKeyPageHeapSizeAndFlags)) {
    h.page_heap_size = p.u32(o->data_off, "page heap size");
    h.page_heap_flags = p.u32(o->data_off + 4, "page heap flags");
  }

  if (const OptHeader* o = find_opt(opts, kKeyExecutionInfo)) {
    XexExecutionInfo e;
    const uint32_t d = o->data_off;
    e.media_id = p.u32(d, "execution info media id");
    e.version.raw = p.u32(d + 4, "execution info version");
    e.base_version.raw = p.u32(d + 8, "execution info base version");
    e.title_id = p.u32(d + 12, "execution info title id");
    e.platform = p.u8(d + 16, "execution info platform");
    e.executable_table = p.u8(d + 17, "execution info executable table");
    e.disc_number = p.u8(d + 18, "execution info disc number");
    e.disc_count = p.u8(d + 19, "execution info disc count");
    e.savegame_id = p.u32(d + 20, "execution info savegame id");
    h.execution = e;
  }

  if (const OptHeader* o = find_opt(opts, kKeyTlsInfo)) {
    img.tls_slots = p.u32(o->data_off, "TLS slot count");
    img.tls_raw_addr = p.u32(o->data_off + 4, "TLS raw data address");
    img.tls_data_size = p.u32(o->data_off + 8, "TLS data size");
    img.tls_raw_size = p.u32(o->data_off + 12, "TLS raw data size");
    if (img.tls_slots > 4096) p.bad("TLS slot count {} at offset 0x{:x} exceeds 4096", img.tls_slots, o->data_off);
    if (img.tls_raw_size > img.tls_data_size)
      p.bad("TLS raw data size 0x{:x} at offset 0x{:x} exceeds the TLS data size 0x{:x}", img.tls_raw_size,
            o->data_off + 12, img.tls_data_size);
    if (img.tls_raw_size != 0 && (img.tls_raw_addr < img.base ||
                                  uint64_t(img.tls_raw_addr) + img.tls_raw_size > uint64_t(img.base) + img.image_size))
      p.bad("TLS raw data 0x{:08x}+0x{:x} at offset 0x{:x} lies outside the image", img.tls_raw_addr,
            img.tls_raw_size, o->data_off + 4);
  }

  if (const OptHeader* o = find_opt(opts, kKeyOriginalPeName)) {
    const uint8_t* s = p.data(o->data_off + 4);
    const size_t max = o->data_size - 4;
    if (max == 0 || !std::memchr(s, 0, max) || s[0] == 0)
      p.bad("original PE name at offset 0x{:x} is empty or not NUL-terminated within its {} bytes", o->data_off + 4,
            max);
    h.original_pe_name.assign(reinterpret_cast<const char*>(s));  // raw bytes, as the trace keeps names
    img.name = h.original_pe_name;
  }

  if (const OptHeader* o = find_opt(opts, kKeyStaticLibraries)) {
    const uint32_t n = entry_count(p, *o, kStaticLibraryEntrySize, "static libraries");
    for (uint32_t i = 0; i < n; ++i) {
      const uint64_t e = uint64_t(o->data_off) + 4 + uint64_t(i) * kStaticLibraryEntrySize;
      h.static_libraries.push_back({printable_name(p.data(e), 8), p.u16(e + 8, "static library major version"),
                                    p.u16(e + 10, "static library minor version"),
                                    p.u16(e + 12, "static library build"), p.u8(e + 14, "static library approval"),
                                    p.u8(e + 15, "static library qfe")});
    }
  }

  if (const OptHeader* o = find_opt(opts, kKeyResourceInfo)) {
    const uint32_t n = entry_count(p, *o, kResourceEntrySize, "resource info");
    for (uint32_t i = 0; i < n; ++i) {
      const uint64_t e = uint64_t(o->data_off) + 4 + uint64_t(i) * kResourceEntrySize;
      XexResource r{printable_name(p.data(e), 8), p.u32(e + 8, "resource address"), p.u32(e + 12, "resource size")};
      if (r.address < img.base || uint64_t(r.address) + r.size > uint64_t(img.base) + img.image_size)
        p.bad("resource {} ('{}') at offset 0x{:x}: 0x{:08x}+0x{:x} lies outside the image 0x{:08x}..0x{:08x}", i,
              r.name, e, r.address, r.size, img.base, uint64_t(img.base) + img.image_size);
      h.resources.push_back(std::move(r));
    }
  }
}

}  // namespace detail

}  // namespace hexad::loader
