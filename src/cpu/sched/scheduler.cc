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
  }
  return "?";
}

Scheduler::Scheduler(Memory& mem, ExecBackend& cpu, const SchedulerOptions& opt, SchedulerHost& host)
    : mem_(mem), cpu_(cpu), opt_(opt), host_(host), policy_(make_sched_policy(opt.policy, PolicyParams{opt.aging})) {
  if (!policy_) fail("unknown scheduling policy '{}'", opt.policy);
  if (opt_.quantum == 0) opt_.quantum = 1;
  if (opt_.slice == 0) opt_.slice = 1;
  round_end_ = opt_.quantum;
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

// The one place a thread's state changes: it keeps the per-slot Ready lists and holders in step.
void Scheduler::set_state(GuestThread& t, ThreadState s) {
  if (t.state_ == s) return;
  if (t.state_ == ThreadState::Ready) remove_ready(t);
  if (t.state_ == ThreadState::Running) {
    slots_[uint8_t(t.running_on_)].holder = nullptr;
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
  t->slot_ = policy_->place_new(t->affinity, load);
  t->base_priority = std::clamp(base_priority, 0, 31);
  t->last_run_round = round_;
  t->ctx = std::make_unique<ThreadContext>();
  reset_context(*t->ctx, &mem_, sixty_four_bit);
  t->ctx->tid = t->tid;
  t->ctx->clock = this;
  t->state_ = ThreadState::Blocked;  // not yet in any list
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
  set_slot(t, policy_->place_on_affinity_change(mask, t.slot_));
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
  for (GuestThread* t : ready_[slot]) {
    candidates_.push_back(candidate(*t));
    candidate_threads_.push_back(t);
  }
  auto r = policy_->pick(candidates_, round_);
  if (!r) return nullptr;
  ++counters_.picks;
  for (GuestThread* t : candidate_threads_) t->yield_pending = false;  // a yield lasts one pick
  GuestThread* w = candidate_threads_[r->index];
  w->last_run_round = round_;
  return w;
}

// `t` (Ready again) held its slot to the end of the round it was picked in.
void Scheduler::quantum_expired(GuestThread& t) {
  ++counters_.quantum_expiries;
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
  current_start_instr_ = t.ctx->instructions;
  const RunResult ran = cpu_.run(*t.ctx, limit);
  current_start_instr_ = t.ctx->instructions;
  sl.clock += ran.retired;
  total_instructions_ += ran.retired;
  if (ran.why != StopReason::Budget) t.pending_ = ran.why;
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
    set_state(*t, ThreadState::Running);
    sl.holder = t;
    sl.expires = round_end_;
    t->running_on_ = int8_t(slot);
  }
  current_ = t;
  current_slot_ = int(slot);
  current_start_instr_ = t->ctx->instructions;
  if (t->pending_ != StopReason::None) {
    enter_kernel(*t);
  } else if (sl.clock >= sl.expires) {
    set_state(*t, ThreadState::Ready);
    quantum_expired(*t);
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
        if (event_first)
          events_.fire_due(now_, any_event);
        else
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
