// An output file of the audit run (stdout.log) handed to the kernel as a FILE*, whose every write
// is checked: the stream is unbuffered and lands in write_all, the first failure's errno is kept
// and later writes are dropped, so the run can be stopped at its next safe point (output-error).
#pragma once
#include <cstdio>
#include <string>

#include <sys/types.h>

namespace hexad::app {

class CheckedOutput {
 public:
  explicit CheckedOutput(const std::string& path);  // throws hexad::Error when it cannot be created
  ~CheckedOutput();
  CheckedOutput(const CheckedOutput&) = delete;
  CheckedOutput& operator=(const CheckedOutput&) = delete;

  std::FILE* stream() const { return stream_; }
  bool failed() const { return error_ != 0; }
  int error_number() const { return error_; }
  const std::string& path() const { return path_; }
  // Closes the file (a failure to close counts as a write failure); idempotent.
  void close();

 private:
  static ssize_t on_write(void* self, const char* data, size_t size);

  std::string path_;
  int fd_ = -1;
  std::FILE* stream_ = nullptr;
  int error_ = 0;
};

}  // namespace hexad::app
