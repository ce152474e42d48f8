#include "trace_diff.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "base/hexad_error.h"
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

TraceReader::TraceReader(std::string path) : path_(std::move(path)) {
  std::error_code ec;
  if (std::filesystem::is_directory(path_, ec)) fail("{}: cannot read: is a directory", path_);
  in_.open(path_, std::ios::binary);
  if (!in_) fail("{}: cannot open: {}", path_, std::strerror(errno));
}

void TraceReader::corrupt(const std::string& why) const {
  fail("{}:{}: {}", path_, line_, why);
}

bool TraceReader::next(TraceEvent& out) {
  if (done_) return false;
  if (!std::getline(in_, buf_)) {
    // getline fails without extracting anything only at the end of the file (a final newline
    // leaves nothing behind it) or on a read error.
    done_ = true;
    if (in_.bad()) fail("{}: read error after line {}", path_, line_);
    return false;
  }
  ++line_;
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

DiffResult diff_traces(const std::string& path_a, const std::string& path_b,
                       const DiffOptions& options) {
  DiffResult r;
  for (const std::string* path : {&path_a, &path_b}) {
    std::optional<std::string> unfinished = unfinished_run_beside(*path);
    if (!unfinished) continue;
    if (!options.allow_unfinished) fail("{}; --allow-unfinished compares it anyway", *unfinished);
    r.warnings.push_back(*unfinished);
  }
  TraceReader ra(path_a), rb(path_b);
  TraceEvent ea, eb;
  for (uint64_t pos = 0;; ++pos) {
    bool has_a = ra.next(ea);
    bool has_b = rb.next(eb);
    if (!has_a && !has_b) break;
    bool differs;
    std::vector<std::string> fields;
    if (has_a && has_b) {
      differs = !same_json(ea.fields, eb.fields);
      if (differs && r.shown.size() < options.max_show) fields = differing_fields(ea.fields, eb.fields);
    } else {
      differs = true;  // an extra event on one side
    }
    if (!differs) continue;
    ++r.differing;
    ++r.differing_by_kind[has_a ? ea.kind : eb.kind];
    if (r.shown.size() < options.max_show) {
      EventDiff d;
      d.idx = pos;
      if (has_a) d.a = ea;
      if (has_b) d.b = eb;
      d.fields = std::move(fields);
      r.shown.push_back(std::move(d));
    }
  }
  ra.check_complete(options.allow_unfinished);
  rb.check_complete(options.allow_unfinished);
  r.events_a = ra.events_read();
  r.events_b = rb.events_read();
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
