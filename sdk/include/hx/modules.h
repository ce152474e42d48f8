/* hexad guest SDK: modules (the title's own XEX, XEXes it loads, the kernel modules) and
 * symbolic links. Included by hx/kernel.h. README "Modules" and "Symbolic links". */
#ifndef HX_MODULES_H
#define HX_MODULES_H

#include "hx/import.h"
#include "hx/types.h"

/* An HMODULE is the address of the module's loader entry (xenia: X_LDR_DATA_TABLE_ENTRY). */
typedef struct {
  LIST_ENTRY InLoadOrderLinks, InMemoryOrderLinks, InInitializationOrderLinks; /* 0x00 */
  void* DllBase;            /* 0x18 (0 for XEX modules) */
  void* ImageBase;          /* 0x1C */
  DWORD ImageSize;          /* 0x20 */
  DWORD FullDllName[2];     /* 0x24 */
  DWORD BaseDllName[2];     /* 0x2C */
  DWORD Flags;              /* 0x34 */
  DWORD FullImageSize;      /* 0x38 */
  void* EntryPoint;         /* 0x3C */
  uint16_t LoadCount;       /* 0x40 */
  uint16_t ModuleIndex;     /* 0x42 */
  DWORD DllBaseOriginal;    /* 0x44 */
  DWORD CheckSum;           /* 0x48 */
  DWORD LoadFlags;          /* 0x4C */
  DWORD TimeDateStamp;      /* 0x50 */
  DWORD LoadedImports;      /* 0x54 */
  void* XexHeaderBase;      /* 0x58 */
  DWORD ClosureRoot;        /* 0x5C */
  DWORD TraversalParent;    /* 0x60 */
} LDR_DATA_TABLE_ENTRY;
typedef LDR_DATA_TABLE_ENTRY* HMODULE;

/* ExRegisterTitleTerminateNotification's record. */
typedef struct {
  void* NotificationRoutine;
  LONG Priority;
  LIST_ENTRY ListEntry;
} EX_TITLE_TERMINATE_REGISTRATION;

#define ERROR_NOT_FOUND 0x00000490u
#define STATUS_NO_SUCH_FILE ((NTSTATUS)0xC000000F)
#define STATUS_CONFLICTING_ADDRESSES ((NTSTATUS)0xC0000018)
#define STATUS_INVALID_IMAGE_FORMAT ((NTSTATUS)0xC000007B)
#define STATUS_DRIVER_ENTRYPOINT_NOT_FOUND ((NTSTATUS)0xC0000263)

/* XEX optional-header keys for RtlImageXexHeaderField. */
#define XEX_HEADER_RESOURCE_INFO 0x000002FFu
#define XEX_HEADER_ENTRY_POINT 0x00010100u
#define XEX_HEADER_IMAGE_BASE_ADDRESS 0x00010201u
#define XEX_HEADER_ORIGINAL_PE_NAME 0x000183FFu
#define XEX_HEADER_DEFAULT_STACK_SIZE 0x00020200u
#define XEX_HEADER_SYSTEM_FLAGS 0x00030000u
#define XEX_HEADER_EXECUTION_INFO 0x00040006u

HX_IMPORT(xboxkrnl, 0x0195, XexGetModuleHandle, DWORD, (const char* name, HMODULE* module));
HX_IMPORT(xboxkrnl, 0x0196, XexGetModuleSection, NTSTATUS,
          (HMODULE module, const char* name, void** data, DWORD* size));
HX_IMPORT(xboxkrnl, 0x0197, XexGetProcedureAddress, NTSTATUS, (HMODULE module, DWORD ordinal, void** address));
HX_IMPORT(xboxkrnl, 0x0194, XexCheckExecutablePrivilege, DWORD, (DWORD privilege));
HX_IMPORT(xboxkrnl, 0x0199, XexLoadImage, NTSTATUS,
          (const char* name, DWORD module_flags, DWORD min_version, HMODULE* module));
/* A DLL's load count drops; at 0 its DllMain(module, DLL_PROCESS_DETACH, 0) runs and it is unloaded. */
HX_IMPORT(xboxkrnl, 0x01A1, XexUnloadImage, NTSTATUS, (HMODULE module));
HX_IMPORT(xboxkrnl, 0x012B, RtlImageXexHeaderField, void*, (void* xex_header, DWORD key));
HX_IMPORT(xboxkrnl, 0x01A9, RtlImageNtHeader, void*, (void* module_base));
HX_IMPORT(xboxkrnl, 0x0015, ExRegisterTitleTerminateNotification, void,
          (EX_TITLE_TERMINATE_REGISTRATION* registration, BOOLEAN create));
HX_IMPORT_VAR(xboxkrnl, 0x0193, XexExecutableModuleHandle, HMODULE);
#define HX_EXECUTABLE_MODULE (*__imp_XexExecutableModuleHandle)

/* Symbolic links: names "\??\X:" or "X:"; game:, d: -> \Device\Cdrom0 and cache: -> \CACHE are built in. */
HX_IMPORT(xboxkrnl, 0x0103, ObCreateSymbolicLink, NTSTATUS, (ANSI_STRING* name, ANSI_STRING* target));
HX_IMPORT(xboxkrnl, 0x0104, ObDeleteSymbolicLink, NTSTATUS, (ANSI_STRING* name));
HX_IMPORT(xboxkrnl, 0x00E0, NtOpenSymbolicLinkObject, NTSTATUS, (HANDLE* handle, OBJECT_ATTRIBUTES* attributes));
HX_IMPORT(xboxkrnl, 0x00EC, NtQuerySymbolicLinkObject, NTSTATUS, (HANDLE handle, ANSI_STRING* target));

#endif
