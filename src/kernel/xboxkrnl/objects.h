// Kernel dispatcher objects (HLE): events, semaphores, threads, mutants. Objects created by Nt*
// calls live behind handles; objects the guest keeps in its own memory (Ke* calls on a KEVENT)
// are keyed by their guest address, their state mirrored into the guest's DISPATCHER_HEADER.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
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
  kStatusAbandoned = 0x00000080,  // NtReleaseMutant of an abandoned mutant the caller does not own
  kStatusObjectNameExists = 0x40000000,
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
  kStatusSuspendCountExceeded = 0xC000004A,
  kStatusThreadIsTerminating = 0xC000004B,
  kStatusKernelApc = 0x00000100,  // a wait interrupted by a kernel APC (never returned to a title)
  kStatusUnsuccessful = 0xC0000001,
  kStatusUserApc = 0x000000C0,  // an alertable wait ended to deliver user APCs
  kStatusAlerted = 0x00000101,  // an alertable wait of an alerted thread (KeAlertThread)
};

// DISPATCHER_HEADER: Type, Absolute, Size, Inserted, SignalState, WaitListHead (16 bytes).
constexpr uint32_t kDispatcherHeaderSize = 16;
// OBJECT_ATTRIBUTES on the console: RootDirectory, ObjectName, Attributes (12 bytes).
constexpr uint32_t kObjectAttributesSize = 12;
// ObjectName points at an ANSI_STRING: Length, MaximumLength (16 bits each), Buffer (8 bytes).
constexpr uint32_t kAnsiStringSize = 8;
// NtCurrentThread() and NtCurrentProcess(): xenia's ObjectTable::TranslateHandle maps the first
// to the calling thread's handle and the second to no object (xenia-canary
// src/xenia/kernel/util/object_table.cc).
constexpr uint32_t kCurrentThreadHandle = 0xFFFFFFFE;
constexpr uint32_t kCurrentProcessHandle = 0xFFFFFFFF;

// DISPATCHER_HEADER.Type values.
enum class ObjectType : uint8_t {
  NotificationEvent = 0,
  SynchronizationEvent = 1,
  Mutant = 2,
  Semaphore = 5,
  Thread = 6,
  // Not a console header type: an RTL_CRITICAL_SECTION, whose header on the console is a
  // synchronization event (Type 1, written as such); hexad gives it its own class so its owner
  // shows in the dump and the wedge map (exports/critical_sections.cc).
  CriticalSection = 0x81,
  // Not a header type either: a KSPINLOCK (one guest word) that threads wait on while another
  // holds it (exports/spinlocks.cc). It has no header in guest memory: nothing is mirrored.
  SpinLock = 0x82,
  // Not a DISPATCHER_HEADER type: XAM's notification listener (kernel/xboxkrnl/xam_state.h),
  // known only by its handle, never read from guest memory.
  NotifyListener = 0xF0,
  // Nor this: a XAM enumerator (xam_state.h), known only by its handle; never signaled.
  Enumerator = 0xF1,
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
  uint32_t handle_refs = 0;     // open handles to it, every value (NtDuplicateObject adds values)
  std::string name;             // OBJECT_ATTRIBUTES name given at creation ("" = unnamed)
  // Re-initialised (KeInitialize*) while threads waited on it: the header now belongs to a new
  // object and these waits can only time out, as NT's re-initialised wait list orphans them.
  bool orphaned = false;
  // References taken by pointer (ObReferenceObject, ObReferenceObjectByHandle,
  // ObLookupThreadByThreadId) and not yet dropped by ObDereferenceObject. Objects are never
  // freed, so this is bookkeeping the dump shows (a leak of references is visible), not a lifetime.
  uint32_t pointer_refs = 0;
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

  // A handle object takes the lowest free handle value (freed by NtClose), as the console's
  // object table reuses slots: deterministic, since the order of creates and closes is.
  KernelObject& create(ObjectType type, bool with_handle);
  // By handle; nullptr when unknown or closed. kCurrentThreadHandle is the calling thread's
  // object (set_current_thread).
  KernelObject* by_handle(uint32_t handle);
  void set_current_thread(KernelObject* thread_object) { current_thread_ = thread_object; }
  // Named objects (case-insensitive, as xenia's name table): nullptr when no open object has it.
  KernelObject* by_name(const std::string& name);
  void set_name(KernelObject& o, const std::string& name);
  // Names live in the console's pool: all names together may take kNameBytesLimit bytes, so a
  // hostile title cannot make hexad hold gigabytes of names (STATUS_INSUFFICIENT_RESOURCES).
  static constexpr size_t kNameBytesLimit = 16u << 20;
  bool name_fits(size_t length) const { return name_bytes_ + length <= kNameBytesLimit; }
  // Another open of its first handle (a named create finding an existing object).
  void add_handle_ref(KernelObject& o);
  // A KeInitialize* of the header at `addr`: the object to (re)initialise. An object already
  // there without waiters is reused (same key); one with waiters is orphaned (they stay blocked
  // until their timeouts, as on NT) and a new object takes the header. nullptr: none yet.
  KernelObject* reinitialise_at(uint32_t addr);
  // How many objects reinitialise_at orphaned at `addr`.
  uint32_t orphans_at(uint32_t addr) const {
    auto it = orphans_.find(addr);
    return it == orphans_.end() ? 0 : it->second;
  }
  // The object whose DISPATCHER_HEADER is at `addr`, created from the guest header on first use
  // and, for a header the guest owns, re-read at every use (nullptr when the header's type is not
  // a supported dispatcher type or memory is unmapped).
  KernelObject* by_address(uint32_t addr);
  // Handle value (0xF8xxxxxx) or guest pointer, as Ke*Thread calls accept either.
  KernelObject* by_handle_or_address(uint32_t v);
  // Drops one open of `handle`; the value is free again (and the name forgotten) after the last.
  bool close(uint32_t handle);
  // Another handle to `o` (NtDuplicateObject, ObOpenObjectByPointer). `o.handle` stays the first
  // one (0 for an object known by guest address), so the trace and the dump keep its name.
  uint32_t add_handle(KernelObject& o);
 private:
  uint32_t take_slot(KernelObject& o);  // the lowest free handle value, now `o`'s, one open
 public:

  // Writes SignalState (and Type/Size on init) back to the guest header, if the object has one.
  void mirror(const KernelObject& o);
  void init_guest_header(KernelObject& o);
  // Registers `o` at its guest_addr without touching guest memory (an object first seen in a
  // structure the title laid out itself, e.g. a critical section it never initialised).
  void bind_address(KernelObject& o) { addresses_[o.guest_addr] = &o; }

  const std::map<uint32_t, std::unique_ptr<KernelObject>>& all() const { return objects_; }

 private:
  cpu::Memory& mem_;
  std::map<uint32_t, std::unique_ptr<KernelObject>> objects_;  // by id
  // Open handles, indexed by handle_slot(); nullptr = free. free_slots_ holds the free slots
  // below handles_.size(), lowest first.
  std::vector<KernelObject*> handles_;
  std::vector<uint32_t> slot_refs_;  // opens of each handle value (a named create re-opens one)
  std::set<size_t> free_slots_;
  static constexpr uint32_t kFirstHandle = 0xF8000004;
  static std::optional<size_t> handle_slot(uint32_t handle);
  // The dispatcher type in the header's Type byte (nullopt: not one hexad models).
  std::optional<ObjectType> header_type(uint32_t addr) const;
  // SignalState (and a semaphore's Limit) from the object's guest header.
  void read_header(KernelObject& o) const;
  std::map<uint32_t, KernelObject*> addresses_;
  std::map<std::string, KernelObject*> names_;  // by lower-cased name
  std::map<uint32_t, uint32_t> orphans_;         // orphaned objects per header address
  KernelObject* current_thread_ = nullptr;
  size_t name_bytes_ = 0;  // of the names in names_
  uint32_t next_id_ = 1;
};

}  // namespace hexad::kernel
