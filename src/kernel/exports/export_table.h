// Exports are dispatched by (module, ordinal) from data tables, one per area (threads, sync,
// misc). A handler reads its arguments from r3.., and either returns a value, or leaves the
// thread Blocked (a wait) with r3 to be written when it wakes.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "cpu/sched/guest_thread.h"

namespace hexad::kernel {

class Kernel;

class ExportCall {
 public:
  ExportCall(Kernel& k, cpu::sched::GuestThread& t, const char* name) : k(k), t(t), name(name) {}
  Kernel& k;
  cpu::sched::GuestThread& t;
  const char* name;

  uint32_t arg(int i) const { return uint32_t(t.ctx->gpr[3 + i]); }
  void ret(uint64_t v) { result = v; }
  // For wait-like calls: the status if the call completed, nothing if the thread blocked.
  void ret_or_block(std::optional<uint32_t> status) {
    if (status) result = *status;
  }
  std::optional<uint64_t> result;
};

using ExportFn = void (*)(ExportCall&);

struct ExportEntry {
  const char* module;  // module stem: "xboxkrnl" or "xam"
  uint16_t ordinal;
  const char* name;
  uint8_t argc;        // arguments shown in the trace's import.call
  ExportFn fn;
};

std::span<const ExportEntry> thread_exports();
std::span<const ExportEntry> sync_exports();
std::span<const ExportEntry> misc_exports();

// nullptr when hexad does not implement it.
const ExportEntry* find_export(const std::string& module_stem, uint16_t ordinal);

}  // namespace hexad::kernel
