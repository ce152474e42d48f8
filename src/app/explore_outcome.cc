#include "app/explore_outcome.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/sha256.h"

namespace hexad::app {

namespace {

using nlohmann::json;

bool slurp(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream s;
  s << f.rdbuf();
  out = s.str();
  return true;
}

std::string short_hash(std::string_view text) { return sha256_hex(text).substr(0, 12); }

// A string field as it is; any other JSON value as its (deterministic) text.
std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

std::string RunOutcome::key() const {
  return std::to_string(exit_status) + "|" + stop_reason + "|" + stdout_hash + "|" + wedge;
}

std::pair<std::string, std::string> wedge_fingerprint(const std::string& dump_json) {
  const json dump = json::parse(dump_json, nullptr, false);
  if (dump.is_discarded() || !dump.contains("wedge_map") || !dump["wedge_map"].is_array() ||
      dump["wedge_map"].empty())
    return {"-", ""};
  std::map<uint64_t, std::string> entry_of;  // tid -> entry point
  if (dump.contains("threads") && dump["threads"].is_array())
    for (const json& t : dump["threads"])
      if (t.contains("tid") && t["tid"].is_number_unsigned() && t.contains("entry"))
        entry_of[t["tid"].get<uint64_t>()] = text_of(t["entry"]);
  std::vector<std::string> items;
  for (const json& w : dump["wedge_map"]) {
    if (w.contains("key") && !w["key"].is_null()) {
      items.push_back(text_of(w["key"]));  // a string as it is, anything else as its JSON
      continue;
    }
    std::vector<std::string> waiters;
    if (w.contains("waiters_tid") && w["waiters_tid"].is_array())
      for (const json& tid : w["waiters_tid"]) {
        auto it = tid.is_number_unsigned() ? entry_of.find(tid.get<uint64_t>()) : entry_of.end();
        waiters.push_back(it == entry_of.end() ? "?" : it->second);
      }
    std::sort(waiters.begin(), waiters.end());
    std::string item = w.contains("type") ? text_of(w["type"]) : "?";
    item += "<-";
    for (size_t k = 0; k < waiters.size(); ++k) item += (k ? "," : "") + waiters[k];
    items.push_back(item);
  }
  std::sort(items.begin(), items.end());
  std::string detail;
  for (size_t k = 0; k < items.size(); ++k) detail += (k ? " " : "") + items[k];
  return {short_hash(detail), detail};
}

RunOutcome classify_run(const std::string& dir, int exit_status) {
  RunOutcome o;
  o.exit_status = exit_status;
  o.stop_reason = "none";
  o.stdout_hash = "-";
  o.wedge = "-";
  std::string text;
  if (slurp(dir + "/run.json", text)) {
    const json run = json::parse(text, nullptr, false);
    if (!run.is_discarded() && run.contains("stop_reason") && run["stop_reason"].is_string())
      o.stop_reason = run["stop_reason"].get<std::string>();
  }
  if (slurp(dir + "/stdout.log", text)) o.stdout_hash = short_hash(text);
  if (slurp(dir + "/exit-thread-state.json", text)) std::tie(o.wedge, o.wedge_detail) = wedge_fingerprint(text);
  return o;
}

std::string format_seeds(const std::vector<uint64_t>& seeds, size_t max_items) {
  std::string out;
  size_t items = 0, k = 0;
  while (k < seeds.size()) {
    size_t end = k;
    while (end + 1 < seeds.size() && seeds[end + 1] == seeds[end] + 1) ++end;
    if (items == max_items) {
      size_t rest = seeds.size() - k;
      out += ", ... (" + std::to_string(rest) + " more seeds)";
      break;
    }
    if (items) out += ", ";
    out += std::to_string(seeds[k]);
    if (end > k) out += "-" + std::to_string(seeds[end]);
    ++items;
    k = end + 1;
  }
  return out;
}

std::vector<OutcomeClass> group_outcomes(const std::map<uint64_t, RunOutcome>& by_seed) {
  std::map<std::string, OutcomeClass> by_key;
  for (const auto& [seed, o] : by_seed) {
    OutcomeClass& c = by_key[o.key()];
    if (c.seeds.empty()) c.outcome = o;
    c.seeds.push_back(seed);  // the map iterates seeds in ascending order
  }
  std::vector<OutcomeClass> classes;
  for (auto& [key, c] : by_key) classes.push_back(std::move(c));
  std::sort(classes.begin(), classes.end(), [](const OutcomeClass& a, const OutcomeClass& b) {
    if (a.seeds.size() != b.seeds.size()) return a.seeds.size() > b.seeds.size();
    return a.seeds.front() < b.seeds.front();
  });
  return classes;
}

}  // namespace hexad::app
