// XeCrypt* exports through libcrypto (OpenSSL), never hand-written primitives. The guest's state
// structures keep the console's layouts (xenia-canary's src/xenia/kernel/xboxkrnl/xboxkrnl_crypt.cc):
//   XECRYPT_SHA_STATE    count (bytes hashed, u32), state[5] (u32), buffer[64]       0x58 bytes
//   XECRYPT_SHA256_STATE count (u32), state[8] (u32), buffer[64]                     0x64 bytes
//   XECRYPT_HMACSHA_STATE two SHA states: inner, outer                                0xB0 bytes
//   XECRYPT_RC4_STATE    S[256], i, j (bytes)                                         0x102 bytes
//   XECRYPT_AES_STATE    encryption round keys [11][16], decryption round keys [11][16] 0x160 bytes
//   XECRYPT_RSA          cqw (modulus size in qwords), public exponent, pad; modulus follows
//   XECRYPT_DES_STATE    a key schedule, 0x80 bytes; XECRYPT_DES3_STATE three of them, 0x180
//                        (their content is libcrypto's DES_key_schedule: opaque to titles, and
//                        not the console's bytes)
// Each call loads the guest state into libcrypto's context, runs the primitive and stores the
// state back, so a title may copy, inspect or resume a state as on the console. Bad pointers fault
// the caller before any guest byte changes (every range is probed first).
//
// The low-level SHA1/SHA256/RC4/AES/BN APIs are deprecated in OpenSSL 3 but are the ones whose
// contexts expose the chaining state the guest structures hold; EVP hides it.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/aes.h>
#include <openssl/bn.h>
#include <openssl/des.h>
#include <openssl/md5.h>
#include <openssl/rc4.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "kernel/xboxkrnl/exports/crypt_common.h"
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

using namespace xecrypt;

HEXAD_EXPORTS_BEGIN;

void XeCryptShaInit(ExportContext& x, GuestPtr<void> state) {
  probe_out(x.mem(), state.addr(), Sha1State::kSize);
  SHA_CTX c;
  SHA1_Init(&c);
  Sha1State::store(x.mem(), state.addr(), c);
}
HEXAD_EXPORT(xboxkrnl, 0x018F, XeCryptShaInit, Implemented);

void XeCryptShaUpdate(ExportContext& x, GuestPtr<void> state, GuestPtr<void> input, uint32_t size) {
  sha_update<Sha1State, SHA_CTX>(x.mem(), state.addr(), input.addr(), size, SHA1_Init, SHA1_Update);
}
HEXAD_EXPORT(xboxkrnl, 0x0190, XeCryptShaUpdate, Implemented);

void XeCryptShaFinal(ExportContext& x, GuestPtr<void> state, GuestPtr<void> out, uint32_t out_size) {
  sha_final<Sha1State, SHA_CTX, SHA_DIGEST_LENGTH>(x.mem(), state.addr(), out.addr(), out_size, SHA1_Init, SHA1_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x0191, XeCryptShaFinal, Implemented);

// XeCryptSha(in1, size1, in2, size2, in3, size3, out, out_size).
void XeCryptSha(ExportContext& x, GuestPtr<void> in1, uint32_t size1, GuestPtr<void> in2, uint32_t size2,
                GuestPtr<void> in3, uint32_t size3, GuestPtr<void> out, uint32_t out_size) {
  const uint32_t pieces[3][2] = {{in1.addr(), size1}, {in2.addr(), size2}, {in3.addr(), size3}};
  sha_oneshot<SHA_CTX, SHA_DIGEST_LENGTH>(x.mem(), pieces, out.addr(), out_size, SHA1_Init, SHA1_Update, SHA1_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x0192, XeCryptSha, Implemented);

void XeCryptSha256Init(ExportContext& x, GuestPtr<void> state) {
  probe_out(x.mem(), state.addr(), Sha256State::kSize);
  SHA256_CTX c;
  SHA256_Init(&c);
  Sha256State::store(x.mem(), state.addr(), c);
}
HEXAD_EXPORT(xboxkrnl, 0x0310, XeCryptSha256Init, Implemented);

void XeCryptSha256Update(ExportContext& x, GuestPtr<void> state, GuestPtr<void> input, uint32_t size) {
  sha_update<Sha256State, SHA256_CTX>(x.mem(), state.addr(), input.addr(), size, SHA256_Init, SHA256_Update);
}
HEXAD_EXPORT(xboxkrnl, 0x0311, XeCryptSha256Update, Implemented);

void XeCryptSha256Final(ExportContext& x, GuestPtr<void> state, GuestPtr<void> out, uint32_t out_size) {
  sha_final<Sha256State, SHA256_CTX, SHA256_DIGEST_LENGTH>(x.mem(), state.addr(), out.addr(), out_size, SHA256_Init,
                                                           SHA256_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x0312, XeCryptSha256Final, Implemented);

void XeCryptSha256(ExportContext& x, GuestPtr<void> in1, uint32_t size1, GuestPtr<void> in2, uint32_t size2,
                   GuestPtr<void> in3, uint32_t size3, GuestPtr<void> out, uint32_t out_size) {
  const uint32_t pieces[3][2] = {{in1.addr(), size1}, {in2.addr(), size2}, {in3.addr(), size3}};
  sha_oneshot<SHA256_CTX, SHA256_DIGEST_LENGTH>(x.mem(), pieces, out.addr(), out_size, SHA256_Init, SHA256_Update,
                                                SHA256_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x0313, XeCryptSha256, Implemented);

// The one-shot MD5, SHA-384 and SHA-512: the XeCryptSha form, (in1, size1, in2, size2, in3, size3,
// out, out_size), as xenia-canary's XeCryptMd5 (xboxkrnl_crypt.cc) and the console's prototypes
// in public headers; a NULL or empty piece is skipped, min(digest, out_size) bytes are written.
void XeCryptMd5(ExportContext& x, GuestPtr<void> in1, uint32_t size1, GuestPtr<void> in2, uint32_t size2,
                GuestPtr<void> in3, uint32_t size3, GuestPtr<void> out, uint32_t out_size) {
  const uint32_t pieces[3][2] = {{in1.addr(), size1}, {in2.addr(), size2}, {in3.addr(), size3}};
  sha_oneshot<MD5_CTX, MD5_DIGEST_LENGTH>(x.mem(), pieces, out.addr(), out_size, MD5_Init, MD5_Update, MD5_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x0187, XeCryptMd5, Implemented);

void XeCryptSha384(ExportContext& x, GuestPtr<void> in1, uint32_t size1, GuestPtr<void> in2, uint32_t size2,
                   GuestPtr<void> in3, uint32_t size3, GuestPtr<void> out, uint32_t out_size) {
  const uint32_t pieces[3][2] = {{in1.addr(), size1}, {in2.addr(), size2}, {in3.addr(), size3}};
  sha_oneshot<SHA512_CTX, SHA384_DIGEST_LENGTH>(x.mem(), pieces, out.addr(), out_size, SHA384_Init, SHA384_Update,
                                                SHA384_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x031E, XeCryptSha384, Implemented);

void XeCryptSha512(ExportContext& x, GuestPtr<void> in1, uint32_t size1, GuestPtr<void> in2, uint32_t size2,
                   GuestPtr<void> in3, uint32_t size3, GuestPtr<void> out, uint32_t out_size) {
  const uint32_t pieces[3][2] = {{in1.addr(), size1}, {in2.addr(), size2}, {in3.addr(), size3}};
  sha_oneshot<SHA512_CTX, SHA512_DIGEST_LENGTH>(x.mem(), pieces, out.addr(), out_size, SHA512_Init, SHA512_Update,
                                                SHA512_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x0325, XeCryptSha512, Implemented);

// ---- HMAC-SHA1 (RFC 2104) over two guest SHA states -----------------------------------------

// inner = SHA1 over key ^ ipad, outer = SHA1 over key ^ opad, with a key longer than the 64-byte
// block replaced by its SHA-1 (RFC 2104; xenia's XeCryptHmacSha pads the same way).
std::array<SHA_CTX, 2> hmac_sha_pads(cpu::Memory& mem, uint32_t key, uint32_t key_size) {
  const uint8_t* k = guest_in(mem, key, key_size);
  std::array<uint8_t, 64> block{};
  if (key_size > 64) SHA1(k, key_size, block.data());
  else std::memcpy(block.data(), k, key_size);
  std::array<SHA_CTX, 2> pads;
  for (int pad = 0; pad < 2; ++pad) {
    std::array<uint8_t, 64> padded;
    for (size_t i = 0; i < 64; ++i) padded[i] = block[i] ^ (pad == 0 ? 0x36 : 0x5C);
    SHA1_Init(&pads[pad]);
    SHA1_Update(&pads[pad], padded.data(), padded.size());
  }
  return pads;
}

// XeCryptHmacShaInit(state, key, key_size): the two pads' SHA states, inner first.
void XeCryptHmacShaInit(ExportContext& x, GuestPtr<void> state, GuestPtr<void> key, uint32_t key_size) {
  probe_out(x.mem(), state.addr(), 2 * Sha1State::kSize);
  const std::array<SHA_CTX, 2> pads = hmac_sha_pads(x.mem(), key.addr(), key_size);
  for (uint32_t pad = 0; pad < 2; ++pad) Sha1State::store(x.mem(), state.addr() + pad * Sha1State::kSize, pads[pad]);
}
HEXAD_EXPORT(xboxkrnl, 0x017F, XeCryptHmacShaInit, Implemented);

void XeCryptHmacShaUpdate(ExportContext& x, GuestPtr<void> state, GuestPtr<void> input, uint32_t size) {
  probe_out(x.mem(), state.addr(), 2 * Sha1State::kSize);
  sha_update<Sha1State, SHA_CTX>(x.mem(), state.addr(), input.addr(), size, SHA1_Init, SHA1_Update);
}
HEXAD_EXPORT(xboxkrnl, 0x0180, XeCryptHmacShaUpdate, Implemented);

void XeCryptHmacShaFinal(ExportContext& x, GuestPtr<void> state, GuestPtr<void> out, uint32_t out_size) {
  const uint32_t n = std::min<uint32_t>(out_size, SHA_DIGEST_LENGTH);
  probe_out(x.mem(), state.addr(), 2 * Sha1State::kSize);
  probe_out(x.mem(), out.addr(), n);
  SHA_CTX inner = Sha1State::load(x.mem(), state.addr(), SHA1_Init);
  std::array<uint8_t, SHA_DIGEST_LENGTH> digest;
  SHA1_Final(digest.data(), &inner);
  inner.num = 0;
  Sha1State::store(x.mem(), state.addr(), inner);
  SHA_CTX outer = Sha1State::load(x.mem(), state.addr() + Sha1State::kSize, SHA1_Init);
  SHA1_Update(&outer, digest.data(), digest.size());
  SHA1_Final(digest.data(), &outer);
  outer.num = 0;
  Sha1State::store(x.mem(), state.addr() + Sha1State::kSize, outer);
  x.mem().write_bytes(out.addr(), digest.data(), n);
}
HEXAD_EXPORT(xboxkrnl, 0x0181, XeCryptHmacShaFinal, Implemented);

// XeCryptHmacSha(key, key_size, in1, size1, in2, size2, in3, size3, out, out_size): the one-shot
// HMAC-SHA1 of up to three pieces (xenia-canary xboxkrnl_crypt.cc, ten arguments: out and
// out_size are the ninth and tenth, on the caller's stack). A NULL or empty piece is skipped;
// min(20, out_size) bytes of the MAC are written.
void XeCryptHmacSha(ExportContext& x, GuestPtr<void> key, uint32_t key_size, GuestPtr<void> in1, uint32_t size1,
                    GuestPtr<void> in2, uint32_t size2, GuestPtr<void> in3, uint32_t size3, StackArgs stack) {
  const uint32_t out = stack.word(0), n = std::min<uint32_t>(stack.word(1), SHA_DIGEST_LENGTH);
  probe_out(x.mem(), out, n);
  std::array<SHA_CTX, 2> pads = hmac_sha_pads(x.mem(), key.addr(), key_size);
  const uint32_t pieces[3][2] = {{in1.addr(), size1}, {in2.addr(), size2}, {in3.addr(), size3}};
  for (const auto& piece : pieces)
    if (piece[0] && piece[1]) SHA1_Update(&pads[0], guest_in(x.mem(), piece[0], piece[1]), piece[1]);
  std::array<uint8_t, SHA_DIGEST_LENGTH> digest;
  SHA1_Final(digest.data(), &pads[0]);
  SHA1_Update(&pads[1], digest.data(), digest.size());
  SHA1_Final(digest.data(), &pads[1]);
  x.mem().write_bytes(out, digest.data(), n);
}
HEXAD_EXPORT(xboxkrnl, 0x0182, XeCryptHmacSha, Implemented);

// ---- RC4 ------------------------------------------------------------------------------------

constexpr uint32_t kRc4StateSize = 0x102;

RC4_KEY load_rc4(cpu::Memory& mem, uint32_t addr) {
  RC4_KEY k;
  for (uint32_t i = 0; i < 256; ++i) k.data[i] = mem.read8(addr + i);
  k.x = mem.read8(addr + 0x100);
  k.y = mem.read8(addr + 0x101);
  return k;
}
void store_rc4(cpu::Memory& mem, uint32_t addr, const RC4_KEY& k) {
  std::array<uint8_t, kRc4StateSize> bytes;
  for (uint32_t i = 0; i < 256; ++i) bytes[i] = uint8_t(k.data[i]);
  bytes[0x100] = uint8_t(k.x);
  bytes[0x101] = uint8_t(k.y);
  mem.write_bytes(addr, bytes.data(), kRc4StateSize);
}

// The key schedule reads at most 256 key bytes. A zero-size key has no schedule (RC4 is undefined
// for it): the state is the identity permutation.
RC4_KEY rc4_schedule(cpu::Memory& mem, uint32_t key, uint32_t key_size) {
  const uint32_t used = std::min<uint32_t>(key_size, 256);
  const uint8_t* k = guest_in(mem, key, used);
  RC4_KEY rc4{};
  if (used) RC4_set_key(&rc4, int(used), k);
  else
    for (uint32_t i = 0; i < 256; ++i) rc4.data[i] = i;
  return rc4;
}

// En/decrypts `size` guest bytes in place (through a copy, so the write takes the checked path).
void rc4_in_place(cpu::Memory& mem, RC4_KEY& rc4, uint32_t data, uint32_t size) {
  probe_out(mem, data, size);
  const uint8_t* p = guest_in(mem, data, size);
  std::vector<uint8_t> buf(p, p + size);
  if (size) RC4(&rc4, size, buf.data(), buf.data());
  mem.write_bytes(data, buf.data(), size);
}

// XeCryptRc4Key(state, key, key_size).
void XeCryptRc4Key(ExportContext& x, GuestPtr<void> state, GuestPtr<void> key, uint32_t key_size) {
  probe_out(x.mem(), state.addr(), kRc4StateSize);
  store_rc4(x.mem(), state.addr(), rc4_schedule(x.mem(), key.addr(), key_size));
}
HEXAD_EXPORT(xboxkrnl, 0x018B, XeCryptRc4Key, Implemented);

// XeCryptRc4Ecb(state, data, size): en/decrypts in place and advances the state.
void XeCryptRc4Ecb(ExportContext& x, GuestPtr<void> state, GuestPtr<void> data, uint32_t size) {
  probe_out(x.mem(), state.addr(), kRc4StateSize);
  RC4_KEY rc4 = load_rc4(x.mem(), state.addr());
  rc4_in_place(x.mem(), rc4, data.addr(), size);
  store_rc4(x.mem(), state.addr(), rc4);
}
HEXAD_EXPORT(xboxkrnl, 0x018C, XeCryptRc4Ecb, Implemented);

// XeCryptRc4(key, key_size, data, size): a fresh state, not kept.
void XeCryptRc4(ExportContext& x, GuestPtr<void> key, uint32_t key_size, GuestPtr<void> data, uint32_t size) {
  probe_out(x.mem(), data.addr(), size);
  RC4_KEY rc4 = rc4_schedule(x.mem(), key.addr(), key_size);
  rc4_in_place(x.mem(), rc4, data.addr(), size);
}
HEXAD_EXPORT(xboxkrnl, 0x018D, XeCryptRc4, Implemented);

// ---- AES-128 --------------------------------------------------------------------------------

constexpr uint32_t kAesStateSize = 0x160, kAesScheduleWords = 44;

// The console's schedule is round keys as byte arrays. libcrypto's AES_KEY holds them as 32-bit
// words: its portable C code as big-endian-loaded numbers, its x86-64 assembly (Debian's build) as
// the bytes in memory order. Which one this libcrypto uses is found once, from a known key's first
// round key (the key itself).
static_assert(sizeof(AES_KEY::rd_key[0]) == 4, "AES_KEY round keys are 32-bit words");
bool schedule_words_are_numbers() {
  static const bool numbers = [] {
    const uint8_t key[16] = {1, 2, 3, 4};
    AES_KEY k;
    AES_set_encrypt_key(key, 128, &k);
    return uint32_t(k.rd_key[0]) == 0x01020304u;
  }();
  return numbers;
}
void store_schedule(cpu::Memory& mem, uint32_t addr, const AES_KEY& k) {
  std::array<uint8_t, 4 * kAesScheduleWords> bytes;
  for (uint32_t i = 0; i < kAesScheduleWords; ++i) {
    const uint32_t w = uint32_t(k.rd_key[i]);
    if (schedule_words_are_numbers())
      for (uint32_t b = 0; b < 4; ++b) bytes[4 * i + b] = uint8_t(w >> (24 - 8 * b));
    else
      std::memcpy(&bytes[4 * i], &w, 4);
  }
  mem.write_bytes(addr, bytes.data(), uint32_t(bytes.size()));
}
AES_KEY load_schedule(cpu::Memory& mem, uint32_t addr) {
  std::array<uint8_t, 4 * kAesScheduleWords> bytes;
  mem.read_bytes(addr, bytes.data(), uint32_t(bytes.size()));
  AES_KEY k{};
  for (uint32_t i = 0; i < kAesScheduleWords; ++i) {
    uint32_t w;
    if (schedule_words_are_numbers())
      w = uint32_t(bytes[4 * i]) << 24 | uint32_t(bytes[4 * i + 1]) << 16 | uint32_t(bytes[4 * i + 2]) << 8 |
          bytes[4 * i + 3];
    else
      std::memcpy(&w, &bytes[4 * i], 4);
    k.rd_key[i] = w;
  }
  k.rounds = 10;
  return k;
}

// XeCryptAesKey(state, key[16]).
void XeCryptAesKey(ExportContext& x, GuestPtr<void> state, GuestPtr<void> key) {
  probe_out(x.mem(), state.addr(), kAesStateSize);
  const uint8_t* k = guest_in(x.mem(), key.addr(), 16);
  AES_KEY enc, dec;
  AES_set_encrypt_key(k, 128, &enc);
  AES_set_decrypt_key(k, 128, &dec);
  store_schedule(x.mem(), state.addr(), enc);
  store_schedule(x.mem(), state.addr() + kAesStateSize / 2, dec);
}
HEXAD_EXPORT(xboxkrnl, 0x0159, XeCryptAesKey, Implemented);

// XeCryptAesEcb(state, in[16], out[16], encrypt): one block.
void XeCryptAesEcb(ExportContext& x, GuestPtr<void> state, GuestPtr<void> in, GuestPtr<void> out, uint32_t encrypt) {
  guest_in(x.mem(), state.addr(), kAesStateSize);
  std::array<uint8_t, 16> block;
  x.mem().read_bytes(in.addr(), block.data(), 16);
  probe_out(x.mem(), out.addr(), 16);
  const AES_KEY k = load_schedule(x.mem(), state.addr() + (encrypt ? 0 : kAesStateSize / 2));
  if (encrypt) AES_encrypt(block.data(), block.data(), &k);
  else AES_decrypt(block.data(), block.data(), &k);
  x.mem().write_bytes(out.addr(), block.data(), 16);
}
HEXAD_EXPORT(xboxkrnl, 0x015A, XeCryptAesEcb, Implemented);

// XeCryptAesCbc(state, in, size, out, feed[16], encrypt): CBC over ceil(size / 16) blocks, as the
// console's loop runs; feed is the IV on entry and the last ciphertext block on return.
void XeCryptAesCbc(ExportContext& x, GuestPtr<void> state, GuestPtr<void> in, uint32_t size, GuestPtr<void> out,
                   GuestPtr<void> feed, uint32_t encrypt) {
  const uint64_t padded = (uint64_t(size) + 15) / 16 * 16;
  if (padded > 0xFFFFFFFFull) throw cpu::MemoryFault{in.addr(), size, cpu::Access::Read};
  const uint32_t n = uint32_t(padded);
  guest_in(x.mem(), state.addr(), kAesStateSize);
  const uint8_t* src = guest_in(x.mem(), in.addr(), n);
  probe_out(x.mem(), out.addr(), n);
  std::array<uint8_t, 16> iv;
  x.mem().read_bytes(feed.addr(), iv.data(), 16);
  probe_out(x.mem(), feed.addr(), 16);
  const AES_KEY k = load_schedule(x.mem(), state.addr() + (encrypt ? 0 : kAesStateSize / 2));
  // Through a copy: in and out may overlap in any way.
  std::unique_ptr<uint8_t[]> buf(new uint8_t[n ? n : 1]);
  std::memcpy(buf.get(), src, n);
  if (n) AES_cbc_encrypt(buf.get(), buf.get(), n, &k, iv.data(), encrypt ? AES_ENCRYPT : AES_DECRYPT);
  x.mem().write_bytes(out.addr(), buf.get(), n);
  x.mem().write_bytes(feed.addr(), iv.data(), 16);
}
HEXAD_EXPORT(xboxkrnl, 0x015B, XeCryptAesCbc, Implemented);

// ---- DES and triple DES ----------------------------------------------------------------------

constexpr uint32_t kDesStateSize = 0x80;
static_assert(sizeof(DES_key_schedule) == kDesStateSize, "DES_key_schedule is the console state's size");

DES_key_schedule load_des(cpu::Memory& mem, uint32_t addr) {
  DES_key_schedule ks;
  mem.read_bytes(addr, &ks, kDesStateSize);
  return ks;
}
void store_des(cpu::Memory& mem, uint32_t addr, const DES_key_schedule& ks) { mem.write_bytes(addr, &ks, kDesStateSize); }

// The key bytes as given: the console does not check or fix their parity bits (XeCryptDesParity does).
DES_key_schedule des_schedule(cpu::Memory& mem, uint32_t key) {
  DES_cblock k;
  mem.read_bytes(key, k, 8);
  DES_key_schedule ks;
  DES_set_key_unchecked(&k, &ks);
  return ks;
}

// XeCryptDesKey(state, key[8]).
void XeCryptDesKey(ExportContext& x, GuestPtr<void> state, GuestPtr<void> key) {
  probe_out(x.mem(), state.addr(), kDesStateSize);
  store_des(x.mem(), state.addr(), des_schedule(x.mem(), key.addr()));
}
HEXAD_EXPORT(xboxkrnl, 0x0175, XeCryptDesKey, Implemented);

// The ECB and CBC forms of DES (one schedule) and triple DES (three, encrypt-decrypt-encrypt).
struct DesKeys {
  int count;  // 1 or 3
  DES_key_schedule ks[3];
};
DesKeys load_des_keys(cpu::Memory& mem, uint32_t state, int count) {
  guest_in(mem, state, kDesStateSize * uint32_t(count));
  DesKeys k{count, {}};
  for (int i = 0; i < count; ++i) k.ks[i] = load_des(mem, state + kDesStateSize * uint32_t(i));
  return k;
}
void des_ecb(cpu::Memory& mem, DesKeys& k, uint32_t in, uint32_t out, bool encrypt) {
  DES_cblock block, result;
  mem.read_bytes(in, block, 8);
  probe_out(mem, out, 8);
  if (k.count == 1) DES_ecb_encrypt(&block, &result, &k.ks[0], encrypt ? DES_ENCRYPT : DES_DECRYPT);
  else DES_ecb3_encrypt(&block, &result, &k.ks[0], &k.ks[1], &k.ks[2], encrypt ? DES_ENCRYPT : DES_DECRYPT);
  mem.write_bytes(out, result, 8);
}
// size / 8 whole blocks (a partial last block is ignored, as xenia's loop does); feed is the IV
// on entry and the last ciphertext block on return.
void des_cbc(cpu::Memory& mem, DesKeys& k, uint32_t in, uint32_t size, uint32_t out, uint32_t feed, bool encrypt) {
  const uint32_t n = size / 8 * 8;
  const uint8_t* src = guest_in(mem, in, n);
  probe_out(mem, out, n);
  DES_cblock iv;
  mem.read_bytes(feed, iv, 8);
  probe_out(mem, feed, 8);
  std::vector<uint8_t> buf(src, src + n);
  const int enc = encrypt ? DES_ENCRYPT : DES_DECRYPT;
  if (n && k.count == 1) DES_ncbc_encrypt(buf.data(), buf.data(), long(n), &k.ks[0], &iv, enc);
  else if (n) DES_ede3_cbc_encrypt(buf.data(), buf.data(), long(n), &k.ks[0], &k.ks[1], &k.ks[2], &iv, enc);
  mem.write_bytes(out, buf.data(), n);
  mem.write_bytes(feed, iv, 8);
}

// XeCryptDesEcb(state, in[8], out[8], encrypt).
void XeCryptDesEcb(ExportContext& x, GuestPtr<void> state, GuestPtr<void> in, GuestPtr<void> out, uint32_t encrypt) {
  DesKeys k = load_des_keys(x.mem(), state.addr(), 1);
  des_ecb(x.mem(), k, in.addr(), out.addr(), encrypt != 0);
}
HEXAD_EXPORT(xboxkrnl, 0x0176, XeCryptDesEcb, Implemented);

// XeCryptDesCbc(state, in, size, out, feed[8], encrypt).
void XeCryptDesCbc(ExportContext& x, GuestPtr<void> state, GuestPtr<void> in, uint32_t size, GuestPtr<void> out,
                   GuestPtr<void> feed, uint32_t encrypt) {
  DesKeys k = load_des_keys(x.mem(), state.addr(), 1);
  des_cbc(x.mem(), k, in.addr(), size, out.addr(), feed.addr(), encrypt != 0);
}
HEXAD_EXPORT(xboxkrnl, 0x0177, XeCryptDesCbc, Implemented);

// XeCryptDes3Key(state, key[24]): three schedules, keys 1, 2, 3.
void XeCryptDes3Key(ExportContext& x, GuestPtr<void> state, GuestPtr<void> key) {
  probe_out(x.mem(), state.addr(), 3 * kDesStateSize);
  guest_in(x.mem(), key.addr(), 24);
  for (uint32_t i = 0; i < 3; ++i)
    store_des(x.mem(), state.addr() + kDesStateSize * i, des_schedule(x.mem(), key.addr() + 8 * i));
}
HEXAD_EXPORT(xboxkrnl, 0x0178, XeCryptDes3Key, Implemented);

void XeCryptDes3Ecb(ExportContext& x, GuestPtr<void> state, GuestPtr<void> in, GuestPtr<void> out, uint32_t encrypt) {
  DesKeys k = load_des_keys(x.mem(), state.addr(), 3);
  des_ecb(x.mem(), k, in.addr(), out.addr(), encrypt != 0);
}
HEXAD_EXPORT(xboxkrnl, 0x0179, XeCryptDes3Ecb, Implemented);

void XeCryptDes3Cbc(ExportContext& x, GuestPtr<void> state, GuestPtr<void> in, uint32_t size, GuestPtr<void> out,
                    GuestPtr<void> feed, uint32_t encrypt) {
  DesKeys k = load_des_keys(x.mem(), state.addr(), 3);
  des_cbc(x.mem(), k, in.addr(), size, out.addr(), feed.addr(), encrypt != 0);
}
HEXAD_EXPORT(xboxkrnl, 0x017A, XeCryptDes3Cbc, Implemented);

// XeCryptDesParity(in, size, out): each byte with its low bit set so the byte has odd parity
// (libcrypto's DES_set_odd_parity, eight bytes at a time).
void XeCryptDesParity(ExportContext& x, GuestPtr<void> in, uint32_t size, GuestPtr<void> out) {
  const uint8_t* src = guest_in(x.mem(), in.addr(), size);
  probe_out(x.mem(), out.addr(), size);
  std::vector<uint8_t> buf(src, src + size);
  for (uint32_t i = 0; i < size; i += 8) {
    DES_cblock block{};
    const uint32_t n = std::min<uint32_t>(8, size - i);
    std::memcpy(block, buf.data() + i, n);
    DES_set_odd_parity(&block);
    std::memcpy(buf.data() + i, block, n);
  }
  x.mem().write_bytes(out.addr(), buf.data(), size);
}
HEXAD_EXPORT(xboxkrnl, 0x0174, XeCryptDesParity, Implemented);

// ---- PKCS #1 digest encoding (BnDwLe) ------------------------------------------------------

// The SHA-1 digest encodings of XeCryptBnDwLePkcs1Format/Verify, from the console SDK's xecrypt.h
// (reproduced in public repositories), little-endian byte order, cbSig bytes in all:
//   type 0: [hash reversed][140400051A02030E2B05060930213000][FF ... FF][0100]
//   type 1: [hash reversed][14041A02030E2B050607301F3000][FF ... FF][0100]
//   type >1: [hash reversed][00][FF ... FF][0100]
// A cbSig outside [0x27, 0x200] has no encoding: Format writes nothing, Verify says FALSE (the
// public reimplementations' bounds; 0x27 is the digest, the longest prefix and one FF byte).
constexpr uint32_t kPkcs1MinSize = 0x27, kPkcs1MaxSize = 0x200;
constexpr uint8_t kPkcs1Prefix0[] = {0x14, 0x04, 0x00, 0x05, 0x1A, 0x02, 0x03, 0x0E,
                                     0x2B, 0x05, 0x06, 0x09, 0x30, 0x21, 0x30, 0x00};
constexpr uint8_t kPkcs1Prefix1[] = {0x14, 0x04, 0x1A, 0x02, 0x03, 0x0E, 0x2B, 0x05, 0x06, 0x07, 0x30, 0x1F, 0x30, 0x00};
constexpr uint8_t kPkcs1Prefix2[] = {0x00};

std::vector<uint8_t> pkcs1_encoding(const uint8_t* hash, uint32_t type, uint32_t size) {
  std::vector<uint8_t> sig(size, 0xFF);
  std::reverse_copy(hash, hash + SHA_DIGEST_LENGTH, sig.begin());
  const uint8_t* prefix = type == 0 ? kPkcs1Prefix0 : type == 1 ? kPkcs1Prefix1 : kPkcs1Prefix2;
  const size_t prefix_size = type == 0 ? sizeof kPkcs1Prefix0 : type == 1 ? sizeof kPkcs1Prefix1 : sizeof kPkcs1Prefix2;
  std::copy(prefix, prefix + prefix_size, sig.begin() + SHA_DIGEST_LENGTH);
  sig[size - 2] = 0x01;
  sig[size - 1] = 0x00;
  return sig;
}

// XeCryptBnDwLePkcs1Format(const BYTE* hash, DWORD type, BYTE* sig, DWORD cbSig).
void XeCryptBnDwLePkcs1Format(ExportContext& x, GuestPtr<void> hash, uint32_t type, GuestPtr<void> sig,
                              uint32_t size) {
  if (size < kPkcs1MinSize || size > kPkcs1MaxSize) return;
  const uint8_t* h = guest_in(x.mem(), hash.addr(), SHA_DIGEST_LENGTH);
  const std::vector<uint8_t> encoded = pkcs1_encoding(h, type, size);
  probe_out(x.mem(), sig.addr(), size);
  x.mem().write_bytes(sig.addr(), encoded.data(), size);
}
HEXAD_EXPORT(xboxkrnl, 0x0162, XeCryptBnDwLePkcs1Format, Implemented);

// BOOL XeCryptBnDwLePkcs1Verify(const BYTE* hash, const BYTE* sig, DWORD cbSig): TRUE when sig is
// the encoding of hash, any of the three types (picked by sig[0x16]: 00 is type 0, 1A type 1,
// anything else type 2: the prefixes differ there). xenia stubs it to TRUE.
uint32_t XeCryptBnDwLePkcs1Verify(ExportContext& x, GuestPtr<void> hash, GuestPtr<void> sig, uint32_t size) {
  if (size < kPkcs1MinSize || size > kPkcs1MaxSize) return 0;
  const uint8_t* h = guest_in(x.mem(), hash.addr(), SHA_DIGEST_LENGTH);
  const uint8_t* s = guest_in(x.mem(), sig.addr(), size);
  const uint32_t type = s[0x16] == 0x00 ? 0 : s[0x16] == 0x1A ? 1 : 2;
  const std::vector<uint8_t> expected = pkcs1_encoding(h, type, size);
  return std::equal(expected.begin(), expected.end(), s) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0163, XeCryptBnDwLePkcs1Verify, Implemented);

// ---- RSA public operation -------------------------------------------------------------------

// BOOL XeCryptBnQwNeRsaPubCrypt(const QWORD* in, QWORD* out, const XECRYPT_RSA* key): out =
// in ^ e mod n, n the cqw-qword modulus after the 16-byte header. FALSE (out untouched) for a
// key hexad cannot use: cqw 0 or over 64 (4096 bits), an even or zero modulus, e < 3, or in >= n.
uint32_t XeCryptBnQwNeRsaPubCrypt(ExportContext& x, GuestPtr<void> in, GuestPtr<void> out, GuestPtr<void> key) {
  constexpr uint32_t kMaxQwords = 64;
  const uint32_t cqw = x.mem().read32(key.addr()), exponent = x.mem().read32(key.addr() + 4);
  if (cqw == 0 || cqw > kMaxQwords || exponent < 3) return 0;
  guest_in(x.mem(), key.addr() + 16, 8 * cqw);
  guest_in(x.mem(), in.addr(), 8 * cqw);
  probe_out(x.mem(), out.addr(), 8 * cqw);
  Bn n = guest_bn(x.mem(), key.addr() + 16, cqw), a = guest_bn(x.mem(), in.addr(), cqw), e = new_bn(), r = new_bn();
  BnCtx ctx = new_bn_ctx();
  if (!n || !a || !e || !r || !ctx || !BN_set_word(e.get(), exponent)) return 0;
  if (BN_is_zero(n.get()) || !BN_is_odd(n.get()) || BN_cmp(a.get(), n.get()) >= 0) return 0;
  if (!BN_mod_exp(r.get(), a.get(), e.get(), n.get(), ctx.get())) return 0;
  return store_bn(x.mem(), out.addr(), cqw, r.get()) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x016D, XeCryptBnQwNeRsaPubCrypt, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> crypt_exports() { return kAreaExports; }

}  // namespace hexad::kernel
