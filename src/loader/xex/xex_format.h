// XEX2 layout constants shared by the loader (xex_loader.cc) and the packer (tools/xexpack).
// All fields are big-endian. See docs/xex2.md for the layout and its sources.
#pragma once
#include <cstdint>

namespace hexad::xex {

constexpr uint32_t kMagic = 0x58455832;  // "XEX2"
// Other magics of the XEX family: earlier formats and patch files, reported as unsupported.
constexpr uint32_t kMagicXex1 = 0x58455831, kMagicXex0 = 0x58455830, kMagicXexPercent = 0x58455825,
                   kMagicXexDash = 0x5845582D, kMagicXexPatch = 0x58455850;  // XEX1 XEX0 XEX% XEX- XEXP

// File header (24 bytes), followed by `header_count` optional-header entries {key, value}.
constexpr uint32_t kHdrMagic = 0x00, kHdrModuleFlags = 0x04, kHdrPeDataOffset = 0x08, kHdrReserved = 0x0C,
                   kHdrSecurityOffset = 0x10, kHdrOptCount = 0x14, kHdrSize = 0x18;
constexpr uint32_t kOptEntrySize = 8;

// Module flags.
constexpr uint32_t kModuleTitle = 0x01, kModuleExportsToTitle = 0x02, kModuleSystemDebugger = 0x04, kModuleDll = 0x08,
                   kModulePatch = 0x10, kModulePatchFull = 0x20, kModulePatchDelta = 0x40, kModuleUserMode = 0x80;
constexpr uint32_t kModulePatchMask = kModulePatch | kModulePatchFull | kModulePatchDelta;

// Optional-header keys. The low byte tells where the data is: 0x00 = the entry's value is the
// datum; 0x01 = the entry's value is a 4-byte datum; 0xFF = the value is a file offset (from the
// start of the file) of data whose first u32 is its own total size; other N = the value is a file
// offset of N*4 bytes of data.
// Key values as listed in xenia's xex2_info.h (xex2_header_keys).
constexpr uint32_t kKeyResourceInfo = 0x000002FF;
constexpr uint32_t kKeyFileFormatInfo = 0x000003FF;
constexpr uint32_t kKeyDeltaPatchDescriptor = 0x000005FF;
constexpr uint32_t kKeyBaseReference = 0x00000405;
constexpr uint32_t kKeyBoundingPath = 0x000080FF;
constexpr uint32_t kKeyDeviceId = 0x00008105;
constexpr uint32_t kKeyOriginalBaseAddress = 0x00010001;
constexpr uint32_t kKeyEntryPoint = 0x00010100;
constexpr uint32_t kKeyImageBase = 0x00010201;
constexpr uint32_t kKeyImportLibraries = 0x000103FF;
constexpr uint32_t kKeyChecksumTimestamp = 0x00018002;
constexpr uint32_t kKeyEnabledForCallcap = 0x00018102;
constexpr uint32_t kKeyEnabledForFastcap = 0x00018200;
constexpr uint32_t kKeyOriginalPeName = 0x000183FF;
constexpr uint32_t kKeyStaticLibraries = 0x000200FF;
constexpr uint32_t kKeyTlsInfo = 0x00020104;
constexpr uint32_t kKeyDefaultStackSize = 0x00020200;
constexpr uint32_t kKeyDefaultFsCacheSize = 0x00020301;
constexpr uint32_t kKeyDefaultHeapSize = 0x00020401;
constexpr uint32_t kKeyPageHeapSizeAndFlags = 0x00028002;
constexpr uint32_t kKeySystemFlags = 0x00030000;
constexpr uint32_t kKeyExecutionInfo = 0x00040006;
constexpr uint32_t kKeyTitleWorkspaceSize = 0x00040201;
constexpr uint32_t kKeyGameRatings = 0x00040310;
constexpr uint32_t kKeyLanKey = 0x00040404;
constexpr uint32_t kKeyXbox360Logo = 0x000405FF;
constexpr uint32_t kKeyMultidiscMediaIds = 0x000406FF;
constexpr uint32_t kKeyAlternateTitleIds = 0x000407FF;
constexpr uint32_t kKeyAdditionalTitleMemory = 0x00040801;
constexpr uint32_t kKeyExportsByName = 0x00E10402;
// hexad's own key, absent from console images: an inline value 32 marks code compiled for the
// processor's 32-bit mode (the SDK's -m32 titles, docs/sdk.md "Execution environment"). Without
// it a title runs in 64-bit mode (MSR[SF]=1), as every console title does. xexpack writes it
// unless told `--code-mode 64`; id 0x4858 ("HX") is not used by any key xenia lists.
constexpr uint32_t kKeyHexadCodeMode = 0x00485801;

// File format info: u32 info_size, u16 encryption, u16 compression, then for basic compression
// (info_size - 8) / 8 blocks of {u32 data_size, u32 zero_size}.
// Normal (LZX) compression: u32 window size, then the first block's {u32 size, 20-byte SHA-1}.
// Each block starts with the next block's {size, SHA-1}, then chunks {u16 size, bytes} ending
// with a zero size; the chunks of all blocks together are one LZX stream.
constexpr uint16_t kEncryptionNone = 0, kEncryptionNormal = 1;
constexpr uint16_t kCompressionNone = 0, kCompressionBasic = 1, kCompressionNormal = 2, kCompressionDelta = 3;
constexpr uint32_t kFfiHeaderSize = 8, kFfiBasicBlockSize = 8;
constexpr uint32_t kFfiWindowSize = 8, kFfiFirstBlockSize = 12, kFfiFirstBlockHash = 16, kFfiNormalSize = 36;
constexpr uint32_t kLzxBlockInfoSize = 24;  // u32 next block size + 20-byte SHA-1 of the next block
constexpr uint32_t kSha1Size = 20;
constexpr uint32_t kLzxMinWindow = 0x8000, kLzxMaxWindow = 0x200000;  // LZX windows: 2^15 .. 2^21 bytes

// Security info (at the header's security offset).
constexpr uint32_t kSecHeaderSize = 0x000, kSecImageSize = 0x004, kSecRsaSignature = 0x008,
                   kSecInfoSize = 0x108, kSecImageFlags = 0x10C, kSecLoadAddress = 0x110,
                   kSecImportTableCount = 0x128, kSecMediaId = 0x140, kSecExportTable = 0x160, kSecRegion = 0x178,
                   kSecAllowedMedia = 0x17C, kSecPageDescCount = 0x180, kSecPageDescs = 0x184;
constexpr uint32_t kSecImageKey = 0x150;     // the file's AES key, encrypted with the retail or devkit key
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

// Resource info: u32 size, then (size - 4) / 16 entries {char name[8], u32 address, u32 size}.
constexpr uint32_t kResourceEntrySize = 16;
// Static libraries: u32 size, then (size - 4) / 16 entries {char name[8], u16 major, minor,
// build, u8 approval type, u8 qfe}.
constexpr uint32_t kStaticLibraryEntrySize = 16;

constexpr uint32_t kDefaultStackSize = 256 * 1024;
// The largest image hexad loads: the console has 512 MiB of memory in all, and no title's image
// comes near this (it also bounds the host buffers a hostile file can make the loader allocate).
constexpr uint32_t kMaxImageSize = 256u << 20;

}  // namespace hexad::xex
