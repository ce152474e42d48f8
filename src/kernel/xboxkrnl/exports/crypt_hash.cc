// The incremental MD5, SHA-384 and SHA-512 exports (Init/Update/Final) through libcrypto, their
// state in guest memory as on the console, so a title may copy, inspect or resume a state:
//   XECRYPT_MD5_STATE    count (bytes hashed, u32), buf[4] (A B C D, u32), in[64]    0x54 bytes
//                        (the console SDK's layout as public kernel headers reproduce it, with
//                        C_ASSERT(sizeof == 0x54))
//   XECRYPT_SHA512_STATE count (bytes hashed, u64), state[8] (u64), buffer[128]      0xC8 bytes
//                        (xenia-canary xboxkrnl_crypt.cc; SHA-384 uses the same structure)
// Each call loads the guest state into libcrypto's context, runs the primitive and stores it
// back (crypt_common.h); Final leaves the digest in the chaining words and an empty buffer.
#include "kernel/xboxkrnl/exports/crypt_common.h"
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

using namespace xecrypt;

HEXAD_EXPORTS_BEGIN;

// ---- MD5 (RFC 1321) -------------------------------------------------------------------------

void XeCryptMd5Init(ExportContext& x, GuestPtr<void> state) {
  probe_out(x.mem(), state.addr(), Md5State::kSize);
  MD5_CTX c;
  MD5_Init(&c);
  Md5State::store(x.mem(), state.addr(), c);
}
HEXAD_EXPORT(xboxkrnl, 0x0184, XeCryptMd5Init, Implemented);

void XeCryptMd5Update(ExportContext& x, GuestPtr<void> state, GuestPtr<void> input, uint32_t size) {
  sha_update<Md5State, MD5_CTX>(x.mem(), state.addr(), input.addr(), size, MD5_Init, MD5_Update);
}
HEXAD_EXPORT(xboxkrnl, 0x0185, XeCryptMd5Update, Implemented);

void XeCryptMd5Final(ExportContext& x, GuestPtr<void> state, GuestPtr<void> out, uint32_t out_size) {
  sha_final<Md5State, MD5_CTX, MD5_DIGEST_LENGTH>(x.mem(), state.addr(), out.addr(), out_size, MD5_Init, MD5_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x0186, XeCryptMd5Final, Implemented);

// ---- SHA-384 and SHA-512 (FIPS 180-4) ---------------------------------------------------------

struct Sha512State {
  static constexpr uint32_t kSize = 8 + 8 * 8 + 128;

  static SHA512_CTX load(cpu::Memory& mem, uint32_t addr, int (*init)(SHA512_CTX*)) {
    SHA512_CTX c;
    init(&c);
    const uint64_t count = mem.read64(addr);
    for (uint32_t i = 0; i < 8; ++i) c.h[i] = mem.read64(addr + 8 + 8 * i);
    c.Nl = count << 3;
    c.Nh = count >> 61;
    c.num = unsigned(count % 128);
    mem.read_bytes(addr + 0x48, c.u.p, c.num);
    return c;
  }
  static void store(cpu::Memory& mem, uint32_t addr, const SHA512_CTX& c) {
    mem.write64(addr, (uint64_t(c.Nh) << 61) | (uint64_t(c.Nl) >> 3));
    for (uint32_t i = 0; i < 8; ++i) mem.write64(addr + 8 + 8 * i, c.h[i]);
    std::array<uint8_t, 128> block{};
    std::memcpy(block.data(), c.u.p, c.num);
    mem.write_bytes(addr + 0x48, block.data(), 128);
  }
};

void sha512_init(cpu::Memory& mem, uint32_t state, int (*init)(SHA512_CTX*)) {
  probe_out(mem, state, Sha512State::kSize);
  SHA512_CTX c;
  init(&c);
  Sha512State::store(mem, state, c);
}

void XeCryptSha384Init(ExportContext& x, GuestPtr<void> state) { sha512_init(x.mem(), state.addr(), SHA384_Init); }
HEXAD_EXPORT(xboxkrnl, 0x0314, XeCryptSha384Init, Implemented);

void XeCryptSha384Update(ExportContext& x, GuestPtr<void> state, GuestPtr<void> input, uint32_t size) {
  sha_update<Sha512State, SHA512_CTX>(x.mem(), state.addr(), input.addr(), size, SHA384_Init, SHA384_Update);
}
HEXAD_EXPORT(xboxkrnl, 0x0315, XeCryptSha384Update, Implemented);

void XeCryptSha384Final(ExportContext& x, GuestPtr<void> state, GuestPtr<void> out, uint32_t out_size) {
  sha_final<Sha512State, SHA512_CTX, SHA384_DIGEST_LENGTH>(x.mem(), state.addr(), out.addr(), out_size, SHA384_Init,
                                                           SHA384_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x0318, XeCryptSha384Final, Implemented);

void XeCryptSha512Init(ExportContext& x, GuestPtr<void> state) { sha512_init(x.mem(), state.addr(), SHA512_Init); }
HEXAD_EXPORT(xboxkrnl, 0x031F, XeCryptSha512Init, Implemented);

void XeCryptSha512Update(ExportContext& x, GuestPtr<void> state, GuestPtr<void> input, uint32_t size) {
  sha_update<Sha512State, SHA512_CTX>(x.mem(), state.addr(), input.addr(), size, SHA512_Init, SHA512_Update);
}
HEXAD_EXPORT(xboxkrnl, 0x0323, XeCryptSha512Update, Implemented);

void XeCryptSha512Final(ExportContext& x, GuestPtr<void> state, GuestPtr<void> out, uint32_t out_size) {
  sha_final<Sha512State, SHA512_CTX, SHA512_DIGEST_LENGTH>(x.mem(), state.addr(), out.addr(), out_size, SHA512_Init,
                                                           SHA512_Final);
}
HEXAD_EXPORT(xboxkrnl, 0x0324, XeCryptSha512Final, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> crypt_hash_exports() { return kAreaExports; }

}  // namespace hexad::kernel
