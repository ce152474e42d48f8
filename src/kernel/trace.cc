#include "kernel/trace.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "base/hexad_error.h"

namespace hexad::kernel {

std::string hex32(uint64_t v) { return fmt::format("0x{:08x}", v); }

TraceWriter::TraceWriter(const std::string& path) : start_(std::chrono::steady_clock::now()) {
  if (path.empty()) return;
  file_ = std::fopen(path.c_str(), "w");
  if (!file_) fail("cannot write trace '{}': {}", path, std::strerror(errno));
  buffer_.resize(1 << 16);
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
}

TraceWriter::~TraceWriter() {
  if (file_) std::fclose(file_);
}

void TraceWriter::emit(const char* kind, const EventWhere& w, const Json& fields) {
  uint64_t idx = next_idx_++;
  if (!file_) return;
  Json e;
  e["idx"] = idx;
  e["kind"] = kind;
  e["tid"] = w.tid;
  e["slot"] = w.slot;
  e["round"] = w.round;
  e["guest_cycle"] = w.guest_cycle;
  e["host_ns"] = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count());
  for (auto it = fields.begin(); it != fields.end(); ++it) e[it.key()] = it.value();
  std::string line = e.dump();
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), file_);
}

void TraceWriter::flush() {
  if (file_) std::fflush(file_);
}

}  // namespace hexad::kernel
