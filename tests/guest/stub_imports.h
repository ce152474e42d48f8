/* Exports hexad registers as stubs (callable, not modelled), so the SDK does not declare them
 * (exports.sdk_resolves); the titles that call them declare them here. */
#ifndef HEXAD_STUB_IMPORTS_H
#define HEXAD_STUB_IMPORTS_H
#include "hx/kernel.h"

/* Its destination buffer is a stack argument the video slice does not read yet. */
HX_IMPORT(xboxkrnl, 0x01C5, VdInitializeScalerCommandBuffer, DWORD,
          (DWORD source_xy, DWORD source_wh, DWORD output_xy, DWORD output_wh, DWORD front_buffer_wh,
           DWORD vertical_filter_type, void* vertical_filter, DWORD horizontal_filter_type, void* horizontal_filter,
           void* unknown, DWORD* dest, DWORD dest_words));

#endif
