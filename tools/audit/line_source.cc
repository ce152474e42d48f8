#include "line_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include "base/hexad_error.h"

namespace hexad::audit {

namespace fs = std::filesystem;

namespace {
constexpr size_t kInitialBuffer = size_t(4) << 20;
constexpr unsigned char kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};
}  // namespace

std::string resolve_trace_path(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return path;
  const fs::path plain = fs::path(path) / "trace.jsonl";
  const fs::path packed = fs::path(path) / "trace.jsonl.zst";
  const bool has_plain = fs::exists(plain, ec), has_packed = fs::exists(packed, ec);
  if (has_plain && has_packed) fail("{}: holds both trace.jsonl and trace.jsonl.zst; name the one to read", path);
  if (has_plain) return plain.string();
  if (has_packed) return packed.string();
  fail("{}: cannot read: is a directory without trace.jsonl or trace.jsonl.zst (was it run with --no-trace?)", path);
}

struct LineSource::Zstd {
  ZSTD_DCtx* dctx = nullptr;
  std::unique_ptr<char[]> in_buf;
  size_t in_cap = 0;
  ZSTD_inBuffer in{nullptr, 0, 0};
  uint64_t in_base = 0;     // compressed bytes before in_buf[0]
  size_t last_hint = 1;     // ZSTD_decompressStream's last return: 0 = at a frame's end
  bool file_end = false;
  ~Zstd() { ZSTD_freeDCtx(dctx); }
};

LineSource::LineSource(std::string path) : path_(std::move(path)) {
  std::error_code ec;
  if (fs::is_directory(path_, ec)) fail("{}: cannot read: is a directory", path_);
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) fail("{}: cannot open: {}", path_, std::strerror(errno));
  cap_ = kInitialBuffer;
  buf_ = std::make_unique<char[]>(cap_ + kLinePadding);
  // The first four bytes decide: zstd's magic number, or plain text.
  char* head = buf_.get();
  while (end_ < sizeof kZstdMagic) {
    size_t n = read_file(head + end_, sizeof kZstdMagic - end_);
    if (n == 0) break;
    end_ += n;
  }
  if (end_ == sizeof kZstdMagic && std::memcmp(head, kZstdMagic, sizeof kZstdMagic) == 0) {
    zstd_ = std::make_unique<Zstd>();
    zstd_->dctx = ZSTD_createDCtx();
    if (!zstd_->dctx) fail("{}: cannot create a zstd decoder", path_);
    zstd_->in_cap = ZSTD_DStreamInSize();  // about 128 KiB: also how closely an error is placed
    zstd_->in_buf = std::make_unique<char[]>(zstd_->in_cap);
    std::memcpy(zstd_->in_buf.get(), head, end_);
    zstd_->in = {zstd_->in_buf.get(), end_, 0};
    end_ = 0;
  } else if (end_ < sizeof kZstdMagic) {
    eof_ = true;
  }
}

LineSource::~LineSource() {
  if (fd_ >= 0) ::close(fd_);
}

size_t LineSource::read_file(char* dst, size_t room) {
  for (;;) {
    ssize_t n = ::read(fd_, dst, room);
    if (n >= 0) {
      file_bytes_ += uint64_t(n);
      return size_t(n);
    }
    if (errno != EINTR) fail("{}: read error after {} bytes: {}", path_, file_bytes_, std::strerror(errno));
  }
}

// Compressed: returns once a zstd frame has ended (its checksum verified), so no line of a corrupt
// frame is handed out, unless the frame does not fit the room left (then what fits). A file that
// ends inside a frame (a killed run) ends with the frame before it, and stream_cut() says so.
size_t LineSource::fill(char* dst, size_t room) {
  if (!zstd_) return read_file(dst, room);
  Zstd& z = *zstd_;
  ZSTD_outBuffer out{dst, room, 0};
  for (;;) {
    if (z.in.pos == z.in.size && !z.file_end) {
      z.in_base += z.in.size;
      size_t n = read_file(z.in_buf.get(), z.in_cap);
      z.in = {z.in_buf.get(), n, 0};
      if (n == 0) z.file_end = true;
    }
    const size_t in_before = z.in.pos, out_before = out.pos;
    size_t hint = ZSTD_decompressStream(z.dctx, &out, &z.in);
    if (ZSTD_isError(hint))  // the decoder stood somewhere in the input it was given
      fail("{}: corrupt zstd stream at compressed bytes {}..{}: {}", path_, z.in_base + in_before,
           z.in_base + z.in.size, ZSTD_getErrorName(hint));
    const bool moved = z.in.pos != in_before || out.pos != out_before;
    // A call that moved nothing (the final one, at the end of the file) says nothing of the frame.
    if (moved) z.last_hint = hint;
    if ((moved && hint == 0) || out.pos == out.size) return out.pos;
    if (!moved && z.file_end && z.in.pos == z.in.size) {
      if (z.last_hint == 0) return out.pos;
      // Inside a frame: what this call decoded belongs to a frame that never ended (unverified,
      // most likely cut mid-line); it is dropped, and the trace ends with the last whole frame.
      stream_cut_ = fmt::format(
          "{}: the zstd stream ends inside a frame after {} compressed bytes (the run was killed while writing it?); "
          "the {} bytes of whole frames before it are read, the {} bytes of the unfinished frame are not",
          path_, z.in_base, consumed_ + (end_ - begin_), out.pos);
      return 0;
    }
  }
}

void LineSource::grow() {
  if (cap_ >= kMaxLineBytes) fail("{}:{}: line longer than {} MiB", path_, line_ + 1, kMaxLineBytes >> 20);
  size_t cap = std::min(cap_ * 2, kMaxLineBytes);
  auto bigger = std::make_unique<char[]>(cap + kLinePadding);
  std::memcpy(bigger.get(), buf_.get() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  buf_ = std::move(bigger);
  cap_ = cap;
}

bool LineSource::next(std::string_view& line) {
  size_t scanned = 0;  // bytes after begin_ known to hold no '\n'
  for (;;) {
    char* p = buf_.get() + begin_;
    const size_t n = end_ - begin_;
    if (const void* nl = std::memchr(p + scanned, '\n', n - scanned)) {
      const size_t len = size_t(static_cast<const char*>(nl) - p);
      line = std::string_view(p, len);
      line_offset_ = consumed_;
      consumed_ += len + 1;
      begin_ += len + 1;
      ++line_;
      unterminated_ = false;
      return true;
    }
    scanned = n;
    if (eof_) {
      if (n == 0) return false;
      line = std::string_view(p, n);
      line_offset_ = consumed_;
      consumed_ += n;
      begin_ = end_;
      ++line_;
      unterminated_ = true;
      return true;
    }
    if (begin_ > 0) {
      std::memmove(buf_.get(), p, n);
      begin_ = 0;
      end_ = n;
    }
    if (end_ == cap_) grow();
    const size_t got = fill(buf_.get() + end_, cap_ - end_);
    if (got == 0) eof_ = true;
    end_ += got;
  }
}

}  // namespace hexad::audit
