#include "elf_input.h"

#include <algorithm>
#include <cstring>

#include "base/endian.h"
#include "base/hexad_error.h"
#include "loader/xex/xex_format.h"

namespace hexad::xexpack {

namespace {

constexpr uint32_t kPage = 0x1000;
constexpr uint32_t kPtLoad = 1, kPtTls = 7;
constexpr uint32_t kPfX = 1, kPfW = 2;
constexpr uint32_t kTrap = 0x7FE00008;  // tw 31,0,0: words 1-3 of an SDK thunk
constexpr uint32_t kMaxImage = 256u << 20;

struct Reader {
  const std::string& b;
  const std::string& name;
  uint32_t u32(uint64_t off, const char* field) const {
    if (off + 4 > b.size()) fail("{}: malformed ELF: {} at offset 0x{:x} is past the end of the file", name, field, off);
    return load_be<uint32_t>(b.data() + off);
  }
  uint16_t u16(uint64_t off, const char* field) const {
    if (off + 2 > b.size()) fail("{}: malformed ELF: {} at offset 0x{:x} is past the end of the file", name, field, off);
    return load_be<uint16_t>(b.data() + off);
  }
};

struct Segment {
  uint32_t type, off, vaddr, filesz, memsz, flags;
};

}  // namespace

std::string sdk_module_name(uint32_t module_id) {
  switch (module_id) {
    case 0: return "xboxkrnl.exe";
    case 1: return "xam.xex";
    default: return "";
  }
}

TitleImage read_title_elf(const std::string& b, const std::string& name) {
  Reader r{b, name};
  if (b.size() < 52 || b.compare(0, 4, "\x7f" "ELF") != 0) fail("{}: not an ELF file (bad magic at offset 0)", name);
  if (b[4] != 1 || b[5] != 2) fail("{}: not a 32-bit big-endian ELF (EI_CLASS/EI_DATA at offset 4)", name);
  if (r.u16(16, "e_type") != 2) fail("{}: not a static executable (e_type at offset 16)", name);
  if (r.u16(18, "e_machine") != 20) fail("{}: not a 32-bit PowerPC ELF (e_machine at offset 18)", name);
  TitleImage img;
  img.entry = r.u32(24, "e_entry");
  const uint32_t phoff = r.u32(28, "e_phoff"), shoff = r.u32(32, "e_shoff");
  const uint16_t phentsize = r.u16(42, "e_phentsize"), phnum = r.u16(44, "e_phnum");
  const uint16_t shentsize = r.u16(46, "e_shentsize"), shnum = r.u16(48, "e_shnum"), shstrndx = r.u16(50, "e_shstrndx");
  if (phentsize != 32) fail("{}: e_phentsize {} at offset 42 (want 32)", name, phentsize);

  std::vector<Segment> loads;
  for (uint32_t k = 0; k < phnum; ++k) {
    uint64_t ph = phoff + uint64_t(k) * 32;
    Segment s{r.u32(ph, "p_type"), r.u32(ph + 4, "p_offset"), r.u32(ph + 8, "p_vaddr"), r.u32(ph + 16, "p_filesz"),
              r.u32(ph + 20, "p_memsz"), r.u32(ph + 24, "p_flags")};
    if (s.type == kPtTls) {
      img.has_tls = true;
      img.tls_addr = s.vaddr;
      img.tls_file_size = s.filesz;
      img.tls_mem_size = s.memsz;
    }
    if (s.type != kPtLoad || s.memsz == 0) continue;
    if (s.filesz > s.memsz || uint64_t(s.off) + s.filesz > b.size() || uint64_t(s.vaddr) + s.memsz > (1ull << 32))
      fail("{}: malformed ELF: segment {} (header at offset 0x{:x}) has a bad size or range", name, k, ph);
    loads.push_back(s);
  }
  if (loads.empty()) fail("{}: no loadable segment", name);
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const Segment& s : loads) {
    lo = std::min<uint64_t>(lo, s.vaddr);
    hi = std::max<uint64_t>(hi, uint64_t(s.vaddr) + s.memsz);
  }
  lo &= ~uint64_t(kPage - 1);
  hi = (hi + kPage - 1) & ~uint64_t(kPage - 1);
  if (hi - lo > kMaxImage) fail("{}: the loadable segments span 0x{:x} bytes (more than 256 MiB)", name, hi - lo);
  img.base = uint32_t(lo);
  img.bytes.assign(size_t(hi - lo), 0);
  std::vector<uint32_t> page_flags((hi - lo) / kPage, 0);
  std::sort(loads.begin(), loads.end(), [](const Segment& x, const Segment& y) { return x.vaddr < y.vaddr; });
  for (const Segment& s : loads) {
    img.segments.push_back({s.vaddr, s.memsz, s.filesz, s.flags});
    std::memcpy(img.bytes.data() + (s.vaddr - img.base), b.data() + s.off, s.filesz);
    for (uint64_t a = s.vaddr & ~uint64_t(kPage - 1); a < uint64_t(s.vaddr) + s.memsz; a += kPage)
      page_flags[(a - lo) / kPage] |= s.flags | 0x100;  // 0x100: page is covered
  }
  for (size_t pg = 0; pg < page_flags.size(); ++pg) {
    uint32_t f = page_flags[pg];
    if ((f & kPfX) && (f & kPfW))
      fail("{}: page 0x{:08x} holds both code and writable data; link with sdk/xex.ld, which page-aligns the "
           "segments", name, lo + pg * kPage);
    img.page_type.push_back(uint8_t((f & kPfX) ? xex::kSectionCode : (f & kPfW) ? xex::kSectionData
                                                                                 : xex::kSectionReadOnly));
  }
  const uint64_t image_end = hi;
  if (img.entry < lo || img.entry + 4ull > image_end || img.page_type[(img.entry - lo) / kPage] != xex::kSectionCode)
    fail("{}: e_entry 0x{:08x} is not in an executable segment", name, img.entry);

  // Sections: the import thunks (.xthunk*) and variable slots (.ximpvar*).
  if (shnum == 0) return img;
  if (shentsize != 40) fail("{}: e_shentsize {} at offset 46 (want 40)", name, shentsize);
  if (shstrndx >= shnum) fail("{}: e_shstrndx {} at offset 50 is out of range", name, shstrndx);
  const uint64_t strtab_hdr = shoff + uint64_t(shstrndx) * 40;
  const uint32_t strtab_off = r.u32(strtab_hdr + 16, "sh_offset"), strtab_size = r.u32(strtab_hdr + 20, "sh_size");
  if (uint64_t(strtab_off) + strtab_size > b.size()) fail("{}: section name table runs past the end of the file", name);
  for (uint32_t k = 0; k < shnum; ++k) {
    const uint64_t sh = shoff + uint64_t(k) * 40;
    const uint32_t name_off = r.u32(sh, "sh_name");
    if (name_off >= strtab_size) fail("{}: section {} name offset {} is outside the name table", name, k, name_off);
    const char* nm = b.data() + strtab_off + name_off;
    const size_t nmax = strtab_size - name_off;
    std::string sname(nm, strnlen(nm, nmax));
    const bool thunks = sname == ".xthunk" || sname.rfind(".xthunk.", 0) == 0;
    const bool vars = sname == ".ximpvar" || sname.rfind(".ximpvar.", 0) == 0;
    if (!thunks && !vars) continue;
    const uint32_t addr = r.u32(sh + 12, "sh_addr"), size = r.u32(sh + 20, "sh_size");
    const uint32_t step = thunks ? xex::kThunkSize : 4;
    if (addr < lo || uint64_t(addr) + size > image_end || addr % step != 0 || size % step != 0)
      fail("{}: section {} at 0x{:08x}+0x{:x} is not a whole number of aligned {}-byte entries inside the image",
           name, sname, addr, size, step);
    for (uint32_t a = addr; a < addr + size; a += step) {
      const uint8_t* p = img.bytes.data() + (a - img.base);
      const uint32_t w = load_be<uint32_t>(p);
      const uint32_t type = w >> 24, module = (w >> 16) & 0xFF;
      bool ok = type == (thunks ? xex::kRecordThunk : xex::kRecordVariable) && !sdk_module_name(module).empty();
      if (thunks)
        for (int i = 1; i < 4; ++i) ok = ok && load_be<uint32_t>(p + 4 * i) == kTrap;
      if (!ok)
        fail("{}: the {} at 0x{:08x} in section {} (word 0x{:08x}) is not an SDK import (see sdk/include/hx/import.h)",
             name, thunks ? "thunk" : "variable slot", a, sname, w);
      img.imports.push_back({module, uint16_t(w & 0xFFFF), thunks, a});
    }
  }
  std::sort(img.imports.begin(), img.imports.end(),
            [](const ElfImport& x, const ElfImport& y) { return x.addr < y.addr; });
  return img;
}

}  // namespace hexad::xexpack
