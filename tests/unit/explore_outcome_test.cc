// hexad explore's classification: wedge fingerprints independent of handles and object order,
// seed lists as ranges, classes ordered by size, and a run folder read into an outcome.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "app/explore_outcome.h"

using namespace hexad::app;

namespace {
const char* kDumpA = R"({"threads":[{"tid":1,"entry":"0x82000000"},{"tid":2,"entry":"0x82000040"},
  {"tid":3,"entry":"0x820001d0"}],
  "wedge_map":[{"handle":"0xf8000008","type":"event.synchronization","waiters_tid":[2]},
               {"handle":"0xf800000c","type":"event.synchronization","waiters_tid":[3]},
               {"handle":"0xf8000010","type":"thread","waiters_tid":[1]}]})";
// The same wedge with other handles, tids and object order.
const char* kDumpB = R"({"threads":[{"tid":1,"entry":"0x82000000"},{"tid":2,"entry":"0x820001d0"},
  {"tid":3,"entry":"0x82000040"}],
  "wedge_map":[{"handle":"0xf8000010","type":"thread","waiters_tid":[1]},
               {"handle":"0xf8000020","type":"event.synchronization","waiters_tid":[2]},
               {"handle":"0xf8000024","type":"event.synchronization","waiters_tid":[3]}]})";
}  // namespace

TEST_CASE("explore: the wedge fingerprint names object kinds and waiter entry points, not handles") {
  const auto a = wedge_fingerprint(kDumpA);
  const auto b = wedge_fingerprint(kDumpB);
  CHECK(a == b);
  CHECK(a.second ==
        "event.synchronization<-0x82000040 event.synchronization<-0x820001d0 thread<-0x82000000");
  CHECK(a.first.size() == 12);
  // Another waiter is another wedge.
  std::string c = kDumpB;
  c.replace(c.find(R"("waiters_tid":[1])"), 17, R"("waiters_tid":[2])");
  CHECK(wedge_fingerprint(c).first != a.first);
  // Keys, where the dump has them, are used as they are.
  CHECK(wedge_fingerprint(R"({"wedge_map":[{"key":"ev:wake","type":"thread","waiters_tid":[1]}]})").second ==
        "ev:wake");
  CHECK(wedge_fingerprint(R"({"wedge_map":[{"key":{"object":"wake"},"waiters_tid":[1]}]})").second ==
        R"({"object":"wake"})");
  CHECK(wedge_fingerprint(R"({"wedge_map":[]})").first == "-");
  CHECK(wedge_fingerprint("not json").first == "-");
}

TEST_CASE("explore: seeds print as ranges, cut after a number of items") {
  CHECK(format_seeds({}) == "");
  CHECK(format_seeds({4}) == "4");
  CHECK(format_seeds({1, 2, 3, 7, 9, 10}) == "1-3, 7, 9-10");
  CHECK(format_seeds({1, 3, 5, 7, 8}, 2) == "1, 3, ... (3 more seeds)");
}

TEST_CASE("explore: classes by outcome, the largest first, ties by the lowest seed") {
  RunOutcome ok{0, "exit", "aaaaaaaaaaaa", "-", ""};
  RunOutcome dead{3, "deadlock", "bbbbbbbbbbbb", "cccccccccccc", "x"};
  RunOutcome other{0, "exit", "dddddddddddd", "-", ""};
  std::map<uint64_t, RunOutcome> runs{{1, ok}, {2, dead}, {3, ok}, {4, other}, {5, dead}, {6, ok}};
  const auto classes = group_outcomes(runs);
  REQUIRE(classes.size() == 3);
  CHECK(classes[0].seeds == std::vector<uint64_t>{1, 3, 6});
  CHECK(classes[1].seeds == std::vector<uint64_t>{2, 5});
  CHECK(classes[1].outcome.failing());
  CHECK(classes[1].outcome.deadlock_or_fault());
  CHECK(classes[2].seeds == std::vector<uint64_t>{4});
  CHECK_FALSE(classes[2].outcome.failing());
}

TEST_CASE("explore: a run folder is read into its outcome, a missing one into none") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "hexad_explore_outcome_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "run.json") << R"({"stop_reason":"deadlock","exit_status":3})";
  std::ofstream(dir / "stdout.log") << "";
  std::ofstream(dir / "exit-thread-state.json") << kDumpA;
  const RunOutcome o = classify_run(dir.string(), 3);
  CHECK(o.exit_status == 3);
  CHECK(o.stop_reason == "deadlock");
  CHECK(o.stdout_hash == "e3b0c44298fc");  // SHA-256 of nothing
  CHECK(o.wedge == wedge_fingerprint(kDumpA).first);
  const RunOutcome none = classify_run((dir / "absent").string(), 139);
  CHECK(none.stop_reason == "none");
  CHECK(none.stdout_hash == "-");
  CHECK(none.wedge == "-");
  CHECK(none.failing());
  fs::remove_all(dir);
}
