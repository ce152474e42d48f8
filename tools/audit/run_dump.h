// One run's exit-thread-state.json (docs/exit-thread-state.md) read into the shape the wedge
// commands need: threads and wedge-map entries with their stable keys. A run is named by its
// folder (exit-thread-state.json and trace.jsonl or trace.jsonl.zst inside) or by the dump file itself
// (the trace is then the one beside it, if any).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hexad::audit {

struct DumpThread {
  uint32_t tid = 0;
  std::string key;
  std::string handle;  // "0x%08x", or empty when the dump has none
  std::string state;   // Ready Running Blocked Suspended Exited Faulted
  int slot = 0;
  int base_priority = 0, effective_priority = 0;
  uint64_t last_run_round = 0;
  uint64_t instructions = 0;
  uint64_t events = 0;
  std::vector<std::string> waits_on;  // handles of the objects of its wait (empty: no wait, or a delay)
  std::string wait_kind;              // any | all | delay; empty when not waiting
  std::optional<uint64_t> deadline_ns;  // the wait's deadline; nullopt: forever (or no wait)
};

struct DumpWedge {
  std::string key;
  std::string handle;
  std::string type;  // event.notification, event.synchronization, semaphore, mutant, thread, critical_section
  nlohmann::json state;
  std::vector<uint32_t> waiters;    // tids, in wait order
  std::vector<uint32_t> signalers;  // tids, first-signal order
};

struct RunDump {
  std::string dump_path;
  std::optional<std::string> trace_path;  // trace.jsonl(.zst) of the run, when present
  std::string stop_reason;
  uint64_t rounds = 0;
  uint64_t trace_events = 0;
  uint64_t guest_time_ns = 0;
  uint64_t instructions = 0;
  std::vector<DumpThread> threads;  // in the dump's order (by tid)
  std::vector<DumpWedge> wedges;    // in the dump's order

  const DumpThread* thread(uint32_t tid) const;
  const DumpThread* thread_by_key(const std::string& key) const;
  // The thread whose own object has this handle (a join's target), or nullptr.
  const DumpThread* thread_by_handle(const std::string& handle) const;
  const DumpWedge* wedge_by_handle(const std::string& handle) const;
  // "tid 3 (main/thread@0x82000060#1)"; an unknown tid as "tid 3".
  std::string describe(uint32_t tid) const;
  // The key of the object with this handle when it is in the wedge map, else the handle itself.
  std::string object_name(const std::string& handle) const;
};

// Reads RUN (a run folder or a dump file). Throws hexad::Error naming the file and what is wrong:
// missing, not JSON, another schema, a field missing or ill-typed, a dump without keys (written
// by a hexad older than stable keys).
RunDump load_run_dump(const std::string& run);

}  // namespace hexad::audit
