/* Thread alerts (NT's Ke* alert calls, as the console's xboxkrnl exports them): an alerted thread's
 * alertable wait returns STATUS_ALERTED (0x101). */
#ifndef HX_ALERTS_H
#define HX_ALERTS_H
#include "hx/import.h"
#include "hx/types.h"

/* -> the thread's previous alerted state for `mode`. */
HX_IMPORT(xboxkrnl, 0x004F, KeAlertThread, BOOLEAN, (void* kthread, KPROCESSOR_MODE mode));
/* Alerts (kernel mode) and resumes: -> the previous suspend count. */
HX_IMPORT(xboxkrnl, 0x004E, KeAlertResumeThread, ULONG, (void* kthread));
/* -> the caller's alerted state for `mode`, which it clears. */
HX_IMPORT(xboxkrnl, 0x00AC, KeTestAlertThread, BOOLEAN, (KPROCESSOR_MODE mode));

#endif
