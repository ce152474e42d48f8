/* fileio: the content folder and the scratch folder (README "Running a game image"). Run with
 * --content tests/guest/content, which holds hello.txt ("hexad content folder\n"), numbers.txt
 * (100 bytes: "0123456789" ten times) and sub/ with a.txt, B.txt, c.txt.
 *   - reads hello.txt through game:\ and d:\ (names are case-insensitive) and checks the bytes;
 *   - reads numbers.txt at the position, at an offset, past EOF (STATUS_END_OF_FILE), and seeks;
 *   - queries sizes and attributes (NtQueryInformationFile, NtQueryFullAttributesFile) and the
 *     volume (NtQueryVolumeInformationFile); opens with NtOpenFile too;
 *   - lists sub/ (sorted bytewise: B.txt before a.txt) until STATUS_NO_MORE_FILES;
 *   - opening a missing file: STATUS_OBJECT_NAME_NOT_FOUND; in a missing folder:
 *     STATUS_OBJECT_PATH_NOT_FOUND; writing into game:\: STATUS_ACCESS_DENIED;
 *   - writes cache:\out.txt (the run's scratch folder) and reads it back;
 *   - a read handle used after NtClose: STATUS_INVALID_HANDLE. */
#define TITLE "fileio"
#include "title_util.h"
#include "file_util.h"

static char buf[256];

int main(void) {
  HANDLE h = 0, d = 0, w = 0;
  IO_STATUS_BLOCK io;
  PATH_ATTRIBUTES p;

  expect("open game:\\hello.txt", (uint32_t)create_file(&h, "game:\\hello.txt", GENERIC_READ, FILE_OPEN, 0), 0);
  memset(buf, 0, sizeof buf);
  expect("read hello.txt", (uint32_t)NtReadFile(h, 0, NULL, NULL, &io, buf, sizeof buf, NULL), 0);
  expect("read hello.txt bytes", io.Information, 21);
  expect("hello.txt content", (uint32_t)memcmp(buf, "hexad content folder\n", 21), 0);
  expect("read at EOF", (uint32_t)NtReadFile(h, 0, NULL, NULL, &io, buf, sizeof buf, NULL), 0xC0000011);
  expect("read at EOF io.Status", (uint32_t)io.Status, 0xC0000011);
  expect("read at EOF bytes", io.Information, 0);
  expect("close hello.txt", (uint32_t)NtClose(h), 0);
  expect("read after close", (uint32_t)NtReadFile(h, 0, NULL, NULL, &io, buf, 4, NULL), 0xC0000008);

  expect("open d:\\HELLO.TXT", (uint32_t)create_file(&h, "d:\\HELLO.TXT", GENERIC_READ, FILE_OPEN, 0), 0);
  memset(buf, 0, sizeof buf);
  NtReadFile(h, 0, NULL, NULL, &io, buf, 5, NULL);
  expect("d:\\HELLO.TXT first 5 bytes", (uint32_t)memcmp(buf, "hexad", 5), 0);
  NtClose(h);

  expect("NtOpenFile d:\\sub\\a.txt",
         (uint32_t)NtOpenFile(&h, GENERIC_READ, path_attributes(&p, "d:\\sub\\a.txt"), &io, FILE_SHARE_READ, 0), 0);
  expect("NtOpenFile information", io.Information, FILE_OPENED);
  struct {
    int64_t total, available;
    uint32_t sectors_per_unit, bytes_per_sector;
  } volume;
  expect("volume size", (uint32_t)NtQueryVolumeInformationFile(h, &io, &volume, sizeof volume, FileFsSizeInformation), 0);
  expect("volume bytes per sector", volume.bytes_per_sector, 0x800);
  NtClose(h);

  expect("open numbers.txt", (uint32_t)create_file(&h, "game:\\numbers.txt", GENERIC_READ, FILE_OPEN, 0), 0);
  LARGE_INTEGER off;
  off.QuadPart = 95;
  memset(buf, 0, sizeof buf);
  expect("read 10 at 95", (uint32_t)NtReadFile(h, 0, NULL, NULL, &io, buf, 10, &off), 0);
  expect("read 10 at 95: bytes", io.Information, 5);
  expect("read 10 at 95: content", (uint32_t)memcmp(buf, "56789", 5), 0);
  off.QuadPart = 100;
  expect("read at offset 100", (uint32_t)NtReadFile(h, 0, NULL, NULL, &io, buf, 10, &off), 0xC0000011);
  off.QuadPart = 1000000;
  expect("read far past EOF", (uint32_t)NtReadFile(h, 0, NULL, NULL, &io, buf, 10, &off), 0xC0000011);
  int64_t position = 0;
  NtQueryInformationFile(h, &io, &position, 8, FilePositionInformation);
  expect("position after read at 95", (uint32_t)position, 100);
  position = 13;
  expect("seek to 13", (uint32_t)NtSetInformationFile(h, &io, &position, 8, FilePositionInformation), 0);
  NtReadFile(h, 0, NULL, NULL, &io, buf, 4, NULL);
  expect("read after seek", (uint32_t)memcmp(buf, "3456", 4), 0);
  struct {
    int64_t allocation, end_of_file;
    uint32_t links;
    uint8_t delete_pending, directory, pad[2];
  } standard;
  expect("query standard info", (uint32_t)NtQueryInformationFile(h, &io, &standard, sizeof standard, FileStandardInformation), 0);
  expect("numbers.txt end of file", (uint32_t)standard.end_of_file, 100);
  expect("numbers.txt is no directory", standard.directory, 0);
  expect("query info, short buffer", (uint32_t)NtQueryInformationFile(h, &io, &standard, 4, FileStandardInformation),
         0xC0000004);
  NtClose(h);

  FILE_NETWORK_OPEN_INFORMATION info;
  expect("full attributes numbers.txt",
         (uint32_t)NtQueryFullAttributesFile(path_attributes(&p, "game:\\numbers.txt"), &info), 0);
  expect("numbers.txt size", (uint32_t)info.EndOfFile, 100);
  expect("numbers.txt attributes", info.FileAttributes, FILE_ATTRIBUTE_READONLY);
  expect("full attributes sub", (uint32_t)NtQueryFullAttributesFile(path_attributes(&p, "game:\\sub"), &info), 0);
  expect("sub attributes", info.FileAttributes, FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_READONLY);
  expect("full attributes missing",
         (uint32_t)NtQueryFullAttributesFile(path_attributes(&p, "game:\\missing.txt"), &info), 0xC0000034);

  expect("open missing file", (uint32_t)create_file(&h, "game:\\missing.txt", GENERIC_READ, FILE_OPEN, 0), 0xC0000034);
  expect("open in missing folder", (uint32_t)create_file(&h, "game:\\nope\\x.txt", GENERIC_READ, FILE_OPEN, 0),
         0xC000003A);
  expect("open game:\\ for writing", (uint32_t)create_file(&h, "game:\\hello.txt", GENERIC_WRITE, FILE_OPEN, 0),
         0xC0000022);
  expect("create in game:\\", (uint32_t)create_file(&h, "game:\\new.txt", GENERIC_READ, FILE_CREATE, 0), 0xC0000022);
  expect("open sub as a file", (uint32_t)create_file(&h, "game:\\sub", GENERIC_READ, FILE_OPEN, FILE_NON_DIRECTORY_FILE),
         0xC00000BA);

  /* The listing of sub/: bytewise order, one entry a call. */
  expect("open sub", (uint32_t)create_file(&d, "game:\\sub", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE), 0);
  static const char* const want[] = {"B.txt", "a.txt", "c.txt"};
  static const uint32_t want_size[] = {3, 2, 4};
  FILE_DIRECTORY_INFORMATION* entry = (FILE_DIRECTORY_INFORMATION*)buf;
  for (int i = 0; i < 3; ++i) {
    memset(buf, 0, sizeof buf);
    NTSTATUS st = NtQueryDirectoryFile(d, 0, NULL, NULL, &io, buf, sizeof buf, NULL, i == 0);
    expect("list sub: status", (uint32_t)st, 0);
    expect("list sub: name length", entry->FileNameLength, strlen(want[i]));
    expect("list sub: name", (uint32_t)memcmp(entry->FileName, want[i], strlen(want[i])), 0);
    expect("list sub: size", (uint32_t)entry->EndOfFile, want_size[i]);
  }
  expect("list sub: no more files", (uint32_t)NtQueryDirectoryFile(d, 0, NULL, NULL, &io, buf, sizeof buf, NULL, 0),
         0x80000006);
  NtQueryDirectoryFile(d, 0, NULL, NULL, &io, buf, sizeof buf, NULL, 1);
  expect("list sub: restart gives B.txt", (uint32_t)memcmp(entry->FileName, "B.txt", 5), 0);
  expect("read a directory", (uint32_t)NtReadFile(d, 0, NULL, NULL, &io, buf, 4, NULL), 0xC000000D);
  expect("close sub", (uint32_t)NtClose(d), 0);

  /* The scratch folder. */
  expect("create cache:\\out.txt",
         (uint32_t)create_file(&w, "cache:\\out.txt", GENERIC_READ | GENERIC_WRITE, FILE_OVERWRITE_IF, 0), 0);
  expect("write out.txt", (uint32_t)NtWriteFile(w, 0, NULL, NULL, &io, "scratch bytes", 13, NULL), 0);
  expect("write out.txt bytes", io.Information, 13);
  expect("flush out.txt", (uint32_t)NtFlushBuffersFile(w, &io), 0);
  off.QuadPart = 8;
  memset(buf, 0, sizeof buf);
  expect("read out.txt back", (uint32_t)NtReadFile(w, 0, NULL, NULL, &io, buf, 32, &off), 0);
  expect("read out.txt back: bytes", io.Information, 5);
  expect("read out.txt back: content", (uint32_t)memcmp(buf, "bytes", 5), 0);
  NtClose(w);
  expect("create existing out.txt", (uint32_t)create_file(&w, "cache:\\out.txt", GENERIC_WRITE, FILE_CREATE, 0),
         0xC0000035);
  expect("write to a read handle", (uint32_t)create_file(&h, "game:\\hello.txt", GENERIC_READ, FILE_OPEN, 0), 0);
  expect("write into game:\\", (uint32_t)NtWriteFile(h, 0, NULL, NULL, &io, "x", 1, NULL), 0xC0000022);
  NtClose(h);

  DbgPrint("fileio: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
