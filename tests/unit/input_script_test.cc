// The scripted controller's parser and lookup (kernel/xboxkrnl/input_script.h, docs/xam.md).
#include <catch2/catch.hpp>

#include "base/hexad_error.h"
#include "kernel/xboxkrnl/input_script.h"

using hexad::kernel::ControllerView;
using hexad::kernel::InputScript;

namespace {
const char* kScript = R"({"schema": "hexad.input/1", "events": [
  {"frame": 0, "user": 0},
  {"frame": 6, "user": 0, "buttons": "0x1000", "thumb_ly": -5},
  {"time_ns": 150000000, "user": 2, "buttons": 16, "right_trigger": 255},
  {"frame": 18, "user": 0, "connected": false}]})";
}

TEST_CASE("input script - frames are 60 Hz guest time and each event of a user bumps its packet") {
  InputScript s = InputScript::parse(kScript, "t");
  REQUIRE(s.size() == 4);
  ControllerView v = s.at(0, 0);
  CHECK(v.connected);
  CHECK(v.packet == 1);
  CHECK(v.pad.buttons == 0);
  CHECK(s.at(0, 99'999'999).pad.buttons == 0);  // frame 6 starts at 100 ms exactly
  v = s.at(0, 100'000'000);
  CHECK(v.packet == 2);
  CHECK(v.pad.buttons == 0x1000);
  CHECK(v.pad.thumb_ly == -5);
  CHECK_FALSE(s.at(2, 149'999'999).connected);
  CHECK(s.at(2, 150'000'000).pad.right_trigger == 255);
  v = s.at(0, 300'000'000);
  CHECK_FALSE(v.connected);
  CHECK(v.packet == 3);
  CHECK(v.pad.buttons == 0);
  CHECK_FALSE(s.at(1, 1'000'000'000).connected);  // a user the script never names
  CHECK_FALSE(s.at(7, 0).connected);
}

TEST_CASE("input script - the canonical text parses to itself") {
  InputScript s = InputScript::parse(kScript, "t");
  InputScript again = InputScript::parse(s.canonical(), "canonical");
  CHECK(again.canonical() == s.canonical());
  CHECK(s.canonical().find("\"frame\"") == std::string::npos);
  for (uint64_t ns : {0ull, 100'000'000ull, 150'000'000ull, 300'000'000ull})
    for (uint32_t user = 0; user < 4; ++user) {
      CHECK(again.at(user, ns).packet == s.at(user, ns).packet);
      CHECK(again.at(user, ns).pad.buttons == s.at(user, ns).pad.buttons);
    }
}

TEST_CASE("input script - bad scripts are refused with the reason") {
  auto refused = [](const std::string& text, const std::string& why) {
    try {
      InputScript::parse(text, "bad");
    } catch (const hexad::Error& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(why) != std::string::npos);
      return;
    }
    FAIL("accepted: " << text);
  };
  refused("[", "not JSON");
  refused(R"({"schema": "x", "events": []})", "schema");
  refused(R"({"schema": "hexad.input/1"})", "events");
  refused(R"({"schema": "hexad.input/1", "events": [{"frame": 0, "user": -1}]})", "user -1 is outside 0..3");
  refused(R"({"schema": "hexad.input/1", "events": [{"frame": 0, "user": 0, "left_trigger": 256}]})", "outside 0..255");
  refused(R"({"schema": "hexad.input/1", "events": [{"frame": 0, "user": 0, "buttons": 1.5}]})", "must be an integer");
  refused(R"({"schema": "hexad.input/1", "events": [{"frame": 5, "user": 0}, {"time_ns": 1, "user": 1}]})", "time order");
  refused(R"({"schema": "hexad.input/1", "events": [{"frame": 0, "user": 0, "connected": 1}]})", "true or false");
  refused(R"({"schema": "hexad.input/1", "events": [{"time_ns": 18446744073709551615, "user": 0}]})", "out of range");
}
