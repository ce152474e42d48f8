// File I/O: NtCreateFile, NtOpenFile, NtReadFile, NtWriteFile, the query and set calls, over
// the content folder (game:\, d:\, read-only) and the run's scratch folder (cache:\). The
// host side, and path confinement, is kernel/xboxkrnl/files.h; this file is the guest ABI.
//
// Guest layouts (big-endian): OBJECT_ATTRIBUTES {RootDirectory, ObjectName (ANSI_STRING*),
// Attributes}; ANSI_STRING {u16 Length, u16 MaximumLength, char* Buffer}; IO_STATUS_BLOCK
// {Status, Information}. Every pointer is probed before the call acts, so a bad one faults the
// caller with nothing half done.
#include <cstdint>
#include <string>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/guest_strings.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

HEXAD_EXPORTS_BEGIN;

constexpr uint32_t kGenericWrite = 0x40000000, kFileWriteData = 0x0002, kFileAppendData = 0x0004;
constexpr uint32_t kFileDirectoryFile = 0x1, kFileNonDirectoryFile = 0x40;
constexpr uint32_t kAttributeReadOnly = 0x01, kAttributeDirectory = 0x10, kAttributeNormal = 0x80;
// FILE_INFORMATION_CLASS values the console's titles use.
constexpr uint32_t kFileBasicInformation = 4, kFileStandardInformation = 5, kFilePositionInformation = 14,
                   kFileEndOfFileInformation = 20, kFileNetworkOpenInformation = 34;
constexpr uint32_t kFileFsSizeInformation = 3, kFileFsAttributeInformation = 5;
constexpr uint32_t kNetworkOpenInfoSize = 56, kDirectoryInfoHeader = 64;
constexpr uint32_t kSectorSize = 0x800;  // DVD sector: allocation sizes are multiples of it

uint64_t allocation_of(uint64_t size) { return (size + kSectorSize - 1) / kSectorSize * kSectorSize; }
uint32_t attribute_bits(const FileAttributes& a) {
  if (a.directory) return kAttributeDirectory | (a.read_only ? kAttributeReadOnly : 0);
  return a.read_only ? kAttributeReadOnly : kAttributeNormal;
}

// The path an OBJECT_ATTRIBUTES names: its ObjectName, under RootDirectory when that is an
// open directory. Returns 0 or an NT status.
uint32_t object_path(ExportContext& x, uint32_t attributes, std::string& path) {
  GuestPtr<uint32_t> attrs(x.mem(), attributes);
  attrs.probe(kObjectAttributesSize, cpu::Access::Read);
  const uint32_t root = attrs.read(0), name = attrs.read(1);
  if (!name) return kStatusObjectNameInvalid;
  path = read_ansi_string(x.mem(), name);
  if (root) {
    OpenFile* dir = x.k.files().by_handle(root);
    if (!dir) return kStatusInvalidHandle;
    if (!dir->directory) return kStatusNotADirectory;
    path = dir->guest_path + "\\" + path;
  }
  return 0;
}

void write_io_status(GuestPtr<uint32_t> io_status, uint32_t status, uint32_t information) {
  io_status.write(status, 0);
  io_status.write(information, 1);
}

// The guest time a transfer of `bytes` takes: the thread waits it out (a delay) after the data moved.
// The event argument of NtReadFile/NtWriteFile: 0, or the event, else the status (xenia: an
// event handle that is no event is STATUS_INVALID_HANDLE; hexad says, as its other event calls,
// STATUS_OBJECT_TYPE_MISMATCH for an object of another type).
uint32_t io_event(ExportContext& x, Handle event, KernelObject*& o) {
  o = nullptr;
  if (!event.value) return kStatusSuccess;
  o = x.k.objects().by_handle(event.value);
  if (!o) return kStatusInvalidHandle;
  return o->is_event() ? uint32_t(kStatusSuccess) : uint32_t(kStatusObjectTypeMismatch);
}

// What a read or write that was carried out owes its caller on completion (NT: the event is
// cleared when the call begins, set when it completes; the APC is queued to the caller then).
// xenia NtReadFile/NtWriteFile: the event is set whatever the result; the APC is queued only on
// success and when the routine's bits other than bit 0 are set ("Low bit probably means do not
// queue to IO ports"), routine & ~1 being called. The completion happens when the I/O time ends.
void owe_completion(ExportContext& x, const char* by, KernelObject* event, uint32_t event_handle, uint32_t status,
                    uint32_t apc_routine, uint32_t apc_context, GuestPtr<uint32_t> io_status) {
  const uint32_t routine = status == kStatusSuccess ? apc_routine & ~1u : 0;
  if (event || routine)
    x.k.owe_io_completion(x.t.tid, {by, event ? event_handle : 0, routine, apc_context, io_status.addr()});
}

// Clears the event at the call's start (NT's NtReadFile/NtWriteFile, e.g. ReactOS io/iomgr/iofunc.c:
// KeClearEvent(EventObject) before the request is sent).
void clear_event(ExportContext& x, KernelObject& ev) {
  ev.signal_state = 0;
  x.k.objects().mirror(ev);
}

StatusOrBlocked take_io_time(ExportContext& x, uint64_t bytes) {
  if (!bytes) {
    x.k.complete_io(x.t.tid);  // no I/O time: it completes as the call returns
    return kStatusSuccess;
  }
  const int64_t ns = int64_t(bytes * kIoNsPerByte);
  const std::optional<uint32_t> done =
      x.k.waits().delay(x.t, x.k.now_cycle() + Kernel::ns_to_cycles(uint64_t(ns)), ns, false);
  if (done) x.k.complete_io(x.t.tid);  // else when the delay ends (Waits::finish)
  return done;
}

// The parameter past r10 (the ninth), from the caller's parameter save area by its mode.
uint32_t ninth_parameter(ExportContext& x) { return x.mem().read32(stack_argument_address(*x.t.ctx, 0)); }

uint32_t open_common(ExportContext& x, GuestPtr<Handle> handle_out, uint32_t access, uint32_t attributes,
                     GuestPtr<uint32_t> io_status, Disposition disposition, uint32_t options) {
  handle_out.probe(4, cpu::Access::Write);
  io_status.probe(8, cpu::Access::Write);
  std::string path;
  uint32_t status = object_path(x, attributes, path);
  uint32_t handle = 0, information = 0;
  if (!status && uint32_t(disposition) > uint32_t(Disposition::OverwriteIf)) status = kStatusInvalidParameter;
  if (!status)
    status = x.k.files().open(path, disposition, access & (kGenericWrite | kFileWriteData | kFileAppendData),
                              options & kFileDirectoryFile, options & kFileNonDirectoryFile, &handle, &information);
  x.k.trace().emit(x.k.where(x.t), trace::IoOpen{path, status, handle});
  handle_out.write(Handle{handle});
  write_io_status(io_status, status, information);
  return status;
}

// NtCreateFile(handle, desired_access, object_attributes, io_status, allocation_size,
// file_attributes, share_access, create_disposition, create_options [stack]).
uint32_t NtCreateFile(ExportContext& x, GuestPtr<Handle> handle_out, uint32_t desired_access, uint32_t attributes,
                      GuestPtr<uint32_t> io_status, GuestPtr<int64_t> allocation_size, uint32_t file_attributes,
                      uint32_t share_access, uint32_t disposition) {
  const uint32_t options = ninth_parameter(x);
  return open_common(x, handle_out, desired_access, attributes, io_status, Disposition(disposition), options);
}
HEXAD_EXPORT(xboxkrnl, 0x00D2, NtCreateFile, Implemented);

// NtOpenFile(handle, desired_access, object_attributes, io_status, share_access, open_options).
uint32_t NtOpenFile(ExportContext& x, GuestPtr<Handle> handle_out, uint32_t desired_access, uint32_t attributes,
                    GuestPtr<uint32_t> io_status, uint32_t share_access, uint32_t open_options) {
  return open_common(x, handle_out, desired_access, attributes, io_status, Disposition::Open, open_options);
}
HEXAD_EXPORT(xboxkrnl, 0x00DF, NtOpenFile, Implemented);

// The open file behind `h`, or the status for a handle that is not one.
OpenFile* file_of(ExportContext& x, Handle h, uint32_t& status) {
  OpenFile* f = x.k.files().by_handle(h.value);
  status = f ? 0u : x.k.objects().by_handle(h.value) ? uint32_t(kStatusObjectTypeMismatch) : uint32_t(kStatusInvalidHandle);
  return f;
}

// What NtReadFile and NtWriteFile share before the data moves: the file, the completion event
// (cleared, as NT's NtReadFile does), the caller's pointers probed in the console's order (a bad
// one faults the caller before anything changes) and the offset it gave (-2 when none). Nonzero:
// the status to return at once.
struct Transfer {
  OpenFile* file = nullptr;
  KernelObject* event = nullptr;
  int64_t given_offset = -2;
};
uint32_t begin_transfer(ExportContext& x, Handle file, Handle event, GuestPtr<uint32_t> io_status, GuestPtr<void> buffer,
                        uint32_t length, GuestPtr<int64_t> byte_offset, cpu::Access buffer_access, Transfer& t) {
  uint32_t status;
  t.file = file_of(x, file, status);
  if (!t.file) return status;
  if (uint32_t bad = io_event(x, event, t.event)) return bad;
  io_status.probe(8, cpu::Access::Write);
  if (length) buffer.probe(length, buffer_access);
  if (t.event) clear_event(x, *t.event);
  if (byte_offset) byte_offset.probe(8, cpu::Access::Read);
  t.given_offset = byte_offset ? byte_offset.read() : -2;
  return 0;
}

// ... and after: the I/O status block, the completion owed (event set, APC queued: owe_completion)
// when the transfer's guest time ends (N x kIoNsPerByte), so it is deterministic; at once on failure.
StatusOrBlocked end_transfer(ExportContext& x, const char* api, const Transfer& t, Handle event, uint32_t status,
                             uint64_t n, uint32_t apc_routine, uint32_t apc_context, GuestPtr<uint32_t> io_status) {
  write_io_status(io_status, status, uint32_t(n));
  owe_completion(x, api, t.event, event.value, status, apc_routine, apc_context, io_status);
  if (status) {
    x.k.complete_io(x.t.tid);
    return status;
  }
  return take_io_time(x, n);
}

// NtReadFile(file, event, apc_routine, apc_context, io_status, buffer, length, byte_offset).
// Synchronous: the data is in the buffer when the call returns; byte_offset NULL (or -2)
// reads at the file position.
StatusOrBlocked NtReadFile(ExportContext& x, Handle file, Handle event, uint32_t apc_routine, uint32_t apc_context,
                           GuestPtr<uint32_t> io_status, GuestPtr<void> buffer, uint32_t length,
                           GuestPtr<int64_t> byte_offset) {
  Transfer t;
  if (uint32_t status = begin_transfer(x, file, event, io_status, buffer, length, byte_offset, cpu::Access::Write, t))
    return status;
  OpenFile& f = *t.file;
  uint32_t status = f.directory ? uint32_t(kStatusInvalidParameter) : 0u;
  const uint64_t offset = t.given_offset < 0 ? f.position : uint64_t(t.given_offset);
  std::string data;
  const uint64_t n = status ? 0 : x.k.files().read(f, offset, length, data);
  if (!status && n == 0 && length) status = kStatusEndOfFile;
  for (uint64_t i = 0; i < n; ++i) x.mem().write8(buffer.addr() + uint32_t(i), uint8_t(data[i]));
  if (!status) f.position = offset + n;
  x.k.trace().emit(x.k.where(x.t), trace::IoRead{{file.value, offset, length, n, status}});
  return end_transfer(x, "NtReadFile", t, event, status, n, apc_routine, apc_context, io_status);
}
HEXAD_EXPORT(xboxkrnl, 0x00F0, NtReadFile, Implemented);

// NtWriteFile: as NtReadFile; only files of the scratch folder (cache:\) are writable.
StatusOrBlocked NtWriteFile(ExportContext& x, Handle file, Handle event, uint32_t apc_routine, uint32_t apc_context,
                            GuestPtr<uint32_t> io_status, GuestPtr<void> buffer, uint32_t length,
                            GuestPtr<int64_t> byte_offset) {
  Transfer t;
  if (uint32_t status = begin_transfer(x, file, event, io_status, buffer, length, byte_offset, cpu::Access::Read, t))
    return status;
  OpenFile& f = *t.file;
  uint32_t status = f.directory ? uint32_t(kStatusInvalidParameter) : !f.writable ? uint32_t(kStatusAccessDenied) : 0u;
  const int64_t given = t.given_offset;
  const uint64_t offset = given == -1 ? f.size : given < 0 ? f.position : uint64_t(given);  // -1: append
  uint64_t n = 0;
  if (!status) {
    std::string data(length, '\0');
    for (uint32_t i = 0; i < length; ++i) data[i] = char(x.mem().read8(buffer.addr() + i));
    if (x.k.files().write(f, offset, data)) n = length, f.position = offset + n;
    else status = kStatusDiskFull;
  }
  x.k.trace().emit(x.k.where(x.t), trace::IoWrite{{file.value, offset, length, n, status}});
  return end_transfer(x, "NtWriteFile", t, event, status, n, apc_routine, apc_context, io_status);
}
HEXAD_EXPORT(xboxkrnl, 0x00FF, NtWriteFile, Implemented);

// X_FILE_NETWORK_OPEN_INFORMATION: four times, allocation size, end of file, attributes, pad.
// Every time is the boot time: host timestamps would make the guest depend on the host.
void write_network_open_info(cpu::Memory& mem, uint32_t at, const FileAttributes& a) {
  for (uint32_t i = 0; i < 4; ++i) mem.write64(at + 8 * i, kBootSystemTime);
  mem.write64(at + 32, allocation_of(a.size));
  mem.write64(at + 40, a.size);
  mem.write32(at + 48, attribute_bits(a));
  mem.write32(at + 52, 0);
}

// NtQueryInformationFile(file, io_status, info, length, class).
uint32_t NtQueryInformationFile(ExportContext& x, Handle file, GuestPtr<uint32_t> io_status, GuestPtr<void> info,
                                uint32_t length, uint32_t info_class) {
  uint32_t status;
  OpenFile* f = file_of(x, file, status);
  if (!f) return status;
  io_status.probe(8, cpu::Access::Write);
  if (length) info.probe(length, cpu::Access::Write);
  const FileAttributes a = x.k.files().attributes_of(*f);
  cpu::Memory& mem = x.mem();
  uint32_t need = 0;
  switch (info_class) {
    case kFileBasicInformation: need = 40; break;
    case kFileStandardInformation: need = 24; break;
    case kFilePositionInformation: need = 8; break;
    case kFileEndOfFileInformation: need = 8; break;
    case kFileNetworkOpenInformation: need = kNetworkOpenInfoSize; break;
    default: write_io_status(io_status, kStatusInvalidInfoClass, 0); return kStatusInvalidInfoClass;
  }
  if (length < need) {
    write_io_status(io_status, kStatusInfoLengthMismatch, 0);
    return kStatusInfoLengthMismatch;
  }
  const uint32_t at = info.addr();
  switch (info_class) {
    case kFileBasicInformation:
      for (uint32_t i = 0; i < 4; ++i) mem.write64(at + 8 * i, kBootSystemTime);
      mem.write32(at + 32, attribute_bits(a));
      mem.write32(at + 36, 0);
      break;
    case kFileStandardInformation:
      mem.write64(at, allocation_of(a.size));
      mem.write64(at + 8, a.size);
      mem.write32(at + 16, 1);  // NumberOfLinks
      mem.write8(at + 20, 0);   // DeletePending
      mem.write8(at + 21, a.directory);
      mem.write16(at + 22, 0);
      break;
    case kFilePositionInformation: mem.write64(at, f->position); break;
    case kFileEndOfFileInformation: mem.write64(at, a.size); break;
    case kFileNetworkOpenInformation: write_network_open_info(mem, at, a); break;
  }
  write_io_status(io_status, kStatusSuccess, need);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00E8, NtQueryInformationFile, Implemented);

// NtSetInformationFile(file, io_status, info, length, class): the position only.
uint32_t NtSetInformationFile(ExportContext& x, Handle file, GuestPtr<uint32_t> io_status, GuestPtr<int64_t> info,
                              uint32_t length, uint32_t info_class) {
  uint32_t status;
  OpenFile* f = file_of(x, file, status);
  if (!f) return status;
  io_status.probe(8, cpu::Access::Write);
  if (info_class != kFilePositionInformation) status = kStatusInvalidInfoClass;
  else if (length < 8) status = kStatusInfoLengthMismatch;
  else {
    const int64_t position = info.read();
    if (position < 0) status = kStatusInvalidParameter;
    else f->position = uint64_t(position);
  }
  write_io_status(io_status, status, 0);
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x00F7, NtSetInformationFile, Implemented);

// NtQueryFullAttributesFile(object_attributes, X_FILE_NETWORK_OPEN_INFORMATION* info).
uint32_t NtQueryFullAttributesFile(ExportContext& x, uint32_t attributes, GuestPtr<void> info) {
  info.probe(kNetworkOpenInfoSize, cpu::Access::Write);
  std::string path;
  uint32_t status = object_path(x, attributes, path);
  if (status) return status;
  std::optional<FileAttributes> a = x.k.files().attributes(path, &status);
  x.k.trace().emit(x.k.where(x.t), trace::IoOpen{path, status, 0});
  if (!a) return status;
  write_network_open_info(x.mem(), info.addr(), *a);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00E7, NtQueryFullAttributesFile, Implemented);

// NtQueryDirectoryFile(dir, event, apc_routine, apc_context, io_status, info, length, file_name,
// restart_scan [stack]): one X_FILE_DIRECTORY_INFORMATION entry per call, names sorted bytewise,
// as xenia's XFile::QueryDirectory (src/xenia/kernel/xfile.cc) does: a non-empty file_name is a
// pattern ('*' and '?', name_matches in files.h) that restarts the scan and holds for the calls
// after it; when it matches nothing the status is STATUS_NO_SUCH_FILE, at the end of a listing
// STATUS_NO_MORE_FILES. A buffer under 72 bytes is STATUS_INFO_LENGTH_MISMATCH and a pattern with
// characters no name has STATUS_INVALID_PARAMETER (xboxkrnl_io.cc NtQueryDirectoryFile_entry).
constexpr uint32_t kMinDirectoryQueryLength = 72;
uint32_t NtQueryDirectoryFile(ExportContext& x, Handle dir, Handle event, uint32_t apc_routine, uint32_t apc_context,
                              GuestPtr<uint32_t> io_status, GuestPtr<void> info, uint32_t length, uint32_t file_name) {
  if (length < kMinDirectoryQueryLength) return kStatusInfoLengthMismatch;
  uint32_t status;
  OpenFile* d = file_of(x, dir, status);
  if (!d) return status;
  bool restart = ninth_parameter(x) & 0xFF;
  io_status.probe(8, cpu::Access::Write);
  info.probe(length, cpu::Access::Write);
  const std::string pattern = file_name ? read_ansi_string(x.mem(), file_name) : std::string();
  if (!d->directory || !valid_pattern(pattern)) status = kStatusInvalidParameter;
  else if (!pattern.empty()) d->pattern = pattern, restart = true;
  std::optional<std::string> name;
  if (!status) {
    name = x.k.files().next_entry(*d, restart);
    if (!name) status = pattern.empty() ? kStatusNoMoreFiles : kStatusNoSuchFile;
  }
  uint32_t written = 0;
  if (name) {
    const uint32_t need = kDirectoryInfoHeader + uint32_t(name->size());
    if (length < need) {
      --d->next_entry;  // the entry is returned again with a larger buffer
      status = kStatusBufferOverflow;
    } else {
      uint32_t st = 0;
      const FileAttributes a = x.k.files().attributes(d->guest_path + "\\" + *name, &st).value_or(FileAttributes{});
      cpu::Memory& mem = x.mem();
      const uint32_t at = info.addr();
      mem.write32(at, 0);  // NextEntryOffset: one entry per call
      mem.write32(at + 4, uint32_t(d->next_entry - 1));
      for (uint32_t i = 0; i < 4; ++i) mem.write64(at + 8 + 8 * i, kBootSystemTime);
      mem.write64(at + 40, a.size);
      mem.write64(at + 48, allocation_of(a.size));
      mem.write32(at + 56, attribute_bits(a));
      mem.write32(at + 60, uint32_t(name->size()));
      for (size_t i = 0; i < name->size(); ++i) mem.write8(at + kDirectoryInfoHeader + uint32_t(i), uint8_t((*name)[i]));
      written = need;
    }
  }
  write_io_status(io_status, status, written);
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x00E4, NtQueryDirectoryFile, Implemented);

// NtQueryVolumeInformationFile(file, io_status, info, length, class): size and attributes of
// the volume. Sizes are fixed (a DVD's), never the host disk's.
uint32_t NtQueryVolumeInformationFile(ExportContext& x, Handle file, GuestPtr<uint32_t> io_status, GuestPtr<void> info,
                                      uint32_t length, uint32_t info_class) {
  uint32_t status;
  OpenFile* f = file_of(x, file, status);
  if (!f) return status;
  io_status.probe(8, cpu::Access::Write);
  if (length) info.probe(length, cpu::Access::Write);
  cpu::Memory& mem = x.mem();
  const uint32_t at = info.addr();
  uint32_t need = 0;
  if (info_class == kFileFsSizeInformation) {
    need = 24;
    if (length >= need) {
      mem.write64(at, 0x400000);        // TotalAllocationUnits: 8 GiB of DVD sectors
      mem.write64(at + 8, 0);           // AvailableAllocationUnits
      mem.write32(at + 16, 1);          // SectorsPerAllocationUnit
      mem.write32(at + 20, kSectorSize);
    }
  } else if (info_class == kFileFsAttributeInformation) {
    static constexpr char kName[] = "GDFX";
    need = 12 + 4;
    if (length >= need) {
      mem.write32(at, f->writable ? 0 : 0x00080000);  // FILE_READ_ONLY_VOLUME
      mem.write32(at + 4, 255);                       // MaximumComponentNameLength
      mem.write32(at + 8, 4);
      for (uint32_t i = 0; i < 4; ++i) mem.write8(at + 12 + i, uint8_t(kName[i]));
    }
  } else {
    status = kStatusInvalidInfoClass;
  }
  if (!status && length < need) status = kStatusInfoLengthMismatch;
  write_io_status(io_status, status, status ? 0 : need);
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x00EF, NtQueryVolumeInformationFile, Implemented);

// NtFlushBuffersFile(file, io_status): writes reach the host at once, so nothing is pending.
uint32_t NtFlushBuffersFile(ExportContext& x, Handle file, GuestPtr<uint32_t> io_status) {
  uint32_t status;
  if (!file_of(x, file, status)) return status;
  io_status.probe(8, cpu::Access::Write);
  write_io_status(io_status, kStatusSuccess, 0);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00DB, NtFlushBuffersFile, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> file_exports() { return kAreaExports; }

}  // namespace hexad::kernel
