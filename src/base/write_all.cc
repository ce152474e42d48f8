#include "base/write_all.h"

#include <cerrno>

#include <unistd.h>

namespace hexad {

WriteResult write_all(int fd, const char* data, size_t size) {
  WriteResult r;
  while (r.written < size) {
    ssize_t n = ::write(fd, data + r.written, size - r.written);
    if (n < 0) {
      if (errno == EINTR) continue;
      r.error = errno;
      return r;
    }
    if (n == 0) {  // no progress and no errno: report it rather than spin
      r.error = EIO;
      return r;
    }
    r.written += size_t(n);
  }
  return r;
}

}  // namespace hexad
