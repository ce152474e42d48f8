// One trace's events read and checked (EventStream) on a worker thread and handed over in blocks of
// raw lines, so a reader of two traces (diff) parses one while it reads and compares the other.
// Blocks are recycled: after the first few, nothing is allocated. Bad input is reported at its
// place in the sequence: next() rethrows the worker's error where the event would have been.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "event_stream.h"

namespace hexad::audit {

class CheckedLines {
 public:
  struct Line {
    uint64_t line = 0;      // 1-based line number
    uint64_t idx = 0;
    std::string_view kind;  // the schema's own name (static storage)
    std::string_view raw;   // valid until the next call of next()
  };

  // Opens the trace at once (errors opening it throw here), then checks it on a worker thread.
  CheckedLines(const std::string& path, EventStreamOptions options);
  ~CheckedLines();  // stops the worker if the reader gave up early
  CheckedLines(const CheckedLines&) = delete;
  CheckedLines& operator=(const CheckedLines&) = delete;

  // The next checked event; false at the end. Rethrows the worker's hexad::Error at its place.
  bool next(Line& out);
  // run.start's schema; valid once next() has returned the first event.
  const std::string& schema() const { return schema_; }
  // The stream itself, for check_complete, cut_message, path...: only once next() returned false.
  const EventStream& stream() const { return stream_; }
  const std::string& path() const { return stream_.path(); }

 private:
  struct Entry {
    size_t offset, size;
    uint64_t line, idx;
    std::string_view kind;
  };
  struct Block {
    std::vector<char> text;
    std::vector<Entry> entries;
    std::string schema;          // run.start's, in the block holding it
    bool last = false;           // nothing follows
    std::exception_ptr error;    // the worker's error, after the entries
  };

  void work();
  void publish(std::unique_ptr<Block> block);  // blocks while the queue is full (or until stop)
  std::unique_ptr<Block> fresh_block();

  EventStream stream_;
  std::string schema_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Block>> full_, free_;
  bool stop_ = false;
  std::unique_ptr<Block> current_;  // the reader's
  size_t pos_ = 0;
  std::thread worker_;
};

}  // namespace hexad::audit
