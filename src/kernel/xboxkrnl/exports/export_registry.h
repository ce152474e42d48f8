// The export registry: every export hexad implements, declared once, next to its function,
// by HEXAD_EXPORT(module, ordinal, function, Implemented|Stub) in its area file (threads.cc,
// sync.cc, misc.cc). The name is the function's; argc, argument decoding and the signature
// come from the function's type (shim.h). find_export() looks the one table up by
// (module, ordinal) when imports are bound. `hexad exports` prints the table; the
// exports.agreement test checks it against the SDK's HX_IMPORT lines and names/*.tsv.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "kernel/xboxkrnl/exports/shim.h"

namespace hexad::kernel {

enum class ExportStatus : uint8_t {
  Implemented,  // the export's semantics are modelled
  Stub,         // callable and harmless, but what it should do is not modelled (see its comment)
};
const char* export_status_name(ExportStatus s);  // "implemented" / "stub"

struct ExportEntry {
  const char* module;  // module stem: "xboxkrnl" or "xam"
  uint16_t ordinal;
  const char* name;
  ExportStatus status;
  uint8_t argc;  // words in the trace's import.call args
  ExportResult (*invoke)(ExportContext&);
  TraceArgs (*trace_args)(const cpu::ThreadContext&);
  std::string (*signature)();
};

template <auto Fn>
constexpr ExportEntry make_export(const char* module, uint16_t ordinal, const char* name, ExportStatus status) {
  using Traits = ShimTraits<decltype(Fn)>;
  return {module, ordinal, name, status, uint8_t(Traits::kArgc), &invoke_shim<Fn>, &Traits::trace_args,
          &Traits::signature};
}

// The area file that declares `e` ("threads", "rtl", ...): the coverage report's grouping.
const char* export_area(const ExportEntry& e);

// Every registered export, sorted by (module, ordinal). Throws hexad::Error if two
// declarations share a (module, ordinal) or a (module, name).
std::span<const ExportEntry* const> all_exports();
// nullptr when hexad does not implement it.
const ExportEntry* find_export(const std::string& module_stem, uint16_t ordinal);

// Each area file's declarations (collected by HEXAD_EXPORTS_END).
std::span<const ExportEntry> thread_exports();
std::span<const ExportEntry> sync_exports();
std::span<const ExportEntry> misc_exports();
std::span<const ExportEntry> file_exports();
std::span<const ExportEntry> memory_exports();
std::span<const ExportEntry> critical_section_exports();
std::span<const ExportEntry> rw_lock_exports();
std::span<const ExportEntry> slist_exports();
std::span<const ExportEntry> spinlock_exports();
std::span<const ExportEntry> rtl_exports();     // rtl.cc: strings, memory, time fields, CRC32
std::span<const ExportEntry> system_exports();  // system.cc: bug checks, debug breaks, HAL, XConfig
std::span<const ExportEntry> crypt_exports();   // crypt.cc: XeCrypt* through libcrypto
std::span<const ExportEntry> crypt_hash_exports();    // crypt_hash.cc: incremental MD5, SHA-384, SHA-512
std::span<const ExportEntry> crypt_bignum_exports();  // crypt_bignum.cc: XeCryptBn*, signatures
std::span<const ExportEntry> string_exports();  // strings.cc: sprintf, _snprintf and their va_list forms
std::span<const ExportEntry> xam_exports();
std::span<const ExportEntry> kobject_exports();
std::span<const ExportEntry> thread_object_exports();
std::span<const ExportEntry> timer_exports();
std::span<const ExportEntry> alert_exports();
std::span<const ExportEntry> xam_enum_exports();
std::span<const ExportEntry> module_exports();
std::span<const ExportEntry> symlink_exports();
std::span<const ExportEntry> video_exports();

// Builds an area's table from its numbered declarations.
template <template <int> class Decl, int... I>
constexpr std::array<ExportEntry, sizeof...(I)> collect_exports(std::integer_sequence<int, I...>) {
  return {Decl<I>::kEntry...};
}

}  // namespace hexad::kernel

// In an area file, inside its anonymous namespace: HEXAD_EXPORTS_BEGIN before the first export,
// HEXAD_EXPORT(...) after each export's function, HEXAD_EXPORTS_END at the end, which defines
// kAreaExports. __COUNTER__ numbers the declarations 0, 1, 2... (nothing else in an area file
// may use __COUNTER__ between BEGIN and END).
#define HEXAD_EXPORTS_BEGIN                \
  template <int I>                         \
  struct AreaExportDecl;                   \
  constexpr int kAreaExportBase = __COUNTER__ + 1

#define HEXAD_EXPORT(module, ordinal, fn, status)                                                       \
  template <>                                                                                           \
  struct AreaExportDecl<__COUNTER__ - kAreaExportBase> {                                                \
    static constexpr ::hexad::kernel::ExportEntry kEntry =                                              \
        ::hexad::kernel::make_export<&fn>(#module, ordinal, #fn, ::hexad::kernel::ExportStatus::status); \
  }

#define HEXAD_EXPORTS_END                                                                             \
  constexpr auto kAreaExports = ::hexad::kernel::collect_exports<AreaExportDecl>(                     \
      std::make_integer_sequence<int, __COUNTER__ - kAreaExportBase>{})
