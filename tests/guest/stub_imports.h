/* Exports hexad registers as stubs (callable, not modelled), so the SDK does not declare them
 * (exports.sdk_resolves); the titles that call them declare them here. */
#ifndef HEXAD_STUB_IMPORTS_H
#define HEXAD_STUB_IMPORTS_H
#include "hx/kernel.h"

/* No enumerators exist yet: every handle is ERROR_INVALID_HANDLE (docs/xam.md). */
HX_IMPORT(xam, 0x0250, XamEnumerate, DWORD,
          (HANDLE handle, DWORD flags, void* buffer, DWORD length, DWORD* items, XOVERLAPPED* overlapped));

#endif
