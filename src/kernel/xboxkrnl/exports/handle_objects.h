// NtCreate*'s common part (exports/sync.cc), for the other area files that create objects behind
// handles: check the caller's pointers, then create the object with a kernel-owned guest header of
// `header_size` bytes (nullptr: the object arena is full, STATUS_INSUFFICIENT_RESOURCES); after the
// caller set its state, publish it (the guest header, then the handle out).
#pragma once
#include <cstdint>

#include "kernel/xboxkrnl/exports/shim.h"
#include "kernel/xboxkrnl/objects.h"

namespace hexad::kernel {

KernelObject* create_handle_object_for(ExportContext& x, GuestPtr<Handle> handle_out, GuestPtr<void> attributes,
                                       ObjectType type, uint32_t header_size);
void publish_handle_object_for(ExportContext& x, GuestPtr<Handle> handle_out, KernelObject& o);

}  // namespace hexad::kernel
