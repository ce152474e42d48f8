#include "trace/compare_sink.h"

#include <nlohmann/json.hpp>

#include "trace/jsonl.h"

namespace hexad::trace {

namespace {

constexpr std::string_view kHostNs = ",\"host_ns\":";

// The line in two pieces around its "host_ns":N (the writer puts it after guest_cycle; a line
// without one is a single piece).
std::pair<std::string_view, std::string_view> around_host_ns(std::string_view line) {
  const size_t at = line.find(kHostNs);
  if (at == std::string_view::npos) return {line, {}};
  size_t end = at + kHostNs.size();
  while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
  return {line.substr(0, at), line.substr(end)};
}

}  // namespace

bool same_event(std::string_view recorded, std::string_view produced) {
  auto [r1, r2] = around_host_ns(recorded);
  auto [p1, p2] = around_host_ns(produced);
  return r1 == p1 && r2 == p2;
}

std::vector<std::string> differing_fields(std::string_view recorded, std::string_view produced) {
  using Json = nlohmann::ordered_json;
  Json r = Json::parse(recorded, nullptr, false), p = Json::parse(produced, nullptr, false);
  if (!r.is_object()) return {"the recorded line is not a JSON object"};
  if (!p.is_object()) return {"the replayed line is not a JSON object"};
  r.erase("host_ns");
  p.erase("host_ns");
  std::vector<std::string> out;
  auto text = [](const Json* v) { return v ? v->dump(-1, ' ', false, Json::error_handler_t::replace) : "(absent)"; };
  for (const auto& [key, value] : r.items()) {
    const Json* other = p.contains(key) ? &p[key] : nullptr;
    if (!other || *other != value) out.push_back(fmt::format("{}: {} -> {}", key, text(&value), text(other)));
  }
  for (const auto& [key, value] : p.items())
    if (!r.contains(key)) out.push_back(fmt::format("{}: {} -> {}", key, text(nullptr), text(&value)));
  if (out.empty()) out.push_back("the lines differ in spelling only (same JSON values)");
  return out;
}

CompareSink::CompareSink(LineSource& recorded, size_t context_events) : recorded_(recorded) {
  context_.resize(context_events);
  for (std::string& s : context_) s.reserve(256);
}

void CompareSink::write(const Stamp& stamp, const Event& event) {
  ++seen_;
  if (stopped_ || divergence_) return;
  produced_.clear();
  append_jsonl(produced_, stamp, event);
  const std::string_view produced(produced_.data(), produced_.size() - 1);  // without the '\n'
  std::string_view recorded;
  if (!recorded_.next(recorded)) return diverge(stamp.idx, {}, produced);
  if (!same_event(recorded, produced)) return diverge(stamp.idx, recorded, produced);
  if (!context_.empty()) context_[compared_ % context_.size()].assign(recorded);
  ++compared_;
}

void CompareSink::finish() {
  if (stopped_ || divergence_) return;
  std::string_view recorded;
  if (recorded_.next(recorded)) diverge(compared_, recorded, {});
}

void CompareSink::diverge(uint64_t idx, std::string_view recorded, std::string_view produced) {
  Divergence d;
  d.idx = idx;
  d.line = recorded.data() ? recorded_.line_number() : 0;
  d.recorded = recorded;
  d.produced = produced;
  const uint64_t kept = std::min<uint64_t>(compared_, context_.size());
  for (uint64_t k = compared_ - kept; k < compared_; ++k) d.context.push_back(context_[k % context_.size()]);
  divergence_ = std::move(d);
}

}  // namespace hexad::trace
