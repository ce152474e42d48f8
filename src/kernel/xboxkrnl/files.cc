#include "kernel/xboxkrnl/files.h"

#include "kernel/xboxkrnl/objects.h"  // kStatusUnsuccessful

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

// The devices paths end at: each a folder (xenia: emulator.cc, "\\Device\\Cdrom0" and "\\CACHE").
constexpr std::string_view kContentDevice = "\\Device\\Cdrom0", kScratchDevice = "\\CACHE";

// Whether `path` starts with `device` (ignoring case) followed by a separator or its end.
bool on_device(const std::string& lower_path, std::string_view device) {
  return lower_path.rfind(lower(std::string(device)), 0) == 0 &&
         (lower_path.size() == device.size() || lower_path[device.size()] == '\\');
}

}  // namespace

bool name_matches(std::string_view name, std::string_view pattern) {
  // Iterative matching with one backtrack point: the last '*' and where its run ended.
  size_t n = 0, p = 0, star = std::string_view::npos, resume = 0;
  auto same = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); };
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && same(pattern[p], name[n])))) {
      ++n, ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool valid_pattern(std::string_view pattern) {
  for (char c : pattern) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 31 || u >= 127 || std::string_view("\"+,<>|\\/:").find(c) != std::string_view::npos) return false;
  }
  return true;
}

FileSystem::FileSystem() {
  links_["game:"] = {std::string(kContentDevice), false};
  links_["d:"] = {std::string(kContentDevice), false};
  links_["cache:"] = {std::string(kScratchDevice), false};
}

std::string FileSystem::link_key(const std::string& name) {
  std::string n = lower(name);
  if (n.rfind("\\??\\", 0) == 0) n = n.substr(4);
  return n;
}

uint32_t FileSystem::create_link(const std::string& name, const std::string& target) {
  const std::string key = link_key(name);
  if (key.size() < 2 || key.back() != ':' || key.find_first_of("\\/") != std::string::npos ||
      key.find(':') != key.size() - 1)
    return kStatusObjectNameInvalid;
  std::string t = target;
  if (t.rfind("\\??\\", 0) == 0) t = t.substr(4);
  while (t.size() > 1 && t.back() == '\\') t.pop_back();
  links_[key] = {t, true};
  return 0;
}

uint32_t FileSystem::delete_link(const std::string& name) {
  auto it = links_.find(link_key(name));
  if (it == links_.end()) return kStatusUnsuccessful;
  links_.erase(it);
  return 0;
}

uint32_t FileSystem::open_link(const std::string& name, uint32_t* handle_out) {
  auto it = links_.find(link_key(name));
  if (it == links_.end()) return kStatusNoSuchFile;
  link_handles_[next_handle_] = it->second.target;
  *handle_out = next_handle_;
  next_handle_ += 4;
  return 0;
}

const std::string* FileSystem::link_target(uint32_t handle) const {
  auto it = link_handles_.find(handle);
  return it == link_handles_.end() ? nullptr : &it->second;
}

void FileSystem::configure(fs::path content, fs::path scratch) {
  std::error_code ec;
  content_ = fs::weakly_canonical(fs::absolute(content, ec), ec);
  scratch_ = fs::weakly_canonical(fs::absolute(scratch, ec), ec);
}

FileSystem::Resolved FileSystem::resolve(const std::string& guest_path) const {
  std::string p = guest_path;
  if (p.rfind("\\??\\", 0) == 0) p = p.substr(4);
  // Replace links until the path starts with a device.
  Resolved r;
  std::string rest;
  for (int depth = 0;; ++depth) {
    const std::string lp = lower(p);
    if (on_device(lp, kContentDevice) || on_device(lp, kScratchDevice)) {
      const bool scratch = on_device(lp, kScratchDevice);
      r.host = scratch ? scratch_ : content_;
      r.writable = scratch;
      rest = p.substr(scratch ? kScratchDevice.size() : kContentDevice.size());
      break;
    }
    const size_t colon = p.find(':');
    if (colon == std::string::npos || depth == kMaxLinkDepth) return {kStatusObjectPathNotFound, {}, false};
    auto link = links_.find(lower(p.substr(0, colon + 1)));
    if (link == links_.end()) return {kStatusObjectPathNotFound, {}, false};
    const std::string after = p.substr(colon + 1);
    if (!after.empty() && after[0] != '\\') return {kStatusObjectNameInvalid, {}, false};
    p = link->second.target + after;
  }
  if (r.host.empty()) return {kStatusObjectPathNotFound, {}, false};
  const fs::path root = r.host;
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

bool FileSystem::close(uint32_t handle) { return files_.erase(handle) != 0 || link_handles_.erase(handle) != 0; }

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
  // Entries the guest could not open (a symlink out of the folder) are not listed either, nor
  // names the pattern does not match.
  while (dir.next_entry < dir.listing.size() &&
         (!name_matches(dir.listing[dir.next_entry], dir.pattern.empty() ? "*" : dir.pattern) ||
          resolve(dir.guest_path + "\\" + dir.listing[dir.next_entry]).status))
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
