// The exit dump's and run.json's text: invalid UTF-8 never aborts hexad, raw bytes are kept as
// KEY_hex, and a failed write leaves no temporary file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/hexad_error.h"
#include "kernel/xboxkrnl/exit_dump.h"

using hexad::kernel::Json;
namespace fs = std::filesystem;

TEST_CASE("exit dump text: invalid UTF-8 is U+FFFD plus KEY_hex, valid text has no KEY_hex") {
  Json o = Json::object();
  hexad::kernel::put_text(o, "image", "caf\xc3\xa9.xex");
  hexad::kernel::put_text(o, "name", "xb\xffkrnl");
  CHECK(o.dump() == "{\"image\":\"caf\xc3\xa9.xex\",\"name\":\"xb\xEF\xBF\xBDkrnl\",\"name_hex\":\"7862ff6b726e6c\"}");
  // A string that bypassed put_text still does not throw (nlohmann's strict dump would).
  Json raw = Json::object();
  raw["text"] = std::string("\xc3\x28");
  CHECK_THROWS(raw.dump());
  CHECK(hexad::kernel::json_text(raw) == "{\n  \"text\": \"\xEF\xBF\xBD(\"\n}\n");
}

TEST_CASE("exit dump write: atomic, and a failure leaves no temporary file") {
  const fs::path dir = fs::temp_directory_path() / ("hexad_exit_dump_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "exit-thread-state.json").string();
  Json j = Json::object();
  j["text"] = std::string("bad \xff");
  hexad::kernel::write_json_atomically(path, j);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "{\n  \"text\": \"bad \xEF\xBF\xBD\"\n}\n");
  CHECK_FALSE(fs::exists(path + ".tmp"));
  // The target is a directory: the rename fails, the message names the file, the .tmp is removed.
  fs::create_directories(dir / "taken.json");
  try {
    hexad::kernel::write_json_atomically((dir / "taken.json").string(), j);
    FAIL("no error");
  } catch (const hexad::Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("taken.json"));
  }
  CHECK_FALSE(fs::exists(dir / "taken.json.tmp"));
  fs::remove_all(dir);
}
