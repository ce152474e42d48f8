// Compares every event the run produces with the next line of a recorded trace, as it is
// produced (hexad replay): the event is written as the JSONL writer writes it and compared byte
// for byte with the recorded line, host_ns aside (the one field two runs may differ in). The
// first difference is kept, with the last few events both agreed on; later events are ignored.
// Once warm, comparing allocates nothing (the line buffer and the context slots are reused).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "trace/line_source.h"
#include "trace/sink.h"

namespace hexad::trace {

struct Divergence {
  uint64_t idx = 0;       // the first event (0-based) the two disagree on
  uint64_t line = 0;      // its line in the recorded trace; 0 when the recorded trace had ended
  std::string recorded;   // the recorded line; empty when the recorded trace had ended
  std::string produced;   // the replay's event; empty when the replay ended first
  std::vector<std::string> context;  // the last common events, oldest first (recorded lines)
};

// The fields of two event lines that differ, host_ns aside, one "name: recorded -> produced"
// entry each, in the recorded line's key order then the produced line's new keys. A line that is
// not a JSON object gives one entry saying so.
std::vector<std::string> differing_fields(std::string_view recorded, std::string_view produced);

// Whether two event lines are the same event: equal bytes once "host_ns":N is taken out of both.
bool same_event(std::string_view recorded, std::string_view produced);

class CompareSink final : public EventSink {
 public:
  explicit CompareSink(LineSource& recorded, size_t context_events = 5);

  void write(const Stamp& stamp, const Event& event) override;
  bool wants_host_ns() const override { return false; }

  // Events from now on are not compared (the run.stop of a run stopped by --until).
  void stop_comparing() { stopped_ = true; }
  // After the run's last event: a recorded trace that goes on is a divergence too. Nothing after
  // stop_comparing() or a divergence.
  void finish();

  bool diverged() const { return divergence_.has_value(); }
  const std::optional<Divergence>& divergence() const { return divergence_; }
  uint64_t compared() const { return compared_; }  // events both agree on
  uint64_t seen() const { return seen_; }          // events written to this sink, compared or not

 private:
  void diverge(uint64_t idx, std::string_view recorded, std::string_view produced);

  LineSource& recorded_;
  fmt::memory_buffer produced_;
  std::vector<std::string> context_;  // a ring of the last agreed lines
  uint64_t compared_ = 0;
  uint64_t seen_ = 0;
  bool stopped_ = false;
  std::optional<Divergence> divergence_;
};

}  // namespace hexad::trace
