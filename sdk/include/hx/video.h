/* hexad guest SDK: the kernel's video exports (Vd*) a boot calls. Structures are the console's
 * (big-endian, as the title sees them); floats are passed as their bit patterns (DWORD). */
#ifndef HX_VIDEO_H
#define HX_VIDEO_H

#include "hx/import.h"
#include "hx/types.h"

/* X_VIDEO_MODE (48 bytes). refresh_rate holds a float's bits. */
typedef struct {
  DWORD display_width;
  DWORD display_height;
  DWORD is_interlaced;
  DWORD is_widescreen;
  DWORD is_hi_def;
  DWORD refresh_rate;
  DWORD video_standard; /* 1 = NTSC */
  DWORD unknown_0x8a;
  DWORD unknown_0x01;
  DWORD reserved[3];
} X_VIDEO_MODE;

/* X_DISPLAY_INFO (0x58 bytes). */
typedef struct {
  USHORT front_buffer_width;          /* 0x00 */
  USHORT front_buffer_height;         /* 0x02 */
  UCHAR front_buffer_color_format;    /* 0x04 */
  UCHAR front_buffer_pixel_format;    /* 0x05 */
  USHORT pad_0x06;
  DWORD scaler_source_rect[4];        /* 0x08: x1 y1 x2 y2 */
  DWORD scaled_output_width;          /* 0x18 */
  DWORD scaled_output_height;         /* 0x1C */
  DWORD vertical_filter_type;         /* 0x20 */
  DWORD vertical_filter_params[3];    /* 0x24 */
  DWORD horizontal_filter_type;       /* 0x30 */
  DWORD horizontal_filter_params[3];  /* 0x34 */
  USHORT overscan_left, overscan_top, overscan_right, overscan_bottom; /* 0x40 */
  USHORT display_width;               /* 0x48 */
  USHORT display_height;              /* 0x4A */
  DWORD display_refresh_rate;         /* 0x4C: a float's bits */
  DWORD display_interlaced;           /* 0x50 */
  UCHAR display_color_format;         /* 0x54 */
  UCHAR pad_0x55;
  USHORT actual_display_width;        /* 0x56 */
} X_DISPLAY_INFO;

HX_IMPORT(xboxkrnl, 0x01C2, VdInitializeEngines, DWORD,
          (DWORD unknown, void* callback, void* argument, const void* pfp_microcode, const void* me_microcode));
HX_IMPORT(xboxkrnl, 0x01DC, VdShutdownEngines, void, (void));
HX_IMPORT(xboxkrnl, 0x01D5, VdSetGraphicsInterruptCallback, void, (void* callback, void* user_data));
/* base: the ring's physical address; log2_size: log2 of its size in quadwords (8 bytes). */
HX_IMPORT(xboxkrnl, 0x01C3, VdInitializeRingBuffer, void, (DWORD base, DWORD log2_size));
HX_IMPORT(xboxkrnl, 0x01B6, VdEnableRingBufferRPtrWriteBack, void, (DWORD address, DWORD block_log2));
/* buffer: 0x94 bytes, cleared; *identifier receives the buffer's GPU identifier. */
HX_IMPORT(xboxkrnl, 0x01BD, VdGetSystemCommandBuffer, void, (void* buffer, DWORD* identifier));
HX_IMPORT(xboxkrnl, 0x01D9, VdSetSystemCommandBufferGpuIdentifierAddress, void, (DWORD address));
HX_IMPORT(xboxkrnl, 0x01BA, VdGetCurrentDisplayInformation, void, (X_DISPLAY_INFO* info));
/* *power receives a float's bits. */
HX_IMPORT(xboxkrnl, 0x01B9, VdGetCurrentDisplayGamma, void, (DWORD* type, DWORD* power));
HX_IMPORT(xboxkrnl, 0x01CA, VdQueryVideoMode, void, (X_VIDEO_MODE* mode));
HX_IMPORT(xboxkrnl, 0x01C9, VdQueryVideoFlags, DWORD, (void));
HX_IMPORT(xboxkrnl, 0x01D3, VdSetDisplayMode, DWORD, (DWORD flags));
/* Fills dest (dest_words words, on the stack) with type-2 PM4 NOPs and returns dest_words (0 when
 * it is past 64 Ki words); the scaler parameters are not modelled. */
HX_IMPORT(xboxkrnl, 0x01C5, VdInitializeScalerCommandBuffer, DWORD,
          (DWORD source_xy, DWORD source_wh, DWORD output_xy, DWORD output_wh, DWORD front_buffer_wh,
           DWORD vertical_filter_type, void* vertical_filter, DWORD horizontal_filter_type, void* horizontal_filter,
           void* unknown, DWORD* dest, DWORD dest_words));
HX_IMPORT(xboxkrnl, 0x01C6, VdIsHSIOTrainingSucceeded, DWORD, (void));
HX_IMPORT(xboxkrnl, 0x01C7, VdPersistDisplay, DWORD, (DWORD unknown, DWORD* out));
HX_IMPORT(xboxkrnl, 0x0269, VdRetrainEDRAM, DWORD, (DWORD a0, DWORD a1, DWORD a2, DWORD a3, DWORD a4, DWORD a5));
HX_IMPORT(xboxkrnl, 0x026A, VdRetrainEDRAMWorker, DWORD, (DWORD unknown));
HX_IMPORT(xboxkrnl, 0x01BC, VdGetGraphicsAsicID, DWORD, (void));
HX_IMPORT(xboxkrnl, 0x01B1, VdCallGraphicsNotificationRoutines, DWORD, (DWORD reason, void* scaling));
HX_IMPORT(xboxkrnl, 0x01B4, VdEnableDisableClockGating, DWORD, (DWORD enabled));
/* ring: 64 words of ring space (VdSwap writes its packets there; store the new write pointer to
 * CP_RB_WPTR, 0x7FC80714, to hand them to the GPU); fetch: the front buffer's 6-word texture
 * fetch constant (its size, width - 1 in bits 0-12 and height - 1 in bits 13-25 of word 2, is the
 * frame's size; README "GPU" lists the formats hexad presents). Every pointer is required. */
HX_IMPORT(xboxkrnl, 0x025B, VdSwap, void,
          (DWORD* ring, const DWORD* fetch, void* write_back, void* system_buffer, void* identifier,
           const DWORD* frontbuffer, const DWORD* texture_format, const DWORD* color_space, const DWORD* width,
           const DWORD* height));

#endif
