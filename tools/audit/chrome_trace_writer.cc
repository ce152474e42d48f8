#include "chrome_trace_writer.h"

#include <fmt/format.h>

namespace hexad::audit {

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7f) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", unsigned(u));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void ChromeArgs::key(std::string_view k) {
  if (!body_.empty()) body_.push_back(',');
  append_json_string(body_, k);
  body_.push_back(':');
}

ChromeArgs& ChromeArgs::str(std::string_view k, std::string_view value) {
  key(k);
  append_json_string(body_, value);
  return *this;
}

ChromeArgs& ChromeArgs::num(std::string_view k, uint64_t value) {
  key(k);
  fmt::format_to(std::back_inserter(body_), "{}", value);
  return *this;
}

ChromeArgs& ChromeArgs::snum(std::string_view k, int64_t value) {
  key(k);
  fmt::format_to(std::back_inserter(body_), "{}", value);
  return *this;
}

ChromeArgs& ChromeArgs::hex(std::string_view k, uint32_t value) {
  key(k);
  fmt::format_to(std::back_inserter(body_), "\"0x{:08x}\"", value);
  return *this;
}

ChromeArgs& ChromeArgs::raw(std::string_view k, std::string_view json) {
  key(k);
  body_ += json;
  return *this;
}

ChromeTraceWriter::ChromeTraceWriter(std::ostream& out) : out_(out) { out_ << "{\"traceEvents\":[\n"; }

void ChromeTraceWriter::start_event() {
  line_.clear();
  if (events_ != 0) line_ += ",\n";
  line_.push_back('{');
}

void ChromeTraceWriter::end_event(const ChromeArgs* args) {
  if (args && !args->empty()) {
    line_ += ",\"args\":{";
    line_ += args->body();
    line_.push_back('}');
  }
  line_.push_back('}');
  out_.write(line_.data(), std::streamsize(line_.size()));
  ++events_;
}

void ChromeTraceWriter::metadata(uint32_t pid, const uint32_t* tid, std::string_view what, const ChromeArgs& args) {
  start_event();
  line_ += "\"ph\":\"M\",\"name\":";
  append_json_string(line_, what);
  fmt::format_to(std::back_inserter(line_), ",\"pid\":{}", pid);
  if (tid) fmt::format_to(std::back_inserter(line_), ",\"tid\":{}", *tid);
  end_event(&args);
}

void ChromeTraceWriter::process_name(uint32_t pid, std::string_view name) {
  ChromeArgs a;
  metadata(pid, nullptr, "process_name", a.str("name", name));
}

void ChromeTraceWriter::process_sort_index(uint32_t pid, int64_t index) {
  ChromeArgs a;
  metadata(pid, nullptr, "process_sort_index", a.snum("sort_index", index));
}

void ChromeTraceWriter::thread_name(uint32_t pid, uint32_t tid, std::string_view name) {
  ChromeArgs a;
  metadata(pid, &tid, "thread_name", a.str("name", name));
}

void ChromeTraceWriter::thread_sort_index(uint32_t pid, uint32_t tid, int64_t index) {
  ChromeArgs a;
  metadata(pid, &tid, "thread_sort_index", a.snum("sort_index", index));
}

void ChromeTraceWriter::header(char ph, uint32_t pid, uint32_t tid, std::string_view cat, std::string_view name,
                               uint64_t ts) {
  start_event();
  fmt::format_to(std::back_inserter(line_), "\"ph\":\"{}\",\"cat\":", ph);
  append_json_string(line_, cat);
  line_ += ",\"name\":";
  append_json_string(line_, name);
  fmt::format_to(std::back_inserter(line_), ",\"pid\":{},\"tid\":{},\"ts\":{}", pid, tid, ts);
}

void ChromeTraceWriter::complete(uint32_t pid, uint32_t tid, std::string_view cat, std::string_view name, uint64_t ts,
                                 uint64_t dur, const ChromeArgs& args, FlowRole role, uint64_t flow_id) {
  header('X', pid, tid, cat, name, ts);
  fmt::format_to(std::back_inserter(line_), ",\"dur\":{}", dur);
  if (role != FlowRole::None)
    fmt::format_to(std::back_inserter(line_), ",\"bind_id\":{},\"{}\":true", flow_id,
                   role == FlowRole::Out ? "flow_out" : "flow_in");
  end_event(&args);
}

void ChromeTraceWriter::begin(uint32_t pid, uint32_t tid, std::string_view cat, std::string_view name, uint64_t ts,
                              const ChromeArgs& args) {
  header('B', pid, tid, cat, name, ts);
  end_event(&args);
}

void ChromeTraceWriter::global_instant(uint32_t pid, uint32_t tid, std::string_view cat, std::string_view name,
                                       uint64_t ts, const ChromeArgs& args) {
  header('i', pid, tid, cat, name, ts);
  line_ += ",\"s\":\"g\"";
  end_event(&args);
}

bool ChromeTraceWriter::finish(std::string_view other_data) {
  out_ << "\n],\n\"otherData\":" << other_data << "}\n";
  out_.flush();
  return bool(out_);
}

}  // namespace hexad::audit
