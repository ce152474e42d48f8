#include "loader/xex/xex_loader.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

#include "base/endian.h"
#include "base/hexad_error.h"
#include "cpu/memory.h"
#include "loader/xex/xex_format.h"

namespace hexad::loader {

namespace {

using namespace hexad::xex;

// One optional-header entry and, for the keys that point into the header, its data's extent.
struct OptHeader {
  uint32_t key = 0, value = 0;
  uint32_t entry_off = 0;           // file offset of the {key, value} entry
  uint32_t data_off = 0, data_size = 0;  // for offset-type keys; 0 otherwise
};

struct PageRun {
  uint32_t addr, size, type;
};

class Parser {
 public:
  Parser(const std::string& b, const std::string& name) : b_(b), name_(name) {}

  template <typename... Args>
  [[noreturn]] void bad(fmt::format_string<Args...> f, Args&&... args) const {
    throw Error(name_ + ": malformed XEX: " + fmt::format(f, std::forward<Args>(args)...));
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

  const std::string& b_;
  const std::string& name_;
};

uint32_t key_data_size(uint32_t key) { return (key & 0xFF) * 4; }
bool key_is_inline(uint32_t key) { return (key & 0xFF) == 0x00 || (key & 0xFF) == 0x01; }

const char* key_name(uint32_t key) {
  switch (key) {
    case kKeyFileFormatInfo: return "file format info";
    case kKeyEntryPoint: return "entry point";
    case kKeyImageBase: return "image base address";
    case kKeyImportLibraries: return "import libraries";
    case kKeyOriginalPeName: return "original PE name";
    case kKeyTlsInfo: return "TLS info";
    case kKeyDefaultStackSize: return "default stack size";
    case kKeySystemFlags: return "system flags";
    case kKeyExecutionInfo: return "execution info";
    default: return "optional header";
  }
}

// Parses the import libraries into `out`, checking every record against the image in `image`
// (host copy, image-relative) at guest address `base`.
void parse_imports(const Parser& p, const OptHeader& h, const std::vector<uint8_t>& image, uint32_t base,
                   std::vector<XexImport>& out) {
  const uint32_t off = h.data_off, size = h.data_size;
  const uint64_t end = uint64_t(off) + size;
  if (size < kImpHeaderSize)
    p.bad("import libraries size {} at offset 0x{:x} is smaller than its 12-byte header", size, off);
  const uint32_t strings_size = p.u32(off + 4, "import string table size", end);
  const uint32_t lib_count = p.u32(off + 8, "import library count", end);
  const uint64_t strings_off = uint64_t(off) + kImpHeaderSize;
  if (strings_size % 4 != 0 || strings_off + strings_size > end)
    p.bad("import string table size {} at offset 0x{:x} does not fit the {}-byte import libraries header",
          strings_size, off + 4, size);
  if (lib_count > 255) p.bad("import library count {} at offset 0x{:x} exceeds 255", lib_count, off + 8);

  // String table: NUL-terminated names, each padded to a multiple of 4 bytes.
  std::vector<std::string> names;
  for (uint64_t s = strings_off; s < strings_off + strings_size;) {
    const char* begin = p.b_.data() + s;
    const void* nul = std::memchr(begin, 0, size_t(strings_off + strings_size - s));
    if (!nul) p.bad("import library name at offset 0x{:x} is not NUL-terminated inside the string table", s);
    size_t len = size_t(static_cast<const char*>(nul) - begin);
    if (len == 0) {  // padding
      ++s;
      continue;
    }
    names.emplace_back(begin, len);
    s += (len + 1 + 3) & ~size_t(3);
  }
  if (names.size() < lib_count)
    p.bad("import string table at offset 0x{:x} holds {} names for {} libraries (count at offset 0x{:x})",
          strings_off, names.size(), lib_count, off + 8);

  uint64_t lib = strings_off + strings_size;
  const uint64_t image_end = uint64_t(base) + image.size();
  for (uint32_t li = 0; li < lib_count; ++li) {
    const uint32_t lib_size = p.u32(lib + kLibSize, "import library size", end);
    const uint16_t name_index = p.u16(lib + kLibNameIndex, "import library name index", end);
    const uint16_t count = p.u16(lib + kLibCount, "import library record count", end);
    if (lib_size != kLibRecords + 4u * count || lib + lib_size > end)
      p.bad("import library {} size {} at offset 0x{:x} does not match its {} records or overruns the "
            "import libraries header (ends at 0x{:x})", li, lib_size, lib, count, end);
    if (name_index >= names.size())
      p.bad("import library {} name index {} at offset 0x{:x} is outside the string table ({} names)", li,
            name_index, lib + kLibNameIndex, names.size());
    const std::string& module = names[name_index];
    for (uint32_t r = 0; r < count; ++r) {
      const uint64_t rec_off = lib + kLibRecords + 4ull * r;
      const uint32_t addr = p.u32(rec_off, "import record", end);
      if (addr % 4 != 0 || addr < base || uint64_t(addr) + 4 > image_end)
        p.bad("import library '{}' record {} at offset 0x{:x}: address 0x{:08x} is not an aligned word "
              "inside the image 0x{:08x}..0x{:08x}", module, r, rec_off, addr, base, image_end);
      const uint32_t word = load_be<uint32_t>(image.data() + (addr - base));
      const uint32_t type = word >> 24, index = (word >> 16) & 0xFF;
      const uint16_t ordinal = uint16_t(word & 0xFFFF);
      if (index != li)
        p.bad("import library '{}' record {} at offset 0x{:x}: the word at 0x{:08x} (0x{:08x}) names library "
              "index {}, expected {}", module, r, rec_off, addr, word, index, li);
      if (type == kRecordVariable) {
        out.push_back({module, ordinal, false, addr});
      } else if (type == kRecordThunk) {
        if (uint64_t(addr) + kThunkSize > image_end)
          p.bad("import library '{}' record {} at offset 0x{:x}: thunk 0x{:08x}+16 runs past the image end "
                "0x{:08x}", module, r, rec_off, addr, image_end);
        // Console linkers emit an import-address slot (type 0) followed by the function's thunk
        // (type 1) for the same ordinal: report the pair once, as the function.
        if (r > 0 && !out.empty() && !out.back().is_function && out.back().module == module &&
            out.back().ordinal == ordinal) {
          out.back().is_function = true;
          out.back().record_addr = addr;
        } else {
          out.push_back({module, ordinal, true, addr});
        }
      } else {
        p.bad("import library '{}' record {} at offset 0x{:x}: the word at 0x{:08x} (0x{:08x}) has record type "
              "{} (want 0 = variable or 1 = thunk)", module, r, rec_off, addr, word, type);
      }
    }
    lib += lib_size;
  }
}

}  // namespace

bool looks_like_xex(const std::string& bytes) {
  return bytes.size() >= 4 && load_be<uint32_t>(bytes.data()) == kMagic;
}

XexImage load_xex(const std::string& bytes, cpu::Memory& mem, const std::string& name) {
  Parser p(bytes, name);
  if (!looks_like_xex(bytes)) throw Error(name + ": not a XEX2 file (bad magic at offset 0)");
  const uint64_t file_size = bytes.size();

  // --- file header -------------------------------------------------------------------------
  const uint32_t module_flags = p.u32(kHdrModuleFlags, "module flags");
  const uint32_t pe_off = p.u32(kHdrPeDataOffset, "PE data offset");
  const uint32_t sec_off = p.u32(kHdrSecurityOffset, "security info offset");
  const uint32_t opt_count = p.u32(kHdrOptCount, "optional header count");
  if (module_flags & kModulePatchMask)
    p.bad("module flags 0x{:08x} at offset 0x{:x} mark a patch module, which is not supported", module_flags,
          kHdrModuleFlags);
  const uint64_t dir_end = kHdrSize + uint64_t(opt_count) * kOptEntrySize;
  if (dir_end > file_size)
    p.bad("optional header count {} at offset 0x{:x} does not fit in the file ({} bytes)", opt_count, kHdrOptCount,
          file_size);
  if (pe_off < dir_end || pe_off > file_size)
    p.bad("PE data offset 0x{:x} at offset 0x{:x} is outside 0x{:x}..0x{:x} (end of the optional header "
          "directory .. end of the file)", pe_off, kHdrPeDataOffset, dir_end, file_size);

  // --- optional headers ----------------------------------------------------------------------
  std::map<uint32_t, OptHeader> opts;
  for (uint32_t i = 0; i < opt_count; ++i) {
    OptHeader h;
    h.entry_off = kHdrSize + i * kOptEntrySize;
    h.key = p.u32(h.entry_off, "optional header key", pe_off);
    h.value = p.u32(h.entry_off + 4, "optional header value", pe_off);
    if (!key_is_inline(h.key)) {
      h.data_off = h.value;
      if (h.data_off < dir_end || h.data_off % 4 != 0)
        p.bad("{} (key 0x{:08x}) offset 0x{:x} at offset 0x{:x} is unaligned or inside the header directory",
              key_name(h.key), h.key, h.value, h.entry_off + 4);
      if ((h.key & 0xFF) == 0xFF && uint64_t(h.data_off) + 4 > pe_off)
        p.bad("{} (key 0x{:08x}) offset 0x{:x} at offset 0x{:x} lies past the end of the XEX headers (0x{:x})",
              key_name(h.key), h.key, h.data_off, h.entry_off + 4, pe_off);
      h.data_size = (h.key & 0xFF) == 0xFF ? p.u32(h.data_off, key_name(h.key), pe_off) : key_data_size(h.key);
      if (uint64_t(h.data_off) + h.data_size > pe_off)
        p.bad("{} (key 0x{:08x}) data 0x{:x}+0x{:x} (entry at offset 0x{:x}) runs past the end of the XEX "
              "headers (0x{:x})", key_name(h.key), h.key, h.data_off, h.data_size, h.entry_off, pe_off);
      if ((h.key & 0xFF) == 0xFF && h.data_size < 4)
        p.bad("{} (key 0x{:08x}) size {} at offset 0x{:x} is smaller than its own size field", key_name(h.key), h.key,
              h.data_size, h.data_off);
    }
    if (!opts.emplace(h.key, h).second)
      p.bad("optional header key 0x{:08x} at offset 0x{:x} appears twice", h.key, h.entry_off);
  }
  auto opt = [&](uint32_t key) -> const OptHeader* {
    auto it = opts.find(key);
    return it == opts.end() ? nullptr : &it->second;
  };

  // --- security info -------------------------------------------------------------------------
  if (sec_off < dir_end || sec_off % 4 != 0 || uint64_t(sec_off) + kSecPageDescs > pe_off)
    p.bad("security info offset 0x{:x} at offset 0x{:x}: the 0x{:x}-byte security info must lie aligned "
          "between the header directory (ends 0x{:x}) and the PE data offset 0x{:x}", sec_off, kHdrSecurityOffset,
          kSecPageDescs, dir_end, pe_off);
  const uint32_t sec_header_size = p.u32(sec_off + kSecHeaderSize, "security header size");
  const uint32_t image_size = p.u32(sec_off + kSecImageSize, "image size");
  const uint32_t image_flags = p.u32(sec_off + kSecImageFlags, "image flags");
  const uint32_t load_address = p.u32(sec_off + kSecLoadAddress, "load address");
  const uint32_t desc_count = p.u32(sec_off + kSecPageDescCount, "page descriptor count");
  if (sec_header_size != pe_off)
    p.bad("security header size 0x{:x} at offset 0x{:x} differs from the PE data offset 0x{:x}", sec_header_size,
          sec_off + kSecHeaderSize, pe_off);
  const uint64_t descs_off = uint64_t(sec_off) + kSecPageDescs;
  if (descs_off + uint64_t(desc_count) * kPageDescSize > pe_off)
    p.bad("page descriptor count {} at offset 0x{:x}: the descriptors run past the end of the XEX headers (0x{:x})",
          desc_count, sec_off + kSecPageDescCount, pe_off);
  const uint32_t page_size = (image_flags & kImageFlagPageSize4K) ? 0x1000 : 0x10000;
  if (image_size == 0 || image_size % page_size != 0)
    p.bad("image size 0x{:x} at offset 0x{:x} is not a non-zero multiple of the 0x{:x}-byte XEX page "
          "(image flags 0x{:08x})", image_size, sec_off + kSecImageSize, page_size, image_flags);
  if (load_address % page_size != 0 || load_address == 0 || uint64_t(load_address) + image_size > cpu::Memory::kSpaceSize)
    p.bad("load address 0x{:08x} at offset 0x{:x} with image size 0x{:x} is unaligned, zero or runs past the "
          "4 GiB guest space", load_address, sec_off + kSecLoadAddress, image_size);
  const uint32_t base = load_address;
  if (const OptHeader* h = opt(kKeyImageBase); h && h->value != base)
    p.bad("image base address 0x{:08x} (entry at offset 0x{:x}) differs from the security info's load address "
          "0x{:08x}", h->value, h->entry_off, base);

  std::vector<PageRun> runs;
  uint64_t pages_total = 0;
  for (uint32_t d = 0; d < desc_count; ++d) {
    const uint64_t doff = descs_off + uint64_t(d) * kPageDescSize;
    const uint32_t v = p.u32(doff, "page descriptor");
    const uint32_t type = v & 0xF, count = v >> 4;
    if (type < kSectionCode || type > kSectionReadOnly)
      p.bad("page descriptor {} at offset 0x{:x} has section type {} (want 1 code, 2 data, 3 read-only)", d, doff,
            type);
    if (count == 0) p.bad("page descriptor {} at offset 0x{:x} covers no pages", d, doff);
    if ((pages_total + count) * page_size > image_size)
      p.bad("page descriptor {} at offset 0x{:x} runs past the image size 0x{:x}", d, doff, image_size);
    runs.push_back({uint32_t(base + pages_total * page_size), count * page_size, type});
    pages_total += count;
  }
  if (pages_total * page_size != image_size)
    p.bad("page descriptors (offset 0x{:x}) cover 0x{:x} bytes, the image size at offset 0x{:x} is 0x{:x}", descs_off,
          pages_total * page_size, sec_off + kSecImageSize, image_size);

  // --- image data ----------------------------------------------------------------------------
  const OptHeader* ffi = opt(kKeyFileFormatInfo);
  if (!ffi)
    p.bad("the file format info header (key 0x{:08x}) is missing from the optional header directory (offset "
          "0x{:x}, {} entries)", kKeyFileFormatInfo, kHdrSize, opt_count);
  if (ffi->data_size < 8)
    p.bad("file format info size {} at offset 0x{:x} is smaller than 8", ffi->data_size, ffi->data_off);
  const uint16_t encryption = p.u16(ffi->data_off + 4, "encryption type");
  const uint16_t compression = p.u16(ffi->data_off + 6, "compression type");
  if (encryption != kEncryptionNone)
    p.bad("encryption type {} at offset 0x{:x}: only unencrypted images (0) are supported", encryption,
          ffi->data_off + 4);
  std::vector<uint8_t> image(image_size, 0);
  if (compression == kCompressionNone) {
    if (ffi->data_size != 8)
      p.bad("file format info size {} at offset 0x{:x}: an uncompressed image has an 8-byte info", ffi->data_size,
            ffi->data_off);
    if (uint64_t(pe_off) + image_size > file_size)
      p.bad("image data 0x{:x}+0x{:x} (PE data offset at offset 0x{:x}, image size at 0x{:x}) runs past the end "
            "of the file ({} bytes)", pe_off, image_size, kHdrPeDataOffset, sec_off + kSecImageSize, file_size);
    std::memcpy(image.data(), bytes.data() + pe_off, image_size);
  } else if (compression == kCompressionBasic) {
    if ((ffi->data_size - 8) % 8 != 0)
      p.bad("file format info size {} at offset 0x{:x} is not 8 + 8 * block count", ffi->data_size, ffi->data_off);
    uint64_t src = pe_off, dst = 0;
    for (uint32_t blk = 0; blk < (ffi->data_size - 8) / 8; ++blk) {
      const uint64_t boff = uint64_t(ffi->data_off) + 8 + blk * 8ull;
      const uint32_t data_size = p.u32(boff, "basic compression data size");
      const uint32_t zero_size = p.u32(boff + 4, "basic compression zero size");
      if (src + data_size > file_size)
        p.bad("basic compression block {} (at offset 0x{:x}): data 0x{:x}+0x{:x} runs past the end of the file "
              "({} bytes)", blk, boff, src, data_size, file_size);
      if (dst + data_size + zero_size > image_size)
        p.bad("basic compression block {} (at offset 0x{:x}) expands past the image size 0x{:x}", blk, boff,
              image_size);
      std::memcpy(image.data() + dst, bytes.data() + src, data_size);
      src += data_size;
      dst += uint64_t(data_size) + zero_size;
    }
  } else {
    p.bad("compression type {} at offset 0x{:x}: only none (0) and basic (1) are supported", compression,
          ffi->data_off + 6);
  }

  XexImage img;
  img.base = base;
  img.image_size = image_size;
  auto section_of = [&](uint32_t addr) -> const PageRun* {
    for (const PageRun& r : runs)
      if (addr >= r.addr && addr - r.addr < r.size) return &r;
    return nullptr;
  };

  const OptHeader* ep = opt(kKeyEntryPoint);
  if (!ep)
    p.bad("the entry point header (key 0x{:08x}) is missing from the optional header directory (offset 0x{:x}, "
          "{} entries)", kKeyEntryPoint, kHdrSize, opt_count);
  img.entry = ep->value;
  {
    const PageRun* r = section_of(img.entry);
    if (img.entry % 4 != 0 || !r || r->type != kSectionCode || img.entry - r->addr > r->size - 4)
      p.bad("entry point 0x{:08x} (entry at offset 0x{:x}) is not an aligned address inside a code section of the "
            "image 0x{:08x}..0x{:08x}", img.entry, ep->entry_off, base, uint64_t(base) + image_size);
  }

  img.stack_size = kDefaultStackSize;
  if (const OptHeader* h = opt(kKeyDefaultStackSize)) {
    if (h->value == 0 || h->value > 0x10000000)
      p.bad("default stack size 0x{:x} (entry at offset 0x{:x}) is zero or larger than 256 MiB", h->value,
            h->entry_off);
    img.stack_size = h->value;
  }

  if (const OptHeader* h = opt(kKeyTlsInfo)) {
    img.tls_slots = p.u32(h->data_off, "TLS slot count");
    img.tls_raw_addr = p.u32(h->data_off + 4, "TLS raw data address");
    img.tls_data_size = p.u32(h->data_off + 8, "TLS data size");
    img.tls_raw_size = p.u32(h->data_off + 12, "TLS raw data size");
    if (img.tls_slots > 4096)
      p.bad("TLS slot count {} at offset 0x{:x} exceeds 4096", img.tls_slots, h->data_off);
    if (img.tls_raw_size > img.tls_data_size)
      p.bad("TLS raw data size 0x{:x} at offset 0x{:x} exceeds the TLS data size 0x{:x}", img.tls_raw_size,
            h->data_off + 12, img.tls_data_size);
    if (img.tls_raw_size != 0 &&
        (img.tls_raw_addr < base || uint64_t(img.tls_raw_addr) + img.tls_raw_size > uint64_t(base) + image_size))
      p.bad("TLS raw data 0x{:08x}+0x{:x} at offset 0x{:x} lies outside the image", img.tls_raw_addr, img.tls_raw_size,
            h->data_off + 4);
  }

  img.name = name;
  if (const OptHeader* h = opt(kKeyOriginalPeName)) {
    const char* s = bytes.data() + h->data_off + 4;
    size_t max = h->data_size - 4;
    const void* nul = std::memchr(s, 0, max);
    if (!nul || nul == s)
      p.bad("original PE name at offset 0x{:x} is empty or not NUL-terminated within its {} bytes", h->data_off + 4,
            max);
    img.name.assign(s, static_cast<const char*>(nul));
  }

  if (const OptHeader* h = opt(kKeyImportLibraries)) parse_imports(p, *h, image, base, img.imports);

  // --- commit and copy (nothing above touched `mem`) -----------------------------------------
  for (uint64_t a = base; a < uint64_t(base) + image_size; a += cpu::Memory::kPageSize)
    if (mem.is_committed(uint32_t(a)))
      fail("{}: cannot load the XEX image at 0x{:08x}..0x{:08x}: guest page 0x{:08x} is already in use", name, base,
           uint64_t(base) + image_size, a);
  for (const PageRun& r : runs) {
    uint8_t prot = r.type == kSectionCode ? cpu::kProtRX : r.type == kSectionData ? cpu::kProtRW : cpu::kProtRead;
    if (!mem.commit(r.addr, r.size, prot))
      fail("{}: cannot commit the XEX section at 0x{:08x}+0x{:x}", name, r.addr, r.size);
  }
  mem.write_bytes_raw(base, image.data(), image_size);
  return img;
}

}  // namespace hexad::loader
