// `hexad exports [--json]`: the export registry, one line per export, for people and for the
// tests that check it against the SDK and the ordinal tables (tests/exports).
// `hexad exports --all [--json]`: the coverage report: every xboxkrnl and XAM ordinal of the names
// tables, implemented / stub / missing, with the area file that implements it
// (tools/export_coverage.py turns it into docs/exports.md and the README's counts).
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "base/hexad_error.h"
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/ordinal_names.h"

namespace hexad::app {

namespace {

// One line (or JSON object) per ordinal of both modules' names tables.
int print_coverage(bool json) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const char* module : {"xboxkrnl", "xam"})
    for (const kernel::OrdinalName& n : kernel::ordinal_names(module)) {
      const kernel::ExportEntry* e = kernel::find_export(module, n.ordinal);
      const char* status = e ? kernel::export_status_name(e->status) : "missing";
      const char* area = e ? kernel::export_area(*e) : "";
      if (json)
        out.push_back({{"module", module}, {"ordinal", n.ordinal}, {"name", n.name}, {"status", status}, {"area", area}});
      else
        std::fputs(fmt::format("{}\t0x{:04X}\t{}\t{}\t{}\n", module, n.ordinal, n.name, status, area).c_str(), stdout);
    }
  if (json) std::fputs((out.dump(2) + "\n").c_str(), stdout);
  return 0;
}

}  // namespace

int cmd_exports(const Args& args) {
  bool json = false, all = false;
  for (const std::string& a : args) {
    if (a == "--json") json = true;
    else if (a == "--all") all = true;
    else fail("exports: unknown option '{}' (usage: hexad exports [--all] [--json])", a);
  }
  if (all) return print_coverage(json);
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
