#include "loader/xex/xex_loader.h"

#include <cstring>

#include "cpu/memory.h"
#include "loader/xex/xex_format.h"
#include "loader/xex/xex_parser.h"

namespace hexad::loader {

namespace {

using namespace hexad::xex;
using detail::find_opt;
using detail::OptHeader;
using detail::OptHeaders;
using detail::Parser;

uint32_t key_data_size(uint32_t key) { return (key & 0xFF) * 4; }
bool key_is_inline(uint32_t key) { return (key & 0xFF) == 0x00 || (key & 0xFF) == 0x01; }

const char* key_label(uint32_t key) {
  const char* n = xex_key_name(key);
  return *n ? n : "optional header";
}

// The XEX family's other magics: named, not loaded.
void reject_other_formats(const std::string& bytes, const std::string& name) {
  const uint32_t magic = load_be<uint32_t>(bytes.data());
  const char* what = magic == kMagicXexPatch ? "a delta patch (XEXP), which hexad does not apply; load the base title"
                     : magic == kMagicXex1   ? "an XEX1 image (pre-release format); hexad loads XEX2"
                     : magic == kMagicXex0 || magic == kMagicXexPercent || magic == kMagicXexDash
                         ? "an early XEX format (XEX0, XEX% or XEX-); hexad loads XEX2"
                         : nullptr;
  if (what) throw Error(fmt::format("{}: unsupported XEX: magic '{}' at offset 0 marks {}", name, bytes.substr(0, 4), what));
}

// The optional-header directory, each offset-type datum bounds-checked against the headers.
OptHeaders read_directory(const Parser& p, uint32_t opt_count, uint64_t dir_end, uint32_t pe_off, XexHeaders& h) {
  OptHeaders opts;
  for (uint32_t i = 0; i < opt_count; ++i) {
    OptHeader o;
    o.entry_off = kHdrSize + i * kOptEntrySize;
    o.key = p.u32(o.entry_off, "optional header key", pe_off);
    o.value = p.u32(o.entry_off + 4, "optional header value", pe_off);
    if (!key_is_inline(o.key)) {
      o.data_off = o.value;
      if (o.data_off < dir_end)
        p.bad("{} (key 0x{:08x}) offset 0x{:x} at offset 0x{:x} lies inside the file header or directory",
              key_label(o.key), o.key, o.value, o.entry_off + 4);
      if ((o.key & 0xFF) == 0xFF && uint64_t(o.data_off) + 4 > pe_off)
        p.bad("{} (key 0x{:08x}) offset 0x{:x} at offset 0x{:x} lies past the end of the XEX headers (0x{:x})",
              key_label(o.key), o.key, o.data_off, o.entry_off + 4, pe_off);
      o.data_size = (o.key & 0xFF) == 0xFF ? p.u32(o.data_off, key_label(o.key), pe_off) : key_data_size(o.key);
      if (uint64_t(o.data_off) + o.data_size > pe_off)
        p.bad("{} (key 0x{:08x}) data 0x{:x}+0x{:x} (entry at offset 0x{:x}) runs past the end of the XEX "
              "headers (0x{:x})", key_label(o.key), o.key, o.data_off, o.data_size, o.entry_off, pe_off);
      if ((o.key & 0xFF) == 0xFF && o.data_size < 4)
        p.bad("{} (key 0x{:08x}) size {} at offset 0x{:x} is smaller than its own size field", key_label(o.key), o.key,
              o.data_size, o.data_off);
    }
    if (!opts.emplace(o.key, o).second)
      p.bad("optional header key 0x{:08x} at offset 0x{:x} appears twice", o.key, o.entry_off);
    h.keys.push_back(o.key);
  }
  return opts;
}

// The security info and its page descriptors; sets the base (image base header, else the load
// address, as the console's loader does).
void read_security(const Parser& p, const OptHeaders& opts, uint64_t dir_end, XexImage& img) {
  XexHeaders& h = img.headers;
  const uint32_t sec_off = h.security_offset, pe_off = h.pe_data_offset;
  if (sec_off < dir_end || uint64_t(sec_off) + kSecPageDescs > pe_off)
    p.bad("security info offset 0x{:x} at offset 0x{:x}: the 0x{:x}-byte security info must lie between the header "
          "directory (ends 0x{:x}) and the PE data offset 0x{:x}", sec_off, kHdrSecurityOffset, kSecPageDescs, dir_end,
          pe_off);
  h.security_header_size = p.u32(sec_off + kSecHeaderSize, "security header size");
  const uint32_t image_size = p.u32(sec_off + kSecImageSize, "image size");
  h.image_flags = p.u32(sec_off + kSecImageFlags, "image flags");
  h.load_address = p.u32(sec_off + kSecLoadAddress, "load address");
  h.export_table = p.u32(sec_off + kSecExportTable, "export table address");
  h.region = p.u32(sec_off + kSecRegion, "game regions");
  h.allowed_media = p.u32(sec_off + kSecAllowedMedia, "allowed media");
  const uint32_t desc_count = p.u32(sec_off + kSecPageDescCount, "page descriptor count");
  const uint64_t descs_off = uint64_t(sec_off) + kSecPageDescs;
  if (descs_off + uint64_t(desc_count) * kPageDescSize > pe_off)
    p.bad("page descriptor count {} at offset 0x{:x}: the descriptors run past the end of the XEX headers (0x{:x})",
          desc_count, sec_off + kSecPageDescCount, pe_off);
  h.page_size = (h.image_flags & kImageFlagPageSize4K) ? 0x1000 : 0x10000;
  if (image_size == 0 || image_size % h.page_size != 0 || image_size > kMaxImageSize)
    p.bad("image size 0x{:x} at offset 0x{:x} is not a non-zero multiple of the 0x{:x}-byte XEX page up to 0x{:x} "
          "(image flags 0x{:08x})", image_size, sec_off + kSecImageSize, h.page_size, kMaxImageSize, h.image_flags);
  uint32_t base = h.load_address;
  uint64_t base_field = sec_off + kSecLoadAddress;
  if (const OptHeader* o = find_opt(opts, kKeyImageBase)) {
    h.image_base_header = o->value;
    base = o->value;
    base_field = o->entry_off + 4;
  }
  if (base % h.page_size != 0 || base == 0 || uint64_t(base) + image_size > cpu::Memory::kSpaceSize)
    p.bad("image base 0x{:08x} at offset 0x{:x} with image size 0x{:x} is unaligned, zero or runs past the 4 GiB "
          "guest space", base, base_field, image_size);
  img.base = base;
  img.image_size = image_size;

  uint64_t pages_total = 0;
  for (uint32_t d = 0; d < desc_count; ++d) {
    const uint64_t doff = descs_off + uint64_t(d) * kPageDescSize;
    const uint32_t v = p.u32(doff, "page descriptor");
    const uint32_t type = v & 0xF, count = v >> 4;
    if (type < kSectionCode || type > kSectionReadOnly)
      p.bad("page descriptor {} at offset 0x{:x} has section type {} (want 1 code, 2 data, 3 read-only)", d, doff,
            type);
    if (count == 0) p.bad("page descriptor {} at offset 0x{:x} covers no pages", d, doff);
    if ((pages_total + count) * h.page_size > image_size)
      p.bad("page descriptor {} at offset 0x{:x} runs past the image size 0x{:x}", d, doff, image_size);
    h.pages.push_back({uint32_t(base + pages_total * h.page_size), count * h.page_size, type});
    pages_total += count;
  }
  if (pages_total * h.page_size != image_size)
    p.bad("page descriptors (offset 0x{:x}) cover 0x{:x} bytes, the image size at offset 0x{:x} is 0x{:x}", descs_off,
          pages_total * h.page_size, sec_off + kSecImageSize, image_size);
}

}  // namespace

bool looks_like_xex(const std::string& bytes) {
  return bytes.size() >= 4 && load_be<uint32_t>(bytes.data()) == kMagic;
}

bool looks_like_xex_family(const std::string& bytes) {
  if (bytes.size() < 4) return false;
  const uint32_t m = load_be<uint32_t>(bytes.data());
  return m == kMagic || m == kMagicXex1 || m == kMagicXex0 || m == kMagicXexPercent || m == kMagicXexDash ||
         m == kMagicXexPatch;
}

XexImage read_xex(const std::string& bytes, const std::string& name, std::vector<uint8_t>* image_out) {
  Parser p(bytes, name);
  if (bytes.size() >= 4) reject_other_formats(bytes, name);
  if (!looks_like_xex(bytes)) throw Error(name + ": not a XEX2 file (bad magic at offset 0)");
  const uint64_t file_size = bytes.size();
  XexImage img;
  img.name = name;
  XexHeaders& h = img.headers;

  // --- file header -------------------------------------------------------------------------
  h.module_flags = p.u32(kHdrModuleFlags, "module flags");
  h.pe_data_offset = p.u32(kHdrPeDataOffset, "PE data offset");
  h.security_offset = p.u32(kHdrSecurityOffset, "security info offset");
  const uint32_t opt_count = p.u32(kHdrOptCount, "optional header count");
  const uint32_t pe_off = h.pe_data_offset;
  if (h.module_flags & kModulePatchMask)
    p.unsupported("module flags 0x{:08x} at offset 0x{:x} mark a {} patch (XEXP), which hexad does not apply; load "
                  "the base title", h.module_flags, kHdrModuleFlags,
                  (h.module_flags & kModulePatchDelta) ? "delta" : "full");
  const uint64_t dir_end = kHdrSize + uint64_t(opt_count) * kOptEntrySize;
  if (dir_end > file_size)
    p.bad("optional header count {} at offset 0x{:x} does not fit in the file ({} bytes)", opt_count, kHdrOptCount,
          file_size);
  if (pe_off < dir_end || pe_off > file_size)
    p.bad("PE data offset 0x{:x} at offset 0x{:x} is outside 0x{:x}..0x{:x} (end of the optional header "
          "directory .. end of the file)", pe_off, kHdrPeDataOffset, dir_end, file_size);

  const OptHeaders opts = read_directory(p, opt_count, dir_end, pe_off, h);
  if (const OptHeader* o = find_opt(opts, kKeyDeltaPatchDescriptor))
    p.unsupported("the delta patch descriptor (key 0x{:08x}, entry at offset 0x{:x}) marks a patch (XEXP), which "
                  "hexad does not apply; load the base title", o->key, o->entry_off);
  read_security(p, opts, dir_end, img);

  // --- image data ----------------------------------------------------------------------------
  const OptHeader* ffi = find_opt(opts, kKeyFileFormatInfo);
  if (!ffi)
    p.bad("the file format info header (key 0x{:08x}) is missing from the optional header directory (offset "
          "0x{:x}, {} entries)", kKeyFileFormatInfo, kHdrSize, opt_count);
  std::vector<uint8_t> image;
  detail::decode_image(p, *ffi, h, img.image_size, h.security_offset, image);
  const std::string pe_error = pe::parse_headers(image.data(), image.size(), h.pe);
  if (!pe_error.empty())
    p.bad("the PE image decoded from offset 0x{:x}{}: {}", pe_off,
          h.encryption == kEncryptionNormal ? (h.key == XexKey::Retail ? " (retail key)" : " (devkit key)") : "",
          pe_error);

  // --- entry point and the title's headers ---------------------------------------------------
  const OptHeader* ep = find_opt(opts, kKeyEntryPoint);
  if (!ep)
    p.bad("the entry point header (key 0x{:08x}) is missing from the optional header directory (offset 0x{:x}, "
          "{} entries)", kKeyEntryPoint, kHdrSize, opt_count);
  img.entry = ep->value;
  const XexPageRun* run = nullptr;
  for (const XexPageRun& r : h.pages)
    if (img.entry >= r.addr && img.entry - r.addr < r.size) run = &r;
  if (img.entry % 4 != 0 || !run || run->type != kSectionCode || img.entry - run->addr > run->size - 4)
    p.bad("entry point 0x{:08x} (entry at offset 0x{:x}) is not an aligned address inside a code section of the "
          "image 0x{:08x}..0x{:08x}", img.entry, ep->entry_off, img.base, uint64_t(img.base) + img.image_size);
  detail::parse_title_headers(p, opts, img);
  if (const OptHeader* o = find_opt(opts, kKeyImportLibraries))
    detail::parse_imports(p, *o, image, img.base, h.libraries, img.imports);
  img.header_bytes.assign(bytes.begin(), bytes.begin() + pe_off);
  if (image_out) *image_out = std::move(image);
  return img;
}

XexImage load_xex(const std::string& bytes, cpu::Memory& mem, const std::string& name) {
  std::vector<uint8_t> image;
  XexImage img = read_xex(bytes, name, &image);
  // --- commit and copy (nothing before touched `mem`) ----------------------------------------
  for (uint64_t a = img.base; a < uint64_t(img.base) + img.image_size; a += cpu::Memory::kPageSize)
    if (mem.is_committed(uint32_t(a)))
      fail("{}: cannot load the XEX image at 0x{:08x}..0x{:08x}: guest page 0x{:08x} is already in use", name, img.base,
           uint64_t(img.base) + img.image_size, a);
  for (const XexPageRun& r : img.headers.pages) {
    uint8_t prot = r.type == kSectionCode ? cpu::kProtRX : r.type == kSectionData ? cpu::kProtRW : cpu::kProtRead;
    if (!mem.commit(r.addr, r.size, prot)) fail("{}: cannot commit the XEX section at 0x{:08x}+0x{:x}", name, r.addr, r.size);
  }
  mem.write_bytes_raw(img.base, image.data(), img.image_size);
  return img;
}

}  // namespace hexad::loader
