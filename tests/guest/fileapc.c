/* fileapc: NtReadFile/NtWriteFile's completion arguments (README "Running a game image"). Run
 * with --content tests/guest/content (numbers.txt: "0123456789" ten times).
 *   - the event is cleared when the call begins and set when the I/O completes: a second thread
 *     waiting on it wakes when the read's guest time (80 ns a byte) has passed, not before;
 *   - ApcRoutine(ApcContext, IoStatusBlock, 0) is queued to the caller as a user APC on success:
 *     it has not run when the call returns, nor after a non-alertable wait; an alertable wait
 *     runs it and returns STATUS_USER_APC; bit 0 of the routine is not part of its address
 *     (xenia NtReadFile: routine & ~1);
 *   - a failed read (end of file) sets the event and queues no APC (xenia);
 *   - NtWriteFile to cache:\ does the same;
 *   - an event handle that is no handle: STATUS_INVALID_HANDLE; one of a semaphore:
 *     STATUS_OBJECT_TYPE_MISMATCH (nothing is read). */
#define TITLE "fileapc"
#include "title_util.h"
#include "file_util.h"
#include "hx/rtl.h"

static char buf[128];
static IO_STATUS_BLOCK io;
static volatile uint32_t apc_calls, apc_context, apc_iosb, apc_arg2, apc_information;
static HANDLE ev;
static volatile uint64_t woke_at;

static void on_io(void* context, IO_STATUS_BLOCK* iosb, DWORD reserved) {
  apc_calls += 1;
  apc_context = (uint32_t)context;
  apc_iosb = (uint32_t)iosb;
  apc_arg2 = reserved;
  apc_information = iosb->Information;
}

static uint32_t waiter(void* ctx) {
  (void)ctx;
  NTSTATUS s = NtWaitForSingleObjectEx(ev, UserMode, FALSE, NULL);
  woke_at = KeQueryInterruptTime();
  return (uint32_t)s;
}

static NTSTATUS alertable_sleep(void) {
  LARGE_INTEGER t;
  t.QuadPart = HX_RELATIVE_MS(1);
  return KeDelayExecutionThread(UserMode, TRUE, &t);
}

int main(void) {
  HANDLE h = 0, w = 0, sem = 0, t = 0;
  LARGE_INTEGER off;
  expect("open numbers.txt", (uint32_t)create_file(&h, "game:\\numbers.txt", GENERIC_READ, FILE_OPEN, 0), 0);
  expect("create the event, signaled", (uint32_t)NtCreateEvent(&ev, NULL, NotificationEvent, TRUE), 0);

  /* The event: cleared at the start, set at completion. The waiter blocks only if it was cleared. */
  NtClearEvent(ev);
  ExCreateThread(&t, 0, NULL, NULL, waiter, NULL, 0);
  sleep_ms(1); /* the waiter blocks on ev */
  NtSetEvent(ev, NULL);
  expect("waiter woke on the set", (uint32_t)NtWaitForSingleObjectEx(t, UserMode, FALSE, NULL), 0);
  NtClose(t);
  NtClearEvent(ev);
  ExCreateThread(&t, 0, NULL, NULL, waiter, NULL, 0);
  sleep_ms(1);
  const uint64_t before = KeQueryInterruptTime();
  off.QuadPart = 0;
  expect("read 100 with the event", (uint32_t)NtReadFile(h, ev, NULL, NULL, &io, buf, 100, &off), 0);
  expect("the read's bytes", io.Information, 100);
  expect("the waiter woke", (uint32_t)NtWaitForSingleObjectEx(t, UserMode, FALSE, NULL), 0);
  /* 100 bytes at 80 ns: 8000 ns = 80 interrupt-time units of 100 ns. */
  expect("... when the read's time had passed", woke_at - before >= 80, 1);
  NtClose(t);
  expect("the event stays set", (uint32_t)poll(ev), 0);

  /* The APC. */
  off.QuadPart = 10;
  expect("read 10 with an APC", (uint32_t)NtReadFile(h, 0, (void*)on_io, (void*)0x1234, &io, buf, 10, &off), 0);
  expect("... the bytes", (uint32_t)memcmp(buf, "0123456789", 10), 0);
  expect("no APC at the return", apc_calls, 0);
  sleep_ms(1);
  expect("no APC in a non-alertable wait", apc_calls, 0);
  expect("an alertable wait returns STATUS_USER_APC", (uint32_t)alertable_sleep(), STATUS_USER_APC);
  expect("the APC ran once", apc_calls, 1);
  expect("ApcContext", apc_context, 0x1234);
  expect("IoStatusBlock", apc_iosb, (uint32_t)&io);
  expect("third argument 0", apc_arg2, 0);
  expect("the I/O status was written before", apc_information, 10);
  expect("nothing more queued", (uint32_t)alertable_sleep(), STATUS_SUCCESS);

  off.QuadPart = 0;
  expect("read with routine | 1", (uint32_t)NtReadFile(h, 0, (void*)((uint32_t)on_io | 1), (void*)7, &io, buf, 4, &off), 0);
  expect("its APC runs routine & ~1", (uint32_t)alertable_sleep(), STATUS_USER_APC);
  expect("... with its context", apc_calls == 2 && apc_context == 7, 1);

  /* A failed read: the event is set, no APC. */
  NtClearEvent(ev);
  off.QuadPart = 100;
  expect("read at EOF", (uint32_t)NtReadFile(h, ev, (void*)on_io, (void*)9, &io, buf, 4, &off), 0xC0000011);
  expect("... sets the event", (uint32_t)poll(ev), 0);
  expect("... queues no APC", (uint32_t)alertable_sleep(), STATUS_SUCCESS);
  expect("... no call", apc_calls, 2);

  /* Bad event handles: refused before reading. */
  NtCreateSemaphore(&sem, NULL, 0, 1);
  io.Information = 0x5555;
  expect("event not a handle", (uint32_t)NtReadFile(h, (HANDLE)0x1234, NULL, NULL, &io, buf, 4, NULL),
         STATUS_INVALID_HANDLE);
  expect("event a semaphore", (uint32_t)NtReadFile(h, sem, NULL, NULL, &io, buf, 4, NULL), 0xC0000024);
  expect("... nothing written", io.Information, 0x5555);

  /* NtWriteFile: the same completion. */
  expect("create cache:\\apc.txt",
         (uint32_t)create_file(&w, "cache:\\apc.txt", GENERIC_READ | GENERIC_WRITE, FILE_OVERWRITE_IF, 0), 0);
  NtClearEvent(ev);
  expect("write with event and APC", (uint32_t)NtWriteFile(w, ev, (void*)on_io, (void*)0x77, &io, "abcdef", 6, NULL), 0);
  expect("... sets the event", (uint32_t)poll(ev), 0);
  expect("... its APC", (uint32_t)alertable_sleep(), STATUS_USER_APC);
  expect("... with its context and count", apc_calls == 3 && apc_context == 0x77 && apc_information == 6, 1);
  NtClose(w);
  NtClose(sem);
  NtClose(h);
  NtClose(ev);

  DbgPrint("fileapc: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
