// XEX2 executables (the console's format): plain, encrypted (AES-128-CBC under the retail or
// devkit key), uncompressed, basic- or normal (LZX)-compressed, each carrying a PE image. See
// docs/xex2.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loader/xex/pe_image.h"

namespace hexad::cpu {
class Memory;
}

namespace hexad::loader {

struct XexImport {
  std::string module;    // the import library's name as stored, e.g. "xboxkrnl.exe", "xam.xex"
  uint16_t ordinal;
  bool is_function;      // true: record_addr is a 16-byte thunk; false: a 4-byte variable slot
  uint32_t record_addr;  // guest address of the thunk or slot
};

// A version as the console packs it: major:4 minor:4 build:16 qfe:8 (from the top bit).
struct XexVersion {
  uint32_t raw = 0;
  uint32_t major() const { return raw >> 28; }
  uint32_t minor() const { return (raw >> 24) & 0xF; }
  uint32_t build() const { return (raw >> 8) & 0xFFFF; }
  uint32_t qfe() const { return raw & 0xFF; }
  std::string str() const;  // "2.0.17559.0"
};

struct XexLibrary {          // one import library (key 0x000103FF)
  std::string name;
  uint32_t id = 0;
  XexVersion version, min_version;
  uint32_t record_count = 0;
};

struct XexStaticLibrary {    // one static library the title linked (key 0x000200FF)
  std::string name;
  uint16_t major = 0, minor = 0, build = 0;
  uint8_t approval = 0, qfe = 0;
};

struct XexResource {         // one resource (key 0x000002FF)
  std::string name;
  uint32_t address = 0, size = 0;
};

struct XexExecutionInfo {    // key 0x00040006
  uint32_t media_id = 0;
  XexVersion version, base_version;
  uint32_t title_id = 0;
  uint8_t platform = 0, executable_table = 0, disc_number = 0, disc_count = 0;
  uint32_t savegame_id = 0;
};

struct XexPageRun {          // from the security info's page descriptors
  uint32_t addr = 0, size = 0, type = 0;  // type: 1 code, 2 data, 3 read-only data
};

enum class XexKey : uint8_t { None, Retail, Devkit };  // the master key that decrypted the file

// Everything else the loader read from the headers, for the kernel and `hexad info`.
struct XexHeaders {
  uint32_t module_flags = 0;
  uint32_t pe_data_offset = 0, security_offset = 0, security_header_size = 0;
  uint32_t load_address = 0;                 // security info; the image base header wins if present
  std::optional<uint32_t> image_base_header;
  uint32_t image_flags = 0, page_size = 0, export_table = 0, region = 0, allowed_media = 0;
  uint16_t encryption = 0, compression = 0;  // xex::kEncryption*, xex::kCompression*
  XexKey key = XexKey::None;
  uint32_t lzx_window_size = 0;              // normal compression
  uint32_t data_blocks = 0;                  // basic: zero-run blocks; normal: LZX blocks in the chain
  std::optional<XexExecutionInfo> execution;
  std::optional<uint32_t> system_flags, default_heap_size, default_fs_cache_size, title_workspace_size,
      additional_title_memory, original_base_address;
  std::optional<uint32_t> checksum, timestamp;  // key 0x00018002
  std::optional<uint32_t> page_heap_size, page_heap_flags;  // key 0x00028002
  std::string original_pe_name;
  std::vector<XexLibrary> libraries;
  std::vector<XexStaticLibrary> static_libraries;
  std::vector<XexResource> resources;
  std::vector<XexPageRun> pages;
  std::vector<uint32_t> keys;                // every optional-header key, in file order
  pe::Headers pe;                            // the PE image's headers and sections
};

struct XexImage {
  std::string name;  // the original PE name header if present, else the name passed to load_xex
  uint32_t base = 0, image_size = 0, entry = 0, stack_size = 0;
  uint32_t tls_slots = 0, tls_data_size = 0, tls_raw_addr = 0, tls_raw_size = 0;
  // The processor mode the code needs: 64-bit (the console's) unless the hexad code-mode header
  // says 32 (xex_format.h kKeyHexadCodeMode).
  bool sixty_four_bit = true;
  std::vector<XexImport> imports;  // in file order: library by library, record by record
  XexHeaders headers;
  // The file's XEX headers as stored (its first pe_data_offset bytes): the kernel keeps a copy
  // in guest memory, as the console does, for RtlImageXexHeaderField and the module's loader entry.
  std::vector<uint8_t> header_bytes;
};

// Validates the whole file (decrypting and decompressing its image), then commits the image's
// pages in `mem` (code pages RX, read-only data R, data RW, as the page descriptors say) and
// copies the image. Thunks and variable slots are left as in the file: the kernel rewrites them
// (with Memory::write_bytes_raw, since thunks live in read-only pages). Throws hexad::Error
// naming the bad field and its file offset; `mem` is untouched when it throws.
XexImage load_xex(const std::string& bytes, cpu::Memory& mem, const std::string& name);

// The same checks and decoding without guest memory (`hexad info`, xexpack's round trip). When
// `image_out` is given it receives the decoded image (image_size bytes).
XexImage read_xex(const std::string& bytes, const std::string& name, std::vector<uint8_t>* image_out = nullptr);

// True when the file starts with the XEX2 magic.
bool looks_like_xex(const std::string& bytes);
// True when the file starts with any magic of the XEX family (XEX2, XEX1, XEX0, XEX%, XEX-,
// XEXP): `hexad run` sends these to the XEX loader, which names the unsupported ones.
bool looks_like_xex_family(const std::string& bytes);

// The name of an optional-header key ("execution info"), or "" when hexad does not know it.
const char* xex_key_name(uint32_t key);

}  // namespace hexad::loader
