// `hexad-audit gate RUN EXPR...`: predicates over a run, for the checks an engine iteration
// predicts ("the keystone signal happened", "thread 6 got past its wait"). All count() terms are
// counted in the one streaming pass of summarize() (run_summary.h); thread() and run terms read
// the summary.
//
// Grammar (kGateGrammar, also in --help and docs/audit.md):
//   expr     := operand op value
//   operand  := "count" "(" KIND { "," FIELD "=" VALUE } ")"
//             | "thread" "(" TID ")" "." THREAD_PROPERTY
//             | "run" "." RUN_PROPERTY
//   op       := "==" | "!=" | "<" | "<=" | ">" | ">="
//   value    := NUMBER (decimal, or 0x hex) | WORD | "quoted text"
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run_summary.h"

namespace hexad::audit {

extern const char* const kGateGrammar;

enum class GateOp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

struct Gate {
  enum class Term : uint8_t { Count, Thread, Run };
  std::string text;      // as written
  Term term = Term::Count;
  size_t counter = 0;    // Count: index into the counters handed to summarize()
  uint32_t tid = 0;      // Thread
  std::string property;  // Thread, Run
  bool textual = false;  // the property is text (state, stop_reason): only == and !=
  GateOp op = GateOp::Eq;
  std::optional<uint64_t> number;  // the value, when the property is a number
  std::string word;                // the value, when it is text
};

// Parses one expression, adding its count() term to `counters`. Throws hexad::Error
// "expression N 'TEXT': column C: why" for a bad expression.
Gate parse_gate(const std::string& text, size_t number, std::vector<EventCounter>& counters);

struct GateResult {
  bool pass = false;
  std::string observed;  // the value seen, or why there is none ("no thread 6")
};
GateResult evaluate_gate(const Gate& gate, const TraceSummary& summary, const std::vector<EventCounter>& counters);

const char* gate_op_name(GateOp op);

}  // namespace hexad::audit
