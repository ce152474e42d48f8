// The studio's controller 0: the buttons and triggers the keyboard, a gamepad or --script
// (press NAME / release NAME) hold, by XInput name. Each change is one whole state that the
// engine applies as a scripted-input event (EngineWorker::post_input).
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "kernel/xboxkrnl/input_script.h"

namespace hexad::app::studio {

// The names press/release accept: A B X Y START BACK UP DOWN LEFT RIGHT LB RB LS RS (buttons,
// XINPUT_GAMEPAD_* bits) and LT RT (a trigger pulled all the way, 255).
bool is_pad_control(const std::string& name);
const char* pad_control_names();

class PadInput {
 public:
  // The new state when `name` changes it, nullopt when it already was so (a key repeat, a second
  // press). Throws hexad::Error for a name that is no control.
  std::optional<kernel::GamepadState> set(const std::string& name, bool down);
  // A gamepad's stick axis (LX LY RX RY, -32768..32767; SDL's y grows downwards, XInput's up:
  // the caller flips it) or trigger (LT RT, 0..255).
  std::optional<kernel::GamepadState> set_axis(const std::string& name, int32_t value);
  const kernel::GamepadState& state() const { return pad_; }

 private:
  kernel::GamepadState pad_;
};

}  // namespace hexad::app::studio
