/* xam_input: a scripted controller (run with --input xam_input.json, docs/xam.md). The script:
 *   frame 0 (0 ms)   user 0 plugged in, neutral            -> packet 1
 *   frame 6 (100 ms) user 0: A, right trigger 255, left stick -32768 x, 0x7FFF y -> packet 2
 *   200 ms           user 1 plugged in holding START        -> its packet 1
 *   frame 18 (300 ms) user 0 unplugged
 * The title samples at about 1, 150, 250 and 350 ms of guest time. Run without the script,
 * every controller is disconnected, which the check also covers (xam.c). */
#define TITLE "xam_input"
#include "title_util.h"
#include "hx/libc.h"

static void state(DWORD user, DWORD want_ret, DWORD packet, uint32_t buttons, uint32_t rt, int32_t lx, int32_t ly,
                  const char* when) {
  XINPUT_STATE s;
  memset(&s, 0xEE, sizeof s);
  DbgPrint("xam_input: -- user %u at %s\n", user, when);
  expect("XamInputGetState", XamInputGetState(user, XINPUT_FLAG_GAMEPAD, &s), want_ret);
  expect("  packet", s.dwPacketNumber, packet);
  expect("  buttons", s.Gamepad.wButtons, buttons);
  expect("  right trigger", s.Gamepad.bRightTrigger, rt);
  expect("  left trigger", s.Gamepad.bLeftTrigger, 0);
  expect("  left stick x", (uint32_t)(int32_t)s.Gamepad.sThumbLX, (uint32_t)lx);
  expect("  left stick y", (uint32_t)(int32_t)s.Gamepad.sThumbLY, (uint32_t)ly);
}

static void caps(DWORD user, DWORD flags, DWORD want_ret) {
  XINPUT_CAPABILITIES c;
  memset(&c, 0xEE, sizeof c);
  DbgPrint("xam_input: -- capabilities of user %u flags %x\n", user, flags);
  expect("XamInputGetCapabilities", XamInputGetCapabilities(user, flags, &c), want_ret);
  if (want_ret != ERROR_SUCCESS) {
    expect("  zeroed", c.Type | c.SubType | c.Gamepad.wButtons | c.wLeftMotorSpeed, 0);
    return;
  }
  expect("  type gamepad", c.Type, 1);
  expect("  sub type gamepad", c.SubType, 1);
  expect("  flags", c.Flags, 0);
  expect("  buttons", c.Gamepad.wButtons, 0xF3FF);
  expect("  triggers", c.Gamepad.bLeftTrigger + c.Gamepad.bRightTrigger, 510);
  expect("  stick resolution", (uint16_t)c.Gamepad.sThumbLX, 0xFFC0);
  expect("  vibration", c.wLeftMotorSpeed + c.wRightMotorSpeed, 0x1FFFE);
}

int main(void) {
  sleep_ms(1);
  state(0, ERROR_SUCCESS, 1, 0, 0, 0, 0, "1 ms");
  state(1, ERROR_DEVICE_NOT_CONNECTED, 0, 0, 0, 0, 0, "1 ms");
  caps(0, 0, ERROR_SUCCESS);
  caps(0, 2, ERROR_DEVICE_NOT_CONNECTED); /* another device type */
  caps(XUSER_INDEX_ANY, XINPUT_FLAG_GAMEPAD, ERROR_SUCCESS); /* any user means user 0 */
  caps(1, XINPUT_FLAG_GAMEPAD | XINPUT_FLAG_ANYUSER, ERROR_SUCCESS);
  caps(1, XINPUT_FLAG_GAMEPAD, ERROR_DEVICE_NOT_CONNECTED);
  expect("XamInputGetState NULL state, connected", XamInputGetState(0, 0, NULL), ERROR_SUCCESS);
  expect("XamInputGetState user 0xFF is not mapped", XamInputGetState(XUSER_INDEX_ANY, 0, NULL),
         ERROR_DEVICE_NOT_CONNECTED);
  sleep_ms(149);
  state(0, ERROR_SUCCESS, 2, XINPUT_GAMEPAD_A, 255, -32768, 0x7FFF, "150 ms");
  state(1, ERROR_DEVICE_NOT_CONNECTED, 0, 0, 0, 0, 0, "150 ms");
  sleep_ms(100);
  state(1, ERROR_SUCCESS, 1, XINPUT_GAMEPAD_START, 0, 0, 0, "250 ms");
  state(0, ERROR_SUCCESS, 2, XINPUT_GAMEPAD_A, 255, -32768, 0x7FFF, "250 ms");
  sleep_ms(100);
  state(0, ERROR_DEVICE_NOT_CONNECTED, 0, 0, 0, 0, 0, "350 ms");
  caps(0, 0, ERROR_DEVICE_NOT_CONNECTED);
  state(1, ERROR_SUCCESS, 1, XINPUT_GAMEPAD_START, 0, 0, 0, "350 ms");
  DbgPrint("xam_input: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
