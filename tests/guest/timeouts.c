/* timeouts: waits with relative and absolute timeouts end with STATUS_TIMEOUT (0x102) no earlier
 * than asked on the guest clock; KeDelayExecutionThread wakes on time with STATUS_SUCCESS; a
 * wait with a long timeout that is signaled early returns STATUS_SUCCESS before its deadline. */
#include "hx/kernel.h"

static int failures;
static HANDLE ev;

static void expect(const char* what, uint32_t got, uint32_t want) {
  DbgPrint("timeouts: %s = %x (want %x) %s\n", what, got, want, got == want ? "ok" : "FAIL");
  failures += got != want;
}

static void expect_between(const char* what, int64_t got, int64_t lo, int64_t hi) {
  int ok = got >= lo && got < hi;
  DbgPrint("timeouts: %s elapsed %u x100ns in [%u, %u) %s\n", what, (uint32_t)got, (uint32_t)lo, (uint32_t)hi,
           ok ? "ok" : "FAIL");
  failures += !ok;
}

static int64_t now(void) {
  LARGE_INTEGER t;
  KeQuerySystemTime(&t);
  return t.QuadPart;
}

static uint32_t setter(void* ctx) {
  (void)ctx;
  LARGE_INTEGER two_ms;
  two_ms.QuadPart = HX_RELATIVE_MS(2);
  KeDelayExecutionThread(UserMode, FALSE, &two_ms);
  NtSetEvent(ev, NULL);
  return 0;
}

int main(void) {
  LARGE_INTEGER t;
  NtCreateEvent(&ev, NULL, SynchronizationEvent, FALSE);

  t.QuadPart = 0;
  int64_t start = now();
  expect("zero timeout on an unset event", NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t), STATUS_TIMEOUT);
  expect_between("zero timeout", now() - start, 0, 10000);

  t.QuadPart = HX_RELATIVE_MS(10);
  start = now();
  expect("10 ms relative timeout", NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t), STATUS_TIMEOUT);
  expect_between("10 ms relative timeout", now() - start, 100000, 110000);

  t.QuadPart = HX_RELATIVE_MS(5);
  start = now();
  expect("KeDelayExecutionThread 5 ms", KeDelayExecutionThread(UserMode, FALSE, &t), STATUS_SUCCESS);
  expect_between("KeDelayExecutionThread 5 ms", now() - start, 50000, 60000);

  start = now();
  t.QuadPart = start + 30000; /* absolute: 3 ms from now */
  expect("absolute timeout 3 ms ahead", NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t), STATUS_TIMEOUT);
  expect_between("absolute timeout", now() - start, 30000, 40000);

  HANDLE th;
  ExCreateThread(&th, 0, NULL, NULL, setter, NULL, 0);
  t.QuadPart = HX_RELATIVE_MS(1000);
  start = now();
  expect("1 s timeout, set after 2 ms", NtWaitForSingleObjectEx(ev, UserMode, FALSE, &t), STATUS_SUCCESS);
  expect_between("early signal", now() - start, 20000, 1000000);
  expect("join the setter", NtWaitForSingleObjectEx(th, UserMode, FALSE, NULL), STATUS_SUCCESS);

  DbgPrint("timeouts: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
