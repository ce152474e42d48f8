#include "export_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "timeline_export.h"

namespace hexad::audit {

namespace {

// The formats `export` writes (one today; the list is what an unknown --format prints).
constexpr const char* kExportFormats[] = {"perfetto"};

// Value of option `name` given as "NAME VALUE" or "NAME=VALUE" at args[k]; advances k.
bool option_value(const std::vector<std::string>& args, size_t& k, const std::string& name, std::string& value) {
  const std::string& a = args[k];
  if (a == name) {
    if (k + 1 >= args.size()) throw hexad::Error(name + " needs a value");
    value = args[++k];
    return true;
  }
  if (a.rfind(name + "=", 0) == 0) {
    value = a.substr(name.size() + 1);
    return true;
  }
  return false;
}

uint64_t parse_cycle(const std::string& option, const std::string& text) {
  uint64_t v = 0;
  if (text.empty() || text.size() > 19) throw hexad::Error(option + ": not a guest cycle: '" + text + "'");
  for (char c : text) {
    if (c < '0' || c > '9') throw hexad::Error(option + ": not a guest cycle: '" + text + "'");
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

}  // namespace

int export_command(const std::vector<std::string>& args, int (*usage_error)(const std::string&), int (*help)()) {
  std::vector<std::string> runs;
  std::string format, output;
  ExportOptions options;
  try {
    for (size_t k = 0; k < args.size(); ++k) {
      const std::string& a = args[k];
      if (a == "--help" || a == "-h") return help();
      if (option_value(args, k, "--format", format) || option_value(args, k, "-o", output)) continue;
      std::string cycle;
      if (option_value(args, k, "--from", cycle)) {
        options.from_cycle = parse_cycle("--from", cycle);
        continue;
      }
      if (option_value(args, k, "--to", cycle)) {
        options.to_cycle = parse_cycle("--to", cycle);
        continue;
      }
      if (a == "--allow-unfinished") {
        options.allow_unfinished = true;
        continue;
      }
      if (a.size() > 1 && a[0] == '-') return usage_error("export: unknown option '" + a + "'");
      runs.push_back(a);
    }
  } catch (const hexad::Error& e) {
    return usage_error(std::string("export: ") + e.what());
  }
  bool known = false;
  std::string formats;
  for (const char* f : kExportFormats) {
    known |= format == f;
    formats += (formats.empty() ? "" : ", ") + std::string(f);
  }
  if (runs.size() != 1) return usage_error("export: expected one run folder or trace file");
  if (options.from_cycle > options.to_cycle) return usage_error("export: --from is after --to");
  if (format.empty()) return usage_error("export: --format is required (formats: " + formats + ")");
  if (!known) return usage_error("export: unknown format '" + format + "' (formats: " + formats + ")");
  if (output.empty()) return usage_error("export: -o OUT.json is required (-o - for stdout)");

  const RunFiles run = resolve_run(runs[0]);
  if (output == "-") {
    export_perfetto(run, std::cout, options);
    return 0;
  }
  // Written beside the target and renamed at the end, so a failed export leaves no half file.
  const std::string partial = output + ".partial";
  try {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw hexad::Error(partial + ": cannot create");
    ExportStats s = export_perfetto(run, out, options);
    out.close();
    if (!out) throw hexad::Error(partial + ": write error");
    std::error_code ec;
    std::filesystem::rename(partial, output, ec);
    if (ec) throw hexad::Error(output + ": cannot write: " + ec.message());
    fmt::print(stderr,
               "hexad-audit: {}: {} trace events -> {} timeline events ({} slot slices, {} waits, {} never ended, {} "
               "signals, {} wake arrows)\n",
               output, s.trace_events, s.chrome_events, s.slot_slices, s.waits, s.unfinished_waits, s.signals, s.flows);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(partial, ec);
    throw;
  }
  return 0;
}

}  // namespace hexad::audit
