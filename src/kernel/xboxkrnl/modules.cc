#include "kernel/xboxkrnl/modules.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "base/utf8.h"
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/ordinal_names.h"
#include "kernel/xboxkrnl/kernel.h"
#include "loader/xex/xex_format.h"

namespace hexad::kernel {
namespace {

constexpr uint32_t kThunkBytes = 16;  // lis r11; ori r11; sc; blr (Kernel::write_thunk)
// LDR_DATA_TABLE_ENTRY.Flags: an image the loader mapped (LDRP_IMAGE_DLL for DLLs).
constexpr uint32_t kLdrImageDll = 0x00000004;

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string without_extension(const std::string& file_name) {
  const size_t dot = file_name.rfind('.');
  return dot == std::string::npos ? file_name : file_name.substr(0, dot);
}

// The file name part of a guest path ("game:\sub\plugin.xex" -> "plugin.xex").
std::string file_name_of(const std::string& path) {
  const size_t cut = path.find_last_of("\\:");
  return cut == std::string::npos ? path : path.substr(cut + 1);
}

}  // namespace

bool Module::matches(std::string_view name) const {
  return equal_ignoring_case(name, file_name) || equal_ignoring_case(name, without_extension(file_name)) ||
         equal_ignoring_case(name, path);
}

Modules::Modules(Kernel& k, cpu::Memory& mem) : k_(k), mem_(mem), heap_(mem, kModuleArenaBase, kModuleArenaSize) {}

Module& Modules::add(std::unique_ptr<Module> m) {
  modules_.push_back(std::move(m));
  return *modules_.back();
}

uint32_t Modules::copy_headers(const std::vector<uint8_t>& header_bytes) {
  if (header_bytes.empty() || header_bytes.size() > kModuleArenaSize) return 0;
  const uint32_t at = heap_.alloc(uint32_t(header_bytes.size()), 16, cpu::kProtRW);
  if (at) mem_.write_bytes_raw(at, header_bytes.data(), header_bytes.size());
  return at;
}

void Modules::write_ldr(const Module& m) {
  const uint32_t e = m.ldr;
  // The load-order links point at the entry itself: hexad keeps the list host-side.
  for (uint32_t i = 0; i < 6; ++i) mem_.write32(e + kLdrInLoadOrderLinks + 4 * i, e + 8 * (i / 2));
  // xenia leaves DllBase 0 for XEX modules (user_module.cc: "GetProcAddress will read this").
  mem_.write32(e + kLdrDllBase, 0);
  mem_.write32(e + kLdrImageBase, m.base);
  mem_.write32(e + kLdrImageSize, m.size);
  mem_.write32(e + kLdrFlags, m.kernel || m.executable ? 0 : kLdrImageDll);
  mem_.write32(e + kLdrFullImageSize, m.size);
  mem_.write32(e + kLdrEntryPoint, m.entry);
  mem_.write16(e + kLdrLoadCount, m.load_count);
  mem_.write32(e + kLdrXexHeaderBase, m.xex_header);
}

void Modules::add_executable(const loader::XexImage& image, const std::string& file_name) {
  for (const char* name : {"xboxkrnl.exe", "xam.xex"}) {
    auto m = std::make_unique<Module>();
    m->file_name = m->path = name;
    m->kernel = true;
    m->ldr = heap_.alloc(kLdrEntrySize, 16, cpu::kProtRW);
    if (!m->ldr) fail("the module arena cannot hold the kernel modules' loader entries");
    write_ldr(*m);
    add(std::move(m));
  }
  Module* m = add_loaded(image, "game:\\" + file_name);
  if (!m) fail("the module arena cannot hold the title's {}-byte XEX headers", image.header_bytes.size());
  m->executable = true;
  write_ldr(*m);
  executable_ = m;
}

Module* Modules::add_loaded(const loader::XexImage& image, const std::string& path) {
  auto m = std::make_unique<Module>();
  m->path = path;
  m->file_name = file_name_of(path);
  m->base = image.base;
  m->size = image.image_size;
  m->entry = image.entry;
  m->dll = image.headers.module_flags & xex::kModuleDll;
  m->system_flags = image.headers.system_flags.value_or(0);
  m->resources = image.headers.resources;
  m->ldr = heap_.alloc(kLdrEntrySize, 16, cpu::kProtRW);
  // An image made in memory (unit tests) has no file headers: its entry says 0 for them.
  m->xex_header = m->ldr && !image.header_bytes.empty() ? copy_headers(image.header_bytes) : 0;
  if (!m->ldr || (!m->xex_header && !image.header_bytes.empty())) {
    if (m->ldr) heap_.free(m->ldr);
    return nullptr;
  }
  write_ldr(*m);
  return &add(std::move(m));
}

Module* Modules::find(std::string_view name) {
  if (name.empty()) return executable_;
  if (equal_ignoring_case(name, "kernel32.dll")) return nullptr;  // xenia: "some games request this"
  // The console launches a disc title as game:\default.xex: the executable answers to that too.
  if (executable_ && (equal_ignoring_case(name, "default.xex") || equal_ignoring_case(name, "game:\\default.xex")))
    return executable_;
  for (const auto& m : modules_)
    if (m->matches(name)) return m.get();
  return nullptr;
}

Module* Modules::by_hmodule(uint32_t hmodule) {
  for (const auto& m : modules_)
    if (m->ldr == hmodule) return m.get();
  return nullptr;
}

uint32_t Modules::procedure_thunk(const Module& m, uint16_t ordinal) {
  if (!m.kernel || !find_export(module_stem(m.file_name), ordinal)) return 0;
  const auto key = std::make_pair(m.file_name, ordinal);
  for (const auto& [k, addr] : thunks_)
    if (k == key) return addr;
  if (!thunk_page_ || thunk_next_ + kThunkBytes > cpu::Memory::kPageSize) {
    thunk_page_ = heap_.alloc(cpu::Memory::kPageSize, cpu::Memory::kPageSize, cpu::kProtRX);
    thunk_next_ = 0;
    if (!thunk_page_) return 0;
  }
  const uint32_t addr = thunk_page_ + thunk_next_;
  thunk_next_ += kThunkBytes;
  k_.bind_thunk(m.file_name, ordinal, addr);
  thunks_.push_back({key, addr});
  return addr;
}

void Modules::remove(Module& m) {
  mem_.decommit(m.base, m.size);
  if (m.xex_header) heap_.free(m.xex_header);
  heap_.free(m.ldr);
  std::erase_if(modules_, [&](const std::unique_ptr<Module>& p) { return p.get() == &m; });
}

nlohmann::json Modules::dump_json() const {
  nlohmann::json loaded = nlohmann::json::array(), notifications = nlohmann::json::array();
  for (const auto& m : modules_)
    if (!m->kernel && !m->executable)
      loaded.push_back({{"path", utf8_replaced(m->path)},  // the guest's bytes: U+FFFD where not UTF-8

                        {"hmodule", fmt::format("0x{:08x}", m->ldr)},
                        {"base", fmt::format("0x{:08x}", m->base)},
                        {"size", fmt::format("0x{:x}", m->size)},
                        {"entry", fmt::format("0x{:08x}", m->entry)},
                        {"load_count", m->load_count}});
  for (const TerminateNotification& n : notifications_)
    notifications.push_back({{"registration", fmt::format("0x{:08x}", n.registration)},
                             {"routine", fmt::format("0x{:08x}", n.routine)},
                             {"priority", n.priority}});
  nlohmann::json j = nlohmann::json::object();
  if (!loaded.empty()) j["loaded"] = loaded;
  if (!notifications.empty()) j["title_terminate_notifications"] = notifications;
  return j;
}

}  // namespace hexad::kernel
