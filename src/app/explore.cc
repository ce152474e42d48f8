// `hexad explore IMAGE --seeds A..B`: the title under every seed of a range, each in its own
// `hexad run` child process (fork/exec of this executable, at most --jobs at once), each outcome
// classified (explore_outcome.h), and a table of outcome classes with their seeds. For every
// minority or failing class one audit run folder is kept, with the `hexad replay` command that
// reproduces it; the other folders are removed. Exit status: 0 no seed deadlocked or faulted,
// 1 some did (or a child failed otherwise), 2 bad usage, 130/143 interrupted (the children are
// sent SIGTERM and waited for).
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/explore_outcome.h"
#include "base/cli_args.h"
#include "cpu/exec_backend.h"
#include "base/hexad_error.h"
#include "cpu/sched/perturb.h"
#include "cpu/sched/sched_policy.h"

namespace hexad::app {

namespace fs = std::filesystem;

namespace {

struct ExploreOptions {
  std::string image;
  uint64_t first_seed = 0, last_seed = 0;
  bool have_seeds = false;
  uint32_t jobs = 2;
  std::string out_dir;  // default audit-runs/explore-<stem>-<strategy>-<A>-<B>
  std::string strategy = "random";
  uint32_t depth = 2;
  uint64_t pct_steps = 0;
  Args run_args;  // forwarded to every child: --policy, --budget, --quantum
};

ExploreOptions parse_explore_options(const Args& args) {
  ExploreOptions o;
  for (size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    auto value = [&]() -> const std::string& {
      if (k + 1 >= args.size()) fail("{} needs a value", a);
      return args[++k];
    };
    if (a == "--seeds") {
      const std::string v = value();
      const size_t dots = v.find("..");
      o.first_seed = parse_count(a, dots == std::string::npos ? v : v.substr(0, dots));
      o.last_seed = dots == std::string::npos ? o.first_seed : parse_count(a, v.substr(dots + 2));
      if (o.last_seed < o.first_seed) fail("--seeds {}: the range is empty (A..B needs A <= B)", v);
      o.have_seeds = true;
    } else if (a == "--jobs") {
      const uint64_t j = parse_count(a, value());
      if (j < 1 || j > 256) fail("--jobs must be 1..256");
      o.jobs = uint32_t(j);
    } else if (a == "--out") {
      o.out_dir = value();
    } else if (a == "--strategy") {
      o.strategy = value();
      if (!cpu::sched::parse_strategy(o.strategy)) fail("--strategy must be random or pct, not '{}'", o.strategy);
    } else if (a == "--depth") {
      const uint64_t d = parse_count(a, value());
      if (d < 1 || d > 64) fail("--depth must be 1..64");
      o.depth = uint32_t(d);
    } else if (a == "--pct-steps") {
      o.pct_steps = parse_count(a, value());
      if (o.pct_steps == 0) fail("--pct-steps must be at least 1");
    } else if (a == "--policy") {
      const std::string p = value();
      if (!cpu::sched::make_sched_policy(p, {})) fail("--policy: unknown policy '{}'", p);
      o.run_args.insert(o.run_args.end(), {a, p});
    } else if (a == "--backend") {
      const std::string b = value();
      if (!cpu::is_backend_name(b)) fail("--backend: unknown backend '{}' (one of {})", b, cpu::backend_name_list());
      o.run_args.insert(o.run_args.end(), {a, b});
    } else if (a == "--content") {
      o.run_args.insert(o.run_args.end(), {a, value()});  // hexad run checks it and records it absolute
    } else if (a == "--budget" || a == "--quantum") {
      const std::string v = value();
      if (parse_count(a, v) == 0 && a == "--quantum") fail("--quantum must be at least 1");
      o.run_args.insert(o.run_args.end(), {a, v});
    } else if (a.rfind("--", 0) == 0) {
      fail("explore: unknown option '{}'", a);
    } else if (o.image.empty()) {
      o.image = a;
    } else {
      fail("explore: unexpected argument '{}'", a);
    }
  }
  if (o.image.empty()) fail("explore: no IMAGE given");
  if (!o.have_seeds) fail("explore: --seeds A..B is required");
  if (o.last_seed - o.first_seed >= 1'000'000) fail("explore: at most 1,000,000 seeds a run");
  return o;
}

volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void on_explore_signal(int sig) { g_stop_signal = sig; }

std::string self_exe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) fail("explore: cannot find the hexad executable (/proc/self/exe): {}", ec.message());
  return p.string();
}

// One `hexad run` child: stdout to /dev/null (the title's output is in stdout.log), stderr to
// `stderr_path`; its own process group, so a terminal's Ctrl-C reaches explore, which stops the
// children itself; killed if explore dies.
pid_t spawn_run(const std::string& exe, const std::vector<std::string>& argv, const std::string& stderr_path) {
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) fail("explore: fork failed: {}", std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    const int null_fd = open("/dev/null", O_WRONLY);
    const int err_fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null_fd >= 0) dup2(null_fd, STDOUT_FILENO);
    if (err_fd >= 0) dup2(err_fd, STDERR_FILENO);
    execv(exe.c_str(), cargv.data());
    _exit(127);
  }
  return pid;
}

int status_of(int wstatus) {
  if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) return 128 + WTERMSIG(wstatus);
  return 1;
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

class Progress {
 public:
  Progress(uint64_t total) : total_(total), tty_(isatty(STDERR_FILENO)), t0_(std::chrono::steady_clock::now()) {}
  void update(uint64_t done, size_t failing) {
    if (!tty_) return;
    constexpr int kWidth = 30;
    const int filled = int(done * kWidth / (total_ ? total_ : 1));
    std::string bar(size_t(filled), '#');
    bar.append(size_t(kWidth - filled), '.');
    std::fprintf(stderr, "\r[%s] %llu/%llu seeds, %zu failing, %.1f s\033[K", bar.c_str(), (unsigned long long)done,
                 (unsigned long long)total_, failing, seconds());
  }
  void finish() {
    if (tty_) std::fputs("\r\033[K", stderr);
  }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  }

 private:
  uint64_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point t0_;
};

// Seeds run with --no-trace (the classification reads only run.json, stdout.log and the dump,
// which do not depend on it; about 3x faster on pingpong); a kept seed runs again with its trace.
std::vector<std::string> run_argv(const std::string& exe, const ExploreOptions& o, uint64_t seed,
                                  const fs::path& dir, bool trace) {
  std::vector<std::string> argv{exe, "run", o.image, "--out", dir.string(), "--quiet", "--seed", std::to_string(seed),
                                "--strategy", o.strategy, "--depth", std::to_string(o.depth)};
  if (!trace) argv.push_back("--no-trace");
  if (o.pct_steps) argv.insert(argv.end(), {"--pct-steps", std::to_string(o.pct_steps)});
  argv.insert(argv.end(), o.run_args.begin(), o.run_args.end());
  return argv;
}

// Waits for one child; a stop signal meanwhile is passed on to it.
int wait_for(pid_t pid) {
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    if (g_stop_signal) kill(pid, SIGTERM);
  }
  return status_of(wstatus);
}

// pct draws change points over k instructions: without --pct-steps or --budget, k is what the
// unperturbed schedule (seed 0) retires, measured once here.
uint64_t measure_pct_steps(const std::string& exe, const ExploreOptions& o, const fs::path& out) {
  const fs::path dir = out / "pct-baseline";
  const pid_t pid = spawn_run(exe, run_argv(exe, o, 0, dir, false), (out / "pct-baseline.stderr").string());
  const int status = wait_for(pid);
  if (status == 2) fail("explore: the unperturbed run could not start: {}", read_text(out / "pct-baseline.stderr"));
  const auto dump = nlohmann::json::parse(read_text(dir / "exit-thread-state.json"), nullptr, false);
  uint64_t k = 0;
  if (!dump.is_discarded() && dump.contains("run") && dump["run"].contains("instructions"))
    k = dump["run"]["instructions"].get<uint64_t>();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::remove(out / "pct-baseline.stderr", ec);
  if (k == 0) fail("explore: the unperturbed run retired no instructions; give --pct-steps N");
  return k;
}

void print_table(const std::vector<OutcomeClass>& classes, const std::map<std::string, fs::path>& kept) {
  std::printf("%-5s %6s %4s %-11s %-12s %-12s %s\n", "class", "seeds", "exit", "stop", "stdout", "wedge", "which");
  for (size_t c = 0; c < classes.size(); ++c) {
    const RunOutcome& o = classes[c].outcome;
    std::printf("%-5c %6zu %4d %-11s %-12s %-12s %s\n", char('A' + (c % 26)), classes[c].seeds.size(), o.exit_status,
                o.stop_reason.c_str(), o.stdout_hash.c_str(), o.wedge.c_str(), format_seeds(classes[c].seeds).c_str());
  }
  for (size_t c = 0; c < classes.size(); ++c)
    if (!classes[c].outcome.wedge_detail.empty())
      std::printf("wedge %s (class %c): %s\n", classes[c].outcome.wedge.c_str(), char('A' + (c % 26)),
                  classes[c].outcome.wedge_detail.c_str());
  for (size_t c = 0; c < classes.size(); ++c) {
    auto it = kept.find(classes[c].outcome.key());
    if (it == kept.end()) continue;
    std::printf("class %c, seed %llu: audit run %s\n  reproduce: hexad replay %s\n", char('A' + (c % 26)),
                (unsigned long long)classes[c].seeds.front(), it->second.c_str(), it->second.c_str());
  }
}

}  // namespace

int cmd_explore(const Args& args) {
  ExploreOptions o = parse_explore_options(args);
  if (!fs::is_regular_file(o.image)) fail("explore: cannot read '{}'", o.image);
  const std::string exe = self_exe();
  const std::string stem = fs::path(o.image).stem().string();
  const fs::path out = o.out_dir.empty() ? fs::path("audit-runs") / fmt::format("explore-{}-{}-{}-{}", stem, o.strategy,
                                                                                  o.first_seed, o.last_seed)
                                         : fs::path(o.out_dir);
  std::error_code ec;
  fs::remove_all(out, ec);  // one exploration a folder: nothing of an earlier one may be read as this one's
  fs::create_directories(out, ec);
  if (ec) fail("explore: cannot create '{}': {}", out.string(), ec.message());

  struct sigaction sa {};
  sa.sa_handler = on_explore_signal;  // no SA_RESTART: waitpid returns EINTR at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  bool budget_given = false;
  for (const std::string& a : o.run_args) budget_given |= a == "--budget";
  if (o.strategy == "pct" && !o.pct_steps && !budget_given) o.pct_steps = measure_pct_steps(exe, o, out);

  const uint64_t total = o.last_seed - o.first_seed + 1;
  Progress progress(total);
  std::map<pid_t, uint64_t> running;  // pid -> seed
  std::map<uint64_t, RunOutcome> outcomes;
  uint64_t next = o.first_seed;
  bool exhausted = false;
  size_t failing = 0;
  std::string usage_error;
  auto seed_dir = [&](uint64_t seed) { return out / ("seed-" + std::to_string(seed)); };
  auto stderr_file = [&](uint64_t seed) { return out / ("seed-" + std::to_string(seed) + ".stderr"); };
  while (!g_stop_signal && usage_error.empty() && (!exhausted || !running.empty())) {
    while (!exhausted && running.size() < o.jobs) {
      running[spawn_run(exe, run_argv(exe, o, next, seed_dir(next), false), stderr_file(next).string())] = next;
      if (next == o.last_seed) exhausted = true;
      else ++next;
    }
    int wstatus = 0;
    const pid_t pid = waitpid(-1, &wstatus, 0);
    if (pid < 0) continue;  // EINTR: the loop condition sees the signal
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const uint64_t seed = it->second;
    running.erase(it);
    const int status = status_of(wstatus);
    if (status == 2) usage_error = read_text(stderr_file(seed));
    outcomes[seed] = classify_run(seed_dir(seed).string(), status);
    fs::remove(stderr_file(seed), ec);
    failing += outcomes[seed].failing();
    progress.update(outcomes.size(), failing);
  }
  // Interrupted (or a child could not run): stop the others and wait for them.
  for (const auto& [pid, seed] : running) kill(pid, SIGTERM);
  for (const auto& [pid, seed] : running) {
    wait_for(pid);
    fs::remove_all(seed_dir(seed), ec);
    fs::remove(stderr_file(seed), ec);
  }
  progress.finish();
  if (!usage_error.empty()) {
    std::fprintf(stderr, "hexad: explore: a run could not start:\n%s", usage_error.c_str());
    return 2;
  }

  const std::vector<OutcomeClass> classes = group_outcomes(outcomes);
  // One folder for every failing class and every class but the majority; the rest go.
  std::map<std::string, fs::path> kept;
  for (size_t c = 0; c < classes.size(); ++c)
    if (c > 0 || classes[c].outcome.failing()) kept[classes[c].outcome.key()] = seed_dir(classes[c].seeds.front());
  for (const auto& [seed, outcome] : outcomes) {
    auto it = kept.find(outcome.key());
    if (it == kept.end() || it->second != seed_dir(seed)) fs::remove_all(seed_dir(seed), ec);
  }
  // The kept seeds again, traced: the same run (determinism), now with its trace.jsonl.
  std::vector<uint64_t> not_reproduced;
  for (const OutcomeClass& c : classes) {
    if (g_stop_signal || !kept.count(c.outcome.key())) continue;
    const uint64_t seed = c.seeds.front();
    const int status = wait_for(spawn_run(exe, run_argv(exe, o, seed, seed_dir(seed), true), stderr_file(seed).string()));
    fs::remove(stderr_file(seed), ec);
    if (!g_stop_signal && classify_run(seed_dir(seed).string(), status).key() != c.outcome.key())
      not_reproduced.push_back(seed);
  }

  // explore.json: every seed's class, for scripts.
  nlohmann::json summary = {{"schema", "hexad.explore/1"}, {"image", o.image}, {"strategy", o.strategy},
                            {"depth", o.depth}, {"pct_steps", o.pct_steps}, {"first_seed", o.first_seed},
                            {"last_seed", o.last_seed}, {"run_options", o.run_args},
                            {"seconds", progress.seconds()}, {"complete", g_stop_signal == 0}};
  summary["classes"] = nlohmann::json::array();
  for (const OutcomeClass& c : classes) {
    auto it = kept.find(c.outcome.key());
    summary["classes"].push_back({{"exit_status", c.outcome.exit_status},
                                  {"stop_reason", c.outcome.stop_reason},
                                  {"stdout_hash", c.outcome.stdout_hash},
                                  {"wedge", c.outcome.wedge},
                                  {"wedge_detail", c.outcome.wedge_detail},
                                  {"seeds", c.seeds},
                                  {"kept_run", it == kept.end() ? nlohmann::json(nullptr) : nlohmann::json(it->second.string())}});
  }
  std::ofstream(out / "explore.json") << summary.dump(2) << "\n";

  const double secs = progress.seconds();
  std::printf("explore %s: seeds %llu..%llu, strategy %s", fs::path(o.image).filename().c_str(),
              (unsigned long long)o.first_seed, (unsigned long long)o.last_seed, o.strategy.c_str());
  if (o.strategy == "pct") std::printf(" (depth %u, k = %llu instructions)", o.depth, (unsigned long long)o.pct_steps);
  std::printf("; %zu runs in %.1f s (%.0f seeds/min, %u jobs)%s\n", outcomes.size(), secs,
              secs > 0 ? double(outcomes.size()) * 60.0 / secs : 0.0, o.jobs,
              g_stop_signal ? "; INTERRUPTED" : "");
  print_table(classes, kept);
  std::fflush(stdout);
  if (!not_reproduced.empty())
    std::fprintf(stderr, "hexad: explore: seed(s) %s gave another outcome when run again with a trace: a determinism defect\n",
                 format_seeds(not_reproduced).c_str());

  if (g_stop_signal) return g_stop_signal == SIGTERM ? 143 : 130;
  for (const OutcomeClass& c : classes)
    if (c.outcome.failing()) return 1;
  return not_reproduced.empty() ? 0 : 1;
}

}  // namespace hexad::app
