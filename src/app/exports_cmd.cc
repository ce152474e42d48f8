// `hexad exports [--json]`: the export registry, one line per export, for people and for the
// tests that check it against the SDK and the ordinal tables (tests/exports).
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "base/hexad_error.h"
#include "kernel/xboxkrnl/exports/export_registry.h"

namespace hexad::app {

int cmd_exports(const Args& args) {
  bool json = false;
  for (const std::string& a : args) {
    if (a == "--json") json = true;
    else fail("exports: unknown option '{}' (usage: hexad exports [--json])", a);
  }
  if (json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const kernel::ExportEntry* e : kernel::all_exports())
      out.push_back({{"module", e->module},
                     {"ordinal", e->ordinal},
                     {"name", e->name},
                     {"status", kernel::export_status_name(e->status)},
                     {"argc", e->argc},
                     {"signature", e->signature()}});
    std::fputs((out.dump(2) + "\n").c_str(), stdout);
    return 0;
  }
  // module, ordinal, name, implemented|stub, signature: a format other tests parse.
  for (const kernel::ExportEntry* e : kernel::all_exports())
    std::fputs(fmt::format("{}\t0x{:04X}\t{}\t{}\t{}\n", e->module, e->ordinal, e->name,
                           kernel::export_status_name(e->status), e->signature())
                   .c_str(),
               stdout);
  return 0;
}

}  // namespace hexad::app
