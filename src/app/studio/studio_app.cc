// `hexad studio [IMAGE | RUN_DIR] [RUN OPTIONS] [--paused] [--script CMDS]`: the desktop
// frontend (SDL2 + Dear ImGui from Debian, the SDL_Renderer backend). It launches an XEX title
// on the engine worker (engine_worker.h: the same audit run as `hexad run` with the same
// options) or opens a recorded audit run, and shows the six slots' timeline, the threads, the
// wedge map with hexad-audit explain's classification, the event log and the title's DbgPrint
// output. README "Using hexad studio" documents the panels, the keys and --script.
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/png_file.h"
#include "app/run_options.h"
#include "app/studio/engine_worker.h"
#include "app/studio/pad_input.h"
#include "app/studio/run_view.h"
#include "app/studio/studio_script.h"
#include "app/studio/timeline_view.h"
#include "app/studio/view_model.h"
#include "base/hexad_error.h"
#include "kernel/xboxkrnl/kernel.h"
#include "loader/xex/xex_loader.h"

namespace hexad::app::studio {
namespace {

namespace fs = std::filesystem;

// $XDG_CONFIG_HOME/hexad (or ~/.config/hexad): the ImGui layout and the recent-images list.
fs::path config_dir() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return fs::path(x) / "hexad";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".config" / "hexad";
  return fs::path(".hexad");
}

constexpr size_t kMaxRecent = 10;

class Studio {
 public:
  Studio(std::vector<std::string> run_args, bool start_paused, SDL_Renderer* renderer)
      : run_args_(std::move(run_args)), paused_(start_paused), renderer_(renderer) {
    std::error_code ec;
    fs::create_directories(config_dir(), ec);
    ini_path_ = (config_dir() / "studio.ini").string();
    std::ifstream in(config_dir() / "recent.txt");
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && recent_.size() < kMaxRecent) recent_.push_back(line);
    browse_dir_ = fs::current_path(ec).string();
  }

  // Opens an image (launches it) or an audit-run folder (views it). Errors go to the status bar.
  void open(const std::string& path) {
    status_message_.clear();
    try {
      if (fs::is_directory(path)) {
        worker_.stop();
        live_ = false;
        view_ = load_recorded_run(path);
        texture_frame_ = 0;  // the recorded run's frame, not the last one shown
      } else {
        launch(path);
      }
      remember(path);
    } catch (const Error& e) {
      status_message_ = e.what();
    }
  }

  void launch(const std::string& image) {
    std::vector<std::string> args{image};
    args.insert(args.end(), run_args_.begin(), run_args_.end());
    RunOptions opt = parse_run_options(args);
    opt.quiet = true;
    std::string bytes = read_file(image);
    if (!loader::looks_like_xex_family(bytes)) fail("{}: not an XEX image (hexad studio runs XEX titles)", image);
    worker_.start(opt, std::move(bytes), paused_);
    live_ = true;
    image_ = image;
    view_ = RunView{};
    view_.title = image;
    explained_ = false;
    timeline_.reset();
    texture_frame_ = 0;  // a new run's frames: the panel's texture is stale
  }

  void restart() {
    if (!image_.empty()) open(image_);
  }

  // Copies what the engine published since the last frame.
  void poll() {
    if (!live_) return;
    snap_ = worker_.snapshot();
    view_.dump = snap_->dump;
    view_.events_seen = worker_.copy_events(view_.events, view_.events_seen);
    if (view_.events.size() > EngineWorker::kMaxEvents)
      view_.events.erase(view_.events.begin(), view_.events.end() - EngineWorker::kMaxEvents);
    view_.slices_seen = worker_.copy_slices(view_.slices, view_.slices_seen);
    if (view_.slices.size() > EngineWorker::kMaxSlices)
      view_.slices.erase(view_.slices.begin(), view_.slices.end() - EngineWorker::kMaxSlices);
    if (snap_->state == Snapshot::State::Finished && !explained_) {
      explained_ = true;
      if (snap_->error.empty()) explain_run(view_, worker_.output_dir());
      else status_message_ = snap_->error;
    }
    rates_.push_back({snap_->host_seconds, snap_->instructions, snap_->rounds, snap_->events});
    while (rates_.size() > 2 && rates_.back().seconds - rates_.front().seconds > 2.0) rates_.pop_front();
  }

  // --script and the keys act through here.
  void command(const ScriptCommand& c) {
    // wait-paused waits for a pause published after the last command that moves the run.
    if (c.op == ScriptOp::Run || c.op == ScriptOp::Pause || c.op == ScriptOp::StepRound ||
        c.op == ScriptOp::StepEvent || c.op == ScriptOp::Restart || c.op == ScriptOp::Open)
      command_sequence_ = snap_ ? snap_->sequence : 0;
    switch (c.op) {
      case ScriptOp::Run: paused_ = false; worker_.resume(); break;
      case ScriptOp::Pause: paused_ = true; worker_.pause(); break;
      case ScriptOp::StepRound: worker_.step_round(); break;
      case ScriptOp::StepEvent: worker_.step_event(); break;
      case ScriptOp::Restart: restart(); break;
      case ScriptOp::Open: open(c.text); break;
      case ScriptOp::Press:
      case ScriptOp::Release: pad(c.text, c.op == ScriptOp::Press); break;
      case ScriptOp::RecordInput: record_input_ = c.text; worker_.record_input(c.text); break;
      case ScriptOp::BreakPrint: worker_.break_on_print(c.text); break;
      case ScriptOp::Screenshot: screenshot_ = c.text; break;
      case ScriptOp::PinSlice:
        if (!view_.slices.empty()) timeline_.pin(view_.slices.back());
        break;
      default: break;
    }
  }

  // Controller 0 changed (a key, a gamepad, press/release): the engine applies the new state.
  void pad(const std::string& control, bool down) {
    if (const auto state = pad_.set(control, down); state && live_) worker_.post_input(0, *state);
  }
  void pad_axis(const std::string& axis, int32_t value) {
    if (const auto state = pad_.set_axis(axis, value); state && live_) worker_.post_input(0, *state);
  }

  // The keyboard as controller 0 (README "Using hexad studio"), unless a text field has it.
  bool pad_key(const SDL_Keysym& k, bool down) {
    if (!keyboard_pad_ || ImGui::GetIO().WantTextInput || (k.mod & (KMOD_CTRL | KMOD_ALT))) return false;
    static const std::map<SDL_Keycode, const char*> kKeys = {
        {SDLK_UP, "UP"}, {SDLK_DOWN, "DOWN"}, {SDLK_LEFT, "LEFT"}, {SDLK_RIGHT, "RIGHT"}, {SDLK_RETURN, "START"},
        {SDLK_BACKSPACE, "BACK"}, {SDLK_z, "A"}, {SDLK_x, "B"}, {SDLK_a, "X"}, {SDLK_s, "Y"}, {SDLK_q, "LB"},
        {SDLK_w, "RB"}, {SDLK_1, "LT"}, {SDLK_2, "RT"}};
    const auto it = kKeys.find(k.sym);
    if (it == kKeys.end()) return false;
    pad(it->second, down);
    return true;
  }

  void gamepad_button(uint8_t button, bool down) {
    static const std::map<uint8_t, const char*> kButtons = {
        {SDL_CONTROLLER_BUTTON_A, "A"}, {SDL_CONTROLLER_BUTTON_B, "B"}, {SDL_CONTROLLER_BUTTON_X, "X"},
        {SDL_CONTROLLER_BUTTON_Y, "Y"}, {SDL_CONTROLLER_BUTTON_START, "START"}, {SDL_CONTROLLER_BUTTON_BACK, "BACK"},
        {SDL_CONTROLLER_BUTTON_DPAD_UP, "UP"}, {SDL_CONTROLLER_BUTTON_DPAD_DOWN, "DOWN"},
        {SDL_CONTROLLER_BUTTON_DPAD_LEFT, "LEFT"}, {SDL_CONTROLLER_BUTTON_DPAD_RIGHT, "RIGHT"},
        {SDL_CONTROLLER_BUTTON_LEFTSHOULDER, "LB"}, {SDL_CONTROLLER_BUTTON_RIGHTSHOULDER, "RB"},
        {SDL_CONTROLLER_BUTTON_LEFTSTICK, "LS"}, {SDL_CONTROLLER_BUTTON_RIGHTSTICK, "RS"}};
    if (const auto it = kButtons.find(button); it != kButtons.end()) pad(it->second, down);
  }

  void gamepad_axis(uint8_t axis, int16_t value) {
    switch (axis) {
      case SDL_CONTROLLER_AXIS_LEFTX: pad_axis("LX", value); break;
      case SDL_CONTROLLER_AXIS_LEFTY: pad_axis("LY", -int32_t(value) - 1); break;  // SDL's y grows down
      case SDL_CONTROLLER_AXIS_RIGHTX: pad_axis("RX", value); break;
      case SDL_CONTROLLER_AXIS_RIGHTY: pad_axis("RY", -int32_t(value) - 1); break;
      case SDL_CONTROLLER_AXIS_TRIGGERLEFT: pad_axis("LT", value / 128); break;
      case SDL_CONTROLLER_AXIS_TRIGGERRIGHT: pad_axis("RT", value / 128); break;
      default: break;
    }
  }

  // A screenshot asked for (--script screenshot PATH [PANEL]): taken from the frame just drawn.
  // PANEL (timeline, threads, screen, run, events, wedges, dbgprint) crops to that panel. It
  // prints what the timeline lanes showed (the view model they were drawn from) and the screen
  // panel's frame, for the checks of tests/guest/check_studio.py.
  void take_screenshot(SDL_Renderer* renderer) {
    if (screenshot_.empty()) return;
    std::string path = screenshot_, panel;
    screenshot_.clear();
    if (const size_t space = path.rfind(' '); space != std::string::npos) {
      panel = path.substr(space + 1);
      path.resize(space);
    }
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer, &w, &h);
    SDL_Rect rect{0, 0, w, h};
    if (!panel.empty()) {
      const auto it = panel_rects_.find(panel);
      if (it == panel_rects_.end()) {
        std::fprintf(stderr, "hexad studio: screenshot: no panel '%s'\n", panel.c_str());
        return;
      }
      rect = it->second;
      rect.w = std::min(rect.w, w - rect.x);
      rect.h = std::min(rect.h, h - rect.y);
    }
    std::vector<uint8_t> pixels(size_t(rect.w) * size_t(rect.h) * 4);
    if (SDL_RenderReadPixels(renderer, &rect, SDL_PIXELFORMAT_ABGR8888, pixels.data(), rect.w * 4) != 0) {
      std::fprintf(stderr, "hexad studio: screenshot: %s\n", SDL_GetError());
      return;
    }
    try {
      write_png(path, uint32_t(rect.w), uint32_t(rect.h), pixels.data(), size_t(rect.w) * 4);
    } catch (const Error& e) {
      std::fprintf(stderr, "hexad studio: screenshot: %s\n", e.what());
      return;
    }
    std::string lanes;
    const auto threads = lane_threads(timeline_.boxes());
    for (uint32_t l = 0; l < kLanes; ++l) lanes += fmt::format(" {}:[{}]", l, fmt::join(threads[l], ","));
    std::printf("studio: screenshot %s %dx%d lanes%s screen-frame %llu\n", path.c_str(), rect.w, rect.h,
                lanes.c_str(), (unsigned long long)screen_frame_number());
  }

  bool script_condition_met(const ScriptCommand& c) const {
    const Snapshot::State s = snap_ ? snap_->state : Snapshot::State::Starting;
    switch (c.op) {
      case ScriptOp::WaitPaused:
        if (s != Snapshot::State::Paused || snap_->sequence <= command_sequence_) return false;
        // Where the pause is, for the script's reader (tests/guest/check_studio.py).
        std::printf("studio: paused at round %llu, %llu events, %llu instructions\n", (unsigned long long)snap_->rounds,
                    (unsigned long long)snap_->events, (unsigned long long)snap_->instructions);
        return true;
      case ScriptOp::WaitEnd: return !live_ || s == Snapshot::State::Finished;
      default: return true;
    }
  }

  void draw() {
    draw_menu();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float bar = ImGui::GetFrameHeight();
    const ImVec2 origin(vp->WorkPos.x, vp->WorkPos.y);
    const ImVec2 size(vp->WorkSize.x, vp->WorkSize.y - bar);
    // The first-use layout, as fractions of the work area (x, y, width, height); afterwards the
    // user's, from studio.ini.
    struct Panel {
      const char* title;
      const char* name;  // for screenshot PATH PANEL
      float x, y, w, h;
      void (Studio::*draw)();
    };
    static constexpr Panel kPanels[] = {
        {"Six-slot timeline", "timeline", 0.0f, 0.0f, 1.0f, 0.36f, &Studio::draw_timeline},
        {"Threads", "threads", 0.0f, 0.36f, 0.45f, 0.32f, &Studio::draw_threads},
        {"Screen", "screen", 0.45f, 0.36f, 0.3f, 0.32f, &Studio::draw_screen},
        {"Run", "run", 0.75f, 0.36f, 0.25f, 0.32f, &Studio::draw_controls},
        {"Event log", "events", 0.0f, 0.68f, 0.4f, 0.32f, &Studio::draw_events},
        {"Wedges", "wedges", 0.4f, 0.68f, 0.35f, 0.32f, &Studio::draw_wedges},
        {"DbgPrint", "dbgprint", 0.75f, 0.68f, 0.25f, 0.32f, &Studio::draw_debug_output},
    };
    for (const Panel& p : kPanels) {
      ImGui::SetNextWindowPos(ImVec2(origin.x + size.x * p.x, origin.y + size.y * p.y), ImGuiCond_FirstUseEver);
      ImGui::SetNextWindowSize(ImVec2(size.x * p.w, size.y * p.h), ImGuiCond_FirstUseEver);
      if (ImGui::Begin(p.title)) (this->*p.draw)();
      const ImVec2 at = ImGui::GetWindowPos(), extent = ImGui::GetWindowSize();
      panel_rects_[p.name] = SDL_Rect{int(at.x), int(at.y), int(extent.x), int(extent.y)};
      ImGui::End();
    }
    draw_status_bar(ImVec2(origin.x, origin.y + size.y), ImVec2(size.x, bar));
    draw_open_dialog();
  }

  // The shortcuts, from SDL's key events (ImGui 1.86 names no function keys), unless a text
  // field has the keyboard.
  void key(const SDL_Keysym& k) {
    if (ImGui::GetIO().WantTextInput || pad_key(k, true)) return;
    const bool ctrl = k.mod & KMOD_CTRL;
    if (k.sym == SDLK_F5) command({ScriptOp::Run, 0, {}});
    if (k.sym == SDLK_F6) command({ScriptOp::Pause, 0, {}});
    if (k.sym == SDLK_F10) command({ScriptOp::StepRound, 0, {}});
    if (k.sym == SDLK_F11) command({ScriptOp::StepEvent, 0, {}});
    if (ctrl && k.sym == SDLK_o) open_dialog_ = true;
    if (ctrl && k.sym == SDLK_r) restart();
  }

  const std::string& ini_path() const { return ini_path_; }
  void shutdown() {
    worker_.stop();
    if (texture_) SDL_DestroyTexture(texture_);
    texture_ = nullptr;
  }
  std::string summary() const {
    size_t threads = view_.dump.contains("threads") ? view_.dump["threads"].size() : 0;
    std::string s = fmt::format("{}: {} threads, {} events, {} slices, {} wedges explained", view_.title, threads,
                                live_ ? view_.events_seen : view_.events.size(), view_.slices.size(),
                                view_.explanations.size());
    if (snap_ && live_) s += fmt::format(", {} ({})", state_name(snap_->state), snap_->stop_reason);
    return s;
  }

 private:
  void remember(const std::string& path) {
    std::error_code ec;
    const std::string abs = fs::absolute(path, ec).lexically_normal().string();
    recent_.erase(std::remove(recent_.begin(), recent_.end(), abs), recent_.end());
    recent_.insert(recent_.begin(), abs);
    if (recent_.size() > kMaxRecent) recent_.resize(kMaxRecent);
    std::ofstream out(config_dir() / "recent.txt", std::ios::trunc);
    for (const std::string& r : recent_) out << r << '\n';
  }

  void draw_menu() {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
      if (ImGui::MenuItem("Open...", "Ctrl+O")) open_dialog_ = true;
      if (ImGui::BeginMenu("Recent", !recent_.empty())) {
        for (const std::string& r : recent_)
          if (ImGui::MenuItem(r.c_str())) {
            open(r);
            break;
          }
        ImGui::EndMenu();
      }
      if (ImGui::MenuItem("Quit")) quit_requested = true;
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Run")) {
      if (ImGui::MenuItem("Run", "F5", false, live_)) command({ScriptOp::Run, 0, {}});
      if (ImGui::MenuItem("Pause", "F6", false, live_)) command({ScriptOp::Pause, 0, {}});
      if (ImGui::MenuItem("Step round", "F10", false, live_)) command({ScriptOp::StepRound, 0, {}});
      if (ImGui::MenuItem("Step to next event", "F11", false, live_)) command({ScriptOp::StepEvent, 0, {}});
      if (ImGui::MenuItem("Restart", "Ctrl+R", false, !image_.empty())) restart();
      ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
  }

  void draw_timeline() { timeline_.draw(view_, snap_ ? snap_->dump : view_.dump); }

  void draw_controls() {
    ImGui::TextWrapped("%s", view_.title.empty() ? "Open an image (File > Open, or drop it on the window)"
                                                 : view_.title.c_str());
    if (live_) {
      if (ImGui::Button("Run (F5)")) command({ScriptOp::Run, 0, {}});
      ImGui::SameLine();
      if (ImGui::Button("Pause (F6)")) command({ScriptOp::Pause, 0, {}});
      ImGui::SameLine();
      if (ImGui::Button("Step round (F10)")) command({ScriptOp::StepRound, 0, {}});
      ImGui::SameLine();
      if (ImGui::Button("Step event (F11)")) command({ScriptOp::StepEvent, 0, {}});
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Options for the next launch or restart (as `hexad run` takes them):");
    ImGui::InputText("budget", budget_, sizeof budget_);
    ImGui::InputText("quantum", quantum_, sizeof quantum_);
    ImGui::InputText("seed", seed_, sizeof seed_);
    const char* policies[] = {"aging", "strict", "fair", "console"};
    ImGui::Combo("policy", &policy_, policies, 4);
    if (ImGui::Button("Apply and restart")) {
      run_args_.clear();
      auto add = [&](const char* name, const char* value) {
        if (*value) run_args_.insert(run_args_.end(), {name, value});
      };
      add("--budget", budget_);
      add("--quantum", quantum_);
      add("--seed", seed_);
      run_args_.insert(run_args_.end(), {"--policy", policies[policy_]});
      restart();
    }
    if (!worker_.output_dir().empty()) ImGui::Text("audit run: %s", worker_.output_dir().c_str());
    ImGui::Separator();
    ImGui::Checkbox("keyboard drives controller 0", &keyboard_pad_);
    ImGui::Text("controller 0: buttons 0x%04x  LT %u  RT %u", pad_.state().buttons, pad_.state().left_trigger,
                pad_.state().right_trigger);
    if (!record_input_.empty()) ImGui::Text("recording input to %s", record_input_.c_str());
  }

  void draw_threads() {
    const std::vector<ThreadRow> rows = thread_rows(view_.dump);
    if (rows.empty()) return;
    if (!ImGui::BeginTable("threads", 10, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                              ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit |
                                              ImGuiTableFlags_Resizable))
      return;
    for (const char* h : {"tid", "state", "slot", "affinity", "prio (eff)", "last round", "instructions", "wait", "pc", "lr"})
      ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (const ThreadRow& r : rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string label = fmt::format("{}##t{}", r.tid, r.tid);
      if (ImGui::Selectable(label.c_str(), selected_tid_ == r.tid, ImGuiSelectableFlags_SpanAllColumns))
        selected_tid_ = selected_tid_ == r.tid ? 0 : r.tid;
      for (const std::string* cell : {&r.state, &r.slot, &r.affinity, &r.priority, &r.last_round, &r.instructions,
                                      &r.wait, &r.pc, &r.lr}) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(cell->c_str());
      }
    }
    ImGui::EndTable();
  }

  // Lines passing the filter: the text box (a substring: a kind, "handle":..., anything) and the
  // selected thread.
  bool passes(const std::string& line) const { return event_passes(line, selected_tid_, filter_); }

  void draw_events() {
    ImGui::InputText("filter", filter_, sizeof filter_);
    ImGui::SameLine();
    ImGui::Text("%s", selected_tid_ ? fmt::format("thread {} (click its row again to clear)", selected_tid_).c_str() : "");
    ImGui::BeginChild("lines");
    for (const std::string& line : view_.events)
      if (passes(line)) ImGui::TextUnformatted(line.c_str());
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY()) ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();
  }

  void draw_debug_output() {
    for (const std::string& line : view_.events) {
      if (line.find("\"kind\":\"debug.print\"") == std::string::npos) continue;
      const kernel::Json e = kernel::Json::parse(line, nullptr, false);
      if (e.is_object() && e.contains("text")) ImGui::TextUnformatted(e["text"].get<std::string>().c_str());
    }
  }

  // The wait-for graph (view_model.h): each blocked thread, what it waits on and who could
  // release that; threads and objects in a cycle in red, explain's class beside each object.
  void draw_wedges() {
    if (!view_.explain_error.empty()) ImGui::TextWrapped("explain: %s", view_.explain_error.c_str());
    const WedgeGraph g = build_wedge_graph(view_.dump, view_.explanations);
    const ImVec4 red(1.0f, 0.35f, 0.3f, 1.0f);
    auto text = [&](bool in_cycle, const std::string& line) {
      if (in_cycle) ImGui::PushStyleColor(ImGuiCol_Text, red);
      ImGui::TextWrapped("%s", line.c_str());
      if (in_cycle) ImGui::PopStyleColor();
    };
    for (const auto& cycle : g.cycles) text(true, fmt::format("cycle: threads {}", fmt::join(cycle, ", ")));
    for (const WedgeEdge& wait : g.edges) {
      if (wait.kind != WedgeEdge::Kind::WaitsOn) continue;
      const WedgeNode& t = g.nodes[wait.from];
      const WedgeNode& o = g.nodes[wait.to];
      std::string by;
      for (const WedgeEdge& r : g.edges)
        if (r.kind == WedgeEdge::Kind::ReleasedBy && r.from == wait.to)
          by += fmt::format("{}{}", by.empty() ? "" : ", ", g.nodes[r.to].label);
      const std::string line = fmt::format("{} waits on {}{} <- {}", t.label, o.label, o.cls.empty() ? "" : " [" + o.cls + "]",
                                           by.empty() ? "nobody could release it" : by);
      text(wait.in_cycle, line);
    }
    if (!view_.explanations.empty() && ImGui::CollapsingHeader("explain"))
      for (const Explanation& x : view_.explanations)
        ImGui::TextWrapped("%s %s: %s - %s", x.handle.c_str(), x.key.c_str(), x.cls.c_str(), x.evidence.c_str());
    if (view_.dump.contains("wedge_map") && ImGui::CollapsingHeader("raw wedge map"))
      for (const kernel::Json& w : view_.dump["wedge_map"]) ImGui::TextWrapped("%s", w.dump().c_str());
  }

  // The guest's framebuffer, scaled to the panel with its aspect kept. The texture is updated
  // only when the engine published a frame with a new number.
  void draw_screen() {
    const std::shared_ptr<const ScreenFrame> frame = live_ ? (snap_ ? snap_->frame : nullptr) : view_.frame;
    if (!frame || frame->width == 0 || frame->height == 0) {
      ImGui::TextUnformatted(live_ ? "no frame yet (the title has not called VdSwap)"
                                   : (view_.frame_note.empty() ? "no frame" : view_.frame_note.c_str()));
      return;
    }
    if (frame->number != texture_frame_ || !texture_) {
      if (!texture_ || texture_w_ != frame->width || texture_h_ != frame->height) {
        if (texture_) SDL_DestroyTexture(texture_);
        texture_ = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STREAMING,
                                     int(frame->width), int(frame->height));
        texture_w_ = frame->width;
        texture_h_ = frame->height;
      }
      if (!texture_) {
        ImGui::Text("cannot make a %ux%u texture: %s", frame->width, frame->height, SDL_GetError());
        return;
      }
      SDL_UpdateTexture(texture_, nullptr, frame->rgba.data(), int(frame->width * 4));
      texture_frame_ = frame->number;
    }
    ImGui::Text("frame %llu, %ux%u", (unsigned long long)frame->number, frame->width, frame->height);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float scale = std::max(0.01f, std::min(avail.x / float(frame->width), avail.y / float(frame->height)));
    ImGui::Image(reinterpret_cast<ImTextureID>(texture_), ImVec2(float(frame->width) * scale, float(frame->height) * scale));
  }

  uint64_t screen_frame_number() const { return texture_ ? texture_frame_ : 0; }

  void draw_status_bar(ImVec2 pos, ImVec2 size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("##status", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings |
                                          ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoFocusOnAppearing);
    std::string s = status_message_;
    if (s.empty() && snap_ && live_) {
      double mips = 0, rounds = 0, events = 0;
      if (rates_.size() >= 2 && rates_.back().seconds > rates_.front().seconds) {
        const double dt = rates_.back().seconds - rates_.front().seconds;
        mips = double(rates_.back().instructions - rates_.front().instructions) / dt / 1e6;
        rounds = double(rates_.back().rounds - rates_.front().rounds) / dt;
        events = double(rates_.back().events - rates_.front().events) / dt;
      }
      s = fmt::format("{} | {:.1f} MIPS | {:.0f} rounds/s | {:.0f} events/s | guest time {:.3f} ms (cycle {}) round {} | "
                      "{} instructions",
                      state_name(snap_->state), mips, rounds, events,
                      double(kernel::Kernel::cycles_to_ns(snap_->guest_cycle)) / 1e6, snap_->guest_cycle, snap_->rounds,
                      snap_->instructions);
      if (snap_->state == Snapshot::State::Finished)
        s += fmt::format(" | stop: {} (exit status {})", snap_->stop_reason, snap_->exit_status);
    } else if (s.empty() && !view_.title.empty()) {
      s = "recorded run: " + summary();
    }
    ImGui::TextUnformatted(s.c_str());
    ImGui::End();
  }

  // A small file browser: folders and .xex files; a folder with an exit dump opens as a run.
  void draw_open_dialog() {
    if (open_dialog_) {
      ImGui::OpenPopup("Open");
      open_dialog_ = false;
    }
    ImGui::SetNextWindowSize(ImVec2(640, 420), ImGuiCond_FirstUseEver);
    if (!ImGui::BeginPopupModal("Open")) return;
    ImGui::TextUnformatted(browse_dir_.c_str());
    std::error_code ec;
    const bool is_run = fs::exists(fs::path(browse_dir_) / "exit-thread-state.json", ec);
    if (is_run && ImGui::Button("Open this run folder")) {
      open(browse_dir_);
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::BeginChild("entries");
    std::vector<fs::directory_entry> entries;
    for (const auto& e : fs::directory_iterator(browse_dir_, ec)) entries.push_back(e);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.is_directory() != b.is_directory() ? a.is_directory() : a.path().filename() < b.path().filename();
    });
    if (ImGui::Selectable("../")) browse_dir_ = fs::path(browse_dir_).parent_path().string();
    for (const auto& e : entries) {
      const std::string name = e.path().filename().string() + (e.is_directory() ? "/" : "");
      if (!e.is_directory() && e.path().extension() != ".xex") continue;
      if (ImGui::Selectable(name.c_str())) {
        if (e.is_directory()) {
          browse_dir_ = e.path().string();
        } else {
          open(e.path().string());
          ImGui::CloseCurrentPopup();
        }
        break;
      }
    }
    ImGui::EndChild();
    ImGui::EndPopup();
  }

  struct Rate {
    double seconds;
    uint64_t instructions, rounds, events;
  };

 public:
  bool quit_requested = false;

 private:
  std::vector<std::string> run_args_;
  bool paused_;
  EngineWorker worker_;
  bool live_ = false, explained_ = false;
  std::string image_;
  RunView view_;
  std::shared_ptr<const Snapshot> snap_;
  std::deque<Rate> rates_;
  TimelineView timeline_;
  std::string status_message_, ini_path_, browse_dir_;
  std::vector<std::string> recent_;
  bool open_dialog_ = false;
  uint32_t selected_tid_ = 0;
  SDL_Renderer* renderer_;
  SDL_Texture* texture_ = nullptr;  // the screen panel's, of frame texture_frame_
  uint64_t texture_frame_ = 0;
  uint32_t texture_w_ = 0, texture_h_ = 0;
  PadInput pad_;
  bool keyboard_pad_ = true;
  std::string record_input_, screenshot_;
  std::map<std::string, SDL_Rect> panel_rects_;
  uint64_t command_sequence_ = 0;  // the snapshot current when the last command was given
  char filter_[128] = "";
  char budget_[24] = "", quantum_[24] = "", seed_[24] = "";
  int policy_ = 0;
};

}  // namespace

int cmd_studio(const Args& args) {
  std::vector<std::string> run_args;
  std::string target, script_text;
  bool paused = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--paused") paused = true;
    else if (args[i] == "--script" && i + 1 < args.size()) script_text = args[++i];
    else if (target.empty() && !args[i].empty() && args[i][0] != '-') target = args[i];
    else run_args.push_back(args[i]);
  }
  Script script;
  try {
    script = parse_script(script_text);
    if (!target.empty() && !fs::is_directory(target)) {
      std::vector<std::string> check{target};
      check.insert(check.end(), run_args.begin(), run_args.end());
      parse_run_options(check);  // bad options exit 2 before a window opens
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "hexad studio: %s\n", e.what());
    return 2;
  }

  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_GAMECONTROLLER) != 0) {
    std::fprintf(stderr, "hexad studio: cannot start SDL video: %s (a display is needed: run it under X11/Wayland, "
                         "or xvfb-run)\n", SDL_GetError());
    return 2;
  }
  SDL_Window* window = SDL_CreateWindow("hexad studio", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1400, 900,
                                        SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  SDL_Renderer* renderer = window ? SDL_CreateRenderer(window, -1, SDL_RENDERER_PRESENTVSYNC | SDL_RENDERER_ACCELERATED) : nullptr;
  if (window && !renderer) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
  if (!renderer) {
    std::fprintf(stderr, "hexad studio: cannot create a window: %s\n", SDL_GetError());
    if (window) SDL_DestroyWindow(window);
    SDL_Quit();
    return 2;
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::StyleColorsDark();
  int status = 0;
  {
    Studio studio(run_args, paused, renderer);
    ImGui::GetIO().IniFilename = studio.ini_path().c_str();
    ImGui_ImplSDL2_InitForSDLRenderer(window);
    ImGui_ImplSDLRenderer_Init(renderer);
    if (!target.empty()) studio.open(target);
    ScriptRunner runner(script);
    while (!studio.quit_requested) {
      SDL_Event ev;
      while (SDL_PollEvent(&ev)) {
        ImGui_ImplSDL2_ProcessEvent(&ev);
        if (ev.type == SDL_QUIT) studio.quit_requested = true;
        if (ev.type == SDL_KEYDOWN && !ev.key.repeat) studio.key(ev.key.keysym);
        if (ev.type == SDL_KEYUP) studio.pad_key(ev.key.keysym, false);
        if (ev.type == SDL_CONTROLLERDEVICEADDED) SDL_GameControllerOpen(ev.cdevice.which);
        if (ev.type == SDL_CONTROLLERBUTTONDOWN || ev.type == SDL_CONTROLLERBUTTONUP)
          studio.gamepad_button(ev.cbutton.button, ev.type == SDL_CONTROLLERBUTTONDOWN);
        if (ev.type == SDL_CONTROLLERAXISMOTION) studio.gamepad_axis(ev.caxis.axis, ev.caxis.value);
        if (ev.type == SDL_DROPFILE) {
          studio.open(ev.drop.file);
          SDL_free(ev.drop.file);
        }
      }
      studio.poll();
      if (runner.active()) {
        const ScriptStep step = runner.next_frame([&](const ScriptCommand& c) { return studio.script_condition_met(c); });
        if (step.command) studio.command(*step.command);
        if (step.quit) {
          std::printf("studio: %s\n", studio.summary().c_str());
          studio.quit_requested = true;
        }
        if (step.timed_out) {
          std::fprintf(stderr, "hexad studio: script step %zu timed out: %s\n", runner.position(), step.what.c_str());
          status = 1;
          studio.quit_requested = true;
        }
      }
      ImGui_ImplSDLRenderer_NewFrame();
      ImGui_ImplSDL2_NewFrame();
      ImGui::NewFrame();
      studio.draw();
      ImGui::Render();
      SDL_SetRenderDrawColor(renderer, 20, 20, 24, 255);
      SDL_RenderClear(renderer);
      ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
      studio.take_screenshot(renderer);
      SDL_RenderPresent(renderer);
      if (!(SDL_GetWindowFlags(window) & SDL_WINDOW_SHOWN) || runner.active()) SDL_Delay(5);
    }
    studio.shutdown();
    ImGui::SaveIniSettingsToDisk(studio.ini_path().c_str());
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
  }
  ImGui::DestroyContext();
  SDL_DestroyRenderer(renderer);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return status;
}

}  // namespace hexad::app::studio
