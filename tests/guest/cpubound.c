/* cpubound: a CPU-bound title for the cost of scheduling (README "Guest time"). Six threads, one
 * per slot, each fold a 4 KiB buffer with CRC-32 for ROUNDS rounds and make no kernel call until
 * they finish; main joins them and prints every digest. About 30 million instructions per
 * thread: nearly all the time goes to guest code, so any overhead of the run loop shows. */
#define TITLE "cpubound"
#include "title_util.h"

#define THREADS 6
#define ROUNDS 600
#define BYTES 4096

static uint32_t crc_table[256];
static uint8_t buffers[THREADS][BYTES];
static volatile uint32_t digests[THREADS];

static uint32_t crc32(const uint8_t* p, uint32_t n, uint32_t c) {
  while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c;
}

static uint32_t fold(void* ctx) {
  uint32_t id = (uint32_t)(uintptr_t)ctx;
  uint8_t* buf = buffers[id];
  uint32_t x = 0x12345u + id;
  for (uint32_t i = 0; i < BYTES; ++i) {
    x = x * 1103515245u + 12345u;
    buf[i] = (uint8_t)(x >> 16);
  }
  uint32_t c = 0xFFFFFFFFu;
  for (uint32_t r = 0; r < ROUNDS; ++r) {
    c = crc32(buf, BYTES, c);
    buf[r % BYTES] ^= (uint8_t)c;
  }
  digests[id] = ~c;
  return 0;
}

int main(void) {
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
  HANDLE th[THREADS - 1];
  for (uint32_t i = 1; i < THREADS; ++i) {
    ExCreateThread(&th[i - 1], 0, NULL, NULL, fold, (void*)(uintptr_t)i, HX_CREATE_SUSPENDED);
    KeSetAffinityThread((void*)th[i - 1], 1u << i, NULL);
    NtResumeThread(th[i - 1], NULL);
  }
  fold((void*)0);
  NtWaitForMultipleObjectsEx(THREADS - 1, th, WaitAll, UserMode, FALSE, NULL);
  for (uint32_t i = 0; i < THREADS; ++i) DbgPrint("cpubound: thread %u digest %08x\n", i, digests[i]);
  return 0;
}
