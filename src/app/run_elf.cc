// `hexad run PROGRAM` for ELF programs: load, run to exit under the Linux-user personality.
#include <chrono>
#include <cstdio>

#include "app/commands.h"
#include "app/jit_report.h"
#include "app/run_options.h"
#include "base/hexad_error.h"
#include "cpu/exec_backend.h"
#include "cpu/memory.h"
#include "loader/elf/elf_loader.h"
#include "kernel/linux_user/linux_user.h"

namespace hexad::app {

int cmd_run_elf(const RunOptions& opt, const std::string& bytes) {
  const std::string& path = opt.image;
  const uint64_t budget = opt.budget;
  const bool quiet = opt.quiet;
  // One thread, no scheduler: there is no schedule to perturb.
  if (opt.seed) fail("--seed applies to XEX titles (the six-slot scheduler), not to ELF programs");
  cpu::Memory mem;
  loader::ElfImage img = loader::load_elf(bytes, mem, path);
  kernel::LinuxProcess proc(mem, img, stdout, stderr);
  cpu::ThreadContext ctx;
  cpu::reset_context(ctx, &mem, img.is64);
  ctx.tid = 1;
  Args argv{path};
  argv.insert(argv.end(), opt.guest_args.begin(), opt.guest_args.end());
  proc.start(ctx, argv);

  const std::unique_ptr<cpu::ExecBackend> cpu = cpu::make_backend(opt.backend, mem);
  if (opt.jit_perf_map) start_jit_perf_map(*cpu);
  auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0;
  int status = 0;
  const uint64_t kSlice = 50'000'000;
  for (;;) {
    uint64_t slice = kSlice;
    if (budget) {
      if (ctx.instructions >= budget) {
        std::fprintf(stderr, "hexad: instruction budget of %llu reached at pc 0x%08llx\n",
                     (unsigned long long)budget, (unsigned long long)ctx.pc);
        status = 0;
        break;
      }
      slice = std::min<uint64_t>(slice, budget - ctx.instructions);
    }
    const cpu::Stop why = cpu->run(ctx, slice).why;
    if (why == cpu::Stop::Syscall) {
      if (proc.syscall(ctx)) {
        status = proc.exit_status();
        break;
      }
    } else if (why == cpu::Stop::Fault) {
      std::fflush(stdout);
      std::fprintf(stderr, "hexad: guest fault: %s\n", ctx.fault.describe().c_str());
      status = 4;
      break;
    } else if (why == cpu::Stop::Budget && !quiet) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::seconds(2)) {
        last_progress = now;
        std::fprintf(stderr, "hexad: %llu instructions retired...\n", (unsigned long long)ctx.instructions);
      }
    }
  }
  std::fflush(stdout);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!quiet)
    std::fprintf(stderr, "hexad: %llu instructions retired, %.1f MIPS, exit status %d\n",
                 (unsigned long long)ctx.instructions, secs > 0 ? ctx.instructions / secs / 1e6 : 0.0, status);
  if (opt.jit_dump) print_jit_block(*cpu, *opt.jit_dump, img.is64, stderr);
  return status;
}

}  // namespace hexad::app
