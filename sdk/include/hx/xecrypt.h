/* hx/xecrypt.h: the incremental MD5 / SHA-384 / SHA-512 exports and the XeCrypt bignum exports
 * (included by hx/kernel.h; the other XeCrypt exports are in hx/rtl.h). Numbers are BnQwNe:
 * arrays of uint64_t digits, least significant first (BnDw: uint32_t digits). */
#ifndef HX_XECRYPT_H
#define HX_XECRYPT_H
#include "hx/import.h"
#include "hx/types.h"

typedef struct {
  uint32_t count; /* bytes hashed */
  uint32_t buf[4]; /* A B C D */
  uint8_t in[64];
} XECRYPT_MD5_STATE; /* 0x54 bytes */
typedef struct {
  uint64_t count; /* bytes hashed */
  uint64_t state[8];
  uint8_t buffer[128];
} XECRYPT_SHA512_STATE; /* 0xC8 bytes; SHA-384 uses it too */
/* A 2048-bit signature, a BnQwBe number (the console SDK names the fields of its big-endian byte
 * form: 0xE0 zero-ish pad bytes, 0x01, a 10-byte salt, a 20-byte hash, 0xBC). */
typedef struct {
  uint64_t aqw[32];
} XECRYPT_SIG;

HX_IMPORT(xboxkrnl, 0x0184, XeCryptMd5Init, void, (XECRYPT_MD5_STATE* state));
HX_IMPORT(xboxkrnl, 0x0185, XeCryptMd5Update, void, (XECRYPT_MD5_STATE* state, const void* input, ULONG size));
HX_IMPORT(xboxkrnl, 0x0186, XeCryptMd5Final, void, (XECRYPT_MD5_STATE* state, uint8_t* out, ULONG out_size));
HX_IMPORT(xboxkrnl, 0x0314, XeCryptSha384Init, void, (XECRYPT_SHA512_STATE* state));
HX_IMPORT(xboxkrnl, 0x0315, XeCryptSha384Update, void, (XECRYPT_SHA512_STATE* state, const void* input, ULONG size));
HX_IMPORT(xboxkrnl, 0x0318, XeCryptSha384Final, void, (XECRYPT_SHA512_STATE* state, uint8_t* out, ULONG out_size));
HX_IMPORT(xboxkrnl, 0x031F, XeCryptSha512Init, void, (XECRYPT_SHA512_STATE* state));
HX_IMPORT(xboxkrnl, 0x0323, XeCryptSha512Update, void, (XECRYPT_SHA512_STATE* state, const void* input, ULONG size));
HX_IMPORT(xboxkrnl, 0x0324, XeCryptSha512Final, void, (XECRYPT_SHA512_STATE* state, uint8_t* out, ULONG out_size));

HX_IMPORT(xboxkrnl, 0x0161, XeCryptBnDw_Zero, void, (uint32_t* digits, ULONG cdw));
HX_IMPORT(xboxkrnl, 0x015F, XeCryptBnDw_Copy, void, (const uint32_t* in, uint32_t* out, ULONG cdw));
HX_IMPORT(xboxkrnl, 0x0160, XeCryptBnDw_SwapLeBe, void, (const uint32_t* in, uint32_t* out, ULONG cdw));
HX_IMPORT(xboxkrnl, 0x0172, XeCryptBnQw_Zero, void, (uint64_t* digits, ULONG cqw));
HX_IMPORT(xboxkrnl, 0x016E, XeCryptBnQw_Copy, void, (const uint64_t* in, uint64_t* out, ULONG cqw));
HX_IMPORT(xboxkrnl, 0x0171, XeCryptBnQw_SwapLeBe, void, (const uint64_t* in, uint64_t* out, ULONG cqw));
HX_IMPORT(xboxkrnl, 0x016F, XeCryptBnQw_SwapDwQw, void, (const uint64_t* in, uint64_t* out, ULONG cqw));
HX_IMPORT(xboxkrnl, 0x0170, XeCryptBnQw_SwapDwQwLeBe, void, (const uint64_t* in, uint64_t* out, ULONG cqw));
HX_IMPORT(xboxkrnl, 0x0326, XeCryptBnQwNeCompare, int, (const uint64_t* a, const uint64_t* b, ULONG cqw));
HX_IMPORT(xboxkrnl, 0x0167, XeCryptBnQwNeModExp, ULONG,
          (uint64_t* a, const uint64_t* b, const uint64_t* c, const uint64_t* m, ULONG cqw));
HX_IMPORT(xboxkrnl, 0x0168, XeCryptBnQwNeModExpRoot, ULONG,
          (uint64_t* a, const uint64_t* b, const uint64_t* p, const uint64_t* q, const uint64_t* dp, const uint64_t* dq,
           const uint64_t* cr, ULONG cqw));
HX_IMPORT(xboxkrnl, 0x016C, XeCryptBnQwNeRsaPrvCrypt, ULONG, (const uint64_t* in, uint64_t* out, const XECRYPT_RSA* key));
HX_IMPORT(xboxkrnl, 0x0165, XeCryptBnQwBeSigFormat, void, (XECRYPT_SIG* sig, const uint8_t* hash, const uint8_t* salt));
HX_IMPORT(xboxkrnl, 0x0164, XeCryptBnQwBeSigCreate, ULONG,
          (XECRYPT_SIG* sig, const uint8_t* hash, const uint8_t* salt, const XECRYPT_RSA* private_key));
HX_IMPORT(xboxkrnl, 0x0166, XeCryptBnQwBeSigVerify, ULONG,
          (XECRYPT_SIG* sig, const uint8_t* hash, const uint8_t* salt, const XECRYPT_RSA* key));

/* Diffie-Hellman on BnDwLe numbers (DWORD digits least significant first, each little-endian: a
 * little-endian byte string); dh NULL is the 768-bit Oakley Group 1 (cqw 12). */
typedef struct {
  uint32_t cqw;
  uint32_t reserved;
  /* uint64_t m[cqw], g[cqw] follow (BnQwNe) */
} XECRYPT_DH;
HX_IMPORT(xboxkrnl, 0x015E, XeCryptBnDwLeDhModExp, ULONG,
          (const uint8_t* a, const uint8_t* b, uint8_t* c, const XECRYPT_DH* dh));
HX_IMPORT(xboxkrnl, 0x015D, XeCryptBnDwLeDhInvalBase, ULONG, (const uint8_t* a, const XECRYPT_DH* dh));
HX_IMPORT(xboxkrnl, 0x015C, XeCryptBnDwLeDhEqualBase, ULONG, (const uint8_t* a, const XECRYPT_DH* dh));

/* Exports with a 64-bit parameter, which the console passes in one 64-bit register where the
 * 32-bit SysV ABI uses a register pair: a wrapper joins the pair (rldimi) and moves the later
 * arguments down, as HX_IMPORT_ARG2_64 (hx/ktimers.h) does.
 * HX_IMPORT_U64_ARG1_64: QWORD name(QWORD): SysV r3:r4 in, console r3 in and out, SysV r3:r4 out.
 * HX_IMPORT_ARG4_64: the 4th parameter 64-bit: SysV r3 r4 r5 (r6 unused) r7:r8 r9 r10 become the
 * console's r3 r4 r5 r6 r7 r8. */
#define HX_IMPORT_U64_ARG1_64(mod, ord, name, params)                                          \
  unsigned long long name params;                                                           \
  __asm__(HX_THUNK_ASM_(mod, ord, __hxq_##name)                                             \
          ".pushsection .text.__hxqw_" #name ",\"axG\",@progbits,__hxqw_" #name ",comdat\n" \
          "\t.globl " #name "\n"                                                            \
          "\t.type " #name ",@function\n"                                                   \
          "\t.p2align 2\n" #name ":\n"                                                      \
          "\tmflr 0\n"                                                                      \
          "\tstwu 1,-16(1)\n"                                                               \
          "\tstw 0,20(1)\n"                                                                 \
          "\t.machine push\n\t.machine ppc64\n"                                             \
          "\trldimi 4,3,32,0\n"                                                             \
          "\t.machine pop\n"                                                                \
          "\tmr 3,4\n"                                                                      \
          "\tbl __hxq_" #name "\n"                                                          \
          "\tmr 4,3\n"                                                                      \
          "\t.machine push\n\t.machine ppc64\n"                                             \
          "\trldicl 3,3,32,32\n"                                                            \
          "\t.machine pop\n"                                                                \
          "\tlwz 0,20(1)\n"                                                                 \
          "\tmtlr 0\n"                                                                      \
          "\taddi 1,1,16\n"                                                                 \
          "\tblr\n"                                                                         \
          "\t.size " #name ",.-" #name "\n"                                                 \
          ".popsection\n")

#define HX_IMPORT_ARG4_64(mod, ord, name, ret, params)                                         \
  ret name params;                                                                          \
  __asm__(HX_THUNK_ASM_(mod, ord, __hxa4_##name)                                            \
          ".pushsection .text.__hxa4w_" #name ",\"axG\",@progbits,__hxa4w_" #name ",comdat\n" \
          "\t.globl " #name "\n"                                                            \
          "\t.type " #name ",@function\n"                                                   \
          "\t.p2align 2\n" #name ":\n"                                                      \
          "\t.machine push\n\t.machine ppc64\n"                                             \
          "\trldimi 8,7,32,0\n"                                                             \
          "\t.machine pop\n"                                                                \
          "\tmr 6,8\n"                                                                      \
          "\tmr 7,9\n"                                                                      \
          "\tmr 8,10\n"                                                                     \
          "\tb __hxa4_" #name "\n"                                                          \
          "\t.size " #name ",.-" #name "\n"                                                 \
          ".popsection\n")

HX_IMPORT_U64_ARG1_64(xboxkrnl, 0x0169, XeCryptBnQwNeModInv, (unsigned long long qw));
HX_IMPORT_ARG4_64(xboxkrnl, 0x016A, XeCryptBnQwNeModMul, void,
                  (const uint64_t* a, const uint64_t* b, uint64_t* c, unsigned long long qw_mi, const uint64_t* m,
                   ULONG cqw));

#endif
