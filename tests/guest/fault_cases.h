/* Faulting cases of a self-checking title (hostile_rtl's scheme, shared by kcrypt and kstrings):
 * each case calls one export with a bad argument in its own thread (tids 2, 3, ... in table
 * order); main joins it with a 1 ms timeout (a fault ends the thread and signals it, as an exit
 * does) and checks that the call never returned. Each case prints
 *   TITLE: case NAME: tid N faults ACCESS at ADDRESS
 * which krtl_checks.py compares with the trace's thread.fault events. Include after
 * title_util.h. */
#ifndef HEXAD_FAULT_CASES_H
#define HEXAD_FAULT_CASES_H

#define BAD 0x00001000u      /* unmapped */
#define BAD_HIGH 0xDEAD0000u /* unmapped */

typedef struct {
  const char* name;
  void (*call)(void);
  uint32_t address;   /* the faulting address */
  const char* access; /* "read" or "write" */
} FaultCase;

static volatile uint32_t fault_case_returned;
static const FaultCase* fault_case_table;

static uint32_t fault_case_thread(void* ctx) {
  fault_case_table[(uint32_t)ctx].call();
  fault_case_returned = 1;
  return 0;
}

__attribute__((unused)) static void run_fault_cases(const FaultCase* cases, uint32_t count) {
  DWORD last_tid = 1;
  fault_case_table = cases;
  for (uint32_t i = 0; i < count; ++i) {
    HANDLE h;
    DWORD tid = 0;
    LARGE_INTEGER t;
    fault_case_returned = 0;
    ExCreateThread(&h, 0, &tid, NULL, fault_case_thread, (void*)i, 0);
    DbgPrint(TITLE ": case %s: tid %u faults %s at %x\n", cases[i].name, tid, cases[i].access, cases[i].address);
    expect("its tid follows the last one", tid, last_tid + 1);
    last_tid = tid;
    t.QuadPart = HX_RELATIVE_MS(1);
    expect("its join returns (a faulted thread is signaled)", (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, &t),
           STATUS_WAIT_0);
    expect("the call never returned", fault_case_returned, 0);
    NtClose(h);
  }
}

#endif
