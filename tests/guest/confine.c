/* confine: paths never leave the mapped folders. Run with --content tests/guest/content, where
 * `outside` is a host symlink to ../secret.txt (beside the content folder, outside it).
 *   - `..` and `.` components are refused (STATUS_OBJECT_NAME_INVALID), however they would
 *     resolve: game:\..\secret.txt, game:\sub\..\..\secret.txt, even game:\sub\..\hello.txt;
 *   - a host separator in a name is refused (game:\sub/../hello.txt);
 *   - a host absolute path, an unknown device and a bare name: STATUS_OBJECT_PATH_NOT_FOUND;
 *   - the symlink out of the folder: STATUS_ACCESS_DENIED, by open, by attributes query, and as
 *     a directory to look through; it is not listed either;
 *   - cache:\..\ is refused as game:\..\ is. */
#define TITLE "confine"
#include "title_util.h"
#include "file_util.h"

static char buf[128];

static void refused(const char* path, uint32_t want) {
  HANDLE h = 0x1234;
  NTSTATUS st = create_file(&h, path, GENERIC_READ, FILE_OPEN, 0);
  DbgPrint("confine: open %s = %x (want %x) %s\n", path, (uint32_t)st, want, (uint32_t)st == want ? "ok" : "FAIL");
  failures += (uint32_t)st != want;
  expect("  no handle", h, 0);
}

int main(void) {
  refused("game:\\..\\secret.txt", 0xC0000033);
  refused("game:\\sub\\..\\..\\secret.txt", 0xC0000033);
  refused("game:\\sub\\..\\hello.txt", 0xC0000033);
  refused("game:\\.\\hello.txt", 0xC0000033);
  refused("d:\\..\\..\\..\\..\\etc\\passwd", 0xC0000033);
  refused("game:\\sub/../hello.txt", 0xC0000033);
  refused("game:\\..", 0xC0000033);
  refused("cache:\\..\\..\\run.json", 0xC0000033);
  refused("/etc/passwd", 0xC000003A);
  refused("\\etc\\passwd", 0xC000003A);
  refused("c:\\windows\\win.ini", 0xC000003A);
  refused("hello.txt", 0xC000003A);
  refused("game:\\outside", 0xC0000022);
  refused("game:\\outside\\x", 0xC0000022);

  PATH_ATTRIBUTES p;
  FILE_NETWORK_OPEN_INFORMATION info;
  expect("attributes of game:\\outside",
         (uint32_t)NtQueryFullAttributesFile(path_attributes(&p, "game:\\outside"), &info), 0xC0000022);
  expect("attributes of game:\\..\\secret.txt",
         (uint32_t)NtQueryFullAttributesFile(path_attributes(&p, "game:\\..\\secret.txt"), &info), 0xC0000033);

  /* The root's listing: hello.txt, numbers.txt, sub; never `outside`. */
  HANDLE d = 0;
  IO_STATUS_BLOCK io;
  expect("open game:\\", (uint32_t)create_file(&d, "game:\\", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE), 0);
  uint32_t listed = 0, saw_outside = 0;
  FILE_DIRECTORY_INFORMATION* entry = (FILE_DIRECTORY_INFORMATION*)buf;
  while (NtQueryDirectoryFile(d, 0, NULL, NULL, &io, buf, sizeof buf, NULL, 0) == 0) {
    ++listed;
    saw_outside += entry->FileNameLength == 7 && memcmp(entry->FileName, "outside", 7) == 0;
  }
  expect("root entries listed", listed, 3);
  expect("outside listed", saw_outside, 0);
  NtClose(d);

  /* The handles that do open stay usable: the refusals changed nothing. */
  HANDLE h = 0;
  expect("open game:\\hello.txt", (uint32_t)create_file(&h, "game:\\hello.txt", GENERIC_READ, FILE_OPEN, 0), 0);
  expect("close it", (uint32_t)NtClose(h), 0);

  DbgPrint("confine: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
