/* hx/strings.h: the kernel's sprintf family (Microsoft CRT semantics; included by hx/kernel.h).
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

#endif
