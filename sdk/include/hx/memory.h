/* hexad guest SDK: the memory exports (virtual and physical allocation, protections, queries,
 * the pool). Included by hx/kernel.h. Constants are the console's (xenia's xbox.h X_MEM_* /
 * X_PAGE_*); the address map they act on is in docs/memory.md. */
#ifndef HX_MEMORY_H
#define HX_MEMORY_H
#include "hx/import.h"
#include "hx/types.h"

#define MEM_COMMIT 0x00001000
#define MEM_RESERVE 0x00002000
#define MEM_DECOMMIT 0x00004000
#define MEM_RELEASE 0x00008000
#define MEM_FREE 0x00010000
#define MEM_PRIVATE 0x00020000
#define MEM_RESET 0x00080000
#define MEM_TOP_DOWN 0x00100000
#define MEM_NOZERO 0x00800000
#define MEM_LARGE_PAGES 0x20000000
#define MEM_16MB_PAGES 0x80000000

#define PAGE_NOACCESS 0x001
#define PAGE_READONLY 0x002
#define PAGE_READWRITE 0x004
#define PAGE_WRITECOPY 0x008
#define PAGE_EXECUTE 0x010
#define PAGE_EXECUTE_READ 0x020
#define PAGE_EXECUTE_READWRITE 0x040
#define PAGE_GUARD 0x100
#define PAGE_NOCACHE 0x200
#define PAGE_WRITECOMBINE 0x400

#define STATUS_ACCESS_DENIED ((NTSTATUS)0xC0000022)
#define STATUS_INVALID_PAGE_PROTECTION ((NTSTATUS)0xC0000045)
#define STATUS_MEMORY_NOT_ALLOCATED ((NTSTATUS)0xC00000A0)

/* 28 bytes, big-endian words. */
typedef struct {
  uint32_t BaseAddress;
  uint32_t AllocationBase;
  uint32_t AllocationProtect;
  uint32_t RegionSize;
  uint32_t State;
  uint32_t Protect;
  uint32_t Type;
} MEMORY_BASIC_INFORMATION;

/* 104 bytes; set Length to 104 before MmQueryStatistics. */
typedef struct {
  uint32_t AvailablePages;
  uint32_t TotalVirtualMemoryBytes;
  uint32_t ReservedVirtualMemoryBytes;
  uint32_t PhysicalPages;
  uint32_t PoolPages;
  uint32_t StackPages;
  uint32_t ImagePages;
  uint32_t HeapPages;
  uint32_t VirtualPages;
  uint32_t PageTablePages;
  uint32_t CachePages;
} MM_STATISTICS_SECTION;
typedef struct {
  uint32_t Length;
  uint32_t TotalPhysicalPages;
  uint32_t KernelPages;
  MM_STATISTICS_SECTION Title;
  MM_STATISTICS_SECTION System;
  uint32_t HighestPhysicalPage;
} MM_STATISTICS;

HX_IMPORT(xboxkrnl, 0x00CC, NtAllocateVirtualMemory, NTSTATUS,
          (void** base, uint32_t* size, DWORD allocation_type, DWORD protect, BOOLEAN debug_memory));
HX_IMPORT(xboxkrnl, 0x00DC, NtFreeVirtualMemory, NTSTATUS,
          (void** base, uint32_t* size, DWORD free_type, BOOLEAN debug_memory));
HX_IMPORT(xboxkrnl, 0x00E1, NtProtectVirtualMemory, NTSTATUS,
          (void** base, uint32_t* size, DWORD protect, DWORD* old_protect, BOOLEAN debug_memory));
HX_IMPORT(xboxkrnl, 0x00EE, NtQueryVirtualMemory, NTSTATUS,
          (void* address, MEMORY_BASIC_INFORMATION* info, DWORD region_type));
HX_IMPORT(xboxkrnl, 0x00B9, MmAllocatePhysicalMemory, void*, (DWORD flags, uint32_t size, DWORD protect));
HX_IMPORT(xboxkrnl, 0x00BA, MmAllocatePhysicalMemoryEx, void*,
          (DWORD flags, uint32_t size, DWORD protect, uint32_t min_address, uint32_t max_address, uint32_t alignment));
HX_IMPORT(xboxkrnl, 0x00BD, MmFreePhysicalMemory, void, (DWORD type, void* address));
HX_IMPORT(xboxkrnl, 0x00BE, MmGetPhysicalAddress, uint32_t, (void* address));
HX_IMPORT(xboxkrnl, 0x00BF, MmIsAddressValid, BOOLEAN, (void* address));
HX_IMPORT(xboxkrnl, 0x00C4, MmQueryAddressProtect, DWORD, (void* address));
HX_IMPORT(xboxkrnl, 0x00C5, MmQueryAllocationSize, uint32_t, (void* address));
HX_IMPORT(xboxkrnl, 0x00C6, MmQueryStatistics, NTSTATUS, (MM_STATISTICS* stats));
HX_IMPORT(xboxkrnl, 0x00C7, MmSetAddressProtect, void, (void* address, uint32_t size, DWORD protect));
HX_IMPORT(xboxkrnl, 0x0009, ExAllocatePool, void*, (uint32_t size));
HX_IMPORT(xboxkrnl, 0x000A, ExAllocatePoolWithTag, void*, (uint32_t size, DWORD tag));
HX_IMPORT(xboxkrnl, 0x000B, ExAllocatePoolTypeWithTag, void*, (uint32_t size, DWORD tag, DWORD pool_type));
HX_IMPORT(xboxkrnl, 0x000F, ExFreePool, void, (void* address));

#endif
