// The JSONL trace, schema hexad.trace/1 (docs/trace.md). One object per line, keys in a fixed
// order; every event carries idx, kind, tid, slot, round, guest_cycle and host_ns. host_ns is
// the only field allowed to differ between two runs of the same image and options.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hexad::kernel {

using Json = nlohmann::ordered_json;

std::string hex32(uint64_t v);  // "0x%08x"

struct EventWhere {
  uint32_t tid;
  int slot;  // -1: outside any slot visit (run start/stop)
  uint64_t round;
  uint64_t guest_cycle;
};

class TraceWriter {
 public:
  // path empty: events are counted but not written (--no-trace).
  explicit TraceWriter(const std::string& path);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // Writes {idx, kind, tid, slot, round, guest_cycle, host_ns, ...fields}.
  void emit(const char* kind, const EventWhere& where, const Json& fields);
  uint64_t events() const { return next_idx_; }
  void flush();

 private:
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  uint64_t next_idx_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace hexad::kernel
