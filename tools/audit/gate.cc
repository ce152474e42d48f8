#include "gate.h"

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "base/hexad_error.h"
#include "trace/events.h"

namespace hexad::audit {

const char* const kGateGrammar =
    "  expr     := operand op value\n"
    "  operand  := count(KIND [, FIELD=VALUE]...)     events of KIND whose FIELDs match (a number matches\n"
    "                                                 a number or a \"0x...\" string; an array field matches\n"
    "                                                 when one element does)\n"
    "            | thread(TID).PROPERTY               events waits instructions slot state alive_cycles\n"
    "                                                 running_cycles ready_cycles blocked_cycles\n"
    "            | run.PROPERTY                       events live_threads exited_threads vdswap_calls\n"
    "                                                 last_guest_cycle instructions rounds stop_reason\n"
    "  op       := == | != | < | <= | > | >=          (state and stop_reason: == and != only)\n"
    "  value    := NUMBER (decimal or 0x hex) | WORD | \"quoted text\"\n"
    "  state: Ready Running Blocked Suspended Exited Faulted;\n"
    "  stop_reason: exit budget deadlock fault interrupted output-error bugcheck\n";

namespace {

// Properties: name, and whether it is text (else a number).
struct Property {
  std::string_view name;
  bool textual;
};
constexpr std::array<Property, 9> kThreadProperties = {{{"events", false},
                                                         {"waits", false},
                                                         {"instructions", false},
                                                         {"slot", false},
                                                         {"state", true},
                                                         {"alive_cycles", false},
                                                         {"running_cycles", false},
                                                         {"ready_cycles", false},
                                                         {"blocked_cycles", false}}};
constexpr std::array<Property, 8> kRunProperties = {{{"events", false},
                                                      {"live_threads", false},
                                                      {"exited_threads", false},
                                                      {"vdswap_calls", false},
                                                      {"last_guest_cycle", false},
                                                      {"instructions", false},
                                                      {"rounds", false},
                                                      {"stop_reason", true}}};
constexpr std::array<std::string_view, 6> kStates = {"Ready", "Running", "Blocked", "Suspended", "Exited", "Faulted"};
constexpr std::array<std::string_view, 9> kStopReasons = {"exit",        "budget",       "deadlock",
                                                          "fault",       "interrupted",  "output-error",
                                                          "bugcheck",    "title-terminate", "title-launch"};

template <size_t N>
std::string joined(const std::array<Property, N>& props) {
  std::string s;
  for (const Property& p : props) s += (s.empty() ? "" : " ") + std::string(p.name);
  return s;
}
template <size_t N>
std::string joined(const std::array<std::string_view, N>& words) {
  std::string s;
  for (std::string_view w : words) s += (s.empty() ? "" : " ") + std::string(w);
  return s;
}

std::optional<uint64_t> parse_number(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    if (text.size() > 18) return std::nullopt;
    uint64_t v = 0;
    for (char c : text.substr(2)) {
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return std::nullopt;
      v = v << 4 | uint64_t(d);
    }
    return v;
  }
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

// A cursor over one expression; every error names the expression and the 1-based column.
class Scanner {
 public:
  Scanner(const std::string& text, size_t number) : text_(text), number_(number) {}

  [[noreturn]] void error(size_t at, const std::string& why) const {
    fail("gate: expression {} '{}': column {}: {}\n  {}\n  {}^", number_, text_, at + 1, why, text_,
         std::string(at, ' '));
  }
  size_t pos() const { return pos_; }
  bool at_end() {
    skip_spaces();
    return pos_ >= text_.size();
  }
  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  // A run of characters allowed by `ok` (at least one), else an error saying `what` was expected.
  template <class Ok>
  std::string_view take(Ok ok, const char* what) {
    skip_spaces();
    size_t start = pos_;
    while (pos_ < text_.size() && ok(text_[pos_])) ++pos_;
    if (pos_ == start) error(start, fmt::format("expected {}", what));
    return std::string_view(text_).substr(start, pos_ - start);
  }
  void expect(char c) {
    skip_spaces();
    if (pos_ >= text_.size() || text_[pos_] != c) error(pos_, fmt::format("expected '{}'", c));
    ++pos_;
  }
  bool accept(char c) {
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // A value: "quoted text" or a run of characters up to a space, ',' or ')'.
  std::string value(const char* what) {
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      size_t close = text_.find('"', pos_ + 1);
      if (close == std::string::npos) error(pos_, "unterminated quoted text");
      std::string v = text_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
      return v;
    }
    return std::string(take([](char c) { return c != ' ' && c != ',' && c != ')'; }, what));
  }
  GateOp op() {
    skip_spaces();
    static constexpr std::pair<std::string_view, GateOp> kOps[] = {{"==", GateOp::Eq}, {"!=", GateOp::Ne},
                                                                   {"<=", GateOp::Le}, {">=", GateOp::Ge},
                                                                   {"<", GateOp::Lt},  {">", GateOp::Gt}};
    for (const auto& [spelling, op] : kOps) {
      if (std::string_view(text_).substr(pos_, spelling.size()) == spelling) {
        pos_ += spelling.size();
        return op;
      }
    }
    error(pos_, "expected a comparison: == != < <= > >=");
  }

 private:
  const std::string& text_;
  size_t number_;
  size_t pos_ = 0;
};

bool is_name(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }
bool is_kind(char c) { return is_name(c) || c == '.'; }

template <size_t N>
const Property& property(Scanner& in, const std::array<Property, N>& props, const char* of) {
  size_t at = (in.skip_spaces(), in.pos());
  std::string_view name = in.take(is_name, "a property name");
  for (const Property& p : props)
    if (p.name == name) return p;
  in.error(at, fmt::format("unknown {} property '{}' (one of: {})", of, name, joined(props)));
}

}  // namespace

const char* gate_op_name(GateOp op) {
  switch (op) {
    case GateOp::Eq: return "==";
    case GateOp::Ne: return "!=";
    case GateOp::Lt: return "<";
    case GateOp::Le: return "<=";
    case GateOp::Gt: return ">";
    case GateOp::Ge: return ">=";
  }
  return "?";
}

Gate parse_gate(const std::string& text, size_t number, std::vector<EventCounter>& counters) {
  Scanner in(text, number);
  Gate g;
  g.text = text;
  size_t at = (in.skip_spaces(), in.pos());
  std::string_view head = in.take(is_name, "count(...), thread(TID).PROPERTY or run.PROPERTY");
  if (head == "count") {
    g.term = Gate::Term::Count;
    in.expect('(');
    EventCounter c;
    size_t kind_at = (in.skip_spaces(), in.pos());
    c.kind = std::string(in.take(is_kind, "an event kind"));
    if (!trace::is_known_kind(c.kind))
      in.error(kind_at, fmt::format("unknown event kind '{}' (not a kind of {}; see docs/trace.md)", c.kind,
                                    trace::kSchema));
    while (in.accept(',')) {
      EventFilter f;
      f.field = std::string(in.take(is_name, "a field name"));
      in.expect('=');
      f.value = in.value("a field value");
      c.filters.push_back(std::move(f));
    }
    in.expect(')');
    g.counter = counters.size();
    counters.push_back(std::move(c));
  } else if (head == "thread") {
    g.term = Gate::Term::Thread;
    in.expect('(');
    size_t tid_at = (in.skip_spaces(), in.pos());
    std::optional<uint64_t> tid = parse_number(in.take(is_name, "a thread id"));
    if (!tid || *tid == 0 || *tid > UINT32_MAX) in.error(tid_at, "a thread id is a number from 1");
    g.tid = uint32_t(*tid);
    in.expect(')');
    in.expect('.');
    const Property& p = property(in, kThreadProperties, "thread");
    g.property = std::string(p.name);
    g.textual = p.textual;
  } else if (head == "run") {
    g.term = Gate::Term::Run;
    in.expect('.');
    const Property& p = property(in, kRunProperties, "run");
    g.property = std::string(p.name);
    g.textual = p.textual;
  } else {
    in.error(at, fmt::format("unknown term '{}' (expected count(...), thread(TID).PROPERTY or run.PROPERTY)", head));
  }
  size_t op_at = (in.skip_spaces(), in.pos());
  g.op = in.op();
  if (g.textual && g.op != GateOp::Eq && g.op != GateOp::Ne)
    in.error(op_at, fmt::format("{} is text: compare it with == or != only", g.property));
  size_t value_at = (in.skip_spaces(), in.pos());
  std::string value = in.value("a value to compare with");
  if (g.textual) {
    const bool state = g.property == "state";
    bool known = state ? std::find(kStates.begin(), kStates.end(), value) != kStates.end()
                       : std::find(kStopReasons.begin(), kStopReasons.end(), value) != kStopReasons.end();
    if (!known)
      in.error(value_at, fmt::format("unknown {} '{}' (one of: {})", g.property, value,
                                     state ? joined(kStates) : joined(kStopReasons)));
    g.word = value;
  } else {
    g.number = parse_number(value);
    if (!g.number) in.error(value_at, fmt::format("expected a number (decimal or 0x hex), not '{}'", value));
  }
  if (!in.at_end()) in.error(in.pos(), "unexpected text after the value");
  return g;
}

namespace {

bool compare(uint64_t seen, GateOp op, uint64_t want) {
  switch (op) {
    case GateOp::Eq: return seen == want;
    case GateOp::Ne: return seen != want;
    case GateOp::Lt: return seen < want;
    case GateOp::Le: return seen <= want;
    case GateOp::Gt: return seen > want;
    case GateOp::Ge: return seen >= want;
  }
  return false;
}

// The observed value: a number, a text, or why there is none.
struct Observed {
  std::optional<uint64_t> number;
  std::optional<std::string> text;
  std::string missing;
};

Observed thread_property(const TraceSummary& s, uint32_t tid, const std::string& p) {
  auto it = s.threads.find(tid);
  if (it == s.threads.end()) return {std::nullopt, std::nullopt, fmt::format("no thread {} in this run", tid)};
  const ThreadSummary& t = it->second;
  const std::string no_dump = "unknown without the run's exit-thread-state.json";
  auto need_dump = [&](const auto& v) -> Observed {
    if (!v) return {std::nullopt, std::nullopt, no_dump};
    return {uint64_t(*v), std::nullopt, {}};
  };
  if (p == "events") return {t.events, std::nullopt, {}};
  if (p == "waits") return {t.waits, std::nullopt, {}};
  if (p == "alive_cycles") return {t.alive_cycles, std::nullopt, {}};
  if (p == "blocked_cycles") return {t.blocked_cycles, std::nullopt, {}};
  if (p == "instructions") return need_dump(t.instructions);
  if (p == "running_cycles") return need_dump(t.running_cycles);
  if (p == "ready_cycles") return need_dump(t.ready_cycles);
  if (p == "slot") {
    if (t.slot && *t.slot < 0) return {std::nullopt, std::nullopt, "on no slot"};
    return need_dump(t.slot);
  }
  if (p == "state") {
    if (!t.state) return {std::nullopt, std::nullopt, no_dump};
    return {std::nullopt, *t.state, {}};
  }
  return {std::nullopt, std::nullopt, "unknown property"};
}

Observed run_property(const TraceSummary& s, const std::string& p) {
  if (p == "events") return {s.events, std::nullopt, {}};
  if (p == "live_threads") return {s.live_threads, std::nullopt, {}};
  if (p == "exited_threads") return {s.exited_threads, std::nullopt, {}};
  if (p == "vdswap_calls") return {s.vdswap_calls, std::nullopt, {}};
  if (p == "last_guest_cycle") return {s.last_guest_cycle, std::nullopt, {}};
  if (p == "instructions" || p == "rounds") {
    const std::optional<uint64_t>& v = p == "rounds" ? s.rounds : s.instructions;
    if (!v) return {std::nullopt, std::nullopt, "unknown: no run.stop and no dump"};
    return {*v, std::nullopt, {}};
  }
  if (p == "stop_reason") {
    if (!s.stop_reason) return {std::nullopt, std::nullopt, "none: no run.stop and no dump"};
    return {std::nullopt, *s.stop_reason, {}};
  }
  return {std::nullopt, std::nullopt, "unknown property"};
}

}  // namespace

GateResult evaluate_gate(const Gate& g, const TraceSummary& s, const std::vector<EventCounter>& counters) {
  Observed seen;
  switch (g.term) {
    case Gate::Term::Count: seen.number = counters.at(g.counter).count; break;
    case Gate::Term::Thread: seen = thread_property(s, g.tid, g.property); break;
    case Gate::Term::Run: seen = run_property(s, g.property); break;
  }
  if (seen.number) return {g.number && compare(*seen.number, g.op, *g.number), std::to_string(*seen.number)};
  if (seen.text) return {(*seen.text == g.word) == (g.op == GateOp::Eq), *seen.text};
  return {false, seen.missing};
}

}  // namespace hexad::audit
