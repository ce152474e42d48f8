#include "trace/line_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/hexad_error.h"

namespace hexad::trace {

namespace {
constexpr size_t kBlock = 1 << 20;
}

FileLineSource::FileLineSource(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) fail("cannot open '{}': {}", path_, std::strerror(errno));
  block_.resize(kBlock);
}

FileLineSource::~FileLineSource() {
  if (fd_ >= 0) ::close(fd_);
}

bool FileLineSource::next(std::string_view& line) {
  carry_.clear();
  for (;;) {
    if (begin_ < end_) {
      const char* start = block_.data() + begin_;
      const void* nl = std::memchr(start, '\n', end_ - begin_);
      if (nl) {
        const size_t len = size_t(static_cast<const char*>(nl) - start);
        begin_ += len + 1;
        ++lines_;
        if (carry_.empty()) {
          line = std::string_view(start, len);
        } else {
          carry_.append(start, len);
          line = carry_;
        }
        return true;
      }
      carry_.append(start, end_ - begin_);
      begin_ = end_;
    }
    if (eof_) {
      if (carry_.empty()) return false;
      ++lines_;
      line = carry_;  // the last line, without a '\n'
      return true;
    }
    ssize_t n;
    do n = ::read(fd_, block_.data(), block_.size());
    while (n < 0 && errno == EINTR);
    if (n < 0) fail("cannot read '{}': {}", path_, std::strerror(errno));
    begin_ = 0;
    end_ = size_t(n);
    eof_ = n == 0;
  }
}

std::unique_ptr<LineSource> open_run_trace(const std::string& run_dir) {
  namespace fs = std::filesystem;
  const fs::path plain = fs::path(run_dir) / "trace.jsonl";
  if (fs::exists(plain)) return std::make_unique<FileLineSource>(plain.string());
  const fs::path zst = fs::path(run_dir) / "trace.jsonl.zst";
  if (fs::exists(zst)) fail("'{}': reading zstd-compressed traces is not built into this hexad yet", zst.string());
  fail("'{}' holds no trace (trace.jsonl or trace.jsonl.zst): was the run made with --no-trace?", run_dir);
}

}  // namespace hexad::trace
