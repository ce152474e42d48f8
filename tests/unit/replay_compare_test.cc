// The pieces of `hexad replay`'s comparison: the recorded trace's line reader (lines across its
// 1 MiB blocks, a last line without '\n', empty lines) and the compare sink (host_ns ignored,
// any other byte a divergence, the recorded trace ending early or going on, the context ring).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "base/hexad_error.h"
#include "trace/compare_sink.h"
#include "trace/jsonl.h"
#include "trace/line_source.h"
#include "trace/sink.h"
#include "recorded_trace.h"

using namespace hexad::trace;

namespace {

namespace fs = std::filesystem;

struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& text, const std::string& name = "trace.jsonl") {
    const fs::path dir = fs::temp_directory_path() / ("hexad-replay-test-" + std::to_string(getpid()));
    fs::create_directories(dir);
    path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() { fs::remove_all(path.parent_path()); }
};

std::vector<std::string> all_lines(LineSource& src) {
  std::vector<std::string> out;
  for (std::string_view line; src.next(line);) out.emplace_back(line);
  return out;
}

// One event, as `hexad run` writes it.
std::string line_of(uint64_t idx, uint32_t tid, uint64_t host_ns, int64_t exit_code = 0) {
  fmt::memory_buffer out;
  append_jsonl(out, Stamp{idx, Where{tid, 1, 2, 300 + idx}, host_ns}, ThreadExit{exit_code});
  return std::string(out.data(), out.size());
}

void write_events(EventSink& sink, uint64_t first, uint64_t count, uint64_t host_ns = 5) {
  for (uint64_t i = first; i < first + count; ++i) sink.write(Stamp{i, Where{2, 1, 2, 300 + i}, host_ns}, ThreadExit{0});
}

}  // namespace

TEST_CASE("line source: lines across blocks, a last line without a newline, empty lines") {
  std::string text;
  std::vector<std::string> want;
  for (int i = 0; i < 30000; ++i) {  // about 2.4 MB: lines straddle the 1 MiB blocks
    want.push_back(fmt::format("{{\"idx\":{},\"pad\":\"{}\"}}", i, std::string(size_t(i % 97), 'x')));
    text += want.back() + "\n";
  }
  want.push_back("");
  text += "\n";
  want.push_back("last, unterminated");
  text += want.back();
  TempFile f(text);
  hexad::audit::RecordedTrace src(f.path.string());
  CHECK(all_lines(src) == want);
  CHECK(src.line_number() == want.size());
  std::string_view line;
  CHECK_FALSE(src.next(line));  // and stays at the end
}

TEST_CASE("line source: a missing trace is an error naming what was looked for") {
  CHECK_THROWS_WITH(hexad::audit::RecordedTrace("/nonexistent/trace.jsonl"), Catch::Contains("/nonexistent/trace.jsonl"));
  CHECK_THROWS_WITH(hexad::audit::open_recorded_trace("/nonexistent"), Catch::Contains("/nonexistent"));
  TempFile empty("", "other.txt");
  CHECK_THROWS_WITH(hexad::audit::open_recorded_trace(empty.path.parent_path().string()),
                    Catch::Contains("trace.jsonl.zst"));
}

TEST_CASE("line source: a run folder's trace.jsonl.zst reads back the events as written") {
  TempFile dir("", "placeholder");
  const fs::path packed = dir.path.parent_path() / "trace.jsonl.zst";
  std::vector<std::string> want;
  {
    JsonlSink sink(packed.string(), TraceCompression::Zstd);
    for (uint64_t i = 0; i < 5000; ++i) {
      sink.write(Stamp{i, Where{2, 1, 2, 300 + i}, 0}, ThreadExit{int64_t(i)});
      want.push_back(line_of(i, 2, 0, int64_t(i)));
      want.back().pop_back();  // the line without its '\n', as the reader gives it
    }
    sink.flush();
    REQUIRE_FALSE(sink.failed());
  }
  auto src = hexad::audit::open_recorded_trace(dir.path.parent_path().string());
  CHECK(src->path() == packed.string());
  CHECK(all_lines(*src) == want);
  CHECK(src->line_number() == want.size());
}

TEST_CASE("compare: same_event ignores host_ns and nothing else") {
  CHECK(same_event(line_of(4, 2, 100), line_of(4, 2, 987654321)));
  CHECK_FALSE(same_event(line_of(4, 2, 100), line_of(4, 3, 100)));
  CHECK_FALSE(same_event(line_of(4, 2, 100), line_of(4, 2, 100, 1)));
  CHECK_FALSE(same_event(line_of(4, 2, 100), line_of(5, 2, 100)));
  // host_ns is not a wildcard for what follows it.
  std::string a = line_of(4, 2, 100), b = a;
  b.insert(b.find("\"exit_code\""), " ");
  CHECK_FALSE(same_event(a, b));
}

TEST_CASE("compare: differing_fields names each field that differs") {
  const std::vector<std::string> d = differing_fields(line_of(4, 2, 1, 7), line_of(4, 3, 2, 8));
  CHECK(d == std::vector<std::string>{"tid: 2 -> 3", "exit_code: 7 -> 8"});
  CHECK(differing_fields(R"({"a":1,"b":2})", R"({"a":1,"c":2})") == std::vector<std::string>{"b: 2 -> (absent)", "c: (absent) -> 2"});
  CHECK(differing_fields("not json", R"({"a":1})") == std::vector<std::string>{"the recorded line is not a JSON object"});
}

TEST_CASE("compare: a replay equal to the record verifies, host_ns aside") {
  std::string text;
  for (uint64_t i = 0; i < 20; ++i) text += line_of(i, 2, 1000 + i);
  TempFile f(text);
  hexad::audit::RecordedTrace src(f.path.string());
  CompareSink cmp(src);
  write_events(cmp, 0, 20, 42);
  cmp.finish();
  CHECK_FALSE(cmp.diverged());
  CHECK(cmp.compared() == 20);
  CHECK(cmp.seen() == 20);
}

TEST_CASE("compare: the first differing event is kept with the last common ones") {
  std::string text;
  for (uint64_t i = 0; i < 20; ++i) text += i == 12 ? line_of(i, 9, 1) : line_of(i, 2, 1);
  TempFile f(text);
  hexad::audit::RecordedTrace src(f.path.string());
  CompareSink cmp(src, 5);
  write_events(cmp, 0, 20);
  REQUIRE(cmp.diverged());
  const Divergence& d = *cmp.divergence();
  CHECK(d.idx == 12);
  CHECK(d.line == 13);
  CHECK(d.recorded + "\n" == line_of(12, 9, 1));
  CHECK(d.produced + "\n" == line_of(12, 2, 5));
  REQUIRE(d.context.size() == 5);
  for (size_t k = 0; k < 5; ++k) CHECK(d.context[k] + "\n" == line_of(7 + k, 2, 1));
  CHECK(cmp.compared() == 12);
  CHECK(cmp.seen() == 20);  // later events are seen, not compared
}

TEST_CASE("compare: a recorded trace that ends early or goes on is a divergence") {
  std::string text;
  for (uint64_t i = 0; i < 3; ++i) text += line_of(i, 2, 1);
  SECTION("ends early") {
    TempFile f(text);
    hexad::audit::RecordedTrace src(f.path.string());
    CompareSink cmp(src);
    write_events(cmp, 0, 4);
    REQUIRE(cmp.diverged());
    CHECK(cmp.divergence()->idx == 3);
    CHECK(cmp.divergence()->line == 0);
    CHECK(cmp.divergence()->recorded.empty());
    CHECK(cmp.divergence()->context.size() == 3);
  }
  SECTION("goes on") {
    TempFile f(text + line_of(3, 2, 1));
    hexad::audit::RecordedTrace src(f.path.string());
    CompareSink cmp(src);
    write_events(cmp, 0, 3);
    CHECK_FALSE(cmp.diverged());
    cmp.finish();
    REQUIRE(cmp.diverged());
    CHECK(cmp.divergence()->idx == 3);
    CHECK(cmp.divergence()->line == 4);
    CHECK(cmp.divergence()->produced.empty());
  }
  SECTION("stopped (--until): the rest is not compared") {
    TempFile f(text + line_of(3, 2, 1));
    hexad::audit::RecordedTrace src(f.path.string());
    CompareSink cmp(src);
    write_events(cmp, 0, 2);
    cmp.stop_comparing();
    cmp.write(Stamp{2, Where{0, -1, 2, 9}, 5}, RunStop{"until", 10, 2});  // unlike line 3
    cmp.finish();
    CHECK_FALSE(cmp.diverged());
    CHECK(cmp.compared() == 2);
  }
}
