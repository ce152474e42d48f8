#include "xex_writer.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <vector>

#include "base/endian.h"
#include "base/hexad_error.h"
#include "loader/xex/xex_crypto.h"
#include "loader/xex/xex_format.h"
#include "lzx_writer.h"

namespace hexad::xexpack {

namespace {

using namespace hexad::xex;

class Buf {
 public:
  size_t size() const { return b_.size(); }
  void u8(uint8_t v) { b_.push_back(char(v)); }
  void u16(uint16_t v) { put(v); }
  void u32(uint32_t v) { put(v); }
  void bytes(const void* p, size_t n) { b_.append(static_cast<const char*>(p), n); }
  void zeros(size_t n) { b_.append(n, '\0'); }
  void align(size_t a) { zeros((a - b_.size() % a) % a); }
  void set_u32(size_t off, uint32_t v) { store_be<uint32_t>(b_.data() + off, v); }
  std::string& str() { return b_; }

 private:
  template <typename T>
  void put(T v) {
    char tmp[sizeof(T)];
    store_be<T>(tmp, v);
    b_.append(tmp, sizeof(T));
  }
  std::string b_;
};

// The import libraries header; rewrites each import word with its library index.
std::string import_libraries(TitleImage& img) {
  std::map<uint32_t, std::vector<const ElfImport*>> by_module;  // ordered by SDK module id
  for (const ElfImport& i : img.imports) by_module[i.module_id].push_back(&i);
  Buf strings;
  for (auto& [id, list] : by_module) {
    std::string n = sdk_module_name(id);
    strings.bytes(n.data(), n.size() + 1);
    strings.align(4);
  }
  Buf libs;
  uint16_t index = 0;
  for (auto& [id, list] : by_module) {
    // Thunk records first, then variable slots: the loader pairs a variable record directly
    // followed by a thunk record of the same ordinal (the console linker's layout), which the
    // SDK never produces.
    std::vector<const ElfImport*> ordered;
    for (const ElfImport* i : list)
      if (i->is_function) ordered.push_back(i);
    for (const ElfImport* i : list)
      if (!i->is_function) ordered.push_back(i);
    if (ordered.size() > 0xFFFF) fail("too many imports from {}", sdk_module_name(id));
    libs.u32(uint32_t(kLibRecords + 4 * ordered.size()));
    libs.zeros(20);        // digest of the next import table: unused without signatures
    libs.u32(0);           // import id
    libs.u32(0x20000000);  // version 2.0.0.0
    libs.u32(0x20000000);  // minimum version
    libs.u16(index);       // name index: the string table holds the names in library order
    libs.u16(uint16_t(ordered.size()));
    for (const ElfImport* i : ordered) {
      libs.u32(i->addr);
      const uint32_t type = i->is_function ? kRecordThunk : kRecordVariable;
      store_be<uint32_t>(img.bytes.data() + (i->addr - img.base), type << 24 | uint32_t(index) << 16 | i->ordinal);
    }
    ++index;
  }
  Buf out;
  out.u32(uint32_t(kImpHeaderSize + strings.size() + libs.size()));
  out.u32(uint32_t(strings.size()));
  out.u32(index);
  out.bytes(strings.str().data(), strings.size());
  out.bytes(libs.str().data(), libs.size());
  return out.str();
}

struct Block {
  uint32_t data, zero;
};

// Basic compression: runs of data each followed by a run of zeros, in whole 16-byte units (so an
// encrypted file's runs are whole AES blocks); zero runs shorter than 256 bytes stay in the data.
std::vector<Block> zero_runs(const std::vector<uint8_t>& b) {
  constexpr size_t kUnit = 16, kMinZeroRun = 256;
  auto zero_unit = [&](size_t at) {
    for (size_t k = at; k < at + kUnit; ++k)
      if (b[k]) return false;
    return true;
  };
  std::vector<Block> blocks;
  const size_t n = b.size();  // a multiple of the page size
  size_t i = 0;
  while (i < n) {
    size_t start = i, zstart = n, zend = n;
    for (size_t j = i; j < n;) {
      if (!zero_unit(j)) {
        j += kUnit;
        continue;
      }
      size_t k = j;
      while (k < n && zero_unit(k)) k += kUnit;
      if (k - j >= kMinZeroRun || k == n) {
        zstart = j;
        zend = k;
        break;
      }
      j = k;
    }
    blocks.push_back({uint32_t(zstart - start), uint32_t(zend - zstart)});
    i = zend;
  }
  return blocks;
}

// Normal compression's data: the LZX stream cut into chunks, the chunks grouped into blocks, each
// block led by the size and SHA-1 of the block after it. Built from the last block back; returns
// the data and sets the first block's size and digest (which go in the file format info).
std::string lzx_block_chain(const std::vector<uint8_t>& image, uint32_t& first_size, Sha1Digest& first_hash) {
  constexpr size_t kChunk = 0x1000, kChunksPerBlock = 2;  // small blocks: even small titles get a chain
  const std::vector<uint8_t> lzx = lzx_uncompressed_stream(image);
  std::vector<std::string> blocks;
  for (size_t at = 0; at < lzx.size(); at += kChunk * kChunksPerBlock) {
    Buf b;
    b.zeros(kLzxBlockInfoSize);  // the next block's size and digest, filled below
    for (size_t c = at; c < std::min(lzx.size(), at + kChunk * kChunksPerBlock); c += kChunk) {
      const size_t n = std::min(kChunk, lzx.size() - c);
      b.u16(uint16_t(n));
      b.bytes(lzx.data() + c, n);
    }
    b.u16(0);
    blocks.push_back(b.str());
  }
  uint32_t next_size = 0;
  Sha1Digest next_hash{};
  for (size_t i = blocks.size(); i-- > 0;) {
    std::string& b = blocks[i];
    store_be<uint32_t>(b.data(), next_size);
    std::memcpy(b.data() + 4, next_hash.data(), kSha1Size);
    next_size = uint32_t(b.size());
    next_hash = sha1(reinterpret_cast<const uint8_t*>(b.data()), b.size());
  }
  first_size = next_size;
  first_hash = next_hash;
  std::string out;
  for (const std::string& b : blocks) out += b;
  return out;
}

// xexpack's file key: derived from the image (deterministic output, different per title). Any
// 16 bytes work; the loader only ever sees it encrypted with the master key.
AesKey file_key_for(const std::vector<uint8_t>& image) {
  const Sha1Digest d = sha1(image.data(), image.size());
  AesKey k;
  std::memcpy(k.data(), d.data(), k.size());
  return k;
}

}  // namespace

std::string build_xex(TitleImage& img, const XexOptions& opt) {
  const uint32_t image_size = uint32_t(img.bytes.size());
  struct Opt {
    uint32_t key;
    uint32_t value;       // inline value
    std::string data;     // or data placed in the header area
  };
  std::vector<Opt> opts;

  // The image data as stored (before encryption) and the file format info describing it.
  const bool encrypted = opt.encryption != Encryption::None;
  Buf ffi, data;
  ffi.u32(0);  // info size, set below
  ffi.u16(encrypted ? kEncryptionNormal : kEncryptionNone);
  if (opt.compression == Compression::None) {
    ffi.u16(kCompressionNone);
    data.bytes(img.bytes.data(), img.bytes.size());
  } else if (opt.compression == Compression::Basic) {
    ffi.u16(kCompressionBasic);
    size_t at = 0;
    for (const Block& bl : zero_runs(img.bytes)) {
      ffi.u32(bl.data);
      ffi.u32(bl.zero);
      data.bytes(img.bytes.data() + at, bl.data);
      at += size_t(bl.data) + bl.zero;
    }
  } else {
    ffi.u16(kCompressionNormal);
    uint32_t first_size = 0;
    Sha1Digest first_hash{};
    const std::string chain = lzx_block_chain(img.bytes, first_size, first_hash);
    ffi.u32(kLzxFrameSize);  // window size: one frame is all an uncompressed stream needs
    ffi.u32(first_size);
    ffi.bytes(first_hash.data(), first_hash.size());
    data.bytes(chain.data(), chain.size());
    data.align(16);  // whole AES blocks (the padding lies after the last block)
  }
  ffi.set_u32(0, uint32_t(ffi.size()));
  if (!opt.resource.empty()) {
    // One resource {char name[8], address, size} over the read-only data segment (the first
    // segment that is neither writable nor executable): XexGetModuleSection finds it.
    const TitleSegment* rodata = nullptr;
    for (const TitleSegment& s : img.segments)
      if (!rodata && !(s.flags & 3)) rodata = &s;
    if (!rodata) fail("xexpack: --resource {}: the image has no read-only data segment", opt.resource);
    if (opt.resource.size() > 8) fail("xexpack: --resource {}: a resource name has at most 8 bytes", opt.resource);
    Buf res;
    res.u32(4 + kResourceEntrySize);
    std::string name = opt.resource;
    name.resize(8, '\0');
    res.bytes(name.data(), 8);
    res.u32(rodata->vaddr);
    res.u32(rodata->memsz);
    opts.push_back({kKeyResourceInfo, 0, res.str()});
  }
  opts.push_back({kKeyFileFormatInfo, 0, ffi.str()});
  opts.push_back({kKeyEntryPoint, img.entry, {}});
  opts.push_back({kKeyImageBase, img.base, {}});
  if (!img.imports.empty()) opts.push_back({kKeyImportLibraries, 0, import_libraries(img)});
  if (!opt.pe_name.empty()) {
    Buf n;
    n.u32(0);
    n.bytes(opt.pe_name.data(), opt.pe_name.size() + 1);
    n.align(4);
    n.set_u32(0, uint32_t(n.size()));
    opts.push_back({kKeyOriginalPeName, 0, n.str()});
  }
  Buf tls;
  tls.u32(opt.tls_slots);
  tls.u32(img.has_tls ? img.tls_addr : 0);
  tls.u32(img.has_tls ? img.tls_mem_size : 0);
  tls.u32(img.has_tls ? img.tls_file_size : 0);
  opts.push_back({kKeyTlsInfo, 0, tls.str()});
  opts.push_back({kKeyDefaultStackSize, opt.stack_size, {}});
  opts.push_back({kKeySystemFlags, opt.system_flags, {}});
  if (opt.code_mode == 32) opts.push_back({kKeyHexadCodeMode, 32, {}});
  Buf exec;
  exec.u32(0);             // media id
  exec.u32(0);             // version
  exec.u32(0);             // base version
  exec.u32(opt.title_id);
  exec.u8(0);              // platform
  exec.u8(0);              // executable table
  exec.u8(1);              // disc number
  exec.u8(1);              // disc count
  exec.u32(0);             // savegame id
  opts.push_back({kKeyExecutionInfo, 0, exec.str()});

  // Page descriptors: runs of pages of one section type.
  std::vector<std::pair<uint32_t, uint32_t>> descs;  // (type, count)
  for (uint8_t t : img.page_type) {
    if (!descs.empty() && descs.back().first == t) ++descs.back().second;
    else descs.push_back({t, 1});
  }

  Buf f;
  f.u32(kMagic);
  f.u32(opt.module_flags);
  f.u32(0);  // PE data offset, set below
  f.u32(0);  // reserved
  f.u32(0);  // security info offset, set below
  f.u32(uint32_t(opts.size()));
  const size_t dir = f.size();
  f.zeros(opts.size() * kOptEntrySize);
  for (size_t i = 0; i < opts.size(); ++i) {
    uint32_t value = opts[i].value;
    if (!opts[i].data.empty()) {
      f.align(8);
      value = uint32_t(f.size());
      f.bytes(opts[i].data.data(), opts[i].data.size());
    }
    f.set_u32(dir + i * kOptEntrySize, opts[i].key);
    f.set_u32(dir + i * kOptEntrySize + 4, value);
  }
  f.align(8);
  const uint32_t sec = uint32_t(f.size());
  f.zeros(kSecPageDescs + descs.size() * kPageDescSize);
  f.align(0x1000);
  const uint32_t pe_off = uint32_t(f.size());
  f.set_u32(kHdrPeDataOffset, pe_off);
  f.set_u32(kHdrSecurityOffset, sec);
  f.set_u32(sec + kSecHeaderSize, pe_off);
  f.set_u32(sec + kSecImageSize, image_size);
  // RSA signature and digests stay zero: nothing checks them.
  f.set_u32(sec + kSecInfoSize, kSecInfoSizeValue);
  f.set_u32(sec + kSecImageFlags, kImageFlagPageSize4K);
  f.set_u32(sec + kSecLoadAddress, img.base);
  f.set_u32(sec + kSecImportTableCount, 0);
  f.set_u32(sec + kSecExportTable, 0);
  f.set_u32(sec + kSecRegion, 0xFFFFFFFF);
  f.set_u32(sec + kSecAllowedMedia, 0xFFFFFFFF);
  f.set_u32(sec + kSecPageDescCount, uint32_t(descs.size()));
  for (size_t i = 0; i < descs.size(); ++i)
    f.set_u32(sec + kSecPageDescs + i * kPageDescSize, descs[i].second << 4 | descs[i].first);
  if (!img.imports.empty()) {
    uint32_t libs = 0;
    for (const Opt& o : opts)
      if (o.key == kKeyImportLibraries) libs = load_be<uint32_t>(o.data.data() + 8);
    f.set_u32(sec + kSecImportTableCount, libs);
  }

  if (encrypted) {
    // The file key, stored encrypted with the master key; the data, one AES-128-CBC stream.
    const MasterKey master = opt.encryption == Encryption::Retail ? MasterKey::Retail : MasterKey::Devkit;
    const AesKey key = file_key_for(img.bytes);
    const AesKey stored = encrypt_file_key(master, key);
    std::memcpy(f.str().data() + sec + kSecImageKey, stored.data(), stored.size());
    std::string& d = data.str();
    AesCbc(key, true).update(reinterpret_cast<const uint8_t*>(d.data()), reinterpret_cast<uint8_t*>(d.data()), d.size());
  }
  f.bytes(data.str().data(), data.size());
  return f.str();
}

}  // namespace hexad::xexpack
