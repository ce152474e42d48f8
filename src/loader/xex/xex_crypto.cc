#include "loader/xex/xex_crypto.h"

#include <algorithm>

#include <openssl/evp.h>

#include "base/hexad_error.h"

namespace hexad::xex {

namespace {

// xenia-project/xenia, src/xenia/cpu/xex_module.cc (xe_xex2_retail_key, xe_xex2_devkit_key).
constexpr AesKey kRetailKey = {0x20, 0xB1, 0x85, 0xA5, 0x9D, 0x28, 0xFD, 0xC3,
                               0x40, 0x58, 0x3F, 0xBB, 0x08, 0x96, 0xBF, 0x91};
constexpr AesKey kDevkitKey = {};

struct CipherCtx {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

// One AES-128 operation with padding off; `size` is a multiple of 16.
void aes_once(const EVP_CIPHER* cipher, const AesKey& key, bool encrypt, const uint8_t* in, uint8_t* out, int size) {
  CipherCtx c;
  int len = 0;
  if (!c.ctx || EVP_CipherInit_ex(c.ctx, cipher, nullptr, key.data(), nullptr, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(c.ctx, 0) != 1 || EVP_CipherUpdate(c.ctx, out, &len, in, size) != 1 || len != size)
    fail("libcrypto: AES-128 failed");
}

}  // namespace

const AesKey& master_key(MasterKey which) { return which == MasterKey::Retail ? kRetailKey : kDevkitKey; }
const char* master_key_name(MasterKey which) { return which == MasterKey::Retail ? "retail" : "devkit"; }

AesKey decrypt_file_key(MasterKey which, const uint8_t* encrypted) {
  AesKey out;
  aes_once(EVP_aes_128_ecb(), master_key(which), false, encrypted, out.data(), 16);
  return out;
}

AesKey encrypt_file_key(MasterKey which, const AesKey& file_key) {
  AesKey out;
  aes_once(EVP_aes_128_ecb(), master_key(which), true, file_key.data(), out.data(), 16);
  return out;
}

struct AesCbc::Ctx {
  CipherCtx c;
};

AesCbc::AesCbc(const AesKey& key, bool encrypt) : ctx_(std::make_unique<Ctx>()) {
  const uint8_t iv[16] = {};
  if (!ctx_->c.ctx || EVP_CipherInit_ex(ctx_->c.ctx, EVP_aes_128_cbc(), nullptr, key.data(), iv, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx_->c.ctx, 0) != 1)
    fail("libcrypto: AES-128-CBC setup failed");
}

AesCbc::~AesCbc() = default;

void AesCbc::update(const uint8_t* in, uint8_t* out, size_t size) {
  if (size % 16 != 0) fail("AES-128-CBC: {} bytes is not a whole number of 16-byte blocks", size);
  // EVP takes int sizes: feed large buffers in slices (the CBC state carries over).
  constexpr size_t kSlice = size_t(1) << 30;
  for (size_t done = 0; done < size;) {
    const int n = int(std::min(kSlice, size - done));
    int len = 0;
    if (EVP_CipherUpdate(ctx_->c.ctx, out + done, &len, in + done, n) != 1 || len != n)
      fail("libcrypto: AES-128-CBC failed");
    done += size_t(n);
  }
}

Sha1Digest sha1(const uint8_t* data, size_t size) {
  Sha1Digest d;
  unsigned int len = 0;
  if (EVP_Digest(data, size, d.data(), &len, EVP_sha1(), nullptr) != 1 || len != d.size()) fail("libcrypto: SHA-1 failed");
  return d;
}

}  // namespace hexad::xex
