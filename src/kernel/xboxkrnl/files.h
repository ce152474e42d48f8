// The title's file system (HLE): guest paths `game:\...` and `d:\...` name files of the content
// folder (read-only), `cache:\...` files of the run's scratch folder (read-write, inside the
// run's output folder). Paths are confined to those folders: `.`/`..` components, host
// separators, unknown devices and symlinks that leave the folder are refused with an NT status.
// Everything the guest can observe is a function of the folders' contents only: listings are
// sorted bytewise, times are the boot time, sizes are the files' sizes.
//
// Devices and symbolic links, as on the console (xenia: emulator.cc mounts the disc as
// \Device\Cdrom0 and links game: and d: to it): the devices are `\Device\Cdrom0` (the content
// folder) and `\CACHE` (the scratch folder); `game:`, `d:` and `cache:` are symbolic links to
// them, and a title may add its own (ObCreateSymbolicLink). A path is resolved by replacing its
// link (up to kMaxLinkDepth times) until it names a device, so a link can never lead anywhere
// the devices do not.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hexad::kernel {

// NT statuses of the file exports.
enum : uint32_t {
  kStatusNoMoreFiles = 0x80000006,
  kStatusBufferOverflow = 0x80000005,
  kStatusInvalidInfoClass = 0xC0000003,
  kStatusInfoLengthMismatch = 0xC0000004,
  kStatusNoSuchFile = 0xC000000F,
  kStatusEndOfFile = 0xC0000011,
  kStatusAccessDenied = 0xC0000022,
  kStatusBufferTooSmall = 0xC0000023,
  kStatusObjectNameInvalid = 0xC0000033,
  kStatusObjectNameNotFound = 0xC0000034,
  kStatusObjectNameCollision = 0xC0000035,
  kStatusObjectPathNotFound = 0xC000003A,
  kStatusFileIsADirectory = 0xC00000BA,
  kStatusNotADirectory = 0xC0000103,
  kStatusDiskFull = 0xC000007F,
  kStatusFileTooLarge = 0xC0000904,
};

// Guest time a read or write takes: a constant per byte (about the DVD drive's 12 MB/s), so
// guest time never depends on the host's disk. README "Running a game image" documents it.
constexpr uint64_t kIoNsPerByte = 80;

// NtCreateFile's CreateDisposition.
enum class Disposition : uint32_t { Supersede = 0, Open = 1, Create = 2, OpenIf = 3, Overwrite = 4, OverwriteIf = 5 };

struct OpenFile {
  uint32_t handle = 0;
  std::string guest_path;         // as the guest named it
  std::filesystem::path host;     // resolved, inside its folder
  bool directory = false;
  bool writable = false;          // scratch folder only
  uint64_t position = 0;
  uint64_t size = 0;              // files: kept current by writes
  std::vector<std::string> listing;  // directories: entry names, bytewise sorted (read at first query)
  bool listed = false;
  size_t next_entry = 0;
  std::string pattern;            // NtQueryDirectoryFile's name pattern ("" lists everything)
};

// Whether `name` matches the NtQueryDirectoryFile pattern `pattern`: '*' matches any run of
// characters (also none), '?' exactly one, anything else itself ignoring ASCII case.
bool name_matches(std::string_view name, std::string_view pattern);
// Whether `pattern` may be used as one: printable ASCII, no separators and none of " + , < > |
// (xenia: xfile.h IsValidPath with is_pattern).
bool valid_pattern(std::string_view pattern);

struct SymbolicLink {
  std::string target;
  bool created = false;  // by the title (ObCreateSymbolicLink), not one of the built-in links
};

struct FileAttributes {
  bool directory = false;
  bool read_only = false;
  uint64_t size = 0;
};

class FileSystem {
 public:
  FileSystem();  // the built-in links game:, d: and cache:
  // content: the folder game:\ and d:\ map (read-only); scratch: cache:\ (created on first write).
  void configure(std::filesystem::path content, std::filesystem::path scratch);

  struct Resolved {
    uint32_t status = 0;  // 0: host and writable are valid
    std::filesystem::path host;
    bool writable = false;
  };
  // A guest path to a host path confined to its folder (the file need not exist).
  Resolved resolve(const std::string& guest_path) const;

  // Opens (or creates, per disposition) a resolved path. want_write: the access asked for
  // writing. directory_only / file_only: FILE_DIRECTORY_FILE / FILE_NON_DIRECTORY_FILE.
  uint32_t open(const std::string& guest_path, Disposition disposition, bool want_write, bool directory_only,
                bool file_only, uint32_t* handle_out, uint32_t* information_out);
  std::optional<FileAttributes> attributes(const std::string& guest_path, uint32_t* status) const;

  OpenFile* by_handle(uint32_t handle);
  bool close(uint32_t handle);
  // Reads up to `length` bytes at `offset` into `out`; returns the count read (0 at or past EOF).
  uint64_t read(OpenFile& f, uint64_t offset, uint32_t length, std::string& out);
  // Writes at `offset`; false when the host write failed.
  bool write(OpenFile& f, uint64_t offset, const std::string& data);
  // Symbolic links: names are case-insensitive and end with ':' ("\??\" is stripped). Creating
  // an existing name re-points it. 0 or an NT status.
  uint32_t create_link(const std::string& name, const std::string& target);
  uint32_t delete_link(const std::string& name);
  // A handle to the link `name` (NtOpenSymbolicLinkObject), its target fixed at open.
  uint32_t open_link(const std::string& name, uint32_t* handle_out);
  const std::string* link_target(uint32_t handle) const;
  // The links the title created, for the exit dump.
  const std::map<std::string, SymbolicLink>& links() const { return links_; }

  // The directory's next entry name matching its pattern, sorted bytewise; nullopt when there are no more.
  std::optional<std::string> next_entry(OpenFile& dir, bool restart);
  FileAttributes attributes_of(const OpenFile& f) const;
  // The whole file at a guest path (XexLoadImage): 0, the status open() gives, or
  // kStatusFileTooLarge for a file over `limit` bytes. Opens (and closes) a handle of its own.
  uint32_t read_whole(const std::string& guest_path, uint64_t limit, std::string& out);

 private:
  static constexpr uint32_t kFirstHandle = 0xFA000004;  // apart from dispatcher object handles
  std::filesystem::path content_, scratch_;
  static constexpr int kMaxLinkDepth = 8;
  static std::string link_key(const std::string& name);
  std::map<uint32_t, OpenFile> files_;
  std::map<std::string, SymbolicLink> links_;      // by lower-case name
  std::map<uint32_t, std::string> link_handles_;   // open link handles: their targets
  uint32_t next_handle_ = kFirstHandle;
};

}  // namespace hexad::kernel
