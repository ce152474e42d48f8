#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "trace_diff.h"

using hexad::audit::DiffOptions;
using hexad::audit::DiffResult;
using hexad::audit::diff_traces;
using hexad::audit::TraceEvent;
using hexad::audit::TraceReader;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A scratch directory removed when the test ends.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            fmt::format("hexad_audit_test_{}_{}", static_cast<long>(::getpid()), counter++);
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` verbatim to NAME and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::string p = (path_ / name).string();
    std::ofstream out(p, std::ios::binary);
    out << text;
    REQUIRE(out.good());
    return p;
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

const char* kKinds[] = {"thread.create", "import.call", "wait.begin", "wait.end"};

// The kind of event i of an n-event trace: run.start first, run.stop last (n = 0: never last).
std::string kind_of(uint64_t i, uint64_t n) {
  if (i == 0) return "run.start";
  if (i + 1 == n) return "run.stop";
  return kKinds[i % 4];
}

// Event i of an n-event trace as the tracer would write it; `cycle_bump` perturbs guest_cycle.
std::string event_line(uint64_t i, uint64_t n, uint64_t host_ns, uint64_t cycle_bump = 0) {
  return fmt::format(
      R"({{"idx":{},"kind":"{}","tid":{},"slot":{},"round":{},"guest_cycle":{},"host_ns":{}}})"
      "\n",
      i, kind_of(i, n), 1 + i % 3, i % 2, i / 8, i * 17 + cycle_bump, host_ns);
}

// A complete trace of n events; `keep` < n keeps only its first `keep` lines (a cut trace).
std::string trace_text(uint64_t n, uint64_t host_seed, uint64_t keep = UINT64_MAX) {
  std::string s;
  for (uint64_t i = 0; i < n && i < keep; ++i) s += event_line(i, n, i * 1000 + host_seed);
  return s;
}

// Runs diff_traces expecting hexad::Error; returns its message.
std::string diff_error(const std::string& a, const std::string& b, const DiffOptions& options = {}) {
  try {
    diff_traces(a, b, options);
  } catch (const hexad::Error& e) {
    return e.what();
  }
  FAIL("diff_traces did not throw");
  return {};
}

std::string report(const DiffResult& r, const std::string& a, const std::string& b) {
  std::ostringstream out;
  hexad::audit::write_diff_report(out, r, a, b);
  return out.str();
}

}  // namespace

TEST_CASE("audit diff: traces identical except host_ns compare equal") {
  TempDir dir;
  auto a = dir.write("a.jsonl", trace_text(40, 0));
  auto b = dir.write("b.jsonl", trace_text(40, 123456));
  DiffResult r = diff_traces(a, b);
  CHECK(r.identical());
  CHECK(r.events_a == 40);
  CHECK(r.events_b == 40);
  CHECK(r.differing == 0);
  CHECK(r.shown.empty());
  CHECK(report(r, a, b) == "identical: 40 events\n");
}

TEST_CASE("audit diff: key order, whitespace and a missing final newline do not matter") {
  TempDir dir;
  auto a = dir.write("a.jsonl",
                     "{\"idx\":0,\"kind\":\"run.start\",\"tid\":1,\"host_ns\":5}\n"
                     "{\"idx\":1,\"kind\":\"run.stop\",\"args\":{\"x\":1,\"y\":[1,2]},\"host_ns\":6}\n");
  auto b = dir.write("b.jsonl",
                     "{ \"host_ns\" : 99, \"tid\" : 1, \"kind\" : \"run.start\", \"idx\" : 0 }\r\n"
                     "{\"args\":{\"y\":[1, 2],\"x\":1},\"kind\":\"run.stop\",\"idx\":1}");
  DiffResult r = diff_traces(a, b);
  CHECK(r.identical());
  CHECK(r.events_a == 2);
  CHECK(r.events_b == 2);
}

TEST_CASE("audit diff: differing fields give the first index, the fields and per-kind counts") {
  TempDir dir;
  std::string text_b;
  for (uint64_t i = 0; i < 30; ++i) {
    // Differ at 5 (import.call), 9 (import.call) and 14 (wait.begin).
    uint64_t bump = (i == 5 || i == 9 || i == 14) ? 1 : 0;
    text_b += event_line(i, 30, 7, bump);
  }
  auto a = dir.write("a.jsonl", trace_text(30, 0));
  auto b = dir.write("b.jsonl", text_b);
  DiffResult r = diff_traces(a, b);
  REQUIRE_FALSE(r.identical());
  CHECK(r.differing == 3);
  CHECK(r.events_a == 30);
  CHECK(r.events_b == 30);
  REQUIRE(r.shown.size() == 1);
  const auto& d = r.shown[0];
  CHECK(d.idx == 5);
  REQUIRE(d.a.has_value());
  REQUIRE(d.b.has_value());
  CHECK(d.a->line == 6);
  CHECK(d.b->line == 6);
  CHECK(d.a->kind == "import.call");
  CHECK(d.fields == std::vector<std::string>{"guest_cycle"});
  CHECK_FALSE(d.a->fields.contains("host_ns"));
  CHECK(d.a->fields["guest_cycle"] == 5 * 17);
  CHECK(d.b->fields["guest_cycle"] == 5 * 17 + 1);
  CHECK(r.differing_by_kind == std::map<std::string, uint64_t>{{"import.call", 2}, {"wait.begin", 1}});

  std::string text = report(r, a, b);
  CHECK_THAT(text, Catch::Contains("first differing event: idx 5"));
  CHECK_THAT(text, Catch::Contains(
                       R"(A line 6: {"guest_cycle":85,"idx":5,"kind":"import.call","round":0,"slot":1,"tid":3})"));
  CHECK_THAT(text, Catch::Contains(
                       R"(B line 6: {"guest_cycle":86,"idx":5,"kind":"import.call","round":0,"slot":1,"tid":3})"));
  CHECK_THAT(text, Catch::Contains("fields: guest_cycle\n"));
  CHECK_THAT(text, Catch::Contains("  import.call: 2\n  wait.begin: 1\n"));
  CHECK_THAT(text, !Catch::Contains("event counts differ"));

  SECTION("max_show keeps the first N differing events") {
    DiffResult r3 = diff_traces(a, b, DiffOptions{.max_show = 2});
    REQUIRE(r3.shown.size() == 2);
    CHECK(r3.shown[0].idx == 5);
    CHECK(r3.shown[1].idx == 9);
    CHECK(r3.differing == 3);
    DiffResult r0 = diff_traces(a, b, DiffOptions{.max_show = 0});
    CHECK(r0.shown.empty());
    CHECK(r0.differing == 3);
  }
}

TEST_CASE("audit diff: fields present on one side only and number types are differences") {
  TempDir dir;
  auto a = dir.write("a.jsonl", R"({"idx":0,"kind":"run.start","v":1,"only_a":true})" "\n"
                                R"({"idx":1,"kind":"run.stop"})" "\n");
  auto b = dir.write("b.jsonl", R"({"idx":0,"kind":"run.start","v":1.0,"only_b":null})" "\n"
                                R"({"idx":1,"kind":"run.stop"})" "\n");
  DiffResult r = diff_traces(a, b);
  REQUIRE(r.shown.size() == 1);
  CHECK(r.shown[0].fields ==
        std::vector<std::string>{"only_a (only in A)", "only_b (only in B)", "v"});
}

TEST_CASE("audit diff: exact JSON value comparison") {
  using hexad::audit::same_json;
  CHECK(same_json(json::parse("1"), json::parse("1")));
  CHECK_FALSE(same_json(json::parse("1"), json::parse("1.0")));
  CHECK_FALSE(same_json(json::parse("1"), json::parse("2")));
  CHECK(same_json(json::parse("-3"), json::parse("-3")));
  CHECK_FALSE(same_json(json::parse("-1"), json::parse("18446744073709551615")));
  CHECK(same_json(json::parse("18446744073709551615"), json::parse("18446744073709551615")));
  CHECK_FALSE(same_json(json::parse("18446744073709551615"), json::parse("18446744073709551614")));
  CHECK(same_json(json::parse("0.5"), json::parse("5e-1")));
  CHECK_FALSE(same_json(json::parse("0.0"), json::parse("-0.0")));
  CHECK(same_json(json::parse(R"({"a":1,"b":[1,"x"]})"), json::parse(R"({"b":[1,"x"],"a":1})")));
  CHECK_FALSE(same_json(json::parse(R"({"a":1})"), json::parse(R"({"a":1,"b":2})")));
  CHECK_FALSE(same_json(json::parse(R"([1,2])"), json::parse(R"([2,1])")));
  CHECK_FALSE(same_json(json::parse(R"("1")"), json::parse("1")));
  CHECK_FALSE(same_json(json::parse("null"), json::parse("false")));
}

TEST_CASE("audit diff: traces of different lengths") {
  TempDir dir;
  auto long_trace = dir.write("long.jsonl", trace_text(10, 0));
  auto short_trace = dir.write("short.jsonl", trace_text(7, 3));
  auto cut_trace = dir.write("cut.jsonl", trace_text(10, 3, 7));  // the first 7 events: no run.stop
  const DiffOptions unfinished{.allow_unfinished = true};

  SECTION("complete traces: they differ from the shorter one's run.stop on") {
    DiffResult r = diff_traces(long_trace, short_trace);
    CHECK(r.events_a == 10);
    CHECK(r.events_b == 7);
    CHECK(r.differing == 4);
    REQUIRE(r.shown.size() == 1);
    CHECK(r.shown[0].idx == 6);
    CHECK(r.shown[0].fields == std::vector<std::string>{"kind"});
    CHECK_THAT(report(r, long_trace, short_trace), Catch::Contains("event counts differ: A has 10, B has 7"));
  }
  SECTION("a cut trace is refused, naming it as incomplete") {
    CHECK(diff_error(long_trace, cut_trace) ==
          cut_trace + ": incomplete trace: 7 events and no run.stop at the end (the run was killed or its trace "
                      "could not be written; --allow-unfinished compares it anyway)");
    CHECK_THAT(diff_error(cut_trace, long_trace), Catch::StartsWith(cut_trace + ": incomplete trace"));
  }
  SECTION("allow_unfinished, B cut: extra A events count by A's kind") {
    DiffResult r = diff_traces(long_trace, cut_trace, unfinished);
    CHECK(r.events_a == 10);
    CHECK(r.events_b == 7);
    CHECK(r.differing == 3);
    REQUIRE(r.shown.size() == 1);
    CHECK(r.shown[0].idx == 7);
    CHECK(r.shown[0].a.has_value());
    CHECK_FALSE(r.shown[0].b.has_value());
    // idx 7, 8, 9 are wait.end, thread.create, run.stop.
    CHECK(r.differing_by_kind ==
          std::map<std::string, uint64_t>{{"wait.end", 1}, {"thread.create", 1}, {"run.stop", 1}});
    std::string text = report(r, long_trace, cut_trace);
    CHECK_THAT(text, Catch::Contains("B: (no event: trace ends after 7 events)"));
    CHECK_THAT(text, Catch::Contains("event counts differ: A has 10, B has 7"));
  }
  SECTION("allow_unfinished, A cut: extra B events count by B's kind") {
    DiffResult r = diff_traces(cut_trace, long_trace, unfinished);
    CHECK(r.differing == 3);
    REQUIRE(r.shown.size() == 1);
    CHECK(r.shown[0].idx == 7);
    CHECK_FALSE(r.shown[0].a.has_value());
    REQUIRE(r.shown[0].b.has_value());
    CHECK(r.shown[0].b->kind == "wait.end");
    CHECK(r.differing_by_kind.size() == 3);
    CHECK_THAT(report(r, cut_trace, long_trace), Catch::Contains("event counts differ: A has 7, B has 10"));
  }
  SECTION("an empty trace is an error, never a 0-event trace (two aborted runs are not identical)") {
    auto empty = dir.write("empty.jsonl", "");
    const std::string why = ": empty trace: no events (a hexad trace starts with run.start";
    CHECK_THAT(diff_error(empty, short_trace), Catch::StartsWith(empty + why));
    CHECK_THAT(diff_error(short_trace, empty), Catch::StartsWith(empty + why));
    CHECK_THAT(diff_error(empty, empty), Catch::StartsWith(empty + why));
    CHECK_THAT(diff_error(empty, empty, unfinished), Catch::StartsWith(empty + why));
  }
  SECTION("a trace that does not start with run.start is not a hexad trace") {
    auto headless = dir.write("headless.jsonl", R"({"idx":0,"kind":"wait.begin"})" "\n" R"({"idx":1,"kind":"run.stop"})" "\n");
    CHECK_THAT(diff_error(headless, short_trace),
               Catch::StartsWith(headless + ":1: the first event is \"wait.begin\", expected \"run.start\""));
  }
}

TEST_CASE("audit diff: a trace whose run.json is not finished is refused, or a warning") {
  TempDir dir;
  std::filesystem::create_directories(dir.path("killed"));
  std::filesystem::create_directories(dir.path("done"));
  auto killed = dir.write("killed/trace.jsonl", trace_text(5, 0));
  auto done = dir.write("done/trace.jsonl", trace_text(5, 1));
  dir.write("killed/run.json", "{\n  \"schema\": \"hexad.run/1\",\n  \"state\": \"running\"\n}\n");
  dir.write("done/run.json", "{\n  \"schema\": \"hexad.run/1\",\n  \"state\": \"finished\"\n}\n");
  CHECK(diff_traces(done, done).identical());
  CHECK(diff_traces(done, done).warnings.empty());
  const std::string why = killed + ": the run that wrote this trace did not finish (" + dir.path("killed/run.json") +
                          " says \"state\": \"running\"; it was killed or is still running)";
  CHECK(diff_error(done, killed) == why + "; --allow-unfinished compares it anyway");
  CHECK(diff_error(killed, done) == why + "; --allow-unfinished compares it anyway");
  DiffResult r = diff_traces(done, killed, DiffOptions{.allow_unfinished = true});
  CHECK(r.identical());
  CHECK(r.warnings == std::vector<std::string>{why});
  SECTION("a run.json without state (an older hexad) says nothing") {
    dir.write("killed/run.json", "{\"schema\": \"hexad.run/1\"}");
    CHECK(diff_traces(done, killed).identical());
  }
  SECTION("a corrupt run.json is corrupt input") {
    dir.write("killed/run.json", "{\"state\": ");
    CHECK_THAT(diff_error(done, killed), Catch::StartsWith(dir.path("killed/run.json") + ": invalid JSON"));
  }
}

TEST_CASE("audit diff: corrupt input names the file and the line") {
  TempDir dir;
  auto good = dir.write("good.jsonl", trace_text(8, 0));
  const int k = 5;  // 1-based line to damage
  std::string lines[8];
  {
    std::istringstream in(trace_text(8, 0));
    for (auto& l : lines) std::getline(in, l);
  }
  auto with_line = [&](const std::string& name, const std::string& replacement) {
    std::string text;
    for (int n = 1; n <= 8; ++n) text += (n == k ? replacement : lines[n - 1]) + "\n";
    return dir.write(name, text);
  };

  SECTION("invalid JSON") {
    auto bad = with_line("bad.jsonl", R"({"idx":4,"kind":"wait.begin",)");
    std::string msg = diff_error(good, bad);
    CHECK_THAT(msg, Catch::StartsWith(bad + ":5: invalid JSON"));
    // The corrupt side is reported whichever argument it is.
    CHECK_THAT(diff_error(bad, good), Catch::StartsWith(bad + ":5: "));
  }
  SECTION("trailing garbage after the object") {
    auto bad = with_line("bad.jsonl", lines[k - 1] + " x");
    CHECK_THAT(diff_error(good, bad), Catch::StartsWith(bad + ":5: invalid JSON"));
  }
  SECTION("not an object") {
    auto bad = with_line("bad.jsonl", "[4, \"wait.begin\"]");
    CHECK_THAT(diff_error(good, bad), Catch::StartsWith(bad + ":5: not a JSON object"));
  }
  SECTION("missing idx") {
    auto bad = with_line("bad.jsonl", R"({"kind":"wait.begin","tid":1})");
    CHECK(diff_error(good, bad) == bad + ":5: missing \"idx\"");
  }
  SECTION("missing kind") {
    auto bad = with_line("bad.jsonl", R"({"idx":4,"tid":1})");
    CHECK(diff_error(good, bad) == bad + ":5: missing \"kind\"");
  }
  SECTION("kind not a string, idx not an integer") {
    auto bad = with_line("bad.jsonl", R"({"idx":4,"kind":7})");
    CHECK_THAT(diff_error(good, bad), Catch::StartsWith(bad + ":5: \"kind\" is not a string"));
    auto bad2 = with_line("bad2.jsonl", R"({"idx":4.0,"kind":"k"})");
    CHECK_THAT(diff_error(good, bad2), Catch::StartsWith(bad2 + ":5: \"idx\" is not"));
  }
  SECTION("a kind the schema does not define") {
    auto bad = with_line("bad.jsonl", R"({"idx":4,"kind":"wait.began"})");
    CHECK(diff_error(good, bad) == bad + ":5: unknown kind \"wait.began\" (not an event of hexad.trace/1)");
  }
  SECTION("non-consecutive idx") {
    auto bad = with_line("bad.jsonl", R"({"idx":5,"kind":"wait.begin"})");
    CHECK(diff_error(good, bad) == bad + ":5: \"idx\" is 5, expected 4");
  }
  SECTION("idx not starting at 0") {
    auto bad = dir.write("bad.jsonl", R"({"idx":1,"kind":"k"})" "\n");
    CHECK(diff_error(bad, good) == bad + ":1: \"idx\" is 1, expected 0");
  }
  SECTION("an empty line in the middle") {
    auto bad = with_line("bad.jsonl", "");
    CHECK(diff_error(good, bad) == bad + ":5: empty line");
  }
  SECTION("an empty line after the final newline") {
    auto bad = dir.write("bad.jsonl", trace_text(8, 0) + "\n");
    CHECK(diff_error(good, bad) == bad + ":9: empty line");
  }
  SECTION("duplicate key and out-of-range integer") {
    auto bad = with_line("bad.jsonl", R"({"idx":4,"kind":"wait.begin","tid":1,"tid":2})");
    CHECK_THAT(diff_error(good, bad), Catch::Contains(":5: invalid JSON: duplicate key \"tid\""));
    auto bad2 = with_line("bad2.jsonl", R"({"idx":4,"kind":"k","n":18446744073709551616})");
    CHECK_THAT(diff_error(good, bad2), Catch::Contains(":5: invalid JSON: integer"));
  }
  SECTION("nesting 100,000 deep is refused before parsing, not a stack overflow") {
    std::string deep = R"({"idx":4,"kind":"wait.begin","x":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK(diff_error(good, with_line("deep.jsonl", deep)) ==
          dir.path("deep.jsonl") + ":5: invalid JSON: nesting deeper than 64");
    std::string unclosed = std::string(100000, '{');
    CHECK(diff_error(good, with_line("open.jsonl", unclosed)) ==
          dir.path("open.jsonl") + ":5: invalid JSON: nesting deeper than 64");
    // Brackets inside strings do not count; 64 levels are fine.
    std::string in_string = R"({"idx":4,"kind":"wait.begin","s":")" + std::string(1000, '[') + R"(\"["})";
    std::string deepest_ok = R"({"idx":4,"kind":"wait.begin","x":)" + std::string(63, '[') + std::string(63, ']') + "}";
    json parsed;
    std::string error;
    CHECK(hexad::audit::parse_json_line(in_string, parsed, error));
    CHECK(hexad::audit::parse_json_line(deepest_ok, parsed, error));
    CHECK_FALSE(hexad::audit::parse_json_line("[" + deepest_ok + "]", parsed, error));
  }
  SECTION("corruption after the other trace has ended is still found") {
    auto bad = dir.write("bad.jsonl", trace_text(8, 0) + "{\"idx\":8,\"kind\":\"debug.print\"}\nnot json\n");
    CHECK_THAT(diff_error(good, bad), Catch::StartsWith(bad + ":10: invalid JSON"));
  }
}

TEST_CASE("audit diff: unreadable files") {
  TempDir dir;
  auto good = dir.write("good.jsonl", trace_text(3, 0));
  auto missing = dir.path("missing.jsonl");
  CHECK_THAT(diff_error(good, missing), Catch::StartsWith(missing + ": cannot open"));
  CHECK_THAT(diff_error(missing, good), Catch::StartsWith(missing + ": cannot open"));
  CHECK_THAT(diff_error(dir.path(""), good), Catch::Contains("is a directory"));
}

TEST_CASE("audit diff: TraceReader yields events with line numbers and strips host_ns") {
  TempDir dir;
  auto p = dir.write("t.jsonl", trace_text(3, 42));
  TraceReader reader(p);
  TraceEvent e;
  for (uint64_t i = 0; i < 3; ++i) {
    REQUIRE(reader.next(e));
    CHECK(e.line == i + 1);
    CHECK(e.idx == i);
    CHECK(e.kind == kind_of(i, 3));
    CHECK_FALSE(e.fields.contains("host_ns"));
    CHECK(e.fields.contains("guest_cycle"));
  }
  CHECK_FALSE(reader.next(e));
  CHECK_FALSE(reader.next(e));
  CHECK(reader.events_read() == 3);
}

TEST_CASE("audit diff: large traces stream through") {
  TempDir dir;
  const uint64_t n = 200000;
  const uint64_t changed = 150001;  // an import.call
  auto write_trace = [&](const std::string& name, uint64_t host_seed, uint64_t bump_at) {
    std::string p = dir.path(name);
    std::ofstream out(p, std::ios::binary);
    for (uint64_t i = 0; i < n; ++i) out << event_line(i, n, i * 31 + host_seed, i == bump_at ? 1 : 0);
    REQUIRE(out.good());
    return p;
  };
  auto a = write_trace("a.jsonl", 0, n);
  auto b = write_trace("b.jsonl", 99, n);
  auto c = write_trace("c.jsonl", 5, changed);

  DiffResult same = diff_traces(a, b);
  CHECK(same.identical());
  CHECK(same.events_a == n);
  CHECK(same.events_b == n);

  DiffResult diff = diff_traces(a, c);
  CHECK(diff.differing == 1);
  REQUIRE(diff.shown.size() == 1);
  CHECK(diff.shown[0].idx == changed);
  CHECK(diff.shown[0].a->line == changed + 1);
  CHECK(diff.differing_by_kind == std::map<std::string, uint64_t>{{"import.call", 1}});
}

TEST_CASE("audit diff: every common field but host_ns is compared, alone") {
  TempDir dir;
  // One event between the run.start and run.stop every trace has; only it is edited.
  const std::string start = R"({"idx":0,"kind":"run.start","tid":0,"slot":-1,"round":0,"guest_cycle":0,"host_ns":1})" "\n";
  const std::string stop = R"({"idx":2,"kind":"run.stop","tid":0,"slot":-1,"round":9,"guest_cycle":999,"host_ns":9})" "\n";
  const std::string base = R"({"idx":1,"kind":"wait.end","tid":2,"slot":1,"round":7,"guest_cycle":900,"host_ns":5})" "\n";
  auto a = dir.write("a.jsonl", start + base + stop);
  const std::vector<std::pair<std::string, std::string>> edits = {{"kind", R"("kind":"wait.begin")"},
                                                                  {"tid", R"("tid":3)"},
                                                                  {"slot", R"("slot":0)"},
                                                                  {"round", R"("round":8)"},
                                                                  {"guest_cycle", R"("guest_cycle":901)"}};
  for (const auto& [field, replacement] : edits) {
    INFO(field);
    std::string text = base;
    size_t at = text.find("\"" + field + "\":");
    REQUIRE(at != std::string::npos);
    text.replace(at, text.find(',', at) - at, replacement);
    auto b = dir.write("b.jsonl", start + text + stop);
    DiffResult r = diff_traces(a, b);
    CHECK(r.differing == 1);
    REQUIRE(r.shown.size() == 1);
    CHECK(r.shown[0].fields == std::vector<std::string>{field});
  }
}
