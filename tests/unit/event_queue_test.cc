// The scheduler's event queue: (when, insertion) order, cancellation, rescheduling, filtered
// firing (thread-bound events fire only on their thread's slot visit) and callbacks that
// schedule or cancel while the queue fires.
#include <catch2/catch.hpp>

#include <functional>
#include <vector>

#include "cpu/sched/event_queue.h"

using namespace hexad::cpu::sched;

namespace {

// Records (payload, now) of every event it gets, and runs an optional action on each.
struct Recorder : EventClient {
  std::vector<std::pair<uint64_t, uint64_t>> fired;
  std::function<void(uint64_t)> action;
  void on_event(uint64_t payload, uint64_t now) override {
    fired.emplace_back(payload, now);
    if (action) action(payload);
  }
  std::vector<uint64_t> payloads() const {
    std::vector<uint64_t> p;
    for (const auto& f : fired) p.push_back(f.first);
    return p;
  }
};

auto all = [](const EventQueue::Event&) { return true; };

}  // namespace

TEST_CASE("event queue: fires by time, then in insertion order among ties") {
  EventQueue q;
  Recorder r;
  q.schedule(30, r, 1);
  q.schedule(10, r, 2);
  q.schedule(20, r, 3);
  q.schedule(10, r, 4);  // ties with 2, scheduled later: fires after it
  q.schedule(20, r, 5);
  CHECK(q.next_when() == 10u);
  CHECK(q.fire_due(15, all) == 2);
  CHECK(r.payloads() == std::vector<uint64_t>{2, 4});
  CHECK(r.fired[0].second == 15);  // `now` is the clock it fired at
  CHECK(q.fire_due(100, all) == 3);
  CHECK(r.payloads() == std::vector<uint64_t>{2, 4, 3, 5, 1});
  CHECK_FALSE(q.next_when());
}

TEST_CASE("event queue: nothing fires before its time") {
  EventQueue q;
  Recorder r;
  q.schedule(50, r, 1);
  CHECK(q.fire_due(49, all) == 0);
  CHECK(r.fired.empty());
  CHECK(q.fire_due(50, all) == 1);  // due at when <= now
}

TEST_CASE("event queue: cancel removes exactly one event, and twice is harmless") {
  EventQueue q;
  Recorder r;
  EventId a = q.schedule(10, r, 1);
  EventId b = q.schedule(10, r, 2);
  EventId c = q.schedule(10, r, 3);
  CHECK(q.cancel(b));
  CHECK_FALSE(q.cancel(b));
  CHECK_FALSE(q.cancel(EventId{}));  // the empty id
  CHECK(q.size() == 2);
  q.fire_due(10, all);
  CHECK(r.payloads() == std::vector<uint64_t>{1, 3});
  CHECK_FALSE(q.cancel(a));  // already fired
  CHECK_FALSE(q.cancel(c));
}

TEST_CASE("event queue: a rescheduled event goes behind events already due at its new time") {
  EventQueue q;
  Recorder r;
  EventId a = q.schedule(5, r, 1);
  q.schedule(20, r, 2);
  EventId moved = q.reschedule(a, 20);
  CHECK(moved);
  CHECK(moved.when == 20);
  CHECK_FALSE(q.cancel(a));  // the old id is gone
  CHECK(q.fire_due(19, all) == 0);
  q.fire_due(20, all);
  CHECK(r.payloads() == std::vector<uint64_t>{2, 1});
  CHECK_FALSE(q.reschedule(moved, 30));  // fired: nothing to move
}

TEST_CASE("event queue: a filter leaves other clients' due events pending, in order") {
  EventQueue q;
  Recorder r;
  q.schedule(10, r, 100, 1);  // thread 1
  q.schedule(10, r, 200, 2);  // thread 2
  q.schedule(12, r, 101, 1);
  q.schedule(11, r, 0);  // global
  auto thread1 = [](const EventQueue::Event& e) { return e.bound_tid == 1; };
  CHECK(q.fire_due(20, thread1) == 2);
  CHECK(r.payloads() == std::vector<uint64_t>{100, 101});
  CHECK(q.size() == 2);
  CHECK(q.next_when() == 10u);
  CHECK(q.pending()[0].bound_tid == 2);
  CHECK(q.pending()[1].bound_tid == kGlobalEvent);
}

TEST_CASE("event queue: events scheduled while firing wait for the next call") {
  EventQueue q;
  Recorder r;
  r.action = [&](uint64_t p) {
    if (p == 1) q.schedule(0, r, 9);  // already due, but scheduled during this call
  };
  q.schedule(5, r, 1);
  q.schedule(6, r, 2);
  CHECK(q.fire_due(10, all) == 2);
  CHECK(r.payloads() == std::vector<uint64_t>{1, 2});
  CHECK(q.fire_due(10, all) == 1);
  CHECK(r.payloads() == std::vector<uint64_t>{1, 2, 9});
}

TEST_CASE("event queue: a callback may cancel a later due event or one it already skipped") {
  EventQueue q;
  Recorder r;
  EventId skipped{}, later{};
  r.action = [&](uint64_t p) {
    if (p == 2) {
      CHECK(q.cancel(skipped));
      CHECK(q.cancel(later));
    }
  };
  skipped = q.schedule(1, r, 1, 7);  // thread 7: the filter skips it
  q.schedule(2, r, 2);
  later = q.schedule(3, r, 3);
  q.schedule(4, r, 4);
  q.fire_due(10, [](const EventQueue::Event& e) { return e.bound_tid != 7; });
  CHECK(r.payloads() == std::vector<uint64_t>{2, 4});
  CHECK(q.size() == 0);
}

TEST_CASE("event queue: steady state reuses storage") {
  EventQueue q;
  Recorder r;
  for (int i = 0; i < 8; ++i) q.schedule(uint64_t(i), r, 0);
  q.fire_due(100, all);
  const auto* storage = q.pending().data();
  const size_t capacity = q.pending().capacity();
  for (int round = 0; round < 100; ++round) {
    EventId a = q.schedule(uint64_t(1000 + round), r, 0);
    q.schedule(uint64_t(500 + round), r, 0);
    q.cancel(a);
    q.fire_due(uint64_t(1000 + round), all);
  }
  CHECK(q.pending().data() == storage);
  CHECK(q.pending().capacity() == capacity);
}
