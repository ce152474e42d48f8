#include "kernel/xboxkrnl/input_script.h"

#include <nlohmann/json.hpp>

#include "base/hexad_error.h"

namespace hexad::kernel {
namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kSchema = "hexad.input/1";

// Field name, minimum, maximum, where it goes.
struct PadField {
  const char* name;
  int64_t min, max;
  void (*store)(GamepadState&, int64_t);
  int64_t (*load)(const GamepadState&);
};
// XINPUT_GAMEPAD's fields in their struct order (the canonical text keeps it).
const PadField kPadFields[] = {
    {"buttons", 0, 0xFFFF, [](GamepadState& p, int64_t v) { p.buttons = uint16_t(v); },
     [](const GamepadState& p) { return int64_t(p.buttons); }},
    {"left_trigger", 0, 255, [](GamepadState& p, int64_t v) { p.left_trigger = uint8_t(v); },
     [](const GamepadState& p) { return int64_t(p.left_trigger); }},
    {"right_trigger", 0, 255, [](GamepadState& p, int64_t v) { p.right_trigger = uint8_t(v); },
     [](const GamepadState& p) { return int64_t(p.right_trigger); }},
    {"thumb_lx", -32768, 32767, [](GamepadState& p, int64_t v) { p.thumb_lx = int16_t(v); },
     [](const GamepadState& p) { return int64_t(p.thumb_lx); }},
    {"thumb_ly", -32768, 32767, [](GamepadState& p, int64_t v) { p.thumb_ly = int16_t(v); },
     [](const GamepadState& p) { return int64_t(p.thumb_ly); }},
    {"thumb_rx", -32768, 32767, [](GamepadState& p, int64_t v) { p.thumb_rx = int16_t(v); },
     [](const GamepadState& p) { return int64_t(p.thumb_rx); }},
    {"thumb_ry", -32768, 32767, [](GamepadState& p, int64_t v) { p.thumb_ry = int16_t(v); },
     [](const GamepadState& p) { return int64_t(p.thumb_ry); }},
};

// An integer field: a JSON integer, or a string in C notation ("0x1000") for button masks.
int64_t integer(const Json& v, const std::string& where, const char* name, int64_t min, int64_t max) {
  int64_t n = 0;
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) fail("{}: {} is out of range", where, name);
    n = v.get<int64_t>();
  } else if (v.is_string()) {
    const std::string s = v.get<std::string>();
    size_t used = 0;
    try {
      n = std::stoll(s, &used, 0);
    } catch (const std::exception&) {
      used = 0;
    }
    if (s.empty() || used != s.size()) fail("{}: {} '{}' is not an integer", where, name, s);
  } else {
    fail("{}: {} must be an integer", where, name);
  }
  if (n < min || n > max) fail("{}: {} {} is outside {}..{}", where, name, n, min, max);
  return n;
}

InputEvent parse_event(const Json& e, const std::string& where) {
  if (!e.is_object()) fail("{}: an event must be an object", where);
  InputEvent ev;
  bool keyed = false, has_pad = false;
  for (const auto& [key, value] : e.items()) {
    if (key == "user") {
      ev.user = uint32_t(integer(value, where, "user", 0, kMaxControllers - 1));
    } else if (key == "frame" || key == "time_ns") {
      if (keyed) fail("{}: give either frame or time_ns, not both", where);
      keyed = true;
      const int64_t n = integer(value, where, key.c_str(), 0, INT64_MAX);
      const unsigned __int128 ns = key == "frame" ? (unsigned __int128)n * 1'000'000'000 / kInputFramesPerSecond
                                                  : (unsigned __int128)n;
      if (ns > (unsigned __int128)INT64_MAX) fail("{}: frame {} is too late", where, n);
      ev.at_ns = uint64_t(ns);
    } else if (key == "connected") {
      if (!value.is_boolean()) fail("{}: connected must be true or false", where);
      ev.connected = value.get<bool>();
    } else {
      const PadField* f = nullptr;
      for (const PadField& p : kPadFields)
        if (key == p.name) f = &p;
      if (!f) fail("{}: unknown field '{}'", where, key);
      f->store(ev.pad, integer(value, where, f->name, f->min, f->max));
      has_pad = true;
    }
  }
  if (!e.contains("user")) fail("{}: no user (0..3)", where);
  if (!keyed) fail("{}: no frame or time_ns", where);
  if (!ev.connected && has_pad) fail("{}: a disconnected controller has no buttons or sticks", where);
  return ev;
}

}  // namespace

InputScript InputScript::parse(const std::string& text, const std::string& source) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    fail("{}: not JSON: {}", source, e.what());
  }
  if (!j.is_object() || j.value("schema", "") != kSchema)
    fail("{}: expected an object with \"schema\": \"{}\"", source, kSchema);
  for (const auto& [key, value] : j.items())
    if (key != "schema" && key != "events") fail("{}: unknown field '{}'", source, key);
  if (!j.contains("events") || !j["events"].is_array()) fail("{}: \"events\" must be an array", source);
  InputScript s;
  Json canonical_events = Json::array();
  for (size_t i = 0; i < j["events"].size(); ++i) {
    const std::string where = fmt::format("{}: event {}", source, i);
    InputEvent ev = parse_event(j["events"][i], where);
    if (!s.events_.empty() && ev.at_ns < s.events_.back().at_ns)
      fail("{}: events must be in time order (this one is earlier than event {})", where, i - 1);
    Json c = Json::object();
    c["time_ns"] = ev.at_ns;
    c["user"] = ev.user;
    c["connected"] = ev.connected;
    if (ev.connected)
      for (const PadField& f : kPadFields) c[f.name] = f.load(ev.pad);
    canonical_events.push_back(std::move(c));
    s.events_.push_back(ev);
  }
  s.canonical_ = Json{{"schema", kSchema}, {"events", canonical_events}}.dump();
  return s;
}

ControllerView InputScript::at(uint32_t user, uint64_t now_ns) const {
  ControllerView v;
  for (const InputEvent& e : events_) {
    if (e.at_ns > now_ns) break;
    if (e.user != user) continue;
    ++v.packet;
    v.connected = e.connected;
    v.pad = e.connected ? e.pad : GamepadState{};
  }
  return v;
}

}  // namespace hexad::kernel
