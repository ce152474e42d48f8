/* hexad guest SDK: the XAM (xam.xex) imports hexad implements beyond XamLoaderTerminateTitle
 * (kernel.h), with the console's structure layouts (big-endian). Behaviour: docs/xam.md. */
#ifndef HX_XAM_H
#define HX_XAM_H
#include "hx/import.h"
#include "hx/types.h"

#define ERROR_SUCCESS 0x000
#define ERROR_INVALID_HANDLE 0x006
#define ERROR_BAD_ARGUMENTS 0x0A0
#define ERROR_IO_PENDING 0x3E5
#define ERROR_DEVICE_NOT_CONNECTED 0x48F
#define X_E_INVALIDARG 0x80070057
#define X_E_NO_SUCH_USER 0x80070525

#define XUSER_MAX_COUNT 4
#define XUSER_INDEX_ANY 0xFF
#define XINPUT_FLAG_GAMEPAD 0x00000001
#define XINPUT_FLAG_ANYUSER 0x40000000
#define XINPUT_GAMEPAD_A 0x1000
#define XINPUT_GAMEPAD_B 0x2000
#define XINPUT_GAMEPAD_START 0x0010
#define XNOTIFY_SYSTEM 0x00000001
#define XN_SYS_UI 0x00000009
#define XN_SYS_SIGNINCHANGED 0x0000000A

typedef uint64_t XUID;

typedef struct {
  DWORD dwDisplayWidth, dwDisplayHeight;
  DWORD fIsInterlaced, fIsWideScreen, fIsHiDef;
  DWORD RefreshRateBits; /* a float: 60.0f is 0x42700000 */
  DWORD VideoStandard;   /* 1 NTSC-M */
  DWORD Reserved[5];
} XVIDEO_MODE; /* 48 bytes */

typedef struct {
  DWORD MediaID, Version, BaseVersion, TitleID;
  uint8_t Platform, ExecutableType, DiscNum, DiscsInSet;
  DWORD SaveGameID;
} XEX_EXECUTION_ID; /* 24 bytes: the XEX optional header 0x00040006 */

typedef struct {
  uint16_t wButtons;
  uint8_t bLeftTrigger, bRightTrigger;
  int16_t sThumbLX, sThumbLY, sThumbRX, sThumbRY;
} XINPUT_GAMEPAD; /* 12 bytes */

typedef struct {
  DWORD dwPacketNumber;
  XINPUT_GAMEPAD Gamepad;
} XINPUT_STATE; /* 16 bytes */

typedef struct {
  uint8_t Type, SubType;
  uint16_t Flags;
  XINPUT_GAMEPAD Gamepad;
  uint16_t wLeftMotorSpeed, wRightMotorSpeed;
} XINPUT_CAPABILITIES; /* 20 bytes */

typedef struct {
  DWORD InternalLow;      /* the result: ERROR_IO_PENDING while pending */
  DWORD InternalHigh;     /* the length */
  DWORD InternalContext;
  HANDLE hEvent;          /* set when the operation completes */
  void* pCompletionRoutine;
  DWORD dwCompletionContext;
  DWORD dwExtendedError;
} XOVERLAPPED; /* 28 bytes */

typedef struct {
  DWORD dwButtonPressed;
} MESSAGEBOX_RESULT;

HX_IMPORT(xam, 0x0190, XamInputGetCapabilities, DWORD, (DWORD user, DWORD flags, XINPUT_CAPABILITIES* caps));
HX_IMPORT(xam, 0x0191, XamInputGetState, DWORD, (DWORD user, DWORD flags, XINPUT_STATE* state));
HX_IMPORT(xam, 0x01A4, XamLoaderLaunchTitle, void, (const char* name, DWORD flags));
HX_IMPORT(xam, 0x020A, XamUserGetXUID, DWORD, (DWORD user, DWORD type_mask, XUID* xuid));
HX_IMPORT(xam, 0x020E, XamUserGetName, DWORD, (DWORD user, char* buffer, DWORD length));
HX_IMPORT(xam, 0x0210, XamUserGetSigninState, DWORD, (DWORD user));
HX_IMPORT(xam, 0x0280, XamGetExecutionId, NTSTATUS, (XEX_EXECUTION_ID** info));
HX_IMPORT(xam, 0x0282, XamGetSystemVersion, DWORD, (void));
/* The console passes the 64-bit area mask in one register; every defined area is in its low
 * byte, which is what a 32-bit ULONG puts there. */
HX_IMPORT(xam, 0x028A, XamNotifyCreateListener, HANDLE, (ULONG areas, DWORD max_version));
#define XNotifyCreateListener(areas) XamNotifyCreateListener((areas), 1)
HX_IMPORT(xam, 0x028B, XNotifyGetNext, BOOLEAN, (HANDLE listener, DWORD match_id, DWORD* id, ULONG* param));
HX_IMPORT(xam, 0x03CB, XGetAVPack, DWORD, (void));
HX_IMPORT(xam, 0x03CC, XGetGameRegion, DWORD, (void));
HX_IMPORT(xam, 0x03CD, XGetLanguage, DWORD, (void));
HX_IMPORT(xam, 0x03D1, XGetVideoMode, void, (XVIDEO_MODE* mode));

/* Nine arguments: the ninth goes where the 32-bit SysV ABI puts it (8(r1)), which is where the
 * kernel reads it from a 32-bit-mode caller (a 64-bit-mode caller's: 0x54(r1), docs/sdk.md). */
HX_IMPORT(xam, 0x02CA, XamShowMessageBoxUI, DWORD,
                 (DWORD user, const uint16_t* title, const uint16_t* text, DWORD button_count,
                  const uint16_t** buttons, DWORD active_button, DWORD flags, MESSAGEBOX_RESULT* result,
                  XOVERLAPPED* overlapped));

/* Enumeration (docs/xam.md "Enumeration"): enumerator handles, closed with NtClose. */
#define ERROR_NO_MORE_FILES 0x012
#define ERROR_INSUFFICIENT_BUFFER 0x07A
#define ERROR_FUNCTION_FAILED 0x65B
typedef struct {
  DWORD DeviceID;
  DWORD ContentType;
  uint16_t szDisplayName[128]; /* UTF-16, big-endian */
  char szFileName[42];
  uint8_t padding[2];
} XCONTENT_DATA; /* 0x134 bytes */
typedef struct {
  DWORD DeviceID;
  DWORD DeviceType; /* 1 hard disk, 2 optical disc */
  uint64_t ulDeviceBytes;
  uint64_t ulDeviceFreeBytes;
  uint16_t wszFriendlyName[28]; /* UTF-16, big-endian */
} XDEVICE_DATA; /* 0x50 bytes */
/* The sign-in UI: shown and closed at once (the one profile is signed in): docs/xam.md. */
HX_IMPORT(xam, 0x02BC, XamShowSigninUI, DWORD, (DWORD users_needed, DWORD flags));
HX_IMPORT(xam, 0x0250, XamEnumerate, DWORD,
          (HANDLE handle, DWORD flags, void* buffer, DWORD length, DWORD* items, XOVERLAPPED* overlapped));
HX_IMPORT(xam, 0x025C, XamContentCreateEnumerator, DWORD,
          (DWORD user, DWORD device_id, DWORD content_type, DWORD content_flags, DWORD items_per_enumerate,
           DWORD* buffer_size, HANDLE* handle));
HX_IMPORT(xam, 0x025D, XamContentCreateDeviceEnumerator, DWORD,
          (DWORD content_type, DWORD content_flags, DWORD max_count, DWORD* buffer_size, HANDLE* handle));

#endif
