/* input_echo: prints controller 0 each time its state changes (hexad studio's input recorder,
 * tests/guest/check_studio.py). It polls XamInputGetState every millisecond of guest time and
 * ends once it has seen the A button pressed and then released (exit 0), or after 2000 polls
 * without that (exit 1). A run's output is a function of its input script alone, so a studio run
 * with pressed keys and `hexad run --input RECORDED` print the same lines. */
#define TITLE "input_echo"
#include "title_util.h"

int main(void) {
  DWORD last_packet = 0xFFFFFFFF, last_ret = 0xFFFFFFFF;
  int pressed = 0;
  DbgPrint("input_echo: polling controller 0\n");
  for (int poll = 0; poll < 2000; ++poll) {
    XINPUT_STATE s;
    const DWORD ret = XamInputGetState(0, XINPUT_FLAG_GAMEPAD, &s);
    if (ret != last_ret || (ret == ERROR_SUCCESS && s.dwPacketNumber != last_packet)) {
      DbgPrint("input_echo: poll %d ret %u packet %u buttons 0x%04x lt %u rt %u\n", poll, ret,
               ret == ERROR_SUCCESS ? s.dwPacketNumber : 0, ret == ERROR_SUCCESS ? s.Gamepad.wButtons : 0,
               ret == ERROR_SUCCESS ? s.Gamepad.bLeftTrigger : 0, ret == ERROR_SUCCESS ? s.Gamepad.bRightTrigger : 0);
      last_ret = ret;
      last_packet = s.dwPacketNumber;
      if (ret == ERROR_SUCCESS && (s.Gamepad.wButtons & XINPUT_GAMEPAD_A)) pressed = 1;
      if (ret == ERROR_SUCCESS && pressed && !(s.Gamepad.wButtons & XINPUT_GAMEPAD_A)) {
        DbgPrint("input_echo: A pressed and released by poll %d\n", poll);
        return 0;
      }
    }
    sleep_ms(1);
  }
  DbgPrint("input_echo: no press and release of A in 2000 polls\n");
  return 1;
}
