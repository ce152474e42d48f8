// Builds an unencrypted XEX2 file from a title image (see docs/xex2.md for the layout written).
#pragma once
#include <cstdint>
#include <string>

#include "elf_input.h"

namespace hexad::xexpack {

struct XexOptions {
  bool basic_compression = false;  // store zero runs as basic-compression blocks instead of bytes
  uint32_t stack_size = 256 * 1024;
  uint32_t title_id = 0x48580000;  // "HX" 0000
  uint32_t tls_slots = 64;
  std::string pe_name;             // original PE name header
};

// Rewrites the import words in `img` to name their XEX import library index, then returns the file.
std::string build_xex(TitleImage& img, const XexOptions& opt);

}  // namespace hexad::xexpack
