// The file system's path confinement and its guest-visible determinism (kernel/xboxkrnl/files.h),
// on a temporary content folder with a symlink out of it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "kernel/xboxkrnl/files.h"
#include "kernel/xboxkrnl/objects.h"

namespace fs = std::filesystem;
using namespace hexad::kernel;

namespace {

struct Folders {
  fs::path base;
  Folders() {
    base = fs::temp_directory_path() / ("hexad_files_test_" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base / "content" / "sub");
    std::ofstream(base / "secret") << "secret";
    std::ofstream(base / "content" / "a.txt") << "abc";
    std::ofstream(base / "content" / "sub" / "z") << "";
    std::ofstream(base / "content" / "sub" / "Y") << "";
    fs::create_symlink(base / "secret", base / "content" / "out_abs");
    fs::create_symlink("../secret", base / "content" / "out_rel");
    fs::create_symlink("a.txt", base / "content" / "in_rel");
  }
  ~Folders() { fs::remove_all(base); }
};

}  // namespace

TEST_CASE("files: paths never leave the content folder") {
  Folders f;
  FileSystem files;
  files.configure(f.base / "content", f.base / "scratch");
  CHECK(files.resolve("game:\\a.txt").status == 0);
  CHECK(files.resolve("D:\\A.TXT").status == 0);
  CHECK(files.resolve("game:\\..\\secret").status == kStatusObjectNameInvalid);
  CHECK(files.resolve("game:\\sub\\..\\..\\secret").status == kStatusObjectNameInvalid);
  CHECK(files.resolve("game:\\sub/../../secret").status == kStatusObjectNameInvalid);
  CHECK(files.resolve(f.base.string() + "/secret").status == kStatusObjectPathNotFound);
  CHECK(files.resolve("\\??\\c:\\secret").status == kStatusObjectPathNotFound);
  CHECK(files.resolve("game:\\out_abs").status == kStatusAccessDenied);
  CHECK(files.resolve("game:\\out_rel").status == kStatusAccessDenied);
  CHECK(files.resolve("game:\\in_rel").status == 0);  // a symlink that stays inside is fine
  CHECK(files.resolve("cache:\\..\\content\\a.txt").status == kStatusObjectNameInvalid);
  CHECK_FALSE(files.resolve("game:\\a.txt").writable);
  CHECK(files.resolve("cache:\\x").writable);
}

TEST_CASE("files: writes under game: are refused and the scratch folder takes them") {
  Folders f;
  FileSystem files;
  files.configure(f.base / "content", f.base / "scratch");
  uint32_t handle = 0, info = 0;
  CHECK(files.open("game:\\a.txt", Disposition::Open, true, false, false, &handle, &info) == kStatusAccessDenied);
  CHECK(files.open("game:\\new", Disposition::Create, false, false, false, &handle, &info) == kStatusAccessDenied);
  CHECK(files.open("game:\\a.txt", Disposition::OverwriteIf, false, false, false, &handle, &info) == kStatusAccessDenied);
  CHECK(fs::file_size(f.base / "content" / "a.txt") == 3);
  REQUIRE(files.open("cache:\\w", Disposition::Create, true, false, false, &handle, &info) == 0);
  OpenFile* w = files.by_handle(handle);
  REQUIRE(w);
  CHECK(files.write(*w, 2, "hi"));
  CHECK(fs::file_size(f.base / "scratch" / "w") == 4);
  std::string out;
  CHECK(files.read(*w, 0, 16, out) == 4);
  CHECK(out == std::string("\0\0hi", 4));
  CHECK(files.read(*w, 4, 16, out) == 0);
  CHECK(files.close(handle));
  CHECK_FALSE(files.close(handle));
}

TEST_CASE("files: listings are sorted bytewise and leave out symlinks out of the folder") {
  Folders f;
  FileSystem files;
  files.configure(f.base / "content", f.base / "scratch");
  uint32_t handle = 0, info = 0;
  REQUIRE(files.open("game:\\", Disposition::Open, false, true, false, &handle, &info) == 0);
  OpenFile* d = files.by_handle(handle);
  REQUIRE(d);
  std::vector<std::string> names;
  while (auto n = files.next_entry(*d, false)) names.push_back(*n);
  CHECK(names == std::vector<std::string>{"a.txt", "in_rel", "sub"});
  REQUIRE(files.open("game:\\sub", Disposition::Open, false, true, false, &handle, &info) == 0);
  d = files.by_handle(handle);
  CHECK(files.next_entry(*d, false) == std::optional<std::string>("Y"));
  CHECK(files.next_entry(*d, false) == std::optional<std::string>("z"));
  CHECK(files.next_entry(*d, false) == std::nullopt);
  CHECK(files.next_entry(*d, true) == std::optional<std::string>("Y"));
}

TEST_CASE("files: name patterns match as the console's wildcards do") {
  CHECK(name_matches("a.txt", "*"));
  CHECK(name_matches("a.txt", "*.txt"));
  CHECK(name_matches("A.TXT", "a.t?t"));
  CHECK(name_matches("a.txt", "a.txt*"));   // a star matches nothing too
  CHECK(name_matches("abcbc", "*bc"));      // backtracking: the first "bc" is not the end
  CHECK(name_matches("aXbXc", "a*b*c"));
  CHECK(name_matches("", "*"));
  CHECK_FALSE(name_matches("a.txt", "?"));
  CHECK_FALSE(name_matches("a.txt", "*.doc"));
  CHECK_FALSE(name_matches("ab", "a?b"));   // '?' is exactly one character
  CHECK_FALSE(name_matches("abc", "*bcd"));
  CHECK_FALSE(name_matches("readme", "*.*"));  // "*.*" wants a dot, as xenia's engine does
  CHECK(valid_pattern("*.t?t"));
  CHECK_FALSE(valid_pattern("a|b"));
  CHECK_FALSE(valid_pattern("sub\\a"));
  CHECK_FALSE(valid_pattern(std::string("a\x01", 2)));
}

TEST_CASE("files: symbolic links resolve through the devices and stay confined") {
  Folders f;
  FileSystem files;
  files.configure(f.base / "content", f.base / "scratch");
  CHECK(files.resolve("\\Device\\Cdrom0\\a.txt").status == 0);
  CHECK(files.resolve("\\device\\cdrom0x\\a.txt").status == kStatusObjectPathNotFound);
  CHECK(files.create_link("\\??\\s:", "game:\\sub") == 0);
  CHECK(files.resolve("S:\\Y").status == 0);
  CHECK(files.resolve("s:Y").status == kStatusObjectNameInvalid);  // a link's name ends at its colon
  CHECK(files.resolve("s:\\..\\a.txt").status == kStatusObjectNameInvalid);
  CHECK(files.create_link("up:", "game:\\..") == 0);
  CHECK(files.resolve("up:\\secret").status == kStatusObjectNameInvalid);
  CHECK(files.create_link("w:", "s:") == 0);  // a link to a link
  CHECK(files.resolve("w:\\z").host == f.base / "content" / "sub" / "z");
  CHECK(files.create_link("scr:", "cache:") == 0);
  CHECK(files.resolve("scr:\\x").writable);
  CHECK(files.create_link("a:", "b:") == 0);
  CHECK(files.create_link("b:", "a:") == 0);  // a loop ends after kMaxLinkDepth replacements
  CHECK(files.resolve("a:\\x").status == kStatusObjectPathNotFound);
  CHECK(files.create_link("bad", "game:") == kStatusObjectNameInvalid);
  CHECK(files.create_link("x\\y:", "game:") == kStatusObjectNameInvalid);
  uint32_t handle = 0;
  REQUIRE(files.open_link("\\??\\GAME:", &handle) == 0);
  REQUIRE(files.link_target(handle));
  CHECK(*files.link_target(handle) == "\\Device\\Cdrom0");
  CHECK(files.close(handle));
  CHECK(files.link_target(handle) == nullptr);
  CHECK(files.open_link("nosuch:", &handle) == kStatusNoSuchFile);
  CHECK(files.delete_link("s:") == 0);
  CHECK(files.delete_link("s:") == kStatusUnsuccessful);
  CHECK(files.resolve("w:\\z").status == kStatusObjectPathNotFound);
}

TEST_CASE("files: a directory pattern filters the listing") {
  Folders f;
  FileSystem files;
  files.configure(f.base / "content", f.base / "scratch");
  uint32_t handle = 0, info = 0;
  REQUIRE(files.open("game:\\", Disposition::Open, false, true, false, &handle, &info) == 0);
  OpenFile* d = files.by_handle(handle);
  REQUIRE(d);
  d->pattern = "*_*";
  std::vector<std::string> names;
  for (auto n = files.next_entry(*d, true); n; n = files.next_entry(*d, false)) names.push_back(*n);
  CHECK(names == std::vector<std::string>{"in_rel"});  // out_abs and out_rel lead out: never listed
}
