#include "app/checked_output.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "base/hexad_error.h"
#include "base/write_all.h"

namespace hexad::app {

CheckedOutput::CheckedOutput(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot write '{}': {}", path, std::strerror(errno));
  cookie_io_functions_t io{};
  io.write = &CheckedOutput::on_write;
  stream_ = ::fopencookie(this, "w", io);
  if (!stream_) {
    ::close(fd_);
    fail("cannot write '{}': {}", path, std::strerror(errno));
  }
  std::setvbuf(stream_, nullptr, _IONBF, 0);  // each write reaches on_write at once
}

CheckedOutput::~CheckedOutput() { close(); }

ssize_t CheckedOutput::on_write(void* self, const char* data, size_t size) {
  auto* out = static_cast<CheckedOutput*>(self);
  if (out->error_) return -1;  // the run is being stopped; nothing more is written
  WriteResult r = write_all(out->fd_, data, size);
  if (r.error) {
    out->error_ = r.error;
    return -1;
  }
  return ssize_t(r.written);
}

void CheckedOutput::close() {
  if (stream_) {
    if (std::fclose(stream_) != 0 && !error_) error_ = errno ? errno : EIO;
    stream_ = nullptr;
  }
  if (fd_ >= 0) {
    if (::close(fd_) != 0 && !error_) error_ = errno;
    fd_ = -1;
  }
}

}  // namespace hexad::app
