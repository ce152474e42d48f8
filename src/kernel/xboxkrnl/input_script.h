// A scripted controller for XamInputGetState: controller states keyed by guest frame or guest
// time, read from `hexad run --input FILE` (format: docs/input.md). The script is parsed once
// into a canonical JSON text, which run.json records (in "args", as --input-data TEXT), so
// `hexad replay` rebuilds the same controllers without the file.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hexad::kernel {

constexpr uint32_t kMaxControllers = 4;  // XUSER_MAX_COUNT
// A "frame" key is a 60 Hz frame of guest time: frame N starts at guest time N * 1e9 / 60 ns.
constexpr uint64_t kInputFramesPerSecond = 60;

// XINPUT_GAMEPAD (xenia src/xenia/hid/input.h: X_INPUT_GAMEPAD, 12 bytes big-endian).
struct GamepadState {
  uint16_t buttons = 0;
  uint8_t left_trigger = 0, right_trigger = 0;
  int16_t thumb_lx = 0, thumb_ly = 0, thumb_rx = 0, thumb_ry = 0;
};

struct InputEvent {
  uint64_t at_ns = 0;  // guest time it takes effect
  uint32_t user = 0;   // 0..3
  bool connected = true;
  GamepadState pad;    // all zero when disconnected
};

// What XamInputGetState sees for one user at one moment.
struct ControllerView {
  bool connected = false;
  uint32_t packet = 0;  // how many of this user's events have taken effect (XINPUT_STATE.dwPacketNumber)
  GamepadState pad;
};

class InputScript {
 public:
  // Throws hexad::Error naming `source` and the bad entry.
  static InputScript parse(const std::string& text, const std::string& source);

  bool empty() const { return events_.empty(); }
  size_t size() const { return events_.size(); }
  // The canonical text: compact JSON, keys in a fixed order, every event keyed by time_ns.
  const std::string& canonical() const { return canonical_; }
  // User `user`'s controller at guest time `now_ns` (disconnected before its first event).
  ControllerView at(uint32_t user, uint64_t now_ns) const;

 private:
  std::vector<InputEvent> events_;  // in time order (ties: file order)
  std::string canonical_;
};

}  // namespace hexad::kernel
