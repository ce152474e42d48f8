/* hexad guest SDK: the kernel (xboxkrnl.exe) and XAM exports the SDK's titles use.
 * Ordinals are the console's export ordinals (see docs/sdk.md for how to add one). */
#ifndef HX_KERNEL_H
#define HX_KERNEL_H

#include "hx/import.h"
#include "hx/types.h"
#include "hx/memory.h"
#include "hx/video.h"

/* --- debug output ------------------------------------------------------------------------- */
/* The kernel formats the message (%d %i %u %x %X %s %c %p %%, width/zero-pad flags). Pass at
 * most 7 arguments after the format, each 32 bits wide (no long long, no floating point). */
HX_IMPORT(xboxkrnl, 0x0003, DbgPrint, ULONG, (const char* format, ...));

/* --- threads ------------------------------------------------------------------------------ */
/* start_address receives start_context. xapi_startup may be NULL (no XAPI wrapper). */
HX_IMPORT(xboxkrnl, 0x000D, ExCreateThread, NTSTATUS,
          (HANDLE* handle, DWORD stack_size, DWORD* thread_id, void* xapi_startup,
           HX_THREAD_START start_address, void* start_context, DWORD creation_flags));
HX_IMPORT(xboxkrnl, 0x0019, ExTerminateThread, void, (DWORD exit_status));
HX_IMPORT(xboxkrnl, 0x00F5, NtResumeThread, NTSTATUS, (HANDLE thread, DWORD* suspend_count));
HX_IMPORT(xboxkrnl, 0x00FC, NtSuspendThread, NTSTATUS, (HANDLE thread, DWORD* suspend_count));
HX_IMPORT(xboxkrnl, 0x0092, KeResumeThread, ULONG, (void* kthread));
HX_IMPORT(xboxkrnl, 0x0099, KeSetBasePriorityThread, LONG, (void* kthread, LONG increment));
HX_IMPORT(xboxkrnl, 0x0097, KeSetAffinityThread, NTSTATUS,
          (void* kthread, DWORD affinity, DWORD* previous_affinity));
HX_IMPORT(xboxkrnl, 0x0101, NtYieldExecution, NTSTATUS, (void));
HX_IMPORT(xboxkrnl, 0x005A, KeDelayExecutionThread, NTSTATUS,
          (KPROCESSOR_MODE mode, BOOLEAN alertable, LARGE_INTEGER* interval));
HX_IMPORT(xboxkrnl, 0x0066, KeGetCurrentProcessType, uint8_t, (void));

/* --- objects and handles ------------------------------------------------------------------ */
HX_IMPORT(xboxkrnl, 0x00CF, NtClose, NTSTATUS, (HANDLE handle));
/* object_type: NULL or the address of an object-type variable export. */
HX_IMPORT(xboxkrnl, 0x0110, ObReferenceObjectByHandle, NTSTATUS,
          (HANDLE handle, void* object_type, void** out_object));
HX_IMPORT(xboxkrnl, 0x0105, ObDereferenceObject, void, (void* object));

/* --- files (README "Running a game image": game:\ and d:\ read-only, cache:\ the run's scratch) */
HX_IMPORT(xboxkrnl, 0x00D2, NtCreateFile, NTSTATUS,
          (HANDLE* handle, DWORD desired_access, OBJECT_ATTRIBUTES* attributes, IO_STATUS_BLOCK* io_status,
           LARGE_INTEGER* allocation_size, DWORD file_attributes, DWORD share_access, DWORD create_disposition,
           DWORD create_options));
HX_IMPORT(xboxkrnl, 0x00DF, NtOpenFile, NTSTATUS,
          (HANDLE* handle, DWORD desired_access, OBJECT_ATTRIBUTES* attributes, IO_STATUS_BLOCK* io_status,
           DWORD share_access, DWORD open_options));
/* Synchronous (the data is there when it returns). byte_offset NULL: at the file position. event (or 0)
 * is cleared, then set when the I/O completes; apc_routine (or 0) is queued as a user APC
 * apc_routine(apc_context, io_status, 0) to the caller on success, run in its next alertable wait. */
HX_IMPORT(xboxkrnl, 0x00F0, NtReadFile, NTSTATUS,
          (HANDLE file, HANDLE event, void* apc_routine, void* apc_context, IO_STATUS_BLOCK* io_status, void* buffer,
           DWORD length, LARGE_INTEGER* byte_offset));
HX_IMPORT(xboxkrnl, 0x00FF, NtWriteFile, NTSTATUS,
          (HANDLE file, HANDLE event, void* apc_routine, void* apc_context, IO_STATUS_BLOCK* io_status,
           const void* buffer, DWORD length, LARGE_INTEGER* byte_offset));
HX_IMPORT(xboxkrnl, 0x00E8, NtQueryInformationFile, NTSTATUS,
          (HANDLE file, IO_STATUS_BLOCK* io_status, void* info, DWORD length, DWORD info_class));
HX_IMPORT(xboxkrnl, 0x00F7, NtSetInformationFile, NTSTATUS,
          (HANDLE file, IO_STATUS_BLOCK* io_status, void* info, DWORD length, DWORD info_class));
HX_IMPORT(xboxkrnl, 0x00E7, NtQueryFullAttributesFile, NTSTATUS,
          (OBJECT_ATTRIBUTES* attributes, FILE_NETWORK_OPEN_INFORMATION* info));
HX_IMPORT(xboxkrnl, 0x00E4, NtQueryDirectoryFile, NTSTATUS,
          (HANDLE dir, HANDLE event, void* apc_routine, void* apc_context, IO_STATUS_BLOCK* io_status, void* info,
           DWORD length, ANSI_STRING* file_name, BOOLEAN restart_scan));
HX_IMPORT(xboxkrnl, 0x00EF, NtQueryVolumeInformationFile, NTSTATUS,
          (HANDLE file, IO_STATUS_BLOCK* io_status, void* info, DWORD length, DWORD info_class));
HX_IMPORT(xboxkrnl, 0x00DB, NtFlushBuffersFile, NTSTATUS, (HANDLE file, IO_STATUS_BLOCK* io_status));

/* --- events ------------------------------------------------------------------------------- */
HX_IMPORT(xboxkrnl, 0x00D1, NtCreateEvent, NTSTATUS,
          (HANDLE* handle, OBJECT_ATTRIBUTES* attributes, DWORD event_type, BOOLEAN initial_state));
HX_IMPORT(xboxkrnl, 0x00F6, NtSetEvent, NTSTATUS, (HANDLE handle, LONG* previous_state));
HX_IMPORT(xboxkrnl, 0x00CE, NtClearEvent, NTSTATUS, (HANDLE handle));
HX_IMPORT(xboxkrnl, 0x00E2, NtPulseEvent, NTSTATUS, (HANDLE handle, LONG* previous_state));
HX_IMPORT(xboxkrnl, 0x0070, KeInitializeEvent, void, (KEVENT* event, DWORD event_type, BOOLEAN state));
HX_IMPORT(xboxkrnl, 0x009D, KeSetEvent, LONG, (KEVENT* event, LONG increment, BOOLEAN wait));
HX_IMPORT(xboxkrnl, 0x008F, KeResetEvent, LONG, (KEVENT* event));

/* --- semaphores --------------------------------------------------------------------------- */
HX_IMPORT(xboxkrnl, 0x00D5, NtCreateSemaphore, NTSTATUS,
          (HANDLE* handle, OBJECT_ATTRIBUTES* attributes, LONG initial_count, LONG maximum_count));
HX_IMPORT(xboxkrnl, 0x00F3, NtReleaseSemaphore, NTSTATUS,
          (HANDLE handle, LONG release_count, LONG* previous_count));
HX_IMPORT(xboxkrnl, 0x0074, KeInitializeSemaphore, void, (KSEMAPHORE* semaphore, LONG count, LONG limit));
HX_IMPORT(xboxkrnl, 0x0088, KeReleaseSemaphore, LONG,
          (KSEMAPHORE* semaphore, LONG increment, LONG adjustment, BOOLEAN wait));

/* --- mutants ------------------------------------------------------------------------------ */
HX_IMPORT(xboxkrnl, 0x00D4, NtCreateMutant, NTSTATUS,
          (HANDLE* handle, OBJECT_ATTRIBUTES* attributes, BOOLEAN initial_owner));
HX_IMPORT(xboxkrnl, 0x00F2, NtReleaseMutant, NTSTATUS, (HANDLE handle, LONG* previous_count));

/* --- waits (timeout: NULL = forever; negative QuadPart = relative, 100 ns units) ---------- */
HX_IMPORT(xboxkrnl, 0x00B0, KeWaitForSingleObject, NTSTATUS,
          (void* object, DWORD wait_reason, KPROCESSOR_MODE mode, BOOLEAN alertable,
           LARGE_INTEGER* timeout));
HX_IMPORT(xboxkrnl, 0x00FD, NtWaitForSingleObjectEx, NTSTATUS,
          (HANDLE handle, KPROCESSOR_MODE mode, BOOLEAN alertable, LARGE_INTEGER* timeout));
HX_IMPORT(xboxkrnl, 0x00AF, KeWaitForMultipleObjects, NTSTATUS,
          (DWORD count, void** objects, DWORD wait_type, DWORD wait_reason, KPROCESSOR_MODE mode,
           BOOLEAN alertable, LARGE_INTEGER* timeout, KWAIT_BLOCK* wait_blocks));
HX_IMPORT(xboxkrnl, 0x00FE, NtWaitForMultipleObjectsEx, NTSTATUS,
          (DWORD count, HANDLE* handles, DWORD wait_type, KPROCESSOR_MODE mode, BOOLEAN alertable,
           LARGE_INTEGER* timeout));

/* --- time --------------------------------------------------------------------------------- */
/* Returns the 64-bit frequency (the console returns it in one 64-bit register; the SDK's
 * wrapper converts it to the 32-bit ABI's register pair). */
HX_IMPORT_U64(xboxkrnl, 0x0083, KeQueryPerformanceFrequency, (void));
HX_IMPORT(xboxkrnl, 0x0084, KeQuerySystemTime, void, (LARGE_INTEGER* current_time));

/* --- thread-local slots ------------------------------------------------------------------- */
HX_IMPORT(xboxkrnl, 0x0152, KeTlsAlloc, DWORD, (void));
HX_IMPORT(xboxkrnl, 0x0153, KeTlsFree, BOOLEAN, (DWORD index));
HX_IMPORT(xboxkrnl, 0x0154, KeTlsGetValue, void*, (DWORD index));
HX_IMPORT(xboxkrnl, 0x0155, KeTlsSetValue, BOOLEAN, (DWORD index, void* value));

/* --- variables ---------------------------------------------------------------------------- */
HX_IMPORT_VAR(xboxkrnl, 0x0158, XboxKrnlVersion, XBOX_KRNL_VERSION);
#define HX_KRNL_VERSION (*__imp_XboxKrnlVersion)

/* --- Rtl, system and crypto exports (hx/rtl.h) ------------------------------------------- */
#include "hx/rtl.h"
#include "hx/xecrypt.h" /* incremental MD5/SHA-384/SHA-512, bignums */
#include "hx/strings.h" /* sprintf, _snprintf, _scprintf, their va_list and wide forms */
/* --- threads and object references (kthreads) ----------------------------------------------- */
#include "hx/threads.h"
/* --- modules and symbolic links (hx/modules.h) ------------------------------------------ */
#include "hx/modules.h"

/* --- XAM ---------------------------------------------------------------------------------- */
HX_IMPORT(xam, 0x01A9, XamLoaderTerminateTitle, void, (void));
#include "hx/xam.h" /* the other XAM imports */

/* --- critical sections, read/write locks, spinlocks, SLists --------------------------------- */
#include "hx/locks.h"

#include "hx/kobjects.h"

#include "hx/ktimers.h"
/* --- raised exceptions and thread alerts (hx/exceptions.h, hx/alerts.h) --------------------- */
#include "hx/exceptions.h"
#include "hx/alerts.h"

#endif
