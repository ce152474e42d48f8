#include "cpu/sched/event_queue.h"

#include <algorithm>

namespace hexad::cpu::sched {

size_t EventQueue::lower_bound(uint64_t when, uint64_t seq) const {
  auto it = std::lower_bound(events_.begin(), events_.end(), std::pair{when, seq}, [](const Event& e, const auto& key) {
    return e.when != key.first ? e.when < key.first : e.seq < key.second;
  });
  return size_t(it - events_.begin());
}

EventId EventQueue::schedule(uint64_t when, EventClient& client, uint64_t payload, uint32_t bound_tid) {
  const uint64_t seq = next_seq_++;
  // A new event has the largest seq: it goes after every event due at the same cycle.
  events_.insert(events_.begin() + ptrdiff_t(lower_bound(when + 1, 0)), Event{when, seq, &client, payload, bound_tid});
  return {when, seq};
}

std::optional<size_t> EventQueue::find(EventId id) const {
  if (!id) return std::nullopt;
  size_t i = lower_bound(id.when, id.seq);
  if (i == events_.size() || events_[i].when != id.when || events_[i].seq != id.seq) return std::nullopt;
  return i;
}

bool EventQueue::cancel(EventId id) {
  auto i = find(id);
  if (!i) return false;
  events_.erase(events_.begin() + ptrdiff_t(*i));
  return true;
}

EventId EventQueue::reschedule(EventId id, uint64_t when) {
  auto i = find(id);
  if (!i) return {};
  const Event e = events_[*i];
  events_.erase(events_.begin() + ptrdiff_t(*i));
  return schedule(when, *e.client, e.payload, e.bound_tid);
}

std::optional<uint64_t> EventQueue::next_when() const {
  if (events_.empty()) return std::nullopt;
  return events_.front().when;
}

}  // namespace hexad::cpu::sched
