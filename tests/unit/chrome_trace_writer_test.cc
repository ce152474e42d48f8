#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "chrome_trace_writer.h"

using hexad::audit::append_json_string;
using hexad::audit::ChromeArgs;
using hexad::audit::ChromeTraceWriter;
using hexad::audit::FlowRole;
using nlohmann::json;

TEST_CASE("chrome trace writer: JSON strings escape quotes, backslashes and control characters") {
  std::string out;
  append_json_string(out, std::string("a\"b\\c\nd\x01" "e\x7f" "f\xc3\xa9", 13));
  CHECK(out == "\"a\\\"b\\\\c\\nd\\u0001e\\u007ff\xc3\xa9\"");
  CHECK(json::parse(out) == std::string("a\"b\\c\nd\x01" "e\x7f" "f\xc3\xa9", 13));
}

TEST_CASE("chrome trace writer: events form the JSON Object Format in call order") {
  std::ostringstream s;
  ChromeTraceWriter w(s);
  w.process_name(1, "slots");
  w.thread_name(1, 7, "slot \"0\"");
  w.thread_sort_index(1, 7, -2);
  ChromeArgs a;
  a.num("n", 18446744073709551615ull).snum("neg", -5).hex("h", 0xf8000004).str("s", "x").raw("r", "[1,2]");
  w.complete(1, 7, "c", "producer", 10, 0, a, FlowRole::Out, 3);
  w.complete(1, 8, "c", "consumer", 12, 4, ChromeArgs{}, FlowRole::In, 3);
  w.begin(1, 7, "c", "open", 20, ChromeArgs{});
  w.global_instant(1, 7, "c", "stop", 21, ChromeArgs{});
  REQUIRE(w.finish("{\"k\":1}"));
  CHECK(w.events_written() == 7);

  const std::string text = s.str();
  CHECK(text.rfind("{\"traceEvents\":[\n", 0) == 0);  // traceEvents first: Perfetto stops at unknown keys
  const json doc = json::parse(text);
  REQUIRE(doc["traceEvents"].size() == 7);
  CHECK(doc["otherData"] == json{{"k", 1}});
  const json& ev = doc["traceEvents"];
  CHECK(ev[0] == json{{"ph", "M"}, {"name", "process_name"}, {"pid", 1}, {"args", {{"name", "slots"}}}});
  CHECK(ev[1]["args"]["name"] == "slot \"0\"");
  CHECK(ev[2]["args"]["sort_index"] == -2);
  CHECK(ev[3]["ph"] == "X");
  CHECK(ev[3]["ts"] == 10);
  CHECK(ev[3]["dur"] == 0);
  CHECK(ev[3]["bind_id"] == 3);
  CHECK(ev[3]["flow_out"] == true);
  CHECK_FALSE(ev[3].contains("flow_in"));
  CHECK(ev[3]["args"]["n"] == 18446744073709551615ull);
  CHECK(ev[3]["args"]["neg"] == -5);
  CHECK(ev[3]["args"]["h"] == "0xf8000004");
  CHECK(ev[3]["args"]["r"] == json::array({1, 2}));
  CHECK(ev[4]["flow_in"] == true);
  CHECK_FALSE(ev[4].contains("args"));  // empty args are left out
  CHECK(ev[5]["ph"] == "B");
  CHECK_FALSE(ev[5].contains("dur"));
  CHECK(ev[6]["ph"] == "i");
  CHECK(ev[6]["s"] == "g");
}

TEST_CASE("chrome trace writer: the same calls give the same bytes") {
  auto write = [] {
    std::ostringstream s;
    ChromeTraceWriter w(s);
    ChromeArgs a;
    a.str("k", "v");
    for (uint64_t t = 0; t < 100; ++t) w.complete(2, uint32_t(t % 3), "c", "n", t, t / 2, a);
    w.finish("{}");
    return s.str();
  };
  CHECK(write() == write());
}
