#include "loader/xex/pe_image.h"

#include <cstring>

#include <fmt/format.h>

namespace hexad::pe {

namespace {

uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }
uint32_t le32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }

}  // namespace

std::string parse_headers(const uint8_t* image, size_t size, Headers& out) {
  if (size < kDosHeaderSize || le16(image) != kDosMagic)
    return "the image does not start with a DOS header (\"MZ\" at image offset 0x0): wrong key, corrupt data, or not "
           "a PE image";
  out.nt_offset = le32(image + kDosLfanew);
  const uint64_t nt = out.nt_offset;
  if (nt < kDosHeaderSize || nt % 4 != 0 || nt + 4 + kCoffSize > size || le32(image + nt) != kPeSignature)
    return fmt::format("e_lfanew 0x{:x} at image offset 0x{:x} does not point at a \"PE\\0\\0\" signature inside the "
                       "image", out.nt_offset, kDosLfanew);
  const uint8_t* coff = image + nt + 4;
  out.machine = le16(coff + kCoffMachine);
  out.characteristics = le16(coff + kCoffCharacteristics);
  const uint16_t sections = le16(coff + kCoffSectionCount), opt_size = le16(coff + kCoffOptSize);
  const uint64_t opt = nt + 4 + kCoffSize;
  if (opt_size < kOptMinSize || opt + opt_size > size)
    return fmt::format("optional header size {} at image offset 0x{:x} is below {} or runs past the image", opt_size,
                       nt + 4 + kCoffOptSize, kOptMinSize);
  if (le16(image + opt + kOptMagic) != kOptMagicPe32)
    return fmt::format("optional header magic 0x{:04x} at image offset 0x{:x} is not PE32 (0x10b)",
                       le16(image + opt + kOptMagic), opt);
  out.entry_rva = le32(image + opt + kOptEntry);
  out.image_base = le32(image + opt + kOptImageBase);
  out.size_of_image = le32(image + opt + kOptSizeOfImage);
  out.size_of_headers = le32(image + opt + kOptSizeOfHeaders);
  out.subsystem = le16(image + opt + kOptSubsystem);
  const uint64_t table = opt + opt_size;
  if (sections > kMaxSections || table + uint64_t(sections) * kSecSize > size)
    return fmt::format("section count {} at image offset 0x{:x} exceeds {} or the section table runs past the image",
                       sections, nt + 4 + kCoffSectionCount, kMaxSections);
  out.sections.clear();
  for (uint32_t i = 0; i < sections; ++i) {
    const uint8_t* s = image + table + uint64_t(i) * kSecSize;
    Section sec;
    sec.name.assign(reinterpret_cast<const char*>(s + kSecName), strnlen(reinterpret_cast<const char*>(s), 8));
    sec.virtual_size = le32(s + kSecVirtualSize);
    sec.rva = le32(s + kSecRva);
    sec.raw_size = le32(s + kSecRawSize);
    sec.raw_offset = le32(s + kSecRawOffset);
    sec.flags = le32(s + kSecCharacteristics);
    if (uint64_t(sec.rva) + sec.virtual_size > size)
      return fmt::format("section {} ('{}') at image offset 0x{:x}: RVA 0x{:x} + size 0x{:x} lies outside the 0x{:x}-byte "
                         "image", i, sec.name, table + uint64_t(i) * kSecSize, sec.rva, sec.virtual_size, size);
    out.sections.push_back(std::move(sec));
  }
  return "";
}

}  // namespace hexad::pe
