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
  ties_.reserve(64);
}

void Scheduler::remove_ready(GuestThread& t) {
  auto& list = ready_[t.slot_];
  *std::find(list.begin(), list.end(), &t) = list.back();
  list.pop_back();
}

// The one place a thread's state changes: it keeps the per-slot Ready lists and the time
// accounting in step.
void Scheduler::set_state(GuestThread& t, ThreadState s) {
  if (t.state_ == s) return;
  account_state_change(t, s);
  if (t.state_ == ThreadState::Ready) remove_ready(t);
  t.state_ = s;
  if (s == ThreadState::Ready) ready_[t.slot_].push_back(&t);
}

void Scheduler::set_slot(GuestThread& t, uint8_t slot) {
  if (t.slot_ == slot) return;
  const bool ready = t.state_ == ThreadState::Ready;
  if (ready) remove_ready(t);
  t.slot_ = slot;
  if (ready) ready_[slot].push_back(&t);
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
  if (suspended) {
    set_state(*t, ThreadState::Suspended);
    t->suspend_count_ = 1;
  } else {
    set_state(*t, ThreadState::Ready);
    t->ready_seq = ++ready_seq_;
  }
  t->ready_cycle = guest_cycle();
  threads_.push_back(std::move(t));
  return *threads_.back();
}

GuestThread* Scheduler::find(uint32_t tid) {
  return tid >= 1 && tid <= threads_.size() ? threads_[tid - 1].get() : nullptr;
}

void Scheduler::make_ready(GuestThread& t) {
  if (!t.alive()) return;
  if (t.state_ == ThreadState::Running || t.state_ == ThreadState::Ready) return;
  // Woken by a slot whose clock is behind the moment the thread blocked (slots are visited in
  // turn, their clocks run in parallel): the wait ends when both have happened.
  t.ready_cycle = std::max(guest_cycle(), t.blocked_cycle);
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
  t.blocked_cycle = guest_cycle();
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
  mem_.clear_reservation(t.tid);
}

void Scheduler::exit_thread(GuestThread& t, int64_t code) {
  set_state(t, ThreadState::Exited);
  t.exit_code = code;
  mem_.clear_reservation(t.tid);
}

void Scheduler::yield(GuestThread& t) {
  ++counters_.yields;
  set_state(t, ThreadState::Ready);
  t.yield_pending = true;
  t.ready_seq = ++ready_seq_;
  t.ready_cycle = guest_cycle();
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

void Scheduler::account_state_change(GuestThread& t, ThreadState to) {
  const uint64_t now = std::max(guest_cycle(), t.state_since_cycle_);
  const uint64_t spent = now - t.state_since_cycle_;
  ThreadSchedStats& st = t.stats_;
  if (uint64_t* total = cycles_in(st, t.state_)) *total += spent;
  if (t.state_ == ThreadState::Running) slot_busy_cycles_[current_slot_ >= 0 ? uint32_t(current_slot_) : t.slot_] += spent;
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
    if (current_ && current_slot_ == int(s)) busy += now - std::min(now, current_->state_since_cycle_);
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
  if (ready_[slot].empty()) return nullptr;  // most visits of an idle slot end here
  candidates_.clear();
  candidate_threads_.clear();
  for (GuestThread* t : ready_[slot])
    if (t->picked_round != round_ || t->picked_slot == slot) {
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
  if (opt_.starvation_alarm) check_starvation(w);
  w->last_run_round = round_;
  w->picked_round = round_;
  w->picked_slot = uint8_t(slot);
  return w;
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

// pct: the machine reached a change point while `t` ran. It drops below every rank and is
// preempted: Ready again, behind its peers, and not picked again this round.
void Scheduler::pct_preempt(GuestThread& t) {
  perturb_.demote(t.tid);
  if (t.state_ != ThreadState::Running) return;  // it blocked or exited at this very step
  set_state(t, ThreadState::Ready);
  t.ready_seq = ++ready_seq_;
  t.ready_cycle = guest_cycle();
  t.picked_slot = uint8_t(kSlotCount);  // no slot's: pick_for skips it until the next round
}

void Scheduler::quantum_expired(GuestThread& t, uint32_t slot) {
  ++counters_.quantum_expiries;
  candidates_.clear();
  for (const GuestThread* o : ready_[slot])
    if (o != &t) candidates_.push_back(candidate(*o));
  const QuantumDecision d = policy_->on_quantum_expiry(candidate(t), candidates_, round_);
  if (d.requeue_behind_peers) t.ready_seq = ++ready_seq_;
  if (d.reset_age) t.last_run_round = round_;
  t.ready_cycle = guest_cycle();
}

bool Scheduler::operation_pause(const StopCondition& until) {
  return stop_ == RunStop::None && until.after_each_operation && until.after_each_operation();
}

bool Scheduler::run_slot(uint32_t slot, const StopCondition& until) {
  // A thread-bound event fires when its thread's home slot is visited (event_queue.h).
  auto on_this_slot = [&](const EventQueue::Event& e) {
    const GuestThread* t = e.bound_tid == kGlobalEvent ? nullptr : find(e.bound_tid);
    return t && t->slot_ == slot;
  };
  // Resuming a visit paused mid-way: with current_ set, its thread goes on running; after a
  // batch of events fired, the pick comes next (events scheduled by that batch wait, as they
  // would have in one run, for the next fire_due).
  if (!paused_mid_visit_) visit_quantum_ = perturb_.slice(opt_.quantum);
  paused_mid_visit_ = false;
  bool fire_events = !resume_at_pick_;
  resume_at_pick_ = false;
  while (stop_ == RunStop::None && (current_ || visit_retired_ < visit_quantum_)) {
    if (!current_) {
      if (fire_events && events_.fire_due(guest_cycle(), on_this_slot) && operation_pause(until)) {
        paused_mid_visit_ = true;
        resume_at_pick_ = true;
        return false;
      }
      fire_events = true;
      GuestThread* t = pick_for(slot);
      if (!t) return true;
      if (t->ready_cycle > guest_cycle()) {
        ++counters_.causal_waits;
        counters_.causal_wait_cycles += t->ready_cycle - guest_cycle();
        visit_idle_ += t->ready_cycle - guest_cycle();
      }
      set_state(*t, ThreadState::Running);
      current_ = t;
    }
    GuestThread* t = current_;
    while (t->state_ == ThreadState::Running && stop_ == RunStop::None) {
      uint64_t limit = visit_quantum_ - visit_retired_;
      if (opt_.budget) {
        if (total_instructions_ >= opt_.budget) {
          stop_ = RunStop::Budget;
          break;
        }
        limit = std::min(limit, opt_.budget - total_instructions_);
      }
      const uint64_t change_point = perturb_.next_change_point(total_instructions_);
      if (change_point != UINT64_MAX) limit = std::min(limit, change_point - total_instructions_);
      if (limit == 0) break;
      current_start_instr_ = t->ctx->instructions;
      const RunResult ran = cpu_.run(*t->ctx, limit);
      const uint64_t retired = ran.retired;
      visit_retired_ += retired;
      total_instructions_ += retired;
      current_start_instr_ = t->ctx->instructions;
      bool operation = true;
      switch (ran.why) {
        case StopReason::Syscall:
          ++counters_.syscalls;
          host_.on_syscall(*t);
          break;
        case StopReason::StopPc:
          host_.on_thread_return(*t);
          break;
        case StopReason::Fault:
          fault(*t);
          host_.on_fault(*t);
          break;
        case StopReason::Budget:
        case StopReason::None:
          operation = false;
          break;
      }
      if (opt_.budget && total_instructions_ >= opt_.budget && stop_ == RunStop::None) stop_ = RunStop::Budget;
      if (total_instructions_ == change_point) pct_preempt(*t);
      if (operation && operation_pause(until)) {
        if (t->state_ != ThreadState::Running) current_ = nullptr;  // the visit goes on with a pick
        paused_mid_visit_ = true;
        return false;
      }
    }
    if (t->state_ == ThreadState::Running) {
      // Quantum used up (or the run stopped): Ready again.
      set_state(*t, ThreadState::Ready);
      if (stop_ == RunStop::None) quantum_expired(*t, slot);
    }
    current_ = nullptr;
  }
  return true;
}

bool Scheduler::should_pause(const StopCondition& until) {
  if (pause_requested_.load(std::memory_order_relaxed) && pause_requested_.exchange(false)) return true;
  if (next_slot_ == 0 && !round_started_ && round_ >= until.until_round) return true;
  if (instructions() >= until.until_instructions) return true;
  if (until.after_each_operation && until.after_each_operation()) return true;
  return until.predicate && until.predicate();
}

void Scheduler::end_round() {
  ++round_;
  if (counters_.picks != round_picks_before_) {
    round_start_cycle_ += std::max<uint64_t>(round_max_, 1);
  } else if (auto d = events_.next_when()) {
    uint64_t to = std::max(*d, round_start_cycle_ + 1);
    ++counters_.idle_skips;
    counters_.idle_cycles_skipped += to - round_start_cycle_;
    round_start_cycle_ = to;
  } else {
    bool alive = false, faulted = false;
    for (const auto& t : threads_) {
      alive |= t->alive();
      faulted |= t->state_ == ThreadState::Faulted;
    }
    stop_ = faulted ? RunStop::Fault : alive ? RunStop::Deadlock : RunStop::Exit;
  }
  if (stop_ == RunStop::None && !host_.keep_going()) stop_ = RunStop::Interrupted;
}

RunStop Scheduler::run_until(const StopCondition& until) {
  if (finished_) return stop_;
  stop_ = RunStop::None;
  for (;;) {
    if (should_pause(until)) return RunStop::Paused;
    if (!paused_mid_visit_) {
      if (next_slot_ == 0 && !round_started_) {
        round_started_ = true;
        round_max_ = 0;
        round_picks_before_ = counters_.picks;
        // Global events fire before the round, at its start clock.
        if (events_.fire_due(round_start_cycle_, [](const EventQueue::Event& e) { return e.bound_tid == kGlobalEvent; }) &&
            operation_pause(until))
          return RunStop::Paused;
      }
      current_slot_ = int(next_slot_++);
      visit_retired_ = 0;
      visit_idle_ = 0;
    }
    if (!run_slot(uint32_t(current_slot_), until)) return RunStop::Paused;
    round_max_ = std::max(round_max_, visit_idle_ + visit_retired_);
    visit_retired_ = 0;
    visit_idle_ = 0;
    current_slot_ = -1;
    if (stop_ == RunStop::None && next_slot_ == kSlotCount) {
      next_slot_ = 0;
      round_started_ = false;
      end_round();
    } else if (stop_ != RunStop::None) {
      round_start_cycle_ += round_max_;  // the partial round's time still passed
    }
    if (stop_ != RunStop::None) {
      finished_ = true;
      return stop_;
    }
  }
}

}  // namespace hexad::cpu::sched
