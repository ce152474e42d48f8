#include "kernel/xboxkrnl/xam_state.h"

#include <fmt/format.h>

#include "kernel/xboxkrnl/exit_dump.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {

using Json = nlohmann::ordered_json;

namespace {
// XAM_OVERLAPPED (xenia src/xenia/xbox.h): result, length, context, event, completion_routine,
// completion_context, extended_error — seven big-endian words.
constexpr uint32_t kOverlappedResult = 0x00, kOverlappedLength = 0x04, kOverlappedEvent = 0x0C,
                   kOverlappedExtendedError = 0x18;
constexpr uint32_t kErrorSuccess = 0;
// XEX_EXECUTION_ID: the XEX optional header 0x00040006 (xenia xex2_info.h xex2_opt_execution_info).
constexpr uint32_t kExecutionIdSize = 0x18;
}  // namespace

uint32_t XamState::execution_id_addr() {
  if (execution_addr_ || !execution_) return execution_addr_;
  const uint32_t a = k_.alloc_object_header(kExecutionIdSize);
  if (!a) return 0;
  cpu::Memory& m = k_.mem();
  m.write32(a + 0x00, execution_->media_id);
  m.write32(a + 0x04, execution_->version.raw);
  m.write32(a + 0x08, execution_->base_version.raw);
  m.write32(a + 0x0C, execution_->title_id);
  m.write8(a + 0x10, execution_->platform);
  m.write8(a + 0x11, execution_->executable_table);
  m.write8(a + 0x12, execution_->disc_number);
  m.write8(a + 0x13, execution_->disc_count);
  m.write32(a + 0x14, execution_->savegame_id);
  execution_addr_ = a;
  return a;
}

KernelObject* XamState::create_listener(uint64_t mask) {
  // A listener is a kernel object: it takes its room in the kernel arena like any other, so a
  // title that creates them without end runs out (0) instead of growing hexad without bound.
  if (!k_.alloc_object_header()) return nullptr;
  KernelObject& o = k_.objects().create(ObjectType::NotifyListener, true);
  k_.name_object(o, "XamNotifyCreateListener");
  Listener& l = listeners_[o.id];
  l.object = &o;
  l.mask = mask;
  // xenia kernel_state.cc RegisterNotifyListener: the first listener of the system area gets
  // XN_SYS_UI (1, then 0) and XN_SYS_SIGNINCHANGED twice (param 1: user 0 signed in), at once.
  if (!boot_notified_ && (mask & kXNotifySystem)) {
    boot_notified_ = true;
    for (Notification n : {Notification{kXnSysUi, 1}, Notification{kXnSysUi, 0},
                           Notification{kXnSysSigninChanged, 1u << kSignedInUser},
                           Notification{kXnSysSigninChanged, 1u << kSignedInUser}})
      enqueue(l, n);
  }
  return &o;
}

KernelObject* XamState::create_enumerator(const char* by, uint32_t item_size, uint32_t per_call,
                                          std::vector<uint8_t> items) {
  if (!k_.alloc_object_header()) return nullptr;  // its room in the kernel arena, as a listener's
  KernelObject& o = k_.objects().create(ObjectType::Enumerator, true);
  k_.name_object(o, by);
  Enumerator& e = enumerators_[o.id];
  e.object = &o;
  e.created_by = by;
  e.item_size = item_size;
  e.per_call = per_call;
  e.items = std::move(items);
  return &o;
}

Enumerator* XamState::enumerator(const KernelObject& o) {
  auto it = enumerators_.find(o.id);
  return it == enumerators_.end() ? nullptr : &it->second;
}

void XamState::enqueue(Listener& l, Notification n) {
  l.queue.push_back(n);
  l.object->signal_state = int32_t(l.queue.size());
}

std::optional<Notification> XamState::next_notification(KernelObject& listener, uint32_t match_id) {
  auto it = listeners_.find(listener.id);
  if (it == listeners_.end()) return std::nullopt;
  Listener& l = it->second;
  for (auto q = l.queue.begin(); q != l.queue.end(); ++q) {
    if (match_id && q->id != match_id) continue;
    Notification n = *q;
    l.queue.erase(q);
    l.object->signal_state = int32_t(l.queue.size());
    ++l.delivered;
    return n;
  }
  return std::nullopt;
}

void XamState::broadcast_system(Notification n, cpu::sched::GuestThread& actor, const char* by) {
  for (auto& [id, l] : listeners_) {
    // A closed listener hears nothing more (xenia unregisters it when its handle goes).
    if (!(l.mask & kXNotifySystem) || k_.objects().by_handle(l.object->handle) != l.object) continue;
    enqueue(l, n);
    k_.signal(*l.object, actor, by);
  }
}

void XamState::schedule_answer(PendingMessageBox box) {
  const uint64_t when = k_.now_cycle() + Kernel::ns_to_cycles(kMessageBoxAnswerNs);
  box.asked_ns = Kernel::cycles_to_ns(k_.now_cycle());
  box.answer_ns = Kernel::cycles_to_ns(when);
  boxes_.push_back(box);
  k_.sched().events().schedule(when, *this, boxes_.size() - 1);
}

void XamState::on_event(uint64_t payload, uint64_t) {
  if (payload < boxes_.size()) complete(boxes_[payload]);
}

// The answer goes to the result pointer first (xenia's MessageBoxDialog close callback), then
// the XOVERLAPPED completes. A completion routine (an APC) is not modelled (docs/xam.md).
void XamState::complete(PendingMessageBox& box) {
  box.answered = true;
  cpu::sched::GuestThread* asker = k_.sched().find(box.tid);
  if (!asker) return;  // unreachable: threads are never deleted
  broadcast_system({kXnSysUi, 0}, *asker, "XamShowMessageBoxUI");  // the box closes
  // The title may have unmapped or protected these since the call: the answer is then lost,
  // as a write to a bad address would be, but never crashes hexad.
  cpu::Memory& m = k_.mem();
  if (m.accessible(box.result_addr, 4, cpu::kProtWrite)) m.write32(box.result_addr, box.button);
  if (m.accessible(box.overlapped_addr, kOverlappedSize, cpu::kProtWrite))
    complete_overlapped(box.overlapped_addr, kErrorSuccess, kErrorSuccess, 0, *asker, "XamShowMessageBoxUI");
}

void XamState::complete_overlapped(uint32_t addr, uint32_t result, uint32_t extended, uint32_t length,
                                   cpu::sched::GuestThread& actor, const char* by) {
  cpu::Memory& m = k_.mem();
  m.write32(addr + kOverlappedResult, result);
  m.write32(addr + kOverlappedExtendedError, extended);
  m.write32(addr + kOverlappedLength, length);
  const uint32_t event = m.read32(addr + kOverlappedEvent);
  if (KernelObject* o = event ? k_.objects().by_handle(event) : nullptr; o && o->is_event()) {
    o->signal_state = 1;
    k_.signal(*o, actor, by);
  }
}

Json XamState::dump_json() const {
  if (listeners_.empty() && boxes_.empty() && !loader_exit_ && input_.empty() && enumerators_.empty()) return nullptr;
  Json j = Json::object();
  Json listeners = Json::array();
  for (const auto& [id, l] : listeners_) {
    Json queued = Json::array();
    for (const Notification& n : l.queue) queued.push_back(Json{{"id", hex32(n.id)}, {"param", hex32(n.param)}});
    listeners.push_back(Json{{"handle", hex32(l.object->handle)},
                             {"key", l.object->key},
                             {"mask", fmt::format("0x{:016x}", l.mask)},
                             {"delivered", l.delivered},
                             {"queued", queued}});
  }
  j["listeners"] = listeners;
  Json boxes = Json::array();
  for (const PendingMessageBox& b : boxes_)
    boxes.push_back(Json{{"tid", b.tid},
                         {"button", b.button},
                         {"overlapped", hex32(b.overlapped_addr)},
                         {"asked_ns", b.asked_ns},
                         {"answer_ns", b.answer_ns},
                         {"answered", b.answered}});
  j["message_boxes"] = boxes;
  if (!enumerators_.empty()) {  // (absent otherwise: earlier titles' dumps are unchanged)
    Json enumerators = Json::array();
    for (const auto& [id, e] : enumerators_)
      enumerators.push_back(Json{{"handle", hex32(e.object->handle)},
                                 {"key", e.object->key},
                                 {"created_by", e.created_by},
                                 {"item_size", e.item_size},
                                 {"items_per_call", e.per_call},
                                 {"items", e.item_count()},
                                 {"handed_out", e.next}});
    j["enumerators"] = enumerators;
  }
  j["input_events"] = input_.size();
  if (loader_exit_) {
    Json l = Json::object();
    l["call"] = loader_exit_->call;
    if (loader_exit_->target) put_text(l, "target", *loader_exit_->target);
    else l["target"] = nullptr;
    l["flags"] = hex32(loader_exit_->flags);
    l["tid"] = loader_exit_->tid;
    l["guest_time_ns"] = loader_exit_->guest_time_ns;
    j["loader"] = l;
  }
  return j;
}

}  // namespace hexad::kernel
