// The image data after the XEX headers: decryption (AES-128-CBC under the file key, itself
// decrypted with the retail or devkit key) and decompression (none, basic zero runs, normal LZX
// block chain). See docs/xex2.md "Image data".
#include <cstring>
#include <optional>

#include "loader/xex/lzx_decode.h"
#include "loader/xex/xex_crypto.h"
#include "loader/xex/xex_format.h"
#include "loader/xex/xex_parser.h"

namespace hexad::loader::detail {

using namespace hexad::xex;

namespace {

struct BasicBlock {
  uint32_t data, zero;
  uint64_t info_off;  // file offset of the {data size, zero size} pair
};

// The structure of the data, checked before any key is tried or buffer allocated.
struct Layout {
  uint64_t data_off = 0, data_size = 0;  // the image data: PE data offset .. end of the file
  std::vector<BasicBlock> basic;
  uint32_t window = 0, first_size = 0;
  Sha1Digest first_hash{};
};

Layout check_layout(const Parser& p, const OptHeader& ffi, const XexHeaders& h, uint32_t image_size) {
  Layout l;
  l.data_off = h.pe_data_offset;
  l.data_size = p.size() - l.data_off;
  const bool encrypted = h.encryption == kEncryptionNormal;
  if (h.compression == kCompressionNone) {
    if (l.data_size < image_size)
      p.bad("image data 0x{:x}+0x{:x} (PE data offset at offset 0x{:x}, image size in the security info) runs past "
            "the end of the file ({} bytes)", l.data_off, image_size, kHdrPeDataOffset, p.size());
  } else if (h.compression == kCompressionBasic) {
    if ((ffi.data_size - kFfiHeaderSize) % kFfiBasicBlockSize != 0)
      p.bad("file format info size {} at offset 0x{:x} is not 8 + 8 * block count", ffi.data_size, ffi.data_off);
    uint64_t src = 0, dst = 0;
    for (uint32_t blk = 0; blk < (ffi.data_size - kFfiHeaderSize) / kFfiBasicBlockSize; ++blk) {
      const uint64_t boff = uint64_t(ffi.data_off) + kFfiHeaderSize + blk * uint64_t(kFfiBasicBlockSize);
      BasicBlock b{p.u32(boff, "basic compression data size"), p.u32(boff + 4, "basic compression zero size"), boff};
      if (encrypted && b.data % 16 != 0)
        p.bad("basic compression block {} data size 0x{:x} at offset 0x{:x} is not a multiple of the 16-byte AES "
              "block in an encrypted image", blk, b.data, boff);
      if (src + b.data > l.data_size)
        p.bad("basic compression block {} (at offset 0x{:x}): data 0x{:x}+0x{:x} runs past the end of the file "
              "({} bytes)", blk, boff, l.data_off + src, b.data, p.size());
      if (dst + b.data + b.zero > image_size)
        p.bad("basic compression block {} (at offset 0x{:x}) expands past the image size 0x{:x}", blk, boff,
              image_size);
      src += b.data;
      dst += uint64_t(b.data) + b.zero;
      l.basic.push_back(b);
    }
  } else {  // normal
    if (ffi.data_size < kFfiNormalSize)
      p.bad("file format info size {} at offset 0x{:x} is smaller than the {} bytes of normal (LZX) compression "
            "info", ffi.data_size, ffi.data_off, kFfiNormalSize);
    l.window = p.u32(ffi.data_off + kFfiWindowSize, "LZX window size");
    if (l.window < kLzxMinWindow || l.window > kLzxMaxWindow || (l.window & (l.window - 1)) != 0)
      p.bad("LZX window size 0x{:x} at offset 0x{:x} is not a power of two between 0x{:x} and 0x{:x}", l.window,
            ffi.data_off + kFfiWindowSize, kLzxMinWindow, kLzxMaxWindow);
    l.first_size = p.u32(ffi.data_off + kFfiFirstBlockSize, "first LZX block size");
    std::memcpy(l.first_hash.data(), p.data(ffi.data_off + kFfiFirstBlockHash), kSha1Size);
  }
  return l;
}

// The image data as plaintext: the file's bytes, or their decryption (whole 16-byte blocks; a
// trailing partial block, which no well-formed file has, stays as it is).
std::vector<uint8_t> decrypt_all(const Parser& p, const Layout& l, const AesKey& key) {
  std::vector<uint8_t> out(p.data(l.data_off), p.data(l.data_off) + l.data_size);
  const size_t whole = size_t(l.data_size & ~uint64_t(15));
  AesCbc(key, false).update(out.data(), out.data(), whole);
  return out;
}

// Does `key` decrypt this file? Normal compression: the first block's SHA-1 matches; otherwise
// the image starts with "MZ". Only the first block (or 16 bytes) is decrypted.
bool key_fits(const Parser& p, const Layout& l, const XexHeaders& h, const AesKey& key) {
  if (h.compression == kCompressionNormal) {
    if (l.first_size == 0 || l.first_size > l.data_size) return false;
    const size_t n = (size_t(l.first_size) + 15) & ~size_t(15);
    if (n > l.data_size) return false;
    std::vector<uint8_t> block(n);
    AesCbc(key, false).update(p.data(l.data_off), block.data(), n);
    return sha1(block.data(), l.first_size) == l.first_hash;
  }
  if (l.data_size < 16 || (h.compression == kCompressionBasic && (l.basic.empty() || l.basic[0].data < 16)))
    return false;
  uint8_t first[16];
  AesCbc(key, false).update(p.data(l.data_off), first, 16);
  return first[0] == 'M' && first[1] == 'Z';
}

// Walks the LZX block chain of `plain` (verifying each block's SHA-1 before using it) and
// returns the concatenated chunks: one LZX stream.
std::vector<uint8_t> deblock(const Parser& p, const Layout& l, const OptHeader& ffi, const std::vector<uint8_t>& plain,
                             uint32_t& blocks) {
  std::vector<uint8_t> lzx;
  uint64_t pos = 0;
  uint32_t size = l.first_size;
  Sha1Digest hash = l.first_hash;
  uint64_t size_field = ffi.data_off + kFfiFirstBlockSize;  // file offset of the current block's size
  blocks = 0;
  while (size != 0) {
    const uint64_t at = l.data_off + pos;
    if (size < kLzxBlockInfoSize || pos + size > plain.size())
      p.bad("LZX block {} size 0x{:x} at offset 0x{:x}: the block at offset 0x{:x} is shorter than its 24-byte "
            "header or runs past the end of the file ({} bytes)", blocks, size, size_field, at, p.size());
    if (sha1(plain.data() + pos, size) != hash)
      p.bad("LZX block {} at offset 0x{:x} (0x{:x} bytes): its SHA-1 does not match the digest that precedes it "
            "(the data is corrupt)", blocks, at, size);
    const uint8_t* b = plain.data() + pos;
    const uint32_t next_size = load_be<uint32_t>(b);
    Sha1Digest next_hash;
    std::memcpy(next_hash.data(), b + 4, kSha1Size);
    for (uint64_t c = kLzxBlockInfoSize;;) {
      if (c + 2 > size)
        p.bad("LZX block {} at offset 0x{:x}: its chunk list has no terminating zero size before the block ends "
              "(0x{:x} bytes)", blocks, at, size);
      const uint32_t chunk = uint32_t(b[c]) << 8 | b[c + 1];
      if (chunk == 0) break;
      if (c + 2 + chunk > size)
        p.bad("LZX block {} at offset 0x{:x}: chunk size 0x{:x} at offset 0x{:x} runs past the block's end", blocks,
              at, chunk, at + c);
      lzx.insert(lzx.end(), b + c + 2, b + c + 2 + chunk);
      c += 2 + uint64_t(chunk);
    }
    size_field = at;
    pos += size;
    size = next_size;
    hash = next_hash;
    ++blocks;
  }
  return lzx;
}

}  // namespace

void decode_image(const Parser& p, const OptHeader& ffi, XexHeaders& h, uint32_t image_size, uint32_t sec_off,
                  std::vector<uint8_t>& image) {
  if (ffi.data_size < kFfiHeaderSize)
    p.bad("file format info size {} at offset 0x{:x} is smaller than 8", ffi.data_size, ffi.data_off);
  h.encryption = p.u16(ffi.data_off + 4, "encryption type");
  h.compression = p.u16(ffi.data_off + 6, "compression type");
  if (h.compression == kCompressionDelta)
    p.unsupported("compression type 3 at offset 0x{:x} is a delta patch (XEXP), which hexad does not apply; load "
                  "the base title instead", ffi.data_off + 6);
  if (h.encryption > kEncryptionNormal)
    p.bad("encryption type {} at offset 0x{:x} (want 0 none or 1 normal)", h.encryption, ffi.data_off + 4);
  if (h.compression > kCompressionNormal)
    p.bad("compression type {} at offset 0x{:x} (want 0 none, 1 basic or 2 normal)", h.compression, ffi.data_off + 6);
  const Layout l = check_layout(p, ffi, h, image_size);

  std::optional<AesKey> key;
  if (h.encryption == kEncryptionNormal) {
    for (MasterKey m : {MasterKey::Retail, MasterKey::Devkit}) {
      const AesKey k = decrypt_file_key(m, p.data(sec_off + kSecImageKey));
      if (key_fits(p, l, h, k)) {
        key = k;
        h.key = m == MasterKey::Retail ? XexKey::Retail : XexKey::Devkit;
        break;
      }
    }
    if (!key)
      p.bad("encrypted image data at offset 0x{:x}: the file key at offset 0x{:x} decrypts it to neither {} with the "
            "retail key nor with the devkit key (a corrupt key or corrupt data)", l.data_off, sec_off + kSecImageKey,
            h.compression == kCompressionNormal ? "a first LZX block matching its SHA-1" : "a PE image (\"MZ\")");
  }

  image.assign(image_size, 0);
  if (h.compression == kCompressionNone) {
    if (key) AesCbc(*key, false).update(p.data(l.data_off), image.data(), image_size);
    else std::memcpy(image.data(), p.data(l.data_off), image_size);
  } else if (h.compression == kCompressionBasic) {
    std::optional<AesCbc> cbc;
    if (key) cbc.emplace(*key, false);
    uint64_t src = l.data_off, dst = 0;
    for (const BasicBlock& b : l.basic) {
      if (cbc) cbc->update(p.data(src), image.data() + dst, b.data);
      else std::memcpy(image.data() + dst, p.data(src), b.data);
      src += b.data;
      dst += uint64_t(b.data) + b.zero;
    }
    h.data_blocks = uint32_t(l.basic.size());
  } else {
    std::vector<uint8_t> plain =
        key ? decrypt_all(p, l, *key) : std::vector<uint8_t>(p.data(l.data_off), p.data(l.data_off) + l.data_size);
    const std::vector<uint8_t> lzx = deblock(p, l, ffi, plain, h.data_blocks);
    h.lzx_window_size = l.window;
    const std::string why = lzx_decompress(lzx.data(), lzx.size(), image.data(), image.size(), l.window);
    if (!why.empty())
      p.bad("the LZX data of the {} block(s) from offset 0x{:x} ({} bytes of chunks) does not decompress to the "
            "0x{:x}-byte image: {}", h.data_blocks, l.data_off, lzx.size(), image_size, why);
  }
}

}  // namespace hexad::loader::detail
