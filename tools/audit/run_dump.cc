#include "run_dump.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "line_source.h"
#include "trace_diff.h"

namespace hexad::audit {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kDumpSchema = "hexad.exit-thread-state/1";
constexpr const char* kDumpFile = "exit-thread-state.json";

// Field access that names the file and the JSON path of whatever is missing or ill-typed.
class Fields {
 public:
  explicit Fields(std::string file) : file_(std::move(file)) {}

  const json& member(const json& obj, const std::string& where, const char* name) const {
    auto it = obj.find(name);
    if (it == obj.end()) bad(where, name, "is missing");
    return *it;
  }
  std::string text(const json& obj, const std::string& where, const char* name) const {
    const json& v = member(obj, where, name);
    if (!v.is_string()) bad(where, name, "is not a string");
    return v.get<std::string>();
  }
  uint64_t count(const json& obj, const std::string& where, const char* name) const {
    const json& v = member(obj, where, name);
    if (!v.is_number_unsigned()) bad(where, name, "is not a non-negative integer");
    return v.get<uint64_t>();
  }
  int64_t integer(const json& obj, const std::string& where, const char* name) const {
    const json& v = member(obj, where, name);
    if (!v.is_number_integer()) bad(where, name, "is not an integer");
    return v.get<int64_t>();
  }
  const json& array(const json& obj, const std::string& where, const char* name) const {
    const json& v = member(obj, where, name);
    if (!v.is_array()) bad(where, name, "is not an array");
    return v;
  }
  std::vector<uint32_t> tids(const json& obj, const std::string& where, const char* name) const {
    std::vector<uint32_t> out;
    for (const json& t : array(obj, where, name)) {
      if (!t.is_number_unsigned()) bad(where, name, "holds something other than tids");
      out.push_back(t.get<uint32_t>());
    }
    return out;
  }
  [[noreturn]] void bad(const std::string& where, const char* name, const char* why) const {
    fail("{}: {}\"{}\" {}", file_, where.empty() ? "" : where + ".", name, why);
  }
  [[noreturn]] void not_object(const std::string& where) const { fail("{}: {} is not an object", file_, where); }
  [[noreturn]] void no_key(const std::string& where) const {
    fail("{}: {} has no \"key\" (a dump written by a hexad older than stable keys; run the title again)", file_,
         where);
  }

 private:
  std::string file_;
};

json read_json_file(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) fail("{}: no such file", path);
  if (fs::is_directory(path, ec)) fail("{}: is a directory, expected a dump file", path);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) fail("{}: cannot read", path);
  json j;
  std::string error;
  if (!parse_json_line(text.str(), j, error)) fail("{}: not a JSON file: {}", path, error);
  return j;
}

DumpThread read_thread(const Fields& f, const json& t, size_t k) {
  const std::string where = fmt::format("threads[{}]", k);
  if (!t.is_object()) f.not_object(where);
  DumpThread d;
  d.tid = uint32_t(f.count(t, where, "tid"));
  if (!t.contains("key")) f.no_key(where);
  d.key = f.text(t, where, "key");
  if (t.contains("handle") && t["handle"].is_string()) d.handle = t["handle"].get<std::string>();
  d.state = f.text(t, where, "state");
  d.slot = int(f.integer(t, where, "slot"));
  d.base_priority = int(f.integer(t, where, "base_priority"));
  d.effective_priority = int(f.integer(t, where, "effective_priority"));
  d.last_run_round = f.count(t, where, "last_run_round");
  d.instructions = f.count(t, where, "instructions");
  d.events = f.count(t, where, "events");
  if (auto w = t.find("wait"); w != t.end()) {
    if (!w->is_object()) f.not_object(where + ".wait");
    d.wait_kind = f.text(*w, where, "wait");
    const json& deadline = f.member(*w, where + ".wait", "deadline_ns_or_inf");
    if (deadline.is_number_unsigned()) d.deadline_ns = deadline.get<uint64_t>();
    else if (deadline != "inf") f.bad(where + ".wait", "deadline_ns_or_inf", "is neither a count of ns nor \"inf\"");
    const json& objects = f.array(*w, where + ".wait", "objects");
    for (size_t i = 0; i < objects.size(); ++i) {
      if (!objects[i].is_object()) f.not_object(fmt::format("{}.wait.objects[{}]", where, i));
      d.waits_on.push_back(f.text(objects[i], fmt::format("{}.wait.objects[{}]", where, i), "handle"));
    }
  }
  return d;
}

DumpWedge read_wedge(const Fields& f, const json& w, size_t k) {
  const std::string where = fmt::format("wedge_map[{}]", k);
  if (!w.is_object()) f.not_object(where);
  DumpWedge d;
  if (!w.contains("key")) f.no_key(where);
  d.key = f.text(w, where, "key");
  d.handle = f.text(w, where, "handle");
  d.type = f.text(w, where, "type");
  d.state = f.member(w, where, "state");
  d.waiters = f.tids(w, where, "waiters_tid");
  d.signalers = f.tids(w, where, "signaled_by_tids");
  return d;
}

}  // namespace

RunDump load_run_dump(const std::string& run) {
  std::error_code ec;
  RunDump d;
  fs::path folder;
  if (fs::is_directory(run, ec)) {
    folder = fs::path(run);
    d.dump_path = (folder / kDumpFile).string();
    if (!fs::exists(d.dump_path, ec))
      fail("{}: not a run folder: it has no {} (give a run folder of `hexad run --out` or a dump file)", run,
           kDumpFile);
  } else {
    d.dump_path = run;
    folder = fs::path(run).parent_path();
  }
  // The run's trace, plain or compressed (the shared resolver); a folder without one is a dump alone.
  if (fs::is_regular_file(folder / "trace.jsonl", ec) || fs::is_regular_file(folder / "trace.jsonl.zst", ec))
    d.trace_path = resolve_trace_path(folder.empty() ? std::string(".") : folder.string());

  const json j = read_json_file(d.dump_path);
  const Fields f(d.dump_path);
  if (!j.is_object()) fail("{}: not a JSON object", d.dump_path);
  const std::string schema = f.text(j, "", "schema");
  if (schema != kDumpSchema) fail("{}: schema \"{}\", expected \"{}\"", d.dump_path, schema, kDumpSchema);
  const json& r = f.member(j, "", "run");
  if (!r.is_object()) f.bad("", "run", "is not an object");
  d.stop_reason = f.text(r, "run", "stop_reason");
  d.rounds = f.count(r, "run", "rounds");
  d.trace_events = f.count(r, "run", "trace_events");
  d.guest_time_ns = f.count(r, "run", "guest_time_ns");
  d.instructions = f.count(r, "run", "instructions");
  const json& threads = f.array(j, "", "threads");
  for (size_t k = 0; k < threads.size(); ++k) d.threads.push_back(read_thread(f, threads[k], k));
  const json& wedges = f.array(j, "", "wedge_map");
  for (size_t k = 0; k < wedges.size(); ++k) {
    d.wedges.push_back(read_wedge(f, wedges[k], k));
  }
  return d;
}

const DumpThread* RunDump::thread(uint32_t tid) const {
  for (const DumpThread& t : threads)
    if (t.tid == tid) return &t;
  return nullptr;
}

const DumpThread* RunDump::thread_by_key(const std::string& key) const {
  for (const DumpThread& t : threads)
    if (t.key == key) return &t;
  return nullptr;
}

const DumpThread* RunDump::thread_by_handle(const std::string& handle) const {
  for (const DumpThread& t : threads)
    if (!t.handle.empty() && t.handle == handle) return &t;
  return nullptr;
}

const DumpWedge* RunDump::wedge_by_handle(const std::string& handle) const {
  for (const DumpWedge& w : wedges)
    if (w.handle == handle) return &w;
  return nullptr;
}

std::string RunDump::describe(uint32_t tid) const {
  const DumpThread* t = thread(tid);
  return t ? fmt::format("tid {} ({})", tid, t->key) : fmt::format("tid {}", tid);
}

std::string RunDump::object_name(const std::string& handle) const {
  const DumpWedge* w = wedge_by_handle(handle);
  return w ? w->key : handle;
}

}  // namespace hexad::audit
