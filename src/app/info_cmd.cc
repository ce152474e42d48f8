// `hexad info IMAGE [--json]`: everything the XEX loader read from an image, without running
// it — format, encryption and key, compression, ids, version, base and entry, PE sections, pages,
// imports per library (with each ordinal's name and whether hexad implements it), TLS, stack and
// heap sizes, flags, resources, static libraries. The first thing to run on a new image.
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "base/hexad_error.h"
#include "base/sha256.h"
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/ordinal_names.h"
#include "loader/xex/xex_format.h"
#include "loader/xex/xex_loader.h"

namespace hexad::app {

namespace {

using Json = nlohmann::ordered_json;
using loader::XexHeaders;
using loader::XexImage;

struct FlagName {
  uint32_t bit;
  const char* name;
};

// Module flags and system flags, named as in xenia's xex2_info.h.
constexpr FlagName kModuleFlags[] = {{0x01, "title"}, {0x02, "exports_to_title"}, {0x04, "system_debugger"},
                                     {0x08, "dll"},   {0x10, "patch"},            {0x20, "patch_full"},
                                     {0x40, "patch_delta"}, {0x80, "user_mode"}};
constexpr FlagName kSystemFlags[] = {
    {0x00000001, "no_forced_reboot"},        {0x00000002, "foreground_tasks"},
    {0x00000004, "no_odd_mapping"},          {0x00000008, "handle_mce_input"},
    {0x00000010, "restricted_hud_features"}, {0x00000020, "handle_gamepad_disconnect"},
    {0x00000040, "insecure_sockets"},        {0x00000080, "xbox1_interoperability"},
    {0x00000100, "dash_context"},            {0x00000200, "uses_game_voice_channel"},
    {0x00000400, "pal50_incompatible"},      {0x00000800, "insecure_utility_drive"},
    {0x00001000, "xam_hooks"},               {0x00002000, "access_pii"},
    {0x00004000, "cross_platform_system_link"}, {0x00008000, "multidisc_swap"},
    {0x00010000, "multidisc_insecure_media"}, {0x00020000, "ap25_media"},
    {0x00040000, "no_confirm_exit"},         {0x00080000, "allow_background_download"},
    {0x00100000, "create_persistable_ramdrive"}, {0x00200000, "inherit_persistent_ramdrive"},
    {0x00400000, "allow_hud_vibration"},     {0x00800000, "access_utility_partitions"},
    {0x01000000, "iptv_input_supported"},    {0x02000000, "prefer_big_button_input"},
    {0x04000000, "allow_extended_system_reservation"}, {0x08000000, "multidisc_cross_title"},
    {0x10000000, "install_incompatible"},    {0x20000000, "allow_avatar_get_metadata_by_xuid"},
    {0x40000000, "allow_controller_swapping"}, {0x80000000, "dash_extensibility_module"},
};

template <size_t N>
Json flag_names(uint32_t value, const FlagName (&table)[N]) {
  Json names = Json::array();
  for (const FlagName& f : table)
    if (value & f.bit) names.push_back(f.name);
  return names;
}

std::string hex32(uint32_t v) { return fmt::format("0x{:08x}", v); }

const char* encryption_name(uint16_t e) { return e == xex::kEncryptionNone ? "none" : "normal (AES-128-CBC)"; }
const char* compression_name(uint16_t c) {
  return c == xex::kCompressionNone ? "none" : c == xex::kCompressionBasic ? "basic" : "normal (LZX)";
}
const char* key_name(loader::XexKey k) {
  return k == loader::XexKey::Retail ? "retail" : k == loader::XexKey::Devkit ? "devkit" : "none";
}
const char* page_type_name(uint32_t t) {
  return t == xex::kSectionCode ? "code" : t == xex::kSectionData ? "data" : "read-only";
}
std::string section_access(uint32_t flags) {
  std::string s;
  s += (flags & pe::kScnRead) ? 'r' : '-';
  s += (flags & pe::kScnWrite) ? 'w' : '-';
  s += (flags & pe::kScnExecute) ? 'x' : '-';
  return s;
}

// Import status as the kernel would bind it: implemented, stub, or missing (not in hexad).
const char* import_status(const std::string& module, uint16_t ordinal) {
  const kernel::ExportEntry* e = kernel::find_export(kernel::module_stem(module), ordinal);
  return e ? kernel::export_status_name(e->status) : "missing";
}

Json info_json(const std::string& path, const std::string& bytes, const XexImage& x) {
  const XexHeaders& h = x.headers;
  Json j;
  j["schema"] = "hexad.info/1";
  j["file"] = path;
  j["size"] = bytes.size();
  j["sha256"] = sha256_hex(bytes);
  j["format"] = "XEX2";
  j["module_flags"] = {{"value", hex32(h.module_flags)}, {"names", flag_names(h.module_flags, kModuleFlags)}};
  j["encryption"] = {{"type", encryption_name(h.encryption)}, {"key", key_name(h.key)}};
  Json comp = {{"type", compression_name(h.compression)}};
  if (h.compression != xex::kCompressionNone) comp["blocks"] = h.data_blocks;
  if (h.compression == xex::kCompressionNormal) comp["window_size"] = h.lzx_window_size;
  j["compression"] = comp;
  j["original_pe_name"] = h.original_pe_name;
  if (h.execution) {
    const loader::XexExecutionInfo& e = *h.execution;
    j["execution"] = {{"title_id", hex32(e.title_id)}, {"media_id", hex32(e.media_id)},
                      {"version", e.version.str()}, {"base_version", e.base_version.str()},
                      {"platform", e.platform}, {"executable_table", e.executable_table},
                      {"disc", fmt::format("{}/{}", e.disc_number, e.disc_count)},
                      {"savegame_id", hex32(e.savegame_id)}};
  } else {
    j["execution"] = nullptr;
  }
  j["image"] = {{"base", hex32(x.base)},
                {"load_address", hex32(h.load_address)},
                {"size", fmt::format("0x{:x}", x.image_size)},
                {"entry", hex32(x.entry)},
                {"page_size", fmt::format("0x{:x}", h.page_size)},
                {"pe_data_offset", fmt::format("0x{:x}", h.pe_data_offset)},
                {"security_header_size", fmt::format("0x{:x}", h.security_header_size)},
                {"export_table", hex32(h.export_table)}};
  j["pe"] = {{"machine", fmt::format("0x{:04x}", h.pe.machine)},
             {"subsystem", h.pe.subsystem},
             {"entry", hex32(x.base + h.pe.entry_rva)}};
  Json sections = Json::array();
  for (const pe::Section& s : h.pe.sections)
    sections.push_back({{"name", s.name}, {"address", hex32(x.base + s.rva)},
                        {"size", fmt::format("0x{:x}", s.virtual_size)}, {"access", section_access(s.flags)}});
  j["sections"] = sections;
  Json pages = Json::array();
  for (const loader::XexPageRun& r : h.pages)
    pages.push_back({{"address", hex32(r.addr)}, {"size", fmt::format("0x{:x}", r.size)}, {"type", page_type_name(r.type)}});
  j["pages"] = pages;
  Json libs = Json::array();
  for (const loader::XexLibrary& l : h.libraries) {
    Json imports = Json::array();
    for (const loader::XexImport& i : x.imports) {
      if (i.module != l.name) continue;
      std::string name = kernel::export_name(i.module, i.ordinal);
      imports.push_back({{"ordinal", fmt::format("0x{:03x}", i.ordinal)},
                         {"name", name.empty() ? fmt::format("ordinal_{}", i.ordinal) : name},
                         {"kind", i.is_function ? "function" : "variable"},
                         {"hexad", import_status(i.module, i.ordinal)},
                         {"address", hex32(i.record_addr)}});
    }
    libs.push_back({{"name", l.name}, {"version", l.version.str()}, {"min_version", l.min_version.str()},
                    {"records", l.record_count}, {"imports", imports}});
  }
  j["import_libraries"] = libs;
  j["tls"] = {{"slots", x.tls_slots}, {"raw_data", hex32(x.tls_raw_addr)},
              {"raw_size", fmt::format("0x{:x}", x.tls_raw_size)}, {"data_size", fmt::format("0x{:x}", x.tls_data_size)}};
  j["stack_size"] = x.stack_size;
  j["code_mode"] = x.sixty_four_bit ? 64 : 32;
  j["heap_size"] = h.default_heap_size ? Json(*h.default_heap_size) : Json(nullptr);
  if (h.system_flags)
    j["system_flags"] = {{"value", hex32(*h.system_flags)}, {"names", flag_names(*h.system_flags, kSystemFlags)}};
  else
    j["system_flags"] = nullptr;
  Json res = Json::array();
  for (const loader::XexResource& r : h.resources)
    res.push_back({{"name", r.name}, {"address", hex32(r.address)}, {"size", fmt::format("0x{:x}", r.size)}});
  j["resources"] = res;
  Json statics = Json::array();
  for (const loader::XexStaticLibrary& s : h.static_libraries)
    statics.push_back({{"name", s.name},
                       {"version", fmt::format("{}.{}.{}.{}", s.major, s.minor, s.build, s.qfe)},
                       {"approval", s.approval}});
  j["static_libraries"] = statics;
  Json keys = Json::array();
  for (uint32_t k : h.keys) {
    const char* n = loader::xex_key_name(k);
    keys.push_back({{"key", hex32(k)}, {"name", *n ? n : "unknown"}});
  }
  j["optional_headers"] = keys;
  return j;
}

std::string str(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void print_text(const Json& j) {
  auto line = [](const std::string& k, const std::string& v) { std::fputs(fmt::format("{:<18}{}\n", k, v).c_str(), stdout); };
  line("file", fmt::format("{} ({} bytes, sha256 {})", str(j["file"]), str(j["size"]), str(j["sha256"])));
  line("format", fmt::format("XEX2, module flags {} {}", str(j["module_flags"]["value"]), j["module_flags"]["names"].dump()));
  line("encryption", fmt::format("{}, key {}", str(j["encryption"]["type"]), str(j["encryption"]["key"])));
  std::string comp = str(j["compression"]["type"]);
  if (j["compression"].contains("blocks")) comp += fmt::format(", {} blocks", str(j["compression"]["blocks"]));
  if (j["compression"].contains("window_size"))
    comp += fmt::format(", window 0x{:x}", j["compression"]["window_size"].get<uint32_t>());
  line("compression", comp);
  line("original name", str(j["original_pe_name"]));
  if (!j["execution"].is_null()) {
    const Json& e = j["execution"];
    line("title id", str(e["title_id"]));
    line("media id", str(e["media_id"]));
    line("version", fmt::format("{} (base {})", str(e["version"]), str(e["base_version"])));
    line("disc", str(e["disc"]));
  }
  const Json& im = j["image"];
  line("base", fmt::format("{} (load address {}), size {}, {}-byte pages", str(im["base"]), str(im["load_address"]),
                           str(im["size"]), str(im["page_size"])));
  line("entry", str(im["entry"]));
  line("stack size", str(j["stack_size"]));
  line("code mode", j["code_mode"] == 64 ? "64-bit (MSR[SF]=1, as on the console)"
                                         : "32-bit (MSR[SF]=0: hexad's code-mode header, an SDK -m32 title)");
  line("heap size", j["heap_size"].is_null() ? "default" : str(j["heap_size"]));
  line("system flags", j["system_flags"].is_null() ? "none"
                                                   : fmt::format("{} {}", str(j["system_flags"]["value"]),
                                                                 j["system_flags"]["names"].dump()));
  const Json& t = j["tls"];
  line("TLS", fmt::format("{} slots, raw data {}+{}, data size {}", str(t["slots"]), str(t["raw_data"]),
                          str(t["raw_size"]), str(t["data_size"])));
  std::fputs(fmt::format("sections (PE, machine {}, subsystem {}):\n", str(j["pe"]["machine"]), str(j["pe"]["subsystem"])).c_str(), stdout);
  for (const Json& s : j["sections"])
    std::fputs(fmt::format("  {:<8} {} size {:>10} {}\n", str(s["name"]), str(s["address"]), str(s["size"]),
                           str(s["access"])).c_str(), stdout);
  std::fputs("pages:\n", stdout);
  for (const Json& p : j["pages"])
    std::fputs(fmt::format("  {} size {:>10} {}\n", str(p["address"]), str(p["size"]), str(p["type"])).c_str(), stdout);
  for (const Json& l : j["import_libraries"]) {
    std::fputs(fmt::format("imports from {} (version {}, minimum {}):\n", str(l["name"]), str(l["version"]),
                           str(l["min_version"])).c_str(), stdout);
    for (const Json& i : l["imports"])
      std::fputs(fmt::format("  {} {:<36} {:<8} {:<11} {}\n", str(i["ordinal"]), str(i["name"]), str(i["kind"]),
                             str(i["hexad"]), str(i["address"])).c_str(), stdout);
  }
  std::fputs(fmt::format("resources: {}\n", j["resources"].empty() ? "none" : "").c_str(), stdout);
  for (const Json& r : j["resources"])
    std::fputs(fmt::format("  {:<8} {} size {}\n", str(r["name"]), str(r["address"]), str(r["size"])).c_str(), stdout);
  std::fputs(fmt::format("static libraries: {}\n", j["static_libraries"].empty() ? "none" : "").c_str(), stdout);
  for (const Json& s : j["static_libraries"])
    std::fputs(fmt::format("  {:<8} {}\n", str(s["name"]), str(s["version"])).c_str(), stdout);
  std::string keys;
  for (const Json& k : j["optional_headers"]) keys += (keys.empty() ? "" : ", ") + str(k["name"]);
  line("optional headers", keys);
}

}  // namespace

int cmd_info(const Args& args) {
  bool json = false;
  std::string path;
  for (const std::string& a : args) {
    if (a == "--json") json = true;
    else if (!a.empty() && a[0] == '-') fail("info: unknown option '{}' (usage: hexad info IMAGE [--json])", a);
    else if (path.empty()) path = a;
    else fail("info: one image at a time (usage: hexad info IMAGE [--json])");
  }
  if (path.empty()) fail("info: no image given (usage: hexad info IMAGE [--json])");
  const std::string bytes = read_file(path);
  if (!loader::looks_like_xex_family(bytes)) fail("{}: not a XEX image (no XEX magic at offset 0)", path);
  const Json j = info_json(path, bytes, loader::read_xex(bytes, path));
  // replace: a file name that is not UTF-8 is shown with U+FFFD rather than failing.
  if (json) std::fputs((j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n").c_str(), stdout);
  else print_text(j);
  return 0;
}

}  // namespace hexad::app
