// Writes Chrome Trace Event Format JSON ("Trace Event Format", Google, nduca@ and dsinclair@; the
// JSON Object Format: {"traceEvents": [...], ...}), the input of ui.perfetto.dev and
// chrome://tracing, one event at a time, so the output streams. Every number is an integer and
// every key is written in a fixed order, so the same calls give byte-identical output.
//
// Timestamps (`ts`, `dur`) are integers in the format's unit, microseconds; the caller decides what
// a microsecond stands for (hexad-audit export: one guest cycle). Integers keep every slice exact:
// both viewers convert fractional microseconds with floating point, which can move a child slice's
// end past its parent's.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace hexad::audit {

// Builds one event's "args" object. Values are appended in call order; keys are ASCII literals.
class ChromeArgs {
 public:
  ChromeArgs& str(std::string_view key, std::string_view value);
  ChromeArgs& num(std::string_view key, uint64_t value);
  ChromeArgs& snum(std::string_view key, int64_t value);
  ChromeArgs& hex(std::string_view key, uint32_t value);  // "0x%08x", as the hexad trace spells handles
  ChromeArgs& raw(std::string_view key, std::string_view json);  // an already-formatted JSON value
  void clear() { body_.clear(); }
  bool empty() const { return body_.empty(); }
  const std::string& body() const { return body_; }  // the members, without braces

 private:
  void key(std::string_view k);
  std::string body_;
};

// Appends `s` to `out` as a JSON string (quotes included). Control characters are escaped as
// \u00XX; other bytes are copied (the hexad trace is valid UTF-8 already).
void append_json_string(std::string& out, std::string_view s);

// How a complete ("X") event takes part in a flow arrow (the "bind_id" form: the arrow binds to
// this very slice, flow_out at its producer, flow_in at each consumer).
enum class FlowRole : uint8_t { None, Out, In };

class ChromeTraceWriter {
 public:
  // Writes the opening of the JSON object: "traceEvents" comes first, because ui.perfetto.dev
  // stops reading at the first top-level key it does not know.
  explicit ChromeTraceWriter(std::ostream& out);

  // ph "M": process_name / thread_name (args {"name"}) and process_sort_index / thread_sort_index
  // (args {"sort_index"}).
  void process_name(uint32_t pid, std::string_view name);
  void process_sort_index(uint32_t pid, int64_t index);
  void thread_name(uint32_t pid, uint32_t tid, std::string_view name);
  void thread_sort_index(uint32_t pid, uint32_t tid, int64_t index);

  // ph "X": a slice [ts, ts + dur] on thread (pid, tid). `flow_id` (> 0) is its bind_id when `role`
  // is not None.
  void complete(uint32_t pid, uint32_t tid, std::string_view cat, std::string_view name, uint64_t ts, uint64_t dur,
                const ChromeArgs& args, FlowRole role = FlowRole::None, uint64_t flow_id = 0);
  // ph "B" without a matching "E": a slice that never ends (the viewers show it as not finished).
  void begin(uint32_t pid, uint32_t tid, std::string_view cat, std::string_view name, uint64_t ts,
             const ChromeArgs& args);
  // ph "i" with scope "g": a global instant (a line across every track).
  void global_instant(uint32_t pid, uint32_t tid, std::string_view cat, std::string_view name, uint64_t ts,
                      const ChromeArgs& args);

  // Closes the array, writes `other_data` (a formatted JSON object: the format's "otherData",
  // free-form metadata the viewers show) and flushes; returns false if the stream failed.
  bool finish(std::string_view other_data);
  uint64_t events_written() const { return events_; }

 private:
  void start_event();
  void end_event(const ChromeArgs* args);
  void metadata(uint32_t pid, const uint32_t* tid, std::string_view what, const ChromeArgs& args);
  void header(char ph, uint32_t pid, uint32_t tid, std::string_view cat, std::string_view name, uint64_t ts);

  std::ostream& out_;
  std::string line_;  // the event being formatted (reused: no allocation per event once grown)
  uint64_t events_ = 0;
};

}  // namespace hexad::audit
