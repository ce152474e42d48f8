#include "conformance/vmx128_encoder.h"

#include <fmt/format.h>

#include <optional>

#include "cpu/isa/vmx128_fields.h"

namespace hexad::conformance {

namespace {

namespace v128 = cpu::vmx128;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '$';
}

// A decimal or 0x-hex integer with an optional sign; nothing else (no expressions).
std::optional<int64_t> parse_number(std::string_view s) {
  s = trim(s);
  bool neg = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  int64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    v = v * base + d;
    if (v > 0xFFFFFFFFll) return std::nullopt;
  }
  return neg ? -v : v;
}

enum class RegKind { Vr, Gpr };

// "v12", "vr12", "%v12" (or "r4", "%r4" for GPRs), or a bare number.
std::optional<int64_t> parse_reg(std::string_view s, RegKind kind) {
  s = trim(s);
  if (!s.empty() && s.front() == '%') s.remove_prefix(1);
  if (kind == RegKind::Vr) {
    if (s.size() > 2 && s[0] == 'v' && s[1] == 'r') s.remove_prefix(2);
    else if (s.size() > 1 && s[0] == 'v') s.remove_prefix(1);
  } else if (s.size() > 1 && s[0] == 'r') {
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '-' || s.front() == '+') return std::nullopt;
  return parse_number(s);
}

// How a mnemonic's operands are written (see the header).
enum class Syntax {
  DRR,          // vD, rA, rB
  DAB,          // vD, vA, vB
  DAB_D,        // vD, vA, vB[, vD]
  DA_D_B,       // vD, vA[, vD], vB
  DB,           // vD, vB
  DABC,         // vD, vA, vB, vC
  DABSh,        // vD, vA, vB, SH
  DBUimm,       // vD, vB, UIMM
  DSimm,        // vD, SIMM
  DBPerm,       // vD, vB, PERM
  DBMaskRot,    // vD, vB, MASK, ROT
  DBPack,       // vD, vB, TYPE, PACK, SHIFT
  DBType,       // vD, vB, TYPE
};

Syntax syntax_of(const v128::Opcode& o) {
  std::string_view m = o.mnemonic;
  if (m == "vmaddfp128" || m == "vnmsubfp128" || m == "vsel128") return Syntax::DAB_D;
  if (m == "vmaddcfp128") return Syntax::DA_D_B;
  if (m.substr(0, 4) == "vupk" && m != "vupkd3d128") return Syntax::DB;
  if (m == "vrfim128" || m == "vrfin128" || m == "vrfip128" || m == "vrfiz128" || m == "vrefp128" ||
      m == "vrsqrtefp128" || m == "vexptefp128" || m == "vlogefp128")
    return Syntax::DB;
  if (m == "vspltisw128") return Syntax::DSimm;
  if (m == "vupkd3d128") return Syntax::DBType;
  if (m == "vpkd3d128") return Syntax::DBPack;
  switch (o.form) {
    case v128::Form::VX128: return Syntax::DAB;
    case v128::Form::VX128_1: return Syntax::DRR;
    case v128::Form::VX128_2: return Syntax::DABC;
    case v128::Form::VX128_3: return Syntax::DBUimm;
    case v128::Form::VX128_4: return Syntax::DBMaskRot;
    case v128::Form::VX128_5: return Syntax::DABSh;
    case v128::Form::VX128_P: return Syntax::DBPerm;
    case v128::Form::VX128_R: return Syntax::DAB;
  }
  return Syntax::DAB;
}

std::vector<std::string_view> split_operands(std::string_view s) {
  std::vector<std::string_view> out;
  s = trim(s);
  if (s.empty()) return out;
  size_t b = 0;
  for (size_t k = 0; k <= s.size(); ++k) {
    if (k == s.size() || s[k] == ',') {
      out.push_back(trim(s.substr(b, k - b)));
      b = k + 1;
    }
  }
  return out;
}

class OperandReader {
 public:
  OperandReader(std::vector<std::string_view> ops) : ops_(std::move(ops)) {}
  std::string error;

  unsigned vr(size_t k, unsigned limit = 128) { return reg(k, RegKind::Vr, limit); }
  unsigned gpr(size_t k) { return reg(k, RegKind::Gpr, 32); }
  int64_t imm(size_t k, int64_t lo, int64_t hi, const char* what) {
    if (!error.empty()) return 0;
    auto v = parse_number(ops_[k]);
    if (!v) {
      error = fmt::format("operand {} ('{}') is not a number", k + 1, ops_[k]);
      return 0;
    }
    if (*v < lo || *v > hi) {
      error = fmt::format("{} {} out of range {}..{}", what, *v, lo, hi);
      return 0;
    }
    return *v;
  }

 private:
  unsigned reg(size_t k, RegKind kind, unsigned limit) {
    if (!error.empty()) return 0;
    auto v = parse_reg(ops_[k], kind);
    if (!v) {
      error = fmt::format("operand {} ('{}') is not a {} register", k + 1, ops_[k], kind == RegKind::Vr ? "vector" : "general");
      return 0;
    }
    if (*v < 0 || *v >= limit) {
      error = fmt::format("operand {} ('{}') out of range 0..{}", k + 1, ops_[k], limit - 1);
      return 0;
    }
    return unsigned(*v);
  }
  std::vector<std::string_view> ops_;
};

}  // namespace

Vmx128Encoding encode_vmx128(std::string_view mnemonic, std::string_view operands) {
  Vmx128Encoding r;
  bool record = !mnemonic.empty() && mnemonic.back() == '.';
  std::string_view base = record ? mnemonic.substr(0, mnemonic.size() - 1) : mnemonic;
  const v128::Opcode* o = v128::find_opcode(base);
  if (!o) return r;
  r.known = true;
  if (record && o->form != v128::Form::VX128_R) {
    r.error = fmt::format("{} has no record form", base);
    return r;
  }
  std::vector<std::string_view> ops = split_operands(operands);
  Syntax syn = syntax_of(*o);
  auto want = [&](size_t lo, size_t hi) {
    if (ops.size() >= lo && ops.size() <= hi) return true;
    r.error = lo == hi ? fmt::format("{} takes {} operands, got {}", mnemonic, lo, ops.size())
                       : fmt::format("{} takes {} or {} operands, got {}", mnemonic, lo, hi, ops.size());
    return false;
  };
  OperandReader rd(ops);
  uint32_t w = o->value;
  switch (syn) {
    case Syntax::DRR:
      if (!want(3, 3)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_ra(rd.gpr(1)) | v128::put_rb(rd.gpr(2));
      break;
    case Syntax::DAB:
      if (!want(3, 3)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_va(rd.vr(1)) | v128::put_vb(rd.vr(2)) | v128::put_rc(record);
      break;
    case Syntax::DAB_D:
    case Syntax::DA_D_B: {
      if (!want(3, 4)) return r;
      unsigned d = rd.vr(0), a = rd.vr(1);
      size_t bpos = syn == Syntax::DA_D_B && ops.size() == 4 ? 3 : 2;
      unsigned b = rd.vr(bpos);
      if (ops.size() == 4) {
        size_t dpos = syn == Syntax::DA_D_B ? 2 : 3;
        unsigned d2 = rd.vr(dpos);
        if (rd.error.empty() && d2 != d)
          rd.error = fmt::format("operand {} must repeat vD (v{}): the instruction has no field for it", dpos + 1, d);
      }
      w |= v128::put_vd(d) | v128::put_va(a) | v128::put_vb(b);
      break;
    }
    case Syntax::DB:
      if (!want(2, 2)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_vb(rd.vr(1));
      break;
    case Syntax::DABC:
      if (!want(4, 4)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_va(rd.vr(1)) | v128::put_vb(rd.vr(2)) | v128::put_vc(rd.vr(3, 8));
      break;
    case Syntax::DABSh:
      if (!want(4, 4)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_va(rd.vr(1)) | v128::put_vb(rd.vr(2)) |
           v128::put_sh(unsigned(rd.imm(3, 0, 15, "SH")));
      break;
    case Syntax::DBUimm:
      if (!want(3, 3)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_vb(rd.vr(1)) | v128::put_uimm(unsigned(rd.imm(2, 0, 31, "UIMM")));
      break;
    case Syntax::DSimm:
      if (!want(2, 2)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_uimm(unsigned(rd.imm(1, -16, 15, "SIMM") & 31));
      break;
    case Syntax::DBPerm:
      if (!want(3, 3)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_vb(rd.vr(1)) | v128::put_perm(unsigned(rd.imm(2, 0, 255, "PERM")));
      break;
    case Syntax::DBMaskRot:
      if (!want(4, 4)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_vb(rd.vr(1)) | v128::put_uimm(unsigned(rd.imm(2, 0, 15, "MASK"))) |
           v128::put_z(unsigned(rd.imm(3, 0, 3, "ROT")));
      break;
    case Syntax::DBPack: {
      if (!want(5, 5)) return r;
      unsigned type = unsigned(rd.imm(2, 0, 7, "TYPE")), pack = unsigned(rd.imm(3, 0, 3, "PACK"));
      w |= v128::put_vd(rd.vr(0)) | v128::put_vb(rd.vr(1)) | v128::put_uimm(type << 2 | pack) |
           v128::put_z(unsigned(rd.imm(4, 0, 3, "SHIFT")));
      break;
    }
    case Syntax::DBType:
      if (!want(3, 3)) return r;
      w |= v128::put_vd(rd.vr(0)) | v128::put_vb(rd.vr(1)) | v128::put_uimm(unsigned(rd.imm(2, 0, 7, "TYPE")) << 2);
      break;
  }
  if (!rd.error.empty()) {
    r.error = fmt::format("{}: {}", mnemonic, rd.error);
    return r;
  }
  r.ok = true;
  r.word = w;
  return r;
}

Vmx128Rewrite rewrite_vmx128(std::string_view source) {
  Vmx128Rewrite out;
  out.text.reserve(source.size() + 256);
  size_t line_no = 0, pos = 0;
  while (pos < source.size()) {
    size_t nl = source.find('\n', pos);
    std::string_view line = source.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? source.size() : nl + 1;
    ++line_no;
    size_t hash = line.find('#');
    std::string_view code = line.substr(0, hash);
    std::string_view comment = hash == std::string_view::npos ? std::string_view() : line.substr(hash);
    // Leading labels ("name:"), possibly several.
    size_t k = 0;
    for (;;) {
      size_t s = k;
      while (s < code.size() && (code[s] == ' ' || code[s] == '\t')) ++s;
      size_t e = s;
      while (e < code.size() && is_ident_char(code[e])) ++e;
      if (e > s && e < code.size() && code[e] == ':') {
        k = e + 1;
        continue;
      }
      break;
    }
    std::string_view stmt = trim(code.substr(k));
    size_t m_end = 0;
    while (m_end < stmt.size() && stmt[m_end] != ' ' && stmt[m_end] != '\t') ++m_end;
    std::string_view mnemonic = stmt.substr(0, m_end);
    Vmx128Encoding enc;
    if (!mnemonic.empty()) enc = encode_vmx128(mnemonic, stmt.substr(m_end));
    if (!enc.known) {
      out.text.append(line);
    } else if (!enc.ok) {
      out.errors.push_back(fmt::format("line {}: {}", line_no, enc.error));
      out.text.append(line);
    } else {
      std::string_view labels = code.substr(0, k);
      size_t indent = 0;
      while (k + indent < code.size() && (code[k + indent] == ' ' || code[k + indent] == '\t')) ++indent;
      out.text.append(labels);
      out.text.append(code.substr(k, indent));
      out.text += fmt::format(".long 0x{:08X}  # {}", enc.word, stmt);
      if (!comment.empty()) {
        out.text += ' ';
        out.text.append(comment);
      }
      ++out.encoded;
    }
    if (nl != std::string_view::npos) out.text += '\n';
  }
  return out;
}

}  // namespace hexad::conformance
