#include "kernel/xboxkrnl/objects.h"

#include "cpu/memory.h"

namespace hexad::kernel {

void KernelObject::note_signaler(uint32_t tid) {
  for (uint32_t t : signalers)
    if (t == tid) return;
  signalers.push_back(tid);
}

KernelObject& ObjectTable::create(ObjectType type, bool with_handle) {
  auto o = std::make_unique<KernelObject>();
  o->id = next_id_++;
  o->type = type;
  if (with_handle) {
    o->handle = next_handle_;
    next_handle_ += 4;
    o->handle_refs = 1;
    handles_.push_back(o.get());  // at handle_slot(o->handle)
  }
  KernelObject& ref = *o;
  objects_[ref.id] = std::move(o);
  return ref;
}

std::optional<size_t> ObjectTable::handle_slot(uint32_t handle) {
  if (handle < kFirstHandle || handle % 4) return std::nullopt;
  return size_t(handle - kFirstHandle) / 4;
}

KernelObject* ObjectTable::by_handle(uint32_t handle) {
  std::optional<size_t> i = handle_slot(handle);
  return i && *i < handles_.size() ? handles_[*i] : nullptr;
}

KernelObject* ObjectTable::by_address(uint32_t addr) {
  if (addr == 0) return nullptr;
  auto it = addresses_.find(addr);
  if (it != addresses_.end()) return it->second;
  if (!mem_.accessible(addr, 16, cpu::kProtRead)) return nullptr;
  uint8_t type = mem_.read8(addr);
  ObjectType t;
  switch (type) {
    case 0: t = ObjectType::NotificationEvent; break;
    case 1: t = ObjectType::SynchronizationEvent; break;
    case 2: t = ObjectType::Mutant; break;
    case 5: t = ObjectType::Semaphore; break;
    case 8: t = ObjectType::NotificationTimer; break;
    case 9: t = ObjectType::SynchronizationTimer; break;
    default: return nullptr;
  }
  KernelObject& o = create(t, false);
  o.guest_addr = addr;
  o.signal_state = int32_t(mem_.read32(addr + 4));
  if (t == ObjectType::Semaphore) o.limit = int32_t(mem_.read32(addr + 16));  // KSEMAPHORE.Limit
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
  // The object stays alive while threads wait on it (as NT keeps a reference per wait).
  handles_[*i] = nullptr;
  return true;
}

void ObjectTable::init_guest_header(KernelObject& o) {
  addresses_[o.guest_addr] = &o;
  mem_.write8(o.guest_addr, uint8_t(o.type));
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
  if (!o.guest_addr) return;
  if (mem_.accessible(o.guest_addr + 4, 4, cpu::kProtWrite)) mem_.write32(o.guest_addr + 4, uint32_t(o.signal_state));
}

}  // namespace hexad::kernel
