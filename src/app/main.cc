#include <cstdio>
#include <cstring>
#include <string>

#include "app/commands.h"
#include "app/run_options.h"
#include "base/hexad_error.h"
#include "conformance/ppc_test_command.h"
#include "loader/xex/xex_loader.h"

namespace {

const char* kUsage =
    "usage: hexad run IMAGE [--out DIR] [--content DIR] [--budget N] [--quantum N]\n"
    "                 [--policy aging|strict|fair|console] [--no-aging]\n"
    "                 [--aging-rounds-per-bonus N] [--max-age-bonus N] [--aging-stamp ready|legacy]\n"
    "                 [--console-window-ticks N] [--console-period-ticks N]\n"
    "                 [--starvation-alarm ROUNDS] [--no-trace] [--trace-compress]\n"
    "                 [--seed N] [--strategy random|pct] [--depth D] [--pct-steps K]\n"
    "                 [--input FILE | --input-data JSON] [--frames-dir DIR] [--backend jit|interp]\n"
    "                 [--jit-dump ADDR] [--jit-perf-map] [--quiet] [-- GUEST-ARGS...]\n"
    "       hexad explore IMAGE --seeds A..B [--jobs N] [--policy P] [--budget N] [--quantum N]\n"
    "                 [--strategy random|pct] [--depth D] [--pct-steps K] [--out DIR] [--content DIR]\n"
    "                 [--backend jit|interp]\n"
    "       hexad ppc-test [--verbose] [--class int|fp|vector|all] [--budget N] [--excluded LIST] FILE.s|DIR...\n"
    "       hexad replay RUN_DIR [--until IDX | --until-round R] [--out DIR] [--allow-version-mismatch]\n"
    "                    [--backend jit|interp] [--quiet]\n"
    "       hexad exports [--all] [--json]\n"
    "       hexad info IMAGE [--json]\n"
    "       hexad studio [IMAGE | RUN_DIR] [RUN OPTIONS] [--paused] [--script CMDS]\n"
    "\n"
    "  run       IMAGE is an XEX2 title (runs on the six-slot scheduler with the HLE kernel and\n"
    "            writes trace.jsonl, exit-thread-state.json, stdout.log and run.json to DIR,\n"
    "            default audit-runs/<image stem>/; --trace-compress: trace.jsonl.zst, zstd) or a\n"
    "            static big-endian PowerPC ELF (32- or\n"
    "            64-bit, Linux-user personality; exits with the guest's exit status).\n"
    "            Exit status: 0 exited or budget reached, 2 could not load, 3 deadlock,\n"
    "            4 guest fault, 5 output error (a file of the run could not be written),\n"
    "            130/143 interrupted by SIGINT/SIGTERM. SIGUSR1 writes snapshot-<round>.json (the\n"
    "            dump of that moment) into DIR; the run goes on.\n"
    "            --seed N (N > 0) perturbs the schedule deterministically (README, \"Exploring\n"
    "            schedules\"): ties, slice lengths and placement (random), or PCT ranks and D-1\n"
    "            change points over K instructions (pct; K defaults to --budget).\n"
    "            --backend: the x86-64 JIT (default, README \"The JIT\") or the interpreter; the\n"
    "            trace is the same, run.json records which ran. --jit-dump ADDR (on the JIT)\n"
    "            prints the host code of the block at guest ADDR, disassembled, and exits.\n"
    "            --jit-perf-map (on the JIT) writes /tmp/perf-PID.map, which names each\n"
    "            block's host code (jit:0xPC) in perf report.\n"
    "  replay    runs the XEX title of an audit run (RUN_DIR) again with its recorded options and\n"
    "            compares every event with its trace: 0 verified, 1 diverged (the first differing\n"
    "            event is shown), 2 bad input (missing or changed image, other engine version).\n"
    "            --until IDX / --until-round R stop right after that event's operation / that round\n"
    "            and dump the world then (stop reason until) into DIR, default a new folder under\n"
    "            audit-runs/.\n"
    "  explore   runs an XEX title under every seed of A..B in parallel `hexad run` processes and\n"
    "            prints the outcome classes (exit status, stop reason, stdout hash, wedge\n"
    "            fingerprint) with their seeds; keeps one audit run per minority or failing class\n"
    "            and prints the `hexad replay` command for it. Exit status: 0 no seed deadlocked\n"
    "            or faulted, 1 some did, 2 bad usage, 130 interrupted.\n"
    "  ppc-test  runs annotated-assembly conformance cases (REGISTER_IN/REGISTER_OUT)\n"
    "  exports   lists the kernel exports hexad implements, one per line:\n"
    "            module, ordinal, name, implemented|stub, signature (tab-separated); --all: the\n"
    "            coverage report, every xboxkrnl and XAM ordinal: module, ordinal, name,\n"
    "            implemented|stub|missing, area (docs/exports.md)\n"
    "  info      what the XEX loader reads from IMAGE, without running it: format, encryption\n"
    "            and key, compression, title/media ids, version, base, entry, PE sections,\n"
    "            imports per library (name, and implemented|stub|missing in hexad), TLS,\n"
    "            stack/heap sizes, flags, resources. Exit status 2 if it does not load.\n"
    "  studio    the desktop frontend (SDL2, Dear ImGui): launches IMAGE with the run options (the\n"
    "            same audit run as `hexad run`) or views an audit run; six-slot timeline, threads,\n"
    "            wedges with explain's classes, event log, DbgPrint. F5 run, F6 pause, F10 step\n"
    "            round, F11 step event, Ctrl+O open, Ctrl+R restart. --script runs commands without\n"
    "            a person (README \"hexad studio\").\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace hexad;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  app::Args rest(argv + 2, argv + argc);
  try {
    if (cmd == "run") {
      app::RunOptions opt = app::parse_run_options(rest);
      std::string bytes = read_file(opt.image);
      // Both formats start with a 4-byte magic: a shorter file is neither, whatever its bytes.
      if (bytes.size() < 4)
        fail("{}: {} byte{} is too short to be an XEX2 or ELF image (both start with a 4-byte magic)", opt.image,
             bytes.size(), bytes.size() == 1 ? "" : "s");
      if (loader::looks_like_xex_family(bytes)) return app::cmd_run_xex(opt, bytes);
      return app::cmd_run_elf(opt, bytes);
    }
    if (cmd == "ppc-test") return conformance::cmd_ppc_test(rest);
    if (cmd == "exports") return app::cmd_exports(rest);
    if (cmd == "replay") return app::cmd_replay(rest);
    if (cmd == "explore") return app::cmd_explore(rest);
    if (cmd == "info") return app::cmd_info(rest);
    if (cmd == "studio") return app::cmd_studio_exec(rest);
    std::fprintf(stderr, "hexad: unknown command '%s'\n%s", cmd.c_str(), kUsage);
    return 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "hexad: %s\n", e.what());
    return 2;
  }
}
