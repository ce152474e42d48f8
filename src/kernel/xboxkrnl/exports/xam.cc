// XAM basics a title's boot queries: system and console settings, the signed-in user,
// notifications, the execution id, the loader, controllers and message boxes (enumeration:
// xam_enum.cc).
// Semantics and constants from xenia's sources (src/xenia/kernel/xam/xam_info.cc, xam_user.cc,
// xam_notify.cc, xam_input.cc, xam_ui.cc, xam_video.cc; xboxkrnl_video.cc; kernel_state.cc);
// what hexad chose where the console's behaviour is not known is said so (docs/xam.md).
#include <algorithm>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

// XAM returns Win32 errors (DWORD) and, for the user queries, HRESULTs.
enum : uint32_t {
  kErrorSuccess = 0,
  kErrorInvalidParameter = 0x057,
  kErrorBadArguments = 0x0A0,
  kErrorIoPending = 0x3E5,
  kErrorDeviceNotConnected = 0x48F,
  kHresultInvalidArg = 0x80070057,  // X_E_INVALIDARG
  kHresultNoSuchUser = 0x80070525,  // X_E_NO_SUCH_USER
  kStatusNotFound = 0xC0000225,     // X_STATUS_NOT_FOUND
};

constexpr uint32_t kInputFlagGamepad = 0x1;          // XINPUT_FLAG_GAMEPAD
constexpr uint32_t kInputFlagAnyUser = 1u << 30;     // XINPUT_FLAG_ANYUSER
constexpr uint32_t kUserIndexAny = 0xFF;             // XUSER_INDEX_ANY
constexpr uint32_t kMaxMessageBoxButtons = 3;        // XMB_MAXBUTTONS
constexpr uint32_t kMaxLaunchPath = 260;             // MAX_PATH: a longer name is cut there

HEXAD_EXPORTS_BEGIN;

// ---- system and console settings ---------------------------------------------------------

// xenia returns 0 (a stub; its comments name 0x200A3200 and 0x20096B00 as seen values). hexad
// reports the version of the kernel it pretends to be, XboxKrnlVersion's 2.0.17559.0, in the
// XEX version encoding (major 4 bits, minor 4, build 16, qfe 8).
uint32_t XamGetSystemVersion(ExportContext&) { return 2u << 28 | 0u << 24 | 17559u << 8 | 0u; }
HEXAD_EXPORT(xam, 0x0282, XamGetSystemVersion, Implemented);

// xenia xam_info.cc: 6 (VGA); titles treat values other than 3/4/6/8 as PAL.
uint32_t XGetAVPack(ExportContext&) { return 6; }
HEXAD_EXPORT(xam, 0x03CB, XGetAVPack, Implemented);

// xenia xam_info.cc: 0xFFFF, every region.
uint32_t XGetGameRegion(ExportContext&) { return 0xFFFF; }
HEXAD_EXPORT(xam, 0x03CC, XGetGameRegion, Implemented);

// xenia xam_info.cc: X_LANGUAGE_ENGLISH (1), the NTSC-U console's language.
uint32_t XGetLanguage(ExportContext&) { return 1; }
HEXAD_EXPORT(xam, 0x03CD, XGetLanguage, Implemented);

// XGetVideoMode(XVIDEO_MODE*): xenia xam_video.cc forwards to VdQueryVideoMode
// (xboxkrnl_video.cc), which fills the 48-byte X_VIDEO_MODE: width, height, interlaced,
// widescreen, hi-def, refresh rate (float), video standard (1 NTSC), 0x4A, 0x01, 3 reserved.
// hexad's display: 1280x720 progressive, widescreen, 60 Hz. Void: a bad pointer faults.
uint32_t XGetVideoMode(ExportContext&, GuestPtr<uint32_t> mode) {
  constexpr uint32_t kSixtyHz = 0x42700000;  // 60.0f
  const uint32_t words[12] = {1280, 720, 0, 1, 1, kSixtyHz, 1, 0x4A, 0x01, 0, 0, 0};
  mode.probe(sizeof words, cpu::Access::Write);
  for (uint32_t i = 0; i < 12; ++i) mode.write(words[i], i);
  return 0;
}
HEXAD_EXPORT(xam, 0x03D1, XGetVideoMode, Implemented);

// XamGetExecutionId(XEX_EXECUTION_ID** out): a pointer to the title's execution info header
// (xenia xam_info.cc: the XEX optional header 0x00040006; X_STATUS_NOT_FOUND without one).
// The out pointer is written unconditionally, as on the console: NULL faults.
uint32_t XamGetExecutionId(ExportContext& x, GuestPtr<uint32_t> info_out) {
  info_out.probe(4, cpu::Access::Write);
  const uint32_t addr = x.k.xam().execution_id_addr();
  if (!addr) return kStatusNotFound;
  info_out.write(addr);
  return kStatusSuccess;
}
HEXAD_EXPORT(xam, 0x0280, XamGetExecutionId, Implemented);

// ---- the signed-in user (xenia xam_user.cc) ---------------------------------------------------

bool signed_in(uint32_t user) { return user == kSignedInUser; }

uint32_t XamUserGetSigninState(ExportContext&, uint32_t user) { return signed_in(user) ? kSigninStateLocal : 0; }
HEXAD_EXPORT(xam, 0x0210, XamUserGetSigninState, Implemented);

// XamUserGetXUID(user, type_mask, XUID* xuid): NULL -> X_E_INVALIDARG (nothing written); user
// 4 and up -> X_E_INVALIDARG; a signed-in user whose profile type (offline 1, online 2|4: the
// default profile is both) meets the mask -> S_OK and the XUID; otherwise X_E_NO_SUCH_USER. The
// XUID is written (0 on failure) whenever the pointer is given.
uint32_t XamUserGetXUID(ExportContext&, uint32_t user, uint32_t type_mask, GuestPtr<uint64_t> xuid_out) {
  if (!xuid_out) return kHresultInvalidArg;
  xuid_out.probe(8, cpu::Access::Write);
  uint32_t result = kHresultNoSuchUser;
  uint64_t xuid = 0;
  if (user >= kMaxControllers) {
    result = kHresultInvalidArg;
  } else if (signed_in(user) && (type_mask & 7)) {
    xuid = kDefaultXuid;
    result = kStatusSuccess;
  }
  xuid_out.write(xuid);
  return result;
}
HEXAD_EXPORT(xam, 0x020A, XamUserGetXUID, Implemented);

// XamUserGetName(user, char* buffer, length): user 4 and up -> X_E_INVALIDARG; not signed in
// -> X_E_NO_SUCH_USER; else the gamertag, cut to min(length, 16) - 1 characters and terminated.
uint32_t XamUserGetName(ExportContext&, uint32_t user, GuestPtr<uint8_t> buffer, uint32_t length) {
  if (user >= kMaxControllers) return kHresultInvalidArg;
  if (!signed_in(user)) return kHresultNoSuchUser;
  const uint32_t room = std::min<uint32_t>(length, 16);
  if (room == 0) return kStatusSuccess;
  const std::string_view name = kDefaultGamertag;
  const uint32_t chars = std::min<uint32_t>(uint32_t(name.size()), room - 1);
  buffer.probe(chars + 1, cpu::Access::Write);
  for (uint32_t i = 0; i < chars; ++i) buffer.write(uint8_t(name[i]), i);
  buffer.write(0, chars);
  return kStatusSuccess;
}
HEXAD_EXPORT(xam, 0x020E, XamUserGetName, Implemented);

// ---- notifications (xenia xam_notify.cc) ------------------------------------------------------

// XamNotifyCreateListener(ULONGLONG areas, DWORD max_version) -> the listener's handle (the
// SDK's XNotifyCreateListener calls it). The mask is a 64-bit value in one register; every
// defined area bit is in its low byte. 0 when no handle can be made.
uint32_t XamNotifyCreateListener(ExportContext& x, uint64_t mask, uint32_t max_version) {
  (void)max_version;  // which notification versions a title understands: every one here is version 1
  KernelObject* o = x.k.xam().create_listener(mask);
  return o ? o->handle : 0;
}
HEXAD_EXPORT(xam, 0x028A, XamNotifyCreateListener, Implemented);

// XNotifyGetNext(listener, match_id, DWORD* id, ULONG* param) -> TRUE when a notification was
// taken. As xenia: *param = 0 first (when given); no id pointer -> FALSE; *id = 0; a handle
// that is no listener -> FALSE; match_id 0 takes the oldest, else the oldest with that id.
uint32_t XNotifyGetNext(ExportContext& x, Handle listener, uint32_t match_id, GuestPtr<uint32_t> id_out,
                        GuestPtr<uint32_t> param_out) {
  param_out.probe_if_set();
  param_out.write_if_set(0);
  if (!id_out) return 0;
  id_out.probe(4, cpu::Access::Write);
  id_out.write(0);
  KernelObject* o = x.k.objects().by_handle(listener.value);
  if (!o || !x.k.xam().is_listener(*o)) return 0;
  std::optional<Notification> n = x.k.xam().next_notification(*o, match_id);
  if (!n) return 0;
  id_out.write(n->id);
  param_out.write_if_set(n->param);
  return 1;
}
HEXAD_EXPORT(xam, 0x028B, XNotifyGetNext, Implemented);

// ---- the loader: the title ends itself -----------------------------------------------------

void stop_title(Kernel& k, cpu::sched::GuestThread& t, LoaderExit e, cpu::sched::RunStop why) {
  e.tid = t.tid;
  e.guest_time_ns = Kernel::cycles_to_ns(k.now_cycle());
  k.xam().record_loader_exit(std::move(e));
  k.sched().stop(why);
}

// The title ends itself. First the caller calls the title-terminate notification routines
// (ExRegisterTitleTerminateNotification), in registration order and with no arguments, each once
// (the list is emptied): the console's ExTerminateTitleProcess runs them on the terminating
// thread before the title's threads are killed (xenia: KernelState::TerminateTitle, "Call
// terminate routines", Execute(thread_state, routine) with no arguments, then
// terminate_notifications_.clear()); then the run stops.
void end_title(ExportContext& x, LoaderExit e, cpu::sched::RunStop why) {
  auto& notifications = x.k.modules().terminate_notifications();
  if (notifications.empty()) {
    stop_title(x.k, x.t, std::move(e), why);
    return;
  }
  for (const TerminateNotification& n : notifications)
    x.k.deferred().call_on_return(x.t.tid, "title-terminate", n.routine, {0, 0, 0});
  notifications.clear();
  x.k.deferred().then_on_return(x.t.tid, [e = std::move(e), why](Kernel& k, cpu::sched::GuestThread& t) {
    stop_title(k, t, e, why);
  });
}

// Does not return on the console (xenia: KernelState::TerminateTitle): the run stops with
// stop reason title-terminate.
void XamLoaderTerminateTitle(ExportContext& x) { end_title(x, {"XamLoaderTerminateTitle", {}, 0, 0, 0}, cpu::sched::RunStop::TitleTerminate); }
HEXAD_EXPORT(xam, 0x01A9, XamLoaderTerminateTitle, Implemented);

// XamLoaderLaunchTitle(const char* name, DWORD flags): does not return; the run stops with stop
// reason title-launch and the dump's xam.loader names the target, resolved as xenia does: ""
// is game:\default.xex, a bare file name is in the title's folder (game:\), a path is kept,
// NULL is the dashboard (target null). hexad launches nothing. A bad name pointer faults.
void XamLoaderLaunchTitle(ExportContext& x, GuestPtr<uint8_t> name, uint32_t flags) {
  std::optional<std::string> target;
  if (name) {
    std::string raw;
    for (uint32_t i = 0; i < kMaxLaunchPath; ++i) {
      const uint8_t c = name.read(i);
      if (!c) break;
      raw.push_back(char(c));
    }
    if (raw.empty()) target = "game:\\default.xex";
    else if (raw.find_first_of("\\:/") == std::string::npos) target = "game:\\" + raw;
    else target = raw;
  }
  end_title(x, {"XamLoaderLaunchTitle", target, flags, 0, 0}, cpu::sched::RunStop::TitleLaunch);
}
HEXAD_EXPORT(xam, 0x01A4, XamLoaderLaunchTitle, Implemented);

// ---- controllers (xenia xam_input.cc; layouts src/xenia/hid/input.h) -----------------------

// The controller a query means, or nullopt when it asks for no gamepad. `any_maps`: user 0xFF
// and XINPUT_FLAG_ANYUSER mean user 0 (XamInputGetCapabilities; XamInputGetState does not map).
std::optional<ControllerView> controller(ExportContext& x, uint32_t user, uint32_t flags, bool any_maps) {
  if ((flags & 0xFF) && !(flags & kInputFlagGamepad)) return std::nullopt;
  if (any_maps && ((user & 0xFF) == kUserIndexAny || (flags & kInputFlagAnyUser))) user = 0;
  if (user >= kMaxControllers) return std::nullopt;
  ControllerView v = x.k.xam().input().at(user, Kernel::cycles_to_ns(x.k.now_cycle()));
  if (!v.connected) return std::nullopt;
  return v;
}

void write_gamepad(GuestPtr<uint8_t> p, uint32_t offset, const GamepadState& g) {
  cpu::Memory& m = p.mem();
  m.write16(p.addr() + offset, g.buttons);
  m.write8(p.addr() + offset + 2, g.left_trigger);
  m.write8(p.addr() + offset + 3, g.right_trigger);
  m.write16(p.addr() + offset + 4, uint16_t(g.thumb_lx));
  m.write16(p.addr() + offset + 6, uint16_t(g.thumb_ly));
  m.write16(p.addr() + offset + 8, uint16_t(g.thumb_rx));
  m.write16(p.addr() + offset + 10, uint16_t(g.thumb_ry));
}

void zero(GuestPtr<uint8_t> p, uint32_t size) {
  for (uint32_t i = 0; i < size; ++i) p.write(0, i);
}

// XamInputGetCapabilities(user, flags, XINPUT_CAPABILITIES* caps) (20 bytes: type, sub_type,
// flags, XINPUT_GAMEPAD with the supported buttons/ranges, vibration). NULL -> ERROR_BAD_ARGUMENTS;
// flags 0 means 3; no such controller -> ERROR_DEVICE_NOT_CONNECTED with *caps zeroed. A
// scripted controller reports a standard gamepad: type and sub type 1, buttons 0xF3FF, full
// triggers, 0xFFC0 stick resolution, full vibration (xenia's SDL and XInput drivers' values).
uint32_t XamInputGetCapabilities(ExportContext& x, uint32_t user, uint32_t flags, GuestPtr<uint8_t> caps) {
  constexpr uint32_t kCapsSize = 20;
  if (!caps) return kErrorBadArguments;
  caps.probe(kCapsSize, cpu::Access::Write);
  zero(caps, kCapsSize);
  if (!controller(x, user, flags ? flags : 3, true)) return kErrorDeviceNotConnected;
  caps.write(1, 0);  // XINPUT_DEVTYPE_GAMEPAD
  caps.write(1, 1);  // XINPUT_DEVSUBTYPE_GAMEPAD
  const GamepadState supported{0xF3FF, 0xFF, 0xFF, int16_t(0xFFC0), int16_t(0xFFC0), int16_t(0xFFC0), int16_t(0xFFC0)};
  write_gamepad(caps, 4, supported);
  caps.mem().write16(caps.addr() + 16, 0xFFFF);
  caps.mem().write16(caps.addr() + 18, 0xFFFF);
  return kErrorSuccess;
}
HEXAD_EXPORT(xam, 0x0190, XamInputGetCapabilities, Implemented);

// XamInputGetState(user, flags, XINPUT_STATE* state) (16 bytes: packet number, XINPUT_GAMEPAD).
// As xenia: *state zeroed first (when given); user 4 and up, 0xFF included -> not connected; a
// query for another device type -> not connected. A NULL state asks whether it is connected.
// The controller is the --input script's at the current guest time (none without one).
uint32_t XamInputGetState(ExportContext& x, uint32_t user, uint32_t flags, GuestPtr<uint8_t> state) {
  constexpr uint32_t kStateSize = 16;
  if (state) {
    state.probe(kStateSize, cpu::Access::Write);
    zero(state, kStateSize);
  }
  std::optional<ControllerView> v = controller(x, user, flags, false);
  if (!v) return kErrorDeviceNotConnected;
  if (state) {
    state.mem().write32(state.addr(), v->packet);
    write_gamepad(state, 4, v->pad);
  }
  return kErrorSuccess;
}
HEXAD_EXPORT(xam, 0x0191, XamInputGetState, Implemented);

// ---- message boxes (xenia xam_ui.cc) --------------------------------------------------------

// XamShowMessageBoxUI(user, title, text, button_count, buttons, active_button, flags,
// MESSAGEBOX_RESULT* result, XOVERLAPPED* overlapped) — the ninth argument on the stack. Nobody
// presses a button: the box answers with active_button, the focused one (xenia's headless
// path). With an XOVERLAPPED: ERROR_IO_PENDING now, XN_SYS_UI 1 to the system listeners, and
// kMessageBoxAnswerNs of guest time later the answer, XN_SYS_UI 0 and the completed XOVERLAPPED
// (its event set). Without one: answered at once (ERROR_SUCCESS). hexad's own checks: no result
// pointer, 0 or more than XMB_MAXBUTTONS buttons, or active_button past them ->
// ERROR_INVALID_PARAMETER. The title, text and button strings are not read.
uint32_t XamShowMessageBoxUI(ExportContext& x, uint32_t user, GuestPtr<void> title, GuestPtr<void> text,
                             uint32_t button_count, GuestPtr<void> buttons, uint32_t active_button, uint32_t flags,
                             GuestPtr<uint32_t> result, StackArgs stack) {
  (void)user, (void)title, (void)text, (void)buttons, (void)flags;
  GuestPtr<uint8_t> overlapped(x.mem(), stack.word(0));
  if (!result || button_count == 0 || button_count > kMaxMessageBoxButtons || active_button >= button_count)
    return kErrorInvalidParameter;
  result.probe(4, cpu::Access::Write);
  if (overlapped) overlapped.probe(kOverlappedSize, cpu::Access::Write);
  x.k.xam().broadcast_system({kXnSysUi, 1}, x.t, x.name);
  if (!overlapped) {
    result.write(active_button);
    x.k.xam().broadcast_system({kXnSysUi, 0}, x.t, x.name);
    return kErrorSuccess;
  }
  x.mem().write32(overlapped.addr(), kErrorIoPending);  // XOVERLAPPED.InternalLow while pending
  x.k.xam().schedule_answer({x.t.tid, active_button, result.addr(), overlapped.addr(), 0, 0, false});
  return kErrorIoPending;
}
HEXAD_EXPORT(xam, 0x02CA, XamShowMessageBoxUI, Implemented);

// XamShowSigninUI(users_needed, flags): users_needed other than 1, 2 or 4 ->
// ERROR_INVALID_PARAMETER (xenia-canary). Nobody is at the console to pick a profile: the one
// profile is signed in already, so the UI shows and closes at once, as xenia's headless path and
// its older XamShowSigninUI do: XN_SYS_UI 1, XN_SYS_SIGNINCHANGED (user 0's bit), XN_SYS_UI 0 to
// every open system listener; ERROR_SUCCESS.
uint32_t XamShowSigninUI(ExportContext& x, uint32_t users_needed, uint32_t flags) {
  (void)flags;  // which kinds of profile the title accepts: the signed-in one is every kind
  if (users_needed != 1 && users_needed != 2 && users_needed != 4) return kErrorInvalidParameter;
  for (Notification n : {Notification{kXnSysUi, 1}, Notification{kXnSysSigninChanged, 1u << kSignedInUser},
                         Notification{kXnSysUi, 0}})
    x.k.xam().broadcast_system(n, x.t, x.name);
  return kErrorSuccess;
}
HEXAD_EXPORT(xam, 0x02BC, XamShowSigninUI, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> xam_exports() { return kAreaExports; }

}  // namespace hexad::kernel
