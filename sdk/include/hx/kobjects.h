/* hexad guest SDK: kernel-object exports beyond the basics of kernel.h (Ke* mutants, pulses,
 * queries) and the statuses and pseudo-handles they use. Included by hx/kernel.h. */
#ifndef HX_KOBJECTS_H
#define HX_KOBJECTS_H
#include "hx/import.h"
#include "hx/types.h"

#define STATUS_ABANDONED ((NTSTATUS)0x00000080)
#define STATUS_OBJECT_NAME_EXISTS ((NTSTATUS)0x40000000)
#define STATUS_OBJECT_NAME_COLLISION ((NTSTATUS)0xC0000035)

/* Pseudo-handles: the calling thread (accepted wherever a thread or object handle is), and the
 * process (no object: STATUS_INVALID_HANDLE where an object handle is wanted). */
#define NtCurrentThread() ((HANDLE)0xFFFFFFFE)
#define NtCurrentProcess() ((HANDLE)0xFFFFFFFF)

#define HX_OBJ_MUTANT 2

/* 32 bytes (the console's KMUTANT). */
typedef struct {
  DISPATCHER_HEADER Header;
  LIST_ENTRY MutantListEntry;
  uint32_t OwnerThread; /* the owner's KTHREAD */
  uint8_t Abandoned;
  uint8_t Padding[3];
} KMUTANT;

typedef struct {
  uint32_t EventType; /* NotificationEvent or SynchronizationEvent */
  int32_t EventState;
} EVENT_BASIC_INFORMATION;

HX_IMPORT(xboxkrnl, 0x007F, KePulseEvent, LONG, (KEVENT* event, LONG increment, BOOLEAN wait));
HX_IMPORT(xboxkrnl, 0x00E6, NtQueryEvent, NTSTATUS, (HANDLE handle, EVENT_BASIC_INFORMATION* info));
HX_IMPORT(xboxkrnl, 0x0072, KeInitializeMutant, void, (KMUTANT* mutant, BOOLEAN initial_owner));
HX_IMPORT(xboxkrnl, 0x0087, KeReleaseMutant, LONG, (KMUTANT* mutant, LONG increment, BOOLEAN abandoned, BOOLEAN wait));

#endif
