/* hostile_rtl: NULL, unmapped and read-only pointers and out-of-range sizes for the Rtl, system
 * and crypto exports (hostile_pointers' scheme). Each faulting case runs in its own thread (tids
 * 2, 3, ... in table order); main joins it with a 1 ms timeout, which it need not wait for (a
 * fault ends the thread as NT does, signaling its handle), and checks that the call never returned and wrote nothing. The check
 * compares every thread.fault with the address and access printed here. Then RtlRaiseException
 * of a real exception faults its thread as an unhandled exception (no SEH is modelled), and the sizes a hostile
 * title may pass without faulting give defined results: a huge RtlCompareMemory stops at the first
 * difference, zero sizes write nothing, an RC4 key of size 0 is the identity permutation. */
#define TITLE "hostile_rtl"
#include "hx/libc.h"
#include "title_util.h"

#define BAD 0x00001000u      /* unmapped */
#define BAD_HIGH 0xDEAD0000u /* unmapped */

static volatile uint32_t returned;
static ANSI_STRING a;
static XECRYPT_SHA_STATE sha;
static XECRYPT_AES_STATE aes;
static uint8_t block[32], feed[16];
static uint64_t qw = 65;
static struct {
  XECRYPT_RSA header;
  uint64_t modulus[1];
} rsa_key = {{1, 17, 0}, {3233}};
static LARGE_INTEGER time_value;
static TIME_FIELDS fields;

static void c_init_ansi_null(void) { RtlInitAnsiString(NULL, "x"); }
static void c_init_ansi_source(void) { RtlInitAnsiString(&a, (const char*)BAD); }
static void c_init_unicode_source(void) { RtlInitUnicodeString((UNICODE_STRING*)&a, (const uint16_t*)BAD_HIGH); }
static void c_compare_string(void) { RtlCompareString((const ANSI_STRING*)BAD, &a, FALSE); }
static void c_compare_string_n(void) { RtlCompareStringN((const char*)BAD, 0xFFFFFFFF, "a", 1, 0); }
static void c_copy_string_dest(void) { RtlCopyString((ANSI_STRING*)BAD_HIGH, &a); }
static void c_compare_memory(void) { RtlCompareMemory("same", (const void*)BAD, 4); }
static void c_fill_unmapped(void) { RtlFillMemoryUlong((void*)BAD_HIGH, 8, 0); }
static void c_fill_code(void) { RtlFillMemoryUlong((void*)c_fill_unmapped, 8, 0); }
static void c_crc(void) { RtlComputeCrc32(0, (const void*)BAD, 4); }
static void c_time_to_fields(void) { RtlTimeToTimeFields(&time_value, (TIME_FIELDS*)BAD); }
static void c_time_ptr(void) { RtlTimeToTimeFields((const LARGE_INTEGER*)BAD_HIGH, &fields); }
static void c_fields_to_time(void) { RtlTimeFieldsToTime((const TIME_FIELDS*)BAD, &time_value); }
static void c_stack_limits(void) {
  ULONG high;
  RtlGetStackLimits((ULONG*)BAD, &high);
}
static void c_xconfig_buffer(void) { ExGetXConfigSetting(3, 9, (void*)BAD, 4, NULL); }
static void c_xconfig_size(void) {
  uint8_t b[4];
  ExGetXConfigSetting(3, 9, b, 4, (USHORT*)BAD_HIGH);
}
static void c_sha_input(void) {
  uint8_t out[20];
  XeCryptSha((const void*)BAD, 4, NULL, 0, NULL, 0, out, 20);
}
static void c_sha_update(void) { XeCryptShaUpdate(&sha, (const void*)BAD, 4); }
static void c_hmac_out(void) { XeCryptHmacSha("k", 1, "abc", 3, NULL, 0, NULL, 0, (uint8_t*)BAD_HIGH, 20); }
static void c_hmac_piece(void) {
  uint8_t out[20];
  XeCryptHmacSha("k", 1, "abc", 3, NULL, 0, (const void*)BAD, 4, out, 20);
}
static void c_sha_state(void) { XeCryptShaInit((XECRYPT_SHA_STATE*)BAD_HIGH); }
static void c_aes_huge(void) { XeCryptAesCbc(&aes, block, 0xFFFFFFF0u, block, feed, 1); }
static void c_aes_out(void) { XeCryptAesEcb(&aes, block, (uint8_t*)BAD, 1); }
static void c_rc4_data(void) {
  XECRYPT_RC4_STATE s;
  XeCryptRc4Key(&s, "k", 1);
  XeCryptRc4Ecb(&s, (void*)BAD, 4);
}
static void c_unicode_to_ansi_source(void) {
  UNICODE_STRING u = {4, 6, (uint16_t*)BAD};
  ANSI_STRING out = {0, 0, NULL};
  RtlUnicodeStringToAnsiString(&out, &u, TRUE);
}
static void c_des_in(void) {
  XECRYPT_DES_STATE s;
  XeCryptDesKey(&s, (const uint8_t*)"12345678");
  XeCryptDesEcb(&s, (const uint8_t*)BAD_HIGH, block, 1);
}
static void c_pkcs1_sig(void) { XeCryptBnDwLePkcs1Verify(block, (const uint8_t*)BAD_HIGH, 0x80); }
static void c_rsa_out(void) { XeCryptBnQwNeRsaPubCrypt(&qw, (uint64_t*)BAD, &rsa_key.header); }
static void c_rsa_key(void) { XeCryptBnQwNeRsaPubCrypt(&qw, &qw, (const XECRYPT_RSA*)BAD_HIGH); }

static const struct {
  const char* name;
  void (*call)(void);
  uint32_t address;
  const char* access;
} kCases[] = {
    {"RtlInitAnsiString NULL destination", c_init_ansi_null, 0, "write"},
    {"RtlInitAnsiString unmapped source", c_init_ansi_source, BAD, "read"},
    {"RtlInitUnicodeString unmapped source", c_init_unicode_source, BAD_HIGH, "read"},
    {"RtlCompareString unmapped string", c_compare_string, BAD, "read"},
    {"RtlCompareStringN unmapped, up to the NUL", c_compare_string_n, BAD, "read"},
    {"RtlCopyString unmapped destination", c_copy_string_dest, BAD_HIGH, "read"},
    {"RtlCompareMemory unmapped", c_compare_memory, BAD, "read"},
    {"RtlFillMemoryUlong unmapped", c_fill_unmapped, BAD_HIGH, "write"},
    {"RtlFillMemoryUlong over code (read-only)", c_fill_code, 0, "write"}, /* address: printed below */
    {"RtlComputeCrc32 unmapped", c_crc, BAD, "read"},
    {"RtlTimeToTimeFields unmapped fields", c_time_to_fields, BAD, "write"},
    {"RtlTimeToTimeFields unmapped time", c_time_ptr, BAD_HIGH, "read"},
    {"RtlTimeFieldsToTime unmapped fields", c_fields_to_time, BAD, "read"},
    {"RtlGetStackLimits unmapped low", c_stack_limits, BAD, "write"},
    {"ExGetXConfigSetting unmapped buffer", c_xconfig_buffer, BAD, "write"},
    {"ExGetXConfigSetting unmapped required size", c_xconfig_size, BAD_HIGH, "write"},
    {"XeCryptSha unmapped input", c_sha_input, BAD, "read"},
    {"XeCryptShaUpdate unmapped input", c_sha_update, BAD, "read"},
    {"XeCryptHmacSha unmapped out (a stack argument)", c_hmac_out, BAD_HIGH, "write"},
    {"XeCryptHmacSha unmapped third piece", c_hmac_piece, BAD, "read"},
    {"XeCryptShaInit unmapped state", c_sha_state, BAD_HIGH, "write"},
    {"XeCryptAesCbc size past the address space", c_aes_huge, 0, "read"}, /* address: block */
    {"XeCryptAesEcb unmapped output", c_aes_out, BAD, "write"},
    {"XeCryptRc4Ecb unmapped data", c_rc4_data, BAD, "write"},
    {"RtlUnicodeStringToAnsiString unmapped source (allocating)", c_unicode_to_ansi_source, BAD, "read"},
    {"XeCryptDesEcb unmapped input", c_des_in, BAD_HIGH, "read"},
    {"XeCryptBnDwLePkcs1Verify unmapped signature", c_pkcs1_sig, BAD_HIGH, "read"},
    {"XeCryptBnQwNeRsaPubCrypt unmapped output", c_rsa_out, BAD, "write"},
    {"XeCryptBnQwNeRsaPubCrypt unmapped key", c_rsa_key, BAD_HIGH, "read"},
};
#define CASES (sizeof kCases / sizeof kCases[0])

static uint32_t run_case(void* ctx) {
  kCases[(uint32_t)ctx].call();
  returned = 1;
  return 0;
}

static uint32_t raise_exception(void* ctx) {
  EXCEPTION_RECORD r;
  memset(&r, 0, sizeof r);
  r.ExceptionCode = (uint32_t)ctx;
  RtlRaiseException(&r);
  returned = 1;
  return 0;
}

/* Joins a case thread (1 ms timeout): a faulted thread is signaled, and its call never returned. */
static void expect_faulted(HANDLE h) {
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(1);
  expect("its join returns (a faulted thread is signaled, as an exited one)", (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, &t), STATUS_WAIT_0);
  expect("the call never returned", returned, 0);
  NtClose(h);
}

static void defined_results(void) {
  static const uint8_t same[4] = {1, 2, 3, 4};
  uint8_t out[20];
  XECRYPT_RC4_STATE s;

  expect("RtlCompareMemory with a huge length stops at the first difference",
         RtlCompareMemory(same, "\x01\x02\x09", 0xFFFFFFFF), 2);
  expect("RtlFillMemoryUlong with length 3 writes nothing (no fault at BAD)", (RtlFillMemoryUlong((void*)BAD, 3, 0), 1),
         1);
  memset(out, 0x5A, sizeof out);
  XeCryptSha("abc", 3, NULL, 0, NULL, 0, out, 0);
  expect("XeCryptSha with out_size 0 writes nothing", out[0], 0x5A);
  XeCryptRc4Key(&s, "ignored", 0);
  expect("XeCryptRc4Key with a 0-byte key: the identity permutation", s.S[0] == 0 && s.S[77] == 77 && s.S[255] == 255,
         1);
  memset(feed, 0x33, sizeof feed);
  XeCryptAesCbc(&aes, block, 0, (uint8_t*)BAD, feed, 1);
  expect("XeCryptAesCbc of 0 bytes touches neither output nor feed", feed[0], 0x33);
  expect("RtlCompareStringN with zero lengths", (uint32_t)RtlCompareStringN((const char*)BAD, 0, (const char*)BAD, 0, 0),
         0);
}

int main(void) {
  uint8_t code_before[8];
  XeCryptShaInit(&sha);
  XeCryptAesKey(&aes, (const uint8_t*)"0123456789abcdef");
  RtlInitAnsiString(&a, "ok");
  memcpy(code_before, (const void*)c_fill_unmapped, 8);

  DWORD last_tid = 1;
  for (uint32_t i = 0; i < CASES; ++i) {
    HANDLE h;
    DWORD tid = 0;
    returned = 0;
    ExCreateThread(&h, 0, &tid, NULL, run_case, (void*)i, 0);
    uint32_t address = kCases[i].address;
    if (kCases[i].call == c_fill_code) address = (uint32_t)c_fill_unmapped;
    if (kCases[i].call == c_aes_huge) address = (uint32_t)block;
    DbgPrint("hostile_rtl: case %s: tid %u faults %s at %x\n", kCases[i].name, tid, kCases[i].access, address);
    expect("its tid follows the last one", tid, last_tid + 1);
    last_tid = tid;
    expect_faulted(h);
  }
  expect("the faulting calls wrote nothing: code unchanged", memcmp(code_before, (const void*)c_fill_unmapped, 8), 0);
  expect("  the SHA state's count is still 0", sha.count, 0);
  expect("  the ANSI_STRING is unchanged", a.Length, 2);

  HANDLE h;
  DWORD tid = 0;
  returned = 0;
  ExCreateThread(&h, 0, &tid, NULL, raise_exception, (void*)0xC0000005, 0);
  DbgPrint("hostile_rtl: raise: tid %u traps with code %x\n", tid, 0xC0000005);
  expect_faulted(h);

  defined_results();
  DbgPrint("hostile_rtl: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
