// `hexad-audit summary`: what a run did, per thread, per slot and per event kind, from one streaming
// pass over its trace plus its exit dump (exit-thread-state.json beside the trace, when it is there
// and belongs to the trace). Memory grows with the number of threads, objects and import names,
// never with the length of the trace.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "event_stream.h"

namespace hexad::audit {

struct WaitedObject {
  uint64_t waits = 0;           // waits on it (a WaitAny/WaitAll on several objects counts for each)
  uint64_t blocked_cycles = 0;  // guest cycles those waits lasted
};

// A thread's `sched` block in the dump: the scheduler's own accounting, in guest cycles
// (docs/exit-thread-state.md, "Scheduler accounting").
struct ThreadSched {
  uint64_t dispatches = 0;                    // Ready->Running transitions
  uint64_t ready_to_running_max_cycles = 0, ready_to_running_mean_cycles = 0;
  uint64_t cycles_ready = 0, cycles_running = 0, cycles_blocked = 0, cycles_suspended = 0;
};

// Where a thread's Running/Ready/Blocked split comes from: the dump's `sched` block, measured by
// the scheduler; or, without one (no dump, a dump that is not this trace's, a dump older than
// `sched`), estimated from the trace and the dump's instructions.
enum class TimeSource { Dump, Trace };

struct ThreadSummary {
  uint32_t tid = 0;
  // From the trace.
  uint64_t events = 0;                  // events this thread acted in (as the dump's `events`)
  uint64_t waits = 0;                   // wait.begin events
  std::optional<uint64_t> created_at;   // guest cycle of its thread.create
  std::optional<uint64_t> ended_at;     // of its thread.exit or thread.fault
  uint64_t blocked_cycles = 0;          // in waits (a wait still open at the end: until then)
  std::map<uint64_t, WaitedObject> waited;  // by handle or guest address
  // From the dump (absent without one).
  std::optional<std::string> state;     // Ready Running Blocked Suspended Exited Faulted
  std::optional<uint64_t> instructions; // retired: its Running time, one cycle each
  std::optional<int64_t> slot;
  std::optional<ThreadSched> sched;     // the dump's `sched`, when it has one
  // Derived (finish): the time split shown. From `sched` (TimeSource::Dump): alive = the sum of its
  // four states, and blocked_cycles is replaced by its cycles_blocked. From the trace
  // (TimeSource::Trace): alive = creation to exit (or to the end), Running = instructions (needs
  // the dump), Blocked = in waits, Ready = the rest (it includes time its slot idled until the
  // round ended); suspended unknown.
  TimeSource time_source = TimeSource::Trace;
  uint64_t alive_cycles = 0;
  std::optional<uint64_t> running_cycles, ready_cycles, suspended_cycles;

  // The open wait, while streaming.
  std::optional<uint64_t> wait_began;
  std::vector<uint64_t> wait_handles;
};

struct ImportSummary {
  uint64_t calls = 0;
  bool implemented = true;
};

struct SlotSummary {
  int64_t slot = 0;
  std::vector<uint32_t> tids;  // threads whose (last) slot it is, per the dump
  // From the dump's run.scheduler.slots (TimeSource::Dump: the time a thread ran on the slot, and
  // the rest of the run), else estimated (TimeSource::Trace: the retired instructions of the
  // threads last on it; idle unknown).
  TimeSource source = TimeSource::Trace;
  uint64_t busy_cycles = 0;
  std::optional<uint64_t> idle_cycles;
  double utilisation = 0;      // busy / the run's guest cycles
};

// A count(KIND, FIELD=VALUE, ...) of gate.h, counted in the same pass.
struct EventFilter {
  std::string field;
  std::string value;  // as written; numbers (decimal or 0x) match numbers and "0x..." strings
};
struct EventCounter {
  std::string kind;
  std::vector<EventFilter> filters;
  uint64_t count = 0;
};
// Whether `e`'s field matches (an array matches when one of its elements does).
bool field_matches(const EventView& e, const EventFilter& filter);

struct TraceSummary {
  std::string trace_path;
  bool compressed = false;
  uint64_t trace_bytes = 0;  // bytes of the file read
  std::optional<std::string> dump_path;
  std::vector<std::string> warnings;  // a cut-off trace, an unusable dump

  uint64_t events = 0;
  uint64_t last_guest_cycle = 0;
  std::optional<std::string> stop_reason;  // run.stop's, or the dump's
  std::optional<uint64_t> instructions, rounds;
  std::map<std::string, uint64_t, std::less<>> by_kind;
  std::map<std::string, ImportSummary, std::less<>> imports;  // "module!name"
  uint64_t vdswap_calls = 0;
  uint64_t run_events = 0;  // tid 0's (the kernel and the run itself)
  std::map<uint32_t, ThreadSummary> threads;
  std::vector<SlotSummary> slots;
  uint64_t live_threads = 0, exited_threads = 0;  // exited includes faulted
  std::optional<nlohmann::json> scheduler_counters;  // the dump's run.scheduler.counters
  std::optional<uint64_t> guest_cycle;               // the dump's run.guest_cycle
  std::map<int64_t, std::pair<uint64_t, uint64_t>> dump_slots;  // run.scheduler.slots: busy, idle
};

// Reads RUN (a run folder, or a trace file with the dump looked for beside it) in one pass,
// counting `counters` too. A last line cut off (a killed run) or a zstd stream that ends inside a
// frame ends the trace with a warning; corrupt input throws hexad::Error (exit status 2).
TraceSummary summarize(const std::string& run, std::vector<EventCounter>* counters = nullptr);

// Imports ordered for display: unimplemented first, then by calls (most first), then by name.
std::vector<std::pair<std::string, ImportSummary>> imports_in_order(const TraceSummary& s);

void write_summary_text(std::ostream& out, const TraceSummary& s);
nlohmann::json summary_json(const TraceSummary& s);

}  // namespace hexad::audit
