#include "kernel/xboxkrnl/waits.h"

#include "kernel/xboxkrnl/kernel.h"
#include "kernel/xboxkrnl/object_classes.h"

#include <algorithm>

#include "base/hexad_error.h"

namespace hexad::kernel {

using cpu::sched::GuestThread;

bool Waits::acquire(KernelObject& o, uint32_t tid) {
  bool abandoned = o.cls().consume(o, tid);
  k_.objects().mirror(o);
  return abandoned;
}

bool Waits::try_satisfy(Wait& w, uint32_t& status) {
  if (w.objects.empty()) return false;
  if (w.all) {
    // Atomic: nothing is consumed unless every object is signaled for this thread.
    for (KernelObject* o : w.objects)
      if (!o->cls().is_signaled(*o, w.tid)) return false;
    bool abandoned = false;
    for (KernelObject* o : w.objects) abandoned |= acquire(*o, w.tid);
    status = abandoned ? kStatusAbandonedWait0 : kStatusWait0;
    return true;
  }
  for (size_t i = 0; i < w.objects.size(); ++i) {
    KernelObject* o = w.objects[i];
    if (!o->cls().is_signaled(*o, w.tid)) continue;
    bool abandoned = acquire(*o, w.tid);
    status = uint32_t((abandoned ? kStatusAbandonedWait0 : kStatusWait0) + i);
    return true;
  }
  return false;
}

Wait& Waits::record_for(uint32_t tid) {
  if (tid >= by_tid_.size()) by_tid_.resize(tid + 1);
  if (!by_tid_[tid]) by_tid_[tid] = std::make_unique<Wait>();
  Wait& w = *by_tid_[tid];
  if (w.active) fail("thread {} starts a wait while blocked in one", tid);
  return w;
}

void Waits::emit_begin(GuestThread& t, const Wait& w, std::optional<int64_t> timeout_ns) {
  uint32_t handles[kMaxWaitObjects];
  for (size_t i = 0; i < w.objects.size(); ++i) handles[i] = w.objects[i]->label();
  k_.trace().emit(k_.where(t), trace::WaitBegin{{handles, w.objects.size()}, w.all, timeout_ns, w.alertable});
}

std::optional<uint32_t> Waits::begin(GuestThread& t, std::span<KernelObject* const> objects, bool all,
                                     std::optional<uint64_t> deadline, bool alertable, std::optional<int64_t> timeout_ns,
                                     uint8_t mode) {
  if (objects.size() > kMaxWaitObjects) fail("a wait on {} objects (at most {})", objects.size(), kMaxWaitObjects);
  Wait& w = record_for(t.tid);
  apply_reissue(w, deadline, timeout_ns);
  w.seq = next_seq_++;
  w.tid = t.tid;
  w.all = all;
  w.delay = false;
  w.restartable = true;  // every caller is a wait export
  w.alertable = alertable;
  w.mode = mode;
  w.objects.assign(objects.begin(), objects.end());
  w.deadline = deadline;
  emit_begin(t, w, timeout_ns);
  if (alertable)
    if (std::optional<uint32_t> status = alerted_at_once(t, w)) return status;
  uint32_t status;
  if (try_satisfy(w, status) || (deadline && *deadline <= k_.now_cycle() && ((status = kStatusTimeout), true))) {
    std::optional<uint32_t> index;
    if (status != kStatusTimeout) index = status & 0x3F;
    k_.trace().emit(k_.where(t), trace::WaitEnd{status, index});
    return status;
  }
  // Once per object, even when a WaitAny names it twice: a satisfied wait then leaves each list
  // by one erase, and Waits::signal's walk over o.waiters sees each wait once.
  for (KernelObject* o : w.objects)
    if (std::find(o->waiters.begin(), o->waiters.end(), &w) == o->waiters.end()) o->waiters.push_back(&w);
  block(t, w);
  return std::nullopt;
}

// Waits block (and so get their deadline event) in wait order, which keeps equal deadlines
// expiring in wait order.
void Waits::block(GuestThread& t, Wait& w) {
  k_.check_spinlocks_held(t, "spinlock_across_block");
  w.active = true;
  if (w.deadline) w.deadline_event = k_.sched().events().schedule(*w.deadline, *this, t.tid, t.tid);
  k_.sched().block(t);
}

std::optional<uint32_t> Waits::delay(GuestThread& t, std::optional<uint64_t> deadline, int64_t interval_ns,
                                     bool alertable, Restart restart, uint8_t mode) {
  Wait& w = record_for(t.tid);
  if (restart == Restart::Yes) {
    std::optional<int64_t> remaining_ns = interval_ns;
    apply_reissue(w, deadline, remaining_ns);
    interval_ns = remaining_ns.value_or(interval_ns);
  }
  w.seq = next_seq_++;
  w.tid = t.tid;
  w.all = false;
  w.delay = true;
  w.restartable = restart == Restart::Yes;
  w.alertable = alertable;
  w.mode = mode;
  w.objects.clear();
  w.deadline = deadline;
  emit_begin(t, w, interval_ns);
  if (alertable)
    if (std::optional<uint32_t> status = alerted_at_once(t, w)) return status;
  if (deadline && *deadline <= k_.now_cycle()) {
    k_.trace().emit(k_.where(t), trace::WaitEnd{kStatusSuccess, std::nullopt});
    // An interval already over (zero, or an absolute time past) still gives up the rest of the
    // quantum, as NT's KeDelayExecutionThread yields when its timer cannot be inserted.
    k_.sched().yield(t);
    return kStatusSuccess;
  }
  block(t, w);
  return std::nullopt;
}

void Waits::detach(Wait& w) {
  for (KernelObject* o : w.objects) std::erase(o->waiters, &w);
  if (w.deadline) k_.sched().events().cancel(w.deadline_event);  // a no-op when the deadline fired
  w.active = false;
}

void Waits::finish(Wait& w, uint32_t status, trace::WakeReason reason, const KernelObject* by, uint32_t actor_tid) {
  GuestThread* t = k_.sched().find(w.tid);
  detach(w);
  // No satisfying object to index: a timeout, a delay, or an alert (STATUS_USER_APC / _ALERTED).
  bool no_index = status == kStatusTimeout || status == kStatusUserApc || status == kStatusAlerted || w.delay;
  std::optional<uint32_t> by_label;
  if (by) by_label = by->label();
  k_.trace().emit(k_.where(actor_tid), trace::WakeRequested{w.tid, reason, by_label});
  std::optional<uint32_t> index;
  if (!no_index) index = status & 0x3F;
  if (t) {
    t->ctx->gpr[3] = status;
    k_.sched().make_ready(*t);
  }
  k_.trace().emit(t ? k_.where(*t) : k_.where(w.tid), trace::WaitEnd{status, index});
  if (w.delay) k_.complete_io(w.tid);  // an I/O call's time ended: its completion is now
  // Kernel APCs queued while it was in a wait they could not abort (an I/O delay) run now.
  if (t) k_.deferred().deliver_kernel_apcs_when_running(*t);
}

std::span<const uint32_t> Waits::signal(KernelObject& o, uint32_t actor_tid) {
  woken_.clear();
  // In wait order. A satisfied wait leaves every list it was on, so it is erased from o.waiters
  // at the position being visited and the next waiter moves into it; nothing else changes the
  // list while a signal is satisfied (no guest code runs).
  for (size_t i = 0; i < o.waiters.size();) {
    Wait* w = o.waiters[i];
    uint32_t status;
    if (!o.cls().is_signaled(o, w->tid) || !try_satisfy(*w, status)) {
      ++i;
      continue;
    }
    uint32_t tid = w->tid;
    finish(*w, status, trace::WakeReason::Signal, &o, actor_tid);
    woken_.push_back(tid);
  }
  return woken_;
}

// NT (KiCheckAlertability; xenia's decompiled xeKeWaitForMultipleObjects checks the same order):
// an alertable wait does not wait when the thread is alerted for its wait mode (STATUS_ALERTED,
// the flag cleared), has user APCs pending (STATUS_USER_APC), or is alerted for kernel mode.
std::optional<uint32_t> Waits::alerted_at_once(GuestThread& t, const Wait& w) {
  ThreadRecord* rec = k_.thread_record(t.tid);
  auto take_alert = [&](uint8_t mode) -> std::optional<uint32_t> {
    if (!rec || !rec->alerted[mode]) return std::nullopt;
    rec->alerted[mode] = false;
    k_.trace().emit(k_.where(t), trace::WaitEnd{kStatusAlerted, std::nullopt});
    return kStatusAlerted;
  };
  if (std::optional<uint32_t> s = take_alert(w.mode)) return s;
  if (!k_.deferred().apcs_of(w.tid)) return take_alert(kKernelModeWait);
  k_.trace().emit(k_.where(t), trace::WaitAlerted{uint32_t(k_.deferred().apcs_of(w.tid))});
  k_.trace().emit(k_.where(t), trace::WaitEnd{kStatusUserApc, std::nullopt});
  k_.deferred().deliver_after_call(t.tid);
  return kStatusUserApc;
}

void Waits::alert(GuestThread& t, uint32_t actor_tid) {
  if (t.tid >= by_tid_.size() || !by_tid_[t.tid]) return;
  Wait& w = *by_tid_[t.tid];
  if (!w.active || !w.alertable) return;
  k_.trace().emit(k_.where(t), trace::WaitAlerted{uint32_t(k_.deferred().apcs_of(t.tid))});
  finish(w, kStatusUserApc, trace::WakeReason::Alert, nullptr, actor_tid);
  k_.deferred().deliver_when_running(t);
}

void Waits::on_event(uint64_t tid, uint64_t) {
  Wait& w = *by_tid_.at(uint32_t(tid));
  finish(w, w.delay ? kStatusSuccess : kStatusTimeout, trace::WakeReason::Timeout, nullptr, w.tid);
}

void Waits::apply_reissue(Wait& w, std::optional<uint64_t>& deadline, std::optional<int64_t>& timeout_ns) {
  if (!w.reissue) return;
  w.reissue = false;
  deadline = w.deadline;
  if (!deadline) return;  // infinite: the traced timeout stays what the call asked for
  const uint64_t now = k_.now_cycle();
  const uint64_t left = *deadline > now ? Kernel::cycles_to_ns(*deadline - now) : 0;
  timeout_ns = int64_t(std::min<uint64_t>(left, uint64_t(INT64_MAX)));
}

void Waits::abort_to_reissue(GuestThread& t, Wait& w, uint32_t actor_tid, trace::WakeReason why) {
  detach(w);
  k_.trace().emit(k_.where(actor_tid), trace::WakeRequested{t.tid, why, std::nullopt});
  k_.trace().emit(k_.where(t), trace::WaitEnd{kStatusKernelApc, std::nullopt});
  // Back to the thunk's `sc` (the thread blocked right after it), its argument registers intact:
  // a blocked call has not written r3.
  t.ctx->pc -= 4;
  k_.sched().make_ready(t);  // suspended: it stays Suspended until its count is back to 0
}

void Waits::abort_for_suspend(GuestThread& t, GuestThread& actor) {
  if (t.tid >= by_tid_.size() || !by_tid_[t.tid]) return;
  Wait& w = *by_tid_[t.tid];
  if (!w.active || !w.restartable) return;
  w.reissue = true;
  abort_to_reissue(t, w, actor.tid, trace::WakeReason::Suspend);
}

std::optional<Waits::Reissue> Waits::abort_for_kernel_apc(GuestThread& t, uint32_t actor_tid) {
  if (t.tid >= by_tid_.size() || !by_tid_[t.tid]) return std::nullopt;
  Wait& w = *by_tid_[t.tid];
  if (!w.active || !w.restartable) return std::nullopt;
  abort_to_reissue(t, w, actor_tid, trace::WakeReason::KernelApc);
  return Reissue{w.deadline};
}

void Waits::arm_reissue(uint32_t tid, const Reissue& r) {
  Wait& w = record_for(tid);
  w.reissue = true;
  w.deadline = r.deadline;
}

bool Waits::alert_waiting(GuestThread& t, uint8_t alert_mode, uint32_t actor_tid) {
  if (t.tid >= by_tid_.size() || !by_tid_[t.tid]) return false;
  Wait& w = *by_tid_[t.tid];
  if (!w.active || !w.alertable || alert_mode > w.mode) return false;
  finish(w, kStatusAlerted, trace::WakeReason::Alert, nullptr, actor_tid);
  return true;
}

void Waits::end_reissue(uint32_t tid) {
  if (tid < by_tid_.size() && by_tid_[tid] && !by_tid_[tid]->active) by_tid_[tid]->reissue = false;
}

const Wait* Waits::wait_of(uint32_t tid) const {
  return tid < by_tid_.size() && by_tid_[tid] && by_tid_[tid]->active ? by_tid_[tid].get() : nullptr;
}

}  // namespace hexad::kernel
