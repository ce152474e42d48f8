/* kraise: RtlRaiseException as hexad models it (README "Raised exceptions and alerts"):
 *   - the SetThreadName exception (0x406D1388, THREADNAME_INFO) names the caller (thread id -1)
 *     or another thread by id, and returns; the names are in the trace (thread.name), the dump
 *     ("name") and the wedge map ("thread_name" of a waited-on thread);
 *   - records that name nothing and still return: type not 0x1000, a NULL or unmapped name, an
 *     unknown thread id, fewer than 3 parameters;
 *   - any other exception is unhandled: the raising thread ends with a guest fault of kind
 *     `exception` carrying the code, flags, address and parameter count (a C++ throw here), and
 *     its thread object is signaled as for any fault;
 *   - hostile records: more than 15 parameters (the thread faults with STATUS_INVALID_PARAMETER
 *     instead), NULL and unmapped records (memory faults).
 * Faulting cases run in their own threads (tids 3.. in order); the named sleeper (tid 2) and its
 * joiner stay blocked at the end so the wedge map shows the sleeper's name. */
#define TITLE "kraise"
#include "hx/libc.h"
#include "title_util.h"

#define BAD 0x00001000u /* unmapped */

static volatile uint32_t returned;
static HANDLE forever;

static void raise_name(uint32_t thread_id, const char* name, uint32_t type, uint32_t parameters) {
  EXCEPTION_RECORD r;
  THREADNAME_INFO info = {type, name, thread_id, 0};
  memset(&r, 0, sizeof r);
  r.ExceptionCode = HX_SET_THREAD_NAME_EXCEPTION;
  r.NumberParameters = parameters;
  memcpy(r.ExceptionInformation, &info, sizeof info);
  RtlRaiseException(&r);
}

static uint32_t sleeper(void* ctx) {
  NtWaitForSingleObjectEx(forever, UserMode, FALSE, NULL);
  return (uint32_t)ctx;
}

static uint32_t joiner(void* ctx) {
  NtWaitForSingleObjectEx((HANDLE)ctx, UserMode, FALSE, NULL); /* the sleeper never ends */
  return 0;
}

static uint32_t throw_cpp(void* ctx) {
  EXCEPTION_RECORD r;
  memset(&r, 0, sizeof r);
  r.ExceptionCode = HX_CPP_EXCEPTION;
  r.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
  r.ExceptionAddress = 0x82001234u;
  r.NumberParameters = 3;
  r.ExceptionInformation[0] = 0x19930520u; /* the MSVC throw magic */
  RtlRaiseException(&r);
  returned = 1;
  return (uint32_t)ctx;
}

static uint32_t too_many_parameters(void* ctx) {
  EXCEPTION_RECORD r;
  memset(&r, 0, sizeof r);
  r.ExceptionCode = 0xE0000001u;
  r.NumberParameters = 16;
  RtlRaiseException(&r);
  returned = 1;
  return (uint32_t)ctx;
}

static uint32_t null_record(void* ctx) {
  RtlRaiseException(NULL);
  returned = 1;
  return (uint32_t)ctx;
}

static uint32_t unmapped_record(void* ctx) {
  RtlRaiseException((EXCEPTION_RECORD*)BAD);
  returned = 1;
  return (uint32_t)ctx;
}

static void run_faulting(const char* what, HX_THREAD_START start) {
  HANDLE h;
  uint32_t tid = 0;
  returned = 0;
  ExCreateThread(&h, 0, &tid, NULL, start, NULL, 0);
  expect(what, (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, NULL), STATUS_WAIT_0);
  expect("  the call never returned", returned, 0);
  DbgPrint(TITLE ": fault %s: tid %u\n", what, tid);
  NtClose(h);
}

int main(void) {
  NtCreateEvent(&forever, NULL, NotificationEvent, FALSE);
  raise_name(0xFFFFFFFFu, "kraise-main", 0x1000, 4);
  expect("SetThreadName of the caller returned", 1, 1);

  HANDLE hsleeper, hjoiner;
  uint32_t sleeper_id = 0;
  ExCreateThread(&hsleeper, 0, &sleeper_id, NULL, sleeper, NULL, 0);
  expect("the sleeper is tid 2", sleeper_id, 2);
  raise_name(sleeper_id, "sleeper", 0x1000, 4);
  raise_name(sleeper_id, "not a name record", 0x2000, 4); /* type not 0x1000: ignored */
  raise_name(sleeper_id, NULL, 0x1000, 4);                 /* NULL name: ignored */
  raise_name(sleeper_id, (const char*)BAD, 0x1000, 4);     /* unreadable name: ignored */
  raise_name(sleeper_id, "too few", 0x1000, 2);            /* fewer than 3 parameters: ignored */
  raise_name(9999, "nobody", 0x1000, 4);                   /* no such thread: ignored */
  expect("records that name nothing returned", 1, 1);

  run_faulting("a C++ throw is unhandled: the thread faults, its join returns", throw_cpp);
  run_faulting("16 parameters: STATUS_INVALID_PARAMETER raised instead", too_many_parameters);
  run_faulting("a NULL record faults", null_record);
  run_faulting("an unmapped record faults", unmapped_record);

  ExCreateThread(&hjoiner, 0, NULL, NULL, joiner, (void*)hsleeper, 0);
  sleep_ms(1); /* the joiner blocks on the sleeper's thread object */
  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
