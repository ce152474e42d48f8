#include "kernel/linux_user/linux_user.h"

#include <fmt/format.h>

#include "cpu/memory.h"

namespace hexad::kernel {

namespace {
// PowerPC Linux syscall numbers.
enum : uint64_t {
  kSysExit = 1,
  kSysWrite = 4,
  kSysGetpid = 20,
  kSysBrk = 45,
  kSysWritev = 146,
  kSysExitGroup = 234,
};
constexpr int64_t kEnosys = 38, kEfault = 14, kEbadf = 9, kEinval = 22;
constexpr uint64_t kAtNull = 0, kAtPagesz = 6;
}  // namespace

LinuxProcess::LinuxProcess(cpu::Memory& mem, const loader::ElfImage& img, std::FILE* out, std::FILE* err)
    : mem_(mem), img_(img), out_(out), err_(err), brk_(img.brk_start), brk_committed_(img.brk_start) {}

void LinuxProcess::start(cpu::ThreadContext& ctx, const std::vector<std::string>& argv) {
  const uint32_t base = kStackTop - kStackSize;
  mem_.commit(base, kStackSize, cpu::kProtRW);
  const uint32_t ptr = img_.is64 ? 8 : 4;
  // Strings at the top, then the pointer vectors below them, 16-byte aligned.
  uint32_t sp = kStackTop - 16;
  std::vector<uint32_t> arg_addrs;
  for (const auto& a : argv) {
    sp -= uint32_t(a.size() + 1);
    mem_.write_bytes(sp, a.c_str(), uint32_t(a.size() + 1));
    arg_addrs.push_back(sp);
  }
  uint32_t words = 1 + uint32_t(argv.size()) + 1 + 1 + 4;  // argc, argv.., NULL, envp NULL, auxv
  sp = (sp - words * ptr) & ~15u;
  auto put = [&](uint32_t& at, uint64_t v) {
    if (img_.is64) mem_.write64(at, v);
    else mem_.write32(at, uint32_t(v));
    at += ptr;
  };
  uint32_t at = sp;
  put(at, argv.size());
  for (uint32_t a : arg_addrs) put(at, a);
  put(at, 0);
  put(at, 0);
  put(at, kAtPagesz);
  put(at, cpu::Memory::kPageSize);
  put(at, kAtNull);
  put(at, 0);
  ctx.gpr[1] = sp;
  ctx.gpr[2] = img_.entry_toc;
  ctx.gpr[3] = argv.size();
  ctx.gpr[4] = sp + ptr;
  ctx.gpr[5] = sp + ptr * (uint32_t(argv.size()) + 2);
  ctx.pc = img_.entry;
  ctx.set_sf(img_.is64);
  ctx.vscr = 0x00010000;  // VSCR[NJ]: Linux starts every process with non-Java mode on
  ctx.gpr[1] = sp;
}

int64_t LinuxProcess::sys_write(uint64_t fd, uint64_t buf, uint64_t len) {
  std::FILE* f = fd == 1 ? out_ : fd == 2 ? err_ : nullptr;
  if (!f) return -kEbadf;
  if (len > (1u << 30)) return -kEinval;
  std::string tmp(len, '\0');
  try {
    mem_.read_bytes(uint32_t(buf), tmp.data(), uint32_t(len));
  } catch (const cpu::MemoryFault&) {
    return -kEfault;
  }
  std::fwrite(tmp.data(), 1, tmp.size(), f);
  if (f == err_) std::fflush(f);
  return int64_t(len);
}

int64_t LinuxProcess::sys_writev(uint64_t fd, uint64_t iov, uint64_t count, bool is64) {
  int64_t total = 0;
  for (uint64_t k = 0; k < count; ++k) {
    uint64_t base, len;
    try {
      if (is64) {
        base = mem_.read64(uint32_t(iov + k * 16));
        len = mem_.read64(uint32_t(iov + k * 16 + 8));
      } else {
        base = mem_.read32(uint32_t(iov + k * 8));
        len = mem_.read32(uint32_t(iov + k * 8 + 4));
      }
    } catch (const cpu::MemoryFault&) {
      return -kEfault;
    }
    int64_t r = sys_write(fd, base, len);
    if (r < 0) return r;
    total += r;
  }
  return total;
}

int64_t LinuxProcess::sys_brk(uint64_t addr) {
  // Linux returns the current break on failure or for brk(0).
  if (addr < img_.brk_start || addr >= LinuxProcess::kStackTop - kStackSize) return brk_;
  uint32_t want = uint32_t((addr + cpu::Memory::kPageSize - 1) & ~uint64_t(cpu::Memory::kPageSize - 1));
  if (want > brk_committed_) {
    if (!mem_.commit(brk_committed_, want - brk_committed_, cpu::kProtRW)) return brk_;
    brk_committed_ = want;
  }
  brk_ = uint32_t(addr);
  return brk_;
}

bool LinuxProcess::syscall(cpu::ThreadContext& ctx) {
  const uint64_t nr = ctx.gpr[0];
  const uint64_t a0 = ctx.gpr[3], a1 = ctx.gpr[4], a2 = ctx.gpr[5];
  auto arg = [&](uint64_t v) { return img_.is64 ? v : (v & 0xFFFFFFFFull); };
  int64_t ret;
  switch (nr) {
    case kSysExit:
    case kSysExitGroup:
      exit_status_ = int(a0 & 0xFF);
      return true;
    case kSysWrite: ret = sys_write(arg(a0), arg(a1), arg(a2)); break;
    case kSysWritev: ret = sys_writev(arg(a0), arg(a1), arg(a2), img_.is64); break;
    case kSysBrk: ret = sys_brk(arg(a0)); break;
    case kSysGetpid: ret = 1; break;  // deterministic
    default:
      if (reported_.insert(nr).second)
        std::fprintf(stderr, "hexad: unsupported Linux syscall %llu at pc 0x%08llx: returning -ENOSYS\n",
                     (unsigned long long)nr, (unsigned long long)(ctx.pc - 4));
      ret = -kEnosys;
  }
  // PowerPC convention: on error CR0[SO] is set and r3 holds the positive errno.
  if (ret < 0 && ret > -4096) {
    ctx.gpr[3] = uint64_t(-ret);
    ctx.cr[0] |= cpu::kCrSO;
  } else {
    ctx.gpr[3] = img_.is64 ? uint64_t(ret) : uint64_t(uint32_t(ret));
    ctx.cr[0] &= uint8_t(~cpu::kCrSO);
  }
  return false;
}

}  // namespace hexad::kernel
