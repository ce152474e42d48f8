#include "event_stream.h"

#include "base/hexad_error.h"
#include "trace/events.h"
#include "trace_diff.h"

namespace hexad::audit {

namespace {

// simdjson's depth limit counts the same levels as parse_json_line's (checked by the unit tests).
constexpr size_t kSimdjsonDepth = kMaxNesting;

const char* type_name(simdjson::dom::element_type t) {
  using T = simdjson::dom::element_type;
  switch (t) {
    case T::ARRAY: return "array";
    case T::OBJECT: return "object";
    case T::INT64:
    case T::UINT64:
    case T::DOUBLE: return "number";
    case T::STRING: return "string";
    case T::BOOL: return "boolean";
    case T::NULL_VALUE: return "null";
  }
  return "value";
}

bool is_blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace

std::string_view schema_kind(std::string_view kind) {
  return []<size_t... I>(std::string_view k, std::index_sequence<I...>) {
    std::string_view found;
    ((std::variant_alternative_t<I, trace::Event>::kKind == k ? (found = std::variant_alternative_t<I, trace::Event>::kKind, true)
                                                              : false) ||
     ...);
    return found;
  }(kind, std::make_index_sequence<std::variant_size_v<trace::Event>>{});
}

std::optional<uint64_t> parse_hex(std::string_view text) {
  if (text.size() < 3 || text.size() > 18 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
  uint64_t v = 0;
  for (char c : text.substr(2)) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    v = v << 4 | uint64_t(d);
  }
  return v;
}

std::optional<uint64_t> EventView::u64(std::string_view key) const {
  uint64_t v;
  if (object[key].get_uint64().get(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> EventView::i64(std::string_view key) const {
  int64_t v;
  if (object[key].get_int64().get(v)) return std::nullopt;
  return v;
}

std::optional<std::string_view> EventView::str(std::string_view key) const {
  std::string_view v;
  if (object[key].get_string().get(v)) return std::nullopt;
  return v;
}

std::optional<uint64_t> EventView::hex(std::string_view key) const {
  std::optional<std::string_view> s = str(key);
  return s ? parse_hex(*s) : std::nullopt;
}

nlohmann::json EventView::to_json(const std::string& path) const {
  nlohmann::json j;
  std::string error;
  if (!parse_json_line(std::string(raw), j, error)) fail("{}:{}: invalid JSON: {}", path, line, error);
  j.erase("host_ns");
  return j;
}

EventStream::EventStream(const std::string& path, EventStreamOptions options)
    : lines_(resolve_trace_path(path)), options_(options) {
  if (parser_.allocate(1 << 16, kSimdjsonDepth)) fail("{}: cannot allocate the JSON parser", lines_.path());
}

void EventStream::corrupt(const std::string& why) const { fail("{}:{}: {}", lines_.path(), lines_.line_number(), why); }

bool EventStream::next(EventView& out) {
  std::string_view raw;
  if (!next_line(raw)) return false;
  check_line(out);
  return !done_;  // a tolerated cut-off last line ends the stream
}

bool EventStream::next_line(std::string_view& raw) {
  if (done_) return false;
  if (!lines_.next(line_)) {
    done_ = true;
    return false;
  }
  raw = line_;
  return true;
}

void EventStream::accept_twin(uint64_t idx, std::string_view kind) {
  if (idx != events_ || events_ == 0) fail("{}: accept_twin out of step (a bug in the caller)", lines_.path());
  ended_ = kind == kRunStop;
  ++events_;
}

void EventStream::check_line(EventView& out) {
  const std::string_view line = line_;
  if (is_blank(line)) corrupt("empty line");
  simdjson::dom::element root;
  if (simdjson::error_code err = parser_.parse(line.data(), line.size(), false).get(root)) {
    // The strict parser says where and why (and both refuse the same lines); simdjson's word if not.
    std::string why;
    nlohmann::json ignored;
    if (parse_json_line(std::string(line), ignored, why)) why = simdjson::error_message(err);
    if (lines_.last_line_unterminated()) {
      std::string cut = fmt::format("{}:{}: the last line is cut off (the file ends inside an event, {} bytes without "
                                    "a newline: the run was killed?)",
                                    lines_.path(), lines_.line_number(), line.size());
      if (options_.tolerate_cut_last_line) {
        cut_last_line_ = cut + fmt::format("; the {} events before it are read", events_);
        cut_line_ = lines_.line_number();
        done_ = true;
        return;
      }
      fail("{}: invalid JSON: {}; --allow-unfinished reads the events before it", cut, why);
    }
    corrupt("invalid JSON: " + why);
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) corrupt(std::string("not a JSON object but ") + type_name(root.type()));

  simdjson::dom::element idx_el;
  if (obj["idx"].get(idx_el)) corrupt("missing \"idx\"");
  uint64_t idx;
  if (idx_el.get_uint64().get(idx))
    corrupt("\"idx\" is not a non-negative integer: " + simdjson::minify(idx_el));
  if (idx != events_) corrupt("\"idx\" is " + std::to_string(idx) + ", expected " + std::to_string(events_));

  simdjson::dom::element kind_el;
  if (obj["kind"].get(kind_el)) corrupt("missing \"kind\"");
  std::string_view kind;
  if (kind_el.get_string().get(kind)) corrupt("\"kind\" is not a string: " + simdjson::minify(kind_el));
  if (!trace::is_known_kind(kind))
    corrupt("unknown kind \"" + std::string(kind) + "\" (not an event of " + std::string(trace::kSchema) + ")");

  if (idx == 0) {
    if (kind != kRunStart)
      corrupt("the first event is \"" + std::string(kind) + "\", expected \"" + std::string(kRunStart) +
              "\" (not a hexad trace, or its start is missing)");
    std::string_view schema;
    simdjson::dom::element schema_el;
    if (!obj["schema"].get(schema_el)) {
      if (schema_el.get_string().get(schema)) corrupt("run.start's \"schema\" is not a string");
      schema_ = std::string(schema);
      if (options_.check_schema && schema_ != trace::kSchema)
        corrupt(fmt::format("schema \"{}\": this hexad-audit reads {} traces", schema_, trace::kSchema));
    }
  }

  out.line = lines_.line_number();
  out.idx = idx;
  out.kind = kind;
  out.raw = line;
  out.object = obj;
  ended_ = kind == kRunStop;
  ++events_;
}

std::string EventStream::cut_message() const {
  if (!cut_last_line_.empty()) return cut_last_line_;
  return lines_.stream_cut();
}

void EventStream::check_complete(bool allow_unfinished) const {
  if (events_ == 0)
    fail("{}: empty trace: no events (a hexad trace starts with {}; the run that wrote it never got that far)",
         lines_.path(), kRunStart);
  if (!ended_ && !allow_unfinished)
    fail("{}: incomplete trace: {} events and no {} at the end (the run was killed or its trace could not be "
         "written; --allow-unfinished compares it anyway)",
         lines_.path(), events_, kRunStop);
}

void check_same_schema(const std::string& path_a, const std::string& schema_a, const std::string& path_b,
                       const std::string& schema_b) {
  if (schema_a != schema_b)
    fail("mismatched schemas: {} is \"{}\", {} is \"{}\" (traces of different formats cannot be compared)", path_a,
         schema_a, path_b, schema_b);
  if (!schema_a.empty() && schema_a != trace::kSchema)
    fail("{} and {}: schema \"{}\": this hexad-audit reads {} traces", path_a, path_b, schema_a, trace::kSchema);
}

}  // namespace hexad::audit
