// The lines of a trace file, plain JSONL or zstd-compressed (recognised by the zstd magic number,
// not by the name), read in large blocks into one reused buffer: memory stays flat in the length
// of the file and nothing is allocated per line.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace hexad::audit {

// Bytes readable after every line handed out (simdjson parses in place when the input has them).
inline constexpr size_t kLinePadding = 64;
// A longer line is corrupt input (hexad's longest lines are a few KiB).
inline constexpr size_t kMaxLineBytes = size_t(64) << 20;

// The run folder's trace: DIR/trace.jsonl or DIR/trace.jsonl.zst, whichever exists; a file path
// is returned as it is. Throws hexad::Error when a folder holds neither (or both).
std::string resolve_trace_path(const std::string& path);

class LineSource {
 public:
  explicit LineSource(std::string path);  // throws hexad::Error if the file cannot be opened
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // The next line, without its '\n'; false at the end of the file. The view stays valid until the
  // next call, and kLinePadding bytes after it are readable. Throws hexad::Error on a read error
  // or a corrupt zstd stream ("PATH: corrupt zstd stream at compressed bytes N..M: why", the
  // input the decoder had when it failed).
  bool next(std::string_view& line);

  const std::string& path() const { return path_; }
  bool compressed() const { return zstd_ != nullptr; }
  uint64_t line_number() const { return line_; }        // 1-based number of the line last returned
  uint64_t line_offset() const { return line_offset_; }  // its first byte in the (decompressed) text
  // The line last returned ends the file without a '\n' (a killed run's trace may end so).
  bool last_line_unterminated() const { return unterminated_; }
  // A compressed file that ends inside a zstd frame (a killed run): the lines of the whole frames
  // before it are returned, and this says so after the end. Empty for a complete stream or a
  // plain file.
  const std::string& stream_cut() const { return stream_cut_; }
  uint64_t file_bytes_read() const { return file_bytes_; }  // bytes read from the file itself

 private:
  struct Zstd;
  size_t fill(char* dst, size_t room);  // appends decompressed/plain bytes; 0 at the end
  size_t read_file(char* dst, size_t room);
  void grow();

  std::string path_;
  int fd_ = -1;
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;         // usable bytes of buf_ (kLinePadding more are allocated)
  size_t begin_ = 0;       // first unconsumed byte
  size_t end_ = 0;         // end of valid data
  bool eof_ = false;
  uint64_t line_ = 0;
  uint64_t line_offset_ = 0;
  uint64_t consumed_ = 0;  // decompressed bytes before buf_[begin_]
  uint64_t file_bytes_ = 0;
  bool unterminated_ = false;
  std::string stream_cut_;
  std::unique_ptr<Zstd> zstd_;
};

}  // namespace hexad::audit
