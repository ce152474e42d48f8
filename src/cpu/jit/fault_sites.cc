#include "cpu/jit/fault_sites.h"

#include <algorithm>
#include <csignal>
#include <mutex>
#include <ucontext.h>

namespace hexad::cpu::jit {

namespace {
thread_local FaultSites* t_running = nullptr;
struct sigaction g_previous;

void on_fault(int sig, siginfo_t* info, void* raw) {
  auto* uc = static_cast<ucontext_t*>(raw);
  if (FaultSites* sites = t_running) {
    if (const uint8_t* slow = sites->redirect(uintptr_t(uc->uc_mcontext.gregs[REG_RIP]))) {
      uc->uc_mcontext.gregs[REG_RIP] = greg_t(uintptr_t(slow));
      return;
    }
  }
  // Not an access of generated code: what would have happened without this handler.
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction) return g_previous.sa_sigaction(sig, info, raw);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    return g_previous.sa_handler(sig);
  }
  // The default action: restored, and the faulting instruction runs again and faults.
  sigaction(sig, &g_previous, nullptr);
  if (g_previous.sa_handler == SIG_IGN) signal(sig, SIG_DFL);
}
}  // namespace

void FaultSites::truncate(uint32_t offset) {
  sites_.erase(std::lower_bound(sites_.begin(), sites_.end(), offset,
                                [](const Site& s, uint32_t o) { return s.access < o; }),
               sites_.end());
}

const uint8_t* FaultSites::redirect(uintptr_t pc) {
  const uintptr_t base = uintptr_t(base_);
  if (pc < base || pc - base >= size_) return nullptr;
  const uint32_t offset = uint32_t(pc - base);
  size_t lo = 0, hi = sites_.size();
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (sites_[mid].access < offset) lo = mid + 1; else hi = mid;
  }
  if (lo == sites_.size() || sites_[lo].access != offset) return nullptr;
  Site& site = sites_[lo];
  ++faults_;
  if (++site.faults == kHotFaults) hot_ = true;
  return base_ + site.slow;
}

std::vector<std::pair<uint32_t, bool>> FaultSites::take_hot() {
  std::vector<std::pair<uint32_t, bool>> out;
  hot_ = false;
  for (Site& s : sites_)
    if (s.faults >= kHotFaults && s.faults != UINT32_MAX) {
      out.emplace_back(s.guest_pc, s.sf);
      s.faults = UINT32_MAX;  // reported; its code is about to be dropped
    }
  return out;
}

void install_fault_handler() {
  // Checked for every backend made, not once per process: another component (a test framework
  // between test cases) may install its own handler after ours and restore an older one later.
  // Ours then chains to whatever it replaces.
  static std::mutex m;
  const std::lock_guard<std::mutex> lock(m);
  struct sigaction current {};
  sigaction(SIGSEGV, nullptr, &current);
  if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_fault) return;
  struct sigaction sa {};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &g_previous);
}

void set_running_sites(FaultSites* sites) { t_running = sites; }
FaultSites* running_sites() { return t_running; }

}  // namespace hexad::cpu::jit
