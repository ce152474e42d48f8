/* xam: the XAM basics a boot queries (docs/xam.md), each against what xenia's sources say the
 * console answers, and hostile arguments:
 *   - settings: XamGetSystemVersion 2.0.17559.0, XGetAVPack 6, XGetGameRegion 0xFFFF,
 *     XGetLanguage 1, XGetVideoMode 1280x720 progressive widescreen 60 Hz NTSC;
 *   - XamGetExecutionId: the XEX's execution info (xexpack's default title id 0x48580000);
 *   - the user: user 0 signed in locally as "User", XUID 0xB13EBABEBABEBABE; users 1-3 not;
 *   - notifications: the first system listener gets XN_SYS_UI 1, 0 and XN_SYS_SIGNINCHANGED 1
 *     twice, a second one nothing; it is signaled while something is queued; XNotifyGetNext by id;
 *     a message box broadcasts XN_SYS_UI 1 then 0 and wakes a thread blocked on a listener;
 *   - no controller without --input: XamInputGetState/Capabilities say not connected;
 *   - XamEnumerate of a handle that is no enumerator: ERROR_INVALID_HANDLE, nothing written, even
 *     with an XOVERLAPPED (enumerators themselves: xam_enum.c);
 *   - XamShowMessageBoxUI answers its active button: at once without an XOVERLAPPED, 100 ms of
 *     guest time later through one (its event set);
 *   - bad pointers fault the calling thread (one thread per case, tids 3.. in table order, each
 *     printed with the address), bad values get the documented errors;
 *   - last, XamLoaderTerminateTitle: the run stops with stop reason title-terminate.
 * Tid 2 is the thread blocked on the second listener. */
#define TITLE "xam"
#include "title_util.h"
#include "hx/libc.h"

#define BAD 0x00001000u /* unmapped */

static HANDLE first, second, live;
static volatile uint32_t woken_by_listener;
static volatile uint32_t returned;
static const uint16_t kTitle[] = {'h', 'e', 'x', 'a', 'd', 0};
static const uint16_t kText[] = {'o', 'k', '?', 0};
static const uint16_t kYes[] = {'Y', 'e', 's', 0}, kNo[] = {'N', 'o', 0};
static const uint16_t* kButtons[2] = {kYes, kNo};

static uint32_t wait_on_listener(void* ctx) {
  (void)ctx;
  NTSTATUS st = NtWaitForSingleObjectEx(second, UserMode, FALSE, NULL);
  woken_by_listener = 1;
  return (uint32_t)st;
}

static void next(HANDLE listener, DWORD match, uint32_t want_ret, DWORD want_id, ULONG want_param, const char* what) {
  DWORD id = 0x5555;
  ULONG param = 0x5555;
  DbgPrint("xam: -- %s\n", what);
  expect("XNotifyGetNext", XNotifyGetNext(listener, match, &id, &param), want_ret);
  expect("  id", id, want_id);
  expect("  param", param, want_param);
}

/* ---- cases that fault ---------------------------------------------------------------------- */
static void c_video_null(void) { XGetVideoMode(NULL); }
static void c_video_bad(void) { XGetVideoMode((XVIDEO_MODE*)BAD); }
static void c_execution_null(void) { XamGetExecutionId(NULL); }
static void c_xuid_bad(void) { XamUserGetXUID(0, 1, (XUID*)BAD); }
static void c_name_bad(void) { XamUserGetName(0, (char*)BAD, 16); }
static void c_notify_id_bad(void) { XNotifyGetNext(first, 0, (DWORD*)BAD, NULL); }
static void c_state_bad(void) { XamInputGetState(0, 0, (XINPUT_STATE*)BAD); }
static void c_caps_bad(void) { XamInputGetCapabilities(0, 0, (XINPUT_CAPABILITIES*)BAD); }
static void c_launch_bad(void) { XamLoaderLaunchTitle((const char*)BAD, 0); }
static void c_box_result_bad(void) { XamShowMessageBoxUI(0, kTitle, kText, 2, kButtons, 0, 0, (MESSAGEBOX_RESULT*)BAD, NULL); }
static void c_box_overlapped_bad(void) {
  MESSAGEBOX_RESULT r;
  XamShowMessageBoxUI(0, kTitle, kText, 2, kButtons, 0, 0, &r, (XOVERLAPPED*)BAD);
}
static void c_enumerate_overlapped_bad(void) {
  HANDLE e;
  uint8_t item[0x50];
  XamContentCreateDeviceEnumerator(0, 0, 1, NULL, &e);
  XamEnumerate(e, 0, item, sizeof item, NULL, (XOVERLAPPED*)BAD);
}

typedef struct {
  const char* name;
  void (*call)(void);
  uint32_t address;
  const char* access;
} Case;

static const Case kCases[] = {
    {"XGetVideoMode NULL", c_video_null, 0, "write"},
    {"XGetVideoMode unmapped", c_video_bad, BAD, "write"},
    {"XamGetExecutionId NULL", c_execution_null, 0, "write"},
    {"XamUserGetXUID unmapped", c_xuid_bad, BAD, "write"},
    {"XamUserGetName unmapped", c_name_bad, BAD, "write"},
    {"XNotifyGetNext id unmapped", c_notify_id_bad, BAD, "write"},
    {"XamInputGetState unmapped", c_state_bad, BAD, "write"},
    {"XamInputGetCapabilities unmapped", c_caps_bad, BAD, "write"},
    {"XamLoaderLaunchTitle name unmapped", c_launch_bad, BAD, "read"},
    {"XamShowMessageBoxUI result unmapped", c_box_result_bad, BAD, "write"},
    {"XamShowMessageBoxUI overlapped unmapped", c_box_overlapped_bad, BAD, "write"},
    {"XamEnumerate overlapped unmapped", c_enumerate_overlapped_bad, BAD, "write"},
};
#define CASES (sizeof kCases / sizeof kCases[0])

static uint32_t run_case(void* ctx) {
  kCases[(uint32_t)ctx].call();
  returned = 1;
  return 0;
}

static void settings(void) {
  expect("XamGetSystemVersion", XamGetSystemVersion(), 0x20449700);
  expect("XGetAVPack", XGetAVPack(), 6);
  expect("XGetGameRegion", XGetGameRegion(), 0xFFFF);
  expect("XGetLanguage", XGetLanguage(), 1);
  XVIDEO_MODE m;
  memset(&m, 0xEE, sizeof m);
  XGetVideoMode(&m);
  expect("video width", m.dwDisplayWidth, 1280);
  expect("video height", m.dwDisplayHeight, 720);
  expect("video interlaced", m.fIsInterlaced, 0);
  expect("video widescreen", m.fIsWideScreen, 1);
  expect("video hi-def", m.fIsHiDef, 1);
  expect("video refresh rate 60.0f", m.RefreshRateBits, 0x42700000);
  expect("video standard NTSC", m.VideoStandard, 1);
  expect("video word 7", m.Reserved[0], 0x4A);
  expect("video word 8", m.Reserved[1], 0x01);
  expect("video reserved", m.Reserved[2] | m.Reserved[3] | m.Reserved[4], 0);
  XEX_EXECUTION_ID* id = NULL;
  expect("XamGetExecutionId", (uint32_t)XamGetExecutionId(&id), STATUS_SUCCESS);
  expect("execution id title id", id ? id->TitleID : 0, 0x48580000);
}

static void user(void) {
  expect("signin state user 0", XamUserGetSigninState(0), 1);
  expect("signin state user 1", XamUserGetSigninState(1), 0);
  expect("signin state user 0xFF", XamUserGetSigninState(0xFF), 0);
  XUID xuid = 1;
  expect("XamUserGetXUID user 0", XamUserGetXUID(0, 1, &xuid), 0);
  expect("  xuid high", (uint32_t)(xuid >> 32), 0xB13EBABE);
  expect("  xuid low", (uint32_t)xuid, 0xBABEBABE);
  expect("XamUserGetXUID online mask", XamUserGetXUID(0, 2, &xuid), 0);
  xuid = 1;
  expect("XamUserGetXUID user 1", XamUserGetXUID(1, 1, &xuid), X_E_NO_SUCH_USER);
  expect("  xuid zeroed", (uint32_t)xuid, 0);
  xuid = 1;
  expect("XamUserGetXUID user 4", XamUserGetXUID(4, 1, &xuid), X_E_INVALIDARG);
  expect("  xuid zeroed", (uint32_t)xuid, 0);
  expect("XamUserGetXUID empty mask", XamUserGetXUID(0, 0, &xuid), X_E_NO_SUCH_USER);
  expect("XamUserGetXUID NULL", XamUserGetXUID(0, 1, NULL), X_E_INVALIDARG);
  char name[32];
  memset(name, 'x', sizeof name);
  expect("XamUserGetName", XamUserGetName(0, name, sizeof name), 0);
  expect("  name is User", strcmp(name, "User"), 0);
  memset(name, 'x', sizeof name);
  expect("XamUserGetName length 3", XamUserGetName(0, name, 3), 0);
  expect("  cut to 2 characters", strcmp(name, "Us"), 0);
  memset(name, 'x', sizeof name);
  expect("XamUserGetName length 0", XamUserGetName(0, name, 0), 0);
  expect("  nothing written", (uint32_t)name[0], 'x');
  expect("XamUserGetName length 0, NULL buffer", XamUserGetName(0, NULL, 0), 0);
  expect("XamUserGetName user 1", XamUserGetName(1, name, sizeof name), X_E_NO_SUCH_USER);
  expect("XamUserGetName user 4", XamUserGetName(4, name, sizeof name), X_E_INVALIDARG);
}

static void notifications(void) {
  first = XNotifyCreateListener(XNOTIFY_SYSTEM);
  second = XNotifyCreateListener(XNOTIFY_SYSTEM);
  live = XNotifyCreateListener(2); /* XNOTIFY_LIVE: no system notifications */
  expect("listeners have handles", first != 0 && second != 0 && live != 0, 1);
  expect("the first listener is signaled (boot notifications queued)", (uint32_t)poll(first), STATUS_WAIT_0);
  expect("a wait takes none of them: still signaled", (uint32_t)poll(first), STATUS_WAIT_0);
  expect("the second listener is not signaled", (uint32_t)poll(second), STATUS_TIMEOUT);
  next(first, 0, 1, XN_SYS_UI, 1, "boot 1: XN_SYS_UI 1");
  next(first, XN_SYS_SIGNINCHANGED, 1, XN_SYS_SIGNINCHANGED, 1, "by id: XN_SYS_SIGNINCHANGED 1 (user 0)");
  next(first, 0, 1, XN_SYS_UI, 0, "boot 2: XN_SYS_UI 0");
  next(first, 0x12345, 0, 0, 0, "an id that is not queued");
  next(first, 0, 1, XN_SYS_SIGNINCHANGED, 1, "boot 4: XN_SYS_SIGNINCHANGED 1");
  next(first, 0, 0, 0, 0, "empty");
  expect("the drained listener is not signaled", (uint32_t)poll(first), STATUS_TIMEOUT);
  next(second, 0, 0, 0, 0, "the second listener got no boot notifications");
  next(0x1234, 0, 0, 0, 0, "a bad handle");
  HANDLE ev;
  NtCreateEvent(&ev, NULL, NotificationEvent, FALSE);
  next(ev, 0, 0, 0, 0, "an event handle");
  ULONG param = 7;
  expect("XNotifyGetNext without an id pointer", XNotifyGetNext(first, 0, NULL, &param), 0);
  expect("  param zeroed", param, 0);
  DWORD id = 7;
  expect("XNotifyGetNext without a param pointer", XNotifyGetNext(first, 0, &id, NULL), 0);
  expect("  id zeroed", id, 0);
  NtClose(ev);
}

static void message_boxes(void) {
  MESSAGEBOX_RESULT r;
  r.dwButtonPressed = 99;
  HANDLE waiter;
  ExCreateThread(&waiter, 0, NULL, NULL, wait_on_listener, NULL, 0);
  sleep_ms(1);
  expect("the waiter blocks on the second listener", woken_by_listener, 0);
  /* Without an XOVERLAPPED: answered at once. */
  expect("XamShowMessageBoxUI, no overlapped", XamShowMessageBoxUI(0, kTitle, kText, 2, kButtons, 1, 0, &r, NULL),
         ERROR_SUCCESS);
  expect("  answered with the active button", r.dwButtonPressed, 1);
  sleep_ms(1);
  expect("the box's XN_SYS_UI woke the waiter", woken_by_listener, 1);
  next(first, 0, 1, XN_SYS_UI, 1, "first listener: the box opened");
  next(first, 0, 1, XN_SYS_UI, 0, "first listener: the box closed");
  next(second, 0, 1, XN_SYS_UI, 1, "second listener: the box opened");
  next(second, 0, 1, XN_SYS_UI, 0, "second listener: the box closed");
  next(live, 0, 0, 0, 0, "the live listener heard nothing");
  /* With one: pending now, answered 100 ms of guest time later. */
  XOVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  NtCreateEvent(&ov.hEvent, NULL, NotificationEvent, FALSE);
  r.dwButtonPressed = 99;
  LARGE_INTEGER before, after;
  KeQuerySystemTime(&before);
  expect("XamShowMessageBoxUI, overlapped", XamShowMessageBoxUI(0, kTitle, kText, 2, kButtons, 0, 0, &r, &ov),
         ERROR_IO_PENDING);
  expect("  pending in the XOVERLAPPED", ov.InternalLow, ERROR_IO_PENDING);
  expect("  no answer yet", r.dwButtonPressed, 99);
  next(first, 0, 1, XN_SYS_UI, 1, "first listener: the box opened");
  expect("  the event is not set yet", (uint32_t)poll(ov.hEvent), STATUS_TIMEOUT);
  expect("wait for the answer", (uint32_t)NtWaitForSingleObjectEx(ov.hEvent, UserMode, FALSE, NULL), STATUS_SUCCESS);
  KeQuerySystemTime(&after);
  uint32_t waited = (uint32_t)(after.QuadPart - before.QuadPart);
  expect("  answered 100 ms later (in 100 ns units, within 1 ms)", waited >= 1000000 && waited < 1010000, 1);
  expect("  answer", r.dwButtonPressed, 0);
  expect("  XOVERLAPPED result", ov.InternalLow, ERROR_SUCCESS);
  expect("  XOVERLAPPED extended error", ov.dwExtendedError, 0);
  next(first, 0, 1, XN_SYS_UI, 0, "first listener: the box closed");
  /* Bad values. */
  expect("no buttons", XamShowMessageBoxUI(0, kTitle, kText, 0, kButtons, 0, 0, &r, NULL), ERROR_INVALID_PARAMETER);
  expect("four buttons", XamShowMessageBoxUI(0, kTitle, kText, 4, kButtons, 0, 0, &r, NULL), ERROR_INVALID_PARAMETER);
  expect("active button past the last", XamShowMessageBoxUI(0, kTitle, kText, 2, kButtons, 2, 0, &r, NULL),
         ERROR_INVALID_PARAMETER);
  expect("no result pointer", XamShowMessageBoxUI(0, kTitle, kText, 2, kButtons, 0, 0, NULL, NULL),
         ERROR_INVALID_PARAMETER);
  expect("unread strings may be anything", XamShowMessageBoxUI(0, (void*)BAD, (void*)BAD, 1, (void*)BAD, 0, 0, &r, NULL),
         ERROR_SUCCESS);
  next(first, 0, 1, XN_SYS_UI, 1, "the last box opened");
  next(first, 0, 1, XN_SYS_UI, 0, "and closed");
  NtClose(ov.hEvent);
}

static void input_and_enumeration(void) {
  XINPUT_STATE s;
  XINPUT_CAPABILITIES c;
  memset(&s, 0xEE, sizeof s);
  expect("XamInputGetState, no controller", XamInputGetState(0, 0, &s), ERROR_DEVICE_NOT_CONNECTED);
  expect("  state zeroed", s.dwPacketNumber | s.Gamepad.wButtons, 0);
  expect("XamInputGetState NULL state", XamInputGetState(0, 0, NULL), ERROR_DEVICE_NOT_CONNECTED);
  expect("XamInputGetState user 4", XamInputGetState(4, XINPUT_FLAG_GAMEPAD, &s), ERROR_DEVICE_NOT_CONNECTED);
  memset(&c, 0xEE, sizeof c);
  expect("XamInputGetCapabilities, no controller", XamInputGetCapabilities(0, 0, &c), ERROR_DEVICE_NOT_CONNECTED);
  expect("  caps zeroed", c.Type | c.SubType | c.Gamepad.wButtons, 0);
  expect("XamInputGetCapabilities NULL", XamInputGetCapabilities(0, 0, NULL), ERROR_BAD_ARGUMENTS);
  DWORD items = 7;
  char buffer[16];
  expect("XamEnumerate", XamEnumerate(0x1234, 0, buffer, sizeof buffer, &items, NULL), ERROR_INVALID_HANDLE);
  expect("  nothing written (*items untouched)", items, 7);
  XOVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  NtCreateEvent(&ov.hEvent, NULL, NotificationEvent, FALSE);
  expect("XamEnumerate of a listener, overlapped", XamEnumerate(first, 0, buffer, sizeof buffer, NULL, &ov),
         ERROR_INVALID_HANDLE);
  expect("  the XOVERLAPPED untouched", ov.InternalLow | ov.dwExtendedError, 0);
  expect("  its event not set", (uint32_t)poll(ov.hEvent), STATUS_TIMEOUT);
}

static void many_listeners(void) {
  HANDLE h[200];
  uint32_t distinct = 1;
  for (uint32_t i = 0; i < 200; ++i) {
    h[i] = XNotifyCreateListener(XNOTIFY_SYSTEM);
    if (!h[i] || (i && h[i] == h[i - 1])) distinct = 0;
  }
  expect("200 more listeners, each its own handle", distinct, 1);
  uint32_t closed = 0;
  for (uint32_t i = 0; i < 200; ++i) closed += NtClose(h[i]) == STATUS_SUCCESS;
  expect("all closed", closed, 200);
}

int main(void) {
  settings();
  user();
  notifications();
  message_boxes();
  input_and_enumeration();
  many_listeners();
  for (uint32_t i = 0; i < CASES; ++i) {
    HANDLE h;
    DWORD tid = 0;
    returned = 0;
    ExCreateThread(&h, 0, &tid, NULL, run_case, (void*)i, 0);
    DbgPrint("xam: case %s: tid %u faults %s at %x\n", kCases[i].name, tid, kCases[i].access, kCases[i].address);
    LARGE_INTEGER t;
    t.QuadPart = HX_RELATIVE_MS(1);
    expect("its join returns (a faulted thread is signaled, as an exited one)", (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, &t), STATUS_WAIT_0);
    expect("the call never returned", returned, 0);
    NtClose(h);
  }
  next(first, 0, 0, 0, 0, "the faulting message boxes broadcast nothing");
  DbgPrint("xam: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  XamLoaderTerminateTitle();
  DbgPrint("xam: XamLoaderTerminateTitle returned\n");
  return 99;
}
