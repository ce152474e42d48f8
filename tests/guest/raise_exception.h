/* RtlRaiseException is registered as a stub (no structured exception handling is modelled), so
 * the SDK does not declare it (exports.sdk_resolves); the titles that test it declare it here. */
#ifndef HEXAD_RAISE_EXCEPTION_H
#define HEXAD_RAISE_EXCEPTION_H
#include "hx/kernel.h"

typedef struct {
  uint32_t ExceptionCode;
  uint32_t ExceptionFlags;
  uint32_t ExceptionRecord;
  uint32_t ExceptionAddress;
  uint32_t NumberParameters;
  uint32_t ExceptionInformation[15];
} EXCEPTION_RECORD;

HX_IMPORT(xboxkrnl, 0x0136, RtlRaiseException, void, (EXCEPTION_RECORD* record));

#endif
