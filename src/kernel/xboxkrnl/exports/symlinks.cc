// Symbolic links: ObCreateSymbolicLink, ObDeleteSymbolicLink, NtOpenSymbolicLinkObject,
// NtQuerySymbolicLinkObject over the file system's link table (kernel/xboxkrnl/files.h: game:,
// d: and cache: are built-in links to the devices; a link a title creates resolves through the
// same table, so it reaches nothing the devices do not). Semantics and statuses follow xenia's
// src/xenia/kernel/xboxkrnl/xboxkrnl_ob.cc and xboxkrnl_io.cc.
#include <algorithm>
#include <cstdint>
#include <string>

#include "kernel/xboxkrnl/exports/export_registry.h"
#include "kernel/xboxkrnl/exports/guest_strings.h"
#include "kernel/xboxkrnl/kernel.h"

namespace hexad::kernel {
namespace {

HEXAD_EXPORTS_BEGIN;

// ObCreateSymbolicLink(ANSI_STRING* name, ANSI_STRING* target): name "\??\X:" or "X:". Creating
// an existing name re-points it (the console re-creates \??\GAME: per title).
uint32_t ObCreateSymbolicLink(ExportContext& x, uint32_t name, uint32_t target) {
  const std::string link = read_ansi_string(x.mem(), name);
  const std::string to = read_ansi_string(x.mem(), target);
  return x.k.files().create_link(link, to);
}
HEXAD_EXPORT(xboxkrnl, 0x0103, ObCreateSymbolicLink, Implemented);

// ObDeleteSymbolicLink(ANSI_STRING* name): STATUS_UNSUCCESSFUL for a name that is no link.
uint32_t ObDeleteSymbolicLink(ExportContext& x, uint32_t name) {
  return x.k.files().delete_link(read_ansi_string(x.mem(), name));
}
HEXAD_EXPORT(xboxkrnl, 0x0104, ObDeleteSymbolicLink, Implemented);

// NtOpenSymbolicLinkObject(HANDLE* out, OBJECT_ATTRIBUTES* attributes): a handle to the link the
// attributes name (RootDirectory ignored, as xenia does); NULL attributes are
// STATUS_INVALID_PARAMETER, an unknown name STATUS_NO_SUCH_FILE (xenia's status).
uint32_t NtOpenSymbolicLinkObject(ExportContext& x, GuestPtr<Handle> handle_out, uint32_t attributes) {
  if (!attributes) return kStatusInvalidParameter;
  GuestPtr<uint32_t> attrs(x.mem(), attributes);
  attrs.probe(kObjectAttributesSize, cpu::Access::Read);
  handle_out.probe(4, cpu::Access::Write);
  const uint32_t name = attrs.read(1);
  if (!name) return kStatusObjectNameInvalid;
  uint32_t handle = 0;
  const uint32_t status = x.k.files().open_link(read_ansi_string(x.mem(), name), &handle);
  handle_out.write(Handle{handle});
  return status;
}
HEXAD_EXPORT(xboxkrnl, 0x00E0, NtOpenSymbolicLinkObject, Implemented);

// NtQuerySymbolicLinkObject(handle, ANSI_STRING* target): copies the target (at most
// MaximumLength bytes, as xenia does) into Buffer and sets Length; a handle that is no open link
// is STATUS_NO_SUCH_FILE (xenia's status).
uint32_t NtQuerySymbolicLinkObject(ExportContext& x, Handle handle, uint32_t target) {
  const std::string* to = x.k.files().link_target(handle.value);
  if (!to) return kStatusNoSuchFile;
  GuestPtr<uint16_t> str(x.mem(), target);
  str.probe(kAnsiStringSize, cpu::Access::Write);
  const uint16_t length = uint16_t(std::min<size_t>(str.read(1), to->size()));
  const uint32_t buffer = x.mem().read32(target + 4);
  if (length) GuestPtr<void>(x.mem(), buffer).probe(length, cpu::Access::Write);
  for (uint16_t i = 0; i < length; ++i) x.mem().write8(buffer + i, uint8_t((*to)[i]));
  str.write(length, 0);
  return kStatusSuccess;
}
HEXAD_EXPORT(xboxkrnl, 0x00EC, NtQuerySymbolicLinkObject, Implemented);

HEXAD_EXPORTS_END;

}  // namespace

std::span<const ExportEntry> symlink_exports() { return kAreaExports; }

}  // namespace hexad::kernel
