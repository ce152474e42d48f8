#include "app/studio/engine_worker.h"

#include <algorithm>
#include <fstream>
#include <utility>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "base/sha256.h"
#include "kernel/xboxkrnl/kernel.h"
#include "trace/jsonl.h"

namespace hexad::app::studio {

const char* state_name(Snapshot::State s) {
  switch (s) {
    case Snapshot::State::Starting: return "starting";
    case Snapshot::State::Running: return "running";
    case Snapshot::State::Paused: return "paused";
    case Snapshot::State::Finished: return "finished";
  }
  return "?";
}

// Sees every event (after the trace file) and every slice, into two rings allocated once: the
// engine's side allocates nothing per event once each ring line has grown to its longest.
class EngineWorker::Observer final : public trace::EventSink, public cpu::sched::SliceObserver {
 public:
  Observer() : lines_(kMaxEvents), slices_(kMaxSlices) {}

  void write(const trace::Stamp& stamp, const trace::Event& event) override {
    buffer_.clear();
    trace::append_jsonl(buffer_, stamp, event);
    std::lock_guard lock(mutex_);
    std::string& line = lines_[events_ % kMaxEvents];
    line.assign(buffer_.data(), buffer_.size() - 1);  // without the '\n'
    ++events_;
    if (!break_text_.empty() && line.find("\"kind\":\"debug.print\"") != std::string::npos &&
        line.find(break_text_) != std::string::npos)
      break_hit_ = true;
  }
  bool wants_host_ns() const override { return false; }

  void on_slice(uint32_t slot, uint32_t tid, uint64_t start, uint64_t end, const cpu::sched::PickInfo& why) override {
    std::lock_guard lock(mutex_);
    slices_[slice_count_ % kMaxSlices] = {slot, tid, start, end, true, why};
    ++slice_count_;
  }

  uint64_t events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

  void set_break(const std::string& text) {
    std::lock_guard lock(mutex_);
    break_text_ = text;
    break_hit_ = false;
  }
  bool take_break() {
    std::lock_guard lock(mutex_);
    return std::exchange(break_hit_, false);
  }

  template <typename T>
  static uint64_t copy_ring(const std::vector<T>& ring, uint64_t count, std::vector<T>& out, uint64_t since) {
    const uint64_t first = std::max(since, count > ring.size() ? count - ring.size() : 0);
    for (uint64_t i = first; i < count; ++i) out.push_back(ring[i % ring.size()]);
    return count;
  }
  uint64_t copy_slices(std::vector<SliceRecord>& out, uint64_t since) const {
    std::lock_guard lock(mutex_);
    return copy_ring(slices_, slice_count_, out, since);
  }
  uint64_t copy_events(std::vector<std::string>& out, uint64_t since) const {
    std::lock_guard lock(mutex_);
    return copy_ring(lines_, events_, out, since);
  }

 private:
  mutable std::mutex mutex_;
  fmt::memory_buffer buffer_;  // the engine's thread only
  std::vector<std::string> lines_;
  uint64_t events_ = 0;
  std::vector<SliceRecord> slices_;
  uint64_t slice_count_ = 0;
  std::string break_text_;
  bool break_hit_ = false;
};

EngineWorker::EngineWorker() = default;
EngineWorker::~EngineWorker() { stop(); }

void EngineWorker::start(const RunOptions& opt, std::string image_bytes, bool start_paused) {
  stop();
  done_ = false;
  observer_ = std::make_unique<Observer>();
  {
    std::lock_guard lock(control_mutex_);
    mode_ = start_paused ? Mode::Pause : Mode::Run;
  }
  {
    std::lock_guard lock(snapshot_mutex_);
    snapshot_ = std::make_shared<Snapshot>();
    output_dir_.clear();
  }
  started_ = last_publish_ = std::chrono::steady_clock::now();
  published_ = 0;
  frame_.reset();
  thread_ = std::thread([this, opt, bytes = std::move(image_bytes)]() mutable { run_thread(std::move(opt), std::move(bytes)); });
}

void EngineWorker::run_thread(RunOptions opt, std::string bytes) {
  XexRunHooks hooks;
  hooks.observer = observer_.get();
  hooks.slice_observer = observer_.get();
  hooks.echo_guest_output = false;
  hooks.at_safe_point = [this](kernel::Kernel& k) { return at_safe_point(k); };
  hooks.finish_run_json = [this](kernel::Json& run_json) { finish_input(run_json); };
  hooks.at_end = [this](kernel::Kernel& k) { copy_frame(k); };
  input_events_ = kernel::Json::array();
  input_posted_ = 0;
  if (!opt.input_script.empty()) input_events_ = kernel::Json::parse(opt.input_script)["events"];
  auto finished = std::make_shared<Snapshot>();
  finished->state = Snapshot::State::Finished;
  try {
    XexRunResult r = run_xex(opt, bytes, hooks);
    // The final dump is the run's own exit-thread-state.json.
    finished->exit_status = r.status;
    finished->stop_reason = cpu::sched::run_stop_name(r.stop);
    finished->events = r.events;
    std::ifstream in(r.dir + "/exit-thread-state.json");
    if (in) finished->dump = kernel::Json::parse(in, nullptr, false);
    if (finished->dump.is_object() && finished->dump.contains("run")) {
      const kernel::Json& run = finished->dump["run"];
      finished->instructions = run.value("instructions", uint64_t(0));
      finished->rounds = run.value("rounds", uint64_t(0));
    }
    std::lock_guard lock(snapshot_mutex_);
    output_dir_ = r.dir;
  } catch (const Error& e) {
    finished->error = e.what();
    finished->exit_status = 2;
  }
  std::shared_ptr<const Snapshot> last = snapshot();
  finished->guest_cycle = last->guest_cycle;
  finished->frame = frame_;
  finished->sequence = ++published_;
  finished->host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  {
    std::lock_guard lock(snapshot_mutex_);
    snapshot_ = finished;
  }
  done_ = true;
}

// The frame: copied only when the guest presented a new one since the last copy.
void EngineWorker::copy_frame(kernel::Kernel& k) {
  if (const gpu::Frame* f = k.gpu().last_frame(); f && (!frame_ || frame_->number != f->number))
    frame_ = std::make_shared<const ScreenFrame>(*f);
}

void EngineWorker::publish(kernel::Kernel& k, Snapshot::State state) {
  auto s = std::make_shared<Snapshot>();
  s->state = state;
  s->sequence = ++published_;
  kernel::RunSummary summary;
  summary.image = "";
  summary.stop = cpu::sched::RunStop::None;
  summary.snapshot = true;
  s->dump = kernel::build_exit_state(k, summary);
  s->instructions = k.sched().instructions();
  s->rounds = k.sched().round();
  s->guest_cycle = k.sched().guest_cycle();
  s->events = observer_->events();
  copy_frame(k);
  s->frame = frame_;
  s->host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(s);
}

void EngineWorker::apply_input(kernel::Kernel& k) {
  if (posted_input_.empty()) return;
  // Later than any call the title made before this safe point: those read the script as it was.
  const uint64_t at_ns = kernel::Kernel::cycles_to_ns(k.now_cycle()) + 1;
  for (const kernel::InputEvent& e : posted_input_) {
    kernel::Json event{{"time_ns", at_ns}, {"user", e.user}, {"connected", true}, {"buttons", e.pad.buttons},
                       {"left_trigger", e.pad.left_trigger}, {"right_trigger", e.pad.right_trigger},
                       {"thumb_lx", e.pad.thumb_lx}, {"thumb_ly", e.pad.thumb_ly}, {"thumb_rx", e.pad.thumb_rx},
                       {"thumb_ry", e.pad.thumb_ry}};
    // After every event of the run's own script up to this moment (scripts are in time order).
    auto it = input_events_.begin();
    while (it != input_events_.end() && (*it).value("time_ns", uint64_t(0)) <= at_ns) ++it;
    input_events_.insert(it, std::move(event));
    ++input_posted_;
  }
  posted_input_.clear();
  const kernel::Json script{{"schema", "hexad.input/1"}, {"events", input_events_}};
  k.xam().configure_input(kernel::InputScript::parse(script.dump(), "hexad studio input"));
}

void EngineWorker::finish_input(kernel::Json& run_json) {
  std::string path;
  {
    std::lock_guard lock(control_mutex_);
    path = record_path_;
  }
  if (!input_posted_ && path.empty()) return;
  const std::string text =
      kernel::InputScript::parse(kernel::Json{{"schema", "hexad.input/1"}, {"events", input_events_}}.dump(),
                                 "hexad studio input")
          .canonical();
  kernel::Json input = run_json.value("input", kernel::Json::object());
  input["events"] = input_events_.size();
  input["studio_events"] = input_posted_;
  if (input_posted_) {
    // hexad replay parses args again: the script it gets is the one the title read.
    kernel::Json& args = run_json["args"];
    auto at = std::find(args.begin(), args.end(), kernel::Json("--input-data"));
    if (at != args.end() && at + 1 != args.end()) *(at + 1) = text;
    else args.insert(args.end(), {"--input-data", text});
  }
  if (!path.empty()) {
    std::ofstream out(path, std::ios::trunc);
    out << text << '\n';
    if (out.flush()) {
      input["recorded"] = path;
      input["recorded_sha256"] = sha256_hex(text + '\n');
    } else {
      input["recorded_error"] = fmt::format("cannot write '{}'", path);
    }
  }
  run_json["input"] = input;
}

void EngineWorker::post_input(uint32_t user, const kernel::GamepadState& pad) {
  std::lock_guard lock(control_mutex_);
  posted_input_.push_back({0, user, true, pad});
}

void EngineWorker::record_input(const std::string& path) {
  std::lock_guard lock(control_mutex_);
  record_path_ = path;
}

void EngineWorker::break_on_print(const std::string& text) {
  if (observer_) observer_->set_break(text);
}

bool EngineWorker::at_safe_point(kernel::Kernel& k) {
  std::unique_lock lock(control_mutex_);
  apply_input(k);
  if (observer_->take_break() && mode_ == Mode::Run) mode_ = Mode::Pause;
  // A step reached: pause here.
  if (mode_ == Mode::StepRound && k.sched().round() >= target_round_) mode_ = Mode::Pause;
  if (mode_ == Mode::StepEvent && observer_->events() >= target_events_) mode_ = Mode::Pause;
  if (mode_ == Mode::Pause) {
    lock.unlock();
    publish(k, Snapshot::State::Paused);
    lock.lock();
    control_cv_.wait(lock, [&] { return mode_ != Mode::Pause; });
    apply_input(k);
    if (mode_ == Mode::StepRound) target_round_ = k.sched().round() + 1;
    if (mode_ == Mode::StepEvent) target_events_ = observer_->events() + 1;
  }
  if (mode_ == Mode::Quit) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_publish_ >= kPublishInterval) {
    last_publish_ = now;
    lock.unlock();
    publish(k, Snapshot::State::Running);
  }
  return true;
}

void EngineWorker::pause() {
  std::lock_guard lock(control_mutex_);
  if (mode_ != Mode::Quit) mode_ = Mode::Pause;
}

void EngineWorker::resume() {
  {
    std::lock_guard lock(control_mutex_);
    if (mode_ != Mode::Quit) mode_ = Mode::Run;
  }
  control_cv_.notify_all();
}

void EngineWorker::step_round() {
  {
    std::lock_guard lock(control_mutex_);
    if (mode_ != Mode::Pause) return;  // a step starts from a pause
    mode_ = Mode::StepRound;
  }
  control_cv_.notify_all();
}

void EngineWorker::step_event() {
  {
    std::lock_guard lock(control_mutex_);
    if (mode_ != Mode::Pause) return;
    mode_ = Mode::StepEvent;
  }
  control_cv_.notify_all();
}

void EngineWorker::stop() {
  {
    std::lock_guard lock(control_mutex_);
    mode_ = Mode::Quit;
  }
  control_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const Snapshot> EngineWorker::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

uint64_t EngineWorker::copy_slices(std::vector<SliceRecord>& out, uint64_t since) const {
  return observer_ ? observer_->copy_slices(out, since) : since;
}

uint64_t EngineWorker::copy_events(std::vector<std::string>& out, uint64_t since) const {
  return observer_ ? observer_->copy_events(out, since) : since;
}

std::string EngineWorker::output_dir() const {
  std::lock_guard lock(snapshot_mutex_);
  return output_dir_;
}

}  // namespace hexad::app::studio
