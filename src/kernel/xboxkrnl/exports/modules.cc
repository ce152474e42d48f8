// Module exports: XexGetModuleHandle, XexGetModuleSection, XexGetProcedureAddress,
// XexCheckExecutablePrivilege, XexLoadImage, RtlImageXexHeaderField, RtlImageNtHeader,
// ExRegisterTitleTerminateNotification. The table of modules is kernel/xboxkrnl/modules.h; the
// semantics and statuses follow xenia's src/xenia/kernel/xboxkrnl/xboxkrnl_modules.cc,
// xboxkrnl_rtl.cc and user_module.cc (UserModule::GetSection, UserModule::GetOptHeader).
#include <cstdint>
#include <string>

#include "base/hexad_error.h"
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/ordinal_names.h"
#include "kernel/xboxkrnl/kernel.h"
#include "loader/xex/xex_format.h"

namespace hexad::kernel {
namespace {

HEXAD_EXPORTS_BEGIN;

// Module and section names are short: a longer string is no module's name.
constexpr size_t kMaxNameLength = 260;
// RtlImageXexHeaderField walks at most this many directory entries (retail headers have a few
// dozen): a hostile header count cannot keep the kernel looping.
constexpr uint32_t kMaxHeaderEntries = 4096;
// The largest XEX XexLoadImage reads (the console has 512 MiB in all).
constexpr uint64_t kMaxModuleFile = 256ull << 20;
// DllMain's reasons (xenia kernel_state.cc, as Windows).
constexpr uint32_t kDllProcessDetach = 0, kDllProcessAttach = 1;

// A NUL-terminated guest string read as the console's kernel reads it: a byte that cannot be
// read faults the caller. Stops after `max` bytes.
std::string read_name(cpu::Memory& mem, uint32_t addr, size_t max = kMaxNameLength) {
  std::string s;
  for (size_t i = 0; i < max; ++i) {
    const char c = char(mem.read8(addr + uint32_t(i)));
    if (!c) break;
    s.push_back(c);
  }
  return s;
}

// XexCheckExecutablePrivilege(privilege): whether bit `privilege` of the executable's system
// flags is set (privilege 6 = 0x40, insecure sockets).
uint32_t XexCheckExecutablePrivilege(ExportContext& x, uint32_t privilege) {
  const Module* m = x.k.modules().executable();
  if (!m || privilege >= 32) return 0;  // the shift of a PowerPC slw past 31 gives 0
  return (m->system_flags >> privilege) & 1;
}
HEXAD_EXPORT(xboxkrnl, 0x0194, XexCheckExecutablePrivilege, Implemented);

// XexGetModuleHandle(name, HMODULE* out): NULL or "" is the executable. Not found: *out = 0,
// ERROR_NOT_FOUND (a Win32 code, as the console returns it).
uint32_t XexGetModuleHandle(ExportContext& x, uint32_t name, GuestPtr<uint32_t> hmodule_out) {
  hmodule_out.probe(4, cpu::Access::Write);
  const Module* m = x.k.modules().find(name ? read_name(x.mem(), name) : std::string());
  hmodule_out.write(m ? m->ldr : 0);
  return m ? uint32_t(kStatusSuccess) : uint32_t(kErrorNotFound);
}
HEXAD_EXPORT(xboxkrnl, 0x0195, XexGetModuleHandle, Implemented);

// XexGetModuleSection(hmodule, name, void** data, u32* size): a resource of the module's XEX
// (resource info header) by its 8-byte name.
uint32_t XexGetModuleSection(ExportContext& x, uint32_t hmodule, uint32_t name, GuestPtr<uint32_t> data_out,
                             GuestPtr<uint32_t> size_out) {
  const Module* m = x.k.modules().by_hmodule(hmodule);
  if (!m) return kStatusInvalidHandle;
  const std::string wanted = read_name(x.mem(), name, 8);
  if (m->kernel) return kStatusUnsuccessful;  // xenia: XModule::GetSection of a kernel module
  for (const loader::XexResource& r : m->resources)
    if (r.name == wanted) {
      data_out.probe(4, cpu::Access::Write);
      size_out.probe(4, cpu::Access::Write);
      data_out.write(r.address);
      size_out.write(r.size);
      return kStatusSuccess;
    }
  return kStatusNotFound;
}
HEXAD_EXPORT(xboxkrnl, 0x0196, XexGetModuleSection, Implemented);

// The ordinal of a kernel export by name, among the exports hexad implements; 0 if none.
uint16_t ordinal_by_name(const Module& m, const std::string& name) {
  for (const ExportEntry* e : all_exports())
    if (module_stem(m.file_name) == e->module && name == e->name) return e->ordinal;
  return 0;
}

// XexGetProcedureAddress(hmodule, ordinal or name pointer, void** out): hmodule 0 is the
// executable. A kernel export hexad implements gets a callable thunk (the same address on every
// call); anything else is STATUS_DRIVER_ENTRYPOINT_NOT_FOUND with *out = 0. A value with any of
// bits 16-31 set is a pointer to the export's name.
uint32_t XexGetProcedureAddress(ExportContext& x, uint32_t hmodule, uint32_t ordinal, GuestPtr<uint32_t> out) {
  Module* m = hmodule ? x.k.modules().by_hmodule(hmodule) : x.k.modules().executable();
  if (!m) return kStatusInvalidHandle;
  out.probe(4, cpu::Access::Write);
  const uint16_t wanted = (ordinal & 0xFFFF0000) ? ordinal_by_name(*m, read_name(x.mem(), ordinal)) : uint16_t(ordinal);
  // XEX modules' own export tables are not read: SDK images have none (README "Modules").
  const uint32_t addr = wanted && m->kernel ? x.k.modules().procedure_thunk(*m, wanted) : 0;
  out.write(addr);
  return addr ? uint32_t(kStatusSuccess) : uint32_t(kStatusDriverEntrypointNotFound);
}
HEXAD_EXPORT(xboxkrnl, 0x0197, XexGetProcedureAddress, Implemented);

// XexLoadImage(name, module_flags, min_version, HMODULE* out): a module already loaded (by any
// of its names) gains a load count; otherwise the XEX at the guest path `name` (game:\, d:\,
// cache:\, confined as every file) is loaded at its base, its imports bound, and, for a DLL (XEX
// module flag 0x08) with an entry point, the caller calls DllMain(hmodule, DLL_PROCESS_ATTACH = 1,
// 0) before XexLoadImage returns to it; its result is ignored (xenia:
// KernelState::FinishLoadingUserModule, "Call DllMain(DLL_PROCESS_ATTACH)").
uint32_t XexLoadImage(ExportContext& x, uint32_t name, uint32_t module_flags, uint32_t min_version,
                      GuestPtr<uint32_t> hmodule_out) {
  if (!hmodule_out) return kErrorInvalidParameter;
  hmodule_out.probe(4, cpu::Access::Write);
  const std::string path = read_name(x.mem(), name);
  Modules& modules = x.k.modules();
  if (Module* m = modules.find(path)) {
    m->load_count = uint16_t(m->load_count + 1);
    x.mem().write16(m->ldr + kLdrLoadCount, m->load_count);
    hmodule_out.write(m->ldr);
    return kStatusSuccess;
  }
  std::string bytes;
  uint32_t status = x.k.files().read_whole(path, kMaxModuleFile, bytes);
  if (status == kStatusObjectNameNotFound || status == kStatusObjectPathNotFound) status = kStatusNoSuchFile;
  uint32_t hmodule = 0;
  if (!status) {
    try {
      const loader::XexImage probe = loader::read_xex(bytes, path);
      for (uint64_t a = probe.base; a < uint64_t(probe.base) + probe.image_size && !status; a += cpu::Memory::kPageSize)
        if (x.mem().is_committed(uint32_t(a))) status = kStatusConflictingAddresses;
      Module* m = status ? nullptr : modules.add_loaded(probe, path);
      if (!status && !m) status = kStatusNoMemory;
      if (m) {
        const loader::XexImage image = loader::load_xex(bytes, x.mem(), path);
        x.k.bind_imports(image);
        hmodule = m->ldr;
        if (m->dll && m->entry)
          x.k.deferred().call_on_return(x.t.tid, "dll-process-attach", m->entry, {hmodule, kDllProcessAttach, 0});
      }
    } catch (const Error&) {
      status = kStatusInvalidImageFormat;
    }
  }
  x.k.trace().emit(x.k.where(x.t), trace::IoOpen{path, status, 0});
  hmodule_out.write(hmodule);
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x0199, XexLoadImage, Implemented);

// XexUnloadImage(hmodule): drops a load count of a module XexLoadImage loaded (xenia:
// XexUnloadImage, KernelState::UnloadUserModule). At 0 a DLL's caller calls DllMain(hmodule,
// DLL_PROCESS_DETACH = 0, 0) before XexUnloadImage returns to it, then the module leaves the table
// (XexGetModuleHandle no longer finds it) and its pages are decommitted. Kernel modules are never
// unloaded (xenia: "Can't unload kernel modules from user code"); neither is the executable,
// whose code is running (xenia would unload it; hexad keeps the title's own image mapped).
uint32_t XexUnloadImage(ExportContext& x, uint32_t hmodule) {
  Module* m = x.k.modules().by_hmodule(hmodule);
  if (!m) return kStatusInvalidHandle;
  if (m->kernel || m->executable || m->load_count == 0) return kStatusSuccess;
  m->load_count = uint16_t(m->load_count - 1);
  x.mem().write16(m->ldr + kLdrLoadCount, m->load_count);
  if (m->load_count) return kStatusSuccess;
  if (!m->dll || !m->entry) {
    x.k.modules().remove(*m);
    return kStatusSuccess;
  }
  Deferred& d = x.k.deferred();
  d.call_on_return(x.t.tid, "dll-process-detach", m->entry, {hmodule, kDllProcessDetach, 0});
  d.then_on_return(x.t.tid, [hmodule](Kernel& k, cpu::sched::GuestThread&) {
    Module* gone = k.modules().by_hmodule(hmodule);
    if (gone && gone->load_count == 0) k.modules().remove(*gone);  // not reloaded by its own DllMain
  });
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x01A1, XexUnloadImage, Implemented);

// RtlImageXexHeaderField(xex_header, key): the optional header `key` of the guest XEX headers at
// `xex_header`: the value itself (key's low byte 0x00), the address of the value (0x01), or the
// address of the data the value is an offset of (any other). 0 when absent or for a NULL header.
uint32_t RtlImageXexHeaderField(ExportContext& x, uint32_t xex_header, uint32_t key) {
  if (!xex_header) return 0;
  cpu::Memory& mem = x.mem();
  const uint32_t count = std::min(mem.read32(xex_header + xex::kHdrOptCount), kMaxHeaderEntries);
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t entry = xex_header + xex::kHdrSize + i * xex::kOptEntrySize;
    if (mem.read32(entry) != key) continue;
    const uint32_t value = mem.read32(entry + 4);
    switch (key & 0xFF) {
      case 0x00: return value;
      case 0x01: return entry + 4;
      default: return xex_header + value;
    }
  }
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x012B, RtlImageXexHeaderField, Implemented);

// RtlImageNtHeader(module_base): the address of the PE headers ("PE\0\0") the image's DOS header
// points at (PE headers are little-endian); 0 for NULL or an image without "MZ" and "PE".
uint32_t RtlImageNtHeader(ExportContext& x, uint32_t base) {
  if (!base) return 0;
  cpu::Memory& mem = x.mem();
  auto le32 = [&](uint32_t a) {
    return uint32_t(mem.read8(a)) | uint32_t(mem.read8(a + 1)) << 8 | uint32_t(mem.read8(a + 2)) << 16 |
           uint32_t(mem.read8(a + 3)) << 24;
  };
  if ((uint32_t(mem.read8(base)) | uint32_t(mem.read8(base + 1)) << 8) != pe::kDosMagic) return 0;
  const uint32_t nt = base + le32(base + pe::kDosLfanew);
  return le32(nt) == pe::kPeSignature ? nt : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x01A9, RtlImageNtHeader, Implemented);

// ExRegisterTitleTerminateNotification(registration, create): adds (create != 0) or removes (by
// routine) a title-terminate notification {routine, priority, LIST_ENTRY}. XamLoaderTerminateTitle
// and XamLoaderLaunchTitle call the routines, in registration order, before the run stops
// (exports/xam.cc end_title); those left are in the exit dump.
void ExRegisterTitleTerminateNotification(ExportContext& x, GuestPtr<uint32_t> registration, uint32_t create) {
  registration.probe(8, cpu::Access::Read);
  const uint32_t routine = registration.read(0);
  auto& list = x.k.modules().terminate_notifications();
  if (create) {
    list.push_back({registration.addr(), routine, int32_t(registration.read(1))});
    return;
  }
  for (auto it = list.begin(); it != list.end(); ++it)
    if (it->routine == routine) {
      list.erase(it);
      return;
    }
}
HEXAD_EXPORT(xboxkrnl, 0x0015, ExRegisterTitleTerminateNotification, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> module_exports() { return kAreaExports; }

}  // namespace hexad::kernel
