// Future events in guest cycles (Dolphin's CoreTiming, on the scheduler's clock). A client
// schedules an event for a cycle and gets an EventId back; it may cancel it until it fires.
// Events fire in (when, insertion sequence) order, so two events due at the same cycle fire in
// the order they were scheduled.
//
// The scheduler fires every event at its own cycle, in the run's one guest-time order: before
// any slot step at that cycle and after every step before it (scheduler.h). An event names the
// thread it belongs to (a wait deadline) or kGlobalEvent; the owner is for listing pending
// events (pending()) and selective firing (fire_due's `accept`), it does not delay the event.
//
// Storage is one vector kept sorted by (when, seq): the pending set is small (about one event
// per blocked thread), so inserting by binary search and shifting beats a node-based set, it
// allocates nothing once its capacity has grown, iterating the due prefix in order is free
// (a heap would have to pop to do it), and cancellation removes the entry at once (no
// tombstones to skip or to pile up).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace hexad::cpu::sched {

constexpr uint32_t kGlobalEvent = 0;  // bound_tid of an event that belongs to no thread

// What a client gets back from schedule(): enough to find the entry again by binary search.
struct EventId {
  uint64_t when = 0;
  uint64_t seq = 0;  // 0 = no event
  explicit operator bool() const { return seq != 0; }
  bool operator==(const EventId&) const = default;
};

class EventClient {
 public:
  virtual ~EventClient() = default;
  // The event is already out of the queue when this runs; the client may schedule or cancel
  // others. `now` is the clock it fired at (>= when).
  virtual void on_event(uint64_t payload, uint64_t now) = 0;
};

class EventQueue {
 public:
  struct Event {
    uint64_t when;
    uint64_t seq;
    EventClient* client;
    uint64_t payload;
    uint32_t bound_tid;  // kGlobalEvent or the thread it belongs to
  };

  EventId schedule(uint64_t when, EventClient& client, uint64_t payload, uint32_t bound_tid = kGlobalEvent);
  // False when the event is not pending (already fired or cancelled): cancelling twice is harmless.
  bool cancel(EventId id);
  // The same event moved to another cycle; it counts as newly scheduled (goes behind events
  // already due at that cycle).
  EventId reschedule(EventId id, uint64_t when);

  // Fires, in (when, seq) order, every event due at `now` (when <= now) that `accept` takes.
  // Events scheduled while firing wait for the next call, so one call is bounded.
  template <class Accept>
  size_t fire_due(uint64_t now, Accept&& accept) {
    size_t fired = 0;
    const uint64_t seq_limit = next_seq_;
    for (size_t i = 0; i < events_.size() && events_[i].when <= now;) {
      const Event e = events_[i];
      if (e.seq >= seq_limit || !accept(e)) {
        ++i;
        continue;
      }
      events_.erase(events_.begin() + ptrdiff_t(i));
      ++fired;
      e.client->on_event(e.payload, now);
      // The callback may have inserted or removed entries before i: continue from the first
      // entry not yet considered, which is the first one ordered after e.
      i = lower_bound(e.when, e.seq + 1);
    }
    return fired;
  }

  std::optional<uint64_t> next_when() const;
  size_t size() const { return events_.size(); }
  const std::vector<Event>& pending() const { return events_; }  // in firing order

 private:
  size_t lower_bound(uint64_t when, uint64_t seq) const;
  std::optional<size_t> find(EventId id) const;

  std::vector<Event> events_;  // sorted by (when, seq)
  uint64_t next_seq_ = 1;
};

}  // namespace hexad::cpu::sched
