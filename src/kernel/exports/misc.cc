// Debug output, time, handles.
#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "kernel/exports/export_table.h"
#include "kernel/kernel.h"

namespace hexad::kernel {
namespace {

// The 32-bit SysV calling convention: variadic integers in r4..r10, then the caller's
// parameter save area at 8(r1); a 64-bit value takes an odd-even register pair.
class VarArgs {
 public:
  explicit VarArgs(ExportCall& c) : c_(c) {}
  uint32_t next32() {
    if (reg_ <= 10) return uint32_t(c_.t.ctx->gpr[reg_++]);
    uint32_t v = c_.k.mem().read32(uint32_t(c_.t.ctx->gpr[1]) + 8 + 4 * stack_++);
    return v;
  }
  uint64_t next64() {
    if (reg_ <= 10) {
      if (reg_ % 2 == 0) ++reg_;  // pairs start at r3, r5, r7, r9
      if (reg_ <= 9) {
        uint64_t hi = uint32_t(c_.t.ctx->gpr[reg_]), lo = uint32_t(c_.t.ctx->gpr[reg_ + 1]);
        reg_ += 2;
        return hi << 32 | lo;
      }
      reg_ = 11;
    }
    if (stack_ % 2) ++stack_;
    uint64_t hi = next32(), lo = next32();
    return hi << 32 | lo;
  }

 private:
  ExportCall& c_;
  int reg_ = 4;
  uint32_t stack_ = 0;
};

std::string read_cstring(ExportCall& c, uint32_t addr, size_t max = 4096) {
  std::string s;
  if (!addr) return "(null)";
  for (size_t i = 0; i < max; ++i) {
    if (!c.k.mem().accessible(addr + uint32_t(i), 1, cpu::kProtRead)) break;
    char ch = char(c.k.mem().read8(addr + uint32_t(i)));
    if (!ch) break;
    s.push_back(ch);
  }
  return s;
}

// Pads `s` to `width` characters, on the right when `left`, else on the left with `fill`.
std::string pad_text(const std::string& s, int width, bool left, char fill) {
  if (width <= 0 || size_t(width) <= s.size()) return s;
  std::string padding(size_t(width) - s.size(), left ? ' ' : fill);
  return left ? s + padding : padding + s;
}

// printf-style formatting of a guest format string: %d %i %u %x %X %o %c %s %p %%, flags
// '-' '0' ' ' '+' '#', width, precision (for strings), and the h/l/ll/I64 length modifiers.
std::string format_guest(ExportCall& c, const std::string& f) {
  VarArgs va(c);
  std::string out;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out.push_back(f[i]);
      continue;
    }
    size_t start = i++;
    std::string flags;
    while (i < f.size() && std::string_view("-0 +#").find(f[i]) != std::string_view::npos) flags.push_back(f[i++]);
    int width = 0, precision = -1;
    if (i < f.size() && f[i] == '*') {
      width = int(va.next32());
      // A negative '*' width means left-justified (C); a negative width in a fmt spec throws.
      if (width < 0) {
        flags.push_back('-');
        width = width == INT32_MIN ? 0 : -width;
      }
      width = std::min(width, 4096);
      ++i;
    }
    while (i < f.size() && isdigit(static_cast<unsigned char>(f[i]))) width = std::min(width * 10 + (f[i++] - '0'), 4096);
    if (i < f.size() && f[i] == '.') {
      precision = 0;
      ++i;
      while (i < f.size() && isdigit(static_cast<unsigned char>(f[i]))) precision = std::min(precision * 10 + (f[i++] - '0'), 1 << 16);
    }
    bool wide = false;
    while (i < f.size() && std::string_view("hlLzjt").find(f[i]) != std::string_view::npos) {
      if (f[i] == 'l' && i + 1 < f.size() && f[i + 1] == 'l') {
        wide = true;
        ++i;
      }
      ++i;
    }
    if (i + 2 < f.size() && f.compare(i, 3, "I64") == 0) {
      wide = true;
      i += 3;
    }
    if (i >= f.size()) {
      out += f.substr(start);
      break;
    }
    char conv = f[i];
    std::string spec = "{:" + std::string(flags.find('-') != std::string::npos ? "<" : ">") +
                       (flags.find('0') != std::string::npos && flags.find('-') == std::string::npos ? "0" : "") +
                       (width ? std::to_string(width) : "") + "}";
    if (flags.find('0') != std::string::npos && flags.find('-') == std::string::npos) spec = "{:0" + (width ? std::to_string(width) : "") + "}";
    std::string piece;
    switch (conv) {
      case 'd':
      case 'i': {
        int64_t v = wide ? int64_t(va.next64()) : int64_t(int32_t(va.next32()));
        piece = fmt::format(fmt::runtime(spec), v);
        break;
      }
      case 'u': piece = fmt::format(fmt::runtime(spec), wide ? va.next64() : uint64_t(va.next32())); break;
      case 'x':
      case 'X':
      case 'o': {
        uint64_t v = wide ? va.next64() : va.next32();
        std::string digits = fmt::format(fmt::runtime(conv == 'x' ? "{:x}" : conv == 'X' ? "{:X}" : "{:o}"), v);
        if (flags.find('#') != std::string::npos && v) digits = (conv == 'o' ? "0" : conv == 'x' ? "0x" : "0X") + digits;
        // Padded as text: a numeric fmt spec ("{:08}") on a string throws fmt::format_error,
        // which used to abort hexad on any "%08x" in a guest's DbgPrint.
        bool zero = flags.find('0') != std::string::npos && flags.find('-') == std::string::npos;
        piece = pad_text(digits, width, flags.find('-') != std::string::npos, zero ? '0' : ' ');
        break;
      }
      case 'p': piece = fmt::format("{:08X}", va.next32()); break;
      case 'c': piece = std::string(1, char(va.next32())); break;
      case 's': {
        std::string s = read_cstring(c, va.next32());
        if (precision >= 0 && size_t(precision) < s.size()) s.resize(size_t(precision));
        // Not "{:>0}": with no width that spec reads as zero padding and throws on a string.
        piece = pad_text(s, width, flags.find('-') != std::string::npos, ' ');
        break;
      }
      case '%': piece = "%"; break;
      default: piece = f.substr(start, i - start + 1);
    }
    out += piece;
  }
  return out;
}

// DbgPrint(PCSTR format, ...)
void DbgPrint(ExportCall& c) {
  std::string format = read_cstring(c, c.arg(0), 1 << 16);
  std::string text;
  try {
    text = format_guest(c, format);
  } catch (const fmt::format_error&) {
    // A conversion the formatter cannot express must not abort the host: print it unformatted.
    text = format;
  }
  c.k.debug_print(text);
  c.ret(kStatusSuccess);
}

// KeQueryPerformanceFrequency(): the timebase rate, which titles read with mftb.
void KeQueryPerformanceFrequency(ExportCall& c) { c.ret(cpu::kTimebaseHz); }

// KeQuerySystemTime(PLARGE_INTEGER)
void KeQuerySystemTime(ExportCall& c) {
  if (c.arg(0)) c.k.mem().write64(c.arg(0), c.k.system_time());
  c.ret(0);
}

void NtClose(ExportCall& c) { c.ret(c.k.objects().close(c.arg(0)) ? kStatusSuccess : kStatusInvalidHandle); }

// KeGetCurrentProcessType(): 1 = title process.
void KeGetCurrentProcessType(ExportCall& c) { c.ret(1); }

constexpr ExportEntry kExports[] = {
    {"xboxkrnl", 0x003, "DbgPrint", 1, DbgPrint},
    {"xboxkrnl", 0x083, "KeQueryPerformanceFrequency", 0, KeQueryPerformanceFrequency},
    {"xboxkrnl", 0x084, "KeQuerySystemTime", 1, KeQuerySystemTime},
    {"xboxkrnl", 0x0CF, "NtClose", 1, NtClose},
    {"xboxkrnl", 0x066, "KeGetCurrentProcessType", 0, KeGetCurrentProcessType},
};

}  // namespace

std::span<const ExportEntry> misc_exports() { return kExports; }

const ExportEntry* find_export(const std::string& module_stem, uint16_t ordinal) {
  for (auto table : {thread_exports(), sync_exports(), misc_exports()})
    for (const ExportEntry& e : table)
      if (module_stem == e.module && ordinal == e.ordinal) return &e;
  return nullptr;
}

}  // namespace hexad::kernel
