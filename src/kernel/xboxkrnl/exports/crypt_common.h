// What the XeCrypt area files share (crypt.cc, crypt_hash.cc, crypt_bignum.cc): guest range
// checks, the guest form of the 32-bit-word hash states (SHA-1, SHA-256, MD5) and their
// update/final/one-shot paths, and BnQwNe numbers as libcrypto BIGNUMs. See crypt.cc's header
// for the state layouts.
#pragma once
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/bn.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include "kernel/xboxkrnl/exports/shim.h"

namespace hexad::kernel::xecrypt {

// Host pointer to `size` guest bytes after checking they can be accessed (faults otherwise). An
// empty range is never checked: a zero size with any pointer is a no-op.
inline const uint8_t* guest_in(cpu::Memory& mem, uint32_t addr, uint32_t size) {
  if (size) GuestPtr<void>(mem, addr).probe(size, cpu::Access::Read);
  return mem.host(addr);
}
inline void probe_out(cpu::Memory& mem, uint32_t addr, uint32_t size) {
  if (size) GuestPtr<void>(mem, addr).probe(size, cpu::Access::Write);
}

// ---- SHA-1 and SHA-256 states ---------------------------------------------------------------

// The guest form of a SHA context: count, `Words` chaining words, a 64-byte block buffer.
template <typename Ctx, int Words>
struct ShaState {
  static constexpr uint32_t kSize = 4 + 4 * Words + 64;
  static uint32_t* words(SHA_CTX& c) { return &c.h0; }
  static uint32_t* words(SHA256_CTX& c) { return c.h; }
  static uint32_t* words(MD5_CTX& c) { return &c.A; }

  static Ctx load(cpu::Memory& mem, uint32_t addr, int (*init)(Ctx*)) {
    Ctx c;
    init(&c);
    const uint32_t count = mem.read32(addr);
    for (int i = 0; i < Words; ++i) words(c)[i] = mem.read32(addr + 4 + 4 * uint32_t(i));
    c.Nl = count << 3;
    c.Nh = count >> 29;
    c.num = count % 64;
    mem.read_bytes(addr + 4 + 4 * Words, c.data, c.num);
    return c;
  }
  static void store(cpu::Memory& mem, uint32_t addr, const Ctx& c) {
    Ctx copy = c;
    mem.write32(addr, (copy.Nh << 29) | (copy.Nl >> 3));
    for (int i = 0; i < Words; ++i) mem.write32(addr + 4 + 4 * uint32_t(i), words(copy)[i]);
    std::array<uint8_t, 64> block{};
    std::memcpy(block.data(), copy.data, copy.num);
    mem.write_bytes(addr + 4 + 4 * Words, block.data(), 64);
  }
};
using Sha1State = ShaState<SHA_CTX, 5>;
using Sha256State = ShaState<SHA256_CTX, 8>;
using Md5State = ShaState<MD5_CTX, 4>;  // count, buf[4] (A B C D), in[64]: 0x54 bytes

template <typename State, typename Ctx>
void sha_update(cpu::Memory& mem, uint32_t state, uint32_t input, uint32_t size, int (*init)(Ctx*),
                int (*update)(Ctx*, const void*, size_t)) {
  probe_out(mem, state, State::kSize);
  const uint8_t* in = guest_in(mem, input, size);
  Ctx c = State::load(mem, state, init);
  update(&c, in, size);
  State::store(mem, state, c);
}

// Final: writes min(digest, out_size) bytes; the state's chaining words then hold the digest
// and its buffer is empty, as after the console's in-place padding.
template <typename State, typename Ctx, size_t DigestSize>
void sha_final(cpu::Memory& mem, uint32_t state, uint32_t out, uint32_t out_size, int (*init)(Ctx*),
               int (*final)(unsigned char*, Ctx*)) {
  const uint32_t n = std::min<uint32_t>(out_size, DigestSize);
  probe_out(mem, state, State::kSize);
  probe_out(mem, out, n);
  Ctx c = State::load(mem, state, init);
  std::array<uint8_t, DigestSize> digest;
  final(digest.data(), &c);
  c.num = 0;
  State::store(mem, state, c);
  mem.write_bytes(out, digest.data(), n);
}

// The one-shot forms hash up to three (pointer, size) pieces; a NULL or empty piece is skipped.
template <typename Ctx, size_t DigestSize>
void sha_oneshot(cpu::Memory& mem, const uint32_t (&pieces)[3][2], uint32_t out, uint32_t out_size, int (*init)(Ctx*),
                 int (*update)(Ctx*, const void*, size_t), int (*final)(unsigned char*, Ctx*)) {
  const uint32_t n = std::min<uint32_t>(out_size, DigestSize);
  probe_out(mem, out, n);
  Ctx c;
  init(&c);
  for (const auto& piece : pieces)
    if (piece[0] && piece[1]) update(&c, guest_in(mem, piece[0], piece[1]), piece[1]);
  std::array<uint8_t, DigestSize> digest;
  final(digest.data(), &c);
  mem.write_bytes(out, digest.data(), n);
}

// "BnQw" numbers are arrays of 64-bit words, least significant word first; "Ne" (native endian):
// each word big-endian, as the PowerPC stores it.
inline BIGNUM* load_bn(cpu::Memory& mem, uint32_t addr, uint32_t qwords) {
  std::unique_ptr<uint8_t[]> be(new uint8_t[8 * qwords]);
  for (uint32_t i = 0; i < qwords; ++i) mem.read_bytes(addr + 8 * i, be.get() + 8 * (qwords - 1 - i), 8);
  return BN_bin2bn(be.get(), int(8 * qwords), nullptr);
}


using Bn = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
using BnCtx = std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)>;
inline Bn new_bn() { return Bn(BN_new(), BN_free); }
inline Bn guest_bn(cpu::Memory& mem, uint32_t addr, uint32_t qwords) { return Bn(load_bn(mem, addr, qwords), BN_free); }
inline BnCtx new_bn_ctx() { return BnCtx(BN_CTX_new(), BN_CTX_free); }

// Writes `value` as a `qwords`-digit BnQwNe number; false (nothing written) when it does not fit.
inline bool store_bn(cpu::Memory& mem, uint32_t addr, uint32_t qwords, const BIGNUM* value) {
  std::unique_ptr<uint8_t[]> be(new uint8_t[8 * qwords]);
  if (BN_bn2binpad(value, be.get(), int(8 * qwords)) < 0) return false;
  for (uint32_t i = 0; i < qwords; ++i) mem.write_bytes(addr + 8 * i, be.get() + 8 * (qwords - 1 - i), 8);
  return true;
}

}  // namespace hexad::kernel::xecrypt
