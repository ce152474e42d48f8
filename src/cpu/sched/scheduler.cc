#include "cpu/sched/scheduler.h"

#include <algorithm>
#include <array>

#include "base/hexad_error.h"
#include "cpu/memory.h"

namespace hexad::cpu::sched {

const char* state_name(ThreadState s) {
  switch (s) {
    case ThreadState::Ready: return "Ready";
    case ThreadState::Running: return "Running";
    case ThreadState::Blocked: return "Blocked";
    case ThreadState::Suspended: return "Suspended";
    case ThreadState::Exited: return "Exited";
    case ThreadState::Faulted: return "Faulted";
  }
  return "?";
}

const char* pick_reason_name(PickReason r) {
  switch (r) {
    case PickReason::Perturbed: return "perturbed";
    case PickReason::Yield: return "yield";
    case PickReason::Age: return "age";
    case PickReason::AgainstPriority: return "against-priority";
    case PickReason::Mask: return "mask";
    case PickReason::Alone: return "alone";
    case PickReason::Rotation: return "rotation";
    case PickReason::Readiness: return "readiness";
    case PickReason::Priority: return "priority";
  }
  return "?";
}

const char* run_stop_name(RunStop s) {
  switch (s) {
    case RunStop::None: return "none";
    case RunStop::Exit: return "exit";
    case RunStop::Budget: return "budget";
    case RunStop::Deadlock: return "deadlock";
    case RunStop::Fault: return "fault";
    case RunStop::Interrupted: return "interrupted";
    case RunStop::Paused: return "paused";
    case RunStop::OutputError: return "output-error";
    case RunStop::Until: return "until";
    case RunStop::Diverged: return "diverged";
    case RunStop::BugCheck: return "bugcheck";
    case RunStop::TitleTerminate: return "title-terminate";
    case RunStop::TitleLaunch: return "title-launch";
  }
  return "?";
}

Scheduler::Scheduler(Memory& mem, ExecBackend& cpu, const SchedulerOptions& opt, SchedulerHost& host)
    : mem_(mem),
      cpu_(cpu),
      opt_(opt),
      host_(host),
      policy_(make_sched_policy(opt.policy, PolicyParams{opt.aging, opt.console})),
      perturb_(opt.perturb) {
  if (!policy_) fail("unknown scheduling policy '{}'", opt.policy);
  if (opt_.quantum == 0) opt_.quantum = 1;
  if (opt_.slice == 0) opt_.slice = 1;
  round_end_ = opt_.quantum;
  ties_.reserve(64);
}

void Scheduler::add_ready(GuestThread& t) {
  ready_[t.slot_].push_back(&t);
  slots_[t.slot_].declined = false;
  // An idle slot follows the others: it starts the thread at the moment it became Ready, or
  // when the slot's last thread stopped if that is later (it ran ahead and was then stopped).
  Slot& home = slots_[t.slot_];
  if (!home.holder) home.clock = std::max(home.clock, now_);
}

void Scheduler::remove_ready(GuestThread& t) {
  auto& list = ready_[t.slot_];
  *std::find(list.begin(), list.end(), &t) = list.back();
  list.pop_back();
}

// The one place a thread's state changes: it keeps the per-slot Ready lists, the holders and the
// time accounting in step.
void Scheduler::set_state(GuestThread& t, ThreadState s) {
  if (t.state_ == s) return;
  account_state_change(t, s);
  if (t.state_ == ThreadState::Ready) remove_ready(t);
  if (t.state_ == ThreadState::Running) {
    slots_[uint8_t(t.running_on_)].holder = nullptr;
    slots_[uint8_t(t.running_on_)].pct_due = false;
    t.running_on_ = -1;
  }
  t.state_ = s;
  if (s == ThreadState::Ready) add_ready(t);
}

void Scheduler::set_slot(GuestThread& t, uint8_t slot) {
  if (t.slot_ == slot) return;
  const bool ready = t.state_ == ThreadState::Ready;
  if (ready) remove_ready(t);
  t.slot_ = slot;
  if (ready) add_ready(t);
}

uint8_t Scheduler::running_slot(const GuestThread& t) const {
  return t.state_ == ThreadState::Running ? uint8_t(t.running_on_) : t.slot_;
}

GuestThread& Scheduler::spawn(uint8_t affinity, int32_t base_priority, bool suspended, bool sixty_four_bit) {
  auto t = std::make_unique<GuestThread>();
  t->tid = uint32_t(threads_.size() + 1);
  t->affinity = (affinity & kAllSlots) ? (affinity & kAllSlots) : kAllSlots;
  SlotLoad load{};
  for (const auto& o : threads_)
    if (o->alive()) ++load[o->slot_];
  t->slot_ = perturb_.place_new(t->tid, t->affinity, policy_->place_new(t->affinity, load));
  t->base_priority = std::clamp(base_priority, 0, 31);
  t->last_run_round = round_;
  t->ctx = std::make_unique<ThreadContext>();
  reset_context(*t->ctx, &mem_, sixty_four_bit);
  t->ctx->tid = t->tid;
  t->ctx->clock = this;
  t->state_ = ThreadState::Blocked;  // not yet in any list
  t->state_since_cycle_ = guest_cycle();  // and no time Blocked
  t->ready_cycle = guest_cycle();
  if (suspended) {
    set_state(*t, ThreadState::Suspended);
    t->suspend_count_ = 1;
  } else {
    set_state(*t, ThreadState::Ready);
    t->ready_seq = ++ready_seq_;
  }
  threads_.push_back(std::move(t));
  return *threads_.back();
}

GuestThread* Scheduler::find(uint32_t tid) {
  return tid >= 1 && tid <= threads_.size() ? threads_[tid - 1].get() : nullptr;
}

void Scheduler::make_ready(GuestThread& t) {
  if (!t.alive()) return;
  if (t.state_ == ThreadState::Running || t.state_ == ThreadState::Ready) return;
  t.ready_cycle = guest_cycle();
  // A thread suspended while it waited stays suspended when the wait ends.
  if (t.suspend_count_ > 0) {
    set_state(t, ThreadState::Suspended);
    return;
  }
  t.ready_seq = ++ready_seq_;
  t.last_run_round = policy_->last_run_round_on_ready(t.last_run_round, round_);
  set_state(t, ThreadState::Ready);
}

void Scheduler::block(GuestThread& t) {
  set_state(t, ThreadState::Blocked);
  ++counters_.blocks;
}

std::optional<uint32_t> Scheduler::suspend(GuestThread& t) {
  if (!t.alive()) return std::nullopt;
  const uint32_t prev = t.suspend_count_++;
  if (t.state_ == ThreadState::Ready || t.state_ == ThreadState::Running) set_state(t, ThreadState::Suspended);
  return prev;
}

uint32_t Scheduler::resume(GuestThread& t) {
  const uint32_t prev = t.suspend_count_;
  if (prev > 0 && --t.suspend_count_ == 0 && t.state_ == ThreadState::Suspended) make_ready(t);
  return prev;
}

void Scheduler::fault(GuestThread& t) {
  set_state(t, ThreadState::Faulted);
  t.pending_ = StopReason::None;
  mem_.clear_reservation(t.tid);
}

void Scheduler::exit_thread(GuestThread& t, int64_t code) {
  set_state(t, ThreadState::Exited);
  t.pending_ = StopReason::None;
  t.exit_code = code;
  mem_.clear_reservation(t.tid);
}

void Scheduler::yield(GuestThread& t) {
  ++counters_.yields;
  t.yield_pending = true;
  t.ready_seq = ++ready_seq_;
  t.ready_cycle = guest_cycle();
  set_state(t, ThreadState::Ready);
}

void Scheduler::set_affinity(GuestThread& t, uint8_t mask) {
  mask &= kAllSlots;
  if (!mask) return;
  t.affinity = mask;
  set_slot(t, perturb_.place_on_affinity_change(mask, t.slot_, policy_->place_on_affinity_change(mask, t.slot_)));
}

void Scheduler::set_base_priority(GuestThread& t, int32_t prio) { t.base_priority = std::clamp(prio, 0, 31); }

int32_t Scheduler::effective_priority(const GuestThread& t) const {
  return policy_->effective_priority(t.base_priority, t.last_run_round, round_);
}

SchedulerCounters Scheduler::counters() const {
  SchedulerCounters c = counters_;
  c.picks_won_by_age = policy_->counters().picks_won_by_age;
  c.picks_won_by_yield = policy_->counters().picks_won_by_yield;
  c.rotations = policy_->counters().rotations;
  return c;
}

namespace {
// The total of guest cycles spent in `s`; nullptr for the final states (time stops there).
uint64_t* cycles_in(ThreadSchedStats& st, ThreadState s) {
  switch (s) {
    case ThreadState::Ready: return &st.cycles_ready;
    case ThreadState::Running: return &st.cycles_running;
    case ThreadState::Blocked: return &st.cycles_blocked;
    case ThreadState::Suspended: return &st.cycles_suspended;
    case ThreadState::Exited:
    case ThreadState::Faulted: break;
  }
  return nullptr;
}
}  // namespace

// Called before the change: a thread leaving Running still holds its slot (running_on_).
void Scheduler::account_state_change(GuestThread& t, ThreadState to) {
  const uint64_t now = std::max(guest_cycle(), t.state_since_cycle_);
  const uint64_t spent = now - t.state_since_cycle_;
  ThreadSchedStats& st = t.stats_;
  if (uint64_t* total = cycles_in(st, t.state_)) *total += spent;
  if (t.state_ == ThreadState::Running) slot_busy_cycles_[t.running_on_ >= 0 ? uint8_t(t.running_on_) : t.slot_] += spent;
  if (to == ThreadState::Running && t.state_ == ThreadState::Ready) {
    ++st.dispatches;
    st.dispatch_latency_sum += spent;
    st.dispatch_latency_max = std::max(st.dispatch_latency_max, spent);
  }
  if (to == ThreadState::Ready) {
    t.ready_since_round_ = round_;
    t.starvation_reported_ = false;
  }
  t.state_since_cycle_ = now;
}

ThreadSchedStats Scheduler::sched_stats(const GuestThread& t) const {
  ThreadSchedStats st = t.stats_;
  const uint64_t now = guest_cycle(), since = t.state_since_cycle_;
  if (uint64_t* total = cycles_in(st, t.state_)) *total += now > since ? now - since : 0;
  return st;
}

std::array<SlotTime, kSlotCount> Scheduler::slot_times() const {
  std::array<SlotTime, kSlotCount> out{};
  const uint64_t now = guest_cycle();
  for (uint32_t s = 0; s < kSlotCount; ++s) {
    uint64_t busy = slot_busy_cycles_[s];
    if (const GuestThread* h = slots_[s].holder) busy += now - std::min(now, h->state_since_cycle_);
    out[s] = {busy, now - std::min(now, busy)};
  }
  return out;
}

// The threads the last pick passed over (the candidates but `holder`) that have been Ready
// opt_.starvation_alarm rounds or more raise the alarm, once per Ready stretch.
void Scheduler::check_starvation(const GuestThread* holder) {
  for (GuestThread* t : candidate_threads_) {
    if (t == holder || t->starvation_reported_ || round_ - t->ready_since_round_ < opt_.starvation_alarm) continue;
    t->starvation_reported_ = true;
    host_.on_starvation(*t, holder, round_ - t->ready_since_round_);
  }
}

void Scheduler::wake_for_policy(uint64_t when) {
  if (policy_wake_.id && policy_wake_.id.when <= when) return;
  if (policy_wake_.id) events_.cancel(policy_wake_.id);
  policy_wake_.id = events_.schedule(when, policy_wake_, 0);
}

uint64_t Scheduler::running_delta() const {
  return current_ ? current_->ctx->instructions - current_start_instr_ : 0;
}

uint64_t Scheduler::timebase(const ThreadContext&) const { return guest_cycle() / kCyclesPerTimebaseTick; }

Candidate Scheduler::candidate(const GuestThread& t) {
  return {t.tid, t.base_priority, t.last_run_round, t.ready_seq, t.yield_pending};
}

GuestThread* Scheduler::pick_for(uint32_t slot) {
  if (ready_[slot].empty()) return nullptr;
  candidates_.clear();
  candidate_threads_.clear();
  for (GuestThread* t : ready_[slot])
    if (t->pct_preempted_round_ != round_) {
      candidates_.push_back(candidate(*t));
      candidate_threads_.push_back(t);
    }
  auto r = policy_->pick(candidates_, round_, guest_cycle());
  if (!r) {
    if (!candidates_.empty())
      if (auto when = policy_->next_decision_change(guest_cycle())) wake_for_policy(*when);
    if (opt_.starvation_alarm) check_starvation(nullptr);
    return nullptr;
  }
  ++counters_.picks;
  const size_t chosen = perturb_.active() ? perturbed_pick(r->index) : r->index;
  for (GuestThread* t : candidate_threads_) t->yield_pending = false;  // a yield lasts one pick
  GuestThread* w = candidate_threads_[chosen];
  if (slice_observer_) {
    slots_[slot].pick = explain_pick(*r, r->index, chosen, slots_[slot].expired_tid);
    slots_[slot].expired_tid = 0;
  }
  if (opt_.starvation_alarm) check_starvation(w);
  w->last_run_round = round_;
  return w;
}

PickInfo Scheduler::explain_pick(const PickResult& r, size_t policy_choice, size_t chosen, uint32_t expired_tid) const {
  const Candidate& w = candidates_[chosen];
  PickInfo p;
  p.base_priority = w.base_priority;
  p.effective_priority = policy_->effective_priority(w.base_priority, w.last_run_round, round_);
  p.age_bonus = uint32_t(std::max(0, p.effective_priority - w.base_priority));
  p.candidates = uint32_t(candidates_.size());
  p.round = round_;
  auto equal_rank = [&](const Candidate& c) {
    return &c != &w && policy_->effective_priority(c.base_priority, c.last_run_round, round_) == p.effective_priority;
  };
  if (chosen != policy_choice) p.reason = PickReason::Perturbed;
  else if (r.won_by_yield) p.reason = PickReason::Yield;
  else if (r.won_by_age) p.reason = PickReason::Age;
  else if (r.won_against_priority) p.reason = PickReason::AgainstPriority;
  else if (r.won_by_mask) p.reason = PickReason::Mask;
  else if (candidates_.size() == 1) p.reason = PickReason::Alone;
  else if (expired_tid != w.tid && std::any_of(candidates_.begin(), candidates_.end(), [&](const Candidate& c) {
             return c.tid == expired_tid && equal_rank(c);
           }))
    p.reason = PickReason::Rotation;  // round robin among equals
  else if (std::any_of(candidates_.begin(), candidates_.end(), equal_rank)) p.reason = PickReason::Readiness;
  else p.reason = PickReason::Priority;
  return p;
}

// The candidates the policy ranks equal to its choice (the same effective priority and the same
// yield standing) are ties a real machine could break either way; the perturbation decides.
size_t Scheduler::perturbed_pick(size_t policy_choice) {
  const Candidate& won = candidates_[policy_choice];
  const int32_t won_priority = policy_->effective_priority(won.base_priority, won.last_run_round, round_);
  ties_.clear();
  for (size_t k = 0; k < candidates_.size(); ++k) {
    const Candidate& c = candidates_[k];
    if (c.yielded == won.yielded &&
        policy_->effective_priority(c.base_priority, c.last_run_round, round_) == won_priority)
      ties_.push_back({c.tid, k});
  }
  std::sort(ties_.begin(), ties_.end(), [](const TieCandidate& a, const TieCandidate& b) { return a.tid < b.tid; });
  return perturb_.break_tie(ties_, policy_choice);
}

// pct: the machine reached a change point while `t` ran (it was demoted below every rank
// there). It is preempted: Ready again, behind its peers, and not picked again this round (its
// slot's peers go first; the other slots go on in guest-time order).
void Scheduler::pct_preempt(GuestThread& t) {
  if (t.state_ != ThreadState::Running) return;  // it blocked or exited at this very step
  t.ready_seq = ++ready_seq_;
  t.ready_cycle = guest_cycle();
  t.pct_preempted_round_ = round_;
  set_state(t, ThreadState::Ready);
  wake_for_policy(round_end_);  // its slot may have nobody else: it picks again when the round ends
}

// `t` (Ready again) held its slot to the end of the round it was picked in.
void Scheduler::quantum_expired(GuestThread& t) {
  ++counters_.quantum_expiries;
  host_.on_quantum_expired(t);
  candidates_.clear();
  for (const GuestThread* o : ready_[t.slot_])
    if (o != &t) candidates_.push_back(candidate(*o));
  const QuantumDecision d = policy_->on_quantum_expiry(candidate(t), candidates_, round_);
  if (d.requeue_behind_peers) t.ready_seq = ++ready_seq_;
  if (d.reset_age) t.last_run_round = round_;
  t.ready_cycle = guest_cycle();
}

int Scheduler::earliest_slot() const {
  int best = -1;
  for (uint32_t s = 0; s < kSlotCount; ++s) {
    const Slot& sl = slots_[s];
    if (!sl.holder && (ready_[s].empty() || sl.declined)) continue;
    if (best < 0 || sl.clock < slots_[uint32_t(best)].clock) best = int(s);  // strict: ties keep the lower slot
  }
  return best;
}

// Moves now to `cycle` (never backwards), entering the round that contains it.
void Scheduler::advance_to(uint64_t cycle) {
  if (cycle <= now_) return;
  now_ = cycle;
  if (now_ < round_end_) return;
  round_ = now_ / opt_.quantum;
  round_end_ = (round_ + 1) * opt_.quantum;
  for (Slot& sl : slots_) sl.declined = false;
  if (!host_.keep_going()) stop_ = RunStop::Interrupted;
}

// The kernel sees where the thread's last cpu run stopped.
void Scheduler::enter_kernel(GuestThread& t) {
  const StopReason why = t.pending_;
  t.pending_ = StopReason::None;
  switch (why) {
    case StopReason::Syscall:
      ++counters_.syscalls;
      host_.on_syscall(t);
      break;
    case StopReason::StopPc:
      host_.on_thread_return(t);
      break;
    case StopReason::Fault:
      fault(t);
      host_.on_fault(t);
      break;
    case StopReason::Budget:
    case StopReason::None:
      break;
  }
}

void Scheduler::run_slice(GuestThread& t, uint32_t slot) {
  Slot& sl = slots_[slot];
  uint64_t limit = std::min(slice_for(t, slot), sl.expires - sl.clock);
  if (opt_.budget) limit = std::min(limit, opt_.budget - total_instructions_);
  const uint64_t change_point = perturb_.next_change_point(total_instructions_);
  if (change_point != UINT64_MAX) limit = std::min(limit, change_point - total_instructions_);
  current_start_instr_ = t.ctx->instructions;
  const RunResult ran = cpu_.run(*t.ctx, limit);
  current_start_instr_ = t.ctx->instructions;
  if (slice_observer_ && ran.retired) slice_observer_->on_slice(slot, t.tid, sl.clock, sl.clock + ran.retired, sl.pick);
  sl.clock += ran.retired;
  total_instructions_ += ran.retired;
  if (ran.why != StopReason::Budget) t.pending_ = ran.why;
  if (total_instructions_ == change_point) {
    perturb_.demote(t.tid);  // at the change point; the preemption waits for the slot's next step
    sl.pct_due = true;
  }
  if (opt_.budget && total_instructions_ >= opt_.budget) {
    advance_to(sl.clock);  // the run stops at the moment the budget ran out
    stop_ = RunStop::Budget;
  }
}

// One step of `slot`, whose clock is now: pick a thread if it holds none, then either let the
// kernel see the holder's pending stop, end its quantum, or run it for a slice.
void Scheduler::step_slot(uint32_t slot) {
  Slot& sl = slots_[slot];
  GuestThread* t = sl.holder;
  if (!t) {
    t = pick_for(slot);
    if (!t) {
      sl.declined = true;
      return;
    }
    sl.clock = std::max(sl.clock, now_);  // an idle slot follows the others (its clock may be stale)
    set_state(*t, ThreadState::Running);
    sl.holder = t;
    sl.expires = round_end_;
    t->running_on_ = int8_t(slot);
  }
  current_ = t;
  current_slot_ = int(slot);
  current_start_instr_ = t->ctx->instructions;
  if (t->pending_ != StopReason::None || sl.pct_due) {
    enter_kernel(*t);
    if (sl.pct_due) {
      sl.pct_due = false;
      pct_preempt(*t);
    }
  } else if (sl.clock >= sl.expires) {
    set_state(*t, ThreadState::Ready);
    quantum_expired(*t);
    if (slice_observer_) sl.expired_tid = t->tid;
  } else if (opt_.budget && total_instructions_ >= opt_.budget) {
    stop_ = RunStop::Budget;
  } else {
    run_slice(*t, slot);
  }
  // A thread whose home slot changed while it ran leaves this one at its next stop.
  if (t->state_ == ThreadState::Running && t->running_on_ == int8_t(slot) && t->slot_ != slot &&
      t->pending_ == StopReason::None && stop_ == RunStop::None) {
    t->ready_seq = ++ready_seq_;
    t->ready_cycle = guest_cycle();
    set_state(*t, ThreadState::Ready);
  }
  current_ = nullptr;
  current_slot_ = -1;
}

bool Scheduler::should_pause(const StopCondition& until) {
  if (pause_requested_.load(std::memory_order_relaxed) && pause_requested_.exchange(false)) return true;
  if (round_ >= until.until_round) return true;
  if (instructions() >= until.until_instructions) return true;
  if (until.after_each_operation && until.after_each_operation()) return true;
  return until.predicate && until.predicate();
}

// The run is over: threads still holding a slot are Ready again (nothing runs any more).
void Scheduler::finish_run() {
  finished_ = true;
  for (Slot& sl : slots_)
    if (sl.holder) set_state(*sl.holder, ThreadState::Ready);
}

RunStop Scheduler::run_until(const StopCondition& until) {
  if (finished_) return stop_;
  stop_ = RunStop::None;
  const auto any_event = [](const EventQueue::Event&) { return true; };
  for (;;) {
    // The next step: the earliest of the next event and the earliest slot (events first).
    const int slot = earliest_slot();
    const std::optional<uint64_t> event = events_.next_when();
    if (slot < 0 && !event) {
      bool alive = false, faulted = false;
      for (const auto& t : threads_) {
        alive |= t->alive();
        faulted |= t->state_ == ThreadState::Faulted;
      }
      stop_ = faulted ? RunStop::Fault : alive ? RunStop::Deadlock : RunStop::Exit;
    } else {
      const bool event_first = event && (slot < 0 || *event <= slots_[uint32_t(slot)].clock);
      const uint64_t at = event_first ? *event : slots_[uint32_t(slot)].clock;
      if (slot < 0 && at > now_) {
        ++counters_.idle_skips;  // nothing can run: time skips to the next event
        counters_.idle_cycles_skipped += at - now_;
      }
      advance_to(at);
      if (stop_ == RunStop::None) {
        if (should_pause(until)) return RunStop::Paused;
        if (event_first) {
          events_.fire_due(now_, any_event);
          if (policy_wake_.fired) {  // the policy's decision may have changed: declined slots pick again
            policy_wake_.fired = false;
            for (Slot& sl : slots_) sl.declined = false;
          }
        } else
          step_slot(uint32_t(slot));
      }
    }
    if (stop_ != RunStop::None) {
      finish_run();
      return stop_;
    }
  }
}

}  // namespace hexad::cpu::sched
