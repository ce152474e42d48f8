/* Atomics: __sync and __atomic builtins on 8/16/32-bit (and, in 64-bit
 * code, 64-bit) objects. These compile to lwarx/stwcx. (ldarx/stdcx.) loops,
 * with sub-word variants built from masked word reservations; plus a
 * test-and-set spinlock and a lock-free stack push/pop. Single-threaded, so
 * every result is deterministic and checkable. */
#include "rt.h"

static volatile int32_t counter;
static volatile uint32_t flags;
static volatile uint16_t half;
static volatile uint8_t byte;
static volatile int lock;
#ifdef __powerpc64__
static volatile uint64_t wide;
#endif

typedef struct item {
  struct item* next;
  int value;
} item;
static item* volatile top;

static void push(item* it) {
  item* old;
  do {
    old = top;
    it->next = old;
  } while (!__sync_bool_compare_and_swap(&top, old, it));
}
static item* pop(void) {
  item* old;
  do {
    old = top;
    if (!old) return NULL;
  } while (!__atomic_compare_exchange_n(&top, &old, old->next, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
  return old;
}

int main(void) {
  int32_t sum = 0;
  for (int k = 1; k <= 100; ++k) sum += __sync_fetch_and_add(&counter, k);
  printf("counter %d, sum of old values %d\n", counter, sum);
  CHECK(counter == 5050);
  CHECK(__sync_add_and_fetch(&counter, -50) == 5000);
  CHECK(__sync_sub_and_fetch(&counter, 1000) == 4000);
  CHECK(__sync_fetch_and_sub(&counter, 4000) == 4000 && counter == 0);

  flags = 0xF0F0F0F0u;
  uint32_t o1 = __sync_fetch_and_or(&flags, 0x0000FFFFu);
  uint32_t o2 = __sync_fetch_and_and(&flags, 0xFF00FF00u);
  uint32_t o3 = __sync_fetch_and_xor(&flags, 0x12345678u);
  uint32_t o4 = __atomic_fetch_nand(&flags, 0x0F0F0F0Fu, __ATOMIC_SEQ_CST);
  printf("or/and/xor/nand olds %08x %08x %08x %08x final %08x\n", o1, o2, o3, o4, flags);
  CHECK(o2 == 0xF0F0FFFFu && flags == ~(o4 & 0x0F0F0F0Fu));

  uint32_t expected = 5;
  flags = 7;
  int ok1 = __atomic_compare_exchange_n(&flags, &expected, 9, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  printf("cas fail: ok %d expected now %u value %u\n", ok1, expected, flags);
  CHECK(!ok1 && expected == 7 && flags == 7);
  int ok2 = __atomic_compare_exchange_n(&flags, &expected, 9, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
  /* A weak CAS may fail spuriously in theory; retry until it succeeds. */
  while (!ok2) ok2 = __atomic_compare_exchange_n(&flags, &expected, 9, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
  printf("cas ok: value %u\n", flags);
  CHECK(flags == 9);
  CHECK(__sync_val_compare_and_swap(&flags, 9, 11) == 9 && flags == 11);
  CHECK(__sync_val_compare_and_swap(&flags, 9, 13) == 11 && flags == 11);
  CHECK(__atomic_exchange_n(&flags, 0xCAFEu, __ATOMIC_ACQ_REL) == 11 && flags == 0xCAFEu);
  __atomic_store_n(&flags, 77, __ATOMIC_RELEASE);
  CHECK(__atomic_load_n(&flags, __ATOMIC_ACQUIRE) == 77);

  /* Sub-word atomics (masked lwarx/stwcx. loops or lbarx/lharx). */
  half = 0xFFF0;
  uint16_t hold = __atomic_fetch_add(&half, 0x20, __ATOMIC_SEQ_CST);
  byte = 250;
  uint8_t bold = __atomic_fetch_add(&byte, 10, __ATOMIC_SEQ_CST);
  uint8_t bcas = 4;
  int bok = __atomic_compare_exchange_n(&byte, &bcas, 0x80, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  printf("half %04x (old %04x) byte %02x (old %u) byte cas %d\n", half, hold, byte, bold, bok);
  CHECK(half == 0x0010 && byte == 0x80 && bok);
  CHECK(__atomic_exchange_n(&half, 0x1234, __ATOMIC_SEQ_CST) == 0x0010);

  /* Spinlock. */
  int acquired = 0;
  for (int k = 0; k < 10; ++k) {
    while (__sync_lock_test_and_set(&lock, 1)) {
    }
    ++acquired;
    CHECK(__sync_lock_test_and_set(&lock, 1) == 1); /* already held */
    __sync_lock_release(&lock);
  }
  CHECK(acquired == 10 && lock == 0);
  __sync_synchronize();
  __atomic_thread_fence(__ATOMIC_SEQ_CST);

  /* Lock-free stack. */
  item items[20];
  for (int k = 0; k < 20; ++k) items[k].value = k * k, push(&items[k]);
  int popped = 0, vsum = 0, last = 1000;
  for (item* it; (it = pop());) {
    CHECK(it->value < last);
    last = it->value;
    vsum += it->value;
    ++popped;
  }
  printf("stack: popped %d sum %d\n", popped, vsum);
  CHECK(popped == 20 && vsum == 2470);

#ifdef __powerpc64__
  wide = 0xFFFFFFFF00000000ull;
  uint64_t wold = __atomic_fetch_add(&wide, 0x100000001ull, __ATOMIC_SEQ_CST);
  uint64_t wexp = 0x1;
  int wok = __atomic_compare_exchange_n(&wide, &wexp, 0x8000000000000000ull, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  printf("64-bit: old %016llx now %016llx cas %d\n", (unsigned long long)wold, (unsigned long long)wide, wok);
  CHECK(wold == 0xFFFFFFFF00000000ull && wok); /* the add wrapped to 1 */
  CHECK(__sync_fetch_and_or(&wide, 1) == 0x8000000000000000ull && wide == 0x8000000000000001ull);
  wexp = 2;
  CHECK(!__atomic_compare_exchange_n(&wide, &wexp, 3, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) && wexp == 0x8000000000000001ull);
#else
  printf("64-bit: (32-bit build)\n");
#endif
  printf("failures %d\n", rt_failures);
  return rt_failures ? 1 : 0;
}
