#include "trace/jsonl.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include "base/hexad_error.h"
#include "base/utf8.h"
#include "base/write_all.h"

namespace hexad::trace {
namespace {

constexpr size_t kDrainAt = 64 * 1024;
// Compressed, each drain is one zstd frame: a reader verifies a frame's checksum before it uses a
// line of it, so frames are kept small enough to hold back, and large enough to compress well.
constexpr size_t kFrameAt = 1024 * 1024;

// Upper bound of the bytes a JSON string of `n` input bytes takes: \u00xx for every byte, plus
// the `,"KEY_hex":"..."` field that follows text that is not valid UTF-8 (two digits a byte).
constexpr size_t kLongestKey = 32;
constexpr size_t escaped_bound(size_t n) { return 6 * n + 2 + (kLongestKey + 9 + 2 * n + 2); }

// Unchecked writes into room reserved beforehand (append_jsonl reserves an upper bound of the
// whole line, so formatting a line costs one capacity check).
class Out {
 public:
  explicit Out(char* p) : p_(p) {}
  char* end() const { return p_; }
  template <size_t N>
  void lit(const char (&s)[N]) {
    std::memcpy(p_, s, N - 1);
    p_ += N - 1;
  }
  void bytes(const char* s, size_t n) {
    std::memcpy(p_, s, n);
    p_ += n;
  }
  void ch(char c) { *p_++ = c; }
  template <class T>
  void num(T v) {
    fmt::format_int f(v);
    bytes(f.data(), f.size());
  }
  // "0x%08x" with the quotes: at least 8 lowercase digits.
  void hex(uint64_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char buf[16];
    int n = 0;
    do {
      buf[n++] = kDigits[v & 0xF];
      v >>= 4;
    } while (v);
    while (n < 8) buf[n++] = '0';
    lit("\"0x");
    while (n) *p_++ = buf[--n];
    *p_++ = '"';
  }
  // Returns false when `text` was not valid UTF-8 (the bad sequences were replaced).
  bool string(std::string_view text);
  // The bytes as a lowercase hex JSON string, with the quotes.
  void hex_string(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    ch('"');
    for (unsigned char b : bytes) {
      ch(kDigits[b >> 4]);
      ch(kDigits[b & 0xF]);
    }
    ch('"');
  }

 private:
  char* p_;
};

bool Out::string(std::string_view text) {
  bool valid = true;
  ch('"');
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Runs of printable ASCII are copied in one go.
    size_t run = i;
    while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\') ++run;
    if (run > i) {
      bytes(text.data() + i, run - i);
      i = run;
      continue;
    }
    uint8_t b = s[i];
    if (b < 0x80) {
      switch (b) {
        case '"': lit("\\\""); break;
        case '\\': lit("\\\\"); break;
        case '\b': lit("\\b"); break;
        case '\f': lit("\\f"); break;
        case '\n': lit("\\n"); break;
        case '\r': lit("\\r"); break;
        case '\t': lit("\\t"); break;
        default: {
          static constexpr char kDigits[] = "0123456789abcdef";
          lit("\\u00");
          ch(kDigits[b >> 4]);
          ch(kDigits[b & 0xF]);
        }
      }
      ++i;
      continue;
    }
    // Multi-byte UTF-8: copied when well formed, else one U+FFFD per bad sequence (base/utf8.h).
    Utf8Step step = utf8_step(text, i);
    if (step.valid) bytes(text.data() + i, step.length);
    else lit("\xEF\xBF\xBD");
    valid &= step.valid;
    i += step.length;
  }
  ch('"');
  return valid;
}

// Writes ,"key":value pairs; `open` starts a nested object whose first pair has no comma.
// Every key passes through key(), which also accounts its length in the line's bound.
class Fields {
 public:
  // `in_new_object`: the next pair is the first of an object just opened (no comma).
  Fields(Out& out, bool in_new_object) : out_(out), first_(in_new_object) {}

  template <size_t N>
  Fields& u64(const char (&k)[N], uint64_t v) {
    key(k).num(v);
    return *this;
  }
  template <size_t N>
  Fields& i64(const char (&k)[N], int64_t v) {
    key(k).num(v);
    return *this;
  }
  template <size_t N>
  Fields& hex(const char (&k)[N], uint64_t v) {
    key(k).hex(v);
    return *this;
  }
  // Text that was not valid UTF-8 is written with U+FFFD and followed by `KEY_hex`, its raw bytes
  // in hex (docs/trace.md), so nothing is lost; valid text gets no such field.
  template <size_t N>
  Fields& str(const char (&k)[N], std::string_view v) {
    static_assert(N <= kLongestKey, "escaped_bound accounts the _hex key up to kLongestKey");
    if (!key(k).string(v)) {
      out_.lit(",\"");
      out_.lit(k);
      out_.lit("_hex\":");
      out_.hex_string(v);
    }
    return *this;
  }
  template <size_t N>
  Fields& boolean(const char (&k)[N], bool v) {
    if (v) key(k).lit("true");
    else key(k).lit("false");
    return *this;
  }
  template <class T, size_t N>
  Fields& optional_num(const char (&k)[N], const std::optional<T>& v) {
    if (v) key(k).num(*v);
    else key(k).lit("null");
    return *this;
  }
  template <size_t N>
  Fields& optional_hex(const char (&k)[N], const std::optional<uint32_t>& v) {
    if (v) key(k).hex(*v);
    else key(k).lit("null");
    return *this;
  }
  template <size_t N>
  Fields& hex_array(const char (&k)[N], std::span<const uint32_t> items) {
    return array(k, items, [this](uint32_t v) { out_.hex(v); });
  }
  template <size_t N>
  Fields& u32_array(const char (&k)[N], std::span<const uint32_t> items) {
    return array(k, items, [this](uint32_t v) { out_.num(v); });
  }
  // `[item,item,...]`, each item spelled by `put`.
  template <size_t N, class Put>
  Fields& array(const char (&k)[N], std::span<const uint32_t> items, Put put) {
    key(k).ch('[');
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out_.ch(',');
      put(items[i]);
    }
    out_.ch(']');
    return *this;
  }
  // A key known only at run time (a policy parameter's name, an identifier of hexad's own: no
  // escaping needed; its length is in the line's bound, variable_bound).
  Out& dynamic_key(std::string_view k) {
    if (!first_) out_.ch(',');
    first_ = false;
    out_.ch('"');
    out_.bytes(k.data(), k.size());
    out_.lit("\":");
    return out_;
  }
  // A string known to need no escaping (the kind names).
  template <size_t N>
  Fields& plain_str(const char (&k)[N], std::string_view v) {
    key(k).ch('"');
    out_.bytes(v.data(), v.size());
    out_.ch('"');
    return *this;
  }
  template <size_t N>
  Fields& open(const char (&k)[N]) {
    key(k).ch('{');
    first_ = true;
    return *this;
  }
  Fields& close() {
    out_.ch('}');
    first_ = false;
    return *this;
  }

 private:
  // Keys are literals: their copies are constant-size, inlined.
  template <size_t N>
  Out& key(const char (&k)[N]) {
    if (!first_) out_.ch(',');
    first_ = false;
    out_.ch('"');
    out_.lit(k);
    out_.lit("\":");
    return out_;
  }

  Out& out_;
  bool first_;
};

// One overload per kind: the schema's field names, order and spelling (docs/trace.md).
void put(Fields& f, const RunStart& e) {
  const RunOptionsFields& o = e.options;
  f.str("schema", kSchema);
  f.open("image").str("name", e.image_name).str("sha256", e.image_sha256).close();
  f.open("options")
      .optional_num("budget", o.budget)
      .u64("quantum", o.quantum)
      .u64("slice", o.slice)
      .boolean("aging", o.aging)
      .u64("aging_rounds_per_bonus", o.aging_rounds_per_bonus)
      .u64("max_age_bonus", o.max_age_bonus)
      .str("policy", o.policy)
      .open("policy_params");
  for (const PolicyParamField& p : o.policy_params) {
    if (p.is_text) f.dynamic_key(p.name).string(p.text);
    else f.dynamic_key(p.name).num(p.number);
  }
  f.close().optional_num("starvation_alarm", o.starvation_alarm).boolean("trace", o.trace);
  if (o.seed) {
    f.u64("seed", o.seed).str("strategy", o.strategy);
    if (o.strategy == "pct") f.u64("depth", o.depth).u64("pct_steps", o.pct_steps);
  }
  f.close();
}
void put(Fields& f, const ThreadCreate& e) {
  f.u64("new_tid", e.new_tid)
      .hex("handle", e.handle)
      .hex("entry", e.entry)
      .i64("priority", e.priority)
      .hex("affinity", e.affinity)
      .boolean("suspended", e.suspended);
}
void put(Fields& f, const ThreadExit& e) { f.i64("exit_code", e.exit_code); }
void put(Fields& f, const ThreadFault& e) {
  f.str("fault", e.fault)
      .hex("pc", e.pc)
      .hex("word", e.word)
      .hex("address", e.address)
      .str("access", e.access)
      .str("message", e.message);
}
void put(Fields& f, const ImportCall& e) {
  f.str("module", e.module)
      .u64("ord", e.ord)
      .str("name", e.name)
      .hex_array("args", e.args)
      .optional_hex("ret", e.ret)
      .boolean("implemented", e.implemented);
}
void put(Fields& f, const DebugPrint& e) { f.str("text", e.text); }
void put(Fields& f, const WaitBegin& e) {
  f.hex_array("handles", e.handles)
      .str("wait", e.all ? "all" : "any")
      .optional_num("timeout_ns", e.timeout_ns)
      .boolean("alertable", e.alertable);
}
void put(Fields& f, const WaitEnd& e) { f.hex("status", e.status).optional_num("index", e.index); }
void put(Fields& f, const SignalMatch& e) {
  f.str("by", e.by)
      .hex("target_handle", e.target_handle)
      .str("object_type", e.object_type)
      .u32_array("waiter_tids", e.waiter_tids);
}
void put(Fields& f, const WakeRequested& e) {
  f.u64("target_tid", e.target_tid)
      .str("reason", e.reason == WakeReason::Signal    ? "signal"
                     : e.reason == WakeReason::Timeout ? "timeout"
                     : e.reason == WakeReason::Suspend ? "suspend"
                                                       : "alert")
      .optional_hex("handle", e.handle);
}
void put(Fields& f, const SchedStarvation& e) {
  f.u64("ready_rounds", e.ready_rounds)
      .i64("priority", e.priority)
      .i64("effective_priority", e.effective_priority)
      .u64("holder_tid", e.holder_tid)
      .optional_num("holder_priority", e.holder_priority);
}
void put(Fields& f, const SyncHazard& e) { f.str("hazard", e.hazard).hex("lock", e.lock).u64("irql", e.irql); }
void put(Fields& f, const IoOpen& e) { f.str("path", e.path).hex("status", e.status).hex("handle", e.handle); }
void put(Fields& f, const IoTransfer& e) {
  f.hex("handle", e.handle)
      .u64("offset", e.offset)
      .u64("length", e.length)
      .u64("transferred", e.transferred)
      .hex("status", e.status);
}
void put(Fields& f, const TimerFire& e) {
  f.hex("timer", e.timer).u64("period_ms", e.period_ms).hex("dpc", e.dpc).optional_num("next_due_ns", e.next_due_ns);
}
void put(Fields& f, const DpcRun& e) {
  f.hex("dpc", e.dpc).hex("routine", e.routine).hex("context", e.context).hex("arg1", e.arg1).hex("arg2", e.arg2);
}
void put(Fields& f, const ApcDeliver& e) {
  f.hex("apc", e.apc)
      .str("stage", e.stage)
      .hex("routine", e.routine)
      .hex("context", e.context)
      .hex("arg1", e.arg1)
      .hex("arg2", e.arg2);
}
void put(Fields& f, const KernelCall& e) {
  f.str("reason", e.reason).hex("routine", e.routine).hex("arg1", e.arg1).hex("arg2", e.arg2).hex("arg3", e.arg3);
}
void put(Fields& f, const WaitAlerted& e) { f.u64("apcs", e.apcs); }
void put(Fields& f, const GpuSwap& e) {
  f.u64("frame", e.frame)
      .hex("frontbuffer", e.frontbuffer)
      .u64("format", e.format)
      .u64("width", e.width)
      .u64("height", e.height)
      .boolean("tiled", e.tiled)
      .boolean("presented", e.presented);
}
void put(Fields& f, const GpuPackets& e) {
  f.u64("frame", e.frame).u64("type0", e.type0).u64("type1", e.type1).u64("type2", e.type2).open("type3");
  for (const OpcodeCount& c : e.type3) f.dynamic_key(c.name).num(c.count);
  f.close().u64("malformed", e.malformed);
}
void put(Fields& f, const GpuDraws& e) { f.u64("frame", e.frame).u64("draws", e.draws); }
void put(Fields& f, const RunStop& e) {
  f.str("reason", e.reason).u64("instructions", e.instructions).u64("rounds", e.rounds);
}

// An upper bound of the line's length: the variable parts (strings, arrays) at their worst,
// plus a generous constant for keys, numbers and punctuation (the longest kind, run.start,
// needs about 330 bytes besides its strings).
constexpr size_t kFixedBound = 1024;
size_t variable_bound(const RunStart& e) {
  size_t n = escaped_bound(e.image_name.size()) + escaped_bound(e.image_sha256.size()) +
             escaped_bound(e.options.policy.size()) +
             escaped_bound(e.options.strategy.size());
  for (const PolicyParamField& p : e.options.policy_params) n += 24 + escaped_bound(p.name.size()) + escaped_bound(p.text.size());
  return n;
}
size_t variable_bound(const ThreadFault& e) {
  return escaped_bound(e.fault.size()) + escaped_bound(e.access.size()) + escaped_bound(e.message.size());
}
size_t variable_bound(const ImportCall& e) {
  return escaped_bound(e.module.size()) + escaped_bound(e.name.size()) + 13 * e.args.size();
}
size_t variable_bound(const DebugPrint& e) { return escaped_bound(e.text.size()); }
size_t variable_bound(const WaitBegin& e) { return 13 * e.handles.size(); }
size_t variable_bound(const SignalMatch& e) {
  return escaped_bound(e.by.size()) + escaped_bound(e.object_type.size()) + 11 * e.waiter_tids.size();
}
size_t variable_bound(const SyncHazard& e) { return escaped_bound(e.hazard.size()); }
size_t variable_bound(const IoOpen& e) { return escaped_bound(e.path.size()); }
size_t variable_bound(const RunStop& e) { return escaped_bound(e.reason.size()); }
size_t variable_bound(const GpuPackets& e) {
  size_t n = 0;
  for (const OpcodeCount& c : e.type3) n += 28 + c.name.size();
  return n;
}
template <class E>
size_t variable_bound(const E&) {
  return 0;
}

}  // namespace

void append_json_string(fmt::memory_buffer& out, std::string_view text) {
  size_t at = out.size();
  out.resize(at + escaped_bound(text.size()));
  Out o(out.data() + at);
  o.string(text);
  out.resize(size_t(o.end() - out.data()));
}

void append_jsonl(fmt::memory_buffer& out, const Stamp& s, const Event& event) {
  std::visit(
      [&](const auto& e) {
        const size_t at = out.size();
        out.resize(at + kFixedBound + variable_bound(e));
        Out o(out.data() + at);
        o.ch('{');
        Fields f(o, true);
        // The common fields, in the contract's order, then the kind's own.
        const Where& w = s.where;
        f.u64("idx", s.idx).plain_str("kind", e.kKind).u64("tid", w.tid).i64("slot", w.slot).u64("round", w.round);
        f.u64("guest_cycle", w.guest_cycle).u64("host_ns", s.host_ns);
        put(f, e);
        o.lit("}\n");
        out.resize(size_t(o.end() - out.data()));
      },
      event);
}

struct JsonlSink::Zstd {
  static constexpr int kLevel = 1;  // the fastest standard level: a run must not wait for its trace
  ZSTD_CCtx* cctx = nullptr;
  std::unique_ptr<char[]> out;
  size_t out_cap = 0;
  ~Zstd() { ZSTD_freeCCtx(cctx); }
};

JsonlSink::JsonlSink(const std::string& path, TraceCompression compression) : path_(path) {
  if (compression == TraceCompression::Zstd) {
    zstd_ = std::make_unique<Zstd>();
    zstd_->cctx = ZSTD_createCCtx();
    // With a checksum a reader notices corruption that still decompresses.
    if (!zstd_->cctx || ZSTD_isError(ZSTD_CCtx_setParameter(zstd_->cctx, ZSTD_c_compressionLevel, Zstd::kLevel)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(zstd_->cctx, ZSTD_c_checksumFlag, 1)))
      fail("cannot write trace '{}': cannot set up zstd compression", path);
    zstd_->out_cap = ZSTD_compressBound(kFrameAt * 2) + ZSTD_CStreamOutSize();
    drain_at_ = kFrameAt;
    zstd_->out = std::make_unique<char[]>(zstd_->out_cap);
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot write trace '{}': {}", path, std::strerror(errno));
  buffer_.reserve(drain_at_ * 2);
}

JsonlSink::~JsonlSink() {
  drain();  // a failure here was already reported through failed() when the owner flushed
  ::close(fd_);
}

void JsonlSink::write(const Stamp& stamp, const Event& event) {
  if (error_) return;  // the file is cut at its last complete line; later events are dropped
  append_jsonl(buffer_, stamp, event);
  ++buffered_lines_;
  if (buffer_.size() >= drain_at_) drain();
}

void JsonlSink::drain() {
  if (error_ || !buffer_.size()) {
    buffer_.clear();
    buffered_lines_ = 0;
    return;
  }
  if (!zstd_) {
    write_block(buffer_.data(), buffer_.size(), buffered_lines_);
  } else {
    // Room for the whole frame, so it is written whole (grows only for a huge line).
    const size_t need = ZSTD_compressBound(buffer_.size()) + ZSTD_CStreamOutSize();
    if (need > zstd_->out_cap) {
      zstd_->out = std::make_unique<char[]>(need);
      zstd_->out_cap = need;
    }
    const size_t packed = ZSTD_compress2(zstd_->cctx, zstd_->out.get(), zstd_->out_cap, buffer_.data(), buffer_.size());
    if (ZSTD_isError(packed)) error_ = EIO;  // cannot happen with out_cap bytes of room
    else write_block(zstd_->out.get(), packed, buffered_lines_);
  }
  buffer_.clear();
  buffered_lines_ = 0;
}

void JsonlSink::write_block(const char* data, size_t n, uint64_t lines) {
  WriteResult r = write_all(fd_, data, n);
  if (!r.error) {
    lines_written_ += lines;
    bytes_written_ += r.written;
    return;
  }
  // Keep the complete lines that made it, and cut the partial one (shrinking a file is allowed
  // past a size limit; if even that fails, a reader still finds the trace without run.stop). A
  // compressed block is whole or cut entirely.
  size_t complete = 0;
  if (!zstd_) {
    for (size_t k = 0; k < r.written; ++k) {
      if (data[k] != '\n') continue;
      ++lines_written_;
      complete = k + 1;
    }
  }
  bytes_written_ += complete;
  if (complete != r.written && ::ftruncate(fd_, off_t(bytes_written_)) != 0) {
    // nothing more to do: the failure that matters is error_
  }
  error_ = r.error;
}

void JsonlSink::flush() { drain(); }

}  // namespace hexad::trace
