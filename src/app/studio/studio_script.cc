#include "app/studio/studio_script.h"

#include <sstream>

#include "app/studio/pad_input.h"
#include "base/hexad_error.h"

namespace hexad::app::studio {

Script parse_script(const std::string& text) {
  Script out;
  std::stringstream all(text);
  std::string item;
  size_t n = 0;
  while (std::getline(all, item, ';')) {
    ++n;
    std::stringstream words(item);
    std::string op, arg;
    words >> op;
    std::getline(words >> std::ws, arg);
    if (op.empty()) continue;
    if (op == "run") out.push_back({ScriptOp::Run, 0, {}});
    else if (op == "pause") out.push_back({ScriptOp::Pause, 0, {}});
    else if (op == "step-round") out.push_back({ScriptOp::StepRound, 0, {}});
    else if (op == "step-event") out.push_back({ScriptOp::StepEvent, 0, {}});
    else if (op == "restart") out.push_back({ScriptOp::Restart, 0, {}});
    else if (op == "wait-paused") out.push_back({ScriptOp::WaitPaused, 0, {}});
    else if (op == "wait-end") out.push_back({ScriptOp::WaitEnd, 0, {}});
    else if (op == "quit") out.push_back({ScriptOp::Quit, 0, {}});
    else if (op == "pin-slice") out.push_back({ScriptOp::PinSlice, 0, {}});
    else if (op == "open" && !arg.empty()) out.push_back({ScriptOp::Open, 0, arg});
    else if ((op == "press" || op == "release") && is_pad_control(arg))
      out.push_back({op == "press" ? ScriptOp::Press : ScriptOp::Release, 0, arg});
    else if (op == "record-input" && !arg.empty()) out.push_back({ScriptOp::RecordInput, 0, arg});
    else if (op == "break-print" && !arg.empty()) out.push_back({ScriptOp::BreakPrint, 0, arg});
    else if (op == "screenshot" && !arg.empty()) out.push_back({ScriptOp::Screenshot, 0, arg});
    else if (op == "wait-frames" && !arg.empty() && arg.find_first_not_of("0123456789") == std::string::npos)
      out.push_back({ScriptOp::WaitFrames, std::stoull(arg), {}});
    else
      fail("--script: command {} '{}' is not one of run, pause, step-round, step-event, restart, open PATH, "
           "wait-paused, wait-end, wait-frames N, press/release BUTTON ({}), record-input PATH, break-print TEXT, "
           "screenshot PATH [PANEL], pin-slice, quit", n, item, pad_control_names());
  }
  return out;
}

ScriptStep ScriptRunner::next_frame(const std::function<bool(const ScriptCommand&)>& condition_met) {
  ScriptStep step;
  while (active()) {
    const ScriptCommand& c = script_[pos_];
    if (c.op == ScriptOp::Quit) {
      step.quit = true;
      ++pos_;
      return step;
    }
    if (c.op == ScriptOp::WaitFrames) {
      if (frames_++ < c.count) return step;
      frames_ = 0;
      ++pos_;
      continue;
    }
    if (c.op == ScriptOp::WaitPaused || c.op == ScriptOp::WaitEnd) {
      if (!waiting_) {
        waiting_ = true;
        wait_started_ = std::chrono::steady_clock::now();
      }
      if (!condition_met(c)) {
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - wait_started_).count() > kScriptWaitSeconds) {
          step.timed_out = true;
          step.what = c.op == ScriptOp::WaitPaused ? "wait-paused" : "wait-end";
        }
        return step;
      }
      waiting_ = false;
      ++pos_;
      continue;
    }
    step.command = c;
    ++pos_;
    return step;
  }
  return step;
}

}  // namespace hexad::app::studio
