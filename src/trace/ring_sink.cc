#include "trace/ring_sink.h"

#include "base/hexad_error.h"
#include "trace/jsonl.h"

namespace hexad::trace {

RingSink::RingSink(size_t capacity, size_t line_reserve) {
  if (capacity == 0) fail("a ring sink needs room for at least one event");
  slots_.resize(capacity);
  for (std::string& s : slots_) s.reserve(line_reserve);
}

void RingSink::write(const Stamp& stamp, const Event& event) {
  scratch_.clear();
  append_jsonl(scratch_, stamp, event);
  std::string& slot = slots_[written_ % slots_.size()];
  slot.assign(scratch_.data(), scratch_.size() - 1);  // without the '\n'
  ++written_;
}

std::string_view RingSink::line(size_t i) const {
  if (i >= size()) fail("ring sink line {} of {}", i, size());
  uint64_t oldest = written_ - size();
  return slots_[(oldest + i) % slots_.size()];
}

}  // namespace hexad::trace
