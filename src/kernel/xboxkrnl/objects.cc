#include "kernel/xboxkrnl/objects.h"

#include "cpu/memory.h"

namespace hexad::kernel {
namespace {

std::string lower_case(const std::string& s) {
  std::string l = s;
  for (char& c : l)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return l;
}

}  // namespace

void KernelObject::note_signaler(uint32_t tid) {
  for (uint32_t t : signalers)
    if (t == tid) return;
  signalers.push_back(tid);
}

KernelObject& ObjectTable::create(ObjectType type, bool with_handle) {
  auto o = std::make_unique<KernelObject>();
  o->id = next_id_++;
  o->type = type;
  if (with_handle) o->handle = take_slot(*o);
  KernelObject& ref = *o;
  objects_[ref.id] = std::move(o);
  return ref;
}

uint32_t ObjectTable::take_slot(KernelObject& o) {
  size_t slot = handles_.size();
  if (!free_slots_.empty()) {
    slot = *free_slots_.begin();
    free_slots_.erase(free_slots_.begin());
    handles_[slot] = &o;
    slot_refs_[slot] = 1;
  } else {
    handles_.push_back(&o);
    slot_refs_.push_back(1);
  }
  ++o.handle_refs;
  return kFirstHandle + uint32_t(slot) * 4;
}

void ObjectTable::add_handle_ref(KernelObject& o) {
  ++o.handle_refs;
  if (std::optional<size_t> i = handle_slot(o.handle)) ++slot_refs_[*i];
}

std::optional<size_t> ObjectTable::handle_slot(uint32_t handle) {
  if (handle < kFirstHandle || handle % 4) return std::nullopt;
  return size_t(handle - kFirstHandle) / 4;
}

KernelObject* ObjectTable::by_handle(uint32_t handle) {
  if (handle == kCurrentThreadHandle) return current_thread_;
  std::optional<size_t> i = handle_slot(handle);
  return i && *i < handles_.size() ? handles_[*i] : nullptr;
}

std::optional<ObjectType> ObjectTable::header_type(uint32_t addr) const {
  switch (mem_.read8(addr)) {
    case 0: return ObjectType::NotificationEvent;
    case 1: return ObjectType::SynchronizationEvent;
    case 2: return ObjectType::Mutant;
    case 5: return ObjectType::Semaphore;
    case 8: return ObjectType::NotificationTimer;     // DISPATCHER_MANUAL_RESET_TIMER
    case 9: return ObjectType::SynchronizationTimer;  // DISPATCHER_AUTO_RESET_TIMER
    default: return std::nullopt;
  }
}

void ObjectTable::read_header(KernelObject& o) const {
  o.signal_state = int32_t(mem_.read32(o.guest_addr + 4));
  if (o.type == ObjectType::Semaphore) o.limit = int32_t(mem_.read32(o.guest_addr + 16));  // KSEMAPHORE.Limit
}

KernelObject* ObjectTable::by_address(uint32_t addr) {
  if (addr == 0) return nullptr;
  auto it = addresses_.find(addr);
  // Headers the kernel made (handle objects, threads) are its own: no need to re-read them.
  if (it != addresses_.end() && (it->second->handle || it->second->type == ObjectType::Thread)) return it->second;
  if (!mem_.accessible(addr, 16, cpu::kProtRead)) return nullptr;
  // A header the guest owns is re-read at every use, so guest writes to its DISPATCHER_HEADER
  // count from the next kernel call on it (docs/kernel-objects.md, "Re-initialising").
  std::optional<ObjectType> t = header_type(addr);
  if (it != addresses_.end()) {
    KernelObject& o = *it->second;
    if (t && *t == o.type) {
      read_header(o);
      return &o;
    }
    // Another type (or none) written over it: re-initialised by the guest, as a KeInitialize*
    // would (an object with waiters is orphaned; one without is retyped in place, keeping its key).
    KernelObject* kept = reinitialise_at(addr);
    if (!t) return nullptr;
    if (kept) {
      kept->type = *t;
      read_header(*kept);
      return kept;
    }
  }
  if (!t) return nullptr;
  KernelObject& o = create(*t, false);
  o.guest_addr = addr;
  read_header(o);
  addresses_[addr] = &o;
  return &o;
}

KernelObject* ObjectTable::by_handle_or_address(uint32_t v) {
  if (KernelObject* o = by_handle(v)) return o;
  auto it = addresses_.find(v);
  return it == addresses_.end() ? nullptr : it->second;
}

bool ObjectTable::close(uint32_t handle) {
  std::optional<size_t> i = handle_slot(handle);
  if (!i || *i >= handles_.size() || !handles_[*i]) return false;
  // The object stays alive while threads wait on it (as NT keeps a reference per wait). It
  // keeps its handle value as its label in the trace and the dump, even once the value is reused.
  KernelObject& o = *handles_[*i];
  --o.handle_refs;
  if (--slot_refs_[*i] > 0) return true;
  handles_[*i] = nullptr;
  free_slots_.insert(*i);
  // The name goes with the object's last handle, as xenia's RemoveHandle.
  if (o.handle_refs == 0 && !o.name.empty() && names_.erase(lower_case(o.name))) name_bytes_ -= o.name.size();
  return true;
}

KernelObject* ObjectTable::by_name(const std::string& name) {
  auto it = names_.find(lower_case(name));
  return it == names_.end() ? nullptr : it->second;
}

void ObjectTable::set_name(KernelObject& o, const std::string& name) {
  o.name = name;
  names_[lower_case(name)] = &o;
  name_bytes_ += name.size();
}

KernelObject* ObjectTable::reinitialise_at(uint32_t addr) {
  auto it = addresses_.find(addr);
  if (it == addresses_.end()) return nullptr;
  KernelObject* o = it->second;
  if (o->handle || o->type == ObjectType::Thread) return nullptr;  // a kernel-made header: a new object
  if (o->waiters.empty()) return o;
  o->orphaned = true;
  ++orphans_[addr];
  addresses_.erase(it);
  return nullptr;
}

uint32_t ObjectTable::add_handle(KernelObject& o) { return take_slot(o); }

void ObjectTable::init_guest_header(KernelObject& o) {
  addresses_[o.guest_addr] = &o;
  // A critical section's header is a synchronization event on the console.
  mem_.write8(o.guest_addr, uint8_t(o.type == ObjectType::CriticalSection ? ObjectType::SynchronizationEvent : o.type));
  mem_.write8(o.guest_addr + 1, 0);
  // Size in words: KSEMAPHORE 5, KTIMER 10 (0x28 bytes, xenia's X_KTIMER), the rest 4.
  mem_.write8(o.guest_addr + 2, uint8_t(o.type == ObjectType::Semaphore ? 5 : o.is_timer() ? 10 : 4));
  mem_.write8(o.guest_addr + 3, 0);
  // The wait list head points at itself when empty, as on NT.
  mem_.write32(o.guest_addr + 8, o.guest_addr + 8);
  mem_.write32(o.guest_addr + 12, o.guest_addr + 8);
  mirror(o);
}

void ObjectTable::mirror(const KernelObject& o) {
  // An orphan's header belongs to its successor; a spinlock has no header.
  if (!o.guest_addr || o.type == ObjectType::SpinLock || o.orphaned) return;
  if (mem_.accessible(o.guest_addr + 4, 4, cpu::kProtWrite)) mem_.write32(o.guest_addr + 4, uint32_t(o.signal_state));
}

}  // namespace hexad::kernel
