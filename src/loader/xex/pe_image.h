// The PE image inside a XEX (its "basefile"): as on the console, the decoded XEX image is a PE
// file laid out as in memory — DOS header ("MZ"), PE headers, section table, and each section at
// its RVA. PE headers are little-endian. Shared by the loader (which reads the sections) and
// tools/xexpack (which writes them).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hexad::pe {

constexpr uint16_t kDosMagic = 0x5A4D;       // "MZ"
constexpr uint32_t kDosHeaderSize = 0x40, kDosLfanew = 0x3C;
constexpr uint32_t kPeSignature = 0x00004550;  // "PE\0\0"
constexpr uint16_t kMachinePowerPcBe = 0x01F2;   // the Xbox 360's PE machine type
constexpr uint16_t kOptMagicPe32 = 0x010B;
constexpr uint16_t kSubsystemXbox = 14;
constexpr uint16_t kFileExecutable = 0x0002, kFile32BitMachine = 0x0100;
// COFF file header (after the 4-byte signature), 20 bytes.
constexpr uint32_t kCoffMachine = 0, kCoffSectionCount = 2, kCoffTimestamp = 4, kCoffOptSize = 16,
                   kCoffCharacteristics = 18, kCoffSize = 20;
// PE32 optional header (224 bytes with its 16 data directories).
constexpr uint32_t kOptMagic = 0, kOptSizeOfCode = 4, kOptEntry = 16, kOptBaseOfCode = 20, kOptBaseOfData = 24,
                   kOptImageBase = 28, kOptSectionAlign = 32, kOptFileAlign = 36, kOptMajorSubsystem = 48,
                   kOptSizeOfImage = 56, kOptSizeOfHeaders = 60, kOptSubsystem = 68, kOptRvaCount = 92,
                   kOptMinSize = 96, kOptSize = 224;
// Section header, 40 bytes.
constexpr uint32_t kSecName = 0, kSecVirtualSize = 8, kSecRva = 12, kSecRawSize = 16, kSecRawOffset = 20,
                   kSecCharacteristics = 36, kSecSize = 40;
constexpr uint32_t kScnCode = 0x20, kScnInitData = 0x40, kScnUninitData = 0x80, kScnExecute = 0x20000000,
                   kScnRead = 0x40000000, kScnWrite = 0x80000000;
constexpr uint32_t kMaxSections = 96;  // the PE format's limit

struct Section {
  std::string name;  // up to 8 characters
  uint32_t rva = 0, virtual_size = 0, raw_offset = 0, raw_size = 0, flags = 0;
};

struct Headers {
  uint32_t nt_offset = 0;  // e_lfanew: where "PE\0\0" is
  uint16_t machine = 0, subsystem = 0, characteristics = 0;
  uint32_t entry_rva = 0, image_base = 0, size_of_image = 0, size_of_headers = 0;
  std::vector<Section> sections;
};

// Reads the PE headers at the start of a decoded image of `size` bytes and checks that every
// section lies inside it. Returns "" or what is wrong, naming the field and its image offset.
std::string parse_headers(const uint8_t* image, size_t size, Headers& out);

}  // namespace hexad::pe
