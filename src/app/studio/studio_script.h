// hexad studio's --script: what a user does with the keys, as text, for tests and demos run
// without a person (xvfb-run hexad studio IMAGE --script "..."). Commands, separated by ';':
//   run | pause | step-round | step-event | restart | open PATH   act as the menu does;
//   wait-paused       until the engine publishes a pause after the last command;
//   wait-end          until the run has finished (or nothing runs);
//   wait-frames N     N frames;
//   press NAME | release NAME   a controller button (pad_input.h) as the keyboard would;
//   record-input PATH write the run's input script (docs/xam.md) to PATH when it ends;
//   break-print TEXT  pause after the next DbgPrint containing TEXT;
//   screenshot PATH [PANEL]  save the window (or a panel) as a PNG, print what its lanes show;
//   pin-slice         pin the newest slice's hover text (why it was picked) under the lanes;
//   quit              prints one summary line ("studio: ...") and closes the window.
// A wait that takes more than kScriptWaitSeconds ends the studio with status 1.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hexad::app::studio {

enum class ScriptOp {
  Run, Pause, StepRound, StepEvent, Restart, Open, WaitPaused, WaitEnd, WaitFrames, Quit,
  Press, Release, RecordInput, BreakPrint, Screenshot, PinSlice,
};

struct ScriptCommand {
  ScriptOp op;
  uint64_t count = 0;  // wait-frames
  std::string text;    // open, press, release, record-input, break-print, screenshot
};
using Script = std::vector<ScriptCommand>;

// Throws hexad::Error naming the bad command and its position.
Script parse_script(const std::string& text);

struct ScriptStep {
  std::optional<ScriptCommand> command;  // an action to do this frame
  bool quit = false;
  bool timed_out = false;
  std::string what;  // the command that timed out
};

class ScriptRunner {
 public:
  static constexpr double kScriptWaitSeconds = 240;
  explicit ScriptRunner(Script script) : script_(std::move(script)) {}
  bool active() const { return pos_ < script_.size(); }
  size_t position() const { return pos_; }
  // One frame: advances past satisfied waits and returns at most one action.
  ScriptStep next_frame(const std::function<bool(const ScriptCommand&)>& condition_met);

 private:
  Script script_;
  size_t pos_ = 0;
  uint64_t frames_ = 0;
  std::chrono::steady_clock::time_point wait_started_{};
  bool waiting_ = false;
};

}  // namespace hexad::app::studio
