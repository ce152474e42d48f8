// XEX2 layout constants shared by the loader (xex_loader.cc) and the packer (tools/xexpack).
// All fields are big-endian. See docs/xex2.md for the layout and its sources.
#pragma once
#include <cstdint>

namespace hexad::xex {

constexpr uint32_t kMagic = 0x58455832;  // "XEX2"

// File header (24 bytes), followed by `header_count` optional-header entries {key, value}.
constexpr uint32_t kHdrMagic = 0x00, kHdrModuleFlags = 0x04, kHdrPeDataOffset = 0x08, kHdrReserved = 0x0C,
                   kHdrSecurityOffset = 0x10, kHdrOptCount = 0x14, kHdrSize = 0x18;
constexpr uint32_t kOptEntrySize = 8;

// Module flags.
constexpr uint32_t kModuleTitle = 0x01, kModulePatchMask = 0x10 | 0x20 | 0x40;

// Optional-header keys. The low byte tells where the data is: 0x00 = the entry's value is the
// datum; 0x01 = the entry's value is a 4-byte datum; 0xFF = the value is a file offset (from the
// start of the file) of data whose first u32 is its own total size; other N = the value is a file
// offset of N*4 bytes of data.
constexpr uint32_t kKeyFileFormatInfo = 0x000003FF;
constexpr uint32_t kKeyEntryPoint = 0x00010100;
constexpr uint32_t kKeyImageBase = 0x00010201;
constexpr uint32_t kKeyImportLibraries = 0x000103FF;
constexpr uint32_t kKeyOriginalPeName = 0x000183FF;
constexpr uint32_t kKeyTlsInfo = 0x00020104;
constexpr uint32_t kKeyDefaultStackSize = 0x00020200;
constexpr uint32_t kKeySystemFlags = 0x00030000;
constexpr uint32_t kKeyExecutionInfo = 0x00040006;

// File format info: u32 info_size, u16 encryption, u16 compression, then for basic compression
// (info_size - 8) / 8 blocks of {u32 data_size, u32 zero_size}.
constexpr uint16_t kEncryptionNone = 0;
constexpr uint16_t kCompressionNone = 0, kCompressionBasic = 1;

// Security info (at the header's security offset).
constexpr uint32_t kSecHeaderSize = 0x000, kSecImageSize = 0x004, kSecRsaSignature = 0x008,
                   kSecInfoSize = 0x108, kSecImageFlags = 0x10C, kSecLoadAddress = 0x110,
                   kSecImportTableCount = 0x128, kSecExportTable = 0x160, kSecRegion = 0x178,
                   kSecAllowedMedia = 0x17C, kSecPageDescCount = 0x180, kSecPageDescs = 0x184;
constexpr uint32_t kSecInfoSizeValue = 0x174;  // what consoles store in the info-size field
constexpr uint32_t kPageDescSize = 24;         // u32 (page_count << 4 | type), 20-byte digest
constexpr uint32_t kImageFlagPageSize4K = 0x10000000;  // else pages are 64 KiB
constexpr uint32_t kSectionCode = 1, kSectionData = 2, kSectionReadOnly = 3;

// TLS info (16 bytes): slot count, raw data address, data size, raw data size.
// Execution info (24 bytes): media id, version, base version, title id, platform,
// executable table, disc number, disc count (u8 each), savegame id.

// Import libraries: u32 total size, u32 string-table size, u32 library count, the string table
// (NUL-terminated names, each padded to a multiple of 4 bytes), then the libraries.
// Library: u32 size, 20-byte digest, u32 id, u32 version, u32 min version, u16 name index,
// u16 record count, then record_count u32 record addresses.
constexpr uint32_t kImpHeaderSize = 12;
constexpr uint32_t kLibSize = 0x00, kLibDigest = 0x04, kLibId = 0x18, kLibVersion = 0x1C,
                   kLibMinVersion = 0x20, kLibNameIndex = 0x24, kLibCount = 0x26, kLibRecords = 0x28;

// A record address points at a 32-bit word in the image: type << 24 | library index << 16 |
// ordinal. Type 0: a variable slot (or, when followed by a type-1 record of the same ordinal, the
// import-address slot of a function); type 1: a 16-byte function thunk.
constexpr uint32_t kRecordVariable = 0, kRecordThunk = 1;
constexpr uint32_t kThunkSize = 16;

constexpr uint32_t kDefaultStackSize = 256 * 1024;

}  // namespace hexad::xex
