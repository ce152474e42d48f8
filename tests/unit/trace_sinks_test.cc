// The trace writer's spelling of every event kind (hexad.trace/1), its JSON string escaping
// (checked against nlohmann's dump(), which wrote the trace before), and the sinks.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unistd.h>
#include <sys/resource.h>

#include <cerrno>
#include <csignal>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/hexad_error.h"
#include "base/utf8.h"
#include "trace/jsonl.h"
#include "trace/ring_sink.h"
#include "trace/sink.h"

namespace {

using namespace hexad::trace;

std::string line_of(const Event& e, Where w = {3, 1, 7, 1843}, uint64_t idx = 12, uint64_t host_ns = 91021) {
  fmt::memory_buffer out;
  append_jsonl(out, Stamp{idx, w, host_ns}, e);
  return std::string(out.data(), out.size());
}

const std::string kCommon = R"({"idx":12,"kind":"KIND","tid":3,"slot":1,"round":7,"guest_cycle":1843,"host_ns":91021)";
std::string expected(const std::string& kind, const std::string& fields) {
  std::string c = kCommon;
  c.replace(c.find("KIND"), 4, kind);
  return c + fields + "}\n";
}

std::string escaped(std::string_view s) {
  fmt::memory_buffer out;
  append_json_string(out, s);
  return std::string(out.data(), out.size());
}

// What nlohmann wrote for the same text: strict for valid UTF-8 (what the trace held before),
// error_handler_t::replace for invalid input (where strict threw).
std::string nlohmann_escaped(const std::string& s, bool replace) {
  return nlohmann::json(s).dump(-1, ' ', false,
                                replace ? nlohmann::json::error_handler_t::replace : nlohmann::json::error_handler_t::strict);
}

// Records what it is given, for checks of the Tracer's stamps.
class RecordingSink : public EventSink {
 public:
  explicit RecordingSink(bool host_ns) : host_ns_(host_ns) {}
  void write(const Stamp& s, const Event& e) override {
    stamps.push_back(s);
    kinds.push_back(std::string(kind_name(e)));
  }
  bool wants_host_ns() const override { return host_ns_; }
  std::vector<Stamp> stamps;
  std::vector<std::string> kinds;

 private:
  bool host_ns_;
};

}  // namespace

TEST_CASE("jsonl run.start and run.stop") {
  const PolicyParamField aging_params[] = {{"rounds_per_bonus", 1, {}, false}, {"aging_stamp", 0, "ready", true}};
  RunStart start{"pingpong.xex", "11f6", {std::nullopt, 20000, 2000, true, 1, 31, "aging", aging_params, std::nullopt, true}};
  CHECK(line_of(start, {0, -1, 0, 0}, 0, 5) ==
        R"({"idx":0,"kind":"run.start","tid":0,"slot":-1,"round":0,"guest_cycle":0,"host_ns":5,"schema":"hexad.trace/1",)"
        R"("image":{"name":"pingpong.xex","sha256":"11f6"},"options":{"budget":null,"quantum":20000,"slice":2000,"aging":true,)"
        R"("aging_rounds_per_bonus":1,"max_age_bonus":31,"policy":"aging",)"
        R"("policy_params":{"rounds_per_bonus":1,"aging_stamp":"ready"},"starvation_alarm":null,"trace":true}})"
        "\n");
  start.options.budget = 5000000;
  start.options.aging = false;
  start.options.policy = "fair";
  start.options.policy_params = {};
  start.options.starvation_alarm = 50;
  CHECK(line_of(start).find(R"("options":{"budget":5000000,"quantum":20000,"slice":2000,"aging":false,)") != std::string::npos);
  CHECK(line_of(start).find(R"("policy":"fair","policy_params":{},"starvation_alarm":50,"trace":true}})") !=
        std::string::npos);
  CHECK(line_of(RunStop{"deadlock", 123456789012ull, 42}) ==
        expected("run.stop", R"(,"reason":"deadlock","instructions":123456789012,"rounds":42)"));
}

TEST_CASE("jsonl thread.create, thread.exit and thread.fault") {
  CHECK(line_of(ThreadCreate{2, 0xf8000010, 0x82000110, 8, 0x3f, true}) ==
        expected("thread.create",
                 R"(,"new_tid":2,"handle":"0xf8000010","entry":"0x82000110","priority":8,"affinity":"0x0000003f","suspended":true)"));
  CHECK(line_of(ThreadCreate{5, 0, 0, -2, 0, false}).find(R"("handle":"0x00000000","entry":"0x00000000","priority":-2,)") !=
        std::string::npos);
  CHECK(line_of(ThreadExit{-1073741819}) == expected("thread.exit", R"(,"exit_code":-1073741819)"));
  CHECK(line_of(ThreadExit{0x1'0000'0000ll}) == expected("thread.exit", R"(,"exit_code":4294967296)"));
  CHECK(line_of(ThreadFault{"memory", 0x82000040, 0x80640000, 0x10, "read", "load of 4 bytes at 0x00000010"}) ==
        expected("thread.fault", R"(,"fault":"memory","pc":"0x82000040","word":"0x80640000","address":"0x00000010",)"
                                 R"("access":"read","message":"load of 4 bytes at 0x00000010")"));
  // A pc beyond 32 bits keeps all its digits, as "0x%08x" did.
  CHECK(line_of(ThreadFault{"trap", 0x1'2345'6789ull, 0, 0, "execute", ""}).find(R"("pc":"0x123456789")") != std::string::npos);
}

TEST_CASE("jsonl import.call with a result, blocked, and without arguments") {
  const uint32_t args[] = {0x8200200c, 0, 1, 0xffffffff};
  CHECK(line_of(ImportCall{"xboxkrnl", 209, "NtCreateEvent", args, 0u, true}) ==
        expected("import.call", R"(,"module":"xboxkrnl","ord":209,"name":"NtCreateEvent",)"
                                R"("args":["0x8200200c","0x00000000","0x00000001","0xffffffff"],"ret":"0x00000000","implemented":true)"));
  CHECK(line_of(ImportCall{"xboxkrnl", 253, "NtWaitForSingleObjectEx", {args, 1}, std::nullopt, true})
            .find(R"("args":["0x8200200c"],"ret":null,"implemented":true})") != std::string::npos);
  CHECK(line_of(ImportCall{"xam", 1, "ordinal_1", {}, 0xC0000002u, false}) ==
        expected("import.call", R"(,"module":"xam","ord":1,"name":"ordinal_1","args":[],"ret":"0xc0000002","implemented":false)"));
}

TEST_CASE("jsonl waits, signals and wakes") {
  const uint32_t handles[] = {0xf8000004, 0x82002000};
  CHECK(line_of(WaitBegin{handles, true, std::nullopt, false}) ==
        expected("wait.begin", R"(,"handles":["0xf8000004","0x82002000"],"wait":"all","timeout_ns":null,"alertable":false)"));
  CHECK(line_of(WaitBegin{{}, false, int64_t(-5), true}) ==
        expected("wait.begin", R"(,"handles":[],"wait":"any","timeout_ns":-5,"alertable":true)"));
  CHECK(line_of(WaitEnd{0x102, std::nullopt}) == expected("wait.end", R"(,"status":"0x00000102","index":null)"));
  CHECK(line_of(WaitEnd{0x81, 1u}) == expected("wait.end", R"(,"status":"0x00000081","index":1)"));
  const uint32_t tids[] = {2, 10};
  CHECK(line_of(SignalMatch{"NtSetEvent", 0xf800000c, "event.synchronization", tids}) ==
        expected("signal.match", R"(,"by":"NtSetEvent","target_handle":"0xf800000c","object_type":"event.synchronization",)"
                                 R"("waiter_tids":[2,10])"));
  CHECK(line_of(SignalMatch{"thread.exit", 0xf8000010, "thread", {}}).find(R"("waiter_tids":[]})") != std::string::npos);
  CHECK(line_of(WakeRequested{4, WakeReason::Signal, 0xf8000004u}) ==
        expected("wake.requested", R"(,"target_tid":4,"reason":"signal","handle":"0xf8000004")"));
  CHECK(line_of(WakeRequested{4, WakeReason::Timeout, std::nullopt}) ==
        expected("wake.requested", R"(,"target_tid":4,"reason":"timeout","handle":null)"));
}

TEST_CASE("jsonl sched.starvation") {
  CHECK(line_of(SchedStarvation{50, 4, 4, 3, 20}) ==
        expected("sched.starvation",
                 R"(,"ready_rounds":50,"priority":4,"effective_priority":4,"holder_tid":3,"holder_priority":20)"));
  CHECK(line_of(SchedStarvation{7, 12, 12, 0, std::nullopt}).find(R"("holder_tid":0,"holder_priority":null})") !=
        std::string::npos);
}

TEST_CASE("jsonl sync.hazard") {
  CHECK(line_of(SyncHazard{"spinlock_across_block", 0x82002020, 2}) ==
        expected("sync.hazard", R"(,"hazard":"spinlock_across_block","lock":"0x82002020","irql":2)"));
}

TEST_CASE("jsonl debug.print escapes control characters, quotes and backslashes") {
  CHECK(line_of(DebugPrint{"a \"q\" \\ b\n\t\r\b\f\x01\x1f\x7f end"}) ==
        expected("debug.print", R"(,"text":"a \"q\" \\ b\n\t\r\b\f\u0001\u001f)"
                                "\x7f"
                                R"( end")"));
  CHECK(line_of(DebugPrint{std::string_view("nul\0here", 8)}) == expected("debug.print", R"(,"text":"nul\u0000here")"));
  // Valid UTF-8 (2, 3 and 4 bytes) is written as is.
  CHECK(line_of(DebugPrint{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"}) ==
        expected("debug.print", "," R"("text":)" "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""));
}

TEST_CASE("json strings match nlohmann for every single byte and for valid text") {
  for (int b = 0; b < 0x80; ++b) {
    std::string s(1, char(b));
    CHECK(escaped(s) == nlohmann_escaped(s, false));
  }
  for (std::string s : {"", "plain", "\xc2\x80\xdf\xbf", "\xe0\xa0\x80\xed\x9f\xbf\xef\xbf\xbf", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"})
    CHECK(escaped(s) == nlohmann_escaped(s, false));
}

TEST_CASE("invalid UTF-8 becomes U+FFFD as nlohmann's replace handler writes it") {
  // Lone continuation, bad leads, overlong, surrogate, above U+10FFFF, truncated at the end,
  // broken by ASCII.
  for (std::string s : {"\x80", "\xc0\xaf", "\xc1", "\xf5\x80\x80\x80", "\xff", "\xe0\x80\xaf", "\xed\xa0\x80",
                        "\xf4\x90\x80\x80", "ab\xe2\x82", "\xe2\x82" "A", "\xf0\x9f\x98", "\xc3\xc3\xa9"})
    CHECK(escaped(s) == nlohmann_escaped(s, true));
  CHECK(escaped("ab\xe2\x82") == "\"ab\xEF\xBF\xBD\"");
  CHECK(escaped("\xe2\x82" "A") == "\"\xEF\xBF\xBD" "A\"");

  std::mt19937 rng(12345);
  for (int round = 0; round < 5000; ++round) {
    std::string s(rng() % 12, '\0');
    for (char& c : s) {
      // Mostly bytes around the UTF-8 boundaries, some ASCII and control characters.
      static const uint8_t kPicks[] = {0x00, 0x0a, 0x1f, 0x22, 0x41, 0x5c, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
                                       0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff};
      c = char(kPicks[rng() % sizeof kPicks]);
    }
    INFO("round " << round);
    CHECK(escaped(s) == nlohmann_escaped(s, true));
  }
}

TEST_CASE("text that is not valid UTF-8 keeps its raw bytes in a KEY_hex field, valid text gets none") {
  CHECK(line_of(DebugPrint{"\xc3\x28"}) ==
        expected("debug.print", ",\"text\":\"\xEF\xBF\xBD(\",\"text_hex\":\"c328\""));
  CHECK(line_of(DebugPrint{"caf\xc3\xa9"}).find("_hex") == std::string::npos);
  uint32_t args[] = {1};
  CHECK(line_of(ImportCall{"xb\xffkrnl", 5, "Nt\x80X", args, 0u, false}) ==
        expected("import.call", ",\"module\":\"xb\xEF\xBF\xBDkrnl\"," R"("module_hex":"7862ff6b726e6c","ord":5,)"
                                "\"name\":\"Nt\xEF\xBF\xBDX\"," R"("name_hex":"4e748058","args":["0x00000001"],)"
                                R"("ret":"0x00000000","implemented":false)"));
  RunStart start{"\xfe.xex", "11", {std::nullopt, 20000, 2000, true, 1, 31, "aging", {}, std::nullopt, true}};
  CHECK(line_of(start).find("\"image\":{\"name\":\"\xEF\xBF\xBD.xex\"," R"("name_hex":"fe2e786578","sha256":"11"})") !=
        std::string::npos);
  // Every line stays valid JSON, and the worst case (every byte bad, a longest key) fits the bound.
  std::string worst(100000, '\xff');
  std::string line = line_of(ThreadFault{worst, 0, 0, 0, worst, worst});
  auto j = nlohmann::json::parse(line);
  CHECK(j["message_hex"].get<std::string>().size() == 2 * worst.size());
  CHECK(hexad::hex_bytes(worst).substr(0, 4) == "ffff");
}

TEST_CASE("utf8 helpers: validity, replacement as nlohmann writes it, hex") {
  CHECK(hexad::is_valid_utf8(""));
  CHECK(hexad::is_valid_utf8("caf\xc3\xa9 \xf0\x9f\x98\x80"));
  CHECK_FALSE(hexad::is_valid_utf8("\xc3\x28"));
  CHECK_FALSE(hexad::is_valid_utf8("ab\xe2\x82"));
  CHECK(hexad::utf8_replaced("\xc3\x28") == "\xEF\xBF\xBD(");
  std::mt19937 rng(777);
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 10, '\0');
    for (char& c : s) c = char(0x78 + rng() % 0x88);
    std::string via_nlohmann = nlohmann::json::parse(nlohmann_escaped(s, true)).get<std::string>();
    CHECK(hexad::utf8_replaced(s) == via_nlohmann);
    CHECK(hexad::is_valid_utf8(s) == (via_nlohmann == s));
  }
  CHECK(hexad::hex_bytes(std::string("\x00\x7f\xc3\x28", 4)) == "007fc328");
}

TEST_CASE("a debug.print longer than any line bound grows the buffer") {
  std::string text(200000, '\x01');
  std::string line = line_of(DebugPrint{text});
  CHECK(line.size() == kCommon.size() - 4 + std::string("debug.print").size() + std::string(R"(,"text":"")").size() +
                           6 * text.size() + 2);
}

TEST_CASE("the tracer numbers events and counts them per acting thread") {
  NullSink null;
  Tracer t(null);
  t.emit({0, -1, 0, 0}, RunStart{});
  t.emit({1, 0, 0, 5}, ThreadExit{0});
  t.emit({1, 0, 0, 6}, WaitEnd{0, 0u});
  t.emit({200, 3, 1, 9}, DebugPrint{"x"});  // a tid beyond the initial table
  CHECK(t.events() == 4);
  CHECK(t.events_of(0) == 1);
  CHECK(t.events_of(1) == 2);
  CHECK(t.events_of(200) == 1);
  CHECK(t.events_of(2) == 0);
  CHECK(t.events_of(100000) == 0);

  RecordingSink rec(false);
  Tracer r(rec);
  r.emit({7, 2, 3, 4}, WakeRequested{});
  r.emit({8, 2, 3, 5}, SignalMatch{});
  REQUIRE(rec.stamps.size() == 2);
  CHECK(rec.stamps[0].idx == 0);
  CHECK(rec.stamps[1].idx == 1);
  CHECK(rec.stamps[1].where.tid == 8);
  CHECK(rec.stamps[1].where.guest_cycle == 5);
  CHECK(rec.stamps[0].host_ns == 0);  // a sink that does not want the clock does not get it
  CHECK(rec.kinds == std::vector<std::string>{"wake.requested", "signal.match"});
}

TEST_CASE("the ring sink keeps the last N lines, oldest first") {
  RingSink ring(3, 16);  // lines are longer than the reserve: slots grow as needed
  Tracer t(ring);
  CHECK(ring.size() == 0);
  t.emit({1, 0, 0, 0}, ThreadExit{1});
  CHECK(ring.size() == 1);
  CHECK(ring.line(0).starts_with(R"({"idx":0,"kind":"thread.exit","tid":1,)"));
  CHECK(ring.line(0).ends_with(R"(,"exit_code":1})"));
  for (int i = 2; i <= 5; ++i) t.emit({1, 0, 0, 0}, ThreadExit{i});
  CHECK(ring.written() == 5);
  CHECK(ring.size() == 3);
  CHECK(ring.line(0).starts_with(R"({"idx":2,)"));
  CHECK(ring.line(1).starts_with(R"({"idx":3,)"));
  CHECK(ring.line(2).starts_with(R"({"idx":4,)"));
  CHECK(ring.line(2).ends_with(R"(,"exit_code":5})"));
  CHECK_THROWS_AS(ring.line(3), hexad::Error);
  CHECK_THROWS_AS(RingSink(0), hexad::Error);
}

TEST_CASE("the jsonl sink writes what append_jsonl formats, and a tee feeds two sinks") {
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / fmt::format("hexad_trace_sink_test_{}.jsonl", ::getpid());
  std::string expect;
  {
    JsonlSink file(path.string());
    RingSink ring(2);
    TeeSink tee(file, ring);
    Tracer t(tee);
    for (int i = 0; i < 3000; ++i) t.emit({2, 1, uint64_t(i), uint64_t(i) * 3}, DebugPrint{"line with \"quotes\"\n"});
    t.flush();
    CHECK(ring.size() == 2);
    CHECK(ring.line(1).starts_with(R"({"idx":2999,"kind":"debug.print","tid":2,"slot":1,"round":2999,"guest_cycle":8997,"host_ns":)"));
    CHECK(t.events_of(2) == 3000);
  }
  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  fs::remove(path);
  std::string text = all.str();
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  CHECK(lines == 3000);
  // Every line parses as JSON and carries the common fields in order.
  std::istringstream rows(text);
  std::string row;
  uint64_t idx = 0;
  while (std::getline(rows, row)) {
    auto j = nlohmann::ordered_json::parse(row);
    CHECK(j["idx"] == idx++);
    CHECK(j.begin().key() == "idx");
    CHECK(j["text"] == "line with \"quotes\"\n");
  }
  CHECK(idx == 3000);
  CHECK_THROWS_AS(JsonlSink("/nonexistent-dir/x/trace.jsonl"), hexad::Error);
}

TEST_CASE("the jsonl sink reports a failed write, keeps whole lines only and drops later events") {
  namespace fs = std::filesystem;
  SECTION("a full device: nothing written, failed() with ENOSPC") {
    JsonlSink full("/dev/full");
    Tracer t(full);
    t.emit({1, 0, 0, 0}, DebugPrint{"x"});
    CHECK_FALSE(full.failed());  // still buffered
    t.flush();
    CHECK(full.failed());
    CHECK(full.error_number() == ENOSPC);
    CHECK(full.events_written() == 0);
    t.emit({1, 0, 0, 0}, DebugPrint{"dropped"});
    t.flush();
    CHECK(t.events() == 2);
  }
  SECTION("a file-size limit mid-line: the file is cut back to its last complete line") {
    const fs::path path = fs::temp_directory_path() / fmt::format("hexad_trace_limit_test_{}.jsonl", ::getpid());
    struct rlimit old {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limited = old;
    limited.rlim_cur = 100000;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
    uint64_t written = 0;
    int error = 0;
    {
      JsonlSink file(path.string());
      Tracer t(file);
      for (int i = 0; i < 5000 && !file.failed(); ++i) t.emit({2, 1, uint64_t(i), 0}, DebugPrint{std::string(40, 'a')});
      t.flush();
      written = file.events_written();
      error = file.error_number();
    }
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, old_handler);
    CHECK(error == EFBIG);
    std::ifstream in(path, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    fs::remove(path);
    std::string text = all.str();
    CHECK(text.size() <= 100000);
    REQUIRE_FALSE(text.empty());
    CHECK(text.back() == '\n');
    size_t lines = 0;
    for (char c : text) lines += c == '\n';
    CHECK(lines == written);
    CHECK(written > 0);
  }
}
