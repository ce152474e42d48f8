#include "kernel/xboxkrnl/files.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <system_error>

namespace hexad::kernel {
namespace fs = std::filesystem;
namespace {

enum : uint32_t { kFileSuperseded = 0, kFileOpened = 1, kFileCreated = 2, kFileOverwritten = 3 };
// A scratch file never grows past this: a title cannot fill the host's disk.
constexpr uint64_t kScratchFileLimit = 256ull << 20;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

bool inside(const fs::path& p, const fs::path& root) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q)
    if (q == p.end() || *q != *r) return false;
  return true;
}

// The entry of `dir` named `name` as the console's case-insensitive file system finds it: the
// exact name if present, else the bytewise-first name equal ignoring ASCII case.
fs::path find_entry(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(dir / name, ec))) return dir / name;
  std::vector<std::string> matches;
  const std::string want = lower(name);
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (lower(e.path().filename().string()) == want) matches.push_back(e.path().filename().string());
  if (matches.empty()) return dir / name;
  return dir / *std::min_element(matches.begin(), matches.end());
}

}  // namespace

void FileSystem::configure(fs::path content, fs::path scratch) {
  std::error_code ec;
  content_ = fs::weakly_canonical(fs::absolute(content, ec), ec);
  scratch_ = fs::weakly_canonical(fs::absolute(scratch, ec), ec);
}

FileSystem::Resolved FileSystem::resolve(const std::string& guest_path) const {
  std::string p = guest_path;
  if (p.rfind("\\??\\", 0) == 0) p = p.substr(4);
  const size_t colon = p.find(':');
  if (colon == std::string::npos) return {kStatusObjectPathNotFound, {}, false};
  const std::string device = lower(p.substr(0, colon));
  Resolved r;
  if (device == "game" || device == "d") r.host = content_;
  else if (device == "cache") r.host = scratch_, r.writable = true;
  else return {kStatusObjectPathNotFound, {}, false};
  if (r.host.empty()) return {kStatusObjectPathNotFound, {}, false};
  const fs::path root = r.host;
  std::string rest = p.substr(colon + 1);
  if (!rest.empty() && rest[0] != '\\') return {kStatusObjectNameInvalid, {}, false};
  size_t at = 0;
  while (at < rest.size()) {
    size_t end = rest.find('\\', at);
    if (end == std::string::npos) end = rest.size();
    const std::string part = rest.substr(at, end - at);
    at = end + 1;
    if (part.empty()) continue;
    if (part == "." || part == ".." || part.find_first_of(std::string("/:\0", 3)) != std::string::npos)
      return {kStatusObjectNameInvalid, {}, false};
    r.host = find_entry(r.host, part);
    std::error_code ec;
    // A symlink may stay inside the folder; one leading out is refused.
    if (fs::is_symlink(fs::symlink_status(r.host, ec))) {
      const fs::path target = fs::weakly_canonical(r.host, ec);
      if (ec || !inside(target, root)) return {kStatusAccessDenied, {}, false};
    }
  }
  return r;
}

std::optional<FileAttributes> FileSystem::attributes(const std::string& guest_path, uint32_t* status) const {
  Resolved r = resolve(guest_path);
  if (r.status) {
    *status = r.status;
    return std::nullopt;
  }
  std::error_code ec;
  const fs::file_status st = fs::status(r.host, ec);
  if (!fs::exists(st)) {
    *status = fs::is_directory(fs::status(r.host.parent_path(), ec)) ? kStatusObjectNameNotFound : kStatusObjectPathNotFound;
    return std::nullopt;
  }
  *status = 0;
  FileAttributes a;
  a.directory = fs::is_directory(st);
  a.read_only = !r.writable;
  a.size = a.directory ? 0 : fs::file_size(r.host, ec);
  return a;
}

uint32_t FileSystem::open(const std::string& guest_path, Disposition disposition, bool want_write, bool directory_only,
                          bool file_only, uint32_t* handle_out, uint32_t* information_out) {
  Resolved r = resolve(guest_path);
  if (r.status) return r.status;
  if (want_write && !r.writable) return kStatusAccessDenied;
  std::error_code ec;
  if (r.writable && disposition != Disposition::Open) fs::create_directories(scratch_, ec);
  if (!fs::is_directory(fs::status(r.host.parent_path(), ec))) return kStatusObjectPathNotFound;
  const fs::file_status st = fs::status(r.host, ec);
  const bool exists = fs::exists(st);
  const bool creates = disposition != Disposition::Open && (!exists || disposition != Disposition::OpenIf);
  if (creates && !r.writable) return kStatusAccessDenied;
  uint32_t information = kFileOpened;
  switch (disposition) {
    case Disposition::Open:
      if (!exists) return kStatusObjectNameNotFound;
      break;
    case Disposition::Create:
      if (exists) return kStatusObjectNameCollision;
      information = kFileCreated;
      break;
    case Disposition::OpenIf:
      if (!exists) information = kFileCreated;
      break;
    case Disposition::Overwrite:
      if (!exists) return kStatusObjectNameNotFound;
      information = kFileOverwritten;
      break;
    case Disposition::OverwriteIf:
      information = exists ? kFileOverwritten : kFileCreated;
      break;
    case Disposition::Supersede:
      information = exists ? kFileSuperseded : kFileCreated;
      break;
  }
  bool directory = exists && fs::is_directory(st);
  if (directory && file_only) return kStatusFileIsADirectory;
  if (exists && !directory && directory_only) return kStatusNotADirectory;
  if (information != kFileOpened) {
    if (directory) return kStatusAccessDenied;  // a directory is never overwritten
    if (directory_only) {
      if (!fs::create_directory(r.host, ec) && ec) return kStatusAccessDenied;
      directory = true;
    } else {
      std::ofstream create(r.host, std::ios::binary | std::ios::trunc);
      if (!create) return kStatusAccessDenied;
    }
  }
  OpenFile f;
  f.handle = next_handle_;
  next_handle_ += 4;
  f.guest_path = guest_path;
  f.host = r.host;
  f.directory = directory;
  f.writable = r.writable;
  f.size = directory ? 0 : fs::file_size(r.host, ec);
  files_.emplace(f.handle, std::move(f));
  *handle_out = files_.rbegin()->first;
  *information_out = information;
  return 0;
}

OpenFile* FileSystem::by_handle(uint32_t handle) {
  auto it = files_.find(handle);
  return it == files_.end() ? nullptr : &it->second;
}

bool FileSystem::close(uint32_t handle) { return files_.erase(handle) != 0; }

uint64_t FileSystem::read(OpenFile& f, uint64_t offset, uint32_t length, std::string& out) {
  out.clear();
  if (offset >= f.size || length == 0) return 0;
  const uint64_t n = std::min<uint64_t>(length, f.size - offset);
  std::ifstream in(f.host, std::ios::binary);
  in.seekg(std::streamoff(offset));
  out.resize(n);
  in.read(out.data(), std::streamsize(n));
  // A file that shrank on the host since it was opened reads as zeros, never as host garbage.
  const auto got = in.gcount() < 0 ? 0 : size_t(in.gcount());
  std::fill(out.begin() + long(got), out.end(), '\0');
  return n;
}

bool FileSystem::write(OpenFile& f, uint64_t offset, const std::string& data) {
  if (offset > kScratchFileLimit || data.size() > kScratchFileLimit - offset) return false;
  std::fstream io(f.host, std::ios::binary | std::ios::in | std::ios::out);
  if (!io) return false;
  io.seekp(std::streamoff(offset));
  io.write(data.data(), std::streamsize(data.size()));
  if (!io.flush()) return false;
  f.size = std::max<uint64_t>(f.size, offset + data.size());
  return true;
}

std::optional<std::string> FileSystem::next_entry(OpenFile& dir, bool restart) {
  if (!dir.listed || restart) {
    dir.listing.clear();
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir.host, ec)) dir.listing.push_back(e.path().filename().string());
    std::sort(dir.listing.begin(), dir.listing.end());
    dir.listed = true;
    dir.next_entry = 0;
  }
  // Entries the guest could not open (a symlink out of the folder) are not listed either.
  while (dir.next_entry < dir.listing.size() && resolve(dir.guest_path + "\\" + dir.listing[dir.next_entry]).status)
    ++dir.next_entry;
  if (dir.next_entry >= dir.listing.size()) return std::nullopt;
  return dir.listing[dir.next_entry++];
}

uint32_t FileSystem::read_whole(const std::string& guest_path, uint64_t limit, std::string& out) {
  uint32_t handle = 0, information = 0;
  uint32_t status = open(guest_path, Disposition::Open, false, false, true, &handle, &information);
  if (status) return status;
  OpenFile& f = files_.at(handle);
  if (f.size > limit) status = kStatusFileTooLarge;
  else read(f, 0, uint32_t(f.size), out);
  close(handle);
  return status;
}

FileAttributes FileSystem::attributes_of(const OpenFile& f) const { return {f.directory, !f.writable, f.size}; }

}  // namespace hexad::kernel
