/* Raised exceptions (RtlRaiseException) as hexad models them: the SetThreadName notification
 * names a thread; every other exception is unhandled and ends the raising thread with a guest
 * fault of kind "exception" (README "Raised exceptions and alerts"). Layouts: xenia xboxkrnl_rtl.h. */
#ifndef HX_EXCEPTIONS_H
#define HX_EXCEPTIONS_H
#include "hx/import.h"
#include "hx/types.h"

#define EXCEPTION_MAXIMUM_PARAMETERS 15
#define EXCEPTION_NONCONTINUABLE 0x1
#define HX_SET_THREAD_NAME_EXCEPTION 0x406D1388u /* MSVC's SetThreadName notification */
#define HX_CPP_EXCEPTION 0xE06D7363u             /* an MSVC C++ throw */

typedef struct {
  uint32_t ExceptionCode;
  uint32_t ExceptionFlags;
  uint32_t ExceptionRecord;
  uint32_t ExceptionAddress;
  uint32_t NumberParameters;
  uint32_t ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD;

/* What SetThreadName puts in ExceptionInformation (NumberParameters 4). */
typedef struct {
  uint32_t dwType;      /* 0x1000 */
  const char* szName;
  uint32_t dwThreadID;  /* a thread id, or 0xFFFFFFFF: the caller */
  uint32_t dwFlags;     /* 0 */
} THREADNAME_INFO;

HX_IMPORT(xboxkrnl, 0x0136, RtlRaiseException, void, (EXCEPTION_RECORD* record));

#endif
