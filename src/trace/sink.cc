#include "trace/sink.h"

namespace hexad::trace {

Tracer::Tracer(EventSink& sink)
    : sink_(sink), want_host_ns_(sink.wants_host_ns()), start_(std::chrono::steady_clock::now()) {
  per_tid_.resize(64);
}

uint64_t Tracer::host_ns() const {
  return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count());
}

// Only when a thread with a tid beyond every earlier one first acts: not per event.
void Tracer::grow(uint32_t tid) { per_tid_.resize(std::max<size_t>(size_t(tid) + 1, per_tid_.size() * 2)); }

}  // namespace hexad::trace
