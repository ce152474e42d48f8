#include "kernel/xboxkrnl/object_classes.h"

#include <fmt/format.h>

#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {

void SemaphoreClass::describe(const KernelObject& o, nlohmann::ordered_json& state) const {
  ObjectClass::describe(o, state);
  state["count"] = o.signal_state;
  state["max"] = o.limit;
}

void MutantClass::describe(const KernelObject& o, nlohmann::ordered_json& state) const {
  ObjectClass::describe(o, state);
  state["owner"] = o.owner_tid ? nlohmann::ordered_json(o.owner_tid) : nlohmann::ordered_json(nullptr);
  state["abandoned"] = o.abandoned;
}

namespace {
// A critical section or a spinlock: the state and the owner (null when free or unknown).
void describe_owned(const KernelObject& o, nlohmann::ordered_json& state) {
  state["signaled"] = o.signal_state > 0;
  state["owner"] = o.owner_tid ? nlohmann::ordered_json(o.owner_tid) : nlohmann::ordered_json(nullptr);
}
}  // namespace

void CriticalSectionClass::describe(const KernelObject& o, nlohmann::ordered_json& state) const {
  describe_owned(o, state);
}

void SpinLockClass::describe(const KernelObject& o, nlohmann::ordered_json& state) const { describe_owned(o, state); }

void TimerClass::describe(const KernelObject& o, nlohmann::ordered_json& state) const {
  ObjectClass::describe(o, state);
  const bool armed = bool(o.timer.event);
  state["due_ns"] = armed ? nlohmann::ordered_json(Kernel::cycles_to_ns(o.timer.due_cycle)) : nlohmann::ordered_json(nullptr);
  state["period_ms"] = o.timer.period_ms;
  state["dpc"] = fmt::format("0x{:08x}", o.timer.dpc);
  state["fires"] = o.timer.fires;
}

const ObjectClass& object_class(ObjectType t) {
  static constexpr NotificationEventClass kNotification;
  static constexpr SynchronizationEventClass kSynchronization;
  static constexpr SemaphoreClass kSemaphore;
  static constexpr MutantClass kMutant;
  static constexpr ThreadClass kThread;
  static constexpr CriticalSectionClass kCriticalSection;
  static constexpr SpinLockClass kSpinLock;
  static constexpr NotifyListenerClass kNotifyListener;
  static constexpr EnumeratorClass kEnumerator;
  static constexpr NotificationTimerClass kNotificationTimer;
  static constexpr SynchronizationTimerClass kSynchronizationTimer;
  switch (t) {
    case ObjectType::NotificationEvent: return kNotification;
    case ObjectType::SynchronizationEvent: return kSynchronization;
    case ObjectType::Mutant: return kMutant;
    case ObjectType::Semaphore: return kSemaphore;
    case ObjectType::Thread: return kThread;
    case ObjectType::CriticalSection: return kCriticalSection;
    case ObjectType::SpinLock: return kSpinLock;
    case ObjectType::NotifyListener: return kNotifyListener;
    case ObjectType::Enumerator: return kEnumerator;
    case ObjectType::NotificationTimer: return kNotificationTimer;
    case ObjectType::SynchronizationTimer: return kSynchronizationTimer;
  }
  return kNotification;  // unreachable: every ObjectType is listed
}

const char* object_type_name(ObjectType t) { return object_class(t).name(); }

}  // namespace hexad::kernel
