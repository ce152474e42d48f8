// Builds a XEX2 file from a title image, in any of the forms the loader reads (see docs/xex2.md
// "What xexpack writes").
#pragma once
#include <cstdint>
#include <string>

#include "elf_input.h"

namespace hexad::xexpack {

enum class Encryption { None, Retail, Devkit };  // devkit/retail: the file key's master key
enum class Compression { None, Basic, Normal };

struct XexOptions {
  Encryption encryption = Encryption::None;
  Compression compression = Compression::None;
  uint32_t stack_size = 256 * 1024;
  uint32_t title_id = 0x48580000;  // "HX" 0000
  uint32_t tls_slots = 64;
  std::string pe_name;             // original PE name header
  uint32_t code_mode = 32;         // 32: write the hexad code-mode header; 64: none, as console images
  uint32_t module_flags = 1;       // XEX header module flags (1: a title, 8: a DLL)
  uint32_t system_flags = 0;       // system flags header (privileges: XexCheckExecutablePrivilege)
  std::string resource;            // if set: a resource of this name (up to 8 bytes) over the read-only data
};

// Rewrites the import words in `img` to name their XEX import library index, then returns the file.
std::string build_xex(TitleImage& img, const XexOptions& opt);

}  // namespace hexad::xexpack
