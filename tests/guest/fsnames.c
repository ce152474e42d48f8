/* fsnames: NtQueryDirectoryFile name patterns and symbolic links (README "Running a game image").
 * Run with --content tests/guest/content: hello.txt, numbers.txt, outside (a host symlink out of
 * the folder, never listed), sub/ with B.txt ("bb\n"), a.txt ("a\n"), c.txt ("ccc\n").
 *   - patterns: '*' and '?', case-insensitive, a pattern restarts the scan and holds for the
 *     calls after it (NULL), STATUS_NO_SUCH_FILE when it matches nothing, STATUS_NO_MORE_FILES at
 *     the end, STATUS_INVALID_PARAMETER for characters no name has, STATUS_INFO_LENGTH_MISMATCH
 *     for a buffer under 72 bytes;
 *   - links: the built-in game: -> \Device\Cdrom0 (NtOpenSymbolicLinkObject,
 *     NtQuerySymbolicLinkObject, truncation at MaximumLength), links the title creates (to a
 *     folder, to another link, to cache:), listing and opening through them, and the refusals
 *     (a link through "..", to a host path, a loop, bad names, unknown names and handles);
 *     ObDeleteSymbolicLink. The dump lists the links left: hexad: and sub:. */
#define TITLE "fsnames"
#include "title_util.h"
#include "file_util.h"

static char buf[256];
static FILE_DIRECTORY_INFORMATION* const entry = (FILE_DIRECTORY_INFORMATION*)buf;

static void ansi(ANSI_STRING* s, const char* text) {
  s->Length = (uint16_t)strlen(text);
  s->MaximumLength = s->Length;
  s->Buffer = (char*)text;
}

/* One NtQueryDirectoryFile call with pattern `pattern` (NULL: none); the status. */
static NTSTATUS list(HANDLE d, const char* pattern, BOOLEAN restart) {
  IO_STATUS_BLOCK io;
  ANSI_STRING p;
  if (pattern) ansi(&p, pattern);
  memset(buf, 0, sizeof buf);
  return NtQueryDirectoryFile(d, 0, NULL, NULL, &io, buf, sizeof buf, pattern ? &p : NULL, restart);
}

/* Whether the last entry listed is `name`. */
static uint32_t is(const char* name) {
  return entry->FileNameLength == strlen(name) && !memcmp(entry->FileName, name, strlen(name));
}

static NTSTATUS make_link(const char* name, const char* target) {
  ANSI_STRING n, t;
  ansi(&n, name);
  ansi(&t, target);
  return ObCreateSymbolicLink(&n, &t);
}

static NTSTATUS delete_link(const char* name) {
  ANSI_STRING n;
  ansi(&n, name);
  return ObDeleteSymbolicLink(&n);
}

static NTSTATUS open_link(HANDLE* h, const char* name) {
  PATH_ATTRIBUTES p;
  return NtOpenSymbolicLinkObject(h, path_attributes(&p, name));
}

/* Reads up to 8 bytes of `path` into buf; the status. */
static NTSTATUS read_file(const char* path, IO_STATUS_BLOCK* io) {
  HANDLE h = 0;
  NTSTATUS st = create_file(&h, path, GENERIC_READ, FILE_OPEN, 0);
  if (st) return st;
  memset(buf, 0, sizeof buf);
  st = NtReadFile(h, 0, NULL, NULL, io, buf, 8, NULL);
  NtClose(h);
  return st;
}

int main(void) {
  HANDLE d = 0, root = 0;
  IO_STATUS_BLOCK io;
  expect("open sub", (uint32_t)create_file(&d, "game:\\sub", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE), 0);

  /* --- patterns --- */
  expect("*.txt: first", (uint32_t)list(d, "*.txt", FALSE), 0);
  expect("*.txt: B.txt", is("B.txt"), 1);
  expect("next: a.txt", list(d, NULL, FALSE) == 0 && is("a.txt"), 1);
  expect("next: c.txt", list(d, NULL, FALSE) == 0 && is("c.txt"), 1);
  expect("next: no more files", (uint32_t)list(d, NULL, FALSE), 0x80000006);
  expect("A* (case-insensitive): a.txt", list(d, "A*", FALSE) == 0 && is("a.txt"), 1);
  expect("A*: no more files", (uint32_t)list(d, NULL, FALSE), 0x80000006);
  expect("restart keeps A*", list(d, NULL, TRUE) == 0 && is("a.txt"), 1);
  expect("?.TXT: B.txt", list(d, "?.TXT", FALSE) == 0 && is("B.txt"), 1);
  expect("?.TXT: a.txt", list(d, NULL, FALSE) == 0 && is("a.txt"), 1);
  expect("?.TXT: c.txt", list(d, NULL, FALSE) == 0 && is("c.txt"), 1);
  expect("b.txt names B.txt", list(d, "b.txt", FALSE) == 0 && is("B.txt"), 1);
  expect("c*t: c.txt", list(d, "c*t", FALSE) == 0 && is("c.txt"), 1);
  expect("c*t: no more files", (uint32_t)list(d, NULL, FALSE), 0x80000006);
  expect("*x*: B.txt", list(d, "*x*", FALSE) == 0 && is("B.txt"), 1);
  expect("*.doc: no such file", (uint32_t)list(d, "*.doc", FALSE), 0xC000000F);
  expect("??.txt: no such file", (uint32_t)list(d, "??.txt", FALSE), 0xC000000F);
  expect("a.txt*: a.txt (a star matches nothing too)", list(d, "a.txt*", FALSE) == 0 && is("a.txt"), 1);
  expect("* lists from the start", list(d, "*", FALSE) == 0 && is("B.txt"), 1);
  expect("a|b: invalid", (uint32_t)list(d, "a|b", FALSE), 0xC000000D);
  expect("sub\\a.txt: invalid", (uint32_t)list(d, "sub\\a.txt", FALSE), 0xC000000D);
  ANSI_STRING star;
  ansi(&star, "*");
  expect("71-byte buffer", (uint32_t)NtQueryDirectoryFile(d, 0, NULL, NULL, &io, buf, 71, &star, FALSE), 0xC0000004);
  expect("open game:\\", (uint32_t)create_file(&root, "game:\\", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE), 0);
  expect("root *.txt: hello.txt", list(root, "*.txt", FALSE) == 0 && is("hello.txt"), 1);
  expect("root *.txt: numbers.txt", list(root, NULL, FALSE) == 0 && is("numbers.txt"), 1);
  expect("root *.txt: no more files", (uint32_t)list(root, NULL, FALSE), 0x80000006);
  expect("root out*: the symlink out is not listed", (uint32_t)list(root, "out*", FALSE), 0xC000000F);
  NtClose(root);
  NtClose(d);

  /* --- the built-in links --- */
  HANDLE l = 0;
  expect("open \\??\\game:", (uint32_t)open_link(&l, "\\??\\game:"), 0);
  char target[32];
  ANSI_STRING t = {0, sizeof target, target};
  expect("query game:", (uint32_t)NtQuerySymbolicLinkObject(l, &t), 0);
  expect("game: -> \\Device\\Cdrom0", t.Length == 14 && !memcmp(target, "\\Device\\Cdrom0", 14), 1);
  ANSI_STRING t4 = {0, 4, target};
  memset(target, 0, sizeof target);
  expect("query into 4 bytes", (uint32_t)NtQuerySymbolicLinkObject(l, &t4), 0);
  expect("truncated at MaximumLength", t4.Length == 4 && !memcmp(target, "\\Dev", 4) && target[4] == 0, 1);
  expect("close the link handle", (uint32_t)NtClose(l), 0);
  expect("query a closed handle", (uint32_t)NtQuerySymbolicLinkObject(l, &t), 0xC000000F);
  HANDLE f = 0;
  create_file(&f, "game:\\hello.txt", GENERIC_READ, FILE_OPEN, 0);
  expect("query a file handle", (uint32_t)NtQuerySymbolicLinkObject(f, &t), 0xC000000F);
  NtClose(f);
  expect("open D: (case-insensitive)", (uint32_t)open_link(&l, "D:"), 0);
  NtClose(l);
  expect("open an unknown link", (uint32_t)open_link(&l, "\\??\\nosuch:"), 0xC000000F);
  expect("open with NULL attributes", (uint32_t)NtOpenSymbolicLinkObject(&l, NULL), 0xC000000D);
  expect("the device path itself", read_file("\\Device\\Cdrom0\\hello.txt", &io) == 0 && !memcmp(buf, "hexad", 5), 1);

  /* --- links the title creates --- */
  expect("create hexad: -> game:\\sub", (uint32_t)make_link("\\??\\hexad:", "\\??\\game:\\sub\\"), 0);
  expect("read hexad:\\a.txt", read_file("hexad:\\a.txt", &io) == 0 && io.Information == 2 && !memcmp(buf, "a\n", 2), 1);
  expect("open hexad:", (uint32_t)open_link(&l, "hexad:"), 0);
  t.Length = 0;
  memset(target, 0, sizeof target);
  expect("query hexad:", (uint32_t)NtQuerySymbolicLinkObject(l, &t), 0);
  expect("hexad: -> game:\\sub", t.Length == 9 && !memcmp(target, "game:\\sub", 9), 1);
  NtClose(l);
  expect("create sub: -> hexad:", (uint32_t)make_link("sub:", "hexad:"), 0);
  expect("read sub:\\c.txt (a link to a link)", read_file("sub:\\C.TXT", &io) == 0 && !memcmp(buf, "ccc\n", 4), 1);
  expect("list through a link", create_file(&d, "sub:\\", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE) == 0 &&
                                    list(d, "*", FALSE) == 0 && is("B.txt"), 1);
  NtClose(d);
  expect("create scr: -> cache:", (uint32_t)make_link("scr:", "cache:"), 0);
  HANDLE w = 0;
  expect("create scr:\\linked.txt", (uint32_t)create_file(&w, "scr:\\linked.txt", GENERIC_WRITE, FILE_CREATE, 0), 0);
  expect("write it", (uint32_t)NtWriteFile(w, 0, NULL, NULL, &io, "via", 3, NULL), 0);
  NtClose(w);
  expect("read it as cache:\\linked.txt", read_file("cache:\\linked.txt", &io) == 0 && !memcmp(buf, "via", 3), 1);
  expect("write through a link to game:", (uint32_t)create_file(&w, "hexad:\\new.txt", GENERIC_WRITE, FILE_CREATE, 0),
         0xC0000022);

  /* --- refusals: links lead nowhere the devices do not --- */
  expect("create esc: -> game:\\..", (uint32_t)make_link("esc:", "game:\\.."), 0);
  expect("read esc:\\hello.txt", (uint32_t)read_file("esc:\\hello.txt", &io), 0xC0000033);
  expect("create host: -> /etc", (uint32_t)make_link("host:", "/etc"), 0);
  expect("read host:\\passwd", (uint32_t)read_file("host:\\passwd", &io), 0xC000003A);
  expect("create loop: -> loop:", (uint32_t)make_link("loop:", "loop:"), 0);
  expect("read loop:\\x", (uint32_t)read_file("loop:\\x", &io), 0xC000003A);
  expect("read hexad:\\..\\hello.txt", (uint32_t)read_file("hexad:\\..\\hello.txt", &io), 0xC0000033);
  expect("read hexad:\\..\\..\\secret.txt", (uint32_t)read_file("hexad:\\..\\..\\secret.txt", &io), 0xC0000033);
  expect("a name without a colon", (uint32_t)make_link("nocolon", "game:"), 0xC0000033);
  expect("a name with a separator", (uint32_t)make_link("a\\b:", "game:"), 0xC0000033);
  expect("a name with two colons", (uint32_t)make_link("a:b:", "game:"), 0xC0000033);
  expect("delete esc:", (uint32_t)delete_link("\\??\\esc:"), 0);
  expect("delete esc: again", (uint32_t)delete_link("esc:"), 0xC0000001);
  expect("read esc:\\hello.txt after", (uint32_t)read_file("esc:\\hello.txt", &io), 0xC000003A);
  expect("delete host:", (uint32_t)delete_link("host:"), 0);
  expect("delete loop:", (uint32_t)delete_link("LOOP:"), 0);
  expect("delete scr:", (uint32_t)delete_link("scr:"), 0);

  DbgPrint("fsnames: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
