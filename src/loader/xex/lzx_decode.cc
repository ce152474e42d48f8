#include "loader/xex/lzx_decode.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

#include <mspack.h>
// lzx.h after mspack.h: it uses struct mspack_system without including it.
#include <lzx.h>

namespace hexad::xex {

namespace {

// A memory buffer as libmspack's struct mspack_file (an opaque type it only hands back to us).
struct MemoryFile {
  uint8_t* data;
  size_t size, pos;
};

MemoryFile* as_memory(mspack_file* f) { return reinterpret_cast<MemoryFile*>(f); }

int memory_read(mspack_file* f, void* buf, int bytes) {
  MemoryFile* m = as_memory(f);
  const size_t n = std::min(size_t(bytes < 0 ? 0 : bytes), m->size - m->pos);
  std::memcpy(buf, m->data + m->pos, n);
  m->pos += n;
  return int(n);
}

int memory_write(mspack_file* f, void* buf, int bytes) {
  MemoryFile* m = as_memory(f);
  const size_t n = std::min(size_t(bytes < 0 ? 0 : bytes), m->size - m->pos);
  std::memcpy(m->data + m->pos, buf, n);
  m->pos += n;
  return int(n);  // short: lzxd reports MSPACK_ERR_WRITE
}

void* memory_alloc(mspack_system*, size_t bytes) { return std::calloc(bytes, 1); }
void memory_free(void* p) { std::free(p); }
void memory_copy(void* src, void* dst, size_t bytes) { std::memmove(dst, src, bytes); }
void quiet_message(mspack_file*, const char*, ...) {}  // lzxd's warnings: the result code says enough

const char* mspack_error_name(int code) {
  switch (code) {
    case MSPACK_ERR_ARGS: return "bad arguments";
    case MSPACK_ERR_READ: return "the compressed data ended early";
    case MSPACK_ERR_WRITE: return "the data decompresses past the image size";
    case MSPACK_ERR_NOMEMORY: return "out of memory";
    case MSPACK_ERR_DATAFORMAT: return "bad data format";
    case MSPACK_ERR_DECRUNCH: return "corrupt LZX data";
    default: return "error";
  }
}

}  // namespace

std::string lzx_decompress(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size, uint32_t window_size) {
  int window_bits = 0;
  while (window_bits < 31 && (1u << window_bits) < window_size) ++window_bits;
  if ((1u << window_bits) != window_size || window_bits < 15 || window_bits > 21)
    return "the window size is not a power of two between 32 KiB and 2 MiB";
  if (in_size > size_t(INT_MAX) || out_size > size_t(INT_MAX)) return "the data is too large";
  // The stream opens with 1 bit (Intel E8 translation on) and then, if set, a 32-bit file size
  // read as two 16-bit halves. lzxd computes `(high << 16) | low` in a signed int, which is
  // undefined behaviour for a high half of 0x8000 or more (found by the lzx fuzz target). No
  // image is 2 GiB: such a stream is refused here rather than handed to the decoder.
  if (in_size >= 2 && (in[1] & 0x80) && (in[1] & 0x40))
    return "the LZX stream's Intel E8 file size is 2 GiB or more";
  mspack_system sys{};
  sys.read = memory_read;
  sys.write = memory_write;
  sys.alloc = memory_alloc;
  sys.free = memory_free;
  sys.copy = memory_copy;
  sys.message = quiet_message;
  MemoryFile src{const_cast<uint8_t*>(in), in_size, 0};
  MemoryFile dst{out, out_size, 0};
  lzxd_stream* lzx = lzxd_init(&sys, reinterpret_cast<mspack_file*>(&src), reinterpret_cast<mspack_file*>(&dst),
                               window_bits, 0, 0x8000, off_t(out_size), 0);
  if (!lzx) return "libmspack could not start the LZX decoder";
  const int rc = lzxd_decompress(lzx, off_t(out_size));
  lzxd_free(lzx);
  if (rc != MSPACK_ERR_OK) return std::string("libmspack: ") + mspack_error_name(rc) + " (code " + std::to_string(rc) + ")";
  if (dst.pos != out_size) return "libmspack produced fewer bytes than the image size";
  return "";
}

}  // namespace hexad::xex
