// One XEX title run into an audit-run folder (trace.jsonl, exit-thread-state.json, stdout.log,
// run.json): `hexad run` runs it as given, `hexad replay` with hooks that watch every event and
// stop the run where it is asked to.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "app/run_options.h"
#include "cpu/sched/scheduler.h"
#include "kernel/xboxkrnl/exit_dump.h"
#include "trace/sink.h"

namespace hexad::app {

struct XexRunHooks {
  trace::EventSink* observer = nullptr;  // gets every event, after the trace file
  // The run pauses right after the operation where this holds (StopCondition::after_each_operation)
  // or before round until_round; on_pause then says what the stop is (Until, Diverged...). The run
  // then ends there: its dump describes that moment.
  std::function<bool()> pause_after_operation;
  uint64_t until_round = UINT64_MAX;
  std::function<cpu::sched::RunStop()> on_pause;
  std::function<void(kernel::Json& dump)> add_to_dump;  // e.g. replay's "until"
  kernel::Json add_to_run_json = kernel::Json::object();  // e.g. replay's "replay"
  bool echo_guest_output = true;  // the title's debug output on stdout too (stdout.log has it always)
  // A frontend's view of the run (hexad studio): at every safe point, between two slot visits,
  // with the kernel at rest; it may read the run, block (a pause), or return false to end the run
  // there (stop reason interrupted). It must not change the run: traces are the same with it.
  std::function<bool(kernel::Kernel& k)> at_safe_point;
  cpu::sched::SliceObserver* slice_observer = nullptr;  // the slots' slices (the timeline)
  // Completes run.json as the run ends, before it is written (hexad studio's recorded input).
  std::function<void(kernel::Json& run_json)> finish_run_json;
  // The run has stopped; the kernel is at rest as the exit dump shows it (the studio's last frame).
  std::function<void(kernel::Kernel& k)> at_end;
};

struct XexRunResult {
  int status = 0;  // the exit status of `hexad run`
  cpu::sched::RunStop stop = cpu::sched::RunStop::None;
  uint64_t events = 0;  // the trace's events, run.stop included
  std::string dir;      // the audit-run folder
};

// Loads the image (throws hexad::Error for a bad one, before the folder is touched) and runs it.
XexRunResult run_xex(const RunOptions& opt, const std::string& bytes, const XexRunHooks& hooks);

}  // namespace hexad::app
