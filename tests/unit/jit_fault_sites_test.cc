// Memory's read view and the JIT's host fault handling (cpu/jit/fault_sites.h): generated loads
// have no inline check, so wherever the guest may not read, the host must fault and the thread
// must go to the access's out-of-line path. Each guest case runs on both backends and compares.
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "jit_test_machine.h"
#include "ppc_encode.h"

using namespace jit_test;
using namespace ppc_encode;

namespace {


// Pages beyond the machine's usual ones.
constexpr uint32_t kWriteOnly = 0x40004000;  // committed writable, not readable
constexpr uint32_t kMmio = 0x40006000;       // a device register page (never committed)
constexpr uint32_t kReadable = 0x40007000;   // committed read-write, before:
constexpr uint32_t kNoAccess = 0x40008000;   // committed, then protected to no access

struct Device : MmioHandler {
  uint32_t reads = 0, last_write = 0;
  uint32_t mmio_read32(uint32_t addr) override { return ++reads * 0x1000 + (addr & 0xFFF); }
  void mmio_write32(uint32_t, uint32_t value) override { last_write = value; }
};

struct Pair {
  Device dev_a, dev_b;
  Machine a{make_interp}, b{make_jit};
  explicit Pair(const std::vector<uint32_t>& prog, bool sf) {
    for (auto [m, dev] : {std::pair{&a, &dev_a}, std::pair{&b, &dev_b}}) {
      REQUIRE(m->mem.commit(kReadable, 0x1000, kProtRW));
      REQUIRE(m->mem.commit(kNoAccess, 0x1000, kProtRW));
      m->mem.write32(kNoAccess, 0x11223344);
      m->mem.protect(kNoAccess, 0x1000, kProtNone);
      REQUIRE(m->mem.commit(kWriteOnly, 0x1000, kProtWrite));
      m->mem.map_mmio(kMmio, 0x1000, *dev);
      m->data({0xDE, 0xAD, 0xBE, 0xEF});
      reset_context(m->ctx, &m->mem, sf);
      m->ctx.tid = 1;
      m->code(prog);
      m->ctx.pc = kCode;
    }
  }
  // Runs both to their first stop; compares.
  void run() {
    const RunResult ra = a.cpu->run(a.ctx, 1000);
    const RunResult rb = b.cpu->run(b.ctx, 1000);
    REQUIRE(ra.retired == rb.retired);
    REQUIRE(ra.why == rb.why);
    require_same(a, b);
  }
};

// r4 = addr; then `access` (using r4), then a marker and sc.
std::vector<uint32_t> program(uint32_t addr, uint32_t access) {
  return {lis(4, int32_t(addr >> 16)), ori(4, 4, addr & 0xFFFF), li(7, 0), access, li(7, 1), kSc};
}

}  // namespace

TEST_CASE("memory: the read view is accessible exactly where the guest may read", "[jit]") {
  Memory mem;
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  // write() from an inaccessible buffer fails with EFAULT instead of faulting the process.
  const auto host_readable = [&](uint32_t addr) {
    const bool ok = write(fds[1], mem.read_view_base() + addr, 1) == 1;
    char c;
    if (ok) REQUIRE(read(fds[0], &c, 1) == 1);
    return ok;
  };
  // read() into an unwritable buffer fails with EFAULT likewise.
  const auto host_writable = [&](uint32_t addr) {
    REQUIRE(write(fds[1], "x", 1) == 1);
    const bool ok = read(fds[0], mem.read_view_base() + addr, 1) == 1;
    char c;
    if (!ok) REQUIRE(read(fds[0], &c, 1) == 1);
    return ok;
  };
  CHECK(!host_readable(0x10000000));
  REQUIRE(mem.commit(0x10000000, 0x3000, kProtRW));
  CHECK(host_writable(0x10000000));
  mem.write32(0x10000000, 0xCAFEF00D);
  CHECK(host_readable(0x10000000));
  CHECK(hexad::load_be<uint32_t>(mem.read_view_base() + 0x10000000) == 0xCAFEF00D);  // the same pages
  mem.protect(0x10001000, 0x1000, kProtNone);
  CHECK(host_readable(0x10000000));
  CHECK(!host_readable(0x10001000));
  CHECK(host_readable(0x10002000));
  mem.protect(0x10001000, 0x1000, kProtRead);
  CHECK(host_readable(0x10001000));
  CHECK(!host_writable(0x10001000));  // read-only: a store goes through Memory::write
  mem.mark_code(0x10002000);           // code: a store must reach the code listeners
  CHECK(host_readable(0x10002000));
  CHECK(!host_writable(0x10002000));
  mem.unmark_code(0x10002000);
  CHECK(host_writable(0x10002000));
  mem.protect(0x10000000, 0x1000, kProtWrite);  // writable only: not readable
  CHECK(!host_readable(0x10000000));
  mem.decommit(0x10000000, 0x3000);
  CHECK(!host_readable(0x10002000));
  REQUIRE(mem.commit(0x10000000, 0x1000, kProtRW));
  CHECK(mem.read32(0x10000000) == 0);  // a decommitted page comes back zeroed
  // Also when the decommitted range has uncommitted pages around it.
  mem.write32(0x10000010, 0x12345678);
  mem.decommit(0x0FFFF000, 0x3000);
  REQUIRE(mem.commit(0x10000000, 0x1000, kProtRW));
  CHECK(mem.read32(0x10000010) == 0);
  close(fds[0]);
  close(fds[1]);
}

TEST_CASE("jit: loads the guest may not make fault as in the interpreter", "[jit]") {
  struct Case {
    const char* what;
    uint32_t addr, access;
  };
  const Case cases[] = {
      {"word from a no-access page", kNoAccess, lwz(5, 4, 0)},
      {"byte from a no-access page", kNoAccess + 7, lbz(5, 4, 0)},
      {"doubleword (FPR) from a no-access page", kNoAccess, lfd(1, 4, 0)},
      {"word from a write-only page", kWriteOnly, lwz(5, 4, 0)},
      {"word from an uncommitted page", kUnmapped, lwz(5, 4, 0)},
      {"unaligned word across into an uncommitted page", kUnmapped - 2, lwz(5, 4, 0)},
      {"unaligned halfword across into a no-access page", kNoAccess - 1, lhz(5, 4, 0)},
      {"unaligned word within a readable page", kData + 1, lwz(5, 4, 0)},
      {"word from the read-only page", kReadOnly + 8, lwz(5, 4, 0)},
  };
  for (bool sf : {false, true})
    for (const Case& c : cases) {
      INFO(c.what << " sf " << sf);
      Pair p(program(c.addr, c.access), sf);
      p.run();
      const bool faults = c.addr == kNoAccess || c.addr == kNoAccess + 7 || c.addr == kWriteOnly ||
                          c.addr == kUnmapped || c.addr == kUnmapped - 2 || c.addr == kNoAccess - 1;
      CHECK(p.b.ctx.stop == (faults ? Stop::Fault : Stop::Syscall));
      if (faults) CHECK(p.b.ctx.fault.pc == kCode + 12);
    }
}

TEST_CASE("jit: a device register is read and written through its handler", "[jit]") {
  for (bool sf : {false, true}) {
    Pair p({lis(4, int32_t(kMmio >> 16)), ori(4, 4, kMmio & 0xFFFF), lwz(5, 4, 0x10), lwz(6, 4, 0x14), stw(5, 4, 0x20),
            lhz(8, 4, 0x10), kSc},
           sf);
    p.run();
    CHECK(p.b.ctx.gpr[5] == 0x1010);
    CHECK(p.b.ctx.gpr[6] == 0x2014);
    CHECK(p.dev_b.last_write == 0x1010);
    CHECK(p.dev_b.reads == p.dev_a.reads);
    // A halfword of a device register is no register access: it faults.
    CHECK(p.b.ctx.stop == Stop::Fault);
    CHECK(p.b.ctx.fault.pc == kCode + 20);
  }
}

TEST_CASE("jit: stores a page does not take directly are the interpreter's", "[jit]") {
  struct Case {
    const char* what;
    uint32_t addr;
    bool faults;
  };
  const Case cases[] = {
      {"to the read-only page", kReadOnly + 8, true},
      {"unaligned, across into the read-only page", kReadOnly - 2, true},
      {"unaligned, within a writable page", kData + 0x23, false},
      {"to a no-access page", kNoAccess, true},
      {"to an uncommitted page", kUnmapped, true},
  };
  for (bool sf : {false, true})
    for (const Case& c : cases) {
      INFO(c.what << " sf " << sf);
      Pair p(program(c.addr, stw(7, 4, 0)), sf);
      p.run();
      CHECK(p.b.ctx.stop == (c.faults ? Stop::Fault : Stop::Syscall));
      if (c.faults) CHECK(p.b.ctx.fault.pc == kCode + 12);
    }
}

TEST_CASE("jit: a store to a writable page the guest may not read is the interpreter's", "[jit]") {
  for (bool sf : {false, true}) {
    Pair p({lis(4, int32_t(kWriteOnly >> 16)), ori(4, 4, kWriteOnly & 0xFFFF), li(5, 0x55), stw(5, 4, 0x40), li(7, 1), kSc}, sf);
    p.run();
    CHECK(p.b.ctx.stop == Stop::Syscall);
    CHECK(p.b.mem.host(kWriteOnly + 0x40)[3] == 0x55);
  }
}

TEST_CASE("jit: a host fault outside generated code still kills the process", "[jit]") {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::signal(SIGSEGV, SIG_DFL);  // the test framework's handler stays out of the child
    {
      Pair p(program(kNoAccess, lwz(5, 4, 0)), false);  // the handler is installed and used
      const RunResult r = p.b.cpu->run(p.b.ctx, 1000);
      if (r.why != Stop::Fault) _exit(3);
    }
    *static_cast<volatile int*>(nullptr) = 1;  // not generated code: must not be caught
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGSEGV);
}

TEST_CASE("jit: an access that keeps faulting on the host gets inline checks", "[jit]") {
  // 1000 reads of a device register, and 1000 stores to a word of the code's page beside the
  // code: each would fault on the host every time. After FaultSites::kHotFaults faults, the op is
  // translated again with inline checks when the runner next gets control: here the next run()
  // call of slices of 300 instructions (about 100 iterations), so the faults stop after the first.
  constexpr uint32_t kBdnz = bdnz(-8);  // to the loop's first op (two back)
  constexpr uint32_t kMtctr3 = mtspr(9, 3);
  const std::vector<uint32_t> mmio_poll = {lis(4, int32_t(kMmio >> 16)), ori(4, 4, kMmio & 0xFFFF), li(3, 1000), kMtctr3,
                                           lwz(5, 4, 0x10), D(14, 6, 5, 0) /* addi r6,r5,0 */, kBdnz, kSc};
  const std::vector<uint32_t> code_page_store = {lis(4, int32_t(kCode >> 16)), ori(4, 4, 0x800), li(3, 1000), kMtctr3,
                                                 stw(3, 4, 0), D(14, 5, 5, 1) /* addi r5,r5,1 */, kBdnz, kSc};
  for (bool sf : {false, true})
    for (const auto* prog : {&mmio_poll, &code_page_store}) {
      INFO("sf " << sf << (prog == &mmio_poll ? " device register" : " code page"));
      Pair p(*prog, sf);
      for (int k = 0; k < 20 && p.b.ctx.stop != Stop::Syscall; ++k) {
        const RunResult ra = p.a.cpu->run(p.a.ctx, 300);
        const RunResult rb = p.b.cpu->run(p.b.ctx, 300);
        REQUIRE(ra.retired == rb.retired);
        require_same(p.a, p.b);
      }
      CHECK(p.b.ctx.stop == Stop::Syscall);
      const auto& jit = static_cast<const jit::JitBackend&>(*p.b.cpu);
      CHECK(jit.stats().checked_sites == 1);
      CHECK(jit.host_faults() >= jit::FaultSites::kHotFaults);
      CHECK(jit.host_faults() <= 300 / 3 + 1);  // the first slice's iterations at most
    }
}
