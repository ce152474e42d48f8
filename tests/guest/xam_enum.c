/* xam_enum: XAM enumeration (docs/xam.md "Enumeration") and the sign-in UI:
 *   - XamContentCreateDeviceEnumerator: the buffer size per call (0x50 x max_count), then the
 *     console's two devices, one per XamEnumerate (HDD id 1 type 1, 20 GB with 3 GB free, "Dummy
 *     HDD"; ODD id 2 type 2), then ERROR_NO_MORE_FILES with *items 0;
 *   - the same through an XOVERLAPPED: ERROR_IO_PENDING, completed before the call returns with
 *     the count as its length and its event set; at the end the function-failed error 0x65B with
 *     HRESULT_FROM_WIN32(ERROR_NO_MORE_FILES) as the extended error;
 *   - XamContentCreateEnumerator: 0x134 x items per call; the console holds no content, so the
 *     first XamEnumerate says ERROR_NO_MORE_FILES; an unknown device id is X_E_INVALIDARG with a
 *     buffer size of 0;
 *   - errors that hand out nothing: a NULL buffer, a buffer too small, neither items nor an
 *     XOVERLAPPED; a closed enumerator (NtClose) is ERROR_INVALID_HANDLE;
 *   - hostile pointers fault the calling thread (their own threads, tids 2..): an unmapped items
 *     pointer, an unmapped buffer, a NULL device-enumerator handle pointer. The enumerator a fault
 *     hit still hands out its first item afterwards;
 *   - XamShowSigninUI: 1, 2 or 4 users, else ERROR_INVALID_PARAMETER; it broadcasts XN_SYS_UI 1,
 *     XN_SYS_SIGNINCHANGED 1 (user 0) and XN_SYS_UI 0 to the system listeners, after the boot
 *     notifications the first listener got. */
#define TITLE "xam_enum"
#include "hx/libc.h"
#include "title_util.h"

#define BAD 0x00001000u /* unmapped */

static HANDLE shared;
static volatile uint32_t returned;

static void c_items_bad(void) {
  XDEVICE_DATA d;
  XamEnumerate(shared, 0, &d, sizeof d, (DWORD*)BAD, NULL);
}
static void c_buffer_bad(void) {
  DWORD items;
  XamEnumerate(shared, 0, (void*)BAD, 0x50, &items, NULL);
}
static void c_handle_null(void) { XamContentCreateDeviceEnumerator(0, 0, 1, NULL, NULL); }

static const struct {
  const char* name;
  void (*call)(void);
} kCases[] = {
    {"XamEnumerate unmapped items", c_items_bad},
    {"XamEnumerate unmapped buffer", c_buffer_bad},
    {"XamContentCreateDeviceEnumerator NULL handle", c_handle_null},
};

static uint32_t run_case(void* ctx) {
  kCases[(uint32_t)ctx].call();
  returned = 1;
  return 0;
}

static uint32_t utf16_is(const uint16_t* s, const char* want) {
  for (;; ++s, ++want) {
    if (*s != (uint16_t)*want) return 0;
    if (!*want) return 1;
  }
}

int main(void) {
  XDEVICE_DATA d[2];
  DWORD size = 0, items = 7;
  HANDLE e;
  expect("XamContentCreateDeviceEnumerator", XamContentCreateDeviceEnumerator(0, 0, 1, &size, &e), ERROR_SUCCESS);
  expect("  buffer size 0x50 per item", size, 0x50);
  memset(d, 0xEE, sizeof d);
  expect("XamEnumerate: the first device", XamEnumerate(e, 0, d, sizeof d, &items, NULL), ERROR_SUCCESS);
  expect("  one item", items, 1);
  expect("  HDD: id 1, type 1", d[0].DeviceID == 1 && d[0].DeviceType == 1, 1);
  expect("  20 GB", d[0].ulDeviceBytes == 20ull << 30, 1);
  expect("  3 GB free", d[0].ulDeviceFreeBytes == 3ull << 30, 1);
  expect("  named Dummy HDD", utf16_is(d[0].wszFriendlyName, "Dummy HDD"), 1);
  expect("  nothing past the item", d[1].DeviceID, 0xEEEEEEEE);
  expect("XamEnumerate: a NULL buffer", XamEnumerate(e, 0, NULL, sizeof d, &items, NULL), ERROR_INVALID_PARAMETER);
  expect("XamEnumerate: a buffer too small", XamEnumerate(e, 0, d, 0x4F, &items, NULL), ERROR_INSUFFICIENT_BUFFER);
  expect("  no items", items, 0);
  expect("XamEnumerate: neither items nor overlapped", XamEnumerate(e, 0, d, sizeof d, NULL, NULL),
         ERROR_INVALID_PARAMETER);
  expect("XamEnumerate: the second device", XamEnumerate(e, 0, d, sizeof d, &items, NULL), ERROR_SUCCESS);
  expect("  ODD: id 2, type 2, no free bytes", d[0].DeviceID == 2 && d[0].DeviceType == 2 && !d[0].ulDeviceFreeBytes, 1);
  items = 7;
  expect("XamEnumerate: exhausted", XamEnumerate(e, 0, d, sizeof d, &items, NULL), ERROR_NO_MORE_FILES);
  expect("  no items", items, 0);
  expect("NtClose of the enumerator", (uint32_t)NtClose(e), STATUS_SUCCESS);
  expect("XamEnumerate of a closed enumerator", XamEnumerate(e, 0, d, sizeof d, &items, NULL), ERROR_INVALID_HANDLE);

  /* Through an XOVERLAPPED, two devices per call. */
  XOVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  NtCreateEvent(&ov.hEvent, NULL, NotificationEvent, FALSE);
  XamContentCreateDeviceEnumerator(0, 0, 2, &size, &e);
  expect("  buffer size for 2", size, 0xA0);
  expect("XamEnumerate overlapped", XamEnumerate(e, 0, d, sizeof d, NULL, &ov), ERROR_IO_PENDING);
  expect("  completed: success", ov.InternalLow, ERROR_SUCCESS);
  expect("  length: two items", ov.InternalHigh, 2);
  expect("  both devices", d[0].DeviceID == 1 && d[1].DeviceID == 2, 1);
  expect("  its event set", (uint32_t)poll(ov.hEvent), STATUS_WAIT_0);
  NtClearEvent(ov.hEvent);
  expect("XamEnumerate overlapped, exhausted", XamEnumerate(e, 0, d, sizeof d, NULL, &ov), ERROR_IO_PENDING);
  expect("  the result: the function-failed error 0x65B", ov.InternalLow, ERROR_FUNCTION_FAILED);
  expect("  extended error HRESULT_FROM_WIN32(ERROR_NO_MORE_FILES)", ov.dwExtendedError, 0x80070012);
  expect("  length 0", ov.InternalHigh, 0);
  expect("  its event set", (uint32_t)poll(ov.hEvent), STATUS_WAIT_0);
  NtClose(e);

  /* Content: none on this console. */
  HANDLE c;
  expect("XamContentCreateEnumerator", XamContentCreateEnumerator(0, 0, 1, 0, 4, &size, &c), ERROR_SUCCESS);
  expect("  buffer size 0x134 per item", size, 4 * 0x134);
  XCONTENT_DATA content[4];
  items = 7;
  expect("XamEnumerate of the content: none", XamEnumerate(c, 0, content, sizeof content, &items, NULL),
         ERROR_NO_MORE_FILES);
  expect("  no items", items, 0);
  size = 7;
  expect("XamContentCreateEnumerator unknown device", XamContentCreateEnumerator(0, 9, 1, 0, 4, &size, &c), 0x80070057);
  expect("  buffer size 0", size, 0);
  expect("XamContentCreateEnumerator NULL handle", XamContentCreateEnumerator(0, 1, 1, 0, 4, NULL, NULL), 0x80070057);

  /* Hostile pointers, each in its own thread. */
  XamContentCreateDeviceEnumerator(0, 0, 1, NULL, &shared);
  for (uint32_t i = 0; i < sizeof kCases / sizeof kCases[0]; ++i) {
    HANDLE h;
    uint32_t tid = 0;
    returned = 0;
    ExCreateThread(&h, 0, &tid, NULL, run_case, (void*)i, 0);
    NtWaitForSingleObjectEx(h, UserMode, FALSE, NULL);
    expect(kCases[i].name, returned, 0);
    DbgPrint(TITLE ": case %s: tid %u faults\n", kCases[i].name, tid);
    NtClose(h);
  }
  expect("the faults handed out nothing", XamEnumerate(shared, 0, d, sizeof d, &items, NULL), ERROR_SUCCESS);
  expect("  the first device", d[0].DeviceID, 1);
  /* The sign-in UI. */
  HANDLE listener = XNotifyCreateListener(XNOTIFY_SYSTEM);
  expect("XamShowSigninUI 3 users", XamShowSigninUI(3, 0), ERROR_INVALID_PARAMETER);
  expect("XamShowSigninUI 1 user", XamShowSigninUI(1, 0), ERROR_SUCCESS);
  static const DWORD kIds[7] = {XN_SYS_UI, XN_SYS_UI, XN_SYS_SIGNINCHANGED, XN_SYS_SIGNINCHANGED,
                                XN_SYS_UI, XN_SYS_SIGNINCHANGED, XN_SYS_UI};
  static const ULONG kParams[7] = {1, 0, 1, 1, 1, 1, 0};
  uint32_t in_order = 0;
  for (uint32_t i = 0; i < 7; ++i) {
    DWORD id = 0;
    ULONG param = 9;
    in_order += XNotifyGetNext(listener, 0, &id, &param) && id == kIds[i] && param == kParams[i];
  }
  expect("  the boot notifications, then UI 1, sign-in changed, UI 0", in_order, 7);
  DWORD id;
  expect("  nothing more", XNotifyGetNext(listener, 0, &id, NULL), FALSE);
  DbgPrint(TITLE ": %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
