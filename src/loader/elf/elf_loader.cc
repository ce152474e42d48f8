#include "loader/elf/elf_loader.h"

#include <algorithm>

#include "base/endian.h"
#include "base/hexad_error.h"
#include "cpu/memory.h"

namespace hexad::loader {

namespace {

constexpr uint16_t kEmPpc = 20, kEmPpc64 = 21;
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPfX = 1, kPfW = 2, kPfR = 4;

class Reader {
 public:
  Reader(const std::string& b, const std::string& name) : b_(b), name_(name) {}
  template <typename T>
  T at(uint64_t off, const char* field) const {
    if (off + sizeof(T) > b_.size() || off + sizeof(T) < off)
      fail("{}: malformed ELF: {} at offset 0x{:x} is past the end of the file ({} bytes)", name_, field, off, b_.size());
    return load_be<T>(b_.data() + off);
  }
  const std::string& name() const { return name_; }
  size_t size() const { return b_.size(); }
  const char* data() const { return b_.data(); }

 private:
  const std::string& b_;
  const std::string& name_;
};

}  // namespace

ElfImage load_elf(const std::string& bytes, cpu::Memory& mem, const std::string& name) {
  Reader r(bytes, name);
  if (bytes.size() < 4 || bytes.compare(0, 4, "\x7f" "ELF") != 0) fail("{}: not an ELF file (bad magic at offset 0)", name);
  if (bytes.size() < 16) fail("{}: malformed ELF: {} bytes, shorter than the 16-byte e_ident", name, bytes.size());
  uint8_t cls = uint8_t(bytes[4]), data = uint8_t(bytes[5]);
  if (cls != 1 && cls != 2) fail("{}: malformed ELF: EI_CLASS {} at offset 4 (want 1 or 2)", name, cls);
  if (data != 2) fail("{}: not a big-endian ELF (EI_DATA {} at offset 5)", name, data);
  ElfImage img;
  img.is64 = cls == 2;
  uint16_t type = r.at<uint16_t>(16, "e_type");
  uint16_t machine = r.at<uint16_t>(18, "e_machine");
  if (type != 2) fail("{}: only static executables (ET_EXEC) are supported; e_type is {} at offset 16", name, type);
  if (machine != (img.is64 ? kEmPpc64 : kEmPpc))
    fail("{}: e_machine {} at offset 18 is not PowerPC{}", name, machine, img.is64 ? "64" : "");
  uint64_t entry, phoff;
  uint16_t phentsize, phnum;
  if (img.is64) {
    entry = r.at<uint64_t>(24, "e_entry");
    phoff = r.at<uint64_t>(32, "e_phoff");
    phentsize = r.at<uint16_t>(54, "e_phentsize");
    phnum = r.at<uint16_t>(56, "e_phnum");
  } else {
    entry = r.at<uint32_t>(24, "e_entry");
    phoff = r.at<uint32_t>(28, "e_phoff");
    phentsize = r.at<uint16_t>(42, "e_phentsize");
    phnum = r.at<uint16_t>(44, "e_phnum");
  }
  if (phentsize != (img.is64 ? 56 : 32))
    fail("{}: malformed ELF: e_phentsize {} at offset {}", name, phentsize, img.is64 ? 54 : 42);
  uint32_t lowest = 0xFFFFFFFF, highest = 0;
  bool any = false;
  for (uint16_t k = 0; k < phnum; ++k) {
    uint64_t ph = phoff + uint64_t(k) * phentsize;
    uint32_t ptype = r.at<uint32_t>(ph, "p_type");
    if (ptype != kPtLoad) continue;
    uint64_t off, vaddr, filesz, memsz;
    uint32_t flags;
    if (img.is64) {
      flags = r.at<uint32_t>(ph + 4, "p_flags");
      off = r.at<uint64_t>(ph + 8, "p_offset");
      vaddr = r.at<uint64_t>(ph + 16, "p_vaddr");
      filesz = r.at<uint64_t>(ph + 32, "p_filesz");
      memsz = r.at<uint64_t>(ph + 40, "p_memsz");
    } else {
      off = r.at<uint32_t>(ph + 4, "p_offset");
      vaddr = r.at<uint32_t>(ph + 8, "p_vaddr");
      filesz = r.at<uint32_t>(ph + 16, "p_filesz");
      memsz = r.at<uint32_t>(ph + 20, "p_memsz");
      flags = r.at<uint32_t>(ph + 24, "p_flags");
    }
    if (memsz == 0) continue;
    if (filesz > memsz) fail("{}: malformed ELF: segment {} p_filesz > p_memsz (header at offset 0x{:x})", name, k, ph);
    // Written so that vaddr + memsz cannot wrap (64-bit fields).
    if (vaddr > cpu::Memory::kSpaceSize || memsz > cpu::Memory::kSpaceSize - vaddr)
      fail("{}: segment {} at 0x{:x}+0x{:x} lies outside the 4 GiB guest space (header at offset 0x{:x})", name, k, vaddr, memsz, ph);
    if (off + filesz > bytes.size() || off + filesz < off)
      fail("{}: malformed ELF: segment {} file range 0x{:x}+0x{:x} is past the end of the file (header at offset 0x{:x})", name, k, off, filesz, ph);
    uint8_t prot = uint8_t(((flags & kPfR) ? cpu::kProtRead : 0) | ((flags & kPfW) ? cpu::kProtWrite : 0) |
                           ((flags & kPfX) ? cpu::kProtExec : 0));
    // Segments may share a page: widen the protection of committed pages, and commit each run of
    // uncommitted ones at once (one host call per run, not per page: a file of a few hundred bytes
    // may declare a segment of gigabytes).
    constexpr uint64_t kPage = cpu::Memory::kPageSize, kMaxRun = 1ull << 31;
    for (uint64_t a = vaddr & ~(kPage - 1); a < vaddr + memsz;) {
      if (mem.is_committed(uint32_t(a))) {
        mem.protect(uint32_t(a), uint32_t(kPage), uint8_t(mem.prot(uint32_t(a)) | prot));
        a += kPage;
        continue;
      }
      uint64_t run_end = a + kPage;
      while (run_end < vaddr + memsz && run_end - a < kMaxRun && !mem.is_committed(uint32_t(run_end))) run_end += kPage;
      mem.commit(uint32_t(a), uint32_t(run_end - a), prot);
      a = run_end;
    }
    mem.write_bytes_raw(uint32_t(vaddr), bytes.data() + off, uint32_t(filesz));
    lowest = std::min<uint32_t>(lowest, uint32_t(vaddr));
    highest = std::max<uint32_t>(highest, uint32_t(vaddr + memsz));
    any = true;
  }
  if (!any) fail("{}: no loadable segment (PT_LOAD) in {} program headers at offset 0x{:x}", name, phnum, phoff);
  img.lowest = lowest;
  img.highest = highest;
  img.brk_start = (highest + cpu::Memory::kPageSize - 1) & ~(cpu::Memory::kPageSize - 1);
  img.entry = entry;
  if (img.is64) {
    // ELFv1: e_entry points at a function descriptor {code, toc, env}.
    if (entry > 0xFFFFFFFFu || !mem.accessible(uint32_t(entry), 16, cpu::kProtRead))
      fail("{}: e_entry 0x{:x} (offset 24) is not inside a loaded segment", name, entry);
    img.entry = mem.read64(uint32_t(entry));
    img.entry_toc = mem.read64(uint32_t(entry) + 8);
  }
  if (img.entry > 0xFFFFFFFFu || !mem.accessible(uint32_t(img.entry), 4, cpu::kProtExec))
    fail("{}: entry point 0x{:x} is not in an executable segment", name, img.entry);
  return img;
}

}  // namespace hexad::loader
