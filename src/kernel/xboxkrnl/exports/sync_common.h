// What the dispatcher-object export areas (sync.cc, kobjects.cc) share: one path each for
// signaling an event, finding a guest header's object and (re)initialising one.
#pragma once
#include <cstdint>

#include "kernel/xboxkrnl/exports/shim.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {

// Sets an event and wakes what it satisfies (`after`: Reset for a pulse); returns the previous state.
int32_t set_event(ExportContext& x, KernelObject& o, Kernel::AfterSignal after);
// The dispatcher object whose header is at `object`; a header the kernel cannot read and write
// (NULL, unmapped) faults the caller, as the console's Ke* calls dereference it. nullptr: the
// header's type is none hexad models.
KernelObject* dispatcher_at(ExportContext& x, GuestPtr<void> object);
// dispatcher_at, when the header is an event's (else nullptr).
KernelObject* guest_event(ExportContext& x, GuestPtr<void> event);
// KeInitialize*'s common part: the object for the header at `addr`, as a fresh `type` object
// (owner, limit and abandonment cleared). Waiters of an object already there are orphaned
// (ObjectTable::reinitialise_at). The caller sets its state, then calls init_guest_header.
KernelObject& initialise_guest_object(ExportContext& x, uint32_t addr, ObjectType type);
// Why thread `tid` may not release mutant `o` (kStatusSuccess: it may).
uint32_t mutant_release_refusal(const KernelObject& o, uint32_t tid);

}  // namespace hexad::kernel
