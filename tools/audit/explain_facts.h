// What `hexad-audit explain` needs from a run's trace, gathered in one streaming pass: per object
// (named as the trace names it: handle or guest address) its signal history in summary, per thread
// since when it was Ready and where its last wait began. Memory grows with the number of objects
// and threads, never with the length of the trace.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hexad::audit {

struct SignalFact {
  uint64_t idx = 0, round = 0;
  uint32_t tid = 0;
  std::string by;        // the API (signal.match "by")
  size_t woke = 0;       // waits it satisfied
};

struct ObjectFacts {
  std::string type;                  // from signal.match object_type (empty: never signaled)
  uint64_t signals = 0;
  std::optional<SignalFact> last;    // the latest signal
  // The latest signal that was lost: a pulse that woke nobody, or a set of an auto-reset event
  // that woke nobody while an earlier set was still unconsumed (the two sets count as one).
  std::optional<SignalFact> lost;
  std::string lost_why;
  bool pending = false;              // auto-reset event: set by a signal nobody has consumed yet
};

struct ThreadFacts {
  std::optional<uint64_t> ready_since_round;  // last creation (not suspended), resume or wake
  std::optional<uint64_t> wait_begin_idx;     // its latest wait.begin
  std::vector<std::string> wait_handles;      // of that wait
  bool wait_all = false;
};

struct TraceFacts {
  std::string path;
  uint64_t events = 0;
  std::map<std::string, ObjectFacts> objects;  // by "0x%08x" handle or guest address
  std::map<uint32_t, ThreadFacts> threads;     // by tid
  std::map<std::string, uint32_t> thread_handles;  // thread object handle -> tid (thread.create)
  std::vector<std::string> warnings;  // a cut last line, read past with allow_unfinished
};

// Reads the whole trace (EventStream: a trace file or run folder, plain or zstd). Throws hexad::Error on unreadable or corrupt input, and on
// a trace without run.stop unless `allow_unfinished`. A last line cut short (a killed run) is an
// error naming it, unless `allow_unfinished`: then the complete lines before it are used and a
// warning says so.
TraceFacts gather_trace_facts(const std::string& trace_path, bool allow_unfinished);

}  // namespace hexad::audit
