// The cryptography of XEX2 files, through OpenSSL's libcrypto: the per-file AES-128 key (stored
// encrypted with the retail or devkit key), AES-128-CBC over the image data, and SHA-1 for the
// compressed-block chain. Shared by the loader and tools/xexpack.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace hexad::xex {

using AesKey = std::array<uint8_t, 16>;
using Sha1Digest = std::array<uint8_t, 20>;

// The two keys the console's loader decrypts a file's key with. Both are public constants, as
// published in xenia's XEX loader (xenia-project/xenia, src/xenia/cpu/xex_module.cc:
// xe_xex2_retail_key and xe_xex2_devkit_key, the latter all zeros).
enum class MasterKey : uint8_t { Retail, Devkit };
const AesKey& master_key(MasterKey which);
const char* master_key_name(MasterKey which);  // "retail", "devkit"

// The file key: AES-128-ECB of the 16 bytes at security info + 0x150 under the master key.
AesKey decrypt_file_key(MasterKey which, const uint8_t* encrypted);
AesKey encrypt_file_key(MasterKey which, const AesKey& file_key);

// AES-128-CBC with a zero IV, carried across calls: the image data is one CBC stream even when
// basic compression splits it into runs. Sizes passed must be multiples of 16.
class AesCbc {
 public:
  AesCbc(const AesKey& key, bool encrypt);
  ~AesCbc();
  AesCbc(const AesCbc&) = delete;
  AesCbc& operator=(const AesCbc&) = delete;
  void update(const uint8_t* in, uint8_t* out, size_t size);

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

Sha1Digest sha1(const uint8_t* data, size_t size);

}  // namespace hexad::xex
