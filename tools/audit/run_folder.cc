#include "run_folder.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/hexad_error.h"
#include "trace_diff.h"

namespace hexad::audit {

namespace fs = std::filesystem;

namespace {
fs::path run_json_beside(const std::string& trace_path) {
  return fs::path(trace_path).parent_path() / "run.json";
}
}  // namespace

std::optional<std::string> run_state_beside(const std::string& trace_path) {
  const fs::path path = run_json_beside(trace_path);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) fail("{}: cannot read", path.string());
  nlohmann::json run;
  std::string error;
  std::string body = text.str();
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  // run.json is written pretty-printed; parse_json_line takes any JSON text, with the depth limit.
  if (!parse_json_line(body, run, error)) fail("{}: invalid JSON: {}", path.string(), error);
  if (!run.is_object()) fail("{}: not a JSON object", path.string());
  auto state = run.find("state");
  if (state == run.end()) return std::nullopt;
  if (!state->is_string()) fail("{}: \"state\" is not a string", path.string());
  return state->get<std::string>();
}

std::optional<std::string> unfinished_run_beside(const std::string& trace_path) {
  std::optional<std::string> state = run_state_beside(trace_path);
  if (!state || *state == "finished") return std::nullopt;
  return fmt::format("{}: the run that wrote this trace did not finish ({} says \"state\": \"{}\"; it was killed "
                     "or is still running)",
                     trace_path, run_json_beside(trace_path).string(), *state);
}

}  // namespace hexad::audit
