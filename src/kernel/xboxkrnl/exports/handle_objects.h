// NtCreate*'s common part (exports/sync.cc), for the other area files that create objects behind
// handles: check the caller's pointers and the OBJECT_ATTRIBUTES name (an open object of that
// name is opened: its handle written, `created` nullptr, STATUS_OBJECT_NAME_EXISTS), then create
// the object with a kernel-owned guest header of `header_size` bytes (`created` nullptr with the
// status when the arena or the name budget is full); after the caller set its state, publish it
// (the guest header, then the handle out).
#pragma once
#include <cstdint>

#include "kernel/xboxkrnl/exports/shim.h"
#include "kernel/xboxkrnl/objects.h"

namespace hexad::kernel {

uint32_t create_handle_object_for(ExportContext& x, GuestPtr<Handle> handle_out, GuestPtr<void> attributes,
                                  ObjectType type, uint32_t header_size, KernelObject*& created);
void publish_handle_object_for(ExportContext& x, GuestPtr<Handle> handle_out, KernelObject& o);

}  // namespace hexad::kernel
