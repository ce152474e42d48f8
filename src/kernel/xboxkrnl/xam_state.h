// What XAM keeps for a title (exports/xam.cc acts on it): the default profile, notification
// listeners and their queues, the scripted controllers, message boxes waiting for their answer,
// and how the title left (XamLoaderTerminateTitle / XamLoaderLaunchTitle). Facts from xenia's
// sources (src/xenia/kernel/xam/*.cc, kernel_state.cc), cited where used. docs/xam.md describes
// the behaviour a title sees.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cpu/sched/event_queue.h"
#include "kernel/xboxkrnl/input_script.h"
#include "kernel/xboxkrnl/objects.h"
#include "loader/xex/xex_loader.h"

namespace hexad::cpu::sched {
struct GuestThread;
}

namespace hexad::kernel {

class Kernel;

// The one profile hexad signs in: user 0, signed in locally, with xenia's default profile
// identity (xenia src/xenia/kernel/xam/user_profile.cc: xuid 0xB13EBABEBABEBABE, name "User").
// Users 1-3 are not signed in.
constexpr uint32_t kSignedInUser = 0;
constexpr uint64_t kDefaultXuid = 0xB13EBABEBABEBABEull;
constexpr const char* kDefaultGamertag = "User";
constexpr uint32_t kSigninStateLocal = 1;  // eXUserSigninState_SignedInLocally

// Notification ids (xenia kernel_state.cc RegisterNotifyListener; xbox.h kXNotification*).
constexpr uint32_t kXnSysUi = 0x00000009;             // XN_SYS_UI: param 1 = system UI shown, 0 = hidden
constexpr uint32_t kXnSysSigninChanged = 0x0000000A;  // XN_SYS_SIGNINCHANGED: param = signed-in users mask
constexpr uint64_t kXNotifySystem = 0x1;              // XNOTIFY_SYSTEM area bit of a listener's mask

// XAM_OVERLAPPED (xenia src/xenia/xbox.h): result, length, context, event, completion_routine,
// completion_context, extended_error — seven big-endian words.
constexpr uint32_t kOverlappedSize = 0x1C;

// A message box answers this long (guest time) after XamShowMessageBoxUI.
constexpr uint64_t kMessageBoxAnswerNs = 100'000'000;  // 100 ms

struct Notification {
  uint32_t id = 0;
  uint32_t param = 0;
};

struct LoaderExit {
  std::string call;                   // "XamLoaderTerminateTitle" or "XamLoaderLaunchTitle"
  std::optional<std::string> target;  // launch path; nullopt: terminate, or launch NULL (dashboard)
  uint32_t flags = 0;
  uint32_t tid = 0;
  uint64_t guest_time_ns = 0;
};

// XamShowMessageBoxUI called with an XOVERLAPPED: answered at a guest time.
struct PendingMessageBox {
  uint32_t tid = 0;            // who asked
  uint32_t button = 0;         // the answer (its active_button)
  uint32_t result_addr = 0;    // where the answer goes (MESSAGEBOX_RESULT / DWORD*)
  uint32_t overlapped_addr = 0;
  uint64_t asked_ns = 0, answer_ns = 0;
  bool answered = false;
};

// An enumerator (XamContentCreateEnumerator and the like; exports/xam_enum.cc): a fixed list of
// items, each `item_size` bytes in the guest's layout, handed out `per_call` at a time by XamEnumerate.
struct Enumerator {
  KernelObject* object = nullptr;
  const char* created_by = "";
  uint32_t item_size = 0;
  uint32_t per_call = 0;
  std::vector<uint8_t> items;  // item_count() x item_size bytes
  uint32_t next = 0;           // the first item not handed out yet
  uint32_t item_count() const { return item_size ? uint32_t(items.size() / item_size) : 0; }
};

class XamState : public cpu::sched::EventClient {
 public:
  explicit XamState(Kernel& k) : k_(k) {}

  void configure_input(InputScript script) { input_ = std::move(script); }
  const InputScript& input() const { return input_; }
  void set_execution_info(const std::optional<loader::XexExecutionInfo>& info) { execution_ = info; }
  // The guest address of the title's XEX_EXECUTION_ID copy (made on first use), 0 when the
  // image has none or the kernel arena is full.
  uint32_t execution_id_addr();

  // A listener for the areas in `mask`, behind a new handle (nullptr: the kernel arena is full).
  // The first listener with the system area gets the boot notifications.
  KernelObject* create_listener(uint64_t mask);
  bool is_listener(const KernelObject& o) const { return listeners_.count(o.id) != 0; }
  // The first queued notification (with id `match_id` when it is not 0), removed from the queue.
  std::optional<Notification> next_notification(KernelObject& listener, uint32_t match_id);
  // Queues a notification on every open listener of the system area; waiters on them wake.
  void broadcast_system(Notification n, cpu::sched::GuestThread& actor, const char* by);

  // XamShowMessageBoxUI with an XOVERLAPPED: its answer is written at now + kMessageBoxAnswerNs.
  void schedule_answer(PendingMessageBox box);
  void on_event(uint64_t payload, uint64_t now) override;

  // xenia KernelState::CompleteOverlappedEx: result, extended error and length into the
  // XOVERLAPPED at `addr` (which the caller made sure is writable), then its event handle, if
  // any and if it is an event, is set by `actor` through `by`.
  void complete_overlapped(uint32_t addr, uint32_t result, uint32_t extended, uint32_t length,
                           cpu::sched::GuestThread& actor, const char* by);

  void record_loader_exit(LoaderExit e) { loader_exit_ = std::move(e); }

  // A new enumerator behind a new handle (an object of type xam.enumerator); nullptr: the kernel
  // arena is full.
  KernelObject* create_enumerator(const char* by, uint32_t item_size, uint32_t per_call, std::vector<uint8_t> items);
  // The enumerator `o` is, or nullptr.
  Enumerator* enumerator(const KernelObject& o);

  // The dump's "xam" block; null when the title used none of it (dumps of other titles are unchanged).
  nlohmann::ordered_json dump_json() const;

 private:
  struct Listener {
    KernelObject* object = nullptr;
    uint64_t mask = 0;
    std::deque<Notification> queue;
    uint64_t delivered = 0;
  };
  void enqueue(Listener& l, Notification n);
  void complete(PendingMessageBox& box);

  Kernel& k_;
  InputScript input_;
  std::optional<loader::XexExecutionInfo> execution_;
  uint32_t execution_addr_ = 0;
  bool boot_notified_ = false;
  std::map<uint32_t, Listener> listeners_;  // by object id: creation order
  std::vector<PendingMessageBox> boxes_;    // every asynchronous message box, in call order
  std::map<uint32_t, Enumerator> enumerators_;  // by object id: creation order
  std::optional<LoaderExit> loader_exit_;
};

}  // namespace hexad::kernel
