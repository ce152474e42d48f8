#include "explain_facts.h"

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "event_stream.h"

namespace hexad::audit {

namespace {

constexpr uint32_t kStatusWait63 = 0x3F;  // STATUS_WAIT_0 + 63: the last "this object satisfied it"

// Field readers that turn a schema violation into "PATH:LINE: why" (the events passed the
// stream's own checks, which cover only idx and kind).
class EventFields {
 public:
  EventFields(const std::string& path, const EventView& e) : path_(path), e_(e) {}
  simdjson::dom::element get(const char* name) const {
    simdjson::dom::element v;
    if (e_.field(name).get(v)) bad(name, "is missing");
    return v;
  }
  uint64_t count(const char* name) const {
    uint64_t v = 0;
    if (get(name).get_uint64().get(v)) bad(name, "is not a non-negative integer");
    return v;
  }
  std::string text(const char* name) const {
    std::string_view v;
    if (get(name).get_string().get(v)) bad(name, "is not a string");
    return std::string(v);
  }
  std::vector<std::string> texts(const char* name) const {
    simdjson::dom::array list;
    if (get(name).get_array().get(list)) bad(name, "is not an array");
    std::vector<std::string> out;
    for (simdjson::dom::element x : list) {
      std::string_view v;
      if (x.get_string().get(v)) bad(name, "holds a non-string");
      out.emplace_back(v);
    }
    return out;
  }
  [[noreturn]] void bad(const char* name, const char* why) const {
    fail("{}:{}: {} event: \"{}\" {}", path_, e_.line, e_.kind, name, why);
  }

 private:
  const std::string& path_;
  const EventView& e_;
};

uint32_t parse_hex32(const EventFields& f, const char* name, const std::string& s) {
  if (s.size() != 10 || s[0] != '0' || s[1] != 'x') f.bad(name, "is not a 0x%08x value");
  uint32_t v = 0;
  for (size_t i = 2; i < s.size(); ++i) {
    char c = s[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) f.bad(name, "is not a 0x%08x value");
    v = v * 16 + uint32_t(d);
  }
  return v;
}

void on_signal(TraceFacts& facts, const EventFields& f, const EventView& e) {
  ObjectFacts& o = facts.objects[f.text("target_handle")];
  o.type = f.text("object_type");
  simdjson::dom::array waiters;
  if (f.get("waiter_tids").get_array().get(waiters)) f.bad("waiter_tids", "is not an array");
  SignalFact s{e.idx, f.count("round"), uint32_t(f.count("tid")), f.text("by"), waiters.size()};
  ++o.signals;
  if (s.woke == 0 && s.by == "NtPulseEvent") {
    o.lost = s;
    o.lost_why = "a pulse that woke nobody (nobody was waiting)";
  } else if (o.type == "event.synchronization") {
    if (s.woke == 0 && o.pending) {
      o.lost = s;
      o.lost_why = "a set of the auto-reset event that woke nobody while an earlier set was still unconsumed";
    }
    o.pending = s.woke == 0;  // a set that woke a waiter was consumed by it
  }
  o.last = s;
}

void on_wait_end(TraceFacts& facts, const EventFields& f) {
  ThreadFacts& t = facts.threads[uint32_t(f.count("tid"))];
  const uint32_t status = parse_hex32(f, "status", f.text("status"));
  if (status > kStatusWait63) return;  // a timeout, an abandoned mutant, an error: nothing consumed
  uint64_t index = 0;
  const bool has_index = !f.get("index").get_uint64().get(index);
  if (t.wait_all) {
    for (const std::string& h : t.wait_handles) facts.objects[h].pending = false;
  } else if (has_index && index < t.wait_handles.size()) {
    facts.objects[t.wait_handles[size_t(index)]].pending = false;
  }
}

void on_import(TraceFacts& facts, const EventFields& f) {
  const std::string name = f.text("name");
  if (name != "NtResumeThread" && name != "NtClearEvent" && name != "KeResetEvent") return;
  const std::vector<std::string> args = f.texts("args");
  if (args.empty()) return;
  if (name == "NtResumeThread") {
    auto it = facts.thread_handles.find(args[0]);
    if (it != facts.thread_handles.end()) facts.threads[it->second].ready_since_round = f.count("round");
  } else if (auto it = facts.objects.find(args[0]); it != facts.objects.end()) {
    it->second.pending = false;
  }
}

}  // namespace

TraceFacts gather_trace_facts(const std::string& trace_path, bool allow_unfinished) {
  TraceFacts facts;
  EventStream stream(trace_path, EventStreamOptions{.tolerate_cut_last_line = true});
  facts.path = stream.path();
  EventView e;
  while (stream.next(e)) {
    const EventFields f(facts.path, e);
    if (e.kind == "thread.create") {
      const uint32_t tid = uint32_t(f.count("new_tid"));
      facts.thread_handles[f.text("handle")] = tid;
      bool suspended = false;
      if (f.get("suspended").get_bool().get(suspended)) f.bad("suspended", "is not a boolean");
      if (!suspended) facts.threads[tid].ready_since_round = f.count("round");
    } else if (e.kind == "wake.requested") {
      // A suspension's abort leaves the thread Suspended, not Ready.
      if (f.text("reason") != "suspend")
        facts.threads[uint32_t(f.count("target_tid"))].ready_since_round = f.count("round");
    } else if (e.kind == "wait.begin") {
      ThreadFacts& t = facts.threads[uint32_t(f.count("tid"))];
      t.wait_begin_idx = e.idx;
      t.wait_handles = f.texts("handles");
      t.wait_all = f.text("wait") == "all";
    } else if (e.kind == "wait.end") {
      on_wait_end(facts, f);
    } else if (e.kind == "signal.match") {
      on_signal(facts, f, e);
    } else if (e.kind == "import.call") {
      on_import(facts, f);
    }
  }
  // A killed run: its trace ends in a cut line (or, compressed, inside a zstd frame). The events
  // before the cut are explained only when asked for.
  std::string cut = stream.cut_message();
  std::string prefix = fmt::format("the {} events before it", stream.events_read());
  if (stream.cut_line() != 0) {
    cut = fmt::format("{}:{}: the last line is cut short (the run was killed while writing it)", facts.path,
                      stream.cut_line());
    prefix = fmt::format("the {} complete lines before it", stream.events_read());
  }
  if (!cut.empty()) {
    if (!allow_unfinished) fail("{}; --allow-unfinished explains from {}", cut, prefix);
    facts.warnings.push_back(fmt::format("{}; explained from {}", cut, prefix));
  }
  stream.check_complete(allow_unfinished);
  facts.events = stream.events_read();
  return facts;
}

}  // namespace hexad::audit
