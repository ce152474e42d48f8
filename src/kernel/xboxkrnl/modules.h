// The loaded modules (HLE): the title's own XEX (the executable module), XEXes it loads with
// XexLoadImage, and the kernel modules xboxkrnl.exe and xam.xex. Each has its loader entry
// (LDR_DATA_TABLE_ENTRY, whose guest address is the HMODULE) in guest memory, and each XEX its
// headers copied to guest memory, as the console keeps them (xenia: src/xenia/kernel/xmodule.h,
// user_module.cc UserModule::LoadContinue). The PE headers are where the image maps them: at
// the module's base. exports/modules.cc is the guest ABI over this table.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cpu/memory.h"
#include "loader/xex/xex_loader.h"

namespace hexad::kernel {

class Kernel;

// Statuses of the module exports (xenia: src/xenia/xbox.h); kStatusUnsuccessful is objects.h's.
enum : uint32_t {
  kStatusConflictingAddresses = 0xC0000018,
  kStatusInvalidImageFormat = 0xC000007B,
  kStatusNotFound = 0xC0000225,
  kStatusDriverEntrypointNotFound = 0xC0000263,
  kErrorInvalidParameter = 0x00000057,  // Win32 errors, as XexGetModuleHandle/XexLoadImage return them
  kErrorNotFound = 0x00000490,
};

// Where the loader entries, header copies and procedure thunks live: kernel-owned guest memory
// of its own, so nothing else's addresses move when modules are added.
constexpr uint32_t kModuleArenaBase = 0x7F800000;
constexpr uint32_t kModuleArenaSize = 0x00800000;

// X_LDR_DATA_TABLE_ENTRY (xenia: src/xenia/kernel/xmodule.h), 0x64 bytes, big-endian.
constexpr uint32_t kLdrEntrySize = 0x64;
constexpr uint32_t kLdrInLoadOrderLinks = 0x00, kLdrDllBase = 0x18, kLdrImageBase = 0x1C, kLdrImageSize = 0x20,
                   kLdrFlags = 0x34, kLdrFullImageSize = 0x38, kLdrEntryPoint = 0x3C, kLdrLoadCount = 0x40,
                   kLdrCheckSum = 0x48, kLdrTimeDateStamp = 0x50, kLdrXexHeaderBase = 0x58;

struct Module {
  std::string file_name;  // "modules.xex", "xboxkrnl.exe": what XexGetModuleHandle matches
  std::string path;       // guest path it was loaded from ("game:\plugin.xex"); kernel modules: file_name
  bool kernel = false;    // xboxkrnl.exe or xam.xex
  bool executable = false;
  bool dll = false;  // XEX module flag 0x08 (xenia UserModule::is_dll_module): XexLoadImage calls DllMain
  uint32_t ldr = 0;         // guest LDR_DATA_TABLE_ENTRY: the HMODULE
  uint32_t xex_header = 0;  // guest copy of the XEX headers (0 for kernel modules)
  uint32_t base = 0, size = 0, entry = 0;
  uint32_t system_flags = 0;
  uint16_t load_count = 1;
  std::vector<loader::XexResource> resources;
  // XexGetModuleHandle's name matching (xenia XModule::Matches): case-insensitive, the file name,
  // the name without its extension, or the full path.
  bool matches(std::string_view name) const;
};

// A registration of ExRegisterTitleTerminateNotification: X_EX_TITLE_TERMINATE_REGISTRATION
// {routine, priority, LIST_ENTRY} (xenia: src/xenia/xbox.h).
struct TerminateNotification {
  uint32_t registration = 0;  // guest address of the record
  uint32_t routine = 0;
  int32_t priority = 0;
};

class Modules {
 public:
  Modules(Kernel& k, cpu::Memory& mem);

  // At start: the kernel modules, then the title (file_name: the image's file name as run).
  void add_executable(const loader::XexImage& image, const std::string& file_name);
  // A XEX loaded by XexLoadImage from guest path `path`; nullptr when the arena is full.
  Module* add_loaded(const loader::XexImage& image, const std::string& path);

  Module* executable() { return executable_; }
  // XexGetModuleHandle's lookup: "" is the executable; "kernel32.dll" is never found (xenia).
  Module* find(std::string_view name);
  Module* by_hmodule(uint32_t hmodule);
  // XexUnloadImage at load count 0: the module leaves the table, its loader entry and header
  // copy are freed and its image's pages decommitted (xenia KernelState::UnloadUserModule).
  void remove(Module& m);
  // A callable guest thunk for export `ordinal` of kernel module `m` (one per export, made on
  // first request); 0 when hexad does not implement that export.
  uint32_t procedure_thunk(const Module& m, uint16_t ordinal);

  std::vector<TerminateNotification>& terminate_notifications() { return notifications_; }
  const std::vector<std::unique_ptr<Module>>& all() const { return modules_; }
  // For the exit dump: the modules XexLoadImage loaded and the title-terminate notifications
  // registered; an empty object when there are none (a title that uses neither dumps as before).
  nlohmann::json dump_json() const;

 private:
  Module& add(std::unique_ptr<Module> m);
  uint32_t copy_headers(const std::vector<uint8_t>& header_bytes);
  void write_ldr(const Module& m);

  Kernel& k_;
  cpu::Memory& mem_;
  cpu::GuestHeap heap_;
  std::vector<std::unique_ptr<Module>> modules_;  // load order
  Module* executable_ = nullptr;
  std::vector<TerminateNotification> notifications_;
  std::vector<std::pair<std::pair<std::string, uint16_t>, uint32_t>> thunks_;  // (module, ordinal) -> address
  uint32_t thunk_page_ = 0, thunk_next_ = 0;
};

}  // namespace hexad::kernel
