#include "explain.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "base/hexad_error.h"

namespace hexad::audit {

using nlohmann::ordered_json;

namespace {

constexpr const char* kUsage =
    "usage: hexad-audit explain RUN [--json] [--starve-rounds N] [--allow-unfinished]\n"
    "\n"
    "  RUN is a run folder (hexad run --out; it needs its trace.jsonl) or its\n"
    "  exit-thread-state.json. Prints one line per wedge-map entry: its key, its class and the\n"
    "  evidence. Classes (README.md defines them): wait-cycle, join-on-blocked-thread,\n"
    "  lost-wakeup, producer-underrun, starvation, no-signaler; a wedge that fits none is\n"
    "  \"unclassified\", with what was found. --starve-rounds N: a Ready thread not picked for N\n"
    "  rounds is starved (default 64). --json prints the same as one JSON object.\n"
    "  --allow-unfinished: explain a killed run's trace too (no run.stop, or a last line cut\n"
    "  short: the complete lines before it are used, with a warning).\n"
    "\n"
    "exit status: 0 explained (whatever the classes), 2 bad input (no trace, corrupt files)\n";

bool ended(const DumpThread& t) { return t.state == "Exited" || t.state == "Faulted"; }

// Reasons and evidence are built against one run and its trace facts.
class Explainer {
 public:
  Explainer(const RunDump& run, const TraceFacts& facts, const ExplainOptions& options)
      : run_(run), facts_(facts), options_(options) {}

  WedgeExplanation explain(const DumpWedge& w) const {
    WedgeExplanation e;
    e.key = w.key;
    e.handle = w.handle;
    e.type = w.type;
    if (!(cycle(w, e) || join(w, e) || lost_wakeup(w, e) || underrun(w, e) || nobody_can_signal(w, e)))
      e.cls = WedgeClass::Unclassified;
    note_deadlines(w, e);
    return e;
  }

 private:
  // One step of a wait-for chain: `from` waits on object `handle`, which only `to` can free.
  struct Step {
    uint32_t from = 0, to = 0;
    std::string handle, relation;
  };

  // A wait with a deadline ends by itself: say so, whatever the class.
  void note_deadlines(const DumpWedge& w, WedgeExplanation& e) const {
    ordered_json timed = ordered_json::array();
    for (uint32_t tid : w.waiters)
      if (const DumpThread* t = run_.thread(tid); t && t->deadline_ns) {
        e.evidence += fmt::format("; {}'s wait has a deadline (guest time {} ns): it times out then", who(tid),
                                  *t->deadline_ns);
        timed.push_back({{"tid", tid}, {"deadline_ns", *t->deadline_ns}});
      }
    if (timed.empty()) return;
    if (e.details.is_null()) e.details = ordered_json::object();
    e.details["timed_waiters"] = timed;
  }

  std::string name(const std::string& handle) const { return run_.object_name(handle); }
  std::string who(uint32_t tid) const { return run_.describe(tid); }

  // Rounds a Ready thread has waited for a pick (nullopt when it is not Ready).
  std::optional<uint64_t> ready_rounds(const DumpThread& t) const {
    if (t.state != "Ready") return std::nullopt;
    uint64_t since = t.last_run_round;
    if (auto f = facts_.threads.find(t.tid); f != facts_.threads.end() && f->second.ready_since_round)
      since = std::max(since, *f->second.ready_since_round);
    return run_.rounds > since ? run_.rounds - since : 0;
  }
  bool starved(const DumpThread& t) const {
    std::optional<uint64_t> r = ready_rounds(t);
    return r && *r >= options_.starve_rounds;
  }
  // The thread that ran last on a starved thread's slot.
  const DumpThread* slot_holder(const DumpThread& starved_thread) const {
    const DumpThread* best = nullptr;
    for (const DumpThread& t : run_.threads)
      if (t.tid != starved_thread.tid && t.slot == starved_thread.slot && !ended(t) &&
          (!best || t.last_run_round > best->last_run_round))
        best = &t;
    return best;
  }
  std::string starved_text(const DumpThread& t) const {
    std::string s = fmt::format("{} Ready, not picked for {} rounds (last ran: {})", who(t.tid), *ready_rounds(t),
                                t.instructions ? fmt::format("round {}", t.last_run_round) : "never");
    if (const DumpThread* h = slot_holder(t))
      s += fmt::format(", its slot {} held by {} (priority {} vs its {})", t.slot, who(h->tid), h->effective_priority,
                       t.effective_priority);
    return s;
  }
  std::string stuck_text(const DumpThread& t) const {
    if (t.state == "Blocked" && !t.waits_on.empty()) {
      std::string s = who(t.tid) + " Blocked on ";
      for (size_t i = 0; i < t.waits_on.size(); ++i) s += (i ? ", " : "") + name(t.waits_on[i]);
      return s;
    }
    if (starved(t)) return starved_text(t);
    return who(t.tid) + " " + t.state;
  }

  // Object types that only their owner (state.owner) can free.
  static bool owned_type(const std::string& type) {
    return type == "mutant" || type == "critical_section" || type == "spinlock";
  }
  // The owner of an owned object (nullptr: none, or not a thread of the run).
  const DumpThread* owner_of(const DumpWedge& w) const {
    auto owner = w.state.find("owner");
    if (!owned_type(w.type) || owner == w.state.end() || !owner->is_number_unsigned()) return nullptr;
    return run_.thread(owner->get<uint32_t>());
  }
  // Who alone can free the object with this handle: a mutant's, critical section's or
  // spinlock's owner, a thread object's thread, the one thread that ever signaled an event or
  // semaphore.
  std::optional<Step> holder(uint32_t waiter, const std::string& handle) const {
    const DumpWedge* w = run_.wedge_by_handle(handle);
    if (!w) return std::nullopt;
    Step s{waiter, 0, handle, ""};
    if (owned_type(w->type)) {
      auto owner = w->state.find("owner");
      if (owner == w->state.end() || !owner->is_number_unsigned()) return std::nullopt;
      s.to = owner->get<uint32_t>();
      s.relation = "owned by";
    } else if (w->type == "thread") {
      const DumpThread* t = run_.thread_by_handle(handle);
      if (!t) return std::nullopt;
      s.to = t->tid;
      s.relation = "which is the thread";
    } else if (w->signalers.size() == 1) {
      s.to = w->signalers[0];
      s.relation = "signaled only by";
    } else {
      return std::nullopt;
    }
    if (s.to == waiter) return std::nullopt;
    return s;
  }
  // The steps out of a blocked thread: every object its wait needs (a WaitAny of several objects
  // needs only one, so it has none).
  std::vector<Step> steps_from(uint32_t tid) const {
    std::vector<Step> out;
    const DumpThread* t = run_.thread(tid);
    if (!t || t->state != "Blocked" || t->waits_on.empty()) return out;
    if (t->wait_kind != "all" && t->waits_on.size() != 1) return out;
    for (const std::string& h : t->waits_on)
      if (std::optional<Step> s = holder(tid, h)) out.push_back(*s);
    return out;
  }
  // A chain of steps from `at` back to `target` (depth-first; `path` holds the chain so far).
  bool find_chain(uint32_t at, uint32_t target, std::vector<Step>& path) const {
    if (path.size() > run_.threads.size()) return false;
    for (const Step& s : steps_from(at)) {
      auto same_step = [&](const Step& p) { return p.from == s.from && p.handle == s.handle; };
      if (std::any_of(path.begin(), path.end(), same_step)) continue;
      path.push_back(s);
      if (s.to == target || find_chain(s.to, target, path)) return true;
      path.pop_back();
    }
    return false;
  }

  bool cycle(const DumpWedge& w, WedgeExplanation& e) const {
    for (uint32_t waiter : w.waiters) {
      const DumpThread* t = run_.thread(waiter);
      if (!t || t->wait_kind.empty() || (t->wait_kind != "all" && t->waits_on.size() != 1)) continue;
      std::optional<Step> first = holder(waiter, w.handle);
      if (!first) continue;
      std::vector<Step> path{*first};
      if (first->to != waiter && !find_chain(first->to, waiter, path)) continue;
      e.cls = WedgeClass::WaitCycle;
      ordered_json steps = ordered_json::array();
      for (const Step& s : path) {
        const DumpWedge* o = run_.wedge_by_handle(s.handle);
        e.evidence += fmt::format("{}{} waits on {} {} {} {}", e.evidence.empty() ? "" : " -> ", who(s.from),
                                  o ? o->type : "object", name(s.handle), s.relation, who(s.to));
        steps.push_back({{"waiter_tid", s.from}, {"object", name(s.handle)}, {"relation", s.relation},
                         {"holder_tid", s.to}});
      }
      e.details = {{"cycle", steps}};
      return true;
    }
    return false;
  }

  bool join(const DumpWedge& w, WedgeExplanation& e) const {
    if (w.type != "thread") return false;
    const DumpThread* target = run_.thread_by_handle(w.handle);
    if (!target || (target->state != "Blocked" && target->state != "Suspended")) return false;
    std::string joiners;
    for (uint32_t t : w.waiters) joiners += (joiners.empty() ? "" : ", ") + who(t);
    e.cls = WedgeClass::JoinOnBlockedThread;
    e.evidence = fmt::format("{} {} for the end of {}, which is {}", joiners, w.waiters.size() == 1 ? "waits" : "wait",
                             who(target->tid),
                             target->state == "Blocked" ? stuck_text(*target).substr(who(target->tid).size() + 1)
                                                        : "Suspended");
    ordered_json on = ordered_json::array();
    for (const std::string& h : target->waits_on) on.push_back(name(h));
    e.details = {{"joined_tid", target->tid}, {"joined_state", target->state}, {"joined_waits_on", on}};
    return true;
  }

  bool lost_wakeup(const DumpWedge& w, WedgeExplanation& e) const {
    auto f = facts_.objects.find(w.handle);
    if (f == facts_.objects.end() || !f->second.lost || !f->second.last) return false;
    const SignalFact& lost = *f->second.lost;
    if (f->second.last->idx != lost.idx) return false;  // signaled again since: that is not why
    for (uint32_t waiter : w.waiters) {
      auto t = facts_.threads.find(waiter);
      if (t == facts_.threads.end() || !t->second.wait_begin_idx || *t->second.wait_begin_idx < lost.idx) return false;
    }
    e.cls = WedgeClass::LostWakeup;
    std::string waits;
    for (uint32_t waiter : w.waiters)
      waits += fmt::format("{}{} began waiting at idx {}", waits.empty() ? "" : ", ", who(waiter),
                           *facts_.threads.at(waiter).wait_begin_idx);
    e.evidence = fmt::format("{} by {} at trace idx {} (round {}) was lost: {}; then {}; no signal since", lost.by,
                             who(lost.tid), lost.idx, lost.round, f->second.lost_why, waits);
    e.details = {{"lost_signal", {{"by", lost.by}, {"tid", lost.tid}, {"idx", lost.idx}, {"round", lost.round}}},
                 {"why", f->second.lost_why}};
    return true;
  }

  bool underrun(const DumpWedge& w, WedgeExplanation& e) const {
    if (w.type != "semaphore" || w.waiters.size() < 2 || w.signalers.empty()) return false;
    auto count = w.state.find("count");
    if (count == w.state.end() || !count->is_number_integer() || count->get<int64_t>() != 0) return false;
    std::string releasers;
    for (uint32_t tid : w.signalers) {
      const DumpThread* t = run_.thread(tid);
      if (!t || ended(*t)) return false;
      if (t->state != "Blocked" && t->state != "Suspended" && !starved(*t)) return false;
      releasers += (releasers.empty() ? "" : "; ") + stuck_text(*t);
    }
    e.cls = WedgeClass::ProducerUnderrun;
    e.evidence = fmt::format("semaphore at count 0 (max {}) with {} waiters; every past releaser is alive but "
                             "stuck: {}",
                             w.state.value("max", 0), w.waiters.size(), releasers);
    e.details = {{"count", 0}, {"waiters", w.waiters.size()}, {"releasers", w.signalers}};
    return true;
  }

  // No thread that could signal the object can run: starvation when starved Ready threads are
  // left (they are the only ones that could), else no signaler.
  bool nobody_can_signal(const DumpWedge& w, WedgeExplanation& e) const {
    std::vector<const DumpThread*> live, exited;
    for (uint32_t tid : w.signalers) {
      const DumpThread* t = run_.thread(tid);
      if (t && ended(*t)) exited.push_back(t);
      else if (t) live.push_back(t);
    }
    // An owned mutant, critical section or spinlock is freed by its owner only: it counts as the
    // one who can signal it.
    const DumpThread* owner = owner_of(w);
    if (owner && !ended(*owner) && std::find(live.begin(), live.end(), owner) == live.end()) live.push_back(owner);
    std::string past = w.signalers.empty() ? "nobody ever signaled it" : "every past signaler has exited (";
    for (size_t i = 0; i < exited.size(); ++i) past += (i ? ", " : "") + who(exited[i]->tid);
    if (!w.signalers.empty()) past += ")";
    // A critical section or spinlock stays owned when its owner ends (NT abandons only mutants).
    if (owner && ended(*owner))
      past = fmt::format("its owner {} {} holding it; {}", who(owner->tid),
                         owner->state == "Faulted" ? "faulted" : "exited", past);
    if (live.empty()) {
      std::vector<const DumpThread*> starving;
      for (const DumpThread& t : run_.threads)
        if (starved(t)) starving.push_back(&t);
      if (starving.empty()) {
        e.cls = WedgeClass::NoSignaler;
        e.evidence = past + "; no Ready thread is starved";
        e.details = {{"signalers", w.signalers}, {"signalers_exited", exited.size()}};
        return true;
      }
      return starvation(e, past + "; the only threads left that could signal it are starved", starving);
    }
    if (std::all_of(live.begin(), live.end(), [&](const DumpThread* t) { return starved(*t); }))
      return starvation(e, "its past signalers are starved", live);
    std::string notes;
    for (const DumpThread* t : live) notes += (notes.empty() ? "" : "; ") + stuck_text(*t);
    e.evidence = "past signalers are alive and not starved, and no wait cycle runs through it: " + notes;
    e.details = {{"signalers", w.signalers}};
    return false;
  }

  bool starvation(WedgeExplanation& e, const std::string& why, const std::vector<const DumpThread*>& starving) const {
    e.cls = WedgeClass::Starvation;
    e.evidence = why + ": ";
    ordered_json list = ordered_json::array();
    for (size_t i = 0; i < starving.size(); ++i) {
      const DumpThread& t = *starving[i];
      e.evidence += (i ? "; " : "") + starved_text(t);
      const DumpThread* h = slot_holder(t);
      list.push_back({{"tid", t.tid},
                      {"key", t.key},
                      {"ready_rounds", *ready_rounds(t)},
                      {"slot", t.slot},
                      {"slot_holder_tid", h ? ordered_json(h->tid) : ordered_json(nullptr)}});
    }
    e.details = {{"starved", list}, {"starve_rounds", options_.starve_rounds}};
    return true;
  }

  const RunDump& run_;
  const TraceFacts& facts_;
  const ExplainOptions& options_;
};

bool parse_rounds(const std::string& s, uint64_t& out) {
  if (s.empty() || s.size() > 12) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
  }
  if (v == 0) return false;
  out = v;
  return true;
}

int usage(const std::string& why) {
  std::fprintf(stderr, "hexad-audit: explain: %s\n%s", why.c_str(), kUsage);
  return 2;
}

}  // namespace

const char* wedge_class_name(WedgeClass c) {
  switch (c) {
    case WedgeClass::WaitCycle: return "wait-cycle";
    case WedgeClass::JoinOnBlockedThread: return "join-on-blocked-thread";
    case WedgeClass::LostWakeup: return "lost-wakeup";
    case WedgeClass::ProducerUnderrun: return "producer-underrun";
    case WedgeClass::Starvation: return "starvation";
    case WedgeClass::NoSignaler: return "no-signaler";
    case WedgeClass::Unclassified: return "unclassified";
  }
  return "?";
}

std::vector<WedgeExplanation> explain_wedges(const RunDump& run, const TraceFacts& facts,
                                             const ExplainOptions& options) {
  const Explainer explainer(run, facts, options);
  std::vector<WedgeExplanation> out;
  for (const DumpWedge& w : run.wedges) out.push_back(explainer.explain(w));
  return out;
}

int explain_command(const std::vector<std::string>& args) {
  ExplainOptions options;
  bool as_json = false;
  std::vector<std::string> runs;
  for (size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a == "--json") {
      as_json = true;
    } else if (a == "--allow-unfinished") {
      options.allow_unfinished = true;
    } else if (a == "--starve-rounds") {
      if (k + 1 >= args.size() || !parse_rounds(args[k + 1], options.starve_rounds))
        return usage("--starve-rounds needs a positive number of rounds");
      ++k;
    } else if (a.size() > 1 && a[0] == '-') {
      return usage("unknown option '" + a + "'");
    } else {
      runs.push_back(a);
    }
  }
  if (runs.size() != 1) return usage("expected one run (a run folder or its dump file)");
  const RunDump run = load_run_dump(runs[0]);
  if (!run.trace_path)
    fail("{}: no trace.jsonl beside it: explain reads the run's trace (run the title without --no-trace)",
         run.dump_path);
  const TraceFacts facts = gather_trace_facts(*run.trace_path, options.allow_unfinished);
  for (const std::string& w : facts.warnings) std::fprintf(stderr, "hexad-audit: warning: %s\n", w.c_str());
  const std::vector<WedgeExplanation> found = explain_wedges(run, facts, options);
  if (as_json) {
    ordered_json j;
    j["dump"] = run.dump_path;
    j["trace"] = *run.trace_path;
    j["stop_reason"] = run.stop_reason;
    j["starve_rounds"] = options.starve_rounds;
    ordered_json wedges = ordered_json::array();
    for (const WedgeExplanation& e : found)
      wedges.push_back({{"key", e.key},
                        {"handle", e.handle},
                        {"type", e.type},
                        {"class", wedge_class_name(e.cls)},
                        {"evidence", e.evidence},
                        {"details", e.details.is_null() ? ordered_json::object() : e.details}});
    j["wedges"] = wedges;
    std::cout << j.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
  } else {
    std::cout << run.dump_path << ": stop reason " << run.stop_reason << ", " << found.size() << " wedge(s)\n";
    for (const WedgeExplanation& e : found)
      std::cout << e.key << " (" << e.type << " " << e.handle << "): " << wedge_class_name(e.cls) << ": "
                << e.evidence << "\n";
  }
  std::cout.flush();
  return 0;
}

}  // namespace hexad::audit
