// `hexad ppc-test [--verbose] [--class int|fp|vector|all] [--budget N] [--excluded LIST]
//                 [--backend NAME|all] FILE.s|DIR ...`:
// annotated-assembly conformance cases (format: tools/conformance/parser.h).
//
// --backend runs the cases under that execution backend (cpu/exec_backend.h; default: the
// default backend), or with `all` under each backend the build has, every case once per backend;
// with more than one, reports and tallies name the backend.
//
// Only a case that ran and met at least one expectation counts as passed. A case without
// expectations, a case that could not run and a file without cases fail the run unless LIST names
// their file with a reason (tools/conformance/exclusions.h); a LIST entry that no longer excuses
// anything fails it too.
//
// Each file is assembled and linked with the cross binutils so that .text starts at 0x82010000,
// then every `test_` case runs on a fresh guest: new memory (code RWX, a zeroed scratch data
// region, MEMORY_IN bytes), all registers zero, REGISTER_IN applied, lr = a return sentinel the
// interpreter stops at, and a bounded instruction budget.
//
// Mode: cases run with MSR[SF]=0 (32-bit mode) unless they say `#_ MODE 64`. The shared suite's
// expectations were taken in that mode: `addic r4,r4,1` on 0xFFFFFFFF expects CA=1 (the carry
// out of bit 32), `divdu.` producing 0x00000000FFFFFFFF expects CR0=LT (low word compared as
// signed), and seq_branch_carry's `addic`/`subfe.` chain only yields its expected r29=0 with
// the 32-bit carry. In 64-bit mode all three would differ.
#include <algorithm>
#include <exception>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "conformance/ppc_test_command.h"

#include "base/cli_args.h"
#include "conformance/classify.h"
#include "conformance/exclusions.h"
#include "conformance/execute.h"
#include "conformance/parser.h"
#include "conformance/toolchain.h"
#include "conformance/vmx128_encoder.h"
#include "base/hexad_error.h"
#include "cpu/exec_backend.h"

namespace hexad::conformance {

namespace {


constexpr uint64_t kDefaultBudget = 100000;

struct Options {
  bool verbose = false;
  bool all_classes = true;
  CaseClass only = CaseClass::Int;
  uint64_t budget = kDefaultBudget;
  std::string excluded;  // --excluded LIST, "" for none
  std::vector<std::string> backends{std::string(cpu::kDefaultBackend)};
  std::vector<std::string> inputs;
};

struct Tally {
  uint64_t passed = 0, failed = 0, not_run = 0, excluded = 0, files = 0;
};

Options parse_options(const std::vector<std::string>& args) {
  Options o;
  for (size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    if (a == "--verbose" || a == "-v") {
      o.verbose = true;
    } else if (a == "--class") {
      if (k + 1 >= args.size()) fail("ppc-test: --class needs int, fp, vector or all");
      const std::string& v = args[++k];
      o.all_classes = v == "all";
      if (v == "int") o.only = CaseClass::Int;
      else if (v == "fp") o.only = CaseClass::Fp;
      else if (v == "vector") o.only = CaseClass::Vector;
      else if (v != "all") fail("ppc-test: --class needs int, fp, vector or all, got '{}'", v);
    } else if (a == "--budget") {
      if (k + 1 >= args.size()) fail("ppc-test: --budget needs a value");
      o.budget = parse_count("--budget", args[++k]);
      if (o.budget == 0) fail("ppc-test: --budget must be positive");
    } else if (a == "--excluded") {
      if (k + 1 >= args.size()) fail("ppc-test: --excluded needs a file");
      o.excluded = args[++k];
    } else if (a == "--backend") {
      if (k + 1 >= args.size()) fail("ppc-test: --backend needs a backend name or all");
      const std::string& v = args[++k];
      std::string known;
      o.backends.clear();
      for (std::string_view n : cpu::backend_names()) {
        known += (known.empty() ? "" : ", ") + std::string(n);
        if (v == "all" || v == n) o.backends.emplace_back(n);
      }
      if (o.backends.empty()) fail("ppc-test: no backend '{}' (known: {}, or all)", v, known);
    } else if (a.rfind("--", 0) == 0) {
      fail("ppc-test: unknown option '{}'", a);
    } else {
      o.inputs.push_back(a);
    }
  }
  if (o.inputs.empty()) fail("ppc-test: no FILE.s given");
  return o;
}

// Arguments may name directories: their *.s files run in name order.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(in, ec)) {
      std::vector<std::string> found;
      for (const auto& e : std::filesystem::directory_iterator(in, ec))
        if (e.is_regular_file() && e.path().extension() == ".s") found.push_back(e.path().string());
      if (ec) fail("ppc-test: cannot list {}: {}", in, ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(in);
    }
  }
  return files;
}

// The VMX128 mnemonic an assembler refused, or "" if it failed for another reason.
std::string vmx128_rejection(const std::string& message) {
  const std::string key = "unrecognized opcode: `";
  for (size_t p = message.find(key); p != std::string::npos; p = message.find(key, p + 1)) {
    size_t b = p + key.size(), e = message.find('\'', b);
    if (e == std::string::npos) break;
    std::string m = message.substr(b, e - b);
    if (is_vmx128_mnemonic(m)) return m;
  }
  return "";
}

void write_text_file(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fail("ppc-test: cannot write {}", path);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) fail("ppc-test: cannot write {}", path);
}

std::string indent(const std::string& text) {
  std::string out = "    ";
  for (size_t k = 0; k < text.size(); ++k) {
    out += text[k];
    if (text[k] == '\n' && k + 1 < text.size()) out += "    ";
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

}  // namespace

int cmd_ppc_test(const std::vector<std::string>& args) {
  Options opt = parse_options(args);
  std::vector<std::string> files = expand_inputs(opt.inputs);
  ExclusionList exclusions;
  if (!opt.excluded.empty()) exclusions = parse_exclusions(read_file(opt.excluded), opt.excluded);
  TempDir tmp;
  // Ordered by class, then backend: a deterministic report. File-level counts go to every backend.
  std::map<std::pair<CaseClass, size_t>, Tally> tally;
  const size_t n_backends = opt.backends.size();
  auto for_backends = [&](CaseClass cls, auto fn) {
    for (size_t b = 0; b < n_backends; ++b) fn(tally[{cls, b}]);
  };
  // "[name] " in reports when cases run under more than one backend.
  auto tag = [&](size_t b) { return n_backends > 1 ? "[" + opt.backends[b] + "] " : std::string(); };
  uint64_t file_errors = 0, vmx128_files = 0, skipped_files = 0;

  for (size_t fi = 0; fi < files.size(); ++fi) {
    const std::string& path = files[fi];
    CaseFile cf;
    try {
      cf = parse_case_file(read_file(path), path);
    } catch (const Error& e) {
      std::printf("ERROR %s\n", e.what());
      ++file_errors;
      continue;
    }
    CaseClass cls = classify(cf);
    Exclusion* excl = find_exclusion(exclusions, path);
    if (excl) excl->matched = true;
    if (!opt.all_classes && cls != opt.only) {
      ++skipped_files;
      continue;
    }
    if (excl) excl->judged = true;
    for_backends(cls, [](Tally& t) { ++t.files; });
    if (cf.cases.empty()) {
      // The shared suite has files whose only case is commented out.
      if (excl) {
        excl->needed = true;
        std::printf("EXCLUDED %s: no test_ cases -- %s\n", path.c_str(), excl->reason.c_str());
      } else {
        std::printf("ERROR %s: no test_ cases (nothing to run) and not listed as excluded\n", path.c_str());
        ++file_errors;
      }
      continue;
    }
    if (opt.verbose) std::printf("%s (%s, %zu cases)\n", path.c_str(), class_name(cls), cf.cases.size());
    std::fflush(stdout);

    std::string work = tmp.path() + "/" + std::to_string(fi);
    std::filesystem::create_directory(work);
    // VMX128 mnemonics are encoded here (no stock assembler knows them): the file is rewritten
    // with `.long` words in their place and the copy is assembled.
    std::string source = path;
    if (file_uses_vmx128(cf)) {
      Vmx128Rewrite rw = rewrite_vmx128(read_file(path));
      if (!rw.errors.empty()) {
        std::printf("ERROR %s: VMX128 encoder:\n", path.c_str());
        for (const std::string& e : rw.errors) std::printf("    %s\n", e.c_str());
        ++file_errors;
        continue;
      }
      source = work + "/vmx128.s";
      write_text_file(source, rw.text);
    }
    AssembledImage img = assemble(source, kCodeBase, work, opt.verbose);
    if (!img.ok) {
      std::string m = vmx128_rejection(img.message);
      if (!m.empty()) {
        std::printf("%s %s: not assembled (VMX128 mnemonic unknown to the encoder: %s): %zu cases not run%s\n",
                    excl ? "EXCLUDED" : "FAIL", path.c_str(), m.c_str(), cf.cases.size(),
                    excl ? (" -- " + excl->reason).c_str() : "");
        for_backends(cls, [&](Tally& t) { (excl ? t.excluded : t.not_run) += cf.cases.size(); });
        if (excl) excl->needed = true;
        ++vmx128_files;
      } else {
        std::printf("ERROR %s: could not be assembled:\n%s", path.c_str(), indent(img.message).c_str());
        ++file_errors;
      }
      continue;
    }

    for (const Case& c : cf.cases) {
      auto sym = img.symbols.find(c.label);
      for (size_t b = 0; b < n_backends; ++b) {
        Tally& t = tally[{cls, b}];
        const std::string tb = tag(b);
        const char* p = path.c_str();
        const char* label = c.label.c_str();
        if (sym == img.symbols.end()) {
          std::printf("FAIL %s%s:%s: label not found in the linked image\n", tb.c_str(), p, label);
          ++t.failed;
          continue;
        }
        CaseResult r;
        try {
          r = run_case(img, c, sym->second, opt.budget, opt.backends[b]);
        } catch (const std::exception& e) {  // host-side failure setting up the guest
          r.error = std::string("runner error: ") + e.what();
        }
        if (r.passed && !case_has_expectations(c)) {
          // It ran without a fault, but nothing it did was checked.
          if (excl) {
            excl->needed = true;
            ++t.excluded;
            std::printf("EXCLUDED %s%s:%s: no REGISTER_OUT or MEMORY_OUT -- %s\n", tb.c_str(), p, label,
                        excl->reason.c_str());
          } else {
            ++t.failed;
            std::printf("FAIL %s%s:%s: no REGISTER_OUT or MEMORY_OUT, and the file is not listed as excluded\n",
                        tb.c_str(), p, label);
          }
          continue;
        }
        if (r.passed) {
          ++t.passed;
          if (opt.verbose)
            std::printf("PASS %s%s:%s (%llu instructions)\n", tb.c_str(), p, label,
                        (unsigned long long)r.instructions);
          continue;
        }
        ++t.failed;
        if (!r.error.empty()) std::printf("FAIL %s%s:%s: %s\n", tb.c_str(), p, label, r.error.c_str());
        for (const Mismatch& m : r.mismatches)
          std::printf("FAIL %s%s:%s: %s expected %s actual %s\n", tb.c_str(), p, label, m.what.c_str(),
                      m.expected.c_str(), m.actual.c_str());
      }
    }
    std::fflush(stdout);
  }

  Tally total;
  std::vector<Tally> per_backend(n_backends);
  for (const auto& [key, t] : tally) {
    std::printf("%s%s: %llu passed, %llu failed, %llu not run, %llu excluded (%llu files)\n", class_name(key.first),
                n_backends > 1 ? (" [" + opt.backends[key.second] + "]").c_str() : "", (unsigned long long)t.passed, (unsigned long long)t.failed, (unsigned long long)t.not_run,
                (unsigned long long)t.excluded, (unsigned long long)t.files);
    total.passed += t.passed;
    total.failed += t.failed;
    total.not_run += t.not_run;
    total.excluded += t.excluded;
    per_backend[key.second].passed += t.passed;
    per_backend[key.second].failed += t.failed;
  }
  // Each backend's own total when there are several: one that passes nothing must show.
  if (n_backends > 1)
    for (size_t b = 0; b < n_backends; ++b)
      std::printf("backend %s: %llu passed, %llu failed\n", opt.backends[b].c_str(),
                  (unsigned long long)per_backend[b].passed, (unsigned long long)per_backend[b].failed);
  std::vector<std::string> stale = stale_exclusions(exclusions, files);
  for (const std::string& m : stale) std::printf("STALE %s\n", m.c_str());
  if (opt.verbose && skipped_files) std::printf("%llu files outside --class skipped\n", (unsigned long long)skipped_files);
  if (file_errors) std::printf("%llu files with errors\n", (unsigned long long)file_errors);
  std::printf("%llu not run (%llu files: VMX128 mnemonic unknown to the encoder)\n", (unsigned long long)total.not_run,
              (unsigned long long)vmx128_files);
  if (total.excluded)
    std::printf("%llu excluded (listed in %s)\n", (unsigned long long)total.excluded, exclusions.path.c_str());
  std::printf("%llu passed, %llu failed\n", (unsigned long long)total.passed, (unsigned long long)total.failed);
  return total.failed == 0 && total.not_run == 0 && file_errors == 0 && stale.empty() ? 0 : 1;
}

}  // namespace hexad::conformance
