#include "checked_lines.h"

#include <cstring>

namespace hexad::audit {

namespace {
constexpr size_t kBlockText = size_t(1) << 20;  // raw bytes per block (a longer line gets a bigger one)
constexpr size_t kBlockLines = 8192;
constexpr size_t kQueueDepth = 3;               // full blocks the worker may be ahead by
}  // namespace

CheckedLines::CheckedLines(const std::string& path, EventStreamOptions options) : stream_(path, options) {
  worker_ = std::thread([this] { work(); });
}

CheckedLines::~CheckedLines() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

std::unique_ptr<CheckedLines::Block> CheckedLines::fresh_block() {
  std::unique_ptr<Block> b;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!free_.empty()) {
      b = std::move(free_.front());
      free_.pop_front();
    }
  }
  if (!b) {
    b = std::make_unique<Block>();
    b->text.reserve(kBlockText);
    b->entries.reserve(kBlockLines);
  }
  b->text.clear();
  b->entries.clear();
  b->schema.clear();
  b->last = false;
  b->error = nullptr;
  return b;
}

void CheckedLines::publish(std::unique_ptr<Block> block) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return stop_ || full_.size() < kQueueDepth; });
  if (stop_) return;
  full_.push_back(std::move(block));
  lock.unlock();
  changed_.notify_all();
}

void CheckedLines::work() {
  std::unique_ptr<Block> block = fresh_block();
  try {
    EventView e;
    while (stream_.next(e)) {
      if (!block->entries.empty() &&
          (block->entries.size() == kBlockLines || block->text.size() + e.raw.size() > kBlockText)) {
        publish(std::move(block));
        block = fresh_block();
        std::lock_guard<std::mutex> lock(mutex_);
        if (stop_) return;
      }
      const size_t at = block->text.size();
      block->text.insert(block->text.end(), e.raw.begin(), e.raw.end());
      block->entries.push_back({at, e.raw.size(), e.line, e.idx, schema_kind(e.kind)});
      if (e.idx == 0) block->schema = stream_.schema();
    }
  } catch (...) {
    block->error = std::current_exception();
  }
  block->last = true;
  publish(std::move(block));
}

bool CheckedLines::next(Line& out) {
  for (;;) {
    if (current_ && pos_ < current_->entries.size()) {
      const Entry& e = current_->entries[pos_++];
      out.line = e.line;
      out.idx = e.idx;
      out.kind = e.kind;
      out.raw = std::string_view(current_->text.data() + e.offset, e.size);
      return true;
    }
    if (current_) {
      if (current_->error) std::rethrow_exception(current_->error);
      if (current_->last) return false;
      std::lock_guard<std::mutex> lock(mutex_);
      free_.push_back(std::move(current_));
    }
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !full_.empty(); });
    current_ = std::move(full_.front());
    full_.pop_front();
    lock.unlock();
    changed_.notify_all();
    pos_ = 0;
    if (!current_->schema.empty()) schema_ = current_->schema;
  }
}

}  // namespace hexad::audit
