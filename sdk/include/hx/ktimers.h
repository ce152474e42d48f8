/* hexad guest SDK: timers, DPCs and APCs (included by hx/kernel.h). Structure layouts as the
 * console's kernel keeps them (xenia's X_KTIMER, XDPC and XAPC). */
#ifndef HX_KTIMERS_H
#define HX_KTIMERS_H

#include "hx/import.h"
#include "hx/types.h"

/* HX_IMPORT_ARG2_64(module, ordinal, name, ret, params): an export whose SECOND parameter is a
 * 64-bit value passed in one 64-bit register (r4), as the console ABI passes it. The 32-bit SysV
 * ABI passes it in the pair r5:r6 (skipping r4) and the parameters after it in r7...: the wrapper
 * `name` joins the pair into r4, moves r7..r10 down to r5..r8 and jumps to the thunk
 * `__hxa64_<name>`. rldimi is a 64-bit instruction, valid in 32-bit mode on the Xenon. */
#define HX_IMPORT_ARG2_64(mod, ord, name, ret, params)                                        \
  ret name params;                                                                          \
  __asm__(HX_THUNK_ASM_(mod, ord, __hxa64_##name)                                           \
          ".pushsection .text.__hxa64w_" #name ",\"axG\",@progbits,__hxa64w_" #name ",comdat\n" \
          "\t.globl " #name "\n"                                                            \
          "\t.type " #name ",@function\n"                                                   \
          "\t.p2align 2\n" #name ":\n"                                                      \
          "\t.machine push\n\t.machine ppc64\n"                                             \
          "\trldimi 6,5,32,0\n"                                                             \
          "\t.machine pop\n"                                                                \
          "\tmr 4,6\n"                                                                      \
          "\tmr 5,7\n"                                                                      \
          "\tmr 6,8\n"                                                                      \
          "\tmr 7,9\n"                                                                      \
          "\tmr 8,10\n"                                                                     \
          "\tb __hxa64_" #name "\n"                                                         \
          "\t.size " #name ",.-" #name "\n"                                                 \
          ".popsection\n")


/* DISPATCHER_HEADER.Type of a timer. */
#define HX_OBJ_NOTIFICATION_TIMER 8
#define HX_OBJ_SYNCHRONIZATION_TIMER 9
/* KeInitializeTimerEx / NtCreateTimer types. */
#define NotificationTimer 0
#define SynchronizationTimer 1

typedef struct {
  DISPATCHER_HEADER Header;
  int64_t DueTime; /* system time it expires at (100 ns units); 0 when not set */
  LIST_ENTRY TimerListEntry;
  uint32_t Dpc;
  int32_t Period; /* ms */
} KTIMER; /* 0x28 bytes */

typedef struct KDPC KDPC;
typedef void (*HX_DEFERRED_ROUTINE)(KDPC* dpc, void* context, void* arg1, void* arg2);
struct KDPC {
  uint16_t Type; /* 19 */
  uint8_t SelectedCpu;
  uint8_t DesiredCpu;
  LIST_ENTRY DpcListEntry;
  HX_DEFERRED_ROUTINE DeferredRoutine;
  void* DeferredContext;
  void* SystemArgument1;
  void* SystemArgument2;
}; /* 0x1C bytes */

typedef void (*HX_NORMAL_ROUTINE)(void* context, void* arg1, void* arg2);
typedef struct KAPC KAPC;
typedef void (*HX_KERNEL_ROUTINE)(KAPC* apc, HX_NORMAL_ROUTINE* normal_routine, void** normal_context, void** arg1,
                                  void** arg2);
struct KAPC {
  uint16_t Type; /* 18 */
  uint8_t ApcMode;
  uint8_t Inserted;
  void* Thread; /* KTHREAD */
  LIST_ENTRY ApcListEntry;
  HX_KERNEL_ROUTINE KernelRoutine;
  void* RundownRoutine;
  HX_NORMAL_ROUTINE NormalRoutine;
  void* NormalContext;
  void* SystemArgument1;
  void* SystemArgument2;
}; /* 40 bytes */

/* Timer APC routine of NtSetTimerEx: (context, expiry system time low, high). */
typedef void (*HX_TIMER_APC_ROUTINE)(void* context, uint32_t time_low, uint32_t time_high);

/* --- timers (due: negative = relative, 100 ns units; positive = absolute system time) ----- */
HX_IMPORT(xboxkrnl, 0x0075, KeInitializeTimerEx, void, (KTIMER* timer, DWORD type, DWORD process_type));
HX_IMPORT_ARG2_64(xboxkrnl, 0x00A7, KeSetTimerEx, BOOLEAN, (KTIMER* timer, int64_t due, LONG period_ms, KDPC* dpc));
HX_IMPORT_ARG2_64(xboxkrnl, 0x00A6, KeSetTimer, BOOLEAN, (KTIMER* timer, int64_t due, KDPC* dpc));
HX_IMPORT(xboxkrnl, 0x0054, KeCancelTimer, BOOLEAN, (KTIMER* timer));
HX_IMPORT(xboxkrnl, 0x00D7, NtCreateTimer, NTSTATUS, (HANDLE* handle, OBJECT_ATTRIBUTES* attributes, DWORD type));
HX_IMPORT(xboxkrnl, 0x00FA, NtSetTimerEx, NTSTATUS,
          (HANDLE timer, LARGE_INTEGER* due, HX_TIMER_APC_ROUTINE routine, KPROCESSOR_MODE mode, void* context,
           BOOLEAN resume, LONG period_ms, DWORD* previous_state));
HX_IMPORT(xboxkrnl, 0x00CD, NtCancelTimer, NTSTATUS, (HANDLE timer, DWORD* current_state));

/* --- DPCs ---------------------------------------------------------------------------------- */
HX_IMPORT(xboxkrnl, 0x006F, KeInitializeDpc, void, (KDPC* dpc, HX_DEFERRED_ROUTINE routine, void* context));
HX_IMPORT(xboxkrnl, 0x007B, KeInsertQueueDpc, BOOLEAN, (KDPC* dpc, void* arg1, void* arg2));
HX_IMPORT(xboxkrnl, 0x008E, KeRemoveQueueDpc, BOOLEAN, (KDPC* dpc));

/* --- APCs ---------------------------------------------------------------------------------- */
HX_IMPORT(xboxkrnl, 0x006D, KeInitializeApc, void,
          (KAPC* apc, void* kthread, HX_KERNEL_ROUTINE kernel_routine, void* rundown_routine,
           HX_NORMAL_ROUTINE normal_routine, KPROCESSOR_MODE mode, void* normal_context));
HX_IMPORT(xboxkrnl, 0x007A, KeInsertQueueApc, BOOLEAN, (KAPC* apc, void* arg1, void* arg2, LONG increment));
HX_IMPORT(xboxkrnl, 0x02F0, KeRemoveQueueApc, BOOLEAN, (KAPC* apc));
HX_IMPORT(xboxkrnl, 0x00E3, NtQueueApcThread, NTSTATUS,
          (HANDLE thread, HX_NORMAL_ROUTINE routine, void* context, void* arg1, void* arg2));

#endif
