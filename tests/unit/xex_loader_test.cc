// XEX2 loader: a synthetic XEX built here (independently of tools/xexpack) and, when the cross
// compiler is installed, the SDK's example title packed by xexpack (sdk/examples/minimal.c).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "base/endian.h"
#include "base/hexad_error.h"
#include "cpu/memory.h"
#include "loader/xex/xex_loader.h"

using hexad::loader::load_xex;
using hexad::loader::looks_like_xex;
using hexad::loader::XexImage;
using hexad::loader::XexImport;

namespace {

constexpr uint32_t kBase = 0x82000000;
constexpr uint32_t kImageSize = 0x3000;  // page 0 PE headers and code, page 1 read-only, page 2 data
constexpr uint32_t kEntry = kBase + 0x400;
constexpr uint32_t kTrap = 0x7FE00008;

void put32(std::string& s, size_t off, uint32_t v) { hexad::store_be<uint32_t>(s.data() + off, v); }
void put_le(std::string& s, size_t off, uint32_t v, int n) {
  for (int i = 0; i < n; ++i) s[off + i] = char(v >> (8 * i));
}

// The PE headers at the start of the image (little-endian, as on the console): DOS header,
// "PE\0\0" at 0x200, COFF and PE32 optional headers, one section covering the image.
void put_pe_headers(std::string& img) {
  put_le(img, 0x00, 0x5A4D, 2);       // "MZ"
  put_le(img, 0x3C, 0x200, 4);        // e_lfanew
  put_le(img, 0x200, 0x00004550, 4);  // "PE\0\0"
  put_le(img, 0x204, 0x01F2, 2);      // machine: PowerPC big-endian
  put_le(img, 0x206, 1, 2);           // one section
  put_le(img, 0x214, 224, 2);         // optional header size
  put_le(img, 0x216, 0x0102, 2);      // executable, 32-bit
  put_le(img, 0x218, 0x010B, 2);      // PE32
  put_le(img, 0x218 + 16, 0x400, 4);  // entry RVA
  put_le(img, 0x218 + 28, kBase, 4);  // image base
  put_le(img, 0x218 + 68, 14, 2);     // subsystem: Xbox
  const size_t sec = 0x218 + 224;
  std::memcpy(&img[sec], ".text", 5);
  put_le(img, sec + 8, kImageSize, 4);   // virtual size
  put_le(img, sec + 36, 0x60000020, 4);  // code, execute, read
}

// A small XEX2 written field by field, recording where each field went so tests can corrupt it.
struct Synth {
  std::string bytes;
  std::map<std::string, size_t> at;  // field name -> file offset
  std::string image;                  // the expected image contents (after import words)
};

// `extras`: also the headers retail titles carry that SDK titles do not (resources, static
// libraries, heap size, system flags, checksum and timestamp).
Synth make_xex(bool basic, bool extras = false) {
  Synth s;
  std::string& f = s.bytes;
  auto u32 = [&](uint32_t v) {
    size_t o = f.size();
    f.resize(o + 4);
    put32(f, o, v);
    return o;
  };
  auto align = [&](size_t a) { f.resize((f.size() + a - 1) / a * a, '\0'); };

  // The image: code, a read-only page with a string, a data page with variable slots.
  std::string img(kImageSize, '\0');
  put_pe_headers(img);
  put32(img, 0x400, 0x7C0802A6);  // mflr r0 at the entry
  put32(img, 0x404, 0x4E800020);  // blr
  auto thunk = [&](uint32_t off, uint32_t word) {
    put32(img, off, word);
    for (int i = 1; i < 4; ++i) put32(img, off + 4 * i, kTrap);
  };
  thunk(0x100, 0x01000003);              // xboxkrnl DbgPrint thunk
  thunk(0x110, 0x010101A9);              // xam XamLoaderTerminateTitle thunk
  thunk(0x120, 0x010000CF);              // xboxkrnl NtClose thunk, console style (paired below)
  std::memcpy(&img[0x1000], "read-only", 9);
  put32(img, 0x2000, 0x00000158);        // xboxkrnl XboxKrnlVersion variable slot
  put32(img, 0x2004, 0x000000CF);        // import-address slot of NtClose (paired with 0x120)
  put32(img, 0x2100, 0x11223344);        // data
  s.image = img;

  const uint32_t opt_count = extras ? 13 : 8;
  u32(0x58455832);
  s.at["module_flags"] = u32(1);
  s.at["pe_offset"] = u32(0);
  u32(0);
  s.at["sec_offset"] = u32(0);
  s.at["opt_count"] = u32(opt_count);
  const size_t dir = f.size();
  f.resize(dir + opt_count * 8);
  size_t entry = dir;
  auto inline_opt = [&](const std::string& name, uint32_t key, uint32_t value) {
    put32(f, entry, key);
    put32(f, entry + 4, value);
    s.at[name + "_key"] = entry;
    s.at[name] = entry + 4;
    entry += 8;
  };
  auto offset_opt = [&](const std::string& name, uint32_t key) {
    align(8);
    put32(f, entry, key);
    put32(f, entry + 4, uint32_t(f.size()));
    s.at[name + "_key"] = entry;
    s.at[name + "_ptr"] = entry + 4;
    s.at[name] = f.size();
    entry += 8;
  };

  offset_opt("ffi", 0x000003FF);
  std::vector<std::pair<uint32_t, uint32_t>> blocks;
  if (basic) blocks = {{0x410, 0xBF0}, {0x10, 0xFF0}, {0x104, 0xEFC}};
  u32(uint32_t(8 + 8 * blocks.size()));
  s.at["encryption"] = f.size();  // both written as one word: encryption << 16 | compression
  s.at["compression"] = f.size();
  f.append("\0\0", 2);
  f.append(basic ? std::string("\0\1", 2) : std::string("\0\0", 2));
  for (auto [d, z] : blocks) {
    u32(d);
    u32(z);
  }
  inline_opt("entry", 0x00010100, kEntry);
  inline_opt("image_base", 0x00010201, kBase);

  offset_opt("imports", 0x000103FF);
  const size_t imp = f.size();
  u32(0);  // total size, set below
  s.at["string_table_size"] = u32(24);
  s.at["lib_count"] = u32(2);
  f.append("xboxkrnl.exe\0\0\0\0xam.xex\0", 24);
  // Library 0: xboxkrnl, records: thunk, variable, console-style pair (slot then thunk).
  s.at["lib0"] = f.size();
  u32(0x28 + 4 * 4);
  f.append(20, '\0');
  u32(0);
  u32(0x20000000);
  u32(0x20000000);
  s.at["lib0_name_index"] = f.size();
  f.append("\0\0\0\4", 4);
  s.at["lib0_rec0"] = u32(kBase + 0x100);
  s.at["lib0_rec1"] = u32(kBase + 0x2000);
  s.at["lib0_rec2"] = u32(kBase + 0x2004);
  s.at["lib0_rec3"] = u32(kBase + 0x120);
  // Library 1: xam.
  s.at["lib1"] = f.size();
  u32(0x28 + 4);
  f.append(20, '\0');
  u32(0);
  u32(0x20000000);
  u32(0x20000000);
  f.append("\0\1\0\1", 4);
  s.at["lib1_rec0"] = u32(kBase + 0x110);
  put32(f, imp, uint32_t(f.size() - imp));

  offset_opt("pe_name", 0x000183FF);
  u32(16);
  f.append("synth.exe\0\0\0", 12);
  offset_opt("tls", 0x00020104);
  u32(64);
  s.at["tls_raw_addr"] = u32(kBase + 0x2100);
  u32(0x20);
  s.at["tls_raw_size"] = u32(0x10);
  inline_opt("stack", 0x00020200, 0x10000);
  offset_opt("exec", 0x00040006);
  u32(0x1234ABCD);  // media id
  u32(0x10020304);  // version 1.0.515.4
  u32(0x10000000);  // base version 1.0.0.0
  u32(0x4D5307E6);  // title id
  f.append("\0\0\1\2", 4);  // platform, executable table, disc 1 of 2
  u32(0x55667788);  // savegame id
  if (extras) {
    offset_opt("resources", 0x000002FF);
    u32(4 + 2 * 16);
    f.append("4D5307E6", 8);
    u32(kBase + 0x1000);
    u32(0x10);
    f.append("strings\0", 8);
    s.at["resource1_addr"] = u32(kBase + 0x2100);
    u32(0x20);
    offset_opt("static_libs", 0x000200FF);
    u32(4 + 16);
    f.append("XAPILIB\0", 8);
    f.append("\0\2\0\0\x44\x97\x40\x01", 8);  // 2.0.17559, approval 0x40, qfe 1
    inline_opt("heap", 0x00020401, 0x00100000);
    inline_opt("system_flags", 0x00030000, 0x00000401);
    offset_opt("checksum", 0x00018002);
    u32(0xC0FFEE00);
    u32(0x4A5B6C7D);
  }
  REQUIRE(entry == dir + opt_count * 8);

  align(8);
  const size_t sec = f.size();
  put32(f, s.at["sec_offset"], uint32_t(sec));
  f.resize(sec + 0x184 + 3 * 24, '\0');
  s.at["sec"] = sec;
  s.at["sec_header_size"] = sec;
  s.at["image_size"] = sec + 4;
  put32(f, sec + 4, kImageSize);
  s.at["image_flags"] = sec + 0x10C;
  put32(f, sec + 0x10C, 0x10000000);
  s.at["load_address"] = sec + 0x110;
  put32(f, sec + 0x110, kBase);
  s.at["desc_count"] = sec + 0x180;
  put32(f, sec + 0x180, 3);
  s.at["desc0"] = sec + 0x184;
  put32(f, sec + 0x184, 1 << 4 | 1);
  s.at["desc1"] = sec + 0x184 + 24;
  put32(f, sec + 0x184 + 24, 1 << 4 | 3);
  s.at["desc2"] = sec + 0x184 + 48;
  put32(f, sec + 0x184 + 48, 1 << 4 | 2);
  align(0x1000);
  put32(f, s.at["pe_offset"], uint32_t(f.size()));
  put32(f, sec, uint32_t(f.size()));
  s.at["image"] = f.size();
  // The PE headers' fields (little-endian; the first basic block holds them at the same offsets).
  s.at["pe_mz"] = f.size();
  s.at["pe_lfanew"] = f.size() + 0x3C;
  s.at["pe_section_size"] = f.size() + 0x218 + 224 + 8;
  if (basic) {
    size_t src = 0;
    for (auto [d, z] : blocks) {
      f.append(img, src, d);
      src += d + z;
    }
    REQUIRE(src == kImageSize);
  } else {
    f += img;
  }
  return s;
}

// Loads `bytes` expecting hexad::Error; returns its message. Fails the test on success or on any
// other exception. `mem` must be left untouched.
std::string load_error(const std::string& bytes, hexad::cpu::Memory& mem) {
  try {
    load_xex(bytes, mem, "t.xex");
  } catch (const hexad::Error& e) {
    return e.what();
  }
  FAIL("load_xex accepted a corrupt file");
  return {};
}

bool image_committed(const hexad::cpu::Memory& mem) {
  for (uint32_t a = kBase; a < kBase + kImageSize; a += 0x1000)
    if (mem.is_committed(a)) return true;
  return false;
}

}  // namespace

TEST_CASE("xex: synthetic uncompressed and basic-compressed files load identically") {
  for (bool basic : {false, true}) {
    INFO("basic compression " << basic);
    Synth s = make_xex(basic);
    REQUIRE(looks_like_xex(s.bytes));
    hexad::cpu::Memory mem;
    XexImage x = load_xex(s.bytes, mem, "given-name.xex");
    CHECK(x.name == "synth.exe");
    CHECK(x.base == kBase);
    CHECK(x.image_size == kImageSize);
    CHECK(x.entry == kEntry);
    CHECK(x.stack_size == 0x10000);
    CHECK(x.headers.pe.machine == 0x01F2);
    REQUIRE(x.headers.pe.sections.size() == 1);
    CHECK(x.headers.pe.sections[0].name == ".text");
    CHECK(x.headers.pe.sections[0].virtual_size == kImageSize);
    REQUIRE(x.headers.libraries.size() == 2);
    CHECK(x.headers.libraries[0].name == "xboxkrnl.exe");
    CHECK(x.headers.libraries[0].version.str() == "2.0.0.0");
    CHECK(x.headers.libraries[1].record_count == 1);
    CHECK(x.tls_slots == 64);
    CHECK(x.tls_raw_addr == kBase + 0x2100);
    CHECK(x.tls_data_size == 0x20);
    CHECK(x.tls_raw_size == 0x10);
    // File order; the console-style slot+thunk pair for NtClose is reported once, as the thunk.
    REQUIRE(x.imports.size() == 4);
    CHECK(std::tie(x.imports[0].module, x.imports[0].ordinal, x.imports[0].is_function, x.imports[0].record_addr) ==
          std::make_tuple(std::string("xboxkrnl.exe"), uint16_t(0x003), true, kBase + 0x100));
    CHECK(std::tie(x.imports[1].module, x.imports[1].ordinal, x.imports[1].is_function, x.imports[1].record_addr) ==
          std::make_tuple(std::string("xboxkrnl.exe"), uint16_t(0x158), false, kBase + 0x2000));
    CHECK(std::tie(x.imports[2].module, x.imports[2].ordinal, x.imports[2].is_function, x.imports[2].record_addr) ==
          std::make_tuple(std::string("xboxkrnl.exe"), uint16_t(0x0CF), true, kBase + 0x120));
    CHECK(std::tie(x.imports[3].module, x.imports[3].ordinal, x.imports[3].is_function, x.imports[3].record_addr) ==
          std::make_tuple(std::string("xam.xex"), uint16_t(0x1A9), true, kBase + 0x110));
    // Image contents and page protections from the descriptors.
    std::string got(kImageSize, '\0');
    std::memcpy(got.data(), mem.host(kBase), kImageSize);
    CHECK(got == s.image);
    CHECK(mem.prot(kBase) == hexad::cpu::kProtRX);
    CHECK(mem.prot(kBase + 0x1000) == hexad::cpu::kProtRead);
    CHECK(mem.prot(kBase + 0x2000) == hexad::cpu::kProtRW);
    CHECK_FALSE(mem.is_committed(kBase + kImageSize));
    CHECK_FALSE(mem.is_committed(kBase - 0x1000));
    // Loading again over the same pages is refused, naming the address.
    CHECK_THAT(load_error(s.bytes, mem), Catch::Contains("already in use"));
  }
  CHECK_FALSE(looks_like_xex("XEX"));
  CHECK_FALSE(looks_like_xex(std::string("\x7f" "ELF....", 8)));
}

TEST_CASE("xex: every truncation of the file is rejected with an error") {
  for (bool basic : {false, true}) {
    Synth s = make_xex(basic);
    hexad::cpu::Memory mem;
    for (size_t len = 0; len < s.bytes.size(); ++len) {
      INFO("basic " << basic << " truncated to " << len << " bytes");
      std::string msg = load_error(s.bytes.substr(0, len), mem);
      CHECK_FALSE(msg.empty());
      if (len >= 4) CHECK_THAT(msg, Catch::Contains("t.xex: malformed XEX: "));
      REQUIRE_FALSE(image_committed(mem));
    }
  }
}

TEST_CASE("xex: corrupted fields are rejected naming the field and its offset") {
  struct Case {
    const char* field;  // key into Synth::at
    uint32_t value;
    const char* expect;  // substring of the message
  };
  const Case cases[] = {
      {"module_flags", 0x11, "unsupported XEX: module flags 0x00000011 at offset 0x4 mark a full patch (XEXP)"},
      {"module_flags", 0x41, "mark a delta patch (XEXP)"},
      {"opt_count", 0xFFFFFFFF, "optional header count 4294967295 at offset 0x14"},
      {"opt_count", 0x10000, "optional header count 65536 at offset 0x14"},
      {"pe_offset", 0, "PE data offset 0x0 at offset 0x8"},
      {"pe_offset", 0xFFFFFF00, "PE data offset 0xffffff00 at offset 0x8"},
      {"sec_offset", 0, "security info offset 0x0 at offset 0x10"},
      {"sec_offset", 0xFFFFFFF0, "security info offset 0xfffffff0 at offset 0x10"},
      {"sec_offset", 0x1FE, "image size 0x0 at offset 0x202"},
      {"ffi_ptr", 0xFFFFFFF0, "file format info (key 0x000003ff) offset 0xfffffff0 at offset 0x1c"},
      {"ffi_ptr", 0, "file format info (key 0x000003ff) offset 0x0"},
      {"ffi_key", 0x000004FF, "file format info header (key 0x000003ff) is missing"},
      {"imports_ptr", 0x00000FF8, "import libraries (key 0x000103ff) size 0 at offset 0xff8"},
      {"imports_ptr", 0x7FFFFFFC, "import libraries (key 0x000103ff) offset 0x7ffffffc at offset 0x"},
      {"pe_name_ptr", 0x7FFFFFFC, "original PE name (key 0x000183ff) offset 0x7ffffffc at offset 0x"},
      {"tls_ptr", 0xFFFFFFFC, "TLS info (key 0x00020104) data"},
      {"exec_ptr", 0xFFFFFFFC, "execution info (key 0x00040006) data"},
      {"entry_key", 0x00010201, "appears twice"},
      {"entry_key", 0x00010000, "entry point header (key 0x00010100) is missing"},
      {"entry", kBase + 0x1000, "entry point 0x82001000"},
      {"entry", kBase + 0x3000, "entry point 0x82003000"},
      {"entry", kBase + 2, "entry point 0x82000002"},
      {"image_base", kBase + 0x10000, "entry point 0x82000400"},  // the image base header wins
      {"image_base", 0, "image base 0x00000000 at offset 0x"},
      {"image_base", kBase + 0x800, "image base 0x82000800 at offset 0x"},
      {"stack", 0, "default stack size 0x0"},
      {"encryption", 0x00010000, "decrypts it to neither a PE image (\"MZ\") with the retail key nor with the devkit key"},
      {"encryption", 0x00020000, "encryption type 2 at offset 0x"},
      {"compression", 0x00000002, "smaller than the 36 bytes of normal (LZX) compression info"},
      {"compression", 0x00000003, "unsupported XEX: compression type 3 at offset 0x"},
      {"compression", 0x00000004, "compression type 4 at offset 0x"},
      {"image_size", 0, "image size 0x0"},
      {"image_size", 0x2000, "runs past the image size 0x2000"},
      {"image_size", 0x4000, "cover 0x3000 bytes"},
      {"image_size", 0xFFFFF000, "image size 0xfffff000 at offset 0x"},
      {"image_flags", 0, "image size 0x3000"},  // 64 KiB pages: 0x3000 is not a multiple
      {"desc_count", 0x10000000, "page descriptor count 268435456"},
      {"desc_count", 2, "cover 0x2000 bytes"},
      {"desc0", 1 << 4 | 0, "section type 0"},
      {"desc1", 1 << 4 | 7, "section type 7"},
      {"desc2", 0 << 4 | 2, "covers no pages"},
      {"desc2", 0x0FFFFFF2, "runs past the image size"},
      {"string_table_size", 0xFFFFFFF0, "import string table size 4294967280"},
      {"string_table_size", 6, "import string table size 6"},
      {"lib_count", 3, "holds 2 names for 3 libraries"},
      {"lib_count", 1000, "import library count 1000"},
      {"lib0", 0x29, "import library 0 size 41"},
      {"lib0", 0xFFFFFFFF, "import library 0 size 4294967295"},
      {"lib0_name_index", 0x00050004, "name index 5"},
      {"lib0_rec0", kBase + 0x3000, "record 0 at offset"},
      {"lib0_rec0", 0x10000, "address 0x00010000"},
      {"lib0_rec0", kBase + 0x102, "address 0x82000102"},
      {"lib1_rec0", kBase + 0x100, "names library index 0, expected 1"},
      {"lib0_rec1", kBase + 0x2100, "names library index 34"},
      {"tls_raw_addr", kBase + 0x2FF8, "TLS raw data 0x82002ff8+0x10"},
      {"tls_raw_size", 0x40, "TLS raw data size 0x40"},
      // PE fields are little-endian: these big-endian words read as 0, 0x1000 and 0x10000.
      {"pe_mz", 0, "does not start with a DOS header (\"MZ\" at image offset 0x0)"},
      {"pe_lfanew", 0x00100000, "e_lfanew 0x1000 at image offset 0x3c"},
      {"pe_section_size", 0x00000100, "section 0 ('.text') at image offset 0x2f8: RVA 0x0 + size 0x10000"},
  };
  for (const Case& c : cases) {
    for (bool basic : {false, true}) {
      Synth s = make_xex(basic);
      // Covered by the plain file (the basic file's info is longer than 8 bytes).
      if ((std::string(c.field) == "compression" || std::string(c.field) == "encryption") && basic) continue;
      INFO("field " << c.field << " = 0x" << std::hex << c.value << " basic " << basic);
      REQUIRE(s.at.count(c.field));
      put32(s.bytes, s.at[c.field], c.value);
      hexad::cpu::Memory mem;
      std::string msg = load_error(s.bytes, mem);
      CHECK_THAT(msg, Catch::Contains(c.expect));
      CHECK_THAT(msg, Catch::Contains("offset") || Catch::Contains("in use"));
      CHECK_FALSE(image_committed(mem));
    }
  }
}

TEST_CASE("xex: the headers retail titles carry are read - resources, static libraries, heap size, flags, execution info") {
  Synth s = make_xex(false, true);
  hexad::cpu::Memory mem;
  XexImage x = load_xex(s.bytes, mem, "t.xex");
  const hexad::loader::XexHeaders& h = x.headers;
  REQUIRE(h.execution);
  CHECK(h.execution->title_id == 0x4D5307E6);
  CHECK(h.execution->media_id == 0x1234ABCD);
  CHECK(h.execution->version.str() == "1.0.515.4");
  CHECK(h.execution->base_version.str() == "1.0.0.0");
  CHECK(h.execution->disc_number == 1);
  CHECK(h.execution->disc_count == 2);
  CHECK(h.execution->savegame_id == 0x55667788);
  REQUIRE(h.resources.size() == 2);
  CHECK(h.resources[0].name == "4D5307E6");
  CHECK(h.resources[0].address == kBase + 0x1000);
  CHECK(h.resources[1].name == "strings");
  CHECK(h.resources[1].size == 0x20);
  REQUIRE(h.static_libraries.size() == 1);
  CHECK(h.static_libraries[0].name == "XAPILIB");
  CHECK(h.static_libraries[0].major == 2);
  CHECK(h.static_libraries[0].build == 17559);
  CHECK(h.static_libraries[0].approval == 0x40);
  CHECK(h.static_libraries[0].qfe == 1);
  CHECK(h.default_heap_size == 0x00100000u);
  CHECK(h.system_flags == 0x00000401u);
  CHECK(h.checksum == 0xC0FFEE00u);
  CHECK(h.timestamp == 0x4A5B6C7Du);
  CHECK(h.keys.size() == 13);
  CHECK(std::string(hexad::loader::xex_key_name(0x000200FF)) == "static libraries");
  // A resource outside the image is malformed, named with its offset.
  put32(s.bytes, s.at["resource1_addr"], kBase + 0x2FF0);
  hexad::cpu::Memory mem2;
  CHECK_THAT(load_error(s.bytes, mem2), Catch::Contains("resource 1 ('strings') at offset 0x"));
}

TEST_CASE("xex: what retail files contain is accepted - a security header size apart from the data offset, an image base header apart from the load address") {
  Synth s = make_xex(false);
  put32(s.bytes, s.at["sec_header_size"], 0x800);
  put32(s.bytes, s.at["load_address"], 0x90000000);
  hexad::cpu::Memory mem;
  XexImage x = load_xex(s.bytes, mem, "t.xex");
  CHECK(x.base == kBase);  // the image base header wins, as on the console
  CHECK(x.headers.load_address == 0x90000000);
  CHECK(x.headers.security_header_size == 0x800);
  CHECK(x.headers.pe_data_offset == s.at["image"]);
  CHECK(x.headers.key == hexad::loader::XexKey::None);
  CHECK_FALSE(mem.is_committed(0x90000000));
  CHECK(x.sixty_four_bit);  // no hexad code-mode header: the console's 64-bit mode
}

TEST_CASE("xex: a record whose word is not type 0 or 1 and a thunk past the image end are rejected") {
  Synth s = make_xex(false);
  hexad::cpu::Memory mem;
  std::string bad = s.bytes;
  put32(bad, s.at["image"] + 0x100, 0x02000003);
  CHECK_THAT(load_error(bad, mem), Catch::Contains("record type 2"));
  bad = s.bytes;
  put32(bad, s.at["image"] + 0x2FF8, 0x01000003);  // a thunk word 8 bytes before the end
  put32(bad, s.at["lib0_rec0"], kBase + 0x2FF8);
  CHECK_THAT(load_error(bad, mem), Catch::Contains("thunk 0x82002ff8+16 runs past the image end"));
  bad = s.bytes;
  put32(bad, s.at["pe_name"], 0x10);
  std::memset(bad.data() + s.at["pe_name"] + 4, 'x', 12);
  CHECK_THAT(load_error(bad, mem), Catch::Contains("original PE name at offset"));
  CHECK_FALSE(image_committed(mem));
}

TEST_CASE("xex: random corruption of the headers never crashes the loader") {
  // Deterministic: a fixed LCG picks bytes of the header area to overwrite. Each mutated file
  // must either load or throw hexad::Error.
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&]() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t(state >> 33);
  };
  int loaded = 0, rejected = 0;
  hexad::cpu::Memory mem;
  for (bool basic : {false, true}) {
    Synth s = make_xex(basic);
    const size_t header_end = s.at["image"];
    for (int iter = 0; iter < 3000; ++iter) {
      std::string m = s.bytes;
      int flips = 1 + int(next() % 4);
      for (int k = 0; k < flips; ++k) m[next() % header_end] = char(next() & 0xFF);
      try {
        XexImage x = load_xex(m, mem, "fuzz.xex");
        ++loaded;
        mem.decommit(x.base, x.image_size);
      } catch (const hexad::Error&) {
        ++rejected;
      }
    }
  }
  // Most single-byte changes land in zero padding or unchecked digests; both outcomes must occur.
  CHECK(loaded > 0);
  CHECK(rejected > 0);
}

// The SDK example title is built by powerpc-linux-gnu-gcc (sdk/HexadGuest.cmake). Without it this
// case is still registered under the same name: with HEXAD_REQUIRE_ALL (CI) it fails saying what is
// missing; otherwise it is hidden ([.]) and ctest shows prereq.guest_sdk as skipped.
#define HEXAD_SDK_TITLE_TEST "xex: the SDK example title packed by xexpack loads with the imports its source uses"
#if defined(HEXAD_GUEST_MINIMAL_XEX)
TEST_CASE(HEXAD_SDK_TITLE_TEST, "[xex]") {
  const std::string bytes = hexad::read_file(HEXAD_GUEST_MINIMAL_XEX);
  REQUIRE(looks_like_xex(bytes));
  hexad::cpu::Memory mem;
  XexImage x = load_xex(bytes, mem, "minimal.xex");
  CHECK(x.name == "minimal.exe");
  CHECK(x.base == 0x81FFF000);   // xexpack's PE header page, below the first segment
  CHECK(x.entry == 0x82000000);  // _start comes first (sdk/xex.ld)
  CHECK(mem.read8(x.base) == 'M');
  CHECK(mem.read8(x.base + 1) == 'Z');
  REQUIRE_FALSE(x.headers.pe.sections.empty());
  CHECK(x.headers.pe.sections[0].name == ".text");
  CHECK(x.base + x.headers.pe.sections[0].rva == 0x82000000);
  CHECK(x.stack_size == 256 * 1024);
  CHECK(x.image_size % 0x1000 == 0);
  CHECK(mem.read32(x.entry) == 0x7C0802A6);  // crt0: mflr r0
  CHECK(mem.prot(x.entry) == hexad::cpu::kProtRX);
  CHECK_FALSE(x.sixty_four_bit);  // xexpack's code-mode header: the SDK's -m32 code

  // The code-mode header takes 32 or 64 only; another value is named with its entry's offset.
  {
    const uint32_t count = hexad::load_be<uint32_t>(bytes.data() + 0x14);
    size_t entry = 0;
    for (uint32_t i = 0; i < count; ++i)
      if (hexad::load_be<uint32_t>(bytes.data() + 0x18 + 8 * i) == 0x00485801) entry = 0x18 + 8 * i;
    REQUIRE(entry != 0);
    CHECK(hexad::load_be<uint32_t>(bytes.data() + entry + 4) == 32);
    std::string bad = bytes;
    put32(bad, entry + 4, 7);
    hexad::cpu::Memory mem3;
    CHECK_THAT(load_error(bad, mem3), Catch::Contains(fmt::format("hexad code mode 7 (entry at offset 0x{:x})", entry)));
    put32(bad, entry + 4, 64);
    hexad::cpu::Memory mem4;
    CHECK(load_xex(bad, mem4, "minimal.xex").sixty_four_bit);
  }

  // sdk/examples/minimal.c uses exactly these.
  std::set<std::tuple<std::string, uint16_t, bool>> want = {
      {"xboxkrnl.exe", 0x003, true},   // DbgPrint
      {"xboxkrnl.exe", 0x083, true},   // KeQueryPerformanceFrequency
      {"xboxkrnl.exe", 0x0CF, true},   // NtClose
      {"xboxkrnl.exe", 0x158, false},  // XboxKrnlVersion
      {"xam.xex", 0x1A9, true},        // XamLoaderTerminateTitle
  };
  std::set<std::tuple<std::string, uint16_t, bool>> got;
  std::map<std::string, uint32_t> lib_index = {{"xboxkrnl.exe", 0}, {"xam.xex", 1}};
  for (const XexImport& i : x.imports) {
    INFO(i.module << " ordinal " << i.ordinal);
    got.insert({i.module, i.ordinal, i.is_function});
    const uint32_t word = mem.read32(i.record_addr);
    CHECK(word == ((i.is_function ? 1u : 0u) << 24 | lib_index[i.module] << 16 | i.ordinal));
    if (i.is_function) {
      CHECK(mem.prot(i.record_addr) == hexad::cpu::kProtRX);
      for (int w = 1; w < 4; ++w) CHECK(mem.read32(i.record_addr + 4 * w) == kTrap);
    } else {
      CHECK(mem.prot(i.record_addr) == hexad::cpu::kProtRW);
    }
  }
  CHECK(got == want);
  CHECK(x.imports.size() == want.size());

  // Truncations of the real file are all rejected too.
  hexad::cpu::Memory mem2;
  for (size_t len = 0; len < bytes.size(); len += (len < 0x1000 ? 1 : 61)) {
    INFO("truncated to " << len);
    CHECK_FALSE(load_error(bytes.substr(0, len), mem2).empty());
  }
}
#else
#if defined(HEXAD_REQUIRE_ALL)
TEST_CASE(HEXAD_SDK_TITLE_TEST, "[xex]") {
#else
TEST_CASE(HEXAD_SDK_TITLE_TEST, "[xex][.]") {
#endif
  FAIL("the SDK example title (minimal.xex) was not built: powerpc-linux-gnu-gcc (Debian package "
       "gcc-powerpc-linux-gnu) was not found at configure time");
}
#endif
