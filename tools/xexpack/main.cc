// xexpack: packs a guest SDK title (a static 32-bit big-endian PowerPC ELF linked with
// sdk/xex.ld) into a XEX2 file (plain, encrypted and/or compressed) carrying a PE image, then loads the result with the emulator's own XEX
// loader as a check. See docs/sdk.md.
#include <cstdio>
#include <fstream>
#include <string>

#include "base/hexad_error.h"
#include "cpu/memory.h"
#include "elf_input.h"
#include "loader/xex/xex_loader.h"
#include "pe_writer.h"
#include "xex_writer.h"

namespace {

constexpr const char* kUsage =
    "usage: xexpack [options] in.elf out.xex\n"
    "       xexpack --info file.xex\n"
    "options:\n"
    "  --encrypt none|retail|devkit    AES-128-CBC under a file key stored encrypted with the retail or\n"
    "                      devkit key (default none)\n"
    "  --compress none|basic|normal    basic: zero runs elided; normal: LZX blocks in a SHA-1 chain\n"
    "                      (default none)\n"
    "  --stack-size N      default stack size of the main thread (default 262144)\n"
    "  --title-id N        title id in the execution info (default 0x48580000)\n"
    "  --tls-slots N       TLS slot count (default 64)\n"
    "  --name NAME         original PE name header (default: the input's file name)\n"
    "  --system-flags N    system flags header (default 0)\n"
    "  --module-flags N    module flags of the XEX header (default 1, a title; 8 is a DLL, whose\n"
    "                      entry point XexLoadImage calls as DllMain)\n"
    "  --resource NAME     a resource NAME (up to 8 bytes) over the read-only data segment\n"
    "  --code-mode 32|64   the processor mode the code needs (default 32, the SDK's -m32 code):\n"
    "                      32 writes hexad's code-mode header; 64 writes none, as console images\n";

uint32_t parse_u32(const std::string& s, const char* what) {
  try {
    size_t used = 0;
    unsigned long v = std::stoul(s, &used, 0);
    if (used == s.size() && v <= 0xFFFFFFFFul) return uint32_t(v);
  } catch (const std::exception&) {
  }
  hexad::fail("xexpack: bad {} '{}'", what, s);
}

void print_info(const hexad::loader::XexImage& x) {
  std::printf("name %s\nbase 0x%08x\nimage_size 0x%x\nentry 0x%08x\nstack_size 0x%x\n", x.name.c_str(), x.base,
              x.image_size, x.entry, x.stack_size);
  std::printf("tls slots %u data_size 0x%x raw 0x%08x+0x%x\n", x.tls_slots, x.tls_data_size, x.tls_raw_addr,
              x.tls_raw_size);
  for (const auto& i : x.imports)
    std::printf("import %s 0x%03x %s 0x%08x\n", i.module.c_str(), i.ordinal, i.is_function ? "function" : "variable",
                i.record_addr);
}

int run(int argc, char** argv) {
  hexad::xexpack::XexOptions opt;
  std::vector<std::string> files;
  bool info = false, name_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) hexad::fail("xexpack: {} needs a value", a);
      return argv[++i];
    };
    if (a == "--encrypt") {
      const std::string v = value();
      if (v == "none") opt.encryption = hexad::xexpack::Encryption::None;
      else if (v == "retail") opt.encryption = hexad::xexpack::Encryption::Retail;
      else if (v == "devkit") opt.encryption = hexad::xexpack::Encryption::Devkit;
      else hexad::fail("xexpack: --encrypt takes none, retail or devkit, not '{}'", v);
    } else if (a == "--compress") {
      const std::string v = value();
      if (v == "none") opt.compression = hexad::xexpack::Compression::None;
      else if (v == "basic") opt.compression = hexad::xexpack::Compression::Basic;
      else if (v == "normal") opt.compression = hexad::xexpack::Compression::Normal;
      else hexad::fail("xexpack: --compress takes none, basic or normal, not '{}'", v);
    } else if (a == "--info") info = true;
    else if (a == "--stack-size") opt.stack_size = parse_u32(value(), "stack size");
    else if (a == "--title-id") opt.title_id = parse_u32(value(), "title id");
    else if (a == "--tls-slots") opt.tls_slots = parse_u32(value(), "TLS slot count");
    else if (a == "--name") opt.pe_name = value(), name_given = true;
    else if (a == "--code-mode") {
      const std::string v = value();
      if (v != "32" && v != "64") hexad::fail("xexpack: --code-mode takes 32 or 64, not '{}'", v);
      opt.code_mode = v == "32" ? 32 : 64;
    }
    else if (a == "--system-flags") opt.system_flags = parse_u32(value(), "system flags");
    else if (a == "--module-flags") opt.module_flags = parse_u32(value(), "module flags");
    else if (a == "--resource") opt.resource = value();
    else if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (!a.empty() && a[0] == '-') hexad::fail("xexpack: unknown option '{}'", a);
    else files.push_back(a);
  }
  if (info) {
    if (files.size() != 1) hexad::fail("xexpack: --info takes one file\n{}", kUsage);
    hexad::cpu::Memory mem;
    print_info(hexad::loader::load_xex(hexad::read_file(files[0]), mem, files[0]));
    return 0;
  }
  if (files.size() != 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (!name_given) {
    opt.pe_name = files[0].substr(files[0].find_last_of('/') + 1);
  }
  hexad::xexpack::TitleImage img = hexad::xexpack::read_title_elf(hexad::read_file(files[0]), files[0]);
  hexad::xexpack::add_pe_headers(img);
  std::string xex = hexad::xexpack::build_xex(img, opt);
  {
    // Check the result with the emulator's loader before writing it: it must decode (decrypt,
    // decompress) to exactly the image packed.
    std::vector<uint8_t> decoded;
    hexad::loader::XexImage x = hexad::loader::read_xex(xex, files[1], &decoded);
    if (x.imports.size() != img.imports.size() || x.entry != img.entry || x.base != img.base || decoded != img.bytes)
      hexad::fail("xexpack: internal error: the written XEX does not load back as packed");
  }
  std::ofstream out(files[1], std::ios::binary | std::ios::trunc);
  out.write(xex.data(), std::streamsize(xex.size()));
  out.close();
  if (!out) hexad::fail("xexpack: cannot write '{}'", files[1]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const hexad::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
