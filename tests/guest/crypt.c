/* crypt: XeCrypt* known-answer tests from the primitives' standards, through the guest API:
 *   - SHA-1 (FIPS 180 "abc" and the two-block message, hashed whole, one-shot in three pieces,
 *     and byte by byte through Init/Update/Final so the state's count and buffer carry over);
 *   - SHA-256 (FIPS 180 "abc", one-shot and incremental);
 *   - MD5, SHA-384 and SHA-512 one-shots ("abc"; pieces, NULL pieces, short and long out_size);
 *   - HMAC-SHA1 (RFC 2202 cases 2 and 6: a short key and a key longer than the block), through
 *     Init/Update/Final and the ten-argument one-shot XeCryptHmacSha (out, out_size on the stack);
 *   - RC4 (the "Key"/"Plaintext" vector; the state resumes across calls; decrypting restores);
 *   - AES-128 (FIPS-197 C.1 block, the last round key of FIPS-197 A.1's schedule, SP 800-38A
 *     F.2.1/F.2.2 CBC with the feed updated);
 *   - DES (the classic 133457799BBCDFF1 vector) and triple DES (SP 800-67's "The qufck brown fox
 *     jump"), ECB and CBC with the feed updated; XeCryptDesParity;
 *   - XeCryptBnDwLePkcs1Format/Verify: the type-0 encoding byte for byte, types 1 and 2, a changed
 *     byte or hash refused, sizes outside [0x27, 0x200] refused without a read or write;
 *   - the RSA public operation on a textbook key (n = 3233, e = 17: 65 -> 2790) and the keys and
 *     inputs it refuses (FALSE, output untouched). */
#define TITLE "crypt"
#include "hx/libc.h"
#include "title_util.h"

static void expect_bytes(const char* what, const uint8_t* got, const uint8_t* want, unsigned n) {
  expect(what, memcmp(got, want, n) == 0, 1);
}

static const uint8_t kSha1Abc[20] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                                     0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
static const char kTwoBlock[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const uint8_t kSha1TwoBlock[20] = {0x84, 0x98, 0x3e, 0x44, 0x1c, 0x3b, 0xd2, 0x6e, 0xba, 0xae,
                                          0x4a, 0xa1, 0xf9, 0x51, 0x29, 0xe5, 0xe5, 0x46, 0x70, 0xf1};
static const uint8_t kSha256Abc[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                       0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                       0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};

static void sha(void) {
  XECRYPT_SHA_STATE s;
  uint8_t out[20];
  uint8_t small[8];

  XeCryptSha("abc", 3, NULL, 0, NULL, 0, out, 20);
  expect_bytes("XeCryptSha(abc)", out, kSha1Abc, 20);
  XeCryptSha("a", 1, "b", 1, "c", 1, out, 20);
  expect_bytes("XeCryptSha in three pieces", out, kSha1Abc, 20);
  memset(small, 0, sizeof small);
  XeCryptSha("abc", 3, NULL, 0, NULL, 0, small, 4);
  expect_bytes("XeCryptSha with a 4-byte output writes 4 bytes", small, kSha1Abc, 4);
  expect("  and nothing more", small[4], 0);

  XeCryptShaInit(&s);
  expect("XeCryptShaInit: count 0, state[0] 0x67452301", s.count == 0 && s.state[0] == 0x67452301, 1);
  for (unsigned i = 0; i < sizeof kTwoBlock - 1; ++i) XeCryptShaUpdate(&s, kTwoBlock + i, 1);
  expect("XeCryptShaUpdate byte by byte: count 56", s.count, 56);
  expect("  the buffer holds the unhashed tail", memcmp(s.buffer, kTwoBlock, 56), 0);
  XeCryptShaFinal(&s, out, 20);
  expect_bytes("XeCryptShaFinal of the two-block message", out, kSha1TwoBlock, 20);
  expect("  the state then holds the digest", s.state[0], 0x84983e44);

  XECRYPT_SHA256_STATE s256;
  uint8_t out256[32];
  XeCryptSha256("ab", 2, "c", 1, NULL, 0, out256, 32);
  expect_bytes("XeCryptSha256(abc)", out256, kSha256Abc, 32);
  XeCryptSha256Init(&s256);
  XeCryptSha256Update(&s256, "a", 1);
  XeCryptSha256Update(&s256, "bc", 2);
  expect("XeCryptSha256Update: count 3", s256.count, 3);
  XeCryptSha256Final(&s256, out256, 32);
  expect_bytes("XeCryptSha256 Init/Update/Final(abc)", out256, kSha256Abc, 32);
}

/* FIPS 180-2 / RFC 1321 "abc" vectors. */
static const uint8_t kMd5Abc[16] = {0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0, 0xd6, 0x96, 0x3f, 0x7d, 0x28, 0xe1, 0x7f, 0x72};
static const uint8_t kSha384Abc[48] = {0xcb, 0x00, 0x75, 0x3f, 0x45, 0xa3, 0x5e, 0x8b, 0xb5, 0xa0, 0x3d, 0x69, 0x9a, 0xc6, 0x50, 0x07, 0x27, 0x2c, 0x32, 0xab, 0x0e, 0xde, 0xd1, 0x63, 0x1a, 0x8b, 0x60, 0x5a, 0x43, 0xff, 0x5b, 0xed, 0x80, 0x86, 0x07, 0x2b, 0xa1, 0xe7, 0xcc, 0x23, 0x58, 0xba, 0xec, 0xa1, 0x34, 0xc8, 0x25, 0xa7};
static const uint8_t kSha512Abc[64] = {0xdd, 0xaf, 0x35, 0xa1, 0x93, 0x61, 0x7a, 0xba, 0xcc, 0x41, 0x73, 0x49, 0xae, 0x20, 0x41, 0x31, 0x12, 0xe6, 0xfa, 0x4e, 0x89, 0xa9, 0x7e, 0xa2, 0x0a, 0x9e, 0xee, 0xe6, 0x4b, 0x55, 0xd3, 0x9a, 0x21, 0x92, 0x99, 0x2a, 0x27, 0x4f, 0xc1, 0xa8, 0x36, 0xba, 0x3c, 0x23, 0xa3, 0xfe, 0xeb, 0xbd, 0x45, 0x4d, 0x44, 0x23, 0x64, 0x3c, 0xe8, 0x0e, 0x2a, 0x9a, 0xc9, 0x4f, 0xa5, 0x4c, 0xa4, 0x9f};

static void md5_sha384_sha512(void) {
  uint8_t out[64];

  XeCryptMd5("abc", 3, NULL, 0, NULL, 0, out, 16);
  expect_bytes("XeCryptMd5(abc) (RFC 1321)", out, kMd5Abc, 16);
  XeCryptMd5("a", 1, "b", 1, "c", 1, out, 16);
  expect_bytes("XeCryptMd5 in three pieces", out, kMd5Abc, 16);
  XeCryptSha384("ab", 2, NULL, 7, "c", 1, out, 48);
  expect_bytes("XeCryptSha384(abc), a NULL piece skipped", out, kSha384Abc, 48);
  XeCryptSha512("abc", 3, NULL, 0, NULL, 0, out, 64);
  expect_bytes("XeCryptSha512(abc)", out, kSha512Abc, 64);
  memset(out, 0x77, sizeof out);
  XeCryptSha512("abc", 3, "", 0, NULL, 0, out, 5);
  expect_bytes("XeCryptSha512 out_size 5: five bytes", out, kSha512Abc, 5);
  expect("  nothing after them", out[5] == 0x77 && out[63] == 0x77, 1);
  memset(out, 0x77, sizeof out);
  XeCryptMd5("abc", 3, NULL, 0, NULL, 0, out, 200);
  expect_bytes("XeCryptMd5 out_size 200: the 16-byte digest", out, kMd5Abc, 16);
  expect("  nothing after it", out[16], 0x77);
}

static void hmac(void) {
  static const uint8_t kCase2[20] = {0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74,
                                     0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79};
  static const uint8_t kCase6[20] = {0xaa, 0x4a, 0xe5, 0xe1, 0x52, 0x72, 0xd0, 0x0e, 0x95, 0x70,
                                     0x56, 0x37, 0xce, 0x8a, 0x3b, 0x55, 0xed, 0x40, 0x21, 0x12};
  static const char kData6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
  XECRYPT_HMACSHA_STATE h;
  uint8_t key[80], out[20];

  XeCryptHmacShaInit(&h, "Jefe", 4);
  XeCryptHmacShaUpdate(&h, "what do ya want ", 16);
  XeCryptHmacShaUpdate(&h, "for nothing?", 12);
  XeCryptHmacShaFinal(&h, out, 20);
  expect_bytes("HMAC-SHA1 RFC 2202 case 2", out, kCase2, 20);
  memset(key, 0xaa, sizeof key);
  XeCryptHmacShaInit(&h, key, 80);
  XeCryptHmacShaUpdate(&h, kData6, sizeof kData6 - 1);
  XeCryptHmacShaFinal(&h, out, 20);
  expect_bytes("HMAC-SHA1 RFC 2202 case 6 (80-byte key)", out, kCase6, 20);

  /* The one-shot form, its out and out_size passed on the stack: pieces concatenate, NULL or
   * empty pieces are skipped, a short out_size writes only that many bytes. */
  memset(out, 0, sizeof out);
  XeCryptHmacSha("Jefe", 4, "what do ya want ", 16, NULL, 5, "for nothing?", 12, out, 20);
  expect_bytes("XeCryptHmacSha RFC 2202 case 2 (two pieces, a NULL one between)", out, kCase2, 20);
  XeCryptHmacSha(key, 80, kData6, sizeof kData6 - 1, NULL, 0, NULL, 0, out, 20);
  expect_bytes("XeCryptHmacSha RFC 2202 case 6 (80-byte key)", out, kCase6, 20);
  memset(out, 0xEE, sizeof out);
  XeCryptHmacSha("Jefe", 4, "what do ya want for nothing?", 28, "", 0, NULL, 0, out, 3);
  expect_bytes("XeCryptHmacSha out_size 3: three bytes", out, kCase2, 3);
  expect("  nothing after them", out[3] == 0xEE && out[19] == 0xEE, 1);
}

static void rc4(void) {
  static const uint8_t kCipher[9] = {0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3};
  XECRYPT_RC4_STATE s;
  uint8_t data[9];

  memcpy(data, "Plaintext", 9);
  XeCryptRc4("Key", 3, data, 9);
  expect_bytes("XeCryptRc4(Key, Plaintext)", data, kCipher, 9);
  memcpy(data, "Plaintext", 9);
  XeCryptRc4Key(&s, "Key", 3);
  expect("XeCryptRc4Key: i = j = 0", s.i == 0 && s.j == 0, 1);
  XeCryptRc4Ecb(&s, data, 4);
  XeCryptRc4Ecb(&s, data + 4, 5);
  expect_bytes("XeCryptRc4Ecb resumes its state across calls", data, kCipher, 9);
  XeCryptRc4Key(&s, "Key", 3);
  XeCryptRc4Ecb(&s, data, 9);
  expect_bytes("RC4 twice restores the plaintext", data, (const uint8_t*)"Plaintext", 9);
}

static void aes(void) {
  static const uint8_t kKey[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  static const uint8_t kPlain[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                     0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
  static const uint8_t kCipher[16] = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                      0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};
  static const uint8_t kKeyA1[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                     0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
  static const uint8_t kLastRoundA1[16] = {0xd0, 0x14, 0xf9, 0xa8, 0xc9, 0xee, 0x25, 0x89,
                                           0xe1, 0x3f, 0x0c, 0xc8, 0xb6, 0x63, 0x0c, 0xa6};
  static const uint8_t kCbcPlain[32] = {0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e,
                                        0x11, 0x73, 0x93, 0x17, 0x2a, 0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03,
                                        0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51};
  static const uint8_t kCbcCipher[32] = {0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46, 0xce, 0xe9, 0x8e,
                                         0x9b, 0x12, 0xe9, 0x19, 0x7d, 0x50, 0x86, 0xcb, 0x9b, 0x50, 0x72,
                                         0x19, 0xee, 0x95, 0xdb, 0x11, 0x3a, 0x91, 0x76, 0x78, 0xb2};
  XECRYPT_AES_STATE s;
  uint8_t block[16], feed[16], buf[32];

  XeCryptAesKey(&s, kKey);
  expect_bytes("XeCryptAesKey: round key 0 is the key", s.keytabenc[0], kKey, 16);
  XeCryptAesEcb(&s, kPlain, block, 1);
  expect_bytes("XeCryptAesEcb encrypt (FIPS-197 C.1)", block, kCipher, 16);
  XeCryptAesEcb(&s, block, block, 0);
  expect_bytes("XeCryptAesEcb decrypt in place", block, kPlain, 16);

  XeCryptAesKey(&s, kKeyA1);
  expect_bytes("XeCryptAesKey: round key 10 (FIPS-197 A.1)", s.keytabenc[10], kLastRoundA1, 16);
  expect_bytes("  the decryption schedule starts with it", s.keytabdec[0], kLastRoundA1, 16);
  for (unsigned i = 0; i < 16; ++i) feed[i] = (uint8_t)i;
  XeCryptAesCbc(&s, kCbcPlain, 32, buf, feed, 1);
  expect_bytes("XeCryptAesCbc encrypt (SP 800-38A F.2.1)", buf, kCbcCipher, 32);
  expect_bytes("  the feed is the last ciphertext block", feed, kCbcCipher + 16, 16);
  for (unsigned i = 0; i < 16; ++i) feed[i] = (uint8_t)i;
  XeCryptAesCbc(&s, buf, 32, buf, feed, 0);
  expect_bytes("XeCryptAesCbc decrypt in place (F.2.2)", buf, kCbcPlain, 32);
}

static void des(void) {
  static const uint8_t kKey[8] = {0x13, 0x34, 0x57, 0x79, 0x9B, 0xBC, 0xDF, 0xF1};
  static const uint8_t kPlain[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
  static const uint8_t kCipher[8] = {0x85, 0xE8, 0x13, 0x54, 0x0F, 0x0A, 0xB4, 0x05};
  static const uint8_t kKey3[24] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x23, 0x45, 0x67, 0x89,
                                    0xAB, 0xCD, 0xEF, 0x01, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23};
  static const char kPlain3[] = "The qufck brown fox jump";
  static const uint8_t kCipher3[24] = {0xA8, 0x26, 0xFD, 0x8C, 0xE5, 0x3B, 0x85, 0x5F, 0xCC, 0xE2, 0x1C, 0x81,
                                       0x12, 0x25, 0x6F, 0xE6, 0x68, 0xD5, 0xC0, 0x5D, 0xD9, 0xB6, 0xB9, 0x00};
  XECRYPT_DES_STATE s;
  XECRYPT_DES3_STATE s3;
  uint8_t block[8], buf[24], feed[8], again[24];

  XeCryptDesKey(&s, kKey);
  XeCryptDesEcb(&s, kPlain, block, 1);
  expect_bytes("XeCryptDesEcb encrypt", block, kCipher, 8);
  XeCryptDesEcb(&s, block, block, 0);
  expect_bytes("XeCryptDesEcb decrypt in place", block, kPlain, 8);

  XeCryptDes3Key(&s3, kKey3);
  for (unsigned i = 0; i < 3; ++i) XeCryptDes3Ecb(&s3, (const uint8_t*)kPlain3 + 8 * i, buf + 8 * i, 1);
  expect_bytes("XeCryptDes3Ecb (SP 800-67)", buf, kCipher3, 24);
  XeCryptDes3Ecb(&s3, kCipher3, block, 0);
  expect_bytes("XeCryptDes3Ecb decrypt", block, (const uint8_t*)kPlain3, 8);

  /* CBC with a zero IV: block 1 is ECB of block 1; the feed ends as the last ciphertext block. */
  memset(feed, 0, sizeof feed);
  XeCryptDes3Cbc(&s3, (const uint8_t*)kPlain3, 24, buf, feed, 1);
  expect_bytes("XeCryptDes3Cbc block 1 equals ECB with a zero IV", buf, kCipher3, 8);
  expect_bytes("  the feed is the last ciphertext block", feed, buf + 16, 8);
  memset(feed, 0, sizeof feed);
  XeCryptDes3Cbc(&s3, buf, 24, again, feed, 0);
  expect_bytes("XeCryptDes3Cbc decrypts back", again, (const uint8_t*)kPlain3, 24);
  memset(feed, 0, sizeof feed);
  XeCryptDesCbc(&s, kPlain, 8, block, feed, 1);
  expect_bytes("XeCryptDesCbc one block with a zero IV", block, kCipher, 8);

  static const uint8_t kNoParity[3] = {0x00, 0x01, 0xFE};
  uint8_t fixed[3];
  XeCryptDesParity(kNoParity, 3, fixed);
  expect("XeCryptDesParity sets odd parity", fixed[0] == 0x01 && fixed[1] == 0x01 && fixed[2] == 0xFE, 1);
}

/* XeCryptBnDwLePkcs1Format / Verify: the SDK's three SHA-1 digest encodings (little-endian). */
static void pkcs1(void) {
  /* SHA-1("abc") reversed, the type-0 DigestInfo prefix reversed, FF padding, 01 00: 64 bytes. */
  static const uint8_t kType0Abc64[64] = {
      0x9d, 0xd8, 0xd0, 0x9c, 0x6c, 0xc2, 0x50, 0x78, 0x71, 0x25, 0x3e, 0xba,
      0x6a, 0x81, 0x06, 0x47, 0x36, 0x3e, 0x99, 0xa9, 0x14, 0x04, 0x00, 0x05,
      0x1a, 0x02, 0x03, 0x0e, 0x2b, 0x05, 0x06, 0x09, 0x30, 0x21, 0x30, 0x00,
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0x01, 0x00,
  };
  uint8_t sig[0x80], bad_hash[20];

  memset(sig, 0x5A, sizeof sig);
  XeCryptBnDwLePkcs1Format(kSha1Abc, 0, sig, 0x40);
  expect_bytes("XeCryptBnDwLePkcs1Format type 0, 64 bytes", sig, kType0Abc64, 64);
  expect("  nothing after them", sig[0x40], 0x5A);
  expect("XeCryptBnDwLePkcs1Verify of it", XeCryptBnDwLePkcs1Verify(kSha1Abc, sig, 0x40), TRUE);
  sig[0x30] = 0xFE;
  expect("  a padding byte changed: FALSE", XeCryptBnDwLePkcs1Verify(kSha1Abc, sig, 0x40), FALSE);
  memcpy(bad_hash, kSha1Abc, 20);
  bad_hash[19] ^= 1;
  XeCryptBnDwLePkcs1Format(kSha1Abc, 1, sig, 0x80);
  expect("type 1 (0x80 bytes) verifies", XeCryptBnDwLePkcs1Verify(kSha1Abc, sig, 0x80), TRUE);
  expect("  type 1 prefix byte 0x16 is 1A, trailer 01 00", sig[0x16] == 0x1A && sig[0x7E] == 1 && sig[0x7F] == 0, 1);
  expect("  another hash: FALSE", XeCryptBnDwLePkcs1Verify(bad_hash, sig, 0x80), FALSE);
  XeCryptBnDwLePkcs1Format(kSha1Abc, 7, sig, 0x27);
  expect("type 7 (as 2: one 00 byte) at the minimum size 0x27",
         sig[0] == kSha1Abc[19] && sig[0x14] == 0 && sig[0x15] == 0xFF && sig[0x25] == 1 && sig[0x26] == 0, 1);
  expect("  verifies", XeCryptBnDwLePkcs1Verify(kSha1Abc, sig, 0x27), TRUE);
  expect("  but not as 0x28 bytes", XeCryptBnDwLePkcs1Verify(kSha1Abc, sig, 0x28), FALSE);
  memset(sig, 0x5A, sizeof sig);
  XeCryptBnDwLePkcs1Format(kSha1Abc, 0, sig, 0x26);
  expect("Format with a size under 0x27 writes nothing", sig[0] == 0x5A && sig[0x25] == 0x5A, 1);
  expect("Verify with a size under 0x27: FALSE", XeCryptBnDwLePkcs1Verify(kSha1Abc, sig, 0x26), FALSE);
  expect("Verify with a size over 0x200: FALSE (nothing read)",
         XeCryptBnDwLePkcs1Verify(kSha1Abc, (const uint8_t*)0x00001000, 0x201), FALSE);
}

static void rsa(void) {
  static struct {
    XECRYPT_RSA header;
    uint64_t modulus[1];
  } key = {{1, 17, 0}, {3233}};
  uint64_t in = 65, out = 0;

  expect("XeCryptBnQwNeRsaPubCrypt(65, n 3233, e 17)", XeCryptBnQwNeRsaPubCrypt(&in, &out, &key.header), TRUE);
  expect("  = 2790", (uint32_t)out, 2790);
  in = 3233;
  out = 7;
  expect("input >= modulus is refused", XeCryptBnQwNeRsaPubCrypt(&in, &out, &key.header), FALSE);
  expect("  output untouched", (uint32_t)out, 7);
  key.modulus[0] = 3232;
  in = 65;
  expect("an even modulus is refused", XeCryptBnQwNeRsaPubCrypt(&in, &out, &key.header), FALSE);
  key.modulus[0] = 3233;
  key.header.cqw = 0;
  expect("a zero-size key is refused", XeCryptBnQwNeRsaPubCrypt(&in, &out, &key.header), FALSE);
  key.header.cqw = 65;
  expect("a key over 4096 bits is refused", XeCryptBnQwNeRsaPubCrypt(&in, &out, &key.header), FALSE);
}

int main(void) {
  sha();
  md5_sha384_sha512();
  hmac();
  rc4();
  aes();
  des();
  rsa();
  pkcs1();
  DbgPrint("crypt: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
