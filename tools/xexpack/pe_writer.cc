#include "pe_writer.h"

#include <cstring>

#include "base/hexad_error.h"
#include "loader/xex/pe_image.h"
#include "loader/xex/xex_format.h"

namespace hexad::xexpack {

namespace {

constexpr uint32_t kHeaderPage = 0x1000;
constexpr uint32_t kPfX = 1, kPfW = 2;

void le16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v);
  p[1] = uint8_t(v >> 8);
}
void le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}

}  // namespace

void add_pe_headers(TitleImage& img) {
  using namespace hexad::pe;
  if (img.base < kHeaderPage) fail("xexpack: the title's base 0x{:08x} leaves no room for the PE headers below it", img.base);
  const uint32_t nt = 0x80;  // e_lfanew: after the DOS header and room for a stub
  const uint32_t opt = nt + 4 + kCoffSize, table = opt + kOptSize;
  if (table + img.segments.size() * kSecSize > kHeaderPage) fail("xexpack: too many segments for the PE header page");
  std::vector<uint8_t> h(kHeaderPage, 0);
  le16(h.data(), kDosMagic);
  le32(h.data() + kDosLfanew, nt);
  le32(h.data() + nt, kPeSignature);
  uint8_t* coff = h.data() + nt + 4;
  le16(coff + kCoffMachine, kMachinePowerPcBe);
  le16(coff + kCoffSectionCount, uint16_t(img.segments.size()));
  le16(coff + kCoffOptSize, kOptSize);
  le16(coff + kCoffCharacteristics, kFileExecutable | kFile32BitMachine);

  const uint32_t base = img.base - kHeaderPage;
  const uint32_t size_of_image = uint32_t(img.bytes.size()) + kHeaderPage;
  uint32_t code_size = 0, base_of_code = 0, base_of_data = 0;
  for (size_t i = 0; i < img.segments.size(); ++i) {
    const TitleSegment& s = img.segments[i];
    const char* name = (s.flags & kPfX) ? ".text" : (s.flags & kPfW) ? ".data" : ".rdata";
    const uint32_t flags = (s.flags & kPfX) ? kScnCode | kScnExecute | kScnRead
                           : (s.flags & kPfW) ? kScnInitData | kScnRead | kScnWrite
                                              : kScnInitData | kScnRead;
    const uint32_t rva = s.vaddr - base;
    uint8_t* sh = h.data() + table + i * kSecSize;
    std::memcpy(sh + kSecName, name, std::strlen(name));
    le32(sh + kSecVirtualSize, s.memsz);
    le32(sh + kSecRva, rva);
    le32(sh + kSecRawSize, s.filesz);
    le32(sh + kSecRawOffset, rva);  // the basefile is laid out as in memory
    le32(sh + kSecCharacteristics, flags);
    if (s.flags & kPfX) {
      code_size += s.memsz;
      if (!base_of_code) base_of_code = rva;
    } else if (!base_of_data) {
      base_of_data = rva;
    }
  }
  uint8_t* o = h.data() + opt;
  le16(o + kOptMagic, kOptMagicPe32);
  le32(o + kOptSizeOfCode, code_size);
  le32(o + kOptEntry, img.entry - base);
  le32(o + kOptBaseOfCode, base_of_code);
  le32(o + kOptBaseOfData, base_of_data);
  le32(o + kOptImageBase, base);
  le32(o + kOptSectionAlign, kHeaderPage);
  le32(o + kOptFileAlign, kHeaderPage);
  le16(o + kOptMajorSubsystem, 2);
  le32(o + kOptSizeOfImage, size_of_image);
  le32(o + kOptSizeOfHeaders, kHeaderPage);
  le16(o + kOptSubsystem, kSubsystemXbox);
  le32(o + kOptRvaCount, 16);

  img.bytes.insert(img.bytes.begin(), h.begin(), h.end());
  img.page_type.insert(img.page_type.begin(), uint8_t(xex::kSectionReadOnly));
  img.base = base;
}

}  // namespace hexad::xexpack
