// `hexad explore`'s classification of one seeded run, and the grouping of seeds into outcome
// classes. Plain functions over an audit run folder, so they are unit-testable without running
// anything.
//
// A run's class is (exit status, stop reason, stdout hash, wedge fingerprint):
//   - the stdout hash is the SHA-256 of stdout.log (the title's output), first 12 hex digits;
//   - the wedge fingerprint names what the threads left waiting wait on, independent of handle
//     numbers and of the order objects were created in: for each wedge-map entry, its `key` when
//     the dump has one, else its object type and the entry points of its waiters (sorted); the
//     entries' strings are sorted and hashed (12 hex digits). "-" when nothing waits.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hexad::app {

struct RunOutcome {
  int exit_status = 0;        // the child's exit status; 128 + N when killed by signal N
  std::string stop_reason;    // run.json's, or "none" when the run left no run.json
  std::string stdout_hash;    // 12 hex digits, or "-" without stdout.log
  std::string wedge;          // 12 hex digits, or "-"
  std::string wedge_detail;   // the fingerprint's text (for the table's legend)

  bool failing() const { return exit_status != 0; }
  bool deadlock_or_fault() const { return stop_reason == "deadlock" || stop_reason == "fault"; }
  std::string key() const;
};

// Reads run.json, stdout.log and exit-thread-state.json of `dir`; never throws (a missing or
// unreadable file gives the "-"/"none" values above).
RunOutcome classify_run(const std::string& dir, int exit_status);

// The wedge fingerprint of an exit dump's text: {hash, detail}.
std::pair<std::string, std::string> wedge_fingerprint(const std::string& dump_json);

// Seeds as ranges: 1-3, 7, 9-10. At most `max_items` items, then "... (N more seeds)".
std::string format_seeds(const std::vector<uint64_t>& sorted_seeds, size_t max_items = 12);

// Outcome classes in order: the most seeds first (ties: the lowest first seed).
struct OutcomeClass {
  RunOutcome outcome;
  std::vector<uint64_t> seeds;  // ascending
};
std::vector<OutcomeClass> group_outcomes(const std::map<uint64_t, RunOutcome>& by_seed);

}  // namespace hexad::app
