#include "app/studio/view_model.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

namespace hexad::app::studio {
namespace {

const kernel::Json* thread_in(const kernel::Json& dump, uint32_t tid) {
  if (!dump.is_object() || !dump.contains("threads")) return nullptr;
  for (const kernel::Json& t : dump["threads"])
    if (t.value("tid", 0u) == tid) return &t;
  return nullptr;
}

std::string text_of(const kernel::Json& object, const char* key) {
  if (!object.contains(key)) return "";
  const kernel::Json& v = object[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

// --- timeline ----------------------------------------------------------------------------------

TimelineViewport fit_timeline(const std::vector<SliceRecord>& slices, float width) {
  TimelineViewport vp;
  vp.width = std::max(1.0f, width);
  if (slices.empty()) return vp;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const SliceRecord& s : slices) {
    lo = std::min(lo, s.start_cycle);
    hi = std::max(hi, s.end_cycle);
  }
  vp.first_cycle = double(lo);
  vp.cycles_per_pixel = std::max(1e-3, double(hi - lo) / vp.width);
  return vp;
}

std::vector<TimelineBox> layout_timeline(const std::vector<SliceRecord>& slices, const TimelineViewport& vp) {
  std::vector<TimelineBox> boxes;
  const double last = vp.last_cycle();
  for (size_t i = 0; i < slices.size(); ++i) {
    const SliceRecord& s = slices[i];
    if (s.slot >= kLanes || double(s.end_cycle) < vp.first_cycle || double(s.start_cycle) > last) continue;
    const float x0 = float(std::max(0.0, (double(s.start_cycle) - vp.first_cycle) / vp.cycles_per_pixel));
    const float x1 = float(std::min(double(vp.width), (double(s.end_cycle) - vp.first_cycle) / vp.cycles_per_pixel));
    if (x1 < x0) continue;
    boxes.push_back({s.slot, x0, std::max(x1, x0 + 1), s.tid, i});
  }
  return boxes;
}

std::array<std::vector<uint32_t>, kLanes> lane_threads(const std::vector<TimelineBox>& boxes) {
  std::array<std::set<uint32_t>, kLanes> sets;
  for (const TimelineBox& b : boxes) sets[b.lane].insert(b.tid);
  std::array<std::vector<uint32_t>, kLanes> out;
  for (uint32_t l = 0; l < kLanes; ++l) out[l].assign(sets[l].begin(), sets[l].end());
  return out;
}

long box_at(const std::vector<TimelineBox>& boxes, float x, uint32_t lane) {
  // The last drawn box wins, as on screen.
  for (size_t i = boxes.size(); i-- > 0;)
    if (boxes[i].lane == lane && x >= boxes[i].x0 && x <= boxes[i].x1) return long(i);
  return -1;
}

std::string pick_reason_text(const cpu::sched::PickInfo& p) {
  using cpu::sched::PickReason;
  switch (p.reason) {
    case PickReason::Perturbed: return "perturbed: the seeded run broke a tie of equal rank this way";
    case PickReason::Yield: return "yield: a thread ranked above it had yielded (skipped for one pick)";
    case PickReason::Age: return fmt::format("age: its age bonus (+{}) lifted it over a higher base priority", p.age_bonus);
    case PickReason::AgainstPriority: return "readiness: priorities ignored (fair policy), a higher base priority waited";
    case PickReason::Mask: return "mask: a higher base priority was outside the console's admitted mask";
    case PickReason::Alone: return "alone: the only Ready thread of its slot";
    case PickReason::Rotation: return "rotation: the slot's holder reached its quantum's end, this one was next in line";
    case PickReason::Readiness: return "readiness: Ready longest among threads of equal effective priority";
    case PickReason::Priority: return "priority: the highest effective priority Ready";
  }
  return "?";
}

std::string slice_tooltip(const SliceRecord& s, const kernel::Json& dump) {
  std::string text = fmt::format("thread {} on core {} thread {}\ncycles {}..{} ({} instructions)", s.tid, s.slot / 2,
                                 s.slot % 2, s.start_cycle, s.end_cycle, s.end_cycle - s.start_cycle);
  if (s.has_pick)
    text += fmt::format("\npicked in round {} among {} Ready: base priority {}, effective {}\nwhy: {}", s.pick.round,
                        s.pick.candidates, s.pick.base_priority, s.pick.effective_priority, pick_reason_text(s.pick));
  if (const kernel::Json* t = thread_in(dump, s.tid))
    text += fmt::format("\nkey {}\nnow: base priority {}, effective {}, {} (last run round {})", text_of(*t, "key"),
                        text_of(*t, "base_priority"), text_of(*t, "effective_priority"), text_of(*t, "state"),
                        text_of(*t, "last_run_round"));
  return text;
}

// --- threads -----------------------------------------------------------------------------------

std::vector<ThreadRow> thread_rows(const kernel::Json& dump) {
  std::vector<ThreadRow> rows;
  if (!dump.is_object() || !dump.contains("threads")) return rows;
  for (const kernel::Json& t : dump["threads"]) {
    ThreadRow r;
    r.tid = t.value("tid", 0u);
    r.state = text_of(t, "state");
    r.slot = text_of(t, "slot");
    r.affinity = text_of(t, "affinity");
    r.priority = fmt::format("{} ({})", text_of(t, "base_priority"), text_of(t, "effective_priority"));
    r.last_round = text_of(t, "last_run_round");
    r.instructions = text_of(t, "instructions");
    if (t.contains("wait") && t["wait"].is_object()) {
      const kernel::Json& w = t["wait"];
      r.wait = text_of(w, "wait");
      for (const kernel::Json& o : w.value("objects", kernel::Json::array()))
        r.wait += fmt::format(" {} {}{}", text_of(o, "type"), text_of(o, "key"),
                              o.contains("state") && o["state"].value("signaled", false) ? " (signaled)" : "");
    }
    r.pc = text_of(t, "pc");
    r.lr = text_of(t, "lr");
    rows.push_back(std::move(r));
  }
  return rows;
}

bool event_passes(const std::string& line, uint32_t tid, const std::string& filter) {
  if (tid && line.find(fmt::format("\"tid\":{},", tid)) == std::string::npos &&
      !line.ends_with(fmt::format("\"tid\":{}}}", tid)))
    return false;
  return filter.empty() || line.find(filter) != std::string::npos;
}

// --- wedge graph -------------------------------------------------------------------------------

WedgeGraph build_wedge_graph(const kernel::Json& dump, const std::vector<Explanation>& explanations) {
  WedgeGraph g;
  if (!dump.is_object() || !dump.contains("wedge_map") || !dump["wedge_map"].is_array()) return g;
  std::map<uint32_t, size_t> thread_node;
  auto thread = [&](uint32_t tid) {
    auto [it, added] = thread_node.emplace(tid, g.nodes.size());
    if (added) {
      const kernel::Json* t = thread_in(dump, tid);
      g.nodes.push_back({WedgeNode::Kind::Thread, tid, "",
                         fmt::format("thread {}{}", tid, t ? fmt::format(" ({})", text_of(*t, "state")) : ""), "", false});
    }
    return it->second;
  };
  // tid -> the tids it waits on through some object (the thread graph the cycles are found in).
  std::map<uint32_t, std::set<uint32_t>> waits_on;
  for (const kernel::Json& w : dump["wedge_map"]) {
    const std::string handle = text_of(w, "handle");
    WedgeNode object{WedgeNode::Kind::Object, 0, handle,
                     fmt::format("{} {} {}", text_of(w, "type"), text_of(w, "key"), handle), "", false};
    for (const Explanation& x : explanations)
      if (x.handle == handle) object.cls = x.cls;
    const size_t o = g.nodes.size();
    g.nodes.push_back(object);
    std::set<uint32_t> releasers;
    const kernel::Json state = w.value("state", kernel::Json::object());
    if (state.is_object() && state.contains("owner") && state["owner"].is_number_unsigned() && state["owner"].get<uint32_t>())
      releasers.insert(state["owner"].get<uint32_t>());
    else if (text_of(w, "type") == "thread") {
      for (const kernel::Json& t : dump.value("threads", kernel::Json::array()))
        if (text_of(t, "handle") == handle) releasers.insert(t.value("tid", 0u));
    } else {
      for (const kernel::Json& tid : w.value("signaled_by_tids", kernel::Json::array()))
        if (tid.is_number_unsigned()) releasers.insert(tid.get<uint32_t>());
    }
    for (const kernel::Json& tid : w.value("waiters_tid", kernel::Json::array())) {
      if (!tid.is_number_unsigned()) continue;
      const uint32_t waiter = tid.get<uint32_t>();
      g.edges.push_back({WedgeEdge::Kind::WaitsOn, thread(waiter), o, false});
      waits_on[waiter].insert(releasers.begin(), releasers.end());
    }
    for (uint32_t r : releasers) g.edges.push_back({WedgeEdge::Kind::ReleasedBy, o, thread(r), false});
  }
  // Cycles: the strongly connected components of the thread graph (Tarjan's algorithm, in tid
  // order so the output is deterministic) with more than one thread, or one waiting on itself.
  std::map<uint32_t, uint32_t> index, low;
  std::set<uint32_t> on_stack;
  std::vector<uint32_t> stack;
  uint32_t next = 0;
  std::function<void(uint32_t)> visit = [&](uint32_t v) {
    index[v] = low[v] = next++;
    stack.push_back(v);
    on_stack.insert(v);
    for (uint32_t u : waits_on[v]) {
      if (!index.contains(u)) {
        visit(u);
        low[v] = std::min(low[v], low[u]);
      } else if (on_stack.contains(u)) {
        low[v] = std::min(low[v], index[u]);
      }
    }
    if (low[v] != index[v]) return;
    std::vector<uint32_t> component;
    uint32_t u;
    do {
      u = stack.back();
      stack.pop_back();
      on_stack.erase(u);
      component.push_back(u);
    } while (u != v);
    if (component.size() > 1 || waits_on[v].contains(v)) {
      std::sort(component.begin(), component.end());
      g.cycles.push_back(component);
    }
  };
  std::vector<uint32_t> tids;
  for (const auto& [tid, _] : waits_on) tids.push_back(tid);
  for (uint32_t tid : tids)
    if (!index.contains(tid)) visit(tid);
  std::sort(g.cycles.begin(), g.cycles.end());
  // An edge is in a cycle when both threads at its ends are in the same one.
  std::map<uint32_t, size_t> cycle_of;
  for (size_t c = 0; c < g.cycles.size(); ++c)
    for (uint32_t tid : g.cycles[c]) cycle_of[tid] = c;
  for (WedgeNode& n : g.nodes)
    if (n.kind == WedgeNode::Kind::Thread) n.in_cycle = cycle_of.contains(n.tid);
  for (size_t o = 0; o < g.nodes.size(); ++o) {
    if (g.nodes[o].kind != WedgeNode::Kind::Object) continue;
    for (const WedgeEdge& in : g.edges) {
      if (in.to != o || in.kind != WedgeEdge::Kind::WaitsOn || !g.nodes[in.from].in_cycle) continue;
      for (const WedgeEdge& out : g.edges) {
        if (out.from != o || out.kind != WedgeEdge::Kind::ReleasedBy || !g.nodes[out.to].in_cycle) continue;
        if (cycle_of[g.nodes[in.from].tid] != cycle_of[g.nodes[out.to].tid]) continue;
        g.nodes[o].in_cycle = true;
      }
    }
  }
  for (WedgeEdge& e : g.edges) e.in_cycle = g.nodes[e.from].in_cycle && g.nodes[e.to].in_cycle;
  return g;
}

}  // namespace hexad::app::studio
