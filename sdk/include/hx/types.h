/* hexad guest SDK: NT base types, 32-bit pointers, big-endian (the console's layout). */
#ifndef HX_TYPES_H
#define HX_TYPES_H

typedef unsigned char uint8_t;
typedef signed char int8_t;
typedef unsigned short uint16_t;
typedef short int16_t;
typedef unsigned int uint32_t;
typedef int int32_t;
typedef unsigned long long uint64_t;
typedef long long int64_t;
typedef unsigned int size_t;
typedef int ptrdiff_t;
typedef unsigned int uintptr_t;

#ifndef NULL
#define NULL ((void*)0)
#endif

typedef uint8_t BOOLEAN;
typedef uint8_t UCHAR;
typedef uint16_t USHORT;
typedef uint32_t ULONG;
typedef int32_t LONG;
typedef uint32_t DWORD;
typedef int32_t NTSTATUS;
typedef uint32_t HANDLE;  /* a handle is a 32-bit value, not a pointer */
typedef uint8_t KPROCESSOR_MODE;

#define TRUE 1
#define FALSE 0

#define STATUS_SUCCESS ((NTSTATUS)0x00000000)
#define STATUS_WAIT_0 ((NTSTATUS)0x00000000)
#define STATUS_ABANDONED_WAIT_0 ((NTSTATUS)0x00000080)
#define STATUS_USER_APC ((NTSTATUS)0x000000C0)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023)
#define STATUS_NOT_FOUND ((NTSTATUS)0xC0000225)
#define ERROR_INVALID_PARAMETER 0x057  /* Win32 error codes (XAM's results) */
#define STATUS_ALERTED ((NTSTATUS)0x00000101)
#define STATUS_TIMEOUT ((NTSTATUS)0x00000102)
#define STATUS_PENDING ((NTSTATUS)0x00000103)
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017)
#define STATUS_OBJECT_TYPE_MISMATCH ((NTSTATUS)0xC0000024)
#define STATUS_INVALID_PARAMETER_MIX ((NTSTATUS)0xC0000030)
#define STATUS_MUTANT_NOT_OWNED ((NTSTATUS)0xC0000046)
#define STATUS_SEMAPHORE_LIMIT_EXCEEDED ((NTSTATUS)0xC0000047)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009A)
#define NT_SUCCESS(s) ((NTSTATUS)(s) >= 0)

#define INVALID_HANDLE_VALUE ((HANDLE)0xFFFFFFFF)

/* 64-bit signed count of 100 ns units. As a timeout: negative = relative to now,
 * positive = absolute system time, NULL pointer = wait forever. */
typedef union {
  struct {
    uint32_t HighPart; /* big-endian: the high word comes first */
    uint32_t LowPart;
  } u;
  int64_t QuadPart;
} LARGE_INTEGER;

/* Relative timeout in milliseconds, as a LARGE_INTEGER value (negative 100 ns units). */
#define HX_RELATIVE_MS(ms) ((int64_t)(ms) * -10000LL)

typedef struct LIST_ENTRY {
  uint32_t Flink; /* guest addresses: 32-bit */
  uint32_t Blink;
} LIST_ENTRY;

/* 16 bytes. */
typedef struct {
  uint8_t Type;
  uint8_t Absolute;
  uint8_t Size;
  uint8_t Inserted;
  int32_t SignalState;
  LIST_ENTRY WaitListHead;
} DISPATCHER_HEADER;

/* Dispatcher object types (DISPATCHER_HEADER.Type). */
#define HX_OBJ_NOTIFICATION_EVENT 0
#define HX_OBJ_SYNCHRONIZATION_EVENT 1
#define HX_OBJ_SEMAPHORE 5

typedef struct {
  DISPATCHER_HEADER Header;
} KEVENT; /* 16 bytes */

typedef struct {
  DISPATCHER_HEADER Header;
  int32_t Limit;
} KSEMAPHORE; /* 20 bytes */

/* 24 bytes; only needed by KeWaitForMultipleObjects with more than 3 objects. */
typedef struct {
  LIST_ENTRY WaitListEntry;
  uint32_t Thread;
  uint32_t Object;
  uint32_t NextWaitBlock;
  uint16_t WaitKey;
  uint8_t WaitType;
  uint8_t Padding;
} KWAIT_BLOCK;

typedef struct {
  uint16_t Length;
  uint16_t MaximumLength;
  char* Buffer;
} ANSI_STRING;

typedef struct {
  HANDLE RootDirectory;
  ANSI_STRING* ObjectName;
  uint32_t Attributes;
} OBJECT_ATTRIBUTES;

typedef struct {
  NTSTATUS Status;
  uint32_t Information; /* bytes transferred; FILE_OPENED/FILE_CREATED... for an open */
} IO_STATUS_BLOCK;

/* 56 bytes: NtQueryFullAttributesFile, NtQueryInformationFile(FileNetworkOpenInformation). */
typedef struct {
  int64_t CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
  int64_t AllocationSize;
  int64_t EndOfFile;
  uint32_t FileAttributes;
  uint32_t Reserved;
} FILE_NETWORK_OPEN_INFORMATION;

/* NtQueryDirectoryFile: one entry, its name (not NUL-terminated) after the 64-byte header. */
typedef struct {
  uint32_t NextEntryOffset;
  uint32_t FileIndex;
  int64_t CreationTime, LastAccessTime, LastWriteTime, ChangeTime;
  int64_t EndOfFile;
  int64_t AllocationSize;
  uint32_t FileAttributes;
  uint32_t FileNameLength;
  char FileName[1];
} FILE_DIRECTORY_INFORMATION;

/* Access, dispositions, options, attributes and information classes of the file calls. */
#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define FILE_LIST_DIRECTORY 0x0001u
#define SYNCHRONIZE 0x00100000u
#define FILE_SHARE_READ 0x1u
#define FILE_SUPERSEDE 0
#define FILE_OPEN 1
#define FILE_CREATE 2
#define FILE_OPEN_IF 3
#define FILE_OVERWRITE 4
#define FILE_OVERWRITE_IF 5
#define FILE_DIRECTORY_FILE 0x1u
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20u
#define FILE_NON_DIRECTORY_FILE 0x40u
#define FILE_OPENED 1
#define FILE_CREATED 2
#define FILE_ATTRIBUTE_READONLY 0x01u
#define FILE_ATTRIBUTE_DIRECTORY 0x10u
#define FILE_ATTRIBUTE_NORMAL 0x80u
#define FileStandardInformation 5
#define FilePositionInformation 14
#define FileNetworkOpenInformation 34
#define FileFsSizeInformation 3

typedef struct {
  uint16_t Major;
  uint16_t Minor;
  uint16_t Build;
  uint16_t Qfe;
} XBOX_KRNL_VERSION;

/* EVENT_TYPE for NtCreateEvent / KeInitializeEvent. */
#define NotificationEvent 0
#define SynchronizationEvent 1

/* WAIT_TYPE for the multiple-object waits. */
#define WaitAll 0
#define WaitAny 1

/* KWAIT_REASON / KPROCESSOR_MODE values commonly passed. */
#define Executive 0
#define UserRequest 6
#define KernelMode 0
#define UserMode 1

/* ExCreateThread creation flags. */
#define HX_CREATE_SUSPENDED 0x00000001

typedef uint32_t (*HX_THREAD_START)(void* context);

#endif
