// hexad studio's view models without SDL (src/app/studio/view_model.h): the timeline's boxes and
// hover text, the threads table, the event filter, the wedge graph with its cycles; and the
// controller state and --script commands the input recorder is driven by.
#include <catch2/catch.hpp>

#include <set>

#include "app/studio/pad_input.h"
#include "app/studio/studio_script.h"
#include "app/studio/view_model.h"
#include "base/hexad_error.h"

using namespace hexad::app::studio;
using hexad::kernel::Json;
using hexad::cpu::sched::PickReason;

namespace {

SliceRecord slice(uint32_t slot, uint32_t tid, uint64_t start, uint64_t end) {
  return {slot, tid, start, end, false, {}};
}

// The wedge map of tests/guest/waitcycle.c: thread 3 waits on a mutant thread 2 owns, thread 2
// on an event only thread 3 ever set, the main thread on thread 2's exit.
const char* kWaitcycleDump = R"({
  "threads": [
    {"tid": 1, "key": "main", "handle": "0xf8000004", "state": "Blocked", "slot": 0, "base_priority": 8, "effective_priority": 8},
    {"tid": 2, "key": "main/thread@0x820000c0#1", "handle": "0xf8000014", "state": "Blocked", "slot": 1,
     "affinity": "0x0000003f", "base_priority": 8, "effective_priority": 9, "last_run_round": 4, "instructions": 48,
     "pc": "0x8200029c", "lr": "0x82000134",
     "wait": {"wait": "any", "objects": [{"handle": "0xf8000010", "key": "main:NtCreateEvent#2",
                                          "type": "event.synchronization", "state": {"signaled": false}}]}},
    {"tid": 3, "key": "main/thread@0x82000100#2", "handle": "0xf8000018", "state": "Blocked", "slot": 2,
     "base_priority": 8, "effective_priority": 8}
  ],
  "wedge_map": [
    {"handle": "0xf8000008", "key": "main:NtCreateMutant#1", "type": "mutant",
     "state": {"signaled": false, "owner": 2, "abandoned": false}, "waiters_tid": [3], "signaled_by_tids": []},
    {"handle": "0xf8000010", "key": "main:NtCreateEvent#2", "type": "event.synchronization",
     "state": {"signaled": false}, "waiters_tid": [2], "signaled_by_tids": [3]},
    {"handle": "0xf8000014", "key": "thread:main/thread@0x820000c0#1", "type": "thread",
     "state": {"signaled": false}, "waiters_tid": [1], "signaled_by_tids": []}
  ]
})";

}  // namespace

TEST_CASE("studio timeline: boxes per lane within the viewport, and the threads each lane shows") {
  const std::vector<SliceRecord> slices = {slice(0, 1, 0, 100), slice(1, 2, 0, 50), slice(0, 2, 100, 200),
                                           slice(5, 3, 150, 400), slice(7, 9, 0, 10)};  // slot 7: no lane
  const TimelineViewport fit = fit_timeline(slices, 400);
  CHECK(fit.first_cycle == 0);
  CHECK(fit.last_cycle() == Approx(400));
  const std::vector<TimelineBox> boxes = layout_timeline(slices, fit);
  REQUIRE(boxes.size() == 4);
  CHECK(boxes[0].x0 == 0);
  CHECK(boxes[0].x1 == Approx(100));
  const auto lanes = lane_threads(boxes);
  CHECK(lanes[0] == std::vector<uint32_t>{1, 2});
  CHECK(lanes[1] == std::vector<uint32_t>{2});
  CHECK(lanes[5] == std::vector<uint32_t>{3});
  CHECK(lanes[2].empty());
  CHECK(box_at(boxes, 150, 0) == 2);
  CHECK(box_at(boxes, 150, 1) == -1);

  // Zoomed to cycles 100..200 over 100 pixels: thread 1's slice touches the left edge, thread 3's
  // is cut at the right one, thread 2's on slot 1 is gone.
  const std::vector<TimelineBox> zoomed = layout_timeline(slices, {100, 1, 100});
  const auto zl = lane_threads(zoomed);
  CHECK(zl[0] == std::vector<uint32_t>{1, 2});
  CHECK(zl[1].empty());
  for (const TimelineBox& b : zoomed) CHECK(b.x1 <= 100 + 1);
  // A slice narrower than a pixel is still one pixel wide.
  const std::vector<TimelineBox> far = layout_timeline({slice(0, 1, 0, 1)}, {0, 1000, 100});
  REQUIRE(far.size() == 1);
  CHECK(far[0].x1 - far[0].x0 == Approx(1));
}

TEST_CASE("studio timeline: the hover says why the thread was picked") {
  SliceRecord s = slice(3, 2, 1000, 1500);
  s.has_pick = true;
  s.pick = {PickReason::Age, 8, 11, 3, 2, 7};
  const Json dump = Json::parse(kWaitcycleDump);
  const std::string text = slice_tooltip(s, dump);
  CHECK_THAT(text, Catch::Contains("thread 2 on core 1 thread 1"));
  CHECK_THAT(text, Catch::Contains("picked in round 7 among 2 Ready: base priority 8, effective 11"));
  CHECK_THAT(text, Catch::Contains("why: age: its age bonus (+3)"));
  CHECK_THAT(text, Catch::Contains("key main/thread@0x820000c0#1"));
  CHECK_THAT(text, Catch::Contains("now: base priority 8, effective 9, Blocked (last run round 4)"));
  std::set<std::string> texts;
  for (PickReason r : {PickReason::Perturbed, PickReason::Yield, PickReason::AgainstPriority, PickReason::Mask,
                       PickReason::Alone, PickReason::Rotation, PickReason::Readiness, PickReason::Priority}) {
    s.pick.reason = r;
    CHECK_THAT(slice_tooltip(s, dump), Catch::Contains("why: " + pick_reason_text(s.pick)));
    texts.insert(pick_reason_text(s.pick));
  }
  CHECK(texts.size() == 8);  // each reason says something of its own
  // A recorded run's slice has no pick.
  CHECK_THAT(slice_tooltip(slice(0, 5, 0, 1), dump), !Catch::Contains("why"));
}

TEST_CASE("studio threads: one row per thread with its wait, and the event filter") {
  const std::vector<ThreadRow> rows = thread_rows(Json::parse(kWaitcycleDump));
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].tid == 2);
  CHECK(rows[1].state == "Blocked");
  CHECK(rows[1].priority == "8 (9)");
  CHECK(rows[1].wait == "any event.synchronization main:NtCreateEvent#2");
  CHECK(rows[1].pc == "0x8200029c");
  CHECK(rows[0].wait.empty());
  CHECK(thread_rows(Json::object()).empty());

  const std::string line = R"({"idx":4,"guest_cycle":9,"slot":0,"tid":12,"kind":"import.call","name":"NtSetEvent"})";
  CHECK(event_passes(line, 0, ""));
  CHECK(event_passes(line, 12, "NtSetEvent"));
  CHECK_FALSE(event_passes(line, 1, ""));  // tid 12 is not tid 1
  CHECK_FALSE(event_passes(line, 12, "NtWait"));
}

TEST_CASE("studio wedge graph: threads, objects, who could release them, and the cycle") {
  const std::vector<Explanation> why = {{"main:NtCreateMutant#1", "0xf8000008", "deadlock-cycle", "..."}};
  const WedgeGraph g = build_wedge_graph(Json::parse(kWaitcycleDump), why);
  REQUIRE(g.cycles.size() == 1);
  CHECK(g.cycles[0] == std::vector<uint32_t>{2, 3});
  size_t objects = 0, threads = 0;
  for (const WedgeNode& n : g.nodes) {
    if (n.kind == WedgeNode::Kind::Object) {
      ++objects;
      // The mutant and the event close the cycle; thread 2's exit (waited on by main) does not.
      CHECK(n.in_cycle == (n.handle != "0xf8000014"));
      if (n.handle == "0xf8000008") CHECK(n.cls == "deadlock-cycle");
    } else {
      ++threads;
      CHECK(n.in_cycle == (n.tid == 2 || n.tid == 3));
    }
  }
  CHECK(objects == 3);
  CHECK(threads == 3);
  // The edges: each waiter to its object, each object to its releaser (the mutant's owner, the
  // event's past signaler, the thread object's own thread).
  auto edge = [&](WedgeEdge::Kind kind, const std::string& from, const std::string& to) {
    for (const WedgeEdge& e : g.edges)
      if (e.kind == kind && g.nodes[e.from].label.find(from) == 0 && g.nodes[e.to].label.find(to) == 0) return &e;
    return static_cast<const WedgeEdge*>(nullptr);
  };
  REQUIRE(edge(WedgeEdge::Kind::WaitsOn, "thread 3", "mutant"));
  CHECK(edge(WedgeEdge::Kind::WaitsOn, "thread 3", "mutant")->in_cycle);
  REQUIRE(edge(WedgeEdge::Kind::ReleasedBy, "mutant", "thread 2"));
  REQUIRE(edge(WedgeEdge::Kind::ReleasedBy, "event.synchronization", "thread 3"));
  REQUIRE(edge(WedgeEdge::Kind::WaitsOn, "thread 1", "thread thread:"));
  CHECK_FALSE(edge(WedgeEdge::Kind::WaitsOn, "thread 1", "thread thread:")->in_cycle);
  REQUIRE(edge(WedgeEdge::Kind::ReleasedBy, "thread thread:", "thread 2"));

  // No wedge map, no graph; a thread waiting on itself is a cycle of one.
  CHECK(build_wedge_graph(Json::object(), {}).nodes.empty());
  const Json self = Json::parse(R"({"threads": [{"tid": 4, "state": "Blocked"}], "wedge_map": [
      {"handle": "0x1", "key": "m", "type": "mutant", "state": {"owner": 4}, "waiters_tid": [4], "signaled_by_tids": []}]})");
  CHECK(build_wedge_graph(self, {}).cycles == std::vector<std::vector<uint32_t>>{{4}});
}

TEST_CASE("studio input: controller 0's state from named buttons, triggers and sticks") {
  PadInput pad;
  auto a = pad.set("A", true);
  REQUIRE(a);
  CHECK(a->buttons == 0x1000);
  CHECK_FALSE(pad.set("A", true));  // a repeat changes nothing
  REQUIRE(pad.set("UP", true));
  CHECK(pad.state().buttons == 0x1001);
  REQUIRE(pad.set("RT", true));
  CHECK(pad.state().right_trigger == 255);
  REQUIRE(pad.set("A", false));
  CHECK(pad.state().buttons == 0x0001);
  REQUIRE(pad.set_axis("LY", 40000));
  CHECK(pad.state().thumb_ly == 32767);
  CHECK_FALSE(pad.set_axis("LY", 32767));
  CHECK_THROWS_AS(pad.set("Z", true), hexad::Error);
  CHECK_THROWS_AS(pad.set_axis("A", 1), hexad::Error);
}

TEST_CASE("studio script: the input recorder's and screenshot commands") {
  const Script s = parse_script("record-input /tmp/x.json; press A; release A; break-print packet 2; screenshot a.png timeline");
  REQUIRE(s.size() == 5);
  CHECK(s[0].op == ScriptOp::RecordInput);
  CHECK(s[0].text == "/tmp/x.json");
  CHECK(s[1].op == ScriptOp::Press);
  CHECK(s[2].op == ScriptOp::Release);
  CHECK(s[2].text == "A");
  CHECK(s[3].text == "packet 2");
  CHECK(s[4].op == ScriptOp::Screenshot);
  CHECK(s[4].text == "a.png timeline");
  CHECK(parse_script("pin-slice").at(0).op == ScriptOp::PinSlice);
  CHECK_THROWS_AS(parse_script("press Q"), hexad::Error);
  CHECK_THROWS_AS(parse_script("record-input"), hexad::Error);
}
