// The fast trace path of hexad-audit: LineSource (plain and zstd), the zstd JsonlSink it reads,
// EventStream's views, count() filters and the gate grammar.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "event_stream.h"
#include "gate.h"
#include "line_source.h"
#include "run_summary.h"
#include "trace_diff.h"
#include "trace/jsonl.h"
#include "trace/sink.h"

namespace fs = std::filesystem;
using namespace hexad::audit;

namespace {

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / fmt::format("hexad_audit_fast_{}_{}", ::getpid(), name);
}

std::string write_file(const std::string& name, const std::string& text) {
  fs::path p = scratch(name);
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out.good());
  return p.string();
}

std::vector<std::string> lines_of(const std::string& path, bool* cut = nullptr) {
  LineSource src(path);
  std::vector<std::string> out;
  std::string_view line;
  while (src.next(line)) {
    out.emplace_back(line);
    if (cut) *cut = src.last_line_unterminated();
  }
  return out;
}

// A trace written by the real sink: `n` events (run.start, debug.prints, run.stop).
std::string write_trace(const std::string& name, hexad::trace::TraceCompression c, int n, bool flush_midway = false) {
  using namespace hexad::trace;
  const std::string path = scratch(name).string();
  JsonlSink sink(path, c);
  Tracer t(sink);
  t.emit({0, -1, 0, 0}, RunStart{"x.xex", "00", {}});
  for (int i = 1; i + 1 < n; ++i) {
    t.emit({1, 0, uint64_t(i), uint64_t(i) * 5}, DebugPrint{fmt::format("line {} of the trace", i)});
    if (flush_midway && i == n / 2) t.flush();  // ends a zstd frame: the next events start another
  }
  t.emit({0, -1, uint64_t(n), uint64_t(n) * 5}, RunStop{"exit", 1, 2});
  t.flush();
  REQUIRE_FALSE(sink.failed());
  return path;
}

}  // namespace

TEST_CASE("audit fast: zstd traces read back line for line as the plain ones") {
  using hexad::trace::TraceCompression;
  for (bool midway : {false, true}) {
    INFO("flush midway " << midway);
    auto plain = write_trace("plain.jsonl", TraceCompression::None, 20000, midway);
    auto packed = write_trace("packed.jsonl.zst", TraceCompression::Zstd, 20000, midway);
    CHECK(fs::file_size(packed) * 5 < fs::file_size(plain));
    LineSource src(packed);
    CHECK(src.compressed());
    std::vector<std::string> a = lines_of(plain), b = lines_of(packed);
    REQUIRE(a.size() == 20000);
    REQUIRE(b.size() == a.size());
    // host_ns differs; everything before it (idx, kind, tid, slot, round, guest_cycle) and after must not.
    for (size_t i = 0; i < a.size(); ++i) {
      const size_t ha = a[i].find("\"host_ns\""), hb = b[i].find("\"host_ns\"");
      REQUIRE(ha == hb);
      CHECK(a[i].substr(0, ha) == b[i].substr(0, hb));
      CHECK(a[i].substr(a[i].find(',', ha)) == b[i].substr(b[i].find(',', hb)));
    }
    DiffResult r = diff_traces(plain, packed);
    CHECK(r.identical());
    CHECK(r.events_a == 20000);
    fs::remove(plain);
    fs::remove(packed);
  }
}

TEST_CASE("audit fast: LineSource lines, an unterminated last line, long lines, empty files") {
  bool cut = false;
  auto p = write_file("a.txt", "one\ntwo\n\nthree");
  CHECK(lines_of(p, &cut) == std::vector<std::string>{"one", "two", "", "three"});
  CHECK(cut);
  auto q = write_file("b.txt", "one\n");
  CHECK(lines_of(q, &cut) == std::vector<std::string>{"one"});
  CHECK_FALSE(cut);
  CHECK(lines_of(write_file("c.txt", "")).empty());
  CHECK(lines_of(write_file("d.txt", "ab")) == std::vector<std::string>{"ab"});  // shorter than the magic
  // Longer than the 4 MiB first buffer: it grows, and the lines around it are intact.
  std::string big(9 << 20, 'x');
  auto r = write_file("e.txt", "first\n" + big + "\nlast\n");
  auto lines = lines_of(r);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "first");
  CHECK(lines[1] == big);
  CHECK(lines[2] == "last");
  CHECK_THROWS_WITH(LineSource(scratch("missing").string()), Catch::Contains("cannot open"));
  for (auto f : {"a.txt", "b.txt", "c.txt", "d.txt", "e.txt"}) fs::remove(scratch(f));
}

TEST_CASE("audit fast: event views read fields, and parse_hex") {
  auto p = write_file("v.jsonl",
                      R"({"idx":0,"kind":"run.start","tid":0,"slot":-1,"round":0,"guest_cycle":0,"host_ns":1})"
                      "\n"
                      R"({"idx":1,"kind":"wait.begin","tid":6,"slot":2,"round":3,"guest_cycle":77,"host_ns":2,)"
                      R"("handles":["0x000012e4","0xf8000010"],"wait":"any","timeout_ns":null,"alertable":false})"
                      "\n");
  EventStream s(p);
  EventView e;
  REQUIRE(s.next(e));
  REQUIRE(s.next(e));
  CHECK(e.idx == 1);
  CHECK(e.kind == "wait.begin");
  CHECK(e.line == 2);
  CHECK(e.u64("tid") == 6u);
  CHECK(e.i64("slot") == 2);
  CHECK(e.str("wait") == "any");
  CHECK_FALSE(e.u64("wait"));
  CHECK_FALSE(e.u64("absent"));
  CHECK(field_matches(e, {"handles", "0x12e4"}));
  CHECK(field_matches(e, {"handles", "4836"}));  // 0x12e4 in decimal
  CHECK_FALSE(field_matches(e, {"handles", "0x12e5"}));
  CHECK(field_matches(e, {"alertable", "false"}));
  CHECK(field_matches(e, {"timeout_ns", "null"}));
  CHECK(field_matches(e, {"tid", "6"}));
  CHECK_FALSE(field_matches(e, {"tid", "7"}));
  CHECK(e.to_json(p).contains("handles"));
  CHECK_FALSE(e.to_json(p).contains("host_ns"));
  CHECK_FALSE(s.next(e));
  CHECK(parse_hex("0x1F") == 31u);
  CHECK_FALSE(parse_hex("1f"));
  CHECK_FALSE(parse_hex("0x"));
  CHECK_FALSE(parse_hex("0xg"));
  CHECK_FALSE(parse_hex("0x11112222333344445"));
  fs::remove(p);
}

TEST_CASE("audit fast: gate expressions parse, and bad ones name the column") {
  std::vector<EventCounter> counters;
  Gate g = parse_gate("count(signal.match, target_handle=0x12e4, by=\"NtSetEvent\") >= 1", 1, counters);
  CHECK(g.term == Gate::Term::Count);
  REQUIRE(counters.size() == 1);
  CHECK(counters[0].kind == "signal.match");
  REQUIRE(counters[0].filters.size() == 2);
  CHECK(counters[0].filters[1].value == "NtSetEvent");
  CHECK(g.op == GateOp::Ge);
  CHECK(g.number == 1u);
  Gate t = parse_gate("  thread( 6 ).state != Ready ", 2, counters);
  CHECK(t.tid == 6);
  CHECK(t.textual);
  CHECK(t.word == "Ready");

  auto error_of = [&](const std::string& text) {
    try {
      parse_gate(text, 3, counters);
    } catch (const hexad::Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK_THAT(error_of("run.events >"), Catch::Contains("column 13: expected a value to compare with"));
  CHECK_THAT(error_of("run.stop_reason == finished"), Catch::Contains("unknown stop_reason 'finished'"));
  CHECK_THAT(error_of("thread(0).events > 1"), Catch::Contains("column 8: a thread id is a number from 1"));
  CHECK_THAT(error_of("count(wait.begin, handles) > 1"), Catch::Contains("column 26: expected '='"));
  CHECK_THAT(error_of("count(wait.begin, handles=\"x) > 1"), Catch::Contains("unterminated quoted text"));
  CHECK_THAT(error_of(""), Catch::Contains("column 1: expected count(...)"));
  CHECK_THAT(error_of("run.events > 0x"), Catch::Contains("expected a number"));
  CHECK_THAT(error_of("run.events > 99999999999999999999"), Catch::Contains("expected a number"));
}

TEST_CASE("audit fast: gates evaluate over a summary") {
  TraceSummary s;
  s.events = 10;
  s.stop_reason = "deadlock";
  ThreadSummary& t = s.threads[6];
  t.tid = 6;
  t.events = 106;
  t.state = "Blocked";
  std::vector<EventCounter> counters;
  auto eval = [&](const std::string& text) { return evaluate_gate(parse_gate(text, 1, counters), s, counters); };
  CHECK(eval("thread(6).events > 105").pass);
  CHECK_FALSE(eval("thread(6).events > 106").pass);
  CHECK(eval("thread(6).state != Ready").pass);
  CHECK(eval("thread(6).state == Blocked").observed == "Blocked");
  GateResult unknown = eval("thread(6).instructions > 1");  // no dump
  CHECK_FALSE(unknown.pass);
  CHECK_THAT(unknown.observed, Catch::Contains("exit-thread-state.json"));
  CHECK(eval("run.stop_reason == deadlock").pass);
  CHECK_FALSE(eval("run.rounds >= 0").pass);  // unknown: no run.stop, no dump
  Gate c = parse_gate("count(import.call, name=VdSwap) >= 2", 1, counters);
  counters[c.counter].count = 2;
  CHECK(evaluate_gate(c, s, counters).pass);
  counters[c.counter].count = 1;
  CHECK(evaluate_gate(c, s, counters).observed == "1");
}
