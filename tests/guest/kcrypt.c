/* kcrypt: the incremental MD5 / SHA-384 / SHA-512 exports and the XeCrypt bignum exports, against
 * known answers computed outside hexad (kcrypt_vectors.h, written by gen_kcrypt_vectors.py with
 * Python and the `cryptography` package; the hash vectors are FIPS 180-2's and RFC 1321's):
 *   - MD5, SHA-384, SHA-512 Init/Update/Final: byte-by-byte and odd-piece updates, the state's
 *     count and buffer in guest memory, a copied state resumed, a short out_size;
 *   - the digit conversions (BnDw_/BnQw_ Copy, Zero, SwapLeBe, SwapDwQw, SwapDwQwLeBe) on a known
 *     pattern, overlapping copies, zero counts writing nothing;
 *   - BnQwNeCompare, ModInv, ModExp, ModMul (Montgomery), ModExpRoot, RsaPrvCrypt (and the RSA
 *     round trip through RsaPubCrypt), and the inputs each refuses;
 *   - Diffie-Hellman: XeCryptBnDwLeDhModExp in Oakley Group 1 (dh NULL; a NULL base is the
 *     generator) and in an XECRYPT_DH of our own, DhInvalBase's bounds (1 < a < M - 1), DhEqualBase;
 *   - XECRYPT_SIG: SigFormat's block, SigCreate's signature, SigVerify accepting it and refusing
 *     a changed hash, salt or signature and keys that are not 2048-bit with e 3 or 65537;
 *   - bad pointers and counts past the address space fault the calling thread (fault_cases.h). */
#define TITLE "kcrypt"
#include "hx/libc.h"
#include "title_util.h"
#include "fault_cases.h"
#include "kcrypt_vectors.h"

static void expect_bytes(const char* what, const void* got, const void* want, unsigned n) {
  expect(what, memcmp(got, want, n) == 0, 1);
}

/* RFC 1321 A.5 and FIPS 180-2 C.1 / D.1 (the 896-bit two-block message). */
static const uint8_t kMd5MessageDigest[16] = {0xf9, 0x6b, 0x69, 0x7d, 0x7c, 0xb7, 0x93, 0x8d,
                                              0x52, 0x5a, 0x2f, 0x31, 0xaa, 0xf1, 0x61, 0xd0};
static const char kTwoBlock[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                                "mnopqrstnopqrstu";
static const uint8_t kSha384TwoBlock[48] = {
    0x09, 0x33, 0x0c, 0x33, 0xf7, 0x11, 0x47, 0xe8, 0x3d, 0x19, 0x2f, 0xc7, 0x82, 0xcd, 0x1b, 0x47,
    0x53, 0x11, 0x1b, 0x17, 0x3b, 0x3b, 0x05, 0xd2, 0x2f, 0xa0, 0x80, 0x86, 0xe3, 0xb0, 0xf7, 0x12,
    0xfc, 0xc7, 0xc7, 0x1a, 0x55, 0x7e, 0x2d, 0xb9, 0x66, 0xc3, 0xe9, 0xfa, 0x91, 0x74, 0x60, 0x39};
static const uint8_t kSha512TwoBlock[64] = {
    0x8e, 0x95, 0x9b, 0x75, 0xda, 0xe3, 0x13, 0xda, 0x8c, 0xf4, 0xf7, 0x28, 0x14, 0xfc, 0x14, 0x3f,
    0x8f, 0x77, 0x79, 0xc6, 0xeb, 0x9f, 0x7f, 0xa1, 0x72, 0x99, 0xae, 0xad, 0xb6, 0x88, 0x90, 0x18,
    0x50, 0x1d, 0x28, 0x9e, 0x49, 0x00, 0xf7, 0xe4, 0x33, 0x1b, 0x99, 0xde, 0xc4, 0xb5, 0x43, 0x3a,
    0xc7, 0xd3, 0x29, 0xee, 0xb6, 0xdd, 0x26, 0x54, 0x5e, 0x96, 0xe5, 0x5b, 0x87, 0x4b, 0xe9, 0x09};

static void hashes(void) {
  static XECRYPT_MD5_STATE m, copy;
  static XECRYPT_SHA512_STATE s, s_copy;
  uint8_t out[64];
  const char* msg = "message digest";

  XeCryptMd5Init(&m);
  expect("XeCryptMd5Init: count 0, A = 0x67452301, D = 0x10325476",
         m.count == 0 && m.buf[0] == 0x67452301 && m.buf[3] == 0x10325476, 1);
  for (unsigned i = 0; i < 7; ++i) XeCryptMd5Update(&m, msg + i, 1);
  expect("XeCryptMd5Update byte by byte: count 7", m.count, 7);
  expect("  the buffer holds the unhashed bytes", memcmp(m.in, msg, 7), 0);
  copy = m; /* a guest copy of the state resumes like the original */
  XeCryptMd5Update(&m, msg + 7, 7);
  XeCryptMd5Final(&m, out, 16);
  expect_bytes("XeCryptMd5Final(\"message digest\") (RFC 1321)", out, kMd5MessageDigest, 16);
  expect("  the state then holds the digest: A", m.buf[0], 0x7d696bf9);
  XeCryptMd5Update(&copy, msg + 7, 7);
  memset(out, 0, sizeof out);
  XeCryptMd5Final(&copy, out, 4);
  expect_bytes("the copied state finishes the same (4-byte out_size)", out, kMd5MessageDigest, 4);
  expect("  and writes 4 bytes only", out[4], 0);

  XeCryptSha512Init(&s);
  expect("XeCryptSha512Init: count 0, state[0] = 0x6a09e667f3bcc908",
         s.count == 0 && s.state[0] == 0x6a09e667f3bcc908ull, 1);
  XeCryptSha512Update(&s, kTwoBlock, 1);
  XeCryptSha512Update(&s, kTwoBlock + 1, 111);
  expect("XeCryptSha512Update: count 112", (uint32_t)s.count, 112);
  s_copy = s;
  XeCryptSha512Final(&s, out, 64);
  expect_bytes("XeCryptSha512 two-block message (FIPS 180-2 C.2)", out, kSha512TwoBlock, 64);
  expect("  the state then holds the digest", s.state[7] == 0x5e96e55b874be909ull, 1);
  XeCryptSha512Final(&s_copy, out, 64);
  expect_bytes("  a copy finishes the same", out, kSha512TwoBlock, 64);

  XeCryptSha384Init(&s);
  expect("XeCryptSha384Init: state[0] = 0xcbbb9d5dc1059ed8", s.state[0] == 0xcbbb9d5dc1059ed8ull, 1);
  for (unsigned i = 0; i < 112; i += 16) XeCryptSha384Update(&s, kTwoBlock + i, 16);
  XeCryptSha384Update(&s, kTwoBlock, 0);
  XeCryptSha384Final(&s, out, 64);
  expect_bytes("XeCryptSha384 two-block message (FIPS 180-2 D.2)", out, kSha384TwoBlock, 48);
}

static void conversions(void) {
  static uint64_t q[3];
  static uint32_t d[4];
  static const uint64_t kPattern[2] = {0x0011223344556677ull, 0x8899AABBCCDDEEFFull};
  static const uint32_t kWords[2] = {0x11223344, 0xAABBCCDD};

  XeCryptBnQw_SwapDwQwLeBe(kPattern, q, 2);
  expect("XeCryptBnQw_SwapDwQwLeBe reverses each QWORD's bytes",
         q[0] == 0x7766554433221100ull && q[1] == 0xFFEEDDCCBBAA9988ull, 1);
  XeCryptBnQw_SwapDwQw(kPattern, q, 2);
  expect("XeCryptBnQw_SwapDwQw exchanges each QWORD's DWORDs", q[0] == 0x4455667700112233ull, 1);
  XeCryptBnQw_SwapLeBe(kPattern, q, 2);
  expect("XeCryptBnQw_SwapLeBe reverses each DWORD's bytes", q[0] == 0x3322110077665544ull, 1);
  XeCryptBnDw_SwapLeBe(kWords, d, 2);
  expect("XeCryptBnDw_SwapLeBe", d[0] == 0x44332211 && d[1] == 0xDDCCBBAA, 1);
  XeCryptBnDw_SwapLeBe(d, d, 2);
  expect("  twice, in place, is the identity", d[0] == 0x11223344 && d[1] == 0xAABBCCDD, 1);
  XeCryptBnDw_Copy(kWords, d + 2, 2);
  expect("XeCryptBnDw_Copy", d[2] == 0x11223344 && d[3] == 0xAABBCCDD, 1);
  XeCryptBnDw_Zero(d, 3);
  expect("XeCryptBnDw_Zero clears cdw digits only", d[0] == 0 && d[2] == 0 && d[3] == 0xAABBCCDD, 1);

  q[0] = 1, q[1] = 2, q[2] = 3;
  XeCryptBnQw_Copy(q, q + 1, 2); /* overlapping: read whole before written */
  expect("XeCryptBnQw_Copy of overlapping ranges", q[0] == 1 && q[1] == 1 && q[2] == 2, 1);
  XeCryptBnQw_Zero(q + 1, 2);
  expect("XeCryptBnQw_Zero", q[0] == 1 && q[1] == 0 && q[2] == 0, 1);
  XeCryptBnQw_Copy((const uint64_t*)BAD, (uint64_t*)BAD_HIGH, 0);
  XeCryptBnQw_Zero((uint64_t*)BAD, 0);
  expect("zero counts touch nothing (no fault at unmapped pointers)", 1, 1);
}

static const XECRYPT_RSA* key2048(void) { return (const XECRYPT_RSA*)kRsa2048; }
/* The private factors of the 2048-bit key: P, Q, DP, DQ, CR, 16 QWORDs each after M[32]. */
static const uint64_t* factor(unsigned i) { return (const uint64_t*)(kRsa2048 + 16 + 256 + 128 * i); }

static void arithmetic(void) {
  static uint64_t out[32], a[4], b[4];
  const uint64_t* m = (const uint64_t*)kMod;

  memcpy(a, kBase, 32);
  memcpy(b, kBase, 32);
  expect("XeCryptBnQwNeCompare equal", (uint32_t)XeCryptBnQwNeCompare(a, b, 4), 0);
  b[3] += 1; /* the most significant digit decides */
  a[0] += 5;
  expect("XeCryptBnQwNeCompare less (the top digit decides)", (uint32_t)XeCryptBnQwNeCompare(a, b, 4), (uint32_t)-1);
  expect("XeCryptBnQwNeCompare greater", (uint32_t)XeCryptBnQwNeCompare(b, a, 4), 1);
  expect("XeCryptBnQwNeCompare of 0 digits is equal, nothing read",
         (uint32_t)XeCryptBnQwNeCompare((const uint64_t*)BAD, (const uint64_t*)BAD, 0), 0);

  expect("XeCryptBnQwNeModInv (the 2-adic inverse)", XeCryptBnQwNeModInv(KCRYPT_MODINV_OF) == KCRYPT_MODINV, 1);
  expect("XeCryptBnQwNeModInv(1) = 1", XeCryptBnQwNeModInv(1) == 1, 1);
  expect("XeCryptBnQwNeModInv of an even number: 0 (no inverse)", XeCryptBnQwNeModInv(0x100) == 0, 1);

  expect("XeCryptBnQwNeModExp", XeCryptBnQwNeModExp(out, (const uint64_t*)kBase, (const uint64_t*)kExp, m, 4), 1);
  expect_bytes("  b ^ c mod m", out, kModExp, 32);
  memset(out, 0x5A, 32);
  memset(a, 0, sizeof a);
  expect("XeCryptBnQwNeModExp with a zero modulus: FALSE", XeCryptBnQwNeModExp(out, a, a, a, 4), 0);
  expect("  the output untouched", ((uint8_t*)out)[0], 0x5A);
  expect("XeCryptBnQwNeModExp with 65 digits: FALSE", XeCryptBnQwNeModExp(out, a, a, a, 65), 0);

  XeCryptBnQwNeModMul((const uint64_t*)kBase, (const uint64_t*)kFactor, out, XeCryptBnQwNeModInv(m[0]), m, 4);
  expect_bytes("XeCryptBnQwNeModMul: a b / 2^256 mod m", out, kModMul, 32);
  memset(out, 0x5A, 32);
  a[0] = 10; /* an even modulus has no Montgomery form */
  XeCryptBnQwNeModMul((const uint64_t*)kBase, (const uint64_t*)kFactor, out, 0, a, 1);
  expect("XeCryptBnQwNeModMul with an even modulus writes nothing", ((uint8_t*)out)[0], 0x5A);

  memset(out, 0, sizeof out);
  expect("XeCryptBnQwNeRsaPrvCrypt", XeCryptBnQwNeRsaPrvCrypt((const uint64_t*)kRsaMessage, out, key2048()), 1);
  expect_bytes("  m ^ d mod n", out, kRsaPrivate, 256);
  expect("XeCryptBnQwNeRsaPubCrypt takes it back", XeCryptBnQwNeRsaPubCrypt(out, out, key2048()), 1);
  expect_bytes("  to the message", out, kRsaMessage, 256);
  memset(out, 0, sizeof out);
  expect("XeCryptBnQwNeModExpRoot",
         XeCryptBnQwNeModExpRoot(out, (const uint64_t*)kRsaMessage, factor(0), factor(1), factor(2), factor(3),
                                 factor(4), 16),
         1);
  expect_bytes("  the same as RsaPrvCrypt", out, kRsaPrivate, 256);
  expect("XeCryptBnQwNeModExpRoot with 0 digits: FALSE",
         XeCryptBnQwNeModExpRoot(out, out, out, out, out, out, out, 0), 0);
  memset(out, 0xFF, 256); /* above the modulus */
  expect("XeCryptBnQwNeRsaPrvCrypt of a number >= n: FALSE", XeCryptBnQwNeRsaPrvCrypt(out, out, key2048()), 0);
  expect("  the output untouched", ((uint8_t*)out)[0], 0xFF);
}

static void diffie_hellman(void) {
  static uint8_t out[96], small[96];
  memset(out, 0, sizeof out);
  expect("XeCryptBnDwLeDhModExp in Oakley Group 1", XeCryptBnDwLeDhModExp(kDhBase, kDhExp, out, NULL), 1);
  expect_bytes("  a ^ b mod p", out, kDhResult, 96);
  expect("XeCryptBnDwLeDhModExp of the generator (a NULL)", XeCryptBnDwLeDhModExp(NULL, kDhExp, out, NULL), 1);
  expect_bytes("  2 ^ b mod p", out, kDhGenResult, 96);
  expect("XeCryptBnDwLeDhModExp in an XECRYPT_DH of 2 QWORDs",
         XeCryptBnDwLeDhModExp(NULL, kSmallDhExp, out, (const XECRYPT_DH*)kSmallDh), 1);
  expect_bytes("  g ^ b mod m", out, kSmallDhResult, 16);
  memset(small, 0, sizeof small);
  small[0] = 1;
  expect("XeCryptBnDwLeDhInvalBase(1) is TRUE", XeCryptBnDwLeDhInvalBase(small, NULL), 1);
  small[0] = 2;
  expect("XeCryptBnDwLeDhInvalBase(2) is FALSE", XeCryptBnDwLeDhInvalBase(small, NULL), 0);
  expect("XeCryptBnDwLeDhEqualBase(2) is TRUE (the generator)", XeCryptBnDwLeDhEqualBase(small, NULL), 1);
  small[0] = 3;
  expect("XeCryptBnDwLeDhEqualBase(3) is FALSE", XeCryptBnDwLeDhEqualBase(small, NULL), 0);
  expect("XeCryptBnDwLeDhInvalBase(p - 1) is TRUE", XeCryptBnDwLeDhInvalBase(kDhPrimeMinus1, NULL), 1);
  memcpy(small, kDhPrimeMinus1, 96);
  small[0] -= 1;
  expect("XeCryptBnDwLeDhInvalBase(p - 2) is FALSE", XeCryptBnDwLeDhInvalBase(small, NULL), 0);
  static const uint32_t kNoGroup[2] = {0, 0};
  memset(out, 0x5A, 16);
  expect("XeCryptBnDwLeDhModExp with a group of 0 QWORDs: FALSE",
         XeCryptBnDwLeDhModExp(small, small, out, (const XECRYPT_DH*)kNoGroup), 0);
  expect("  the output untouched", out[0], 0x5A);
}

static void signatures(void) {
  static XECRYPT_SIG sig;
  static uint8_t key[sizeof kRsa2048], hash[20];
  static const uint8_t kSalt[10] = {'X', 'B', 'O', 'X', '3', '6', '0', 'S', 'V', 'C'};
  static const uint8_t kOtherSalt[10] = {'X', 'B', 'O', 'X', '3', '6', '0', 'X', 'T', 'T'};

  XeCryptBnQwBeSigFormat(&sig, kSigHash, kSalt);
  expect_bytes("XeCryptBnQwBeSigFormat: the block", &sig, kSigBlock, 256);
  expect("XeCryptBnQwBeSigCreate", XeCryptBnQwBeSigCreate(&sig, kSigHash, kSalt, key2048()), 1);
  expect_bytes("  the pre-compensated signature", &sig, kSignature, 256);
  expect("XeCryptBnQwBeSigVerify accepts it", XeCryptBnQwBeSigVerify(&sig, kSigHash, kSalt, key2048()), 1);
  expect_bytes("  and leaves the signature as it was", &sig, kSignature, 256);
  memcpy(hash, kSigHash, 20);
  hash[19] ^= 1;
  expect("XeCryptBnQwBeSigVerify refuses another hash", XeCryptBnQwBeSigVerify(&sig, hash, kSalt, key2048()), 0);
  expect("  another salt", XeCryptBnQwBeSigVerify(&sig, kSigHash, kOtherSalt, key2048()), 0);
  sig.aqw[5] ^= 1ull << 40;
  expect("  a changed signature", XeCryptBnQwBeSigVerify(&sig, kSigHash, kSalt, key2048()), 0);
  memcpy(&sig, kSignature, 256);
  expect("  a 1024-bit key", XeCryptBnQwBeSigVerify(&sig, kSigHash, kSalt, (const XECRYPT_RSA*)kRsa1024e3), 0);
  memcpy(key, kRsa2048, sizeof key);
  ((XECRYPT_RSA*)key)->public_exponent = 5;
  expect("  a key with e = 5", XeCryptBnQwBeSigVerify(&sig, kSigHash, kSalt, (const XECRYPT_RSA*)key), 0);
  expect("XeCryptBnQwBeSigCreate refuses it too", XeCryptBnQwBeSigCreate(&sig, kSigHash, kSalt, (const XECRYPT_RSA*)key),
         0);
  expect_bytes("  and leaves the signature as it was", &sig, kSignature, 256);
}

static uint8_t scratch[256] __attribute__((aligned(8)));
static void c_md5_input(void) { XeCryptMd5Update((XECRYPT_MD5_STATE*)scratch, (const void*)BAD, 4); }
static void c_sha512_out(void) {
  static XECRYPT_SHA512_STATE s;
  XeCryptSha512Init(&s);
  XeCryptSha512Final(&s, (uint8_t*)BAD_HIGH, 64);
}
static void c_copy_out(void) { XeCryptBnQw_Copy((const uint64_t*)scratch, (uint64_t*)BAD_HIGH, 2); }
static void c_zero_huge(void) { XeCryptBnQw_Zero((uint64_t*)scratch, 0x20000000); }
static void c_compare_huge(void) { XeCryptBnQwNeCompare((const uint64_t*)scratch, (const uint64_t*)scratch, 0xFFFFFFFF); }
static void c_verify_key(void) {
  XeCryptBnQwBeSigVerify((XECRYPT_SIG*)kSignature, kSigHash, kSigHash, (const XECRYPT_RSA*)BAD_HIGH);
}
static void c_modexp_modulus(void) {
  XeCryptBnQwNeModExp((uint64_t*)scratch, (const uint64_t*)kBase, (const uint64_t*)kExp, (const uint64_t*)BAD, 4);
}

static void c_dh_exponent(void) { XeCryptBnDwLeDhModExp(NULL, (const uint8_t*)BAD_HIGH, scratch, NULL); }

static const FaultCase kCases[] = {
    {"XeCryptMd5Update unmapped input", c_md5_input, BAD, "read"},
    {"XeCryptSha512Final unmapped output", c_sha512_out, BAD_HIGH, "write"},
    {"XeCryptBnQw_Copy unmapped output", c_copy_out, BAD_HIGH, "write"},
    {"XeCryptBnQw_Zero count past the address space", c_zero_huge, 0, "write"}, /* address: scratch */
    {"XeCryptBnQwNeCompare count past the address space", c_compare_huge, 0, "read"},
    {"XeCryptBnQwBeSigVerify unmapped key", c_verify_key, BAD_HIGH, "read"},
    {"XeCryptBnQwNeModExp unmapped modulus", c_modexp_modulus, BAD, "read"},
    {"XeCryptBnDwLeDhModExp unmapped exponent", c_dh_exponent, BAD_HIGH, "read"},
};
#define CASES (sizeof kCases / sizeof kCases[0])

int main(void) {
  static FaultCase cases[CASES];
  hashes();
  conversions();
  arithmetic();
  diffie_hellman();
  signatures();
  memcpy(cases, kCases, sizeof kCases);
  for (unsigned i = 0; i < CASES; ++i)
    if (cases[i].address == 0) cases[i].address = (uint32_t)scratch;
  run_fault_cases(cases, CASES);
  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
