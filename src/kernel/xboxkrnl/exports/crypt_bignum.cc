// The XeCrypt bignum exports through libcrypto's BIGNUM, with the semantics the console SDK's
// xecrypt.h states (its text is reproduced in public repositories):
//   - a BnDw number is an array of DWORD digits, a BnQw number of QWORD digits, least significant
//     digit first; "Ne" is the console's natural (big-endian) byte order within a digit, so BnQwNe
//     is what the PowerPC stores for a uint64_t array (load_bn / store_bn in crypt_common.h);
//   - the conversions: BnDw_SwapLeBe and BnQw_SwapLeBe reverse the bytes of each DWORD,
//     BnQw_SwapDwQw exchanges the two DWORDs of each QWORD, BnQw_SwapDwQwLeBe reverses the bytes
//     of each QWORD; _Copy and _Zero copy and clear digits (kByteOrders below is that table);
//   - XeCryptBnQwNeCompare returns -1, 0 or 1; XeCryptBnQwNeModInv is the 2-adic inverse of a
//     QWORD (mod 2^64); XeCryptBnQwNeModMul the Montgomery product A * B / 2^(64 cqw) mod M;
//     XeCryptBnQwNeModExp A = B ^ C mod M; XeCryptBnQwNeModExpRoot and XeCryptBnQwNeRsaPrvCrypt the
//     same through the prime factors (CRT: P, Q, DP, DQ and CR = Q^-1 mod P);
//   - XeCryptBnDwLeDh{ModExp,InvalBase,EqualBase}: Diffie-Hellman on BnDwLe numbers, the group an
//     XECRYPT_DH or, for NULL, the 768-bit Oakley Group 1;
//   - XECRYPT_SIG signatures (2048-bit keys, e = 3 or 65537): XeCryptBnQwBeSigFormat builds the
//     RSASSA-PSS-like block with SHA-1 and an RC4 mask, SigCreate signs it "pre-compensated" by the
//     scale factor R^(e-1), R = 2^2048, and SigVerify checks s^e / R^(e-1) mod n against the block
//     (the block layout and the scale factor as public reimplementations of the console library
//     compute them; xenia-canary stubs SigVerify to TRUE).
// Bad pointers fault the caller before any guest byte changes (every range is probed first).
#include "kernel/xboxkrnl/exports/crypt_common.h"  // first: it turns off OpenSSL 3's deprecation warnings

#include <openssl/err.h>
#include <openssl/rc4.h>

#include <vector>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

using namespace xecrypt;

// The widest number hexad handles: 64 QWORDs, 4096 bits (the console's largest RSA key).
constexpr uint32_t kMaxQwords = 64;

// `count` digits of `unit` bytes as a byte count; a count whose range would wrap the 32-bit
// address space faults at `addr` like any unmapped range.
uint32_t digit_bytes(uint32_t addr, uint32_t count, uint32_t unit, cpu::Access access) {
  const uint64_t bytes = uint64_t(count) * unit;
  if (bytes > 0xFFFFFFFFull) throw cpu::MemoryFault{addr, 0xFFFFFFFFu, access};
  return uint32_t(bytes);
}

// ---- digit copies and byte-order conversions ------------------------------------------------

// Each conversion as a permutation of the bytes of one digit: output byte i is input byte
// order[i]. The source is read whole before the destination is written, so they may overlap.
struct ByteOrder {
  uint32_t unit;
  uint8_t order[8];
};
constexpr ByteOrder kCopyDw{4, {0, 1, 2, 3}}, kSwapDw{4, {3, 2, 1, 0}};
constexpr ByteOrder kCopyQw{8, {0, 1, 2, 3, 4, 5, 6, 7}}, kSwapDwInQw{8, {3, 2, 1, 0, 7, 6, 5, 4}},
    kSwapDwQw{8, {4, 5, 6, 7, 0, 1, 2, 3}}, kSwapQw{8, {7, 6, 5, 4, 3, 2, 1, 0}};

void convert(cpu::Memory& mem, uint32_t in, uint32_t out, uint32_t count, const ByteOrder& b) {
  const uint32_t n = digit_bytes(in, count, b.unit, cpu::Access::Read);
  const uint8_t* src = guest_in(mem, in, n);
  probe_out(mem, out, n);
  std::vector<uint8_t> buf(n);
  for (uint32_t d = 0; d < n; d += b.unit)
    for (uint32_t i = 0; i < b.unit; ++i) buf[d + i] = src[d + b.order[i]];
  mem.write_bytes(out, buf.data(), n);
}

void zero(cpu::Memory& mem, uint32_t addr, uint32_t count, uint32_t unit) {
  const uint32_t n = digit_bytes(addr, count, unit, cpu::Access::Write);
  probe_out(mem, addr, n);
  const std::vector<uint8_t> zeros(n);
  mem.write_bytes(addr, zeros.data(), n);
}

HEXAD_EXPORTS_BEGIN;

void XeCryptBnDw_Zero(ExportContext& x, GuestPtr<void> digits, uint32_t cdw) { zero(x.mem(), digits.addr(), cdw, 4); }
HEXAD_EXPORT(xboxkrnl, 0x0161, XeCryptBnDw_Zero, Implemented);

void XeCryptBnDw_Copy(ExportContext& x, GuestPtr<void> in, GuestPtr<void> out, uint32_t cdw) {
  convert(x.mem(), in.addr(), out.addr(), cdw, kCopyDw);
}
HEXAD_EXPORT(xboxkrnl, 0x015F, XeCryptBnDw_Copy, Implemented);

void XeCryptBnDw_SwapLeBe(ExportContext& x, GuestPtr<void> in, GuestPtr<void> out, uint32_t cdw) {
  convert(x.mem(), in.addr(), out.addr(), cdw, kSwapDw);
}
HEXAD_EXPORT(xboxkrnl, 0x0160, XeCryptBnDw_SwapLeBe, Implemented);

void XeCryptBnQw_Zero(ExportContext& x, GuestPtr<void> digits, uint32_t cqw) { zero(x.mem(), digits.addr(), cqw, 8); }
HEXAD_EXPORT(xboxkrnl, 0x0172, XeCryptBnQw_Zero, Implemented);

void XeCryptBnQw_Copy(ExportContext& x, GuestPtr<void> in, GuestPtr<void> out, uint32_t cqw) {
  convert(x.mem(), in.addr(), out.addr(), cqw, kCopyQw);
}
HEXAD_EXPORT(xboxkrnl, 0x016E, XeCryptBnQw_Copy, Implemented);

void XeCryptBnQw_SwapLeBe(ExportContext& x, GuestPtr<void> in, GuestPtr<void> out, uint32_t cqw) {
  convert(x.mem(), in.addr(), out.addr(), cqw, kSwapDwInQw);
}
HEXAD_EXPORT(xboxkrnl, 0x0171, XeCryptBnQw_SwapLeBe, Implemented);

void XeCryptBnQw_SwapDwQw(ExportContext& x, GuestPtr<void> in, GuestPtr<void> out, uint32_t cqw) {
  convert(x.mem(), in.addr(), out.addr(), cqw, kSwapDwQw);
}
HEXAD_EXPORT(xboxkrnl, 0x016F, XeCryptBnQw_SwapDwQw, Implemented);

void XeCryptBnQw_SwapDwQwLeBe(ExportContext& x, GuestPtr<void> in, GuestPtr<void> out, uint32_t cqw) {
  convert(x.mem(), in.addr(), out.addr(), cqw, kSwapQw);
}
HEXAD_EXPORT(xboxkrnl, 0x0170, XeCryptBnQw_SwapDwQwLeBe, Implemented);

// ---- arithmetic -----------------------------------------------------------------------------

// int XeCryptBnQwNeCompare(const QWORD* a, const QWORD* b, DWORD cqw): -1, 0 or 1, comparing
// from the most significant digit down (cqw 0: equal, nothing read).
int32_t XeCryptBnQwNeCompare(ExportContext& x, GuestPtr<void> a, GuestPtr<void> b, uint32_t cqw) {
  const uint32_t n = digit_bytes(a.addr(), cqw, 8, cpu::Access::Read);
  guest_in(x.mem(), a.addr(), n);
  guest_in(x.mem(), b.addr(), n);
  for (uint32_t i = cqw; i-- > 0;) {
    const uint64_t da = x.mem().read64(a.addr() + 8 * i), db = x.mem().read64(b.addr() + 8 * i);
    if (da != db) return da < db ? -1 : 1;
  }
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0326, XeCryptBnQwNeCompare, Implemented);

// QWORD XeCryptBnQwNeModInv(QWORD qw): the x with qw * x = 1 (mod 2^64). An even qw has no such
// inverse: hexad returns 0 (what the console returns for it is not established).
uint64_t XeCryptBnQwNeModInv(ExportContext&, uint64_t qw) {
  Bn a = new_bn(), m = new_bn(), r = new_bn();
  BnCtx ctx = new_bn_ctx();
  if (!a || !m || !r || !ctx || !BN_set_word(a.get(), qw) || !BN_set_bit(m.get(), 64)) return 0;
  if (!BN_mod_inverse(r.get(), a.get(), m.get(), ctx.get())) {
    ERR_clear_error();
    return 0;
  }
  return BN_get_word(r.get());
}
HEXAD_EXPORT(xboxkrnl, 0x0169, XeCryptBnQwNeModInv, Implemented);

// R^-k mod m for R = 2^(64 cqw): the Montgomery scale; null when m is even or zero (no inverse).
Bn montgomery_unscale(const BIGNUM* m, uint32_t cqw, uint32_t k, BN_CTX* ctx) {
  Bn r = new_bn(), ek = new_bn(), inv = new_bn();
  if (!r || !ek || !inv || BN_is_zero(m) || !BN_is_odd(m)) return Bn(nullptr, BN_free);
  if (!BN_set_bit(r.get(), int(64 * cqw)) || !BN_set_word(ek.get(), k) || !BN_mod_exp(r.get(), r.get(), ek.get(), m, ctx) ||
      !BN_mod_inverse(inv.get(), r.get(), m, ctx))
    return Bn(nullptr, BN_free);
  return inv;
}

// void XeCryptBnQwNeModMul(const QWORD* a, const QWORD* b, QWORD* c, QWORD qwMI, const QWORD* m,
// DWORD cqw): c = a * b / 2^(64 cqw) mod m, fully reduced. hexad derives the Montgomery constant
// from m and ignores qwMI (the console's loop uses it: a wrong qwMI gives a wrong product there).
// Nothing is written for cqw 0 or over 64 or an even or zero m (no Montgomery form exists).
void XeCryptBnQwNeModMul(ExportContext& x, GuestPtr<void> a, GuestPtr<void> b, GuestPtr<void> c, uint64_t,
                         GuestPtr<void> m, uint32_t cqw) {
  if (cqw == 0 || cqw > kMaxQwords) return;
  for (uint32_t in : {a.addr(), b.addr(), m.addr()}) guest_in(x.mem(), in, 8 * cqw);
  probe_out(x.mem(), c.addr(), 8 * cqw);
  Bn ba = guest_bn(x.mem(), a.addr(), cqw), bb = guest_bn(x.mem(), b.addr(), cqw), bm = guest_bn(x.mem(), m.addr(), cqw);
  Bn r = new_bn();
  BnCtx ctx = new_bn_ctx();
  if (!ba || !bb || !bm || !r || !ctx) return;
  Bn unscale = montgomery_unscale(bm.get(), cqw, 1, ctx.get());
  if (!unscale || !BN_mod_mul(r.get(), ba.get(), bb.get(), bm.get(), ctx.get()) ||
      !BN_mod_mul(r.get(), r.get(), unscale.get(), bm.get(), ctx.get()))
    return;
  store_bn(x.mem(), c.addr(), cqw, r.get());
}
HEXAD_EXPORT(xboxkrnl, 0x016A, XeCryptBnQwNeModMul, Implemented);

// BOOL XeCryptBnQwNeModExp(QWORD* a, const QWORD* b, const QWORD* c, const QWORD* m, DWORD cqw):
// a = b ^ c mod m. FALSE (a untouched) for cqw 0 or over 64 or a zero modulus.
uint32_t XeCryptBnQwNeModExp(ExportContext& x, GuestPtr<void> a, GuestPtr<void> b, GuestPtr<void> c, GuestPtr<void> m,
                             uint32_t cqw) {
  if (cqw == 0 || cqw > kMaxQwords) return 0;
  for (uint32_t in : {b.addr(), c.addr(), m.addr()}) guest_in(x.mem(), in, 8 * cqw);
  probe_out(x.mem(), a.addr(), 8 * cqw);
  Bn bb = guest_bn(x.mem(), b.addr(), cqw), bc = guest_bn(x.mem(), c.addr(), cqw), bm = guest_bn(x.mem(), m.addr(), cqw);
  Bn r = new_bn();
  BnCtx ctx = new_bn_ctx();
  if (!bb || !bc || !bm || !r || !ctx || BN_is_zero(bm.get())) return 0;
  if (!BN_mod_exp(r.get(), bb.get(), bc.get(), bm.get(), ctx.get())) return 0;
  return store_bn(x.mem(), a.addr(), cqw, r.get()) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0167, XeCryptBnQwNeModExp, Implemented);

// ---- the private-key operation (CRT) ---------------------------------------------------------

// The private factors: each `half` QWORDs at consecutive addresses P, Q, DP, DQ, CR.
struct PrivateFactors {
  uint32_t p, q, dp, dq, cr, half;
};

// out (2 * half QWORDs) = in ^ d mod (p q) by the CRT: m1 = in^dp mod p, m2 = in^dq mod q,
// h = cr (m1 - m2) mod p, out = m2 + h q. False (out untouched) for a zero or even factor or
// in >= p q.
bool crt_exp(cpu::Memory& mem, uint32_t out, const BIGNUM* in, const PrivateFactors& f, BN_CTX* ctx) {
  for (uint32_t part : {f.p, f.q, f.dp, f.dq, f.cr}) guest_in(mem, part, 8 * f.half);
  probe_out(mem, out, 16 * f.half);
  Bn p = guest_bn(mem, f.p, f.half), q = guest_bn(mem, f.q, f.half), dp = guest_bn(mem, f.dp, f.half),
     dq = guest_bn(mem, f.dq, f.half), cr = guest_bn(mem, f.cr, f.half);
  Bn n = new_bn(), m1 = new_bn(), m2 = new_bn(), h = new_bn();
  if (!p || !q || !dp || !dq || !cr || !n || !m1 || !m2 || !h) return false;
  if (BN_is_zero(p.get()) || BN_is_zero(q.get()) || !BN_is_odd(p.get()) || !BN_is_odd(q.get())) return false;
  if (!BN_mul(n.get(), p.get(), q.get(), ctx) || BN_cmp(in, n.get()) >= 0) return false;
  if (!BN_mod_exp(m1.get(), in, dp.get(), p.get(), ctx) || !BN_mod_exp(m2.get(), in, dq.get(), q.get(), ctx) ||
      !BN_mod_sub(h.get(), m1.get(), m2.get(), p.get(), ctx) || !BN_mod_mul(h.get(), h.get(), cr.get(), p.get(), ctx) ||
      !BN_mul(h.get(), h.get(), q.get(), ctx) || !BN_add(h.get(), h.get(), m2.get()))
    return false;
  return store_bn(mem, out, 2 * f.half, h.get());
}

// BOOL XeCryptBnQwNeModExpRoot(QWORD* a, const QWORD* b, const QWORD* p, const QWORD* q,
// const QWORD* dp, const QWORD* dq, const QWORD* cr, DWORD cqw): a and b have 2 cqw digits, the
// factors cqw. FALSE for cqw 0 or over 32 and for the factors crt_exp refuses.
uint32_t XeCryptBnQwNeModExpRoot(ExportContext& x, GuestPtr<void> a, GuestPtr<void> b, GuestPtr<void> p,
                                 GuestPtr<void> q, GuestPtr<void> dp, GuestPtr<void> dq, GuestPtr<void> cr,
                                 uint32_t cqw) {
  if (cqw == 0 || cqw > kMaxQwords / 2) return 0;
  guest_in(x.mem(), b.addr(), 16 * cqw);
  Bn in = guest_bn(x.mem(), b.addr(), 2 * cqw);
  BnCtx ctx = new_bn_ctx();
  if (!in || !ctx) return 0;
  return crt_exp(x.mem(), a.addr(), in.get(), {p.addr(), q.addr(), dp.addr(), dq.addr(), cr.addr(), cqw}, ctx.get()) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0168, XeCryptBnQwNeModExpRoot, Implemented);

// An XECRYPT_RSA private key: cqw, e, reserved, then M[cqw], P, Q, DP, DQ, CR [cqw / 2 each].
struct RsaKey {
  uint32_t cqw, exponent, modulus;
  PrivateFactors factors() const {
    const uint32_t half = cqw / 2, p = modulus + 8 * cqw;
    return {p, p + 8 * half, p + 16 * half, p + 24 * half, p + 32 * half, half};
  }
};
RsaKey read_key(cpu::Memory& mem, uint32_t key) { return {mem.read32(key), mem.read32(key + 4), key + 16}; }

// BOOL XeCryptBnQwNeRsaPrvCrypt(const QWORD* in, QWORD* out, const XECRYPT_RSA* key): out =
// in ^ d mod n through the key's factors. FALSE (out untouched) for cqw 0, odd or over 64, and
// for the factors crt_exp refuses.
uint32_t XeCryptBnQwNeRsaPrvCrypt(ExportContext& x, GuestPtr<void> in, GuestPtr<void> out, GuestPtr<void> key) {
  const RsaKey k = read_key(x.mem(), key.addr());
  if (k.cqw == 0 || k.cqw % 2 || k.cqw > kMaxQwords) return 0;
  guest_in(x.mem(), in.addr(), 8 * k.cqw);
  Bn a = guest_bn(x.mem(), in.addr(), k.cqw);
  BnCtx ctx = new_bn_ctx();
  if (!a || !ctx) return 0;
  return crt_exp(x.mem(), out.addr(), a.get(), k.factors(), ctx.get()) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x016C, XeCryptBnQwNeRsaPrvCrypt, Implemented);

// ---- Diffie-Hellman on BnDwLe numbers -------------------------------------------------------

// A BnDwLe number (DWORD digits least significant first, each little-endian) is a little-endian
// byte string. An XECRYPT_DH is cqw, reserved, then M[cqw] and G[cqw] in BnQwNe; a NULL one means
// the 768-bit Oakley Group 1 (RFC 2409: libcrypto's prime, generator 2), as xecrypt.h says.
struct DhGroup {
  Bn m, g;
  uint32_t cqw;
};
DhGroup dh_group(cpu::Memory& mem, uint32_t dh) {
  constexpr uint32_t kOakley1Qwords = 12;
  if (!dh) {
    Bn g = new_bn();
    if (g) BN_set_word(g.get(), 2);
    return {Bn(BN_get_rfc2409_prime_768(nullptr), BN_free), std::move(g), kOakley1Qwords};
  }
  const uint32_t cqw = mem.read32(dh);
  if (cqw == 0 || cqw > kMaxQwords) return {Bn(nullptr, BN_free), Bn(nullptr, BN_free), 0};
  guest_in(mem, dh + 8, 16 * cqw);
  return {guest_bn(mem, dh + 8, cqw), guest_bn(mem, dh + 8 + 8 * cqw, cqw), cqw};
}
Bn load_dw_le(cpu::Memory& mem, uint32_t addr, uint32_t qwords) {
  return Bn(BN_lebin2bn(guest_in(mem, addr, 8 * qwords), int(8 * qwords), nullptr), BN_free);
}

// BOOL XeCryptBnDwLeDhModExp(const DWORD* a, const DWORD* b, DWORD* c, const XECRYPT_DH* dh):
// c = (a ? a : G) ^ b mod M, each 2 cqw DWORDs. FALSE (c untouched) for a group with cqw 0 or over
// 64 or a zero modulus.
uint32_t XeCryptBnDwLeDhModExp(ExportContext& x, GuestPtr<void> a, GuestPtr<void> b, GuestPtr<void> c,
                               GuestPtr<void> dh) {
  DhGroup group = dh_group(x.mem(), dh.addr());
  if (!group.m || !group.g || BN_is_zero(group.m.get())) return 0;
  const uint32_t n = 8 * group.cqw;
  Bn base = a.addr() ? load_dw_le(x.mem(), a.addr(), group.cqw) : std::move(group.g);
  Bn exponent = load_dw_le(x.mem(), b.addr(), group.cqw), r = new_bn();
  probe_out(x.mem(), c.addr(), n);
  BnCtx ctx = new_bn_ctx();
  if (!base || !exponent || !r || !ctx || !BN_mod_exp(r.get(), base.get(), exponent.get(), group.m.get(), ctx.get()))
    return 0;
  std::vector<uint8_t> le(n);
  if (BN_bn2lebinpad(r.get(), le.data(), int(n)) < 0) return 0;
  x.mem().write_bytes(c.addr(), le.data(), n);
  return 1;
}
HEXAD_EXPORT(xboxkrnl, 0x015E, XeCryptBnDwLeDhModExp, Implemented);

// BOOL XeCryptBnDwLeDhInvalBase(const DWORD* a, const XECRYPT_DH* dh): TRUE unless 1 < a < M - 1.
// An unusable group (cqw 0 or over 64) has no valid base: TRUE.
uint32_t XeCryptBnDwLeDhInvalBase(ExportContext& x, GuestPtr<void> a, GuestPtr<void> dh) {
  DhGroup group = dh_group(x.mem(), dh.addr());
  if (!group.m) return 1;
  Bn value = load_dw_le(x.mem(), a.addr(), group.cqw), limit = new_bn();
  if (!value || !limit || !BN_copy(limit.get(), group.m.get()) || !BN_sub_word(limit.get(), 1)) return 1;
  const bool valid = BN_cmp(value.get(), BN_value_one()) > 0 && BN_cmp(value.get(), limit.get()) < 0;
  return valid ? 0 : 1;
}
HEXAD_EXPORT(xboxkrnl, 0x015D, XeCryptBnDwLeDhInvalBase, Implemented);

// BOOL XeCryptBnDwLeDhEqualBase(const DWORD* a, const XECRYPT_DH* dh): TRUE when a is G.
uint32_t XeCryptBnDwLeDhEqualBase(ExportContext& x, GuestPtr<void> a, GuestPtr<void> dh) {
  DhGroup group = dh_group(x.mem(), dh.addr());
  if (!group.g) return 0;
  Bn value = load_dw_le(x.mem(), a.addr(), group.cqw);
  return value && BN_cmp(value.get(), group.g.get()) == 0 ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x015C, XeCryptBnDwLeDhEqualBase, Implemented);

// ---- XECRYPT_SIG ----------------------------------------------------------------------------

constexpr uint32_t kSigQwords = 32, kSigSize = 8 * kSigQwords, kSaltSize = 10;
constexpr uint32_t kSigOne = 0xE0, kSigSalt = 0xE1, kSigHash = 0xEB, kSigEnd = 0xFF;

// The formatted block as a big-endian number (byte 0 most significant): zeros, 0x01, the salt,
// all masked by RC4 keyed with H = SHA-1(8 zero bytes, hash, salt); then H and 0xBC; the top bit
// cleared so the block is below any 2048-bit modulus.
Bn sig_block(cpu::Memory& mem, uint32_t hash, uint32_t salt) {
  std::array<uint8_t, 8 + SHA_DIGEST_LENGTH + kSaltSize> message{};
  mem.read_bytes(hash, message.data() + 8, SHA_DIGEST_LENGTH);
  mem.read_bytes(salt, message.data() + 8 + SHA_DIGEST_LENGTH, kSaltSize);
  std::array<uint8_t, kSigSize> block{};
  uint8_t* h = block.data() + kSigHash;
  SHA1(message.data(), message.size(), h);
  block[kSigOne] = 0x01;
  std::memcpy(block.data() + kSigSalt, message.data() + 8 + SHA_DIGEST_LENGTH, kSaltSize);
  RC4_KEY rc4;
  RC4_set_key(&rc4, SHA_DIGEST_LENGTH, h);
  RC4(&rc4, kSigHash, block.data(), block.data());
  block[kSigEnd] = 0xBC;
  block[0] &= 0x7F;
  return Bn(BN_bin2bn(block.data(), int(block.size()), nullptr), BN_free);
}

// void XeCryptBnQwBeSigFormat(XECRYPT_SIG* sig, const BYTE* hash[20], const BYTE* salt[10]): the
// block in BnQwBe (= BnQwNe on the console) form.
void XeCryptBnQwBeSigFormat(ExportContext& x, GuestPtr<void> sig, GuestPtr<void> hash, GuestPtr<void> salt) {
  guest_in(x.mem(), hash.addr(), SHA_DIGEST_LENGTH);
  guest_in(x.mem(), salt.addr(), kSaltSize);
  probe_out(x.mem(), sig.addr(), kSigSize);
  Bn block = sig_block(x.mem(), hash.addr(), salt.addr());
  if (block) store_bn(x.mem(), sig.addr(), kSigQwords, block.get());
}
HEXAD_EXPORT(xboxkrnl, 0x0165, XeCryptBnQwBeSigFormat, Implemented);

// The signature keys: 2048 bits, e 3 or 65537 (xecrypt.h); anything else is refused.
bool sig_key_usable(const RsaKey& k) { return k.cqw == kSigQwords && (k.exponent == 3 || k.exponent == 65537); }

// BOOL XeCryptBnQwBeSigVerify(XECRYPT_SIG* sig, const BYTE* hash, const BYTE* salt, const
// XECRYPT_RSA* key): TRUE when sig ^ e / R^(e-1) mod n is the formatted block. The signature is
// only read.
uint32_t XeCryptBnQwBeSigVerify(ExportContext& x, GuestPtr<void> sig, GuestPtr<void> hash, GuestPtr<void> salt,
                                GuestPtr<void> key) {
  const RsaKey k = read_key(x.mem(), key.addr());
  if (!sig_key_usable(k)) return 0;
  guest_in(x.mem(), sig.addr(), kSigSize);
  guest_in(x.mem(), hash.addr(), SHA_DIGEST_LENGTH);
  guest_in(x.mem(), salt.addr(), kSaltSize);
  guest_in(x.mem(), k.modulus, kSigSize);
  Bn s = guest_bn(x.mem(), sig.addr(), kSigQwords), n = guest_bn(x.mem(), k.modulus, kSigQwords);
  Bn e = new_bn(), r = new_bn(), block = sig_block(x.mem(), hash.addr(), salt.addr());
  BnCtx ctx = new_bn_ctx();
  if (!s || !n || !e || !r || !block || !ctx || !BN_set_word(e.get(), k.exponent)) return 0;
  Bn unscale = montgomery_unscale(n.get(), kSigQwords, k.exponent - 1, ctx.get());
  if (!unscale || !BN_mod_exp(r.get(), s.get(), e.get(), n.get(), ctx.get()) ||
      !BN_mod_mul(r.get(), r.get(), unscale.get(), n.get(), ctx.get()))
    return 0;
  return BN_cmp(r.get(), block.get()) == 0 ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0166, XeCryptBnQwBeSigVerify, Implemented);

// BOOL XeCryptBnQwBeSigCreate(XECRYPT_SIG* sig, const BYTE* hash, const BYTE* salt, const
// XECRYPT_RSA* private_key): sig = (block R^(e-1)) ^ d mod n, which SigVerify accepts. FALSE
// (sig untouched) for a key sig_key_usable or crt_exp refuses.
uint32_t XeCryptBnQwBeSigCreate(ExportContext& x, GuestPtr<void> sig, GuestPtr<void> hash, GuestPtr<void> salt,
                                GuestPtr<void> key) {
  const RsaKey k = read_key(x.mem(), key.addr());
  if (!sig_key_usable(k)) return 0;
  guest_in(x.mem(), hash.addr(), SHA_DIGEST_LENGTH);
  guest_in(x.mem(), salt.addr(), kSaltSize);
  guest_in(x.mem(), k.modulus, kSigSize);
  Bn n = guest_bn(x.mem(), k.modulus, kSigQwords), block = sig_block(x.mem(), hash.addr(), salt.addr());
  Bn scale = new_bn(), power = new_bn();
  BnCtx ctx = new_bn_ctx();
  if (!n || !block || !scale || !power || !ctx || BN_is_zero(n.get())) return 0;
  if (!BN_set_bit(scale.get(), int(64 * kSigQwords)) || !BN_set_word(power.get(), k.exponent - 1) ||
      !BN_mod_exp(scale.get(), scale.get(), power.get(), n.get(), ctx.get()) ||
      !BN_mod_mul(block.get(), block.get(), scale.get(), n.get(), ctx.get()))
    return 0;
  return crt_exp(x.mem(), sig.addr(), block.get(), k.factors(), ctx.get()) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x0164, XeCryptBnQwBeSigCreate, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> crypt_bignum_exports() { return kAreaExports; }

}  // namespace hexad::kernel
