// Thread alerts: KeAlertThread, KeAlertResumeThread and KeTestAlertThread, the console's xboxkrnl
// exports of NT's alert calls (ordinals: /work/shared/facts; NtAlertThread, NtAlertResumeThread
// and NtTestAlert are not exported). Semantics are NT's (WRK ke/thredobj.c, ke/wait.c
// KiCheckAlertability), which xenia's decompiled console kernel (disjtqz/xenia-canar,
// xeKeWaitForMultipleObjects: alerted[mode], then user APCs, then alerted[KernelMode]) confirms:
// each thread has an alerted flag per mode (ThreadRecord::alerted, the dump's "alerted"); an
// alert ends an alertable wait with STATUS_ALERTED (0x101) when the thread is in one whose mode is
// at least the alert's, else sets the flag, which the next alertable wait (or KeTestAlertThread)
// takes.
#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

using cpu::sched::GuestThread;

// The mode a KPROCESSOR_MODE argument names: 0 KernelMode, 1 UserMode; nullopt for any other
// value (NT would index past KTHREAD.Alerted[2]): refused, nothing changes.
std::optional<uint8_t> alert_mode(uint32_t mode) {
  const uint32_t m = mode & 0xFF;
  if (m > kUserModeWait) return std::nullopt;
  return uint8_t(m);
}

// Alerts `rec`'s thread for `mode` unless it is alerted for it already: its alertable wait ends
// with STATUS_ALERTED, or the flag is set. -> the previous flag.
bool alert(ExportContext& x, ThreadRecord& rec, uint8_t mode) {
  const bool previous = rec.alerted[mode];
  if (previous) return true;
  GuestThread* t = x.k.sched().find(rec.tid);
  if (!t || !x.k.waits().alert_waiting(*t, mode, x.t.tid)) rec.alerted[mode] = true;
  return false;
}

HEXAD_EXPORTS_BEGIN;

// BOOLEAN KeAlertThread(PKTHREAD thread, KPROCESSOR_MODE mode) -> the thread's previous alerted
// state for `mode`. A pointer (or handle) that is no thread, or a mode other than 0/1: FALSE,
// nothing changes (NT would bug check). An exited thread only has its flag set, as NT's.
uint32_t KeAlertThread(ExportContext& x, GuestPtr<void> kthread, uint32_t mode) {
  ThreadRecord* rec = x.k.thread_by_handle_or_kthread(kthread.addr());
  const std::optional<uint8_t> m = alert_mode(mode);
  if (!rec || !m) return 0;
  return alert(x, *rec, *m) ? 1 : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x004F, KeAlertThread, Implemented);

// ULONG KeAlertResumeThread(PKTHREAD thread): alerts the thread for kernel mode (any alertable
// wait ends with STATUS_ALERTED), then resumes it once -> its previous suspend count. A thread
// suspended in a wait had that wait aborted (Kernel::suspend_thread): it is not waiting, so its
// kernel flag is set and the re-issued wait, if alertable, returns STATUS_ALERTED at once. A
// pointer that is no thread: 0, nothing changes.
uint32_t KeAlertResumeThread(ExportContext& x, GuestPtr<void> kthread) {
  ThreadRecord* rec = x.k.thread_by_handle_or_kthread(kthread.addr());
  if (!rec) return 0;
  alert(x, *rec, kKernelModeWait);
  GuestThread* t = x.k.sched().find(rec->tid);
  return t ? x.k.sched().resume(*t) : 0;
}
HEXAD_EXPORT(xboxkrnl, 0x004E, KeAlertResumeThread, Implemented);

// BOOLEAN KeTestAlertThread(KPROCESSOR_MODE mode) -> the caller's alerted state for `mode`, which
// it clears. Not alerted, for user mode, with user APCs queued: NT sets UserApcPending and they
// run as the call returns to the caller (the same delivery an alertable wait makes). A mode
// other than 0/1: FALSE, nothing changes.
uint32_t KeTestAlertThread(ExportContext& x, uint32_t mode) {
  ThreadRecord* rec = x.k.thread_record(x.t.tid);
  const std::optional<uint8_t> m = alert_mode(mode);
  if (!rec || !m) return 0;
  if (rec->alerted[*m]) {
    rec->alerted[*m] = false;
    return 1;
  }
  if (*m == kUserModeWait && x.k.deferred().apcs_of(x.t.tid)) x.k.deferred().deliver_after_call(x.t.tid);
  return 0;
}
HEXAD_EXPORT(xboxkrnl, 0x00AC, KeTestAlertThread, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> alert_exports() { return kAreaExports; }

}  // namespace hexad::kernel
