// Kernel dispatcher objects (HLE): events, semaphores, threads, mutants. Objects created by Nt*
// calls live behind handles; objects the guest keeps in its own memory (Ke* calls on a KEVENT)
// are keyed by their guest address, their state mirrored into the guest's DISPATCHER_HEADER.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cpu/sched/event_queue.h"

namespace hexad::cpu {
class Memory;
}

namespace hexad::kernel {

// NTSTATUS values used by the slice.
enum : uint32_t {
  kStatusSuccess = 0x00000000,
  kStatusWait0 = 0x00000000,
  kStatusAbandonedWait0 = 0x00000080,
  kStatusTimeout = 0x00000102,
  kStatusPending = 0x00000103,
  kStatusNotImplemented = 0xC0000002,
  kStatusInvalidHandle = 0xC0000008,
  kStatusInvalidParameter = 0xC000000D,
  kStatusNoMemory = 0xC0000017,
  kStatusInsufficientResources = 0xC000009A,
  kStatusObjectTypeMismatch = 0xC0000024,
  kStatusInvalidParameterMix = 0xC0000030,
  kStatusMutantNotOwned = 0xC0000046,
  kStatusSemaphoreLimitExceeded = 0xC0000047,
  kStatusUnsuccessful = 0xC0000001,
  kStatusUserApc = 0x000000C0,  // an alertable wait ended to deliver user APCs
};

// DISPATCHER_HEADER: Type, Absolute, Size, Inserted, SignalState, WaitListHead (16 bytes).
constexpr uint32_t kDispatcherHeaderSize = 16;
// OBJECT_ATTRIBUTES on the console: RootDirectory, ObjectName, Attributes (12 bytes).
constexpr uint32_t kObjectAttributesSize = 12;

// DISPATCHER_HEADER.Type values.
enum class ObjectType : uint8_t {
  NotificationEvent = 0,
  SynchronizationEvent = 1,
  Mutant = 2,
  Semaphore = 5,
  Thread = 6,
  NotificationTimer = 8,    // DISPATCHER_MANUAL_RESET_TIMER (xenia's xtypes / xboxkrnl_threading.cc)
  SynchronizationTimer = 9, // DISPATCHER_AUTO_RESET_TIMER
};
const char* object_type_name(ObjectType t);

struct Wait;
class ObjectClass;

struct KernelObject {
  uint32_t id = 0;             // creation order, for stable ordering
  ObjectType type{};
  uint32_t handle = 0;         // 0 when only known by guest address
  uint32_t guest_addr = 0;     // 0 when the object has no guest header
  int32_t signal_state = 0;    // event: 0/1; semaphore: count; mutant: 1 free, <=0 owned
  int32_t limit = 0;           // semaphore maximum
  uint32_t owner_tid = 0;      // mutant owner, thread object: its tid
  bool abandoned = false;
  std::vector<Wait*> waiters;  // in wait order
  std::vector<uint32_t> signalers;  // tids that ever signaled it, first-signal order
  uint32_t handle_refs = 0;
  // Its identity across engine iterations (handles shift, keys do not): see Kernel::name_object.
  std::string key;
  // Timers (kernel/xboxkrnl/timers.h): armed while `timer_event` is pending on the scheduler's queue.
  struct TimerState {
    cpu::sched::EventId event;
    uint64_t due_cycle = 0;
    uint32_t period_ms = 0;
    uint32_t dpc = 0;          // guest KDPC queued at each expiry, 0 = none
    uint32_t setter_tid = 0;   // the thread that set it: its slot runs the DPC, it gets the APC
    uint8_t setter_slot = 0;
    uint32_t apc_routine = 0;  // NtSetTimerEx's completion routine (a user APC to the setter)
    uint32_t apc_context = 0;
    uint64_t fires = 0;
  } timer;

  bool is_event() const { return type == ObjectType::NotificationEvent || type == ObjectType::SynchronizationEvent; }
  bool is_timer() const { return type == ObjectType::NotificationTimer || type == ObjectType::SynchronizationTimer; }
  // Its type's semantics (kernel/xboxkrnl/object_classes.h).
  const ObjectClass& cls() const;
  // How the trace and the dump name it: its handle if it has one, else its guest address.
  uint32_t label() const { return handle ? handle : guest_addr; }
  void note_signaler(uint32_t tid);
};

class ObjectTable {
 public:
  explicit ObjectTable(cpu::Memory& mem) : mem_(mem) {}

  KernelObject& create(ObjectType type, bool with_handle);
  // By handle; nullptr when unknown or closed.
  KernelObject* by_handle(uint32_t handle);
  // The object whose DISPATCHER_HEADER is at `addr`, created from the guest header on first use
  // (nullptr when the header's type is not a supported dispatcher type or memory is unmapped).
  KernelObject* by_address(uint32_t addr);
  // Handle value (0xF8xxxxxx) or guest pointer, as Ke*Thread calls accept either.
  KernelObject* by_handle_or_address(uint32_t v);
  bool close(uint32_t handle);

  // Writes SignalState (and Type/Size on init) back to the guest header, if the object has one.
  void mirror(const KernelObject& o);
  void init_guest_header(KernelObject& o);

  const std::map<uint32_t, std::unique_ptr<KernelObject>>& all() const { return objects_; }

 private:
  cpu::Memory& mem_;
  std::map<uint32_t, std::unique_ptr<KernelObject>> objects_;  // by id
  // Open handles, indexed by handle_slot(): handles are allocated in order, so the table is dense.
  std::vector<KernelObject*> handles_;
  static constexpr uint32_t kFirstHandle = 0xF8000004;
  static std::optional<size_t> handle_slot(uint32_t handle);
  std::map<uint32_t, KernelObject*> addresses_;
  uint32_t next_id_ = 1;
  uint32_t next_handle_ = kFirstHandle;
};

}  // namespace hexad::kernel
