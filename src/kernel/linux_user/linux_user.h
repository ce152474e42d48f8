// The Linux-user personality for static PowerPC ELF programs: the initial stack, and the few
// syscalls a freestanding program needs, so hexad's output matches qemu-user's.
#pragma once
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "cpu/context.h"
#include "loader/elf/elf_loader.h"

namespace hexad::kernel {

class LinuxProcess {
 public:
  static constexpr uint32_t kStackTop = 0xF0000000;
  static constexpr uint32_t kStackSize = 8u << 20;

  LinuxProcess(cpu::Memory& mem, const loader::ElfImage& img, std::FILE* out, std::FILE* err);
  // Registers and the initial stack (argc, argv, envp, auxv) as the kernel leaves them.
  void start(cpu::ThreadContext& ctx, const std::vector<std::string>& argv);
  // Services the syscall the thread stopped at. Returns true when the process exited.
  bool syscall(cpu::ThreadContext& ctx);
  int exit_status() const { return exit_status_; }

 private:
  int64_t sys_write(uint64_t fd, uint64_t buf, uint64_t len);
  int64_t sys_writev(uint64_t fd, uint64_t iov, uint64_t count, bool is64);
  int64_t sys_brk(uint64_t addr);

  cpu::Memory& mem_;
  loader::ElfImage img_;
  std::FILE* out_;
  std::FILE* err_;
  uint32_t brk_ = 0, brk_committed_ = 0;
  int exit_status_ = 0;
  std::set<uint64_t> reported_;  // unsupported syscall numbers already reported
};

}  // namespace hexad::kernel
