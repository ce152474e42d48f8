// Where events go. The Tracer is the single emit point: it numbers events (idx), reads the host
// clock (host_ns, only when a sink wants it) and counts events per acting thread (Where::tid),
// then hands the stamped event to one EventSink.
#pragma once
#include <chrono>
#include <cstdint>
#include <vector>

#include "trace/events.h"

namespace hexad::trace {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void write(const Stamp& stamp, const Event& event) = 0;
  virtual void flush() {}
  // False when host_ns is never looked at: the Tracer then skips the clock read.
  virtual bool wants_host_ns() const { return true; }
};

// --no-trace: events are numbered and counted by the Tracer, and dropped.
class NullSink final : public EventSink {
 public:
  void write(const Stamp&, const Event&) override {}
  bool wants_host_ns() const override { return false; }
};

// Both sinks get every event, `first` first.
class TeeSink final : public EventSink {
 public:
  TeeSink(EventSink& first, EventSink& second) : first_(first), second_(second) {}
  void write(const Stamp& stamp, const Event& event) override {
    first_.write(stamp, event);
    second_.write(stamp, event);
  }
  void flush() override {
    first_.flush();
    second_.flush();
  }
  bool wants_host_ns() const override { return first_.wants_host_ns() || second_.wants_host_ns(); }

 private:
  EventSink& first_;
  EventSink& second_;
};

class Tracer {
 public:
  explicit Tracer(EventSink& sink);
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // The event counts for `where.tid` (the actor; for wait.end the waiter, whose tid it carries).
  void emit(const Where& where, const Event& event) {
    Stamp s{next_idx_++, where, want_host_ns_ ? host_ns() : 0};
    if (where.tid >= per_tid_.size()) grow(where.tid);
    ++per_tid_[where.tid];
    sink_.write(s, event);
  }
  uint64_t events() const { return next_idx_; }
  // Events whose Where::tid was `tid` (tid 0: the run's own events).
  uint64_t events_of(uint32_t tid) const { return tid < per_tid_.size() ? per_tid_[tid] : 0; }
  void flush() { sink_.flush(); }

 private:
  uint64_t host_ns() const;
  void grow(uint32_t tid);

  EventSink& sink_;
  bool want_host_ns_;
  uint64_t next_idx_ = 0;
  std::vector<uint64_t> per_tid_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace hexad::trace
