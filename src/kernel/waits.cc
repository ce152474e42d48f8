#include "kernel/waits.h"

#include "kernel/kernel.h"

#include <algorithm>
#include <string_view>

namespace hexad::kernel {

using cpu::sched::GuestThread;

bool Waits::is_signaled(const KernelObject& o, uint32_t tid) const {
  switch (o.type) {
    case ObjectType::NotificationEvent:
    case ObjectType::SynchronizationEvent:
    case ObjectType::Thread:
      return o.signal_state > 0;
    case ObjectType::Semaphore:
      return o.signal_state > 0;
    case ObjectType::Mutant:
      return o.signal_state > 0 || o.owner_tid == tid;
  }
  return false;
}

void Waits::consume(KernelObject& o, uint32_t tid) {
  switch (o.type) {
    case ObjectType::SynchronizationEvent: o.signal_state = 0; break;
    case ObjectType::Semaphore: --o.signal_state; break;
    case ObjectType::Mutant:
      --o.signal_state;
      o.owner_tid = tid;
      break;
    case ObjectType::NotificationEvent:
    case ObjectType::Thread: break;
  }
  k_.objects().mirror(o);
}

bool Waits::try_satisfy(Wait& w, uint32_t& status) {
  if (w.objects.empty()) return false;
  if (w.all) {
    // Atomic: nothing is consumed unless every object is signaled for this thread.
    for (KernelObject* o : w.objects)
      if (!is_signaled(*o, w.tid)) return false;
    bool abandoned = false;
    for (KernelObject* o : w.objects) {
      abandoned |= o->type == ObjectType::Mutant && o->abandoned;
      consume(*o, w.tid);
      if (o->type == ObjectType::Mutant) o->abandoned = false;
    }
    status = abandoned ? kStatusAbandonedWait0 : kStatusWait0;
    return true;
  }
  for (size_t i = 0; i < w.objects.size(); ++i) {
    KernelObject* o = w.objects[i];
    if (!is_signaled(*o, w.tid)) continue;
    bool abandoned = o->type == ObjectType::Mutant && o->abandoned;
    consume(*o, w.tid);
    if (o->type == ObjectType::Mutant) o->abandoned = false;
    status = uint32_t((abandoned ? kStatusAbandonedWait0 : kStatusWait0) + i);
    return true;
  }
  return false;
}

static Json wait_begin_fields(const Wait& w, std::optional<int64_t> timeout_ns) {
  Json handles = Json::array();
  for (const KernelObject* o : w.objects) handles.push_back(o->label());
  return Json{{"handles", handles},
              {"wait", w.all ? "all" : "any"},
              {"timeout_ns", timeout_ns ? Json(*timeout_ns) : Json(nullptr)},
              {"alertable", w.alertable}};
}

std::optional<uint32_t> Waits::begin(GuestThread& t, std::vector<KernelObject*> objects, bool all,
                                     std::optional<uint64_t> deadline, bool alertable, std::optional<int64_t> timeout_ns) {
  Wait w;
  w.seq = next_seq_++;
  w.tid = t.tid;
  w.all = all;
  w.alertable = alertable;
  w.objects = std::move(objects);
  w.deadline = deadline;
  k_.trace().emit("wait.begin", k_.where(t), wait_begin_fields(w, timeout_ns));
  ++t.events;
  uint32_t status;
  if (try_satisfy(w, status) || (deadline && *deadline <= k_.now_cycle() && ((status = kStatusTimeout), true))) {
    uint32_t index = status == kStatusTimeout ? 0 : (status & 0x3F);
    k_.trace().emit("wait.end", k_.where(t),
                    Json{{"status", hex32(status)}, {"index", status == kStatusTimeout ? Json(nullptr) : Json(index)}});
    ++t.events;
    return status;
  }
  auto [it, ok] = waits_.emplace(t.tid, std::move(w));
  Wait& stored = it->second;
  for (KernelObject* o : stored.objects) o->waiters.push_back(&stored);
  block(t, stored);
  return std::nullopt;
}

// Waits are stored (and so given their deadline event) in wait order, which keeps equal
// deadlines expiring in wait order.
void Waits::block(GuestThread& t, Wait& w) {
  if (w.deadline) w.deadline_event = k_.sched().events().schedule(*w.deadline, *this, t.tid, t.tid);
  k_.sched().block(t);
}

std::optional<uint32_t> Waits::delay(GuestThread& t, uint64_t deadline, int64_t interval_ns, bool alertable) {
  Wait w;
  w.seq = next_seq_++;
  w.tid = t.tid;
  w.delay = true;
  w.alertable = alertable;
  w.deadline = deadline;
  k_.trace().emit("wait.begin", k_.where(t), wait_begin_fields(w, interval_ns));
  ++t.events;
  if (deadline <= k_.now_cycle()) {
    k_.trace().emit("wait.end", k_.where(t), Json{{"status", hex32(kStatusSuccess)}, {"index", nullptr}});
    ++t.events;
    return kStatusSuccess;
  }
  auto [it, ok] = waits_.emplace(t.tid, std::move(w));
  block(t, it->second);
  return std::nullopt;
}

void Waits::finish(Wait& w, uint32_t status, const char* reason, const KernelObject* by, uint32_t actor_tid) {
  GuestThread* t = k_.sched().find(w.tid);
  for (KernelObject* o : w.objects) std::erase(o->waiters, &w);
  k_.sched().events().cancel(w.deadline_event);  // no-op when it is the deadline that fired
  bool timeout = status == kStatusTimeout || (w.delay && std::string_view(reason) == "timeout");
  k_.trace().emit("wake.requested", k_.where(actor_tid),
                  Json{{"target_tid", w.tid}, {"reason", reason}, {"handle", by ? Json(by->label()) : Json(nullptr)}});
  if (GuestThread* a = k_.sched().find(actor_tid)) ++a->events;
  Json index = (timeout || w.delay) ? Json(nullptr) : Json(status & 0x3F);
  EventWhere at = k_.where(w.tid);
  if (t) {
    ++t->events;
    t->ctx->gpr[3] = status;
    k_.sched().make_ready(*t);
    at.guest_cycle = t->ready_cycle;  // the moment the wait ended: never before it began
  }
  k_.trace().emit("wait.end", at, Json{{"status", hex32(status)}, {"index", index}});
  waits_.erase(w.tid);  // invalidates w
}

std::vector<uint32_t> Waits::signal(KernelObject& o, uint32_t actor_tid) {
  std::vector<uint32_t> woken;
  // Walk a snapshot in wait order; each satisfied wait leaves every list it was on.
  std::vector<Wait*> order = o.waiters;
  for (Wait* w : order) {
    if (!is_signaled(o, w->tid)) continue;
    if (std::find(o.waiters.begin(), o.waiters.end(), w) == o.waiters.end()) continue;
    uint32_t status;
    if (!try_satisfy(*w, status)) continue;
    uint32_t tid = w->tid;
    finish(*w, status, "signal", &o, actor_tid);
    woken.push_back(tid);
  }
  return woken;
}

void Waits::on_event(uint64_t tid, uint64_t) {
  Wait& w = waits_.at(uint32_t(tid));
  finish(w, w.delay ? kStatusSuccess : kStatusTimeout, "timeout", nullptr, w.tid);
}

const Wait* Waits::wait_of(uint32_t tid) const {
  auto it = waits_.find(tid);
  return it == waits_.end() ? nullptr : &it->second;
}

}  // namespace hexad::kernel
