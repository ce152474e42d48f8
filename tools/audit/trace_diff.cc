#include "trace_diff.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

#include <string.h>  // memmem
#include <filesystem>
#include <utility>

#include "base/hexad_error.h"
#include "checked_lines.h"
#include "event_stream.h"
#include "line_source.h"
#include "run_folder.h"

namespace hexad::audit {

using nlohmann::json;

namespace {

// SAX consumer building a json value, rejecting what json::parse would silently accept.
class StrictBuilder {
 public:
  explicit StrictBuilder(json& root) : root_(root) {}

  bool null() { return put(json(nullptr)); }
  bool boolean(bool v) { return put(json(v)); }
  bool number_integer(json::number_integer_t v) { return put(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return put(json(v)); }
  bool number_float(json::number_float_t v, const json::string_t& text) {
    // The lexer hands integers that do not fit 64 bits over as floats; they would lose precision.
    if (text.find_first_of(".eE") == std::string::npos) {
      error_ = "integer " + text + " is outside the 64-bit range";
      return false;
    }
    return put(json(v));
  }
  bool string(json::string_t& v) { return put(json(std::move(v))); }
  bool binary(json::binary_t&) {
    error_ = "binary value";
    return false;
  }
  bool start_object(std::size_t) {
    json* o = place(json::object());
    if (!o) return false;
    stack_.push_back(o);
    return true;
  }
  bool key(json::string_t& k) {
    if (stack_.back()->contains(k)) {
      error_ = "duplicate key \"" + k + "\"";
      return false;
    }
    key_ = std::move(k);
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    json* a = place(json::array());
    if (!a) return false;
    stack_.push_back(a);
    return true;
  }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const json::exception& ex) {
    // ex.what() is "[json.exception.parse_error.101] parse error at line 1, column C: why";
    // the line is always 1 here, so keep the column and the reason only.
    std::string what = ex.what();
    size_t col = what.find("column ");
    if (col != std::string::npos) {
      size_t colon = what.find(": ", col);
      error_ = what.substr(col, colon == std::string::npos ? std::string::npos : colon - col);
      if (colon != std::string::npos) error_ += ": " + what.substr(colon + 2);
    } else {
      error_ = "at byte " + std::to_string(position) + ": " + what;
    }
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  bool put(json v) { return place(std::move(v)) != nullptr; }

  // Stores `v` where the parser currently is. Pointers into std::map nodes stay valid; a pointer to
  // an array element is only held while that element is the innermost open container.
  json* place(json v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    json& slot = top[key_];
    slot = std::move(v);
    return &slot;
  }

  json& root_;
  std::vector<json*> stack_;
  std::string key_;
  std::string error_;
};

// The deepest nesting of objects and arrays in `text`, counting only brackets outside strings; stops
// counting once `limit` is exceeded. A pre-scan, because the parser recurses once per level and a
// hostile line nested 100,000 deep would overflow the stack before any SAX callback could refuse it.
size_t nesting_depth(const std::string& text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if ((c == '}' || c == ']') && depth) {
      --depth;
    }
  }
  return deepest;
}

bool is_blank(const std::string& s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace

bool parse_json_line(const std::string& text, json& out, std::string& error) {
  out = json();
  if (nesting_depth(text, kMaxNesting) > kMaxNesting) {
    error = "nesting deeper than " + std::to_string(kMaxNesting);
    return false;
  }
  StrictBuilder builder(out);
  bool ok = json::sax_parse(text, &builder, json::input_format_t::json, /*strict=*/true);
  if (!ok) error = builder.error().empty() ? "invalid JSON" : builder.error();
  return ok;
}

bool same_json(const json& a, const json& b) {
  if (a.is_number() || b.is_number()) {
    if (!a.is_number() || !b.is_number()) return false;
    if (a.is_number_float() != b.is_number_float()) return false;
    if (a.is_number_float())
      return std::bit_cast<uint64_t>(a.get<double>()) == std::bit_cast<uint64_t>(b.get<double>());
    bool a_neg = a.is_number_integer() && !a.is_number_unsigned() && a.get<int64_t>() < 0;
    bool b_neg = b.is_number_integer() && !b.is_number_unsigned() && b.get<int64_t>() < 0;
    if (a_neg != b_neg) return false;
    if (a_neg) return a.get<int64_t>() == b.get<int64_t>();
    return a.get<uint64_t>() == b.get<uint64_t>();
  }
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
      if (ia.key() != ib.key() || !same_json(ia.value(), ib.value())) return false;
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); ++k)
      if (!same_json(a[k], b[k])) return false;
    return true;
  }
  return a == b;  // null, boolean, string
}

std::vector<std::string> differing_fields(const json& a, const json& b) {
  std::vector<std::string> out;
  // nlohmann::json objects are ordered maps: walk both key sequences like a merge.
  auto ia = a.begin(), ib = b.begin();
  while (ia != a.end() || ib != b.end()) {
    if (ib == b.end() || (ia != a.end() && ia.key() < ib.key())) {
      out.push_back(ia.key() + " (only in A)");
      ++ia;
    } else if (ia == a.end() || ib.key() < ia.key()) {
      out.push_back(ib.key() + " (only in B)");
      ++ib;
    } else {
      if (!same_json(ia.value(), ib.value())) out.push_back(ia.key());
      ++ia;
      ++ib;
    }
  }
  return out;
}

TraceReader::TraceReader(std::string path) : path_(resolve_trace_path(path)) {
  lines_ = std::make_unique<LineSource>(path_);
}

TraceReader::~TraceReader() = default;

void TraceReader::corrupt(const std::string& why) const {
  fail("{}:{}: {}", path_, line_, why);
}

bool TraceReader::next(TraceEvent& out) {
  if (done_) return false;
  std::string_view text;
  if (!lines_->next(text)) {
    done_ = true;
    return false;
  }
  buf_.assign(text);
  line_ = lines_->line_number();
  if (is_blank(buf_)) corrupt("empty line");
  json obj;
  std::string error;
  if (!parse_json_line(buf_, obj, error)) corrupt("invalid JSON: " + error);
  if (!obj.is_object()) corrupt(std::string("not a JSON object but ") + obj.type_name());

  auto idx = obj.find("idx");
  if (idx == obj.end()) corrupt("missing \"idx\"");
  if (!idx->is_number_unsigned()) corrupt("\"idx\" is not a non-negative integer: " + idx->dump());
  uint64_t idx_value = idx->get<uint64_t>();
  if (idx_value != events_)
    corrupt("\"idx\" is " + std::to_string(idx_value) + ", expected " + std::to_string(events_));

  auto kind = obj.find("kind");
  if (kind == obj.end()) corrupt("missing \"kind\"");
  if (!kind->is_string()) corrupt("\"kind\" is not a string: " + kind->dump());
  if (!trace::is_known_kind(kind->get_ref<const std::string&>()))
    corrupt("unknown kind \"" + kind->get<std::string>() + "\" (not an event of " + std::string(trace::kSchema) + ")");

  if (idx_value == 0 && *kind != kRunStart)
    corrupt("the first event is \"" + kind->get<std::string>() + "\", expected \"" + std::string(kRunStart) +
            "\" (not a hexad trace, or its start is missing)");
  // The same schema rule as EventStream (event_stream.cc): a trace of another format is refused
  // by every reader, not by some.
  if (idx_value == 0) {
    auto schema = obj.find("schema");
    if (schema != obj.end()) {
      if (!schema->is_string()) corrupt("run.start's \"schema\" is not a string");
      if (schema->get_ref<const std::string&>() != trace::kSchema)
        corrupt(fmt::format("schema \"{}\": this hexad-audit reads {} traces", schema->get<std::string>(), trace::kSchema));
    }
  }

  out.line = line_;
  out.idx = idx_value;
  out.kind = kind->get<std::string>();
  obj.erase("host_ns");
  out.fields = std::move(obj);
  ended_ = out.kind == kRunStop;
  ++events_;
  return true;
}

void TraceReader::check_complete(bool allow_unfinished) const {
  if (events_ == 0)
    fail("{}: empty trace: no events (a hexad trace starts with {}; the run that wrote it never got that far)",
         path_, kRunStart);
  if (!ended_ && !allow_unfinished)
    fail("{}: incomplete trace: {} events and no {} at the end (the run was killed or its trace could not be "
         "written; --allow-unfinished compares it anyway)",
         path_, events_, kRunStop);
}

namespace {

constexpr std::string_view kHostKey = ",\"host_ns\":";

// A JSON unsigned integer: "0" or [1-9][0-9]*.
bool is_plain_integer(std::string_view s) {
  if (s.empty() || (s[0] == '0' && s.size() > 1)) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Whether line `b` is line `a` (valid JSON) but for the number that is the value of their
// top-level host_ns (or is the same text): the common case, decided without parsing `b` at all,
// since `b` is then valid exactly when `a` is. False means "parse and compare them as JSON", not
// "different". The key cannot occur inside a string (its quote would be escaped); it is top-level
// when the text before it opens one object and no array.
bool same_but_host_ns(std::string_view a, std::string_view b) {
  const void* key = ::memmem(a.data(), a.size(), kHostKey.data(), kHostKey.size());
  if (!key) return a == b;
  const size_t at = size_t(static_cast<const char*>(key) - a.data());
  const size_t value = at + kHostKey.size();
  if (b.size() < value || std::memcmp(a.data(), b.data(), value) != 0) return false;
  // Top level: the line's own '{' is the only bracket before the key.
  if (a[0] != '{' || std::memchr(a.data() + 1, '{', at - 1) || std::memchr(a.data(), '[', at)) return false;
  const size_t end_a = a.find_first_of(",}", value), end_b = b.find_first_of(",}", value);
  if (end_a == std::string_view::npos || end_b == std::string_view::npos) return false;
  return a.substr(end_a) == b.substr(end_b) && is_plain_integer(a.substr(value, end_a - value)) &&
         is_plain_integer(b.substr(value, end_b - value));
}

// The event as a JSON tree without host_ns, parsed strictly; throws "PATH:LINE: invalid JSON: why".
TraceEvent tree_of(uint64_t line, uint64_t idx, std::string_view kind, std::string_view raw, const std::string& path) {
  TraceEvent t;
  t.line = line;
  t.idx = idx;
  t.kind = std::string(kind);
  std::string error;
  if (!parse_json_line(std::string(raw), t.fields, error)) fail("{}:{}: invalid JSON: {}", path, line, error);
  t.fields.erase("host_ns");
  return t;
}

}  // namespace

DiffResult diff_traces(const std::string& path_a, const std::string& path_b,
                       const DiffOptions& options) {
  DiffResult r;
  EventStreamOptions stream_options;
  stream_options.tolerate_cut_last_line = options.allow_unfinished;
  stream_options.check_schema = false;  // checked below, naming both traces
  // A is read and checked on a worker thread while B is read and compared here.
  CheckedLines sa(path_a, stream_options);
  EventStream sb(path_b, stream_options);
  for (const std::string* path : {&sa.path(), &sb.path()}) {
    std::optional<std::string> unfinished = unfinished_run_beside(*path);
    if (!unfinished) continue;
    if (!options.allow_unfinished) fail("{}; --allow-unfinished compares it anyway", *unfinished);
    r.warnings.push_back(*unfinished);
  }
  CheckedLines::Line ea;
  EventView eb;
  std::string_view raw_b;
  for (uint64_t pos = 0;; ++pos) {
    const bool has_a = sa.next(ea);
    bool has_b = sb.next_line(raw_b);
    // B's line is A's but for host_ns: it is valid because A's is, and the same event.
    if (has_a && has_b && pos > 0 && same_but_host_ns(ea.raw, raw_b)) {
      sb.accept_twin(ea.idx, ea.kind);
      continue;
    }
    if (has_b) {
      sb.check_line(eb);
      has_b = sb.events_read() == pos + 1;  // false when a tolerated cut-off last line ended B
    }
    if (pos == 0 && has_a && has_b) check_same_schema(sa.path(), sa.schema(), sb.path(), sb.schema());
    if (!has_a && !has_b) break;
    if (has_a && has_b && same_but_host_ns(ea.raw, eb.raw)) continue;
    const bool show = r.shown.size() < options.max_show;
    std::optional<TraceEvent> ta, tb;
    if (has_a && has_b) {
      ta = tree_of(ea.line, ea.idx, ea.kind, ea.raw, sa.path());
      tb = tree_of(eb.line, eb.idx, eb.kind, eb.raw, sb.path());
      if (same_json(ta->fields, tb->fields)) continue;  // the same event, spelled differently
    } else if (show) {
      if (has_a) ta = tree_of(ea.line, ea.idx, ea.kind, ea.raw, sa.path());
      if (has_b) tb = tree_of(eb.line, eb.idx, eb.kind, eb.raw, sb.path());
    }
    ++r.differing;
    ++r.differing_by_kind[std::string(has_a ? ea.kind : eb.kind)];
    if (show) {
      EventDiff d;
      d.idx = pos;
      if (ta && tb) d.fields = differing_fields(ta->fields, tb->fields);
      d.a = std::move(ta);
      d.b = std::move(tb);
      r.shown.push_back(std::move(d));
    }
  }
  sa.stream().check_complete(options.allow_unfinished);
  sb.check_complete(options.allow_unfinished);
  for (const EventStream* s : {&sa.stream(), static_cast<const EventStream*>(&sb)}) {
    std::string cut = s->cut_message();
    if (cut.empty()) continue;
    if (!options.allow_unfinished) fail("{}; --allow-unfinished compares the readable part", cut);
    r.warnings.push_back(cut);
  }
  r.events_a = sa.stream().events_read();
  r.events_b = sb.events_read();
  return r;
}

namespace {

std::string compact(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

void write_side(std::ostream& out, const char* name, const std::optional<TraceEvent>& e,
                uint64_t events) {
  if (e) {
    out << "  " << name << " line " << e->line << ": " << compact(e->fields) << "\n";
  } else {
    out << "  " << name << ": (no event: trace ends after " << events << " events)\n";
  }
}

}  // namespace

void write_diff_report(std::ostream& out, const DiffResult& r, const std::string& path_a,
                       const std::string& path_b) {
  if (r.identical()) {
    out << "identical: " << r.events_a << " events\n";
    return;
  }
  out << "traces differ: A=" << path_a << " B=" << path_b << "\n";
  for (size_t k = 0; k < r.shown.size(); ++k) {
    const EventDiff& d = r.shown[k];
    out << (k == 0 ? "first differing event" : "differing event") << ": idx " << d.idx << "\n";
    write_side(out, "A", d.a, r.events_a);
    write_side(out, "B", d.b, r.events_b);
    if (d.a && d.b) {
      out << "  fields:";
      for (size_t f = 0; f < d.fields.size(); ++f) out << (f ? ", " : " ") << d.fields[f];
      out << "\n";
    }
  }
  uint64_t compared = std::max(r.events_a, r.events_b);
  out << "differing events: " << r.differing << " of " << compared << "\n";
  out << "differing events by kind:\n";
  for (const auto& [kind, count] : r.differing_by_kind) out << "  " << kind << ": " << count << "\n";
  if (r.events_a != r.events_b)
    out << "event counts differ: A has " << r.events_a << ", B has " << r.events_b << "\n";
}

}  // namespace hexad::audit
