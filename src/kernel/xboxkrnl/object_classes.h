// What each dispatcher object type means to a wait: when it is signaled for a waiter, what a
// satisfied wait takes from it, and how the exit dump describes its state. One class per
// ObjectType; KernelObject::cls() finds it. The classes are stateless: the object's data stays
// in KernelObject (a KEVENT re-initialised with another type only changes its `type`).
#pragma once
#include <cstdint>

#include <nlohmann/json.hpp>

#include "kernel/xboxkrnl/objects.h"

namespace hexad::kernel {

class ObjectClass {
 public:
  // The type's name in the trace (object_type) and the dump (type).
  virtual const char* name() const = 0;
  virtual bool is_signaled(const KernelObject& o, uint32_t waiter_tid) const { return o.signal_state > 0; }
  // Takes what a satisfied wait of `waiter_tid` takes (called only when is_signaled). Returns
  // true when the wait acquired an abandoned mutant: its status is then STATUS_ABANDONED_WAIT_0 + i.
  virtual bool consume(KernelObject& o, uint32_t waiter_tid) const = 0;
  // The object's "state" in exit-thread-state.json (docs/exit-thread-state.md).
  virtual void describe(const KernelObject& o, nlohmann::ordered_json& state) const { state["signaled"] = o.signal_state > 0; }

 protected:
  ~ObjectClass() = default;
};

// Stays signaled until cleared: a wait takes nothing.
class NotificationEventClass final : public ObjectClass {
 public:
  const char* name() const override { return "event.notification"; }
  bool consume(KernelObject&, uint32_t) const override { return false; }
};

// Auto-reset: the first satisfied wait clears it.
class SynchronizationEventClass final : public ObjectClass {
 public:
  const char* name() const override { return "event.synchronization"; }
  bool consume(KernelObject& o, uint32_t) const override {
    o.signal_state = 0;
    return false;
  }
};

// A count: each satisfied wait takes one.
class SemaphoreClass final : public ObjectClass {
 public:
  const char* name() const override { return "semaphore"; }
  bool consume(KernelObject& o, uint32_t) const override {
    --o.signal_state;
    return false;
  }
  void describe(const KernelObject& o, nlohmann::ordered_json& state) const override;
};

// signal_state 1 = free, <= 0 = owned (recursively: 1 - depth). Signaled for everyone when
// free, and always for its owner (recursive acquisition). A wait takes ownership; acquiring an
// abandoned mutant (its owner exited holding it) is reported once, to that acquirer.
class MutantClass final : public ObjectClass {
 public:
  const char* name() const override { return "mutant"; }
  bool is_signaled(const KernelObject& o, uint32_t waiter_tid) const override {
    return o.signal_state > 0 || o.owner_tid == waiter_tid;
  }
  bool consume(KernelObject& o, uint32_t waiter_tid) const override {
    bool was_abandoned = o.abandoned;
    --o.signal_state;
    o.owner_tid = waiter_tid;
    o.abandoned = false;
    return was_abandoned;
  }
  void describe(const KernelObject& o, nlohmann::ordered_json& state) const override;
  // Its owner exited holding it: free, and the next acquirer is told.
  static void abandon(KernelObject& o) {
    o.signal_state = 1;
    o.owner_tid = 0;
    o.abandoned = true;
  }
};

// A lock released to its first waiter: no longer signaled, and the waiter is its owner.
inline bool hand_over(KernelObject& lock, uint32_t new_owner) {
  lock.signal_state = 0;
  lock.owner_tid = new_owner;
  return false;  // never abandoned
}

// RTL_CRITICAL_SECTION (exports/critical_sections.cc): its header is an auto-reset event that
// RtlLeaveCriticalSection sets when threads wait; the waiter it satisfies becomes the owner
// (owner_tid), which the export then writes into the section's OwningThread/RecursionCount.
// The section's counts live in guest memory; the object holds the header event and the owner.
class CriticalSectionClass final : public ObjectClass {
 public:
  const char* name() const override { return "critical_section"; }
  bool consume(KernelObject& o, uint32_t waiter_tid) const override { return hand_over(o, waiter_tid); }
  void describe(const KernelObject& o, nlohmann::ordered_json& state) const override;
};

// KSPINLOCK under contention (exports/spinlocks.cc): signaled when released; the waiter it
// satisfies becomes the holder (the export then writes the lock word and the holder's IRQL).
class SpinLockClass final : public ObjectClass {
 public:
  const char* name() const override { return "spinlock"; }
  bool consume(KernelObject& o, uint32_t waiter_tid) const override { return hand_over(o, waiter_tid); }
  void describe(const KernelObject& o, nlohmann::ordered_json& state) const override;
};

// Signaled once the thread has exited; waiting on it takes nothing.
class ThreadClass final : public ObjectClass {
 public:
  const char* name() const override { return "thread"; }
  bool consume(KernelObject&, uint32_t) const override { return false; }
};

// XAM's notification listener: signaled while notifications are queued (signal_state = how many);
// a wait takes none of them (XNotifyGetNext does), as xenia's XNotifyListener keeps its event set
// until the queue is empty.
class NotifyListenerClass final : public ObjectClass {
 public:
  const char* name() const override { return "xam.notify_listener"; }
  bool consume(KernelObject&, uint32_t) const override { return false; }
  void describe(const KernelObject& o, nlohmann::ordered_json& state) const override {
    ObjectClass::describe(o, state);
    state["queued"] = o.signal_state;
  }
};

// A XAM enumerator: not a dispatcher object on the console (xenia's XEnumerator has no header);
// a wait on its handle is never satisfied.
class EnumeratorClass final : public ObjectClass {
 public:
  const char* name() const override { return "xam.enumerator"; }
  bool consume(KernelObject&, uint32_t) const override { return false; }
};

// A timer (timers.h) is signaled when it expires. A notification timer stays signaled until it is
// set again; a synchronization timer is auto-reset: the first satisfied wait clears it. The dump
// shows when it is due (guest ns, null when not armed), its period and its DPC.
class TimerClass : public ObjectClass {
 public:
  void describe(const KernelObject& o, nlohmann::ordered_json& state) const override;

 protected:
  ~TimerClass() = default;
};
class NotificationTimerClass final : public TimerClass {
 public:
  const char* name() const override { return "timer.notification"; }
  bool consume(KernelObject&, uint32_t) const override { return false; }
};
class SynchronizationTimerClass final : public TimerClass {
 public:
  const char* name() const override { return "timer.synchronization"; }
  // Auto-reset exactly as a synchronization event (one path for the semantics).
  bool consume(KernelObject& o, uint32_t tid) const override { return SynchronizationEventClass{}.consume(o, tid); }
};

const ObjectClass& object_class(ObjectType t);
inline const ObjectClass& KernelObject::cls() const { return object_class(type); }

}  // namespace hexad::kernel
