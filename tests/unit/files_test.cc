// The file system's path confinement and its guest-visible determinism (kernel/xboxkrnl/files.h),
// on a temporary content folder with a symlink out of it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "kernel/xboxkrnl/files.h"

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
