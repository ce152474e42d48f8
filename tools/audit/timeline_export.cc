#include "timeline_export.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/hexad_error.h"
#include "chrome_trace_writer.h"
#include "line_source.h"
#include "run_folder.h"
#include "trace/events.h"
#include "trace_diff.h"

namespace hexad::audit {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr uint32_t kSlotPid = 1;             // process "hardware slots"
constexpr uint32_t kThreadPid = 2;           // process "guest threads"
constexpr uint32_t kSlotTidBase = 1000000;   // slot tracks' tids, apart from any guest tid
constexpr int kSlots = 6;
constexpr std::string_view kCat = "hexad";
constexpr uint32_t kStatusTimeout = 0x102;   // STATUS_TIMEOUT
constexpr uint32_t kStatusUserApc = 0xc0;    // STATUS_USER_APC
constexpr uint32_t kStatusAlerted = 0x101;   // STATUS_ALERTED
constexpr uint32_t kStatusAbandoned = 0x80;  // STATUS_ABANDONED_WAIT_0

// What the dump (exit-thread-state.json) says about objects and threads: their type and, when
// the dump has one, their stable key.
struct DumpObject {
  std::string type;
  std::string key;
};
struct DumpThread {
  std::string key;    // its stable key, when the dump has one
  std::string state;  // at the end of the run: Ready, Blocked, Exited, ...
  std::optional<uint64_t> instructions;
};
struct DumpInfo {
  std::map<uint32_t, DumpObject> objects;  // by handle or guest address
  std::map<uint32_t, DumpThread> threads;
};

std::optional<uint32_t> parse_hex32(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() < 3 || s.size() > 10 || s[0] != '0' || s[1] != 'x') return std::nullopt;
  uint32_t out = 0;
  for (size_t k = 2; k < s.size(); ++k) {
    char c = s[k];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return std::nullopt;
    out = out << 4 | uint32_t(d);
  }
  return out;
}

std::string key_of(const json& o) {
  auto k = o.find("key");
  return k != o.end() && k->is_string() ? k->get<std::string>() : std::string();
}

DumpInfo read_dump(const std::string& path) {
  DumpInfo info;
  json dump;
  std::string error;
  std::string text = read_file(path);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!parse_json_line(text, dump, error)) fail("{}: invalid JSON: {}", path, error);
  if (!dump.is_object()) fail("{}: not a JSON object", path);
  auto note_object = [&](const json& o) {
    if (!o.is_object()) return;
    auto handle = o.contains("handle") ? parse_hex32(o["handle"]) : std::nullopt;
    if (!handle) return;
    DumpObject& d = info.objects[*handle];
    if (auto t = o.find("type"); t != o.end() && t->is_string()) d.type = t->get<std::string>();
    if (std::string k = key_of(o); !k.empty()) d.key = k;
  };
  if (auto w = dump.find("wedge_map"); w != dump.end() && w->is_array())
    for (const json& o : *w) note_object(o);
  if (auto t = dump.find("threads"); t != dump.end() && t->is_array()) {
    for (const json& th : *t) {
      if (!th.is_object()) continue;
      if (auto tid = th.find("tid"); tid != th.end() && tid->is_number_unsigned()) {
        DumpThread& d = info.threads[tid->get<uint32_t>()];
        d.key = key_of(th);
        if (auto st = th.find("state"); st != th.end() && st->is_string()) d.state = st->get<std::string>();
        if (auto n = th.find("instructions"); n != th.end() && n->is_number_unsigned()) d.instructions = n->get<uint64_t>();
      }
      if (auto wait = th.find("wait"); wait != th.end() && wait->is_object())
        if (auto objs = wait->find("objects"); objs != wait->end() && objs->is_array())
          for (const json& o : *objs) note_object(o);
    }
  }
  return info;
}

class TimelineExporter {
 public:
  TimelineExporter(std::string path, ChromeTraceWriter& w, DumpInfo dump, const ExportOptions& options)
      : path_(std::move(path)), w_(w), dump_(std::move(dump)), from_(options.from_cycle), to_(options.to_cycle) {}

  void on_event(const TraceEvent& e);
  void finish();
  std::string other_data() const;
  ExportStats stats() const { return stats_; }

 private:
  struct Wait {
    uint64_t begin = 0, idx = 0;
    std::vector<uint32_t> handles;
    bool all = false;
    std::optional<int64_t> timeout_ns;
    bool alertable = false;
  };
  struct Wake {  // a wait a signal ended, waiting for its signal.match to draw the arrow
    uint32_t waker = 0, handle = 0;
    std::optional<uint64_t> ended;  // the wait's end cycle, once its wait.end is read
  };
  struct Thread {
    std::string label;  // "T3"
    uint64_t ready = 0;  // when it last became Ready (created, or a wait ended), and in which round
    uint64_t ready_round = 0;
    bool exited = false;
    std::optional<Wait> wait;
    std::optional<Wake> wake;
    int stretch_slot = -1;  // the slot whose open stretch is this thread's
    std::string title;      // its track's name, written at the end (with what the dump adds)
    uint64_t stretches = 0;
    uint64_t last_cycle = 0;  // its latest event: a thread's own events never go back in time
    uint64_t stretch_end = 0;  // where its previous running stretch ended
  };
  struct Stretch {
    uint32_t tid = 0;
    uint64_t start = 0, last = 0, round = 0;
    const char* start_why = "";
  };
  struct Slot {
    std::optional<Stretch> open;
    bool has_prev = false;
    uint64_t prev_end = 0, prev_round = 0;
  };
  struct Object {
    std::string type;  // learned from signal.match, or the dump
    uint32_t thread = 0;  // the thread this handle names (thread.create), 0 if none
  };

  [[noreturn]] void corrupt(const TraceEvent& e, const std::string& why) const {
    fail("{}:{}: {}", path_, e.line, why);
  }
  const json& field(const TraceEvent& e, const char* name) const;
  uint64_t u64(const TraceEvent& e, const char* name) const;
  uint32_t handle(const TraceEvent& e, const json& v, const char* name) const;
  std::optional<uint32_t> opt_hex(const TraceEvent& e, const char* name) const;

  Thread& thread(uint32_t tid);
  std::string object_label(uint32_t h) const;
  std::string wait_name(const Wait& w) const;
  void ran(const TraceEvent& e, uint32_t tid, int slot, uint64_t cycle, uint64_t round);
  void stop_running(uint32_t tid, uint64_t cycle, const char* why);
  void close_stretch(int slot, const char* why);
  void mark(uint32_t tid, uint64_t cycle, std::string_view name, const ChromeArgs& args);
  // Whether a slice [ts, end] overlaps the window; slice() writes it only then.
  bool shown(uint64_t ts, uint64_t end) const { return end >= from_ && ts <= to_; }
  bool slice(uint32_t pid, uint32_t tid, std::string_view name, uint64_t ts, uint64_t dur, const ChromeArgs& args,
             FlowRole role = FlowRole::None, uint64_t flow = 0);
  void wait_begin(const TraceEvent& e, uint32_t tid, uint64_t cycle);
  void wait_end(const TraceEvent& e, uint32_t tid, uint64_t cycle);
  void signal(const TraceEvent& e, uint32_t tid, uint64_t cycle);
  void run_start(const TraceEvent& e);

  std::string path_;
  ChromeTraceWriter& w_;
  DumpInfo dump_;
  uint64_t from_, to_;  // the window, in guest cycles
  std::map<uint32_t, Thread> threads_;
  std::map<uint32_t, Object> objects_;
  std::vector<uint32_t> pending_wakes_;  // threads whose wake awaits its signal.match
  std::array<Slot, kSlots> slots_{};
  // The earliest a thread first picked in round r can have started: the latest moment any thread
  // was seen running in an earlier round (a round starts when the previous one's slots are done),
  // and the last round before r that had such events.
  uint64_t round_ = 0, round_max_cycle_ = 0, round_floor_ = 0;
  std::optional<uint64_t> floor_round_;
  bool seen_round_ = false;
  uint64_t last_cycle_ = 0;
  uint64_t next_flow_ = 1;
  std::string stop_reason_;
  json run_start_;
  ExportStats stats_;
  ChromeArgs args_;  // reused
};

const json& TimelineExporter::field(const TraceEvent& e, const char* name) const {
  auto it = e.fields.find(name);
  if (it == e.fields.end()) corrupt(e, fmt::format("{} without \"{}\"", e.kind, name));
  return *it;
}

uint64_t TimelineExporter::u64(const TraceEvent& e, const char* name) const {
  const json& v = field(e, name);
  if (!v.is_number_unsigned()) corrupt(e, fmt::format("\"{}\" is not a non-negative integer: {}", name, v.dump()));
  return v.get<uint64_t>();
}

uint32_t TimelineExporter::handle(const TraceEvent& e, const json& v, const char* name) const {
  auto h = parse_hex32(v);
  if (!h) corrupt(e, fmt::format("\"{}\" is not a \"0x%08x\" handle: {}", name, v.dump()));
  return *h;
}

std::optional<uint32_t> TimelineExporter::opt_hex(const TraceEvent& e, const char* name) const {
  const json& v = field(e, name);
  if (v.is_null()) return std::nullopt;
  return handle(e, v, name);
}

TimelineExporter::Thread& TimelineExporter::thread(uint32_t tid) {
  auto [it, fresh] = threads_.try_emplace(tid);
  if (fresh) {
    it->second.label = tid == 0 ? "kernel" : fmt::format("T{}", tid);
    w_.thread_sort_index(kThreadPid, tid, tid);
  }
  return it->second;
}

std::string TimelineExporter::object_label(uint32_t h) const {
  std::string out;
  auto o = objects_.find(h);
  auto d = dump_.objects.find(h);
  if (o != objects_.end() && o->second.thread) {
    out = fmt::format("thread T{} 0x{:08x}", o->second.thread, h);
  } else if (o != objects_.end() && !o->second.type.empty()) {
    out = fmt::format("{} 0x{:08x}", o->second.type, h);
  } else if (d != dump_.objects.end() && !d->second.type.empty()) {
    out = fmt::format("{} 0x{:08x}", d->second.type, h);
  } else {
    out = fmt::format("0x{:08x}", h);
  }
  if (d != dump_.objects.end() && !d->second.key.empty()) out += fmt::format(" [{}]", d->second.key);
  return out;
}

std::string TimelineExporter::wait_name(const Wait& w) const {
  if (w.handles.empty()) return "delay";
  std::string out = w.handles.size() == 1 ? "wait " : w.all ? "wait all: " : "wait any: ";
  for (size_t k = 0; k < w.handles.size(); ++k) out += (k ? ", " : "") + object_label(w.handles[k]);
  return out;
}

bool TimelineExporter::slice(uint32_t pid, uint32_t tid, std::string_view name, uint64_t ts, uint64_t dur,
                             const ChromeArgs& args, FlowRole role, uint64_t flow) {
  if (!shown(ts, ts + dur)) return false;
  w_.complete(pid, tid, kCat, name, ts, dur, args, role, flow);
  return true;
}

void TimelineExporter::mark(uint32_t tid, uint64_t cycle, std::string_view name, const ChromeArgs& args) {
  thread(tid);
  slice(kThreadPid, tid, name, cycle, 0, args);
}

void TimelineExporter::close_stretch(int slot, const char* why) {
  Slot& s = slots_[size_t(slot)];
  if (!s.open) return;
  const Stretch st = *s.open;
  s.open.reset();
  s.has_prev = true;
  s.prev_end = st.last;
  s.prev_round = st.round;
  Thread& t = thread(st.tid);
  t.stretch_slot = -1;
  t.stretch_end = st.last;
  ++t.stretches;
  args_.clear();
  args_.num("tid", st.tid).num("slot", uint64_t(slot)).num("start_cycle", st.start).num("end_cycle", st.last);
  args_.str("start", st.start_why).str("end", why);
  if (!slice(kSlotPid, kSlotTidBase + uint32_t(slot), t.label, st.start, st.last - st.start, args_)) return;
  slice(kThreadPid, st.tid, fmt::format("running on slot {}", slot), st.start, st.last - st.start, args_);
  ++stats_.slot_slices;
}

// `tid` was running on `slot` at `cycle`: extend its stretch there, or start one.
void TimelineExporter::ran(const TraceEvent& e, uint32_t tid, int slot, uint64_t cycle, uint64_t round) {
  if (slot < 0 || slot >= kSlots) corrupt(e, fmt::format("slot {} of a running thread is not 0..5", slot));
  if (!seen_round_ || round > round_) {
    if (seen_round_) {
      round_floor_ = std::max(round_floor_, round_max_cycle_);
      floor_round_ = round_;
    }
    seen_round_ = true;
    round_ = round;
  }
  round_max_cycle_ = std::max(round_max_cycle_, cycle);
  Thread& t = thread(tid);
  Slot& s = slots_[size_t(slot)];
  if (s.open && s.open->tid == tid) {
    s.open->last = std::max(s.open->last, cycle);
    s.open->round = round;
    return;
  }
  close_stretch(slot, "another thread ran next on this slot");
  if (t.stretch_slot >= 0) close_stretch(t.stretch_slot, "the thread moved to another slot");
  // When it was picked is not in the trace; bound it from below by what is (docs/trace.md,
  // "Timeline export"). Within one slot visit a thread runs until it blocks, exits or yields (all
  // in the trace) or the visit's quantum ends, so a thread following another in the same round
  // started when that one stopped, or when it became Ready if that was later. A thread that
  // became Ready in this round started then (it cannot run before). Otherwise it was the visit's
  // first pick, at the round's start, which is no earlier than the last event of the previous
  // round; that estimate is used only when the previous round has events.
  uint64_t start = cycle;
  const char* why = "at its first event (when it was picked is not in the trace)";
  if (s.has_prev && s.prev_round == round) {
    start = std::max(s.prev_end, t.ready);
    why = t.ready > s.prev_end ? "when the thread became ready" : "when the previous thread on this slot stopped";
  } else if (t.ready_round == round) {
    start = t.ready;
    why = "when the thread became ready";
  } else if (floor_round_ && *floor_round_ + 1 == round) {
    start = std::max(round_floor_, t.ready);
    why = "at the round's start (estimated from the previous round's last event)";
  }
  if (start > cycle) {
    start = cycle;
    why = "at its first event (when it was picked is not in the trace)";
  }
  start = std::max(start, t.stretch_end);  // its own stretches never overlap
  s.open = Stretch{tid, start, cycle, round, why};
  t.stretch_slot = slot;
}

void TimelineExporter::stop_running(uint32_t tid, uint64_t cycle, const char* why) {
  Thread& t = thread(tid);
  if (t.stretch_slot < 0) return;
  Slot& s = slots_[size_t(t.stretch_slot)];
  s.open->last = std::max(s.open->last, cycle);
  close_stretch(t.stretch_slot, why);
}

void TimelineExporter::wait_begin(const TraceEvent& e, uint32_t tid, uint64_t cycle) {
  Thread& t = thread(tid);
  if (t.wait) corrupt(e, fmt::format("wait.begin of T{} while its wait from idx {} has not ended", tid, t.wait->idx));
  Wait w;
  w.begin = cycle;
  w.idx = e.idx;
  const json& hs = field(e, "handles");
  if (!hs.is_array()) corrupt(e, "\"handles\" is not an array");
  for (const json& h : hs) w.handles.push_back(handle(e, h, "handles"));
  w.all = field(e, "wait") == "all";
  const json& timeout = field(e, "timeout_ns");
  if (timeout.is_number_integer()) w.timeout_ns = timeout.get<int64_t>();
  w.alertable = field(e, "alertable") == true;
  t.wait = std::move(w);
}

void TimelineExporter::wait_end(const TraceEvent& e, uint32_t tid, uint64_t cycle) {
  Thread& t = thread(tid);
  if (!t.wait) corrupt(e, fmt::format("wait.end of T{} without a wait.begin", tid));
  const Wait w = std::move(*t.wait);
  t.wait.reset();
  if (cycle < w.begin) corrupt(e, fmt::format("wait.end at guest cycle {} before its wait.begin at {}", cycle, w.begin));
  const auto status = handle(e, field(e, "status"), "status");
  const json& index = field(e, "index");
  std::string outcome;
  if (status == kStatusTimeout) outcome = "timeout";
  else if (status == kStatusUserApc || status == kStatusAlerted) outcome = "alerted";
  else if (w.handles.empty() && status == 0) outcome = "delay elapsed";
  else if (status >= kStatusAbandoned && status < kStatusAbandoned + 64) outcome = "abandoned mutant";
  else if (status < 64) outcome = t.wake ? "signaled" : "satisfied at once";
  else outcome = fmt::format("status 0x{:08x}", status);
  args_.clear();
  args_.str("outcome", outcome).hex("status", status);
  if (index.is_number_unsigned() && index.get<uint64_t>() < w.handles.size())
    args_.str("satisfied_by", object_label(w.handles[index.get<size_t>()]));
  if (t.wake) args_.str("woken_by", fmt::format("T{}", t.wake->waker));
  args_.str("wait", w.handles.empty() ? "delay" : w.all ? "all" : "any");
  if (w.timeout_ns) args_.snum("timeout_ns", *w.timeout_ns);
  else args_.str("timeout_ns", "infinite");
  args_.num("begin_cycle", w.begin).num("end_cycle", cycle).num("begin_idx", w.idx).num("end_idx", e.idx);
  if (slice(kThreadPid, tid, wait_name(w), w.begin, cycle - w.begin, args_)) ++stats_.waits;
  if (t.wake) t.wake->ended = cycle;
  t.ready = cycle;
  t.ready_round = u64(e, "round");
}

void TimelineExporter::signal(const TraceEvent& e, uint32_t tid, uint64_t cycle) {
  const uint32_t target = handle(e, field(e, "target_handle"), "target_handle");
  const json& by = field(e, "by");
  const json& type = field(e, "object_type");
  const json& waiters = field(e, "waiter_tids");
  if (!by.is_string() || !type.is_string() || !waiters.is_array()) corrupt(e, "signal.match with ill-typed fields");
  Object& o = objects_[target];
  if (o.type.empty()) o.type = type.get<std::string>();
  // The waits this signal ended, in wake order; each got its wait.end before this line.
  std::vector<std::pair<uint32_t, uint64_t>> woken;
  for (const json& wt : waiters) {
    if (!wt.is_number_unsigned()) corrupt(e, "\"waiter_tids\" holds a non-tid: " + wt.dump());
    auto it = threads_.find(wt.get<uint32_t>());
    if (it != threads_.end() && it->second.wake && it->second.wake->ended && it->second.wake->handle == target)
      woken.emplace_back(it->first, *it->second.wake->ended);
  }
  thread(tid);
  // An arrow needs both ends written: drop the waits outside the window, and the arrow if the
  // signal itself is outside it.
  if (!shown(cycle, cycle)) woken.clear();
  std::erase_if(woken, [&](const auto& w) { return !shown(w.second, w.second); });
  args_.clear();
  args_.str("by", by.get<std::string>()).str("object", object_label(target)).raw("waiter_tids", waiters.dump());
  args_.num("guest_cycle", cycle).num("idx", e.idx);
  const uint64_t flow = woken.empty() ? 0 : next_flow_++;
  if (slice(kThreadPid, tid, "signal " + object_label(target), cycle, 0, args_,
            woken.empty() ? FlowRole::None : FlowRole::Out, flow))
    ++stats_.signals;
  for (const auto& [waiter, ended] : woken) {
    args_.clear();
    args_.str("woken_by", fmt::format("T{}", tid)).str("by", by.get<std::string>()).str("object", object_label(target));
    args_.num("signal_cycle", cycle).num("signal_idx", e.idx);
    slice(kThreadPid, waiter, "woken: " + object_label(target), ended, 0, args_, FlowRole::In, flow);
    ++stats_.flows;
  }
  // A wake belongs to the signal that follows it.
  for (uint32_t waker : pending_wakes_) thread(waker).wake.reset();
  pending_wakes_.clear();
}

void TimelineExporter::run_start(const TraceEvent& e) {
  run_start_ = e.fields;
  w_.process_name(kSlotPid, "hardware slots");
  w_.process_sort_index(kSlotPid, 0);
  w_.process_name(kThreadPid, "guest threads");
  w_.process_sort_index(kThreadPid, 1);
  for (int s = 0; s < kSlots; ++s) {
    w_.thread_name(kSlotPid, kSlotTidBase + uint32_t(s), fmt::format("slot {} (core {}, thread {})", s, s / 2, s % 2));
    w_.thread_sort_index(kSlotPid, kSlotTidBase + uint32_t(s), s);
  }
}

void TimelineExporter::on_event(const TraceEvent& e) {
  ++stats_.trace_events;
  const uint64_t cycle = u64(e, "guest_cycle");
  const uint64_t round = u64(e, "round");
  const uint64_t tid64 = u64(e, "tid");
  if (tid64 > UINT32_MAX) corrupt(e, "\"tid\" is out of range");
  const auto tid = uint32_t(tid64);
  const json& slot_v = field(e, "slot");
  if (!slot_v.is_number_integer()) corrupt(e, "\"slot\" is not an integer");
  const int slot = int(std::clamp<int64_t>(slot_v.get<int64_t>(), -1, kSlots));
  last_cycle_ = std::max(last_cycle_, cycle);
  if (tid != 0) {
    Thread& t = thread(tid);
    if (cycle < t.last_cycle)
      corrupt(e, fmt::format("T{}'s guest_cycle {} is before its previous event's {} (a thread's events never go "
                             "back in guest time)", tid, cycle, t.last_cycle));
    t.last_cycle = cycle;
  }
  const std::string& k = e.kind;
  // Which events show their thread running: everything a thread does itself. Not wait.end (the
  // signaler writes it for the waiter), not a timeout's wake.requested (the waiter is asleep),
  // nothing of tid 0 (the kernel), nothing of an exited thread (its exit's own signal.match).
  const bool acting = tid != 0 && k != trace::WaitEnd::kKind && k != trace::RunStart::kKind &&
                      k != trace::RunStop::kKind &&
                      !(k == trace::WakeRequested::kKind && field(e, "reason") != "signal") &&
                      !thread(tid).exited;
  if (acting) ran(e, tid, slot, cycle, round);

  if (k == trace::RunStart::kKind) {
    run_start(e);
  } else if (k == trace::ThreadCreate::kKind) {
    const auto nt = u64(e, "new_tid");
    if (nt == 0 || nt > UINT32_MAX) corrupt(e, "\"new_tid\" is out of range");
    const auto new_tid = uint32_t(nt);
    const uint32_t h = handle(e, field(e, "handle"), "handle");
    const uint32_t entry = handle(e, field(e, "entry"), "entry");
    objects_[h] = Object{"thread", new_tid};
    Thread& t = thread(new_tid);
    t.ready = cycle;
    t.ready_round = round;
    std::string name = tid == 0 ? fmt::format("T{} main (entry 0x{:08x})", new_tid, entry)
                                : fmt::format("T{} (entry 0x{:08x}, created by T{})", new_tid, entry, tid);
    if (t.title.empty()) t.title = std::move(name);
    args_.clear();
    args_.num("new_tid", new_tid).hex("handle", h).hex("entry", entry).num("idx", e.idx);
    if (tid != 0) mark(tid, cycle, fmt::format("create T{}", new_tid), args_);
    args_.str("created_by", tid == 0 ? "the run (main thread)" : fmt::format("T{}", tid));
    args_.str("suspended", field(e, "suspended") == true ? "yes" : "no");
    mark(new_tid, cycle, "created", args_);  // also gives a thread that never emits an event its track
  } else if (k == trace::ThreadExit::kKind) {
    stop_running(tid, cycle, "the thread exited");
    args_.clear();
    args_.raw("exit_code", field(e, "exit_code").dump()).num("idx", e.idx);
    mark(tid, cycle, "exit", args_);
    thread(tid).exited = true;
  } else if (k == trace::ThreadFault::kKind) {
    stop_running(tid, cycle, "the thread faulted");
    args_.clear();
    args_.raw("fault", field(e, "fault").dump()).raw("pc", field(e, "pc").dump()).raw("message", field(e, "message").dump());
    args_.num("idx", e.idx);
    mark(tid, cycle, "fault", args_);
    thread(tid).exited = true;
  } else if (k == trace::DebugPrint::kKind) {
    args_.clear();
    args_.raw("text", field(e, "text").dump(-1, ' ', false, json::error_handler_t::replace)).num("idx", e.idx);
    mark(tid, cycle, "DbgPrint", args_);
  } else if (k == trace::ImportCall::kKind) {
    const json& ret = field(e, "ret");
    if (ret.is_null() && tid != 0) stop_running(tid, cycle, "the thread blocked");
    // A closed handle may be reused for another object.
    if (field(e, "name") == "NtClose" && ret == "0x00000000") {
      const json& args = field(e, "args");
      if (args.is_array() && !args.empty())
        if (auto h = parse_hex32(args[0])) objects_.erase(*h);
    }
  } else if (k == trace::WaitBegin::kKind) {
    wait_begin(e, tid, cycle);
  } else if (k == trace::WaitEnd::kKind) {
    wait_end(e, tid, cycle);
  } else if (k == trace::WakeRequested::kKind) {
    if (field(e, "reason") == "signal") {
      const auto target = u64(e, "target_tid");
      if (target > UINT32_MAX) corrupt(e, "\"target_tid\" is out of range");
      auto h = opt_hex(e, "handle");
      thread(uint32_t(target)).wake = Wake{tid, h.value_or(0), std::nullopt};
      pending_wakes_.push_back(uint32_t(target));
    }
  } else if (k == trace::SignalMatch::kKind) {
    signal(e, tid, cycle);
  } else if (k == trace::RunStop::kKind) {
    const json& reason = field(e, "reason");
    stop_reason_ = reason.is_string() ? reason.get<std::string>() : reason.dump();
    args_.clear();
    args_.str("reason", stop_reason_).raw("instructions", field(e, "instructions").dump());
    args_.raw("rounds", field(e, "rounds").dump()).num("idx", e.idx);
    if (shown(cycle, cycle)) w_.global_instant(kSlotPid, kSlotTidBase, kCat, "run.stop: " + stop_reason_, cycle, args_);
  }
}

void TimelineExporter::finish() {
  for (int s = 0; s < kSlots; ++s) close_stretch(s, "the trace ended");
  // Track names last, so they can say how each thread ended (metadata may stand anywhere).
  for (auto& [tid, t] : threads_) {
    std::string name = t.title.empty() ? t.label : t.title;  // tid 0, or a thread never created
    auto d = dump_.threads.find(tid);
    if (d != dump_.threads.end()) {
      if (!d->second.key.empty()) name += " [" + d->second.key + "]";
      if (!d->second.state.empty()) name += ", " + d->second.state + " at the end";
      // It ran, but never made a kernel call the trace shows: nothing marks it on the slot tracks.
      if (t.stretches == 0 && d->second.instructions.value_or(0) > 0)
        name += fmt::format(", ran {} instructions without trace events (not on the slot tracks)",
                            *d->second.instructions);
    }
    w_.thread_name(kThreadPid, tid, name);
  }
  const std::string why = stop_reason_.empty() ? "the trace ends without run.stop"
                                               : "the run stopped (" + stop_reason_ + ")";
  for (auto& [tid, t] : threads_) {
    if (!t.wait || !shown(t.wait->begin, UINT64_MAX)) continue;
    args_.clear();
    args_.str("outcome", "never ended: " + why).str("wait", t.wait->handles.empty() ? "delay" : t.wait->all ? "all" : "any");
    if (t.wait->timeout_ns) args_.snum("timeout_ns", *t.wait->timeout_ns);
    else args_.str("timeout_ns", "infinite");
    args_.num("begin_cycle", t.wait->begin).num("begin_idx", t.wait->idx);
    w_.begin(kThreadPid, tid, kCat, wait_name(*t.wait), t.wait->begin, args_);
    ++stats_.unfinished_waits;
  }
}

std::string TimelineExporter::other_data() const {
  json d = json::object();
  d["source"] = "hexad-audit export --format perfetto";
  d["clock"] = "1 us on the timeline = 1 guest cycle (3.2 GHz: 3,200 us on the timeline = 1 us of guest time)";
  d["slot_tracks"] = "reconstructed from each thread's own trace events (docs/trace.md, Timeline export)";
  if (run_start_.is_object()) {
    for (const char* f : {"schema", "image", "options"})
      if (run_start_.contains(f)) d[f] = run_start_[f];
  }
  if (from_ != 0 || to_ != UINT64_MAX)
    d["window"] = {{"from_cycle", from_}, {"to_cycle", to_}};  // slices outside it are left out
  d["stop_reason"] = stop_reason_.empty() ? json(nullptr) : json(stop_reason_);
  d["trace_events"] = stats_.trace_events;
  d["last_guest_cycle"] = last_cycle_;
  d["waits"] = stats_.waits;
  d["unfinished_waits"] = stats_.unfinished_waits;
  d["signals"] = stats_.signals;
  d["flows"] = stats_.flows;
  return d.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

RunFiles resolve_run(const std::string& run) {
  RunFiles files;
  std::error_code ec;
  const fs::path trace = resolve_trace_path(run);  // a run folder's trace.jsonl or trace.jsonl.zst
  files.trace = trace.string();
  const fs::path dump = trace.parent_path() / "exit-thread-state.json";
  if (fs::is_regular_file(dump, ec)) files.dump = dump.string();
  return files;
}

ExportStats export_perfetto(const RunFiles& run, std::ostream& out, const ExportOptions& options) {
  if (auto unfinished = unfinished_run_beside(run.trace); unfinished && !options.allow_unfinished)
    fail("{}; --allow-unfinished exports it anyway", *unfinished);
  DumpInfo dump = run.dump ? read_dump(*run.dump) : DumpInfo{};
  TraceReader reader(run.trace);
  ChromeTraceWriter writer(out);
  TimelineExporter exporter(run.trace, writer, std::move(dump), options);
  TraceEvent e;
  while (reader.next(e)) exporter.on_event(e);
  reader.check_complete(options.allow_unfinished);
  exporter.finish();
  if (!writer.finish(exporter.other_data())) fail("cannot write the timeline: output error");
  ExportStats s = exporter.stats();
  s.chrome_events = writer.events_written();
  return s;
}

}  // namespace hexad::audit
