// hexad studio's view models: what the timeline, threads and wedge panels show, computed from
// the run's data (slices, the dump of a moment, the wedges' explanations) without SDL or ImGui, so
// unit tests check them (tests/unit/studio_view_model_test.cc) and the panels only draw them.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cpu/sched/scheduler.h"
#include "kernel/xboxkrnl/exit_dump.h"

namespace hexad::app::studio {

constexpr uint32_t kLanes = 6;  // core 0-2 x thread 0-1

// One slice a slot ran: the timeline's unit, with the pick that gave the thread its slot (live
// runs only; a recorded run's rebuilt slices have has_pick false).
struct SliceRecord {
  uint32_t slot = 0;
  uint32_t tid = 0;
  uint64_t start_cycle = 0, end_cycle = 0;
  bool has_pick = false;
  cpu::sched::PickInfo pick;
};

// One wedge classified by hexad-audit explain's rules.
struct Explanation {
  std::string key, handle, cls, evidence;
};

// --- timeline ----------------------------------------------------------------------------------

// What part of guest time the lanes show: `first_cycle` at x = 0, `width` pixels wide.
struct TimelineViewport {
  double first_cycle = 0;
  double cycles_per_pixel = 1;
  float width = 100;
  double last_cycle() const { return first_cycle + double(width) * cycles_per_pixel; }
};

// A slice's box in its lane, in pixels from the lanes' left edge (at least one pixel wide).
struct TimelineBox {
  uint32_t lane = 0;
  float x0 = 0, x1 = 0;
  uint32_t tid = 0;
  size_t slice = 0;  // index into the slices
};

// The viewport that fits every slice into `width` pixels.
TimelineViewport fit_timeline(const std::vector<SliceRecord>& slices, float width);
// The boxes of the slices the viewport shows, in slice order.
std::vector<TimelineBox> layout_timeline(const std::vector<SliceRecord>& slices, const TimelineViewport& vp);
// The threads each lane shows (sorted tids), e.g. to check that both of pingpong's threads ran.
std::array<std::vector<uint32_t>, kLanes> lane_threads(const std::vector<TimelineBox>& boxes);
// The box under (x, lane), or -1.
long box_at(const std::vector<TimelineBox>& boxes, float x, uint32_t lane);
// The hover text of a slice: thread, slot, cycles, why it was picked and, from the dump of the
// moment, its key, priorities and state.
std::string slice_tooltip(const SliceRecord& s, const kernel::Json& dump);
// A pick reason in words ("age: ...").
std::string pick_reason_text(const cpu::sched::PickInfo& p);

// --- threads -----------------------------------------------------------------------------------

struct ThreadRow {
  uint32_t tid = 0;
  std::string state, slot, affinity, priority, last_round, instructions, wait, pc, lr;
};
std::vector<ThreadRow> thread_rows(const kernel::Json& dump);
// The event log's filter: the selected thread (0: any) and a substring (empty: any).
bool event_passes(const std::string& line, uint32_t tid, const std::string& filter);

// --- wedge graph -------------------------------------------------------------------------------

// Threads -> the objects they wait on -> the threads that could release them: a mutant's owner,
// a thread object's own thread, else the past signalers (the wedge map's signaled_by_tids).
// A cycle is a set of threads each waiting, through an object, on the next (a strongly connected
// component of that thread graph); its nodes and edges are flagged.
struct WedgeNode {
  enum class Kind { Thread, Object } kind = Kind::Thread;
  uint32_t tid = 0;    // threads
  std::string handle;  // objects
  std::string label;   // "thread 2 (Blocked)", "mutant main:NtCreateMutant#1"
  std::string cls;     // objects: explain's class, if any
  bool in_cycle = false;
};
struct WedgeEdge {
  enum class Kind { WaitsOn, ReleasedBy } kind = Kind::WaitsOn;
  size_t from = 0, to = 0;  // node indexes
  bool in_cycle = false;
};
struct WedgeGraph {
  std::vector<WedgeNode> nodes;
  std::vector<WedgeEdge> edges;
  std::vector<std::vector<uint32_t>> cycles;  // each sorted by tid; cycles sorted
};
WedgeGraph build_wedge_graph(const kernel::Json& dump, const std::vector<Explanation>& explanations);

}  // namespace hexad::app::studio
