// wedge-diff's verdict rules and explain's classes on small runs built in code (the real-run
// checks are tests/guest/check_wedges.py): precedence, boundaries, and matching by key.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "explain.h"
#include "wedge_diff.h"

using hexad::audit::DumpThread;
using hexad::audit::DumpWedge;
using hexad::audit::ExplainOptions;
using hexad::audit::RunDump;
using hexad::audit::TraceFacts;
using hexad::audit::WedgeClass;
using hexad::audit::WedgeVerdict;

namespace {

DumpThread thread(uint32_t tid, std::string key, std::string state, uint64_t events = 10) {
  DumpThread t;
  t.tid = tid;
  t.key = std::move(key);
  t.handle = "0x" + std::to_string(0xf0 + tid);
  t.state = std::move(state);
  t.events = events;
  return t;
}

void waits(DumpThread& t, std::vector<std::string> handles, std::string kind = "any") {
  t.waits_on = std::move(handles);
  t.wait_kind = std::move(kind);
}

DumpWedge wedge(std::string key, std::string handle, std::string type, std::vector<uint32_t> waiters,
                std::vector<uint32_t> signalers, nlohmann::json state = {{"signaled", false}}) {
  DumpWedge w;
  w.key = std::move(key);
  w.handle = std::move(handle);
  w.type = std::move(type);
  w.waiters = std::move(waiters);
  w.signalers = std::move(signalers);
  w.state = std::move(state);
  return w;
}

RunDump run(std::vector<DumpThread> threads, std::vector<DumpWedge> wedges, uint64_t rounds = 100) {
  RunDump r;
  r.dump_path = "test.json";
  r.stop_reason = "deadlock";
  r.rounds = rounds;
  r.threads = std::move(threads);
  r.wedges = std::move(wedges);
  return r;
}

WedgeClass classify(const RunDump& r, size_t wedge_index, uint64_t starve_rounds = 64) {
  TraceFacts facts;
  ExplainOptions options;
  options.starve_rounds = starve_rounds;
  return hexad::audit::explain_wedges(r, facts, options).at(wedge_index).cls;
}

}  // namespace

TEST_CASE("wedge-diff: the same run is UNCHANGED and identical") {
  RunDump a = run({thread(1, "main", "Blocked")},
                  {wedge("main:NtCreateEvent#1", "0x8", "event.notification", {1}, {})});
  auto d = hexad::audit::wedge_diff(a, a);
  CHECK(d.verdict == WedgeVerdict::Unchanged);
  CHECK(d.identical());
}

TEST_CASE("wedge-diff: matching is by key, so shifted tids and handles change nothing") {
  RunDump a = run({thread(1, "main", "Blocked"), thread(2, "main/thread@0x82000040#1", "Blocked")},
                  {wedge("main:NtCreateEvent#1", "0x8", "event.notification", {1, 2}, {2})});
  RunDump b = run({thread(7, "main", "Blocked"), thread(9, "main/thread@0x82000040#1", "Blocked")},
                  {wedge("main:NtCreateEvent#1", "0x108", "event.notification", {7, 9}, {9})});
  auto d = hexad::audit::wedge_diff(a, b);
  CHECK(d.verdict == WedgeVerdict::Unchanged);
  CHECK(d.changed.empty());
  CHECK(d.identical());
}

TEST_CASE("wedge-diff: a changed signaler keeps UNCHANGED but is not identical") {
  RunDump a = run({thread(1, "main", "Blocked"), thread(2, "w", "Exited")},
                  {wedge("e", "0x8", "event.notification", {1}, {})});
  RunDump b = run({thread(1, "main", "Blocked"), thread(2, "w", "Exited")},
                  {wedge("e", "0x8", "event.notification", {1}, {2})});
  auto d = hexad::audit::wedge_diff(a, b);
  CHECK(d.verdict == WedgeVerdict::Unchanged);
  CHECK_FALSE(d.identical());
  REQUIRE(d.changed.size() == 1);
  CHECK(d.changed[0].changed == std::vector<std::string>{"signalers"});
}

TEST_CASE("wedge-diff: dissolved, new, and both") {
  RunDump a = run({thread(1, "main", "Blocked", 5)}, {wedge("x", "0x8", "event.notification", {1}, {})});
  RunDump none = run({thread(1, "main", "Exited", 9)}, {});
  RunDump other = run({thread(1, "main", "Blocked", 9)}, {wedge("y", "0xc", "event.notification", {1}, {})});
  CHECK(hexad::audit::wedge_diff(a, none).verdict == WedgeVerdict::WedgeDissolved);
  CHECK(hexad::audit::wedge_diff(a, other).verdict == WedgeVerdict::WedgeDissolvedNewBlocker);
  RunDump before = run({thread(1, "main", "Running", 1)}, {});
  CHECK(hexad::audit::wedge_diff(before, a).verdict == WedgeVerdict::NewBlocker);
  // A second waiter joining the same wedge is a new blocked wait.
  RunDump two = run({thread(1, "main", "Blocked", 5), thread(2, "w", "Blocked", 5)},
                    {wedge("x", "0x8", "event.notification", {1, 2}, {})});
  CHECK(hexad::audit::wedge_diff(a, two).verdict == WedgeVerdict::NewBlocker);
}

TEST_CASE("wedge-diff: REGRESSED wins over dissolved and new when a waiter got further in A") {
  RunDump a = run({thread(1, "main", "Blocked", 50)}, {wedge("x", "0x8", "event.notification", {1}, {})});
  RunDump b = run({thread(1, "main", "Blocked", 49)}, {wedge("y", "0xc", "event.notification", {1}, {})});
  auto d = hexad::audit::wedge_diff(a, b);
  CHECK(d.verdict == WedgeVerdict::Regressed);
  REQUIRE(d.regressions.size() == 1);
  CHECK(d.regressions[0].events_a == 50);
  CHECK(d.regressions[0].events_b == 49);
  // Equal events are not a regression.
  b.threads[0].events = 50;
  CHECK(hexad::audit::wedge_diff(a, b).verdict == WedgeVerdict::WedgeDissolvedNewBlocker);
}

TEST_CASE("explain: a cycle through semaphores each released by the other thread only") {
  DumpThread t1 = thread(1, "a", "Blocked"), t2 = thread(2, "b", "Blocked");
  waits(t1, {"0x8"});
  waits(t2, {"0xc"});
  RunDump r = run({t1, t2}, {wedge("s1", "0x8", "semaphore", {1}, {2}, {{"signaled", false}, {"count", 0}}),
                             wedge("s2", "0xc", "semaphore", {2}, {1}, {{"signaled", false}, {"count", 0}})});
  CHECK(classify(r, 0) == WedgeClass::WaitCycle);
  CHECK(classify(r, 1) == WedgeClass::WaitCycle);
  // A WaitAny on two objects does not need this one: no cycle through it.
  r.threads[1].waits_on = {"0xc", "0x10"};
  CHECK(classify(r, 0) == WedgeClass::Unclassified);
}

TEST_CASE("explain: starvation from the threshold on, no signaler below it") {
  DumpThread main = thread(1, "main", "Blocked"), low = thread(2, "low", "Ready"), spin = thread(3, "spin", "Ready");
  waits(main, {"0x8"});
  low.slot = spin.slot = 5;
  low.last_run_round = 36;  // 100 - 36 = 64 rounds Ready
  spin.last_run_round = 100;
  RunDump r = run({main, low, spin}, {wedge("e", "0x8", "event.notification", {1}, {})});
  CHECK(classify(r, 0, 64) == WedgeClass::Starvation);
  CHECK(classify(r, 0, 65) == WedgeClass::NoSignaler);
}

TEST_CASE("explain: an event whose signaler is still running is unclassified, not guessed") {
  DumpThread main = thread(1, "main", "Blocked"), w = thread(2, "w", "Running");
  waits(main, {"0x8"});
  RunDump r = run({main, w}, {wedge("e", "0x8", "event.notification", {1}, {2})});
  TraceFacts facts;
  auto found = hexad::audit::explain_wedges(r, facts, ExplainOptions{});
  CHECK(found.at(0).cls == WedgeClass::Unclassified);
  CHECK(found.at(0).evidence.find("tid 2 (w) Running") != std::string::npos);
  // Once it has exited, nobody is left to signal it.
  r.threads[1].state = "Exited";
  CHECK(classify(r, 0) == WedgeClass::NoSignaler);
}

TEST_CASE("explain: a producer underrun needs two waiters and stuck releasers") {
  DumpThread c1 = thread(1, "c1", "Blocked"), c2 = thread(2, "c2", "Blocked"), p = thread(3, "p", "Blocked");
  waits(c1, {"0x8"});
  waits(c2, {"0x8"});
  waits(p, {"0xc"});
  nlohmann::json empty = {{"signaled", false}, {"count", 0}, {"max", 4}};
  RunDump r = run({c1, c2, p}, {wedge("s", "0x8", "semaphore", {1, 2}, {3}, empty),
                                wedge("go", "0xc", "event.notification", {3}, {})});
  CHECK(classify(r, 0) == WedgeClass::ProducerUnderrun);
  r.wedges[0].waiters = {1};
  CHECK(classify(r, 0) != WedgeClass::ProducerUnderrun);
}
