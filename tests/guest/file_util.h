/* What the file titles share: OBJECT_ATTRIBUTES for a guest path, and opening a file. */
#ifndef HEXAD_FILE_UTIL_H
#define HEXAD_FILE_UTIL_H
#include "hx/kernel.h"
#include "hx/libc.h"

typedef struct {
  ANSI_STRING name;
  OBJECT_ATTRIBUTES attributes;
} PATH_ATTRIBUTES;

__attribute__((unused)) static OBJECT_ATTRIBUTES* path_attributes(PATH_ATTRIBUTES* p, const char* path) {
  p->name.Length = (uint16_t)strlen(path);
  p->name.MaximumLength = p->name.Length;
  p->name.Buffer = (char*)path;
  p->attributes.RootDirectory = 0;
  p->attributes.ObjectName = &p->name;
  p->attributes.Attributes = 0;
  return &p->attributes;
}

/* NtCreateFile of `path`; the status, and the handle in *h (0 on failure). */
__attribute__((unused)) static NTSTATUS create_file(HANDLE* h, const char* path, DWORD access, DWORD disposition,
                                                    DWORD options) {
  PATH_ATTRIBUTES p;
  IO_STATUS_BLOCK io;
  return NtCreateFile(h, access | SYNCHRONIZE, path_attributes(&p, path), &io, NULL, 0, FILE_SHARE_READ, disposition,
                      options | FILE_SYNCHRONOUS_IO_NONALERT);
}
#endif
