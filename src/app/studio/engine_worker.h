// hexad studio's engine: one `hexad run` of an XEX title (app/run_xex, the same audit run as the
// CLI's, with the same options) on a worker thread, driven by the UI through requests and read
// through published snapshots. Neither side blocks the other: the UI posts requests (atomics and
// a condition variable) and copies the latest snapshot under a short lock; the engine publishes
// at safe points (between two slot visits), at most every kPublishInterval of host time while it
// runs and at once when it pauses or ends. Host time decides only *when* a snapshot is taken,
// never anything the guest sees, so the trace is the CLI's (guest.studio proves it).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/run_options.h"
#include "app/studio/view_model.h"
#include "app/xex_run.h"
#include "gpu/gpu_state.h"
#include "kernel/xboxkrnl/exit_dump.h"
#include "kernel/xboxkrnl/input_script.h"

namespace hexad::app::studio {

// The guest's last presented frame (gpu::Frame of VdSwap), copied at a safe point when its
// number changed: the screen panel's. Shared, never changed once published.
using ScreenFrame = gpu::Frame;

// The engine at one safe point.
struct Snapshot {
  enum class State { Starting, Running, Paused, Finished };
  State state = State::Starting;
  uint64_t sequence = 0;  // 1, 2, ... in publishing order: a newer snapshot has a larger one
  kernel::Json dump;  // the exit dump of that moment (threads, wedge map, scheduler accounting)
  uint64_t instructions = 0, rounds = 0, events = 0, guest_cycle = 0;
  double host_seconds = 0;  // since the run started: for the status bar's rates only
  std::string stop_reason;  // when Finished
  int exit_status = 0;      // when Finished
  std::string error;        // the image did not load, or the run could not start
  std::shared_ptr<const ScreenFrame> frame;  // nullptr before the first swap
};
const char* state_name(Snapshot::State s);

class EngineWorker {
 public:
  static constexpr size_t kMaxSlices = 1 << 16;  // the timeline keeps the latest slices
  static constexpr size_t kMaxEvents = 1 << 14;  // the event log keeps the latest lines
  static constexpr std::chrono::milliseconds kPublishInterval{100};

  EngineWorker();
  ~EngineWorker();  // ends a run still going (stop reason interrupted) and joins
  EngineWorker(const EngineWorker&) = delete;
  EngineWorker& operator=(const EngineWorker&) = delete;

  // Starts the run; `start_paused` holds it at its first safe point. A run already going is
  // ended first.
  void start(const RunOptions& opt, std::string image_bytes, bool start_paused);
  void pause();
  void resume();
  void step_round();  // run to the start of the next round, then pause
  void step_event();  // run until the trace has a new event, then pause at the next safe point
  void stop();        // end the run where it is (interrupted) and wait for it
  bool running() const { return thread_.joinable() && !done_.load(); }

  // Input: the UI posts a controller's whole state; the engine applies it at its next safe point
  // as a scripted-input event (docs/xam.md, --input) keyed by that moment's guest time, so the
  // title reads it exactly as `hexad run --input` would from the recorded script. The script
  // (the run's own --input events and the posted ones) ends up in run.json's args as
  // --input-data, and in `path` (record_input) when the run ends.
  void post_input(uint32_t user, const kernel::GamepadState& pad);
  void record_input(const std::string& path);
  // Pauses at the first safe point after a DbgPrint whose text contains `text` (empty: never).
  void break_on_print(const std::string& text);

  std::shared_ptr<const Snapshot> snapshot() const;
  // The latest slices and event lines, oldest first; `since` keeps a reader's place (the number
  // of items it has seen): only newer ones are appended. Returns the new count.
  uint64_t copy_slices(std::vector<SliceRecord>& out, uint64_t since) const;
  uint64_t copy_events(std::vector<std::string>& out, uint64_t since) const;
  std::string output_dir() const;

 private:
  class Observer;
  enum class Mode { Run, Pause, StepRound, StepEvent, Quit };

  void run_thread(RunOptions opt, std::string bytes);
  bool at_safe_point(kernel::Kernel& k);  // false: end the run
  void publish(kernel::Kernel& k, Snapshot::State state);
  void copy_frame(kernel::Kernel& k);  // the engine's thread
  void apply_input(kernel::Kernel& k);           // the engine's thread, control_mutex_ held
  void finish_input(kernel::Json& run_json);     // the engine's thread, as the run ends

  std::thread thread_;
  std::atomic<bool> done_{false};
  std::unique_ptr<Observer> observer_;

  mutable std::mutex control_mutex_;
  std::condition_variable control_cv_;
  Mode mode_ = Mode::Run;
  uint64_t target_round_ = 0, target_events_ = 0;
  std::vector<kernel::InputEvent> posted_input_;  // control_mutex_
  std::string record_path_;                       // control_mutex_
  std::shared_ptr<const ScreenFrame> frame_;      // the engine's thread: the last frame copied
  kernel::Json input_events_;                     // the engine's thread: the script's events so far
  size_t input_posted_ = 0;                       // the engine's thread: events the UI added

  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_ = std::make_shared<Snapshot>();
  std::string output_dir_;
  uint64_t published_ = 0;  // the engine's thread only
  std::chrono::steady_clock::time_point started_{}, last_publish_{};
};

}  // namespace hexad::app::studio
