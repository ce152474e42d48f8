#include "trace/jsonl.h"

#include <cerrno>
#include <cstring>

#include "base/hexad_error.h"

namespace hexad::trace {
namespace {

constexpr size_t kDrainAt = 64 * 1024;

void raw(fmt::memory_buffer& out, std::string_view s) { out.append(s.data(), s.data() + s.size()); }

// The number of continuation bytes after a UTF-8 lead byte and the allowed range of the first
// of them (Unicode table 3-7: no overlongs, no surrogates, nothing above U+10FFFF); later
// continuations are 0x80..0xBF. 0 continuations: not a lead byte.
struct Lead {
  int continuations;
  uint8_t lo, hi;
};
Lead utf8_lead(uint8_t b) {
  if (b >= 0xC2 && b <= 0xDF) return {1, 0x80, 0xBF};
  if (b == 0xE0) return {2, 0xA0, 0xBF};
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return {2, 0x80, 0xBF};
  if (b == 0xED) return {2, 0x80, 0x9F};
  if (b == 0xF0) return {3, 0x90, 0xBF};
  if (b >= 0xF1 && b <= 0xF3) return {3, 0x80, 0xBF};
  if (b == 0xF4) return {3, 0x80, 0x8F};
  return {0, 0, 0};
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Appends ,"key":value pairs; `open` starts a nested object whose first pair has no comma.
class Fields {
 public:
  // `in_new_object`: the next pair is the first of an object just opened (no comma).
  Fields(fmt::memory_buffer& out, bool in_new_object) : out_(out), first_(in_new_object) {}

  Fields& u64(std::string_view k, uint64_t v) { return key(k).num(v); }
  Fields& i64(std::string_view k, int64_t v) { return key(k).num(v); }
  Fields& hex(std::string_view k, uint64_t v) { return key(k).hex_value(v); }
  Fields& str(std::string_view k, std::string_view v) {
    key(k);
    append_json_string(out_, v);
    return *this;
  }
  Fields& boolean(std::string_view k, bool v) {
    key(k);
    raw(out_, v ? "true" : "false");
    return *this;
  }
  template <class T>
  Fields& optional_u64(std::string_view k, const std::optional<T>& v) {
    key(k);
    return v ? num(*v) : null();
  }
  Fields& optional_hex(std::string_view k, const std::optional<uint32_t>& v) {
    key(k);
    return v ? hex_value(*v) : null();
  }
  Fields& hex_array(std::string_view k, std::span<const uint32_t> items) {
    key(k);
    out_.push_back('[');
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out_.push_back(',');
      hex_value(items[i]);
    }
    out_.push_back(']');
    return *this;
  }
  Fields& u32_array(std::string_view k, std::span<const uint32_t> items) {
    key(k);
    out_.push_back('[');
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out_.push_back(',');
      num(items[i]);
    }
    out_.push_back(']');
    return *this;
  }
  Fields& open(std::string_view k) {
    key(k);
    out_.push_back('{');
    first_ = true;
    return *this;
  }
  Fields& close() {
    out_.push_back('}');
    first_ = false;
    return *this;
  }

 private:
  Fields& key(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    raw(out_, k);
    raw(out_, "\":");
    return *this;
  }
  template <class T>
  Fields& num(T v) {
    fmt::format_int f(v);
    out_.append(f.data(), f.data() + f.size());
    return *this;
  }
  Fields& hex_value(uint64_t v) {
    // "0x%08x": at least 8 lowercase digits.
    static constexpr char kDigits[] = "0123456789abcdef";
    char buf[16];
    int n = 0;
    do {
      buf[n++] = kDigits[v & 0xF];
      v >>= 4;
    } while (v);
    while (n < 8) buf[n++] = '0';
    raw(out_, "\"0x");
    while (n) out_.push_back(buf[--n]);
    out_.push_back('"');
    return *this;
  }
  Fields& null() {
    raw(out_, "null");
    return *this;
  }

  fmt::memory_buffer& out_;
  bool first_ = false;
};

// One overload per kind: the schema's field names, order and spelling (docs/trace.md).
void put(Fields& f, const RunStart& e) {
  const RunOptionsFields& o = e.options;
  f.str("schema", kSchema);
  f.open("image").str("name", e.image_name).str("sha256", e.image_sha256).close();
  f.open("options")
      .optional_u64("budget", o.budget)
      .u64("quantum", o.quantum)
      .boolean("aging", o.aging)
      .u64("aging_rounds_per_bonus", o.aging_rounds_per_bonus)
      .u64("max_age_bonus", o.max_age_bonus)
      .boolean("trace", o.trace)
      .close();
}
void put(Fields& f, const ThreadCreate& e) {
  f.u64("new_tid", e.new_tid)
      .hex("handle", e.handle)
      .hex("entry", e.entry)
      .i64("priority", e.priority)
      .hex("affinity", e.affinity)
      .boolean("suspended", e.suspended);
}
void put(Fields& f, const ThreadExit& e) { f.i64("exit_code", e.exit_code); }
void put(Fields& f, const ThreadFault& e) {
  f.str("fault", e.fault)
      .hex("pc", e.pc)
      .hex("word", e.word)
      .hex("address", e.address)
      .str("access", e.access)
      .str("message", e.message);
}
void put(Fields& f, const ImportCall& e) {
  f.str("module", e.module)
      .u64("ord", e.ord)
      .str("name", e.name)
      .hex_array("args", e.args)
      .optional_hex("ret", e.ret)
      .boolean("implemented", e.implemented);
}
void put(Fields& f, const DebugPrint& e) { f.str("text", e.text); }
void put(Fields& f, const WaitBegin& e) {
  f.hex_array("handles", e.handles)
      .str("wait", e.all ? "all" : "any")
      .optional_u64("timeout_ns", e.timeout_ns)
      .boolean("alertable", e.alertable);
}
void put(Fields& f, const WaitEnd& e) { f.hex("status", e.status).optional_u64("index", e.index); }
void put(Fields& f, const SignalMatch& e) {
  f.str("by", e.by)
      .hex("target_handle", e.target_handle)
      .str("object_type", e.object_type)
      .u32_array("waiter_tids", e.waiter_tids);
}
void put(Fields& f, const WakeRequested& e) {
  f.u64("target_tid", e.target_tid)
      .str("reason", e.reason == WakeReason::Signal ? "signal" : "timeout")
      .optional_hex("handle", e.handle);
}
void put(Fields& f, const RunStop& e) {
  f.str("reason", e.reason).u64("instructions", e.instructions).u64("rounds", e.rounds);
}

}  // namespace

void append_json_string(fmt::memory_buffer& out, std::string_view text) {
  out.push_back('"');
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Runs of printable ASCII are copied in one go.
    size_t run = i;
    while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\') ++run;
    if (run > i) {
      out.append(text.data() + i, text.data() + run);
      i = run;
      continue;
    }
    uint8_t b = s[i];
    if (b < 0x80) {
      switch (b) {
        case '"': raw(out, "\\\""); break;
        case '\\': raw(out, "\\\\"); break;
        case '\b': raw(out, "\\b"); break;
        case '\f': raw(out, "\\f"); break;
        case '\n': raw(out, "\\n"); break;
        case '\r': raw(out, "\\r"); break;
        case '\t': raw(out, "\\t"); break;
        default: fmt::format_to(std::back_inserter(out), "\\u{:04x}", b); break;
      }
      ++i;
      continue;
    }
    // Multi-byte UTF-8: copied when well formed. A bad lead byte is replaced and skipped; a
    // sequence broken by a bad continuation is replaced, and the offending byte is read again
    // as the start of what follows (as nlohmann's decoder does).
    Lead lead = utf8_lead(b);
    if (!lead.continuations) {
      raw(out, kReplacement);
      ++i;
      continue;
    }
    size_t j = i + 1;
    bool ok = true;
    for (int c = 0; c < lead.continuations; ++c, ++j) {
      uint8_t lo = c == 0 ? lead.lo : 0x80, hi = c == 0 ? lead.hi : 0xBF;
      if (j >= n || s[j] < lo || s[j] > hi) {
        ok = false;
        break;
      }
    }
    if (ok) out.append(text.data() + i, text.data() + j);
    else raw(out, kReplacement);
    i = j;
  }
  out.push_back('"');
}

void append_jsonl(fmt::memory_buffer& out, const Stamp& s, const Event& event) {
  const Where& w = s.where;
  out.push_back('{');
  Fields f(out, true);
  f.u64("idx", s.idx);
  std::visit(
      [&](const auto& e) {
        // The common fields, in the contract's order, then the kind's own.
        f.str("kind", e.kKind).u64("tid", w.tid).i64("slot", w.slot).u64("round", w.round).u64("guest_cycle", w.guest_cycle);
        f.u64("host_ns", s.host_ns);
        put(f, e);
      },
      event);
  raw(out, "}\n");
}

JsonlSink::JsonlSink(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "w");
  if (!file_) fail("cannot write trace '{}': {}", path, std::strerror(errno));
  buffer_.reserve(kDrainAt * 2);
}

JsonlSink::~JsonlSink() {
  // No throwing here: a failed final write was already reported by flush() on the normal path.
  if (buffer_.size()) std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  std::fclose(file_);
}

void JsonlSink::write(const Stamp& stamp, const Event& event) {
  append_jsonl(buffer_, stamp, event);
  if (buffer_.size() >= kDrainAt) drain();
}

void JsonlSink::drain() {
  if (buffer_.size() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    fail("cannot write trace '{}': {}", path_, std::strerror(errno));
  buffer_.clear();
}

void JsonlSink::flush() {
  drain();
  std::fflush(file_);
}

}  // namespace hexad::trace
