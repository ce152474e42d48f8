/* hexad guest SDK: Rtl strings, memory, time fields and CRC32; bug checks, debug breaks and the
 * console's configuration; XeCrypt* (SHA-1, SHA-256, HMAC-SHA1, RC4, AES-128, DES, 3DES, the RSA public
 * operation). Included by hx/kernel.h. Semantics: README "Rtl, system and crypto exports". */
#ifndef HX_RTL_H
#define HX_RTL_H

#include "hx/import.h"
#include "hx/types.h"

typedef struct {
  uint16_t Length; /* bytes, without the terminator */
  uint16_t MaximumLength;
  uint16_t* Buffer; /* big-endian UTF-16 */
} UNICODE_STRING;

typedef struct {
  uint16_t Year, Month, Day, Hour, Minute, Second, Milliseconds, Weekday; /* Weekday 0 = Sunday */
} TIME_FIELDS;

#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005)
#define STATUS_INVALID_PARAMETER_1 ((NTSTATUS)0xC00000EF)
#define STATUS_INVALID_PARAMETER_2 ((NTSTATUS)0xC00000F0)
#define STATUS_INVALID_PARAMETER_3 ((NTSTATUS)0xC00000F1)

/* --- strings ------------------------------------------------------------------------------ */
HX_IMPORT(xboxkrnl, 0x012C, RtlInitAnsiString, void, (ANSI_STRING* destination, const char* source));
HX_IMPORT(xboxkrnl, 0x012D, RtlInitUnicodeString, void, (UNICODE_STRING* destination, const uint16_t* source));
HX_IMPORT(xboxkrnl, 0x011C, RtlCompareString, LONG,
          (const ANSI_STRING* string1, const ANSI_STRING* string2, BOOLEAN case_insensitive));
/* A length of 0xFFFFFFFF: up to the terminating NUL. */
HX_IMPORT(xboxkrnl, 0x011D, RtlCompareStringN, LONG,
          (const char* string1, ULONG length1, const char* string2, ULONG length2, ULONG case_insensitive));
HX_IMPORT(xboxkrnl, 0x0121, RtlCopyString, void, (ANSI_STRING* destination, const ANSI_STRING* source));
HX_IMPORT(xboxkrnl, 0x0122, RtlCopyUnicodeString, void, (UNICODE_STRING* destination, const UNICODE_STRING* source));
/* Latin-1: a byte widens to its code point, a UTF-16 unit above 0xFF narrows to '?'. */
HX_IMPORT(xboxkrnl, 0x0133, RtlMultiByteToUnicodeN, NTSTATUS,
          (uint16_t* destination, ULONG destination_bytes, ULONG* written_bytes, const char* source, ULONG source_bytes));
HX_IMPORT(xboxkrnl, 0x0143, RtlUnicodeToMultiByteN, NTSTATUS,
          (char* destination, ULONG destination_bytes, ULONG* written_bytes, const uint16_t* source, ULONG source_bytes));
/* allocate TRUE: the buffer comes from the kernel; return it with RtlFreeAnsiString. */
HX_IMPORT(xboxkrnl, 0x0142, RtlUnicodeStringToAnsiString, NTSTATUS,
          (ANSI_STRING* destination, const UNICODE_STRING* source, BOOLEAN allocate));
HX_IMPORT(xboxkrnl, 0x0127, RtlFreeAnsiString, void, (ANSI_STRING* string));
HX_IMPORT(xboxkrnl, 0x014A, RtlUpperChar, char, (char c));
HX_IMPORT(xboxkrnl, 0x0132, RtlLowerChar, char, (char c));

/* --- memory ------------------------------------------------------------------------------- */
HX_IMPORT(xboxkrnl, 0x011A, RtlCompareMemory, ULONG, (const void* source1, const void* source2, ULONG length));
HX_IMPORT(xboxkrnl, 0x011B, RtlCompareMemoryUlong, ULONG, (const void* source, ULONG length, ULONG pattern));
HX_IMPORT(xboxkrnl, 0x0126, RtlFillMemoryUlong, void, (void* destination, ULONG length, ULONG pattern));
HX_IMPORT(xboxkrnl, 0x027B, RtlComputeCrc32, ULONG, (ULONG seed, const void* buffer, ULONG length));

/* --- time fields -------------------------------------------------------------------------- */
HX_IMPORT(xboxkrnl, 0x0140, RtlTimeToTimeFields, void, (const LARGE_INTEGER* time, TIME_FIELDS* time_fields));
HX_IMPORT(xboxkrnl, 0x013F, RtlTimeFieldsToTime, BOOLEAN, (const TIME_FIELDS* time_fields, LARGE_INTEGER* time));
HX_IMPORT_U64(xboxkrnl, 0x0082, KeQueryInterruptTime, (void));

/* --- system ------------------------------------------------------------------------------- */
HX_IMPORT(xboxkrnl, 0x0052, KeBugCheck, void, (ULONG code));
HX_IMPORT(xboxkrnl, 0x0053, KeBugCheckEx, void, (ULONG code, ULONG p1, ULONG p2, ULONG p3, ULONG p4));
HX_IMPORT(xboxkrnl, 0x0028, HalReturnToFirmware, void, (ULONG routine));
HX_IMPORT(xboxkrnl, 0x0022, HalGetCurrentAVPack, ULONG, (void));
HX_IMPORT(xboxkrnl, 0x0001, DbgBreakPoint, void, (void));
HX_IMPORT(xboxkrnl, 0x0138, RtlRip, void, (const char* api, const char* message));
HX_IMPORT(xboxkrnl, 0x012A, RtlGetStackLimits, void, (ULONG* low_limit, ULONG* high_limit));
HX_IMPORT(xboxkrnl, 0x005D, KeEnableFpuExceptions, void, (ULONG enabled));
HX_IMPORT(xboxkrnl, 0x0095, KeSaveFloatingPointState, void, (void));
HX_IMPORT(xboxkrnl, 0x0090, KeRestoreFloatingPointState, void, (void));
HX_IMPORT(xboxkrnl, 0x0010, ExGetXConfigSetting, NTSTATUS,
          (USHORT category, USHORT setting, void* buffer, USHORT buffer_size, USHORT* required_size));

/* --- XeCrypt -------------------------------------------------------------------------------- */
typedef struct {
  uint32_t count;
  uint32_t state[5];
  uint8_t buffer[64];
} XECRYPT_SHA_STATE; /* 0x58 bytes */
typedef struct {
  uint32_t count;
  uint32_t state[8];
  uint8_t buffer[64];
} XECRYPT_SHA256_STATE; /* 0x64 bytes */
typedef struct {
  XECRYPT_SHA_STATE sha_state[2];
} XECRYPT_HMACSHA_STATE; /* 0xB0 bytes */
typedef struct {
  uint8_t S[256];
  uint8_t i, j;
} XECRYPT_RC4_STATE; /* 0x102 bytes */
typedef struct {
  uint8_t keytabenc[11][16];
  uint8_t keytabdec[11][16];
} XECRYPT_AES_STATE; /* 0x160 bytes */
typedef struct {
  uint32_t cqw; /* modulus size in 64-bit words; the modulus follows the header */
  uint32_t public_exponent;
  uint64_t reserved;
} XECRYPT_RSA;

HX_IMPORT(xboxkrnl, 0x018F, XeCryptShaInit, void, (XECRYPT_SHA_STATE* state));
HX_IMPORT(xboxkrnl, 0x0190, XeCryptShaUpdate, void, (XECRYPT_SHA_STATE* state, const void* input, ULONG size));
HX_IMPORT(xboxkrnl, 0x0191, XeCryptShaFinal, void, (XECRYPT_SHA_STATE* state, uint8_t* out, ULONG out_size));
HX_IMPORT(xboxkrnl, 0x0192, XeCryptSha, void,
          (const void* in1, ULONG size1, const void* in2, ULONG size2, const void* in3, ULONG size3, uint8_t* out,
           ULONG out_size));
HX_IMPORT(xboxkrnl, 0x0187, XeCryptMd5, void,
          (const void* in1, ULONG size1, const void* in2, ULONG size2, const void* in3, ULONG size3, uint8_t* out,
           ULONG out_size));
HX_IMPORT(xboxkrnl, 0x031E, XeCryptSha384, void,
          (const void* in1, ULONG size1, const void* in2, ULONG size2, const void* in3, ULONG size3, uint8_t* out,
           ULONG out_size));
HX_IMPORT(xboxkrnl, 0x0325, XeCryptSha512, void,
          (const void* in1, ULONG size1, const void* in2, ULONG size2, const void* in3, ULONG size3, uint8_t* out,
           ULONG out_size));
HX_IMPORT(xboxkrnl, 0x0310, XeCryptSha256Init, void, (XECRYPT_SHA256_STATE* state));
HX_IMPORT(xboxkrnl, 0x0311, XeCryptSha256Update, void, (XECRYPT_SHA256_STATE* state, const void* input, ULONG size));
HX_IMPORT(xboxkrnl, 0x0312, XeCryptSha256Final, void, (XECRYPT_SHA256_STATE* state, uint8_t* out, ULONG out_size));
HX_IMPORT(xboxkrnl, 0x0313, XeCryptSha256, void,
          (const void* in1, ULONG size1, const void* in2, ULONG size2, const void* in3, ULONG size3, uint8_t* out,
           ULONG out_size));
HX_IMPORT(xboxkrnl, 0x017F, XeCryptHmacShaInit, void, (XECRYPT_HMACSHA_STATE* state, const void* key, ULONG key_size));
HX_IMPORT(xboxkrnl, 0x0180, XeCryptHmacShaUpdate, void, (XECRYPT_HMACSHA_STATE* state, const void* input, ULONG size));
HX_IMPORT(xboxkrnl, 0x0181, XeCryptHmacShaFinal, void, (XECRYPT_HMACSHA_STATE* state, uint8_t* out, ULONG out_size));
/* Ten arguments: out and out_size go on the stack (the kernel reads them by the caller's mode). */
HX_IMPORT(xboxkrnl, 0x0182, XeCryptHmacSha, void,
          (const void* key, ULONG key_size, const void* in1, ULONG size1, const void* in2, ULONG size2, const void* in3,
           ULONG size3, uint8_t* out, ULONG out_size));
HX_IMPORT(xboxkrnl, 0x018B, XeCryptRc4Key, void, (XECRYPT_RC4_STATE* state, const void* key, ULONG key_size));
HX_IMPORT(xboxkrnl, 0x018C, XeCryptRc4Ecb, void, (XECRYPT_RC4_STATE* state, void* data, ULONG size));
HX_IMPORT(xboxkrnl, 0x018D, XeCryptRc4, void, (const void* key, ULONG key_size, void* data, ULONG size));
HX_IMPORT(xboxkrnl, 0x0159, XeCryptAesKey, void, (XECRYPT_AES_STATE* state, const uint8_t* key));
HX_IMPORT(xboxkrnl, 0x015A, XeCryptAesEcb, void,
          (const XECRYPT_AES_STATE* state, const uint8_t* in, uint8_t* out, ULONG encrypt));
HX_IMPORT(xboxkrnl, 0x015B, XeCryptAesCbc, void,
          (const XECRYPT_AES_STATE* state, const uint8_t* in, ULONG size, uint8_t* out, uint8_t* feed, ULONG encrypt));
typedef struct {
  uint8_t schedule[0x80]; /* opaque */
} XECRYPT_DES_STATE;
typedef struct {
  XECRYPT_DES_STATE des_state[3];
} XECRYPT_DES3_STATE;
HX_IMPORT(xboxkrnl, 0x0175, XeCryptDesKey, void, (XECRYPT_DES_STATE* state, const uint8_t* key));
HX_IMPORT(xboxkrnl, 0x0176, XeCryptDesEcb, void,
          (const XECRYPT_DES_STATE* state, const uint8_t* in, uint8_t* out, ULONG encrypt));
HX_IMPORT(xboxkrnl, 0x0177, XeCryptDesCbc, void,
          (const XECRYPT_DES_STATE* state, const uint8_t* in, ULONG size, uint8_t* out, uint8_t* feed, ULONG encrypt));
HX_IMPORT(xboxkrnl, 0x0178, XeCryptDes3Key, void, (XECRYPT_DES3_STATE* state, const uint8_t* key));
HX_IMPORT(xboxkrnl, 0x0179, XeCryptDes3Ecb, void,
          (const XECRYPT_DES3_STATE* state, const uint8_t* in, uint8_t* out, ULONG encrypt));
HX_IMPORT(xboxkrnl, 0x017A, XeCryptDes3Cbc, void,
          (const XECRYPT_DES3_STATE* state, const uint8_t* in, ULONG size, uint8_t* out, uint8_t* feed,
           ULONG encrypt));
HX_IMPORT(xboxkrnl, 0x0174, XeCryptDesParity, void, (const uint8_t* in, ULONG size, uint8_t* out));
HX_IMPORT(xboxkrnl, 0x0162, XeCryptBnDwLePkcs1Format, void, (const uint8_t* hash, ULONG type, uint8_t* sig, ULONG size));
HX_IMPORT(xboxkrnl, 0x0163, XeCryptBnDwLePkcs1Verify, ULONG, (const uint8_t* hash, const uint8_t* sig, ULONG size));
HX_IMPORT(xboxkrnl, 0x016D, XeCryptBnQwNeRsaPubCrypt, ULONG,
          (const uint64_t* in, uint64_t* out, const XECRYPT_RSA* key));

#endif
