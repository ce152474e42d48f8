// XAM enumeration: enumerator objects and XamEnumerate. Semantics from xenia's sources
// (src/xenia/kernel/xam/xam_enum.cc xeXamEnumerate, xenumerator.cc XStaticEnumerator::WriteItems,
// xam_content.cc XamContentCreateEnumerator, xam_content_device.cc XamContentCreateDeviceEnumerator
// and its dummy devices, xbox.h XCONTENT_DATA); docs/xam.md "Enumeration" says what a title sees.
#include <algorithm>
#include <string_view>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

enum : uint32_t {
  kErrorSuccess = 0,
  kErrorInvalidHandle = 0x006,
  kErrorNotEnoughMemory = 0x008,
  kErrorNoMoreFiles = 0x012,
  kErrorInvalidParameter = 0x057,
  kErrorInsufficientBuffer = 0x07A,
  kErrorFunctionFailed = 0x65B,
  kErrorIoPending = 0x3E5,
  kHresultInvalidArg = 0x80070057,  // X_E_INVALIDARG
};
constexpr uint32_t hresult_from_win32(uint32_t e) { return e ? 0x80070000u | (e & 0xFFFF) : 0; }

// XCONTENT_DATA (xenia xbox.h): device id, content type, display name (128 UTF-16 units), file
// name (42 bytes), 2 bytes of padding.
constexpr uint32_t kContentDataSize = 0x134;
// X_CONTENT_DEVICE_DATA (xenia xam_content_device.cc): device id, device type, total and free
// bytes (64-bit), name (28 UTF-16 units).
constexpr uint32_t kDeviceDataSize = 0x50;

// The devices hexad's console has: xenia's two dummy devices (ids and types 1 = HDD, 2 = ODD).
struct Device {
  uint32_t id, type;
  uint64_t total_bytes, free_bytes;
  std::u16string_view name;
};
constexpr uint64_t kOneGb = 1024ull * 1024 * 1024;
constexpr Device kDevices[] = {
    {1, 1, 20 * kOneGb, 3 * kOneGb, u"Dummy HDD"},
    {2, 2, 7 * kOneGb, 0, u"Dummy ODD"},
};

void put32(std::vector<uint8_t>& v, size_t at, uint32_t x) {
  for (int i = 0; i < 4; ++i) v[at + i] = uint8_t(x >> (24 - 8 * i));
}

std::vector<uint8_t> device_items() {
  std::vector<uint8_t> items(std::size(kDevices) * kDeviceDataSize, 0);
  size_t at = 0;
  for (const Device& d : kDevices) {
    put32(items, at, d.id);
    put32(items, at + 4, d.type);
    put32(items, at + 8, uint32_t(d.total_bytes >> 32));
    put32(items, at + 12, uint32_t(d.total_bytes));
    put32(items, at + 16, uint32_t(d.free_bytes >> 32));
    put32(items, at + 20, uint32_t(d.free_bytes));
    for (size_t i = 0; i < d.name.size() && i < 27; ++i) {  // big-endian UTF-16, NUL-terminated
      items[at + 24 + 2 * i] = uint8_t(d.name[i] >> 8);
      items[at + 24 + 2 * i + 1] = uint8_t(d.name[i]);
    }
    at += kDeviceDataSize;
  }
  return items;
}

HEXAD_EXPORTS_BEGIN;

// XamContentCreateEnumerator(user, device_id, content_type, content_flags, items_per_enumerate,
// DWORD* buffer_size, HANDLE* handle). As xenia: a device id that is not 0 (any device) and no
// known device (1 HDD, 2 ODD), or no handle pointer -> X_E_INVALIDARG with *buffer_size = 0;
// else *buffer_size = sizeof(XCONTENT_DATA) x items_per_enumerate (32-bit, as the console's).
// The content hexad's console holds: none (no saved games, DLC or title updates exist on it), so
// the enumerator is empty and its first XamEnumerate says ERROR_NO_MORE_FILES.
uint32_t XamContentCreateEnumerator(ExportContext& x, uint32_t user, uint32_t device_id, uint32_t content_type,
                                    uint32_t content_flags, uint32_t items_per_enumerate,
                                    GuestPtr<uint32_t> buffer_size, GuestPtr<Handle> handle_out) {
  (void)user, (void)content_type, (void)content_flags;
  buffer_size.probe_if_set();
  const bool known_device = device_id == 0 || std::any_of(std::begin(kDevices), std::end(kDevices),
                                                          [&](const Device& d) { return d.id == device_id; });
  if (!known_device || !handle_out) {
    buffer_size.write_if_set(0);
    return kHresultInvalidArg;
  }
  handle_out.probe_if_set();
  buffer_size.write_if_set(kContentDataSize * items_per_enumerate);
  KernelObject* o = x.k.xam().create_enumerator(x.name, kContentDataSize, items_per_enumerate, {});
  if (!o) return kErrorNotEnoughMemory;
  handle_out.write(Handle{o->handle});
  return kErrorSuccess;
}
HEXAD_EXPORT(xam, 0x025C, XamContentCreateEnumerator, Implemented);

// XamContentCreateDeviceEnumerator(content_type, content_flags, max_count, DWORD* buffer_size,
// HANDLE* handle): every device (HDD then ODD, X_CONTENT_DEVICE_DATA each), max_count per call;
// *buffer_size = 0x50 x max_count when given. The handle is written unconditionally, as xenia
// does: a NULL or unmapped handle pointer faults before anything is made.
uint32_t XamContentCreateDeviceEnumerator(ExportContext& x, uint32_t content_type, uint32_t content_flags,
                                          uint32_t max_count, GuestPtr<uint32_t> buffer_size,
                                          GuestPtr<Handle> handle_out) {
  (void)content_type, (void)content_flags;
  buffer_size.probe_if_set();
  handle_out.probe(4, cpu::Access::Write);
  buffer_size.write_if_set(kDeviceDataSize * max_count);
  KernelObject* o = x.k.xam().create_enumerator(x.name, kDeviceDataSize, max_count, device_items());
  if (!o) return kErrorNotEnoughMemory;
  handle_out.write(Handle{o->handle});
  return kErrorSuccess;
}
HEXAD_EXPORT(xam, 0x025D, XamContentCreateDeviceEnumerator, Implemented);

// XamEnumerate(handle, flags, buffer, buffer_size, DWORD* items, XOVERLAPPED* overlapped), as
// xenia's xeXamEnumerate and XStaticEnumerator::WriteItems:
//  - a handle that is no open enumerator (never one, or closed by NtClose): ERROR_INVALID_HANDLE,
//    nothing written;
//  - neither `items` nor an XOVERLAPPED: ERROR_INVALID_PARAMETER;
//  - the next min(left, per call) items are copied to `buffer` and handed out; none left:
//    ERROR_NO_MORE_FILES; a NULL buffer: ERROR_INVALID_PARAMETER; a buffer_size smaller than the
//    items: ERROR_INSUFFICIENT_BUFFER (the check of xenia's older WriteItems(buffer, size)) — these
//    hand out nothing;
//  - with `items` (it wins when both are given): the result returned, *items = the count (0 on an
//    error);
//  - with only an XOVERLAPPED: completed before the call returns, through XAM's one completion
//    path (XamState::complete_overlapped: result, extended error, length = the count, its event
//    set), with ERROR_FUNCTION_FAILED and HRESULT_FROM_WIN32(error) as the extended error on an
//    error; ERROR_IO_PENDING returned.
// Bad `items`, XOVERLAPPED or buffer pointers fault before any item is handed out.
uint32_t XamEnumerate(ExportContext& x, Handle handle, uint32_t flags, GuestPtr<uint8_t> buffer, uint32_t length,
                      GuestPtr<uint32_t> items_out, GuestPtr<uint8_t> overlapped) {
  (void)flags;  // 0 in every known caller (xenia asserts it)
  KernelObject* o = x.k.objects().by_handle(handle.value);
  Enumerator* e = o ? x.k.xam().enumerator(*o) : nullptr;
  if (!e) return kErrorInvalidHandle;
  if (!items_out && !overlapped) return kErrorInvalidParameter;
  if (items_out) items_out.probe(4, cpu::Access::Write);
  else overlapped.probe(kOverlappedSize, cpu::Access::Write);
  const uint32_t count = std::min(e->item_count() - e->next, e->per_call);
  uint32_t result = kErrorSuccess;
  if (!buffer) result = kErrorInvalidParameter;
  else if (!count) result = kErrorNoMoreFiles;
  else if (uint64_t(length) < uint64_t(count) * e->item_size) result = kErrorInsufficientBuffer;
  if (result == kErrorSuccess) {
    const uint32_t bytes = count * e->item_size;
    buffer.probe(bytes, cpu::Access::Write);
    x.mem().write_bytes(buffer.addr(), e->items.data() + size_t(e->next) * e->item_size, bytes);
    e->next += count;
  }
  const uint32_t handed_out = result == kErrorSuccess ? count : 0;
  if (items_out) {
    items_out.write(handed_out);
    return result;
  }
  x.k.xam().complete_overlapped(overlapped.addr(), result ? kErrorFunctionFailed : kErrorSuccess,
                                hresult_from_win32(result), handed_out, x.t, x.name);
  return kErrorIoPending;
}
HEXAD_EXPORT(xam, 0x0250, XamEnumerate, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> xam_enum_exports() { return kAreaExports; }

}  // namespace hexad::kernel
