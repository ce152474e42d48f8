// The lines of a recorded trace, one at a time, whatever stores them: `hexad replay` reads the
// recorded run through this interface, so a compressed trace (trace.jsonl.zst) needs only another
// LineSource. Memory stays flat in the trace's length: one block and one line are held.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace hexad::trace {

class LineSource {
 public:
  virtual ~LineSource() = default;
  // The next line without its '\n' (a last line without one counts); false at the end. The view
  // is valid until the next call. Throws hexad::Error naming the file when reading fails.
  virtual bool next(std::string_view& line) = 0;
  uint64_t line_number() const { return lines_; }  // 1-based number of the line last returned
  virtual const std::string& path() const = 0;

 protected:
  uint64_t lines_ = 0;
};

// An uncompressed JSONL file, read in 1 MiB blocks. Throws hexad::Error when it cannot be opened.
class FileLineSource final : public LineSource {
 public:
  explicit FileLineSource(std::string path);
  ~FileLineSource() override;
  FileLineSource(const FileLineSource&) = delete;
  FileLineSource& operator=(const FileLineSource&) = delete;

  bool next(std::string_view& line) override;
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::string block_;     // bytes read and not yet returned: block_[begin_, end_)
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::string carry_;     // a line that straddled a block boundary
};

// The trace of a run folder: DIR/trace.jsonl, or DIR/trace.jsonl.zst once a reader for it is
// plugged in here. Throws hexad::Error when there is none (naming what was looked for).
std::unique_ptr<LineSource> open_run_trace(const std::string& run_dir);

}  // namespace hexad::trace
