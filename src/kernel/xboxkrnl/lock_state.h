// What a thread holds of the kernel's non-dispatcher locks: its IRQL, the spinlocks it holds
// (exports/spinlocks.cc) and its critical-region depth. Kept in its ThreadRecord, shown in the
// exit dump when not at rest, and checked when the thread blocks or its quantum ends: a
// spinlock held then is a hazard (on the console the processor spins or bugchecks).
#pragma once
#include <array>
#include <cstdint>

namespace hexad::kernel {

// IRQLs the console's kernel uses (KIRQL).
constexpr uint8_t kPassiveLevel = 0, kApcLevel = 1, kDispatchLevel = 2;

struct ThreadLockState {
  // A thread rarely nests spinlocks deeper than two; more is refused (the thread faults)
  // rather than stored in a growing list on this path.
  static constexpr uint32_t kMaxHeld = 8;
  uint8_t irql = kPassiveLevel;
  uint8_t held = 0;                            // spinlocks[0..held): their guest addresses, in order
  std::array<uint32_t, kMaxHeld> spinlocks{};
  int32_t critical_region = 0;                 // KeEnterCriticalRegion minus KeLeaveCriticalRegion
  uint64_t hazards = 0;                        // sync.hazard events of the thread
  // While it waits for a spinlock another thread holds: what its acquire returns once the lock
  // is handed to it (KfAcquireSpinLock: the IRQL before; 0 for KeAcquireSpinLockAtRaisedIrql).
  bool spin_waiting = false;
  uint8_t spin_result = 0;

  bool at_rest() const { return irql == kPassiveLevel && held == 0 && critical_region == 0 && hazards == 0; }
  void take(uint32_t lock) { spinlocks[held++] = lock; }
  bool holds(uint32_t lock) const {
    for (uint32_t i = 0; i < held; ++i)
      if (spinlocks[i] == lock) return true;
    return false;
  }
};

}  // namespace hexad::kernel
