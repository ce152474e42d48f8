#include "kernel/xboxkrnl/exports/export_registry.h"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "base/hexad_error.h"

namespace hexad::kernel {
namespace {

bool entry_less(const ExportEntry* a, const ExportEntry* b) {
  int m = std::strcmp(a->module, b->module);
  return m != 0 ? m < 0 : a->ordinal < b->ordinal;
}

// Each area file and its name in the coverage report (`hexad exports --all`, docs/exports.md).
struct Area {
  const char* name;
  std::span<const ExportEntry> (*exports)();
};
const Area kAreas[] = {
    {"threads", thread_exports}, {"sync", sync_exports}, {"misc", misc_exports},     {"files", file_exports},
    {"rtl", rtl_exports},        {"system", system_exports}, {"crypto", crypt_exports}, {"crypto hashes", crypt_hash_exports},
    {"crypto bignums", crypt_bignum_exports}, {"strings", string_exports},
    {"memory", memory_exports},  {"critical sections", critical_section_exports},
    {"read/write locks", rw_lock_exports}, {"slists", slist_exports}, {"spinlocks", spinlock_exports},
    {"kernel objects", kobject_exports}, {"thread objects", thread_object_exports},
    {"timers, DPCs and APCs", timer_exports}, {"alerts", alert_exports},
    {"modules", module_exports}, {"symbolic links", symlink_exports},
    {"video", video_exports}, {"xam", xam_exports}, {"xam enumeration", xam_enum_exports},
};

std::vector<const ExportEntry*> build_table() {
  std::vector<const ExportEntry*> table;
  for (const Area& area : kAreas)
    for (const ExportEntry& e : area.exports()) table.push_back(&e);
  std::sort(table.begin(), table.end(), entry_less);
  for (size_t i = 0; i < table.size(); ++i)
    for (size_t j = i + 1; j < table.size(); ++j)
      if (!std::strcmp(table[i]->module, table[j]->module) &&
          (table[i]->ordinal == table[j]->ordinal || !std::strcmp(table[i]->name, table[j]->name)))
        fail("export registry: {} 0x{:03X} {} and 0x{:03X} {} are declared twice", table[i]->module,
             table[i]->ordinal, table[i]->name, table[j]->ordinal, table[j]->name);
  return table;
}

}  // namespace

const char* export_area(const ExportEntry& e) {
  for (const Area& area : kAreas)
    for (const ExportEntry& mine : area.exports())
      if (&mine == &e) return area.name;
  return "?";
}

const char* export_status_name(ExportStatus s) { return s == ExportStatus::Implemented ? "implemented" : "stub"; }

std::span<const ExportEntry* const> all_exports() {
  static const std::vector<const ExportEntry*> table = build_table();
  return table;
}

const ExportEntry* find_export(const std::string& module_stem, uint16_t ordinal) {
  auto table = all_exports();
  auto it = std::lower_bound(table.begin(), table.end(), std::make_tuple(module_stem, ordinal),
                             [](const ExportEntry* e, const std::tuple<std::string, uint16_t>& key) {
                               int m = std::strcmp(e->module, std::get<0>(key).c_str());
                               return m != 0 ? m < 0 : e->ordinal < std::get<1>(key);
                             });
  if (it == table.end() || module_stem != (*it)->module || (*it)->ordinal != ordinal) return nullptr;
  return *it;
}

}  // namespace hexad::kernel
