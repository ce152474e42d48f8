#include "cpu/sched/scheduler.h"

#include <algorithm>
#include <array>

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
  }
  return "?";
}

Scheduler::Scheduler(Memory& mem, ExecBackend& cpu, const SchedulerOptions& opt, SchedulerHost& host)
    : mem_(mem), cpu_(cpu), opt_(opt), host_(host) {
  if (opt_.quantum == 0) opt_.quantum = 1;
}

uint8_t Scheduler::first_slot(uint8_t mask) {
  mask &= kAllSlots;
  return mask ? uint8_t(__builtin_ctz(mask)) : 0;
}

GuestThread& Scheduler::spawn(uint8_t affinity, int32_t base_priority, bool suspended, bool sixty_four_bit) {
  auto t = std::make_unique<GuestThread>();
  t->tid = uint32_t(threads_.size() + 1);
  t->affinity = (affinity & kAllSlots) ? (affinity & kAllSlots) : kAllSlots;
  // Threads free to run anywhere are spread over the slots by creation order, so placement is a
  // function of the program alone.
  if (t->affinity == kAllSlots) {
    std::array<uint32_t, kSlotCount> load{};
    for (const auto& o : threads_)
      if (o->state != ThreadState::Exited && o->state != ThreadState::Faulted) ++load[o->slot];
    t->slot = uint8_t(std::min_element(load.begin(), load.end()) - load.begin());
  } else {
    t->slot = first_slot(t->affinity);
  }
  t->base_priority = std::clamp(base_priority, 0, 31);
  t->last_run_round = round_;
  t->ctx = std::make_unique<ThreadContext>();
  reset_context(*t->ctx, &mem_, sixty_four_bit);
  t->ctx->tid = t->tid;
  t->ctx->clock = this;
  if (suspended) {
    t->state = ThreadState::Suspended;
    t->suspend_count = 1;
  } else {
    t->state = ThreadState::Ready;
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
  if (t.state == ThreadState::Exited || t.state == ThreadState::Faulted) return;
  if (t.state == ThreadState::Running || t.state == ThreadState::Ready) return;
  // Woken by a slot whose clock is behind the moment the thread blocked (slots are visited in
  // turn, their clocks run in parallel): the wait ends when both have happened.
  t.ready_cycle = std::max(guest_cycle(), t.blocked_cycle);
  // A thread suspended while it waited stays suspended when the wait ends.
  if (t.suspend_count > 0) {
    t.state = ThreadState::Suspended;
    return;
  }
  t.ready_seq = ++ready_seq_;
  t.state = ThreadState::Ready;
}

void Scheduler::block(GuestThread& t) {
  t.state = ThreadState::Blocked;
  t.blocked_cycle = guest_cycle();
  ++counters_.blocks;
}

void Scheduler::suspend(GuestThread& t) { t.state = ThreadState::Suspended; }

void Scheduler::exit_thread(GuestThread& t, int64_t code) {
  t.state = ThreadState::Exited;
  t.exit_code = code;
  mem_.clear_reservation(t.tid);
}

void Scheduler::yield(GuestThread& t) {
  ++counters_.yields;
  t.state = ThreadState::Ready;
  t.yield_pending = true;
  t.ready_seq = ++ready_seq_;
  t.ready_cycle = guest_cycle();
}

void Scheduler::set_affinity(GuestThread& t, uint8_t mask) {
  mask &= kAllSlots;
  if (!mask) return;
  t.affinity = mask;
  if (!(mask & (1u << t.slot))) t.slot = first_slot(mask);
}

void Scheduler::set_base_priority(GuestThread& t, int32_t prio) { t.base_priority = std::clamp(prio, 0, 31); }

int32_t Scheduler::effective_priority(const GuestThread& t) const {
  return t.base_priority + int32_t(age_bonus(opt_.aging, round_, t.last_run_round));
}

uint64_t Scheduler::running_delta() const {
  return current_ ? current_->ctx->instructions - current_start_instr_ : 0;
}

uint64_t Scheduler::timebase(const ThreadContext&) const { return guest_cycle() / kCyclesPerTimebaseTick; }

GuestThread* Scheduler::pick_for(uint32_t slot) {
  std::vector<Candidate> ready;
  std::vector<GuestThread*> who;
  for (const auto& t : threads_)
    if (t->slot == slot && t->state == ThreadState::Ready && (t->picked_round != round_ || t->picked_slot == slot)) {
      ready.push_back({t->tid, t->base_priority, t->last_run_round, t->ready_seq, t->yield_pending});
      who.push_back(t.get());
    }
  auto r = pick(ready, round_, opt_.aging);
  if (!r) return nullptr;
  ++counters_.picks;
  if (r->won_by_age) ++counters_.picks_won_by_age;
  if (r->won_by_yield) ++counters_.picks_won_by_yield;
  for (GuestThread* t : who) t->yield_pending = false;  // a yield lasts one pick
  GuestThread* w = who[r->index];
  w->last_run_round = round_;
  w->picked_round = round_;
  w->picked_slot = uint8_t(slot);
  return w;
}

void Scheduler::run_slot(uint32_t slot) {
  while (visit_retired_ < opt_.quantum && stop_ == RunStop::None) {
    host_.expire_timeouts(guest_cycle(), slot);
    GuestThread* t = pick_for(slot);
    if (!t) return;
    if (t->ready_cycle > guest_cycle()) {
      ++counters_.causal_waits;
      counters_.causal_wait_cycles += t->ready_cycle - guest_cycle();
      visit_idle_ += t->ready_cycle - guest_cycle();
    }
    t->state = ThreadState::Running;
    current_ = t;
    while (t->state == ThreadState::Running && stop_ == RunStop::None) {
      uint64_t limit = opt_.quantum - visit_retired_;
      if (opt_.budget) {
        if (total_instructions_ >= opt_.budget) {
          stop_ = RunStop::Budget;
          break;
        }
        limit = std::min(limit, opt_.budget - total_instructions_);
      }
      if (limit == 0) break;
      current_start_instr_ = t->ctx->instructions;
      const RunResult ran = cpu_.run(*t->ctx, limit);
      const uint64_t retired = ran.retired;
      visit_retired_ += retired;
      total_instructions_ += retired;
      current_start_instr_ = t->ctx->instructions;
      switch (ran.why) {
        case StopReason::Syscall:
          ++counters_.syscalls;
          host_.on_syscall(*t);
          break;
        case StopReason::StopPc:
          host_.on_thread_return(*t);
          break;
        case StopReason::Fault:
          t->state = ThreadState::Faulted;
          mem_.clear_reservation(t->tid);
          host_.on_fault(*t);
          break;
        case StopReason::Budget:
        case StopReason::None:
          break;
      }
      if (opt_.budget && total_instructions_ >= opt_.budget && stop_ == RunStop::None) stop_ = RunStop::Budget;
    }
    if (t->state == ThreadState::Running) {
      // Quantum used up (or the run stopped): back to Ready, behind its equal-priority peers.
      t->state = ThreadState::Ready;
      if (stop_ == RunStop::None) {
        ++counters_.quantum_expiries;
        bool peer = std::any_of(threads_.begin(), threads_.end(), [&](const auto& o) {
          return o.get() != t && o->slot == slot && o->state == ThreadState::Ready && o->base_priority == t->base_priority;
        });
        if (peer) ++counters_.rotations;
        t->ready_seq = ++ready_seq_;
        t->ready_cycle = guest_cycle();
        t->last_run_round = round_;
      }
    }
    current_ = nullptr;
  }
}

RunStop Scheduler::run() {
  stop_ = RunStop::None;
  while (stop_ == RunStop::None) {
    uint64_t round_max = 0;
    uint64_t picks_before = counters_.picks;
    for (uint32_t slot = 0; slot < kSlotCount && stop_ == RunStop::None; ++slot) {
      current_slot_ = int(slot);
      visit_retired_ = 0;
      visit_idle_ = 0;
      run_slot(slot);
      round_max = std::max(round_max, visit_idle_ + visit_retired_);
    }
    visit_retired_ = 0;
    visit_idle_ = 0;
    current_slot_ = -1;
    if (stop_ != RunStop::None) {
      round_start_cycle_ += round_max;  // the partial round's time still passed
      break;
    }
    ++round_;
    if (counters_.picks != picks_before) {
      round_start_cycle_ += std::max<uint64_t>(round_max, 1);
    } else if (auto d = host_.next_deadline()) {
      uint64_t to = std::max(*d, round_start_cycle_ + 1);
      ++counters_.idle_skips;
      counters_.idle_cycles_skipped += to - round_start_cycle_;
      round_start_cycle_ = to;
    } else {
      bool alive = false, faulted = false;
      for (const auto& t : threads_) {
        alive |= t->state != ThreadState::Exited && t->state != ThreadState::Faulted;
        faulted |= t->state == ThreadState::Faulted;
      }
      stop_ = faulted ? RunStop::Fault : alive ? RunStop::Deadlock : RunStop::Exit;
    }
    if (stop_ == RunStop::None && !host_.keep_going()) stop_ = RunStop::Interrupted;
  }
  return stop_;
}

}  // namespace hexad::cpu::sched
