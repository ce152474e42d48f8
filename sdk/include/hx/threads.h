/* hexad guest SDK: the thread and object-reference exports of the kthreads slice (included by
 * hx/kernel.h). Flags and statuses as xenia-canary and NT define them (docs/priorities.md). */
#ifndef HX_THREADS_H
#define HX_THREADS_H

#include "hx/import.h"
#include "hx/types.h"

#define STATUS_SUSPEND_COUNT_EXCEEDED ((NTSTATUS)0xC000004A)
#define STATUS_THREAD_IS_TERMINATING ((NTSTATUS)0xC000004B)

/* More ExCreateThread creation flags (HX_CREATE_SUSPENDED is in hx/types.h). */
#define HX_CREATE_SYSTEM_THREAD 0x00000002 /* a thread of the system process */
#define HX_CREATE_ABOVE_NORMAL 0x00000020  /* base priority one above the default */
#define HX_CREATE_NORMAL 0x00000040        /* the default base priority */
#define HX_CREATE_RETURN_KTHREAD 0x00000080 /* the handle out-parameter gets the KTHREAD pointer */
#define HX_CREATE_PROCESSOR_MASK(mask) ((uint32_t)(mask) << 24) /* bits 24-29: hardware threads */

#define HX_DUPLICATE_CLOSE_SOURCE 0x00000001
#define HX_MAXIMUM_SUSPEND_COUNT 127

HX_IMPORT(xboxkrnl, 0x00A9, KeSuspendThread, ULONG, (void* kthread));
HX_IMPORT(xboxkrnl, 0x0081, KeQueryBasePriorityThread, LONG, (void* kthread));
HX_IMPORT(xboxkrnl, 0x009C, KeSetDisableBoostThread, ULONG, (void* kthread, BOOLEAN disabled));
HX_IMPORT(xboxkrnl, 0x009A, KeSetCurrentProcessType, void, (DWORD type));
HX_IMPORT(xboxkrnl, 0x009B, KeSetCurrentStackPointers, void,
          (void* stack_ptr, void* kthread, void* stack_alloc_base, void* stack_base, void* stack_limit));
HX_IMPORT(xboxkrnl, 0x010B, ObLookupThreadByThreadId, NTSTATUS, (DWORD thread_id, void** kthread_out));
HX_IMPORT(xboxkrnl, 0x010E, ObOpenObjectByPointer, NTSTATUS, (void* object, HANDLE* handle_out));
HX_IMPORT(xboxkrnl, 0x010F, ObReferenceObject, void, (void* object));
HX_IMPORT(xboxkrnl, 0x00DA, NtDuplicateObject, NTSTATUS, (HANDLE source, HANDLE* target, DWORD options));

#endif
