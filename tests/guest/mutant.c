/* mutant: ownership, recursion and abandonment.
 *   - a thread that exits owning a mutant abandons it: the thread blocked on it gets
 *     STATUS_ABANDONED_WAIT_0 (0x80) and becomes the owner;
 *   - the owner may acquire again (recursion) and must release as many times; one more
 *     release fails with STATUS_MUTANT_NOT_OWNED (0xC0000046);
 *   - abandoned while nobody waits: the next WaitAny reports STATUS_ABANDONED_WAIT_0 + index,
 *     and the one after that a plain success. */
#define TITLE "mutant"
#include "title_util.h"

static HANDLE mutant, ev_owned, ev_go;

/* Takes the mutant, tells main, waits for the go signal, then exits still owning it. */
static uint32_t owner(void* ctx) {
  (void)ctx;
  NtWaitForSingleObjectEx(mutant, UserMode, FALSE, NULL);
  NtSetEvent(ev_owned, NULL);
  NtWaitForSingleObjectEx(ev_go, UserMode, FALSE, NULL);
  /* Main is to be blocked on the mutant when this thread abandons it: in guest time its wait
     begins right after it sets ev_go, a millisecond before this exit. */
  sleep_ms(1);
  return 7;
}

static uint32_t quick_owner(void* ctx) {
  (void)ctx;
  return (uint32_t)NtWaitForSingleObjectEx(mutant, UserMode, FALSE, NULL);
}

int main(void) {
  LARGE_INTEGER zero;
  zero.QuadPart = 0;
  LONG previous = 99;
  NtCreateMutant(&mutant, NULL, FALSE);
  NtCreateEvent(&ev_owned, NULL, SynchronizationEvent, FALSE);
  NtCreateEvent(&ev_go, NULL, SynchronizationEvent, FALSE);

  expect("release of a free mutant", NtReleaseMutant(mutant, NULL), STATUS_MUTANT_NOT_OWNED);

  /* Abandoned with a waiter. */
  HANDLE th;
  ExCreateThread(&th, 0, NULL, NULL, owner, NULL, HX_CREATE_SUSPENDED);
  KeSetAffinityThread((void*)th, 1u << 2, NULL);
  NtResumeThread(th, NULL);
  NtWaitForSingleObjectEx(ev_owned, UserMode, FALSE, NULL);
  expect("mutant busy", NtWaitForSingleObjectEx(mutant, UserMode, FALSE, &zero), STATUS_TIMEOUT);
  expect("release by a non-owner", NtReleaseMutant(mutant, NULL), STATUS_MUTANT_NOT_OWNED);
  NtSetEvent(ev_go, NULL);
  expect("wait on the abandoned mutant", NtWaitForSingleObjectEx(mutant, UserMode, FALSE, NULL), STATUS_ABANDONED_WAIT_0);
  expect("join the owner", NtWaitForSingleObjectEx(th, UserMode, FALSE, NULL), STATUS_SUCCESS);

  /* Recursion: main owns it once now; take it twice more, release three times. */
  expect("recursive acquire 2", NtWaitForSingleObjectEx(mutant, UserMode, FALSE, &zero), STATUS_SUCCESS);
  expect("recursive acquire 3", NtWaitForSingleObjectEx(mutant, UserMode, FALSE, &zero), STATUS_SUCCESS);
  expect("release 1", NtReleaseMutant(mutant, &previous), STATUS_SUCCESS);
  expect("release 1 previous", (uint32_t)previous, (uint32_t)-2);
  expect("release 2", NtReleaseMutant(mutant, &previous), STATUS_SUCCESS);
  expect("release 2 previous", (uint32_t)previous, (uint32_t)-1);
  expect("release 3", NtReleaseMutant(mutant, &previous), STATUS_SUCCESS);
  expect("release 3 previous", (uint32_t)previous, 0);
  expect("release 4 (not owned)", NtReleaseMutant(mutant, NULL), STATUS_MUTANT_NOT_OWNED);

  /* Abandoned with nobody waiting: reported to the next acquirer, with its WaitAny index. */
  HANDLE quick;
  ExCreateThread(&quick, 0, NULL, NULL, quick_owner, NULL, 0);
  expect("join the quick owner", NtWaitForSingleObjectEx(quick, UserMode, FALSE, NULL), STATUS_SUCCESS);
  HANDLE any[2] = {ev_go, mutant};
  expect("WaitAny{event, abandoned mutant}", NtWaitForMultipleObjectsEx(2, any, WaitAny, UserMode, FALSE, &zero),
         STATUS_ABANDONED_WAIT_0 + 1);
  expect("release after the abandoned acquire", NtReleaseMutant(mutant, NULL), STATUS_SUCCESS);
  expect("acquire after the abandonment was reported", NtWaitForSingleObjectEx(mutant, UserMode, FALSE, &zero),
         STATUS_SUCCESS);
  expect("final release", NtReleaseMutant(mutant, NULL), STATUS_SUCCESS);

  DbgPrint("mutant: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
