/* hostile_files: bad arguments to the file exports (run with --content tests/guest/content).
 * NULL and unmapped pointers, and a length running past mapped memory, fault the calling thread
 * before the call acts (each case in its own thread, tids 2, 3, ... in table order; main joins
 * it with a 1 ms timeout, which the fault's end of the thread satisfies at once, and checks the
 * call never returned). Bad, closed and
 * wrong-type handles, unknown classes and dispositions, huge offsets and a write past the
 * scratch file limit return a status. */
#define TITLE "hostile_files"
#include "title_util.h"
#include "file_util.h"

#define BAD 0x00001000u      /* unmapped */
#define BAD_HIGH 0xDEAD0000u /* unmapped */

static HANDLE file, event;
static char buf[64];
static IO_STATUS_BLOCK io;
static volatile uint32_t returned;
static PATH_ATTRIBUTES good;
static ANSI_STRING bad_name = {5, 5, (char*)BAD_HIGH};
static OBJECT_ATTRIBUTES bad_name_attributes = {0, &bad_name, 0};
static OBJECT_ATTRIBUTES unmapped_name_attributes = {0, (ANSI_STRING*)BAD, 0};

static void c_create_handle(void) {
  NtCreateFile((HANDLE*)BAD, GENERIC_READ, &good.attributes, &io, NULL, 0, 0, FILE_OPEN, 0);
}
static void c_create_io_status(void) {
  HANDLE h;
  NtCreateFile(&h, GENERIC_READ, &good.attributes, (IO_STATUS_BLOCK*)BAD_HIGH, NULL, 0, 0, FILE_OPEN, 0);
}
static void c_create_attributes_null(void) {
  HANDLE h;
  NtCreateFile(&h, GENERIC_READ, NULL, &io, NULL, 0, 0, FILE_OPEN, 0);
}
static void c_open_attributes(void) {
  HANDLE h;
  NtOpenFile(&h, GENERIC_READ, (OBJECT_ATTRIBUTES*)BAD_HIGH, &io, 0, 0);
}
static void c_open_name(void) {
  HANDLE h;
  NtOpenFile(&h, GENERIC_READ, &unmapped_name_attributes, &io, 0, 0);
}
static void c_open_name_buffer(void) {
  HANDLE h;
  NtOpenFile(&h, GENERIC_READ, &bad_name_attributes, &io, 0, 0);
}
static void c_read_buffer(void) { NtReadFile(file, 0, NULL, NULL, &io, (void*)BAD, 16, NULL); }
static void c_read_huge(void) { NtReadFile(file, 0, NULL, NULL, &io, buf, 0x7FFFFFFF, NULL); }
static void c_read_io_status(void) { NtReadFile(file, 0, NULL, NULL, NULL, buf, 4, NULL); }
static void c_read_offset(void) { NtReadFile(file, 0, NULL, NULL, &io, buf, 4, (LARGE_INTEGER*)BAD); }
static void c_write_buffer(void) { NtWriteFile(file, 0, NULL, NULL, &io, (void*)BAD_HIGH, 16, NULL); }
static void c_query_info(void) { NtQueryInformationFile(file, &io, (void*)BAD, 8, FilePositionInformation); }
static void c_set_info(void) { NtSetInformationFile(file, &io, (void*)BAD, 8, FilePositionInformation); }
static void c_full_attributes(void) { NtQueryFullAttributesFile(&good.attributes, NULL); }
static void c_volume(void) { NtQueryVolumeInformationFile(file, &io, (void*)BAD_HIGH, 24, FileFsSizeInformation); }
static void c_flush(void) { NtFlushBuffersFile(file, (IO_STATUS_BLOCK*)BAD); }

typedef struct {
  const char* name;
  void (*call)(void);
  uint32_t address;
  const char* access;
} Case;

static Case kCases[] = {
    {"NtCreateFile handle", c_create_handle, BAD, "write"},
    {"NtCreateFile io_status", c_create_io_status, BAD_HIGH, "write"},
    {"NtCreateFile attributes NULL", c_create_attributes_null, 0, "read"},
    {"NtOpenFile attributes", c_open_attributes, BAD_HIGH, "read"},
    {"NtOpenFile name", c_open_name, BAD, "read"},
    {"NtOpenFile name buffer", c_open_name_buffer, BAD_HIGH, "read"},
    {"NtReadFile buffer", c_read_buffer, BAD, "write"},
    {"NtReadFile huge length", c_read_huge, 0, "write"}, /* address: buf, set in main */
    {"NtReadFile io_status NULL", c_read_io_status, 0, "write"},
    {"NtReadFile byte_offset", c_read_offset, BAD, "read"},
    {"NtWriteFile buffer", c_write_buffer, BAD_HIGH, "read"},
    {"NtQueryInformationFile info", c_query_info, BAD, "write"},
    {"NtSetInformationFile info", c_set_info, BAD, "read"},
    {"NtQueryFullAttributesFile info NULL", c_full_attributes, 0, "write"},
    {"NtQueryVolumeInformationFile info", c_volume, BAD_HIGH, "write"},
    {"NtFlushBuffersFile io_status", c_flush, BAD, "write"},
};
#define CASES (sizeof kCases / sizeof kCases[0])

static uint32_t run_case(void* ctx) {
  kCases[(uint32_t)ctx].call();
  returned = 1;
  return 0;
}

int main(void) {
  path_attributes(&good, "game:\\hello.txt");
  kCases[7].address = (uint32_t)buf;
  expect("open hello.txt", (uint32_t)create_file(&file, "game:\\hello.txt", GENERIC_READ, FILE_OPEN, 0), 0);
  NtCreateEvent(&event, NULL, NotificationEvent, FALSE);

  DWORD last_tid = 1;
  for (uint32_t i = 0; i < CASES; ++i) {
    HANDLE h;
    DWORD tid = 0;
    returned = 0;
    ExCreateThread(&h, 0, &tid, NULL, run_case, (void*)i, 0);
    DbgPrint("hostile_files: case %s: tid %u faults %s at %x\n", kCases[i].name, tid, kCases[i].access,
             kCases[i].address);
    expect("its tid follows the last one", tid, last_tid + 1);
    last_tid = tid;
    LARGE_INTEGER t;
    t.QuadPart = HX_RELATIVE_MS(1);
    expect("its join returns (the fault ended it)", (uint32_t)NtWaitForSingleObjectEx(h, UserMode, FALSE, &t),
           STATUS_SUCCESS);
    expect("the call never returned", returned, 0);
    NtClose(h);
  }

  /* Statuses. */
  expect("read, unknown handle", (uint32_t)NtReadFile(0xDEAD0004u, 0, NULL, NULL, &io, buf, 4, NULL), 0xC0000008);
  expect("read, handle 0", (uint32_t)NtReadFile(0, 0, NULL, NULL, &io, buf, 4, NULL), 0xC0000008);
  expect("read, an event's handle", (uint32_t)NtReadFile(event, 0, NULL, NULL, &io, buf, 4, NULL), 0xC0000024);
  expect("query, an event's handle",
         (uint32_t)NtQueryInformationFile(event, &io, buf, 8, FilePositionInformation), 0xC0000024);
  expect("query, unknown class", (uint32_t)NtQueryInformationFile(file, &io, buf, sizeof buf, 99), 0xC0000003);
  expect("set, unknown class", (uint32_t)NtSetInformationFile(file, &io, buf, sizeof buf, 99), 0xC0000003);
  int64_t negative = -5;
  expect("set, negative position", (uint32_t)NtSetInformationFile(file, &io, &negative, 8, FilePositionInformation),
         0xC000000D);
  LARGE_INTEGER off;
  off.QuadPart = 0x7FFFFFFFFFFFFFFFll;
  expect("read at the largest offset", (uint32_t)NtReadFile(file, 0, NULL, NULL, &io, buf, 4, &off), 0xC0000011);
  expect("read of length 0", (uint32_t)NtReadFile(file, 0, NULL, NULL, &io, (void*)BAD, 0, NULL), 0);
  HANDLE h = 0;
  PATH_ATTRIBUTES p;
  IO_STATUS_BLOCK io2;
  expect("create, bad disposition",
         (uint32_t)NtCreateFile(&h, GENERIC_READ, path_attributes(&p, "cache:\\x"), &io2, NULL, 0, 0, 99, 0), 0xC000000D);
  expect("create, empty name", (uint32_t)create_file(&h, "", GENERIC_READ, FILE_OPEN, 0), 0xC000003A);
  HANDLE w = 0;
  expect("create cache:\\big", (uint32_t)create_file(&w, "cache:\\big", GENERIC_WRITE, FILE_OVERWRITE_IF, 0), 0);
  off.QuadPart = 0x7FFFFFFFFFFFll;
  expect("write far past the scratch file limit", (uint32_t)NtWriteFile(w, 0, NULL, NULL, &io, "x", 1, &off),
         0xC000007F);
  NtClose(w);
  expect("close the file", (uint32_t)NtClose(file), 0);
  expect("close it again", (uint32_t)NtClose(file), 0xC0000008);
  expect("read, closed handle", (uint32_t)NtReadFile(file, 0, NULL, NULL, &io, buf, 4, NULL), 0xC0000008);

  DbgPrint("hostile_files: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
