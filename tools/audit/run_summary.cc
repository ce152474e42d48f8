#include "run_summary.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "trace/events.h"
#include "trace_diff.h"

namespace hexad::audit {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view kDumpFile = "exit-thread-state.json";
constexpr std::string_view kVdSwap = "VdSwap";

bool matches_number(const simdjson::dom::element& el, uint64_t want) {
  uint64_t u;
  if (!el.get_uint64().get(u)) return u == want;
  std::string_view s;
  if (!el.get_string().get(s)) {
    std::optional<uint64_t> h = parse_hex(s);
    return h && *h == want;
  }
  return false;
}

bool matches_text(const simdjson::dom::element& el, std::string_view want) {
  std::string_view s;
  if (!el.get_string().get(s)) return s == want;
  bool b;
  if (!el.get_bool().get(b)) return want == (b ? "true" : "false");
  if (el.is_null()) return want == "null";
  return false;
}

// A number written in decimal or 0x hex, else nullopt.
std::optional<uint64_t> number_of(std::string_view text) {
  if (std::optional<uint64_t> h = parse_hex(text)) return h;
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

bool element_matches(const simdjson::dom::element& el, const EventFilter& f) {
  if (std::optional<uint64_t> n = number_of(f.value); n && matches_number(el, *n)) return true;
  return matches_text(el, f.value);
}

ThreadSummary& thread(TraceSummary& s, uint64_t tid) {
  ThreadSummary& t = s.threads[uint32_t(tid)];
  t.tid = uint32_t(tid);
  return t;
}

void end_wait(ThreadSummary& t, uint64_t at) {
  if (!t.wait_began) return;
  const uint64_t lasted = at > *t.wait_began ? at - *t.wait_began : 0;
  t.blocked_cycles += lasted;
  for (uint64_t h : t.wait_handles) t.waited[h].blocked_cycles += lasted;
  t.wait_began.reset();
  t.wait_handles.clear();
}

// One event into the summary. Nothing here allocates once every thread, object, kind and import
// name has been seen (`key` is a reused buffer).
void take(TraceSummary& s, const EventView& e, std::string& key, std::string& image_sha) {
  ++s.events;
  auto kind = s.by_kind.find(std::string_view(e.kind));
  if (kind == s.by_kind.end()) kind = s.by_kind.emplace(std::string(e.kind), 0).first;
  ++kind->second;
  const uint64_t cycle = e.u64("guest_cycle").value_or(0);
  s.last_guest_cycle = std::max(s.last_guest_cycle, cycle);
  const uint64_t tid = e.u64("tid").value_or(0);
  ThreadSummary* t = tid ? &thread(s, tid) : nullptr;
  if (t) ++t->events;
  else ++s.run_events;

  if (e.kind == trace::RunStart::kKind) {
    std::string_view sha;
    if (!e.object["image"]["sha256"].get_string().get(sha)) image_sha = std::string(sha);
  } else if (e.kind == trace::ThreadCreate::kKind) {
    if (std::optional<uint64_t> n = e.u64("new_tid")) thread(s, *n).created_at = cycle;
  } else if (e.kind == trace::ThreadExit::kKind || e.kind == trace::ThreadFault::kKind) {
    if (t) {
      end_wait(*t, cycle);
      t->ended_at = cycle;
    }
  } else if (e.kind == trace::WaitBegin::kKind) {
    if (!t) return;
    end_wait(*t, cycle);
    ++t->waits;
    t->wait_began = cycle;
    simdjson::dom::array handles;
    if (!e.object["handles"].get_array().get(handles)) {
      for (simdjson::dom::element h : handles) {
        std::string_view text;
        std::optional<uint64_t> v = h.get_string().get(text) ? std::nullopt : parse_hex(text);
        if (!v) continue;
        t->wait_handles.push_back(*v);
        ++t->waited[*v].waits;
      }
    }
  } else if (e.kind == trace::WaitEnd::kKind) {
    if (t) end_wait(*t, cycle);
  } else if (e.kind == trace::ImportCall::kKind) {
    const std::string_view module = e.str("module").value_or("?"), name = e.str("name").value_or("?");
    key.assign(module);
    key += '!';
    key += name;
    auto it = s.imports.find(key);
    if (it == s.imports.end()) it = s.imports.emplace(key, ImportSummary{}).first;
    ++it->second.calls;
    bool implemented = true;
    if (!e.object["implemented"].get_bool().get(implemented) && !implemented) it->second.implemented = false;
    if (name == kVdSwap) ++s.vdswap_calls;
  } else if (e.kind == trace::RunStop::kKind) {
    if (std::optional<std::string_view> r = e.str("reason")) s.stop_reason = std::string(*r);
    s.instructions = e.u64("instructions");
    s.rounds = e.u64("rounds");
  }
}

json read_dump(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) fail("{}: cannot read", path.string());
  json dump;
  std::string error;
  if (!parse_json_line(text.str(), dump, error)) fail("{}: invalid JSON: {}", path.string(), error);
  if (!dump.is_object() || !dump.contains("run") || !dump["run"].is_object() || !dump.contains("threads") ||
      !dump["threads"].is_array())
    fail("{}: not an exit-thread-state dump (no \"run\" object or \"threads\" array)", path.string());
  return dump;
}

template <class T>
std::optional<T> get_opt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

// A thread's `sched` block; nullopt when it has none (a dump older than it) or a field is missing.
std::optional<ThreadSched> read_sched(const json& thread) {
  auto it = thread.find("sched");
  if (it == thread.end() || !it->is_object()) return std::nullopt;
  const json& j = *it;
  ThreadSched s;
  const std::pair<const char*, uint64_t*> fields[] = {
      {"dispatches", &s.dispatches},
      {"ready_to_running_max_cycles", &s.ready_to_running_max_cycles},
      {"ready_to_running_mean_cycles", &s.ready_to_running_mean_cycles},
      {"cycles_ready", &s.cycles_ready},
      {"cycles_running", &s.cycles_running},
      {"cycles_blocked", &s.cycles_blocked},
      {"cycles_suspended", &s.cycles_suspended}};
  for (const auto& [name, out] : fields) {
    std::optional<uint64_t> v = get_opt<uint64_t>(j, name);
    if (!v) return std::nullopt;
    *out = *v;
  }
  return s;
}

// Merges the dump when it is this trace's (same image, as many events); else a warning.
void merge_dump(TraceSummary& s, const std::string& image_sha, bool trace_cut) {
  const fs::path path = fs::path(s.trace_path).parent_path() / kDumpFile;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return;
  json dump = read_dump(path);
  const json& run = dump["run"];
  const uint64_t dump_events = get_opt<uint64_t>(run, "trace_events_written")
                                   .value_or(get_opt<uint64_t>(run, "trace_events").value_or(UINT64_MAX));
  const std::string dump_sha = get_opt<std::string>(run, "image_sha256").value_or("");
  if (dump_sha != image_sha || (!trace_cut && dump_events != s.events)) {
    s.warnings.push_back(fmt::format("{}: not this trace's dump ({} events of image {}; the trace has {} of {}); "
                                     "per-thread state, instructions and slots are left out",
                                     path.string(), dump_events, dump_sha, s.events, image_sha));
    return;
  }
  s.dump_path = path.string();
  if (!s.stop_reason) s.stop_reason = get_opt<std::string>(run, "stop_reason");
  if (!s.instructions) s.instructions = get_opt<uint64_t>(run, "instructions");
  if (!s.rounds) s.rounds = get_opt<uint64_t>(run, "rounds");
  s.guest_cycle = get_opt<uint64_t>(run, "guest_cycle");
  if (run.contains("scheduler") && run["scheduler"].is_object()) {
    const json& sched = run["scheduler"];
    if (sched.contains("counters")) s.scheduler_counters = sched["counters"];
    if (sched.contains("slots") && sched["slots"].is_array())
      for (const json& slot : sched["slots"]) {
        if (!slot.is_object()) continue;
        std::optional<int64_t> n = get_opt<int64_t>(slot, "slot");
        std::optional<uint64_t> busy = get_opt<uint64_t>(slot, "busy_cycles");
        std::optional<uint64_t> idle = get_opt<uint64_t>(slot, "idle_cycles");
        if (n && busy && idle) s.dump_slots[*n] = {*busy, *idle};
      }
  }
  for (const json& t : dump["threads"]) {
    std::optional<uint64_t> tid = t.is_object() ? get_opt<uint64_t>(t, "tid") : std::nullopt;
    if (!tid) continue;
    ThreadSummary& ts = thread(s, *tid);
    ts.state = get_opt<std::string>(t, "state");
    ts.instructions = get_opt<uint64_t>(t, "instructions");
    ts.slot = get_opt<int64_t>(t, "slot");
    ts.sched = read_sched(t);
  }
}

void split_time(ThreadSummary& t, uint64_t last_guest_cycle) {
  if (t.sched) {
    const ThreadSched& k = *t.sched;
    t.time_source = TimeSource::Dump;
    t.alive_cycles = k.cycles_ready + k.cycles_running + k.cycles_blocked + k.cycles_suspended;
    t.running_cycles = k.cycles_running;
    t.ready_cycles = k.cycles_ready;
    t.blocked_cycles = k.cycles_blocked;
    t.suspended_cycles = k.cycles_suspended;
    return;
  }
  const uint64_t from = t.created_at.value_or(0), to = t.ended_at.value_or(last_guest_cycle);
  t.alive_cycles = to > from ? to - from : 0;
  if (t.instructions) {
    const uint64_t used = *t.instructions + t.blocked_cycles;
    t.running_cycles = t.instructions;
    t.ready_cycles = t.alive_cycles > used ? t.alive_cycles - used : 0;
  }
}

void finish(TraceSummary& s) {
  std::map<int64_t, SlotSummary> slots;
  for (auto& [tid, t] : s.threads) {
    end_wait(t, s.last_guest_cycle);  // still blocked at the end
    split_time(t, s.last_guest_cycle);
    const bool exited = t.state ? (*t.state == "Exited" || *t.state == "Faulted") : t.ended_at.has_value();
    (exited ? s.exited_threads : s.live_threads) += 1;
    if (t.slot && *t.slot >= 0) {
      SlotSummary& slot = slots[*t.slot];
      slot.slot = *t.slot;
      slot.tids.push_back(tid);
      slot.busy_cycles += t.instructions.value_or(0);
    }
  }
  // The scheduler's per-slot accounting, all six slots, replaces the estimate where the dump has it.
  for (const auto& [n, busy_idle] : s.dump_slots) {
    SlotSummary& slot = slots[n];
    slot.slot = n;
    slot.source = TimeSource::Dump;
    slot.busy_cycles = busy_idle.first;
    slot.idle_cycles = busy_idle.second;
  }
  for (auto& [n, slot] : slots) {
    const uint64_t whole = slot.idle_cycles ? slot.busy_cycles + *slot.idle_cycles : s.last_guest_cycle;
    slot.utilisation = whole ? double(slot.busy_cycles) / double(whole) : 0.0;
    s.slots.push_back(slot);
  }
}

}  // namespace

bool field_matches(const EventView& e, const EventFilter& filter) {
  simdjson::dom::element el;
  if (e.object[filter.field].get(el)) return false;
  simdjson::dom::array items;
  if (!el.get_array().get(items)) {
    for (simdjson::dom::element item : items)
      if (element_matches(item, filter)) return true;
    return false;
  }
  return element_matches(el, filter);
}

TraceSummary summarize(const std::string& run, std::vector<EventCounter>* counters) {
  TraceSummary s;
  EventStreamOptions options;
  options.tolerate_cut_last_line = true;
  EventStream stream(run, options);
  s.trace_path = stream.path();
  s.compressed = stream.compressed();
  EventView e;
  std::string key, image_sha;
  while (stream.next(e)) {
    take(s, e, key, image_sha);
    if (!counters) continue;
    for (EventCounter& c : *counters) {
      if (c.kind != e.kind) continue;
      bool all = true;
      for (const EventFilter& f : c.filters) all = all && field_matches(e, f);
      if (all) ++c.count;
    }
  }
  stream.check_complete(true);  // an empty trace is an error
  s.trace_bytes = stream.file_bytes_read();
  const std::string cut = stream.cut_message();
  if (!cut.empty()) s.warnings.push_back(cut);
  else if (!stream.ended())
    s.warnings.push_back(fmt::format("{}: no run.stop at the end ({} events): the run was killed or is still running",
                                     s.trace_path, s.events));
  merge_dump(s, image_sha, !stream.ended());
  finish(s);
  return s;
}

std::vector<std::pair<std::string, ImportSummary>> imports_in_order(const TraceSummary& s) {
  std::vector<std::pair<std::string, ImportSummary>> out(s.imports.begin(), s.imports.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.second.implemented != b.second.implemented) return !a.second.implemented;
    return a.second.calls > b.second.calls;
  });
  return out;
}

namespace {

std::string percent(uint64_t part, uint64_t whole) {
  return whole ? fmt::format("{:.1f}%", 100.0 * double(part) / double(whole)) : "-";
}

std::string hex32(uint64_t v) { return fmt::format("0x{:08x}", v); }

// The `n` objects a thread waited on longest (then most often).
std::vector<std::pair<uint64_t, WaitedObject>> top_waited(const ThreadSummary& t, size_t n) {
  std::vector<std::pair<uint64_t, WaitedObject>> v(t.waited.begin(), t.waited.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    if (a.second.blocked_cycles != b.second.blocked_cycles) return a.second.blocked_cycles > b.second.blocked_cycles;
    return a.second.waits > b.second.waits;
  });
  if (v.size() > n) v.resize(n);
  return v;
}

constexpr size_t kTopWaited = 3;

const char* source_name(TimeSource source) { return source == TimeSource::Dump ? "dump" : "trace"; }

}  // namespace

void write_summary_text(std::ostream& out, const TraceSummary& s) {
  for (const std::string& w : s.warnings) out << "warning: " << w << "\n";
  out << "trace: " << s.trace_path << (s.compressed ? " (zstd)" : "") << "\n";
  out << "dump: " << (s.dump_path ? *s.dump_path : "(none: per-thread state, instructions and slots unknown)") << "\n";
  out << fmt::format("progress: {} events, {} live and {} exited threads, {} VdSwap calls, last guest cycle {}, "
                     "stop reason {}\n",
                     s.events, s.live_threads, s.exited_threads, s.vdswap_calls, s.last_guest_cycle,
                     s.stop_reason.value_or("(none: the trace has no run.stop)"));
  if (s.instructions || s.rounds)
    out << fmt::format("run: {} instructions, {} rounds\n", s.instructions.value_or(0), s.rounds.value_or(0));
  if (s.scheduler_counters && s.scheduler_counters->contains("picks"))
    out << "scheduler picks (all threads; not recorded per thread): " << (*s.scheduler_counters)["picks"].dump()
        << "\n";

  out << "\nthreads (guest cycles, as a share of the thread's life; src: where the split comes from):\n"
         "  dump  = the scheduler's own accounting (the dump's per-thread sched block)\n"
         "  trace = estimated: Running = instructions, Blocked = in waits, Ready = the rest of its life\n";
  out << fmt::format("  {:>4} {:<9} {:>4} {:>12} {:>10} {:>8} {:>8} {:>8} {:>8} {:>8} {:<5} {:>10} {:>19}  {}\n", "tid",
                     "state", "slot", "instructions", "events", "waits", "running", "ready", "blocked", "suspended",
                     "src", "dispatches", "ready->run mean/max", "top waited objects");
  for (const auto& [tid, t] : s.threads) {
    std::string top;
    for (const auto& [h, w] : top_waited(t, kTopWaited))
      top += fmt::format("{}{} ({} waits, {} cycles)", top.empty() ? "" : ", ", hex32(h), w.waits, w.blocked_cycles);
    const bool measured = t.time_source == TimeSource::Dump;
    out << fmt::format("  {:>4} {:<9} {:>4} {:>12} {:>10} {:>8} {:>8} {:>8} {:>8} {:>8} {:<5} {:>10} {:>19}  {}\n", tid,
                       t.state.value_or("?"), t.slot ? std::to_string(*t.slot) : "?",
                       t.instructions ? std::to_string(*t.instructions) : "?", t.events, t.waits,
                       t.running_cycles ? percent(*t.running_cycles, t.alive_cycles) : "?",
                       t.ready_cycles ? percent(*t.ready_cycles, t.alive_cycles) : "?",
                       percent(t.blocked_cycles, t.alive_cycles),
                       t.suspended_cycles ? percent(*t.suspended_cycles, t.alive_cycles) : "?",
                       measured ? "dump" : "trace", t.sched ? std::to_string(t.sched->dispatches) : "?",
                       t.sched ? fmt::format("{}/{}", t.sched->ready_to_running_mean_cycles,
                                             t.sched->ready_to_running_max_cycles)
                               : "?",
                       top.empty() ? "-" : top);
  }
  if (!s.slots.empty()) {
    const bool measured = s.slots.front().source == TimeSource::Dump;
    if (measured)
      out << "\nslots (busy = a thread Running on it, from the dump's scheduler accounting, over "
          << s.guest_cycle.value_or(s.last_guest_cycle) << " guest cycles; threads: the ones on it at the end):\n";
    else
      out << "\nslots (estimated: busy = instructions of the threads on it at the end, over " << s.last_guest_cycle
          << " guest cycles):\n";
    for (const SlotSummary& slot : s.slots) {
      std::string tids;
      for (uint32_t tid : slot.tids) tids += (tids.empty() ? "" : ",") + std::to_string(tid);
      out << fmt::format("  slot {}: {:.1f}% busy ({} cycles{}), threads {}\n", slot.slot, 100.0 * slot.utilisation,
                         slot.busy_cycles, slot.idle_cycles ? fmt::format(", {} idle", *slot.idle_cycles) : "",
                         tids.empty() ? "-" : tids);
    }
  }
  out << "\nevents by kind:\n";
  for (const auto& [kind, n] : s.by_kind) out << fmt::format("  {:<16} {:>12}\n", kind, n);
  out << "\nimports (unimplemented first, then by calls):\n";
  for (const auto& [name, imp] : imports_in_order(s))
    out << fmt::format("  {:<40} {:>12}{}\n", name, imp.calls, imp.implemented ? "" : "  UNIMPLEMENTED");
}

json summary_json(const TraceSummary& s) {
  json j = json::object();
  j["schema"] = "hexad.audit-summary/1";
  j["trace"] = s.trace_path;
  j["compressed"] = s.compressed;
  j["dump"] = s.dump_path ? json(*s.dump_path) : json(nullptr);
  j["warnings"] = s.warnings;
  auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  j["progress"] = {{"events", s.events},
                   {"live_threads", s.live_threads},
                   {"exited_threads", s.exited_threads},
                   {"vdswap_calls", s.vdswap_calls},
                   {"last_guest_cycle", s.last_guest_cycle},
                   {"stop_reason", opt(s.stop_reason)},
                   {"instructions", opt(s.instructions)},
                   {"rounds", opt(s.rounds)}};
  j["scheduler_counters"] = s.scheduler_counters ? *s.scheduler_counters : json(nullptr);
  json threads = json::array();
  for (const auto& [tid, t] : s.threads) {
    json top = json::array();
    for (const auto& [h, w] : top_waited(t, kTopWaited))
      top.push_back({{"object", hex32(h)}, {"waits", w.waits}, {"blocked_cycles", w.blocked_cycles}});
    threads.push_back({{"tid", tid},
                       {"state", opt(t.state)},
                       {"slot", opt(t.slot)},
                       {"instructions", opt(t.instructions)},
                       {"events", t.events},
                       {"waits", t.waits},
                       {"alive_cycles", t.alive_cycles},
                       {"time_source", source_name(t.time_source)},
                       {"running_cycles", opt(t.running_cycles)},
                       {"ready_cycles", opt(t.ready_cycles)},
                       {"blocked_cycles", t.blocked_cycles},
                       {"suspended_cycles", opt(t.suspended_cycles)},
                       {"sched", t.sched ? json{{"dispatches", t.sched->dispatches},
                                                {"ready_to_running_max_cycles", t.sched->ready_to_running_max_cycles},
                                                {"ready_to_running_mean_cycles", t.sched->ready_to_running_mean_cycles},
                                                {"cycles_ready", t.sched->cycles_ready},
                                                {"cycles_running", t.sched->cycles_running},
                                                {"cycles_blocked", t.sched->cycles_blocked},
                                                {"cycles_suspended", t.sched->cycles_suspended}}
                                         : json(nullptr)},
                       {"top_waited", top}});
  }
  j["threads"] = threads;
  json slots = json::array();
  for (const SlotSummary& slot : s.slots)
    slots.push_back({{"slot", slot.slot}, {"tids", slot.tids}, {"source", source_name(slot.source)},
                     {"busy_cycles", slot.busy_cycles}, {"idle_cycles", opt(slot.idle_cycles)},
                     {"utilisation", slot.utilisation}});
  j["slots"] = slots;
  j["events_by_kind"] = s.by_kind;
  json imports = json::array();
  for (const auto& [name, imp] : imports_in_order(s))
    imports.push_back({{"import", name}, {"calls", imp.calls}, {"implemented", imp.implemented}});
  j["imports"] = imports;
  return j;
}

}  // namespace hexad::audit
