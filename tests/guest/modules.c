/* modules: the module exports (README "Modules"). Run with its own build folder as the content
 * folder (the default: the image's folder), which holds plugin.xex, hello.xex and modules.elf.
 *   - XexGetModuleHandle: NULL, "", its file name in any case, its name without extension,
 *     "default.xex", the kernel modules, kernel32.dll and unknown names (ERROR_NOT_FOUND);
 *   - the loader entry (HMODULE) and XexExecutableModuleHandle; the XEX headers in guest memory
 *     through RtlImageXexHeaderField (inline values, value addresses, data offsets, absent keys);
 *   - the PE headers at the image base (RtlImageNtHeader) and the resource over .rdata
 *     (XexGetModuleSection), cross-checked against the PE section table;
 *   - XexCheckExecutablePrivilege against the system flags (0x440: privileges 6 and 10);
 *   - XexGetProcedureAddress: callable thunks for implemented kernel exports, by ordinal and by
 *     name, stable, and STATUS_DRIVER_ENTRYPOINT_NOT_FOUND otherwise;
 *   - XexLoadImage of plugin.xex: loaded at its base, imports resolved (the title calls its entry),
 *     load counts, and the refusals (missing, escaping, not a XEX, overlapping the title);
 *   - ExRegisterTitleTerminateNotification add/remove (the dump lists what is left);
 *   - bad pointers fault the caller (each case in its own thread, tids 2, 3, ...). */
#define TITLE "modules"
#include "title_util.h"
#include "hx/libc.h"

#define BAD 0x00001000u /* unmapped */

extern char __hx_image_start[];
extern void _start(void);
static volatile uint32_t returned;
static EX_TITLE_TERMINATE_REGISTRATION reg_a, reg_b;

static void on_terminate(void) {}
static void on_terminate_b(void) {}

static uint32_t le32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t* p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Whether `needle` occurs in the `size` bytes at `data`. */
static int contains(const char* data, uint32_t size, const char* needle) {
  uint32_t n = (uint32_t)strlen(needle);
  for (uint32_t i = 0; i + n <= size; ++i)
    if (!memcmp(data + i, needle, n)) return 1;
  return 0;
}

static void c_handle_name(void) {
  HMODULE h;
  XexGetModuleHandle((const char*)BAD, &h);
}
static void c_handle_out(void) { XexGetModuleHandle(NULL, (HMODULE*)BAD); }
static void c_header_field(void) { RtlImageXexHeaderField((void*)BAD, XEX_HEADER_ENTRY_POINT); }
static void c_nt_header(void) { RtlImageNtHeader((void*)BAD); }
static void c_load_name(void) {
  HMODULE h;
  XexLoadImage((const char*)BAD, 0, 0, &h);
}
static void c_terminate_registration(void) { ExRegisterTitleTerminateNotification((void*)BAD, TRUE); }

typedef struct {
  const char* name;
  void (*call)(void);
  uint32_t address;
  const char* access;
} Case;

static Case kCases[] = {
    {"XexGetModuleHandle name", c_handle_name, BAD, "read"},
    {"XexGetModuleHandle out", c_handle_out, BAD, "write"},
    {"RtlImageXexHeaderField header", c_header_field, BAD + 0x14, "read"},
    {"RtlImageNtHeader base", c_nt_header, BAD, "read"},
    {"XexLoadImage name", c_load_name, BAD, "read"},
    {"ExRegisterTitleTerminateNotification registration", c_terminate_registration, BAD, "read"},
};
#define CASES (sizeof kCases / sizeof kCases[0])

static uint32_t run_case(void* ctx) {
  kCases[(uint32_t)ctx].call();
  returned = 1;
  return 0;
}

int main(void) {
  /* Bad pointers first, so the faulting threads get tids 2, 3, ... */
  DWORD last_tid = 1;
  for (uint32_t i = 0; i < CASES; ++i) {
    HANDLE t;
    DWORD tid = 0;
    returned = 0;
    ExCreateThread(&t, 0, &tid, NULL, run_case, (void*)i, 0);
    DbgPrint("modules: case %s: tid %u faults %s at %x\n", kCases[i].name, tid, kCases[i].access, kCases[i].address);
    expect("its tid follows the last one", tid, last_tid + 1);
    last_tid = tid;
    LARGE_INTEGER to;
    to.QuadPart = HX_RELATIVE_MS(1);
    expect("its join returns (a faulted thread is signaled, as an exited one)", (uint32_t)NtWaitForSingleObjectEx(t, UserMode, FALSE, &to), STATUS_WAIT_0);
    expect("the call never returned", returned, 0);
    NtClose(t);
  }

  /* --- the executable module --- */
  HMODULE self = 0, m = 0;
  expect("handle of NULL", XexGetModuleHandle(NULL, &self), 0);
  expect("it is XexExecutableModuleHandle", (uint32_t)self, (uint32_t)HX_EXECUTABLE_MODULE);
  expect("handle of \"\"", XexGetModuleHandle("", &m), 0);
  expect("\"\" is the executable", (uint32_t)m, (uint32_t)self);
  static const char* const names[] = {"modules.xex", "MODULES.XEX", "modules", "default.xex", "game:\\modules.xex"};
  for (uint32_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
    m = 0;
    expect(names[i], XexGetModuleHandle(names[i], &m), 0);
    expect("... is the executable", (uint32_t)m, (uint32_t)self);
  }
  /* The image starts with its PE headers page, before the code the linker placed at __hx_image_start. */
  expect("image base holds MZ", (uint32_t)memcmp(self->ImageBase, "MZ", 2), 0);
  expect("code inside the image", (uint32_t)__hx_image_start - (uint32_t)self->ImageBase < self->ImageSize, 1);
  expect("entry point", (uint32_t)self->EntryPoint, (uint32_t)_start);
  expect("load count", self->LoadCount, 1);
  const uint8_t* hdr = (const uint8_t*)self->XexHeaderBase;
  expect("XEX headers in guest memory", (uint32_t)memcmp(hdr, "XEX2", 4), 0);

  /* RtlImageXexHeaderField: inline values, the address of a 0x01 value, offsets of data. */
  expect("field entry point", (uint32_t)RtlImageXexHeaderField(self->XexHeaderBase, XEX_HEADER_ENTRY_POINT),
         (uint32_t)_start);
  /* A key whose low byte is 0x01 gives the address of its value, inside the headers. */
  const uint32_t* image_base = RtlImageXexHeaderField(self->XexHeaderBase, XEX_HEADER_IMAGE_BASE_ADDRESS);
  expect("field image base: an address in the headers", (uint32_t)image_base - (uint32_t)hdr < 0x1000, 1);
  expect("field image base: its value", *image_base, (uint32_t)self->ImageBase);
  expect("field system flags", (uint32_t)RtlImageXexHeaderField(self->XexHeaderBase, XEX_HEADER_SYSTEM_FLAGS), 0x440);
  expect("field stack size", (uint32_t)RtlImageXexHeaderField(self->XexHeaderBase, XEX_HEADER_DEFAULT_STACK_SIZE),
         256 * 1024);
  const uint32_t* exec = RtlImageXexHeaderField(self->XexHeaderBase, XEX_HEADER_EXECUTION_INFO);
  expect("execution info inside the headers", (uint32_t)exec > (uint32_t)hdr, 1);
  expect("execution info title id", exec[3], 0x48580000);
  const char* pe_name = RtlImageXexHeaderField(self->XexHeaderBase, XEX_HEADER_ORIGINAL_PE_NAME);
  expect("original PE name", (uint32_t)memcmp(pe_name + 4, "modules.exe", 12), 0);
  expect("absent field", (uint32_t)RtlImageXexHeaderField(self->XexHeaderBase, 0x00E10402), 0);
  expect("field of a NULL header", (uint32_t)RtlImageXexHeaderField(NULL, XEX_HEADER_ENTRY_POINT), 0);

  /* PE headers at the base; the resource over .rdata. */
  const uint8_t* base = (const uint8_t*)self->ImageBase;
  const uint8_t* nt = RtlImageNtHeader(self->ImageBase);
  expect("NT headers", (uint32_t)nt, (uint32_t)(base + le32(base + 0x3C)));
  expect("PE signature", (uint32_t)memcmp(nt, "PE\0\0", 4), 0);
  expect("PE machine", le16(nt + 4), 0x01F2);
  expect("RtlImageNtHeader NULL", (uint32_t)RtlImageNtHeader(NULL), 0);
  expect("RtlImageNtHeader of no image", (uint32_t)RtlImageNtHeader((void*)hdr), 0);
  const uint8_t* sections = nt + 24 + le16(nt + 20);
  uint32_t rdata = 0, rdata_size = 0;
  for (uint32_t i = 0; i < le16(nt + 6); ++i)
    if (!memcmp(sections + 40 * i, ".rdata", 7)) {
      rdata = (uint32_t)base + le32(sections + 40 * i + 12);
      rdata_size = le32(sections + 40 * i + 8);
    }
  void* data = 0;
  DWORD size = 0;
  expect("section hxrdata", (uint32_t)XexGetModuleSection(self, "hxrdata", &data, &size), 0);
  expect("hxrdata is .rdata", (uint32_t)data, rdata);
  expect("hxrdata size", size >= rdata_size && rdata_size > 0, 1);
  expect("missing section", (uint32_t)XexGetModuleSection(self, "nosuch", &data, &size), STATUS_NOT_FOUND);
  expect("section of a bad module", (uint32_t)XexGetModuleSection((HMODULE)0x1234, "hxrdata", &data, &size),
         STATUS_INVALID_HANDLE);

  /* Privileges: the system flags are 0x440. */
  expect("privilege 6", XexCheckExecutablePrivilege(6), 1);
  expect("privilege 10", XexCheckExecutablePrivilege(10), 1);
  expect("privilege 0", XexCheckExecutablePrivilege(0), 0);
  expect("privilege 40", XexCheckExecutablePrivilege(40), 0);

  /* --- kernel modules --- */
  HMODULE krnl = 0, xam = 0;
  expect("xboxkrnl.exe", XexGetModuleHandle("xboxkrnl.exe", &krnl), 0);
  expect("XBOXKRNL.EXE is the same", XexGetModuleHandle("XBOXKRNL.EXE", &m) == 0 && m == krnl, 1);
  expect("xam.xex", XexGetModuleHandle("xam.xex", &xam), 0);
  expect("three distinct modules", krnl && xam && krnl != xam && krnl != self && xam != self, 1);
  m = (HMODULE)0x1;
  expect("kernel32.dll", XexGetModuleHandle("kernel32.dll", &m), ERROR_NOT_FOUND);
  expect("kernel32.dll: handle 0", (uint32_t)m, 0);
  expect("unknown module", XexGetModuleHandle("nosuch.xex", &m), ERROR_NOT_FOUND);
  expect("section of a kernel module", (uint32_t)XexGetModuleSection(krnl, "hxrdata", &data, &size),
         STATUS_UNSUCCESSFUL);

  /* XexGetProcedureAddress: thunks that call the kernel. */
  void* proc = 0;
  expect("DbgPrint by ordinal", (uint32_t)XexGetProcedureAddress(krnl, 0x0003, &proc), 0);
  ULONG (*dbg)(const char*, ...) = (ULONG (*)(const char*, ...))proc;
  expect("call through it", dbg("modules: printed through XexGetProcedureAddress %d\n", 42), 0);
  void* again = 0;
  XexGetProcedureAddress(krnl, 0x0003, &again);
  expect("the same thunk again", (uint32_t)again, (uint32_t)proc);
  void* by_name = 0;
  expect("DbgPrint by name", (uint32_t)XexGetProcedureAddress(krnl, (DWORD) "DbgPrint", &by_name), 0);
  expect("by name is by ordinal", (uint32_t)by_name, (uint32_t)proc);
  expect("KeGetCurrentProcessType", (uint32_t)XexGetProcedureAddress(krnl, 0x0066, &proc), 0);
  expect("its result", ((uint8_t(*)(void))proc)(), 1);
  proc = (void*)1;
  expect("no such ordinal", (uint32_t)XexGetProcedureAddress(krnl, 0xFFFF, &proc), STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
  expect("no such ordinal: 0", (uint32_t)proc, 0);
  expect("no such name", (uint32_t)XexGetProcedureAddress(krnl, (DWORD) "NoSuchExport", &proc),
         STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
  expect("the executable exports nothing", (uint32_t)XexGetProcedureAddress(NULL, 1, &proc),
         STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
  expect("procedure of a bad module", (uint32_t)XexGetProcedureAddress((HMODULE)0x1234, 3, &proc),
         STATUS_INVALID_HANDLE);

  /* --- XexLoadImage --- */
  HMODULE plugin = 0;
  expect("load plugin.xex", (uint32_t)XexLoadImage("game:\\plugin.xex", 8, 0, &plugin), 0);
  expect("plugin base: its PE headers page below 0x86000000", (uint32_t)plugin->ImageBase, 0x86000000 - 0x1000);
  expect("plugin base holds MZ", (uint32_t)memcmp(plugin->ImageBase, "MZ", 2), 0);
  expect("plugin load count", plugin->LoadCount, 1);
  expect("plugin entry inside it", (uint32_t)plugin->EntryPoint - (uint32_t)plugin->ImageBase < plugin->ImageSize, 1);
  int (*plugin_entry)(void) = (int (*)(void))plugin->EntryPoint;
  expect("call the plugin's entry", (uint32_t)plugin_entry(), 0x600D0101);
  expect("call it again (its data is writable)", (uint32_t)plugin_entry(), 0x600D0201);
  expect("handle of plugin.xex", XexGetModuleHandle("plugin.xex", &m) == 0 && m == plugin, 1);
  expect("handle of plugin", XexGetModuleHandle("Plugin", &m) == 0 && m == plugin, 1);
  expect("load it again", (uint32_t)XexLoadImage("plugin.xex", 8, 0, &m), 0);
  expect("the same module", (uint32_t)m, (uint32_t)plugin);
  expect("load count 2", plugin->LoadCount, 2);
  expect("plugin section", (uint32_t)XexGetModuleSection(plugin, "plugdata", &data, &size), 0);
  expect("plugin section inside it", (uint32_t)data - (uint32_t)plugin->ImageBase < plugin->ImageSize && size > 0, 1);
  expect("plugin section holds its strings", contains(data, size, "plugin: entry called"), 1);
  expect("plugin NT headers", RtlImageNtHeader(plugin->ImageBase) != 0, 1);
  expect("plugin header field entry", (uint32_t)RtlImageXexHeaderField(plugin->XexHeaderBase, XEX_HEADER_ENTRY_POINT),
         (uint32_t)plugin->EntryPoint);
  expect("load a missing file", (uint32_t)XexLoadImage("game:\\missing.xex", 0, 0, &m), STATUS_NO_SUCH_FILE);
  expect("load a missing file: handle 0", (uint32_t)m, 0);
  expect("load through ..", (uint32_t)XexLoadImage("game:\\..\\modules.xex", 0, 0, &m), 0xC0000033);
  expect("load an ELF", (uint32_t)XexLoadImage("game:\\modules.elf", 0, 0, &m), STATUS_INVALID_IMAGE_FORMAT);
  expect("load over the title", (uint32_t)XexLoadImage("game:\\hello.xex", 0, 0, &m), STATUS_CONFLICTING_ADDRESSES);
  expect("load with no handle pointer", (uint32_t)XexLoadImage("game:\\plugin.xex", 0, 0, NULL),
         ERROR_INVALID_PARAMETER);

  /* A DLL: XexLoadImage calls its DllMain(hmodule, DLL_PROCESS_ATTACH, 0) before it returns;
   * XexUnloadImage calls DllMain(hmodule, DLL_PROCESS_DETACH, 0) at load count 0, then the module
   * is gone. The DLL answers the title's own reasons 0x100.. (plugdll.c). */
  HMODULE dll = 0;
  expect("load plugdll.xex", (uint32_t)XexLoadImage("game:\\plugdll.xex", 8, 0, &dll), 0);
  int (*dll_main)(void*, DWORD, void*) = (int (*)(void*, DWORD, void*))dll->EntryPoint;
  expect("DllMain attached once, no detach, reserved 0", (uint32_t)dll_main(dll, 0x100, NULL), 1);
  expect("DllMain attached with its HMODULE", (uint32_t)dll_main(dll, 0x101, NULL), (uint32_t)dll);
  expect("load it again", (uint32_t)XexLoadImage("plugdll.xex", 8, 0, &m) == 0 && m == dll, 1);
  expect("no second attach", (uint32_t)dll_main(dll, 0x100, NULL), 1);
  static volatile uint32_t detach_report;
  dll_main(dll, 0x102, (void*)&detach_report);
  expect("unload once", (uint32_t)XexUnloadImage(dll), 0);
  expect("load count 1", dll->LoadCount, 1);
  expect("no detach yet", detach_report, 0);
  expect("unload again", (uint32_t)XexUnloadImage(dll), 0);
  expect("DllMain detached once with its HMODULE, before XexUnloadImage returned", detach_report, 0xDE7A0101);
  expect("the DLL is gone", XexGetModuleHandle("plugdll.xex", &m), ERROR_NOT_FOUND);
  expect("unload of a bad module", (uint32_t)XexUnloadImage((HMODULE)0x1234), STATUS_INVALID_HANDLE);
  expect("unload of a kernel module: nothing", (uint32_t)XexUnloadImage(krnl), 0);
  expect("unload of the executable: nothing", (uint32_t)XexUnloadImage(self), 0);
  expect("the executable's load count", self->LoadCount, 1);

  /* Title-terminate notifications: two added, one removed. */
  reg_a.NotificationRoutine = (void*)on_terminate;
  reg_a.Priority = 5;
  reg_b.NotificationRoutine = (void*)on_terminate_b;
  reg_b.Priority = 7;
  ExRegisterTitleTerminateNotification(&reg_a, TRUE);
  ExRegisterTitleTerminateNotification(&reg_b, TRUE);
  ExRegisterTitleTerminateNotification(&reg_a, FALSE);
  DbgPrint("modules: notification routine %x priority %d left\n", (uint32_t)on_terminate_b, 7);

  DbgPrint("modules: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
