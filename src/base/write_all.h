// Writing a whole buffer to a file descriptor, with every failure reported: the one write loop of
// hexad's output files (trace.jsonl, stdout.log).
#pragma once
#include <cstddef>

namespace hexad {

struct WriteResult {
  size_t written = 0;  // bytes that reached the file (all of them when error == 0)
  int error = 0;       // errno of the write that failed, 0 when everything was written
};

// Retries interrupted and partial writes; stops at the first failure (EFBIG past RLIMIT_FSIZE when
// SIGXFSZ is ignored, ENOSPC on a full disk, EIO, ...).
WriteResult write_all(int fd, const char* data, size_t size);

}  // namespace hexad
