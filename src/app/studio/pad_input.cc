#include "app/studio/pad_input.h"

#include <algorithm>

#include "base/hexad_error.h"

namespace hexad::app::studio {
namespace {

// XINPUT_GAMEPAD_* (xenia src/xenia/hid/input.h: X_INPUT_GAMEPAD_BUTTON).
struct Control {
  const char* name;
  uint16_t button;  // 0: a trigger
};
constexpr Control kControls[] = {
    {"UP", 0x0001},   {"DOWN", 0x0002}, {"LEFT", 0x0004}, {"RIGHT", 0x0008}, {"START", 0x0010}, {"BACK", 0x0020},
    {"LS", 0x0040},   {"RS", 0x0080},   {"LB", 0x0100},   {"RB", 0x0200},    {"A", 0x1000},     {"B", 0x2000},
    {"X", 0x4000},    {"Y", 0x8000},    {"LT", 0},        {"RT", 0},
};

const Control* find(const std::string& name) {
  for (const Control& c : kControls)
    if (name == c.name) return &c;
  return nullptr;
}

}  // namespace

bool is_pad_control(const std::string& name) { return find(name) != nullptr; }

const char* pad_control_names() { return "A B X Y START BACK UP DOWN LEFT RIGHT LB RB LS RS LT RT"; }

std::optional<kernel::GamepadState> PadInput::set(const std::string& name, bool down) {
  const Control* c = find(name);
  if (!c) fail("'{}' is not a controller button (one of {})", name, pad_control_names());
  kernel::GamepadState next = pad_;
  if (c->button) next.buttons = uint16_t(down ? next.buttons | c->button : next.buttons & ~c->button);
  else (name == "LT" ? next.left_trigger : next.right_trigger) = down ? 255 : 0;
  if (next.buttons == pad_.buttons && next.left_trigger == pad_.left_trigger && next.right_trigger == pad_.right_trigger)
    return std::nullopt;
  pad_ = next;
  return pad_;
}

std::optional<kernel::GamepadState> PadInput::set_axis(const std::string& name, int32_t value) {
  kernel::GamepadState next = pad_;
  const int16_t stick = int16_t(std::clamp(value, -32768, 32767));
  const uint8_t trigger = uint8_t(std::clamp(value, 0, 255));
  if (name == "LX") next.thumb_lx = stick;
  else if (name == "LY") next.thumb_ly = stick;
  else if (name == "RX") next.thumb_rx = stick;
  else if (name == "RY") next.thumb_ry = stick;
  else if (name == "LT") next.left_trigger = trigger;
  else if (name == "RT") next.right_trigger = trigger;
  else fail("'{}' is not a controller axis (LX LY RX RY LT RT)", name);
  if (std::memcmp(&next, &pad_, sizeof next) == 0) return std::nullopt;
  pad_ = next;
  return pad_;
}

}  // namespace hexad::app::studio
