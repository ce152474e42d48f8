/* hx/strings.h: the kernel's sprintf family and its wide forms (Microsoft CRT semantics; included
 * by hx/kernel.h).
 * From a 32-bit-mode title each argument after the format is 32-bit, a %ll value an aligned
 * register pair, as for DbgPrint; a va_list is gcc's (__builtin_va_list). */
#ifndef HX_STRINGS_H
#define HX_STRINGS_H
#include "hx/import.h"
#include "hx/types.h"

HX_IMPORT(xboxkrnl, 0x013B, sprintf, int, (char* buffer, const char* format, ...));
HX_IMPORT(xboxkrnl, 0x013A, _snprintf, int, (char* buffer, ULONG count, const char* format, ...));
HX_IMPORT(xboxkrnl, 0x0139, _scprintf, int, (const char* format, ...));
HX_IMPORT(xboxkrnl, 0x014E, vsprintf, int, (char* buffer, const char* format, __builtin_va_list args));
HX_IMPORT(xboxkrnl, 0x014D, _vsnprintf, int, (char* buffer, ULONG count, const char* format, __builtin_va_list args));
HX_IMPORT(xboxkrnl, 0x014C, _vscprintf, int, (const char* format, __builtin_va_list args));
/* The wide forms: a wide format and text are 16-bit big-endian units (a u"" literal), counts in
 * units; %s and %c take a wide argument, %S, %hs, %C, %hc a narrow one. swprintf is the old
 * Microsoft form without a count. */
HX_IMPORT(xboxkrnl, 0x013E, swprintf, int, (uint16_t* buffer, const uint16_t* format, ...));
HX_IMPORT(xboxkrnl, 0x013D, _snwprintf, int, (uint16_t* buffer, ULONG count, const uint16_t* format, ...));
HX_IMPORT(xboxkrnl, 0x013C, _scwprintf, int, (const uint16_t* format, ...));
HX_IMPORT(xboxkrnl, 0x0151, vswprintf, int, (uint16_t* buffer, const uint16_t* format, __builtin_va_list args));
HX_IMPORT(xboxkrnl, 0x0150, _vsnwprintf, int,
          (uint16_t* buffer, ULONG count, const uint16_t* format, __builtin_va_list args));
HX_IMPORT(xboxkrnl, 0x014F, _vscwprintf, int, (const uint16_t* format, __builtin_va_list args));

#endif
