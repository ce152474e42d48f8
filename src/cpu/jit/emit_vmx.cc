// Native VMX ops (SSE4.1): the loads and stores of whole quadwords, stvewx, the Xenon's unaligned
// lvlx/lvrx/stvlx/stvrx, modular, saturating and logical integer arithmetic, max/min/average,
// compares without Rc, the permutes (vperm, vsldoi, merges, splats), and the hot float ops (add,
// subtract, multiply-add, round to integral, fixed-point conversions, max/min, the reciprocal
// estimate); and the VMX128 forms of those that have one (the same code on 7-bit register
// numbers, kVmx128), with the Xenon's own vmulfp128, vmsum3fp128/vmsum4fp128 (dot products),
// vpermwi128 and vrlimi128. Each matches the interpreter's step bit for bit
// (tests/unit/jit_vmx_test.cc, every op here on random and special values).
//
// Registers stay in the context (ThreadContext::vr: word 0 most significant, each word in host
// order, so big-endian byte i of a register is host byte i ^ 3): an op loads its sources into
// xmm registers (movdqu: nothing relies on the context's alignment) and stores its result, which
// makes vD aliasing a source harmless. Elementwise ops need no reordering; permutes index host
// bytes. Constants come from one aligned table (kConst), addressed through rax.
//
// Where the host's result could differ from the VMX's, the op checks for it and runs the
// interpreter's handler out of line instead (the same out-of-line path as a memory op's, which
// writes nothing before it): a NaN from a float op (the VMX's NaN rules are not the host's), a
// conversion out of range (cvttps2dq's 0x80000000), and vmhraddshs's one product that does not fit
// pmulhrsw (-32768 * -32768). Denormal inputs and results are flushed to signed zero inline (the
// VMX's non-Java mode, vmx_float.cc), with the host's default MXCSR (no DAZ/FTZ: nothing in hexad
// changes it), so the rest are IEEE single results, as the interpreter's.
//
// Saturating ops set VSCR[SAT] when any element saturated: the saturated and the modular results
// differ there.
#include "cpu/jit/emitter.h"

#include <xbyak/xbyak_util.h>

#include "cpu/isa/vmx128_fields.h"
#include "cpu/memory.h"

namespace hexad::cpu::jit {

using namespace Xbyak::util;
using isa::id_of;

namespace {

struct alignas(16) Bytes16 {
  uint8_t b[16];
};
// A two-source byte permute as pshufb masks on host-order registers: result byte h takes byte
// a.b[h] of vA (0x80: none) or byte b.b[h] of vB.
struct alignas(16) Permute2 {
  Bytes16 a, b;
};

// From `sel`, which gives for each big-endian result byte i the big-endian source byte of vA||vB
// (0..31), in host order: host byte h is big-endian byte h ^ 3.
template <class Sel>
constexpr Permute2 permute(Sel sel) {
  Permute2 m{};
  for (unsigned h = 0; h < 16; ++h) {
    const unsigned k = sel(h ^ 3u);
    m.a.b[h] = k < 16 ? uint8_t(k ^ 3u) : uint8_t(0x80);
    m.b.b[h] = k >= 16 ? uint8_t((k - 16) ^ 3u) : uint8_t(0x80);
  }
  return m;
}

template <class F, size_t... I>
constexpr auto table(F f, std::index_sequence<I...>) {
  return std::array<Permute2, sizeof...(I)>{f(unsigned(I))...};
}

constexpr Bytes16 splat32(uint32_t v) {
  Bytes16 r{};
  for (unsigned k = 0; k < 16; ++k) r.b[k] = uint8_t(v >> (8 * (k & 3)));
  return r;
}

// The constants generated code reads (through one register holding this table's address).
struct alignas(16) VmxConstants {
  Bytes16 bswap_words;  // pshufb: big-endian memory order <-> host-order words
  // pshufb from an aligned quadword in memory order to lvlx's / lvrx's result in host order, by
  // EA & 15: lvlx's big-endian byte i is the quadword's byte sh + i (zero from 16 - sh on), lvrx's
  // is its byte i - (16 - sh) (zero before 16 - sh).
  std::array<Bytes16, 16> load_left{}, load_right{};
  // stvlx / stvrx by EA & 15, a read-modify-write of the aligned quadword: pshufb from vS in host
  // order to the bytes stored, in memory order (stvlx: vS's big-endian byte m - sh at byte m >= sh;
  // stvrx: byte 16 - sh + m at byte m < sh), zeros elsewhere; and the mask of the bytes kept.
  std::array<Bytes16, 16> store_left{}, store_right{}, keep_left{}, keep_right{};
  Bytes16 exponent = splat32(0x7F800000u), magnitude = splat32(0x7FFFFFFFu), sign = splat32(0x80000000u);
  Bytes16 half_min = splat32(0x80008000u);
  Bytes16 perm_index = splat32(0x1F1F1F1Fu), perm_to_host = splat32(0x03030303u), fifteen = splat32(0x0F0F0F0Fu);
  std::array<Bytes16, 32> pow2{}, pow2_neg{};  // 2^k and 2^-k as floats
  std::array<Permute2, 16> sldoi = table([](unsigned sh) { return permute([sh](unsigned i) { return i + sh; }); },
                                         std::make_index_sequence<16>());
  std::array<Permute2, 16> spltb = table([](unsigned u) { return permute([u](unsigned) { return u; }); },
                                         std::make_index_sequence<16>());
  std::array<Permute2, 8> splth = table([](unsigned u) { return permute([u](unsigned i) { return 2 * u + (i & 1); }); },
                                        std::make_index_sequence<8>());
  std::array<Permute2, 4> spltw = table([](unsigned u) { return permute([u](unsigned i) { return 4 * u + (i & 3); }); },
                                        std::make_index_sequence<4>());
  // Merges of the high (0) or low (1) halves: element e of the result is element e/2 (+ half
  // the count for low) of vA when e is even, of vB when odd; `size` bytes per element.
  static constexpr Permute2 merge(unsigned size, bool low) {
    return permute([size, low](unsigned i) {
      const unsigned e = i / size, from = e / 2 + (low ? 8 / size : 0);
      return (e & 1 ? 16 : 0) + size * from + i % size;
    });
  }
  Permute2 mrghb = merge(1, false), mrglb = merge(1, true), mrghh = merge(2, false), mrglh = merge(2, true),
           mrghw = merge(4, false), mrglw = merge(4, true);

  constexpr VmxConstants() : bswap_words{} {
    for (unsigned h = 0; h < 16; ++h) bswap_words.b[h] = uint8_t(h ^ 3u);
    for (unsigned sh = 0; sh < 16; ++sh)
      for (unsigned h = 0; h < 16; ++h) {
        const unsigned i = h ^ 3u;
        load_left[sh].b[h] = sh + i < 16 ? uint8_t(sh + i) : uint8_t(0x80);
        load_right[sh].b[h] = i + sh >= 16 ? uint8_t(i + sh - 16) : uint8_t(0x80);
        const unsigned m = h;  // (a memory byte, for the stores)
        store_left[sh].b[m] = m >= sh ? uint8_t((m - sh) ^ 3u) : uint8_t(0x80);
        keep_left[sh].b[m] = m < sh ? 0xFF : 0;
        store_right[sh].b[m] = m < sh ? uint8_t((16 - sh + m) ^ 3u) : uint8_t(0x80);
        keep_right[sh].b[m] = m >= sh ? 0xFF : 0;
      }
    for (unsigned k = 0; k < 32; ++k) {
      pow2[k] = splat32((127u + k) << 23);
      pow2_neg[k] = splat32((127u - k) << 23);
    }
  }
};
constexpr VmxConstants kConst{};

template <class M>
int32_t at(const M& member) {
  return int32_t(reinterpret_cast<const uint8_t*>(&member) - reinterpret_cast<const uint8_t*>(&kConst));
}

using Xop = void (*)(Xbyak::CodeGenerator&, const Xbyak::Xmm&, const Xbyak::Operand&);
#define HEXAD_XOP(insn) [](Xbyak::CodeGenerator& g, const Xbyak::Xmm& x, const Xbyak::Operand& o) { g.insn(x, o); }

// vD = op(vA, vB), elementwise; `wrap`: the modular op of a saturating one (VSCR[SAT]).
struct Elementwise {
  isa::EntryId id;
  Xop op;
  Xop wrap = nullptr;
};
const Elementwise kElementwise[] = {
    {id_of("vaddubm"), HEXAD_XOP(paddb)},  {id_of("vadduhm"), HEXAD_XOP(paddw)},  {id_of("vadduwm"), HEXAD_XOP(paddd)},
    {id_of("vsububm"), HEXAD_XOP(psubb)},  {id_of("vsubuhm"), HEXAD_XOP(psubw)},  {id_of("vsubuwm"), HEXAD_XOP(psubd)},
    {id_of("vaddubs"), HEXAD_XOP(paddusb), HEXAD_XOP(paddb)}, {id_of("vaddsbs"), HEXAD_XOP(paddsb), HEXAD_XOP(paddb)},
    {id_of("vadduhs"), HEXAD_XOP(paddusw), HEXAD_XOP(paddw)}, {id_of("vaddshs"), HEXAD_XOP(paddsw), HEXAD_XOP(paddw)},
    {id_of("vsububs"), HEXAD_XOP(psubusb), HEXAD_XOP(psubb)}, {id_of("vsubsbs"), HEXAD_XOP(psubsb), HEXAD_XOP(psubb)},
    {id_of("vsubuhs"), HEXAD_XOP(psubusw), HEXAD_XOP(psubw)}, {id_of("vsubshs"), HEXAD_XOP(psubsw), HEXAD_XOP(psubw)},
    {id_of("vmaxub"), HEXAD_XOP(pmaxub)},  {id_of("vminub"), HEXAD_XOP(pminub)},  {id_of("vmaxsb"), HEXAD_XOP(pmaxsb)},
    {id_of("vminsb"), HEXAD_XOP(pminsb)},  {id_of("vmaxuh"), HEXAD_XOP(pmaxuw)},  {id_of("vminuh"), HEXAD_XOP(pminuw)},
    {id_of("vmaxsh"), HEXAD_XOP(pmaxsw)},  {id_of("vminsh"), HEXAD_XOP(pminsw)},  {id_of("vmaxuw"), HEXAD_XOP(pmaxud)},
    {id_of("vminuw"), HEXAD_XOP(pminud)},  {id_of("vmaxsw"), HEXAD_XOP(pmaxsd)},  {id_of("vminsw"), HEXAD_XOP(pminsd)},
    {id_of("vavgub"), HEXAD_XOP(pavgb)},   {id_of("vavguh"), HEXAD_XOP(pavgw)},
    {id_of("vand"), HEXAD_XOP(pand)},      {id_of("vor"), HEXAD_XOP(por)},        {id_of("vxor"), HEXAD_XOP(pxor)},
    {id_of("vcmpequb"), HEXAD_XOP(pcmpeqb)}, {id_of("vcmpequh"), HEXAD_XOP(pcmpeqw)}, {id_of("vcmpequw"), HEXAD_XOP(pcmpeqd)},
    {id_of("vcmpgtsb"), HEXAD_XOP(pcmpgtb)}, {id_of("vcmpgtsh"), HEXAD_XOP(pcmpgtw)}, {id_of("vcmpgtsw"), HEXAD_XOP(pcmpgtd)},
};
#undef HEXAD_XOP

const Elementwise* find_elementwise(isa::EntryId id) {
  for (const Elementwise& e : kElementwise)
    if (e.id == id) return &e;
  return nullptr;
}

bool host_has_sse41() {
  static const bool has = [] {
    const Xbyak::util::Cpu cpu;
    return cpu.has(Xbyak::util::Cpu::tSSSE3) && cpu.has(Xbyak::util::Cpu::tSSE41);
  }();
  return has;
}

// How a VMX128 op's fields map onto the VMX op it shares its operation with (as vmx128.cc runs
// them): its registers are 7-bit, and the fused forms reuse vD as an input.
enum class Fields128 : uint8_t {
  DAB,     // vD, vA, vB
  DB,      // vD, vB
  DBUimm,  // vD, vB, UIMM (as VMX's vA field)
  Simm,    // vD, SIMM (as VMX's vA field)
  Madd,    // vD = vA * vB + vD: VMX's (vD, vA, vB = vD, vC = vB)
  Maddc,   // vD = vA * vD + vB: VMX's (vD, vA, vB, vC = vD)
  Sel,     // vD = vD-bit ? vB : vA: VMX's (vD, vA, vB, vC = vD)
  Perm,    // vD, vA, vB, vC (v0..v7)
  Sldoi,   // vD, vA, vB, SH
  Cmp,     // vD, vA, vB, Rc
  Permwi,  // vD, vB, PERM (as vC)
  Rlimi,   // vD, vB, MASK (as vA), ROT (as vC)
  Mem,     // vD, rA, rB
};
struct Vmx128Row {
  isa::EntryId id, as;  // the VMX128 op, and the VMX op it runs as (vmulfp128: itself)
  Fields128 fields;
};
const Vmx128Row kVmx128[] = {
    {id_of("vaddfp128"), id_of("vaddfp"), Fields128::DAB},      {id_of("vsubfp128"), id_of("vsubfp"), Fields128::DAB},
    {id_of("vmulfp128"), id_of("vmulfp128"), Fields128::DAB},   {id_of("vmaddfp128"), id_of("vmaddfp"), Fields128::Madd},
    {id_of("vmaddcfp128"), id_of("vmaddfp"), Fields128::Maddc}, {id_of("vnmsubfp128"), id_of("vnmsubfp"), Fields128::Madd},
    {id_of("vrfim128"), id_of("vrfim"), Fields128::DB},         {id_of("vrfin128"), id_of("vrfin"), Fields128::DB},
    {id_of("vrfip128"), id_of("vrfip"), Fields128::DB},         {id_of("vrfiz128"), id_of("vrfiz"), Fields128::DB},
    {id_of("vcfpsxws128"), id_of("vctsxs"), Fields128::DBUimm}, {id_of("vcsxwfp128"), id_of("vcfsx"), Fields128::DBUimm},
    {id_of("vand128"), id_of("vand"), Fields128::DAB},          {id_of("vandc128"), id_of("vandc"), Fields128::DAB},
    {id_of("vor128"), id_of("vor"), Fields128::DAB},            {id_of("vnor128"), id_of("vnor"), Fields128::DAB},
    {id_of("vxor128"), id_of("vxor"), Fields128::DAB},          {id_of("vsel128"), id_of("vsel"), Fields128::Sel},
    {id_of("vperm128"), id_of("vperm"), Fields128::Perm},       {id_of("vsldoi128"), id_of("vsldoi"), Fields128::Sldoi},
    {id_of("vmrghw128"), id_of("vmrghw"), Fields128::DAB},      {id_of("vmrglw128"), id_of("vmrglw"), Fields128::DAB},
    {id_of("vspltw128"), id_of("vspltw"), Fields128::DBUimm},   {id_of("vspltisw128"), id_of("vspltisw"), Fields128::Simm},
    {id_of("vcmpequw128"), id_of("vcmpequw"), Fields128::Cmp},
    {id_of("vmaxfp128"), id_of("vmaxfp"), Fields128::DAB},      {id_of("vminfp128"), id_of("vminfp"), Fields128::DAB},
    {id_of("vrefp128"), id_of("vrefp"), Fields128::DB},
    {id_of("vmsum3fp128"), id_of("vmsum3fp128"), Fields128::DAB}, {id_of("vmsum4fp128"), id_of("vmsum4fp128"), Fields128::DAB},
    {id_of("vpermwi128"), id_of("vpermwi128"), Fields128::Permwi}, {id_of("vrlimi128"), id_of("vrlimi128"), Fields128::Rlimi},
    {id_of("lvx128"), id_of("lvx"), Fields128::Mem},            {id_of("lvxl128"), id_of("lvxl"), Fields128::Mem},
    {id_of("lvewx128"), id_of("lvewx"), Fields128::Mem},        {id_of("stvx128"), id_of("stvx"), Fields128::Mem},
    {id_of("stvxl128"), id_of("stvxl"), Fields128::Mem},        {id_of("stvewx128"), id_of("stvewx"), Fields128::Mem},
    {id_of("lvlx128"), id_of("lvlx"), Fields128::Mem},          {id_of("lvlxl128"), id_of("lvlxl"), Fields128::Mem},
    {id_of("lvrx128"), id_of("lvrx"), Fields128::Mem},          {id_of("lvrxl128"), id_of("lvrxl"), Fields128::Mem},
    {id_of("stvlx128"), id_of("stvlx"), Fields128::Mem},        {id_of("stvlxl128"), id_of("stvlxl"), Fields128::Mem},
    {id_of("stvrx128"), id_of("stvrx"), Fields128::Mem},        {id_of("stvrxl128"), id_of("stvrxl"), Fields128::Mem},
};

// A VMX or VMX128 op as the VMX op it runs as, with that op's operands: vector registers 0..127;
// `va` is also the immediate of splats and conversions (VMX's vA field), `vc` vsldoi's shift.
struct VmxOperands {
  isa::EntryId id;
  uint32_t vd, va, vb, vc;
  uint32_t ra, rb;  // a load's or store's GPRs
  bool record;      // a compare's Rc
};

bool vmx_operands(const JitOp& op, VmxOperands& o) {
  const uint32_t w = op.instr.w;
  const isa::Entry& e = isa::entry(op.id);
  if (e.cls == isa::kVmx) {
    const Instr i = op.instr;
    // Rc is bit 21 (0x400) of a VC form (compares), whose mask leaves it out; the VX forms' xo
    // has that bit.
    o = {op.id, i.rt(), i.ra(), i.rb(), i.rc_reg(), i.ra(), i.rb(), (w & 0x400) && !(e.mask & 0x400)};
    return true;
  }
  namespace f = vmx128;
  for (const Vmx128Row& r : kVmx128) {
    if (r.id != op.id) continue;
    const uint32_t d = f::vd(w), a = f::va(w), b = f::vb(w);
    o = {r.as, d, a, b, 0, f::ra(w), f::rb(w), false};
    switch (r.fields) {
      case Fields128::DAB: break;
      case Fields128::DB: o.va = 0; break;
      case Fields128::DBUimm: o.va = f::uimm(w); break;
      case Fields128::Simm: o.va = uint32_t(f::simm(w)) & 31; break;
      case Fields128::Madd: o.vb = d, o.vc = b; break;
      case Fields128::Maddc:
      case Fields128::Sel: o.vc = d; break;
      case Fields128::Perm: o.vc = f::vc(w); break;
      case Fields128::Sldoi: o.vc = f::sh(w); break;
      case Fields128::Cmp: o.record = f::rc(w); break;
      case Fields128::Permwi: o.vc = f::perm(w); break;
      case Fields128::Rlimi: o.va = f::uimm(w), o.vc = f::z(w); break;
      case Fields128::Mem: break;
    }
    return true;
  }
  return false;
}

}  // namespace

bool native_vmx_available() { return host_has_sse41(); }

Xbyak::Address BlockEmitter::vr(uint32_t n) {
  return Xbyak::util::xword[Xbyak::util::rbx + offsetof(ThreadContext, vr) + 16 * n];
}

bool BlockEmitter::emit_vmx(const JitOp& op, size_t index) {
  VmxOperands o;
  if (!env_.native_vmx || op.id == isa::kInvalidId || !vmx_operands(op, o)) return false;
  const uint32_t vd = o.vd, va = o.va, vb = o.vb, vc = o.vc;
  const auto constants = [&] { mov_address(*this, rax, &kConst); };
  const auto c = [&](const auto& member) { return xword[rax + at(member)]; };
  // VSCR[SAT] |= (the saturated result in `sat` differs from the modular one in `wrap`).
  const auto note_saturation = [&](const Xbyak::Xmm& sat, const Xbyak::Xmm& wrap) {
    pcmpeqb(wrap, sat);
    pmovmskb(edx, wrap);
    cmp(edx, 0xFFFF);
    setne(dl);
    movzx(edx, dl);
    or_(ctx_d(offsetof(ThreadContext, vscr)), edx);
  };
  // x = x with denormals flushed to zero of the same sign (kConst at rax, xmm7 = 0; clobbers xmm6).
  const auto flush = [&](const Xbyak::Xmm& x) {
    movdqa(xmm6, x);
    pand(xmm6, c(kConst.exponent));
    pcmpeqd(xmm6, xmm7);
    pand(xmm6, c(kConst.magnitude));
    pandn(xmm6, x);
    movdqa(x, xmm6);
  };
  // A float op's start: its out-of-line path, kConst at rax, xmm7 = 0 (for flush).
  const auto begin_float = [&]() -> SlowPath& {
    SlowPath& slow = new_slow_path(index);
    constants();
    pxor(xmm7, xmm7);
    return slow;
  };
  // x = VMX register n with denormals flushed (after begin_float).
  const auto load_flushed = [&](const Xbyak::Xmm& x, uint32_t n) {
    movdqu(x, vr(n));
    flush(x);
  };
  // To the handler out of line when a lane of `mask` is set (its sign bits, as from a compare).
  const auto slow_if_any = [&](SlowPath& slow, const Xbyak::Xmm& mask) {
    movmskps(edx, mask);
    test(edx, edx);
    jnz(slow.entry, T_NEAR);
  };
  const auto slow_if_nan = [&](SlowPath& slow, const Xbyak::Xmm& x) {
    movaps(xmm5, x);
    cmpunordps(xmm5, xmm5);
    slow_if_any(slow, xmm5);
  };
  const auto two_source = [&](const Permute2& m, uint32_t a, uint32_t b) {
    constants();
    movdqu(xmm0, vr(a));
    pshufb(xmm0, c(m.a));
    movdqu(xmm1, vr(b));
    pshufb(xmm1, c(m.b));
    por(xmm0, xmm1);
    movdqu(vr(vd), xmm0);
  };
  const auto one_source = [&](const Permute2& m, uint32_t a) {
    constants();
    movdqu(xmm0, vr(a));
    pshufb(xmm0, c(m.a));
    movdqu(vr(vd), xmm0);
  };

  if (const Elementwise* e = find_elementwise(o.id)) {
    if (o.record) return false;  // a compare's record form (CR6) through the handler
    movdqu(xmm0, vr(va));
    movdqu(xmm1, vr(vb));
    if (e->wrap) movdqa(xmm2, xmm0);
    e->op(*this, xmm0, xmm1);
    if (e->wrap) {
      e->wrap(*this, xmm2, xmm1);
      note_saturation(xmm0, xmm2);
    }
    movdqu(vr(vd), xmm0);
    return true;
  }
  switch (o.id) {
    case id_of("vandc"):  // vA & ~vB
      movdqu(xmm0, vr(vb));
      movdqu(xmm1, vr(va));
      pandn(xmm0, xmm1);
      movdqu(vr(vd), xmm0);
      return true;
    case id_of("vnor"):
      movdqu(xmm0, vr(va));
      movdqu(xmm1, vr(vb));
      por(xmm0, xmm1);
      pcmpeqd(xmm1, xmm1);
      pxor(xmm0, xmm1);
      movdqu(vr(vd), xmm0);
      return true;
    case id_of("vsel"):  // (vA & ~vC) | (vB & vC)
      movdqu(xmm0, vr(vc));
      movdqu(xmm1, vr(vb));
      movdqu(xmm2, vr(va));
      pand(xmm1, xmm0);
      pandn(xmm0, xmm2);
      por(xmm0, xmm1);
      movdqu(vr(vd), xmm0);
      return true;
    case id_of("vmladduhm"):  // modular a*b + c in halfwords
      movdqu(xmm0, vr(va));
      movdqu(xmm1, vr(vb));
      movdqu(xmm2, vr(vc));
      pmullw(xmm0, xmm1);
      paddw(xmm0, xmm2);
      movdqu(vr(vd), xmm0);
      return true;
    case id_of("vmhraddshs"): {
      // pmulhrsw is (a*b + 0x4000) >> 15 in 16 bits: exact but for -32768 * -32768 (32768).
      SlowPath& slow = new_slow_path(index);
      constants();
      movdqu(xmm0, vr(va));
      movdqu(xmm1, vr(vb));
      movdqa(xmm3, xmm0);
      pcmpeqw(xmm3, c(kConst.half_min));
      movdqa(xmm4, xmm1);
      pcmpeqw(xmm4, c(kConst.half_min));
      pand(xmm3, xmm4);
      pmovmskb(edx, xmm3);
      test(edx, edx);
      jnz(slow.entry, T_NEAR);
      pmulhrsw(xmm0, xmm1);
      movdqu(xmm2, vr(vc));
      movdqa(xmm1, xmm0);
      paddsw(xmm0, xmm2);
      paddw(xmm1, xmm2);
      note_saturation(xmm0, xmm1);
      movdqu(vr(vd), xmm0);
      bind_resume(slow);
      return true;
    }
    case id_of("vperm"): {
      // Result host byte h takes big-endian byte k = vC's host byte h & 31 of vA||vB: host byte
      // (k & 15) ^ 3 of vA (k < 16) or vB.
      constants();
      movdqu(xmm2, vr(vc));
      pand(xmm2, c(kConst.perm_index));
      movdqa(xmm3, xmm2);
      pcmpgtb(xmm3, c(kConst.fifteen));  // from vB
      pxor(xmm2, c(kConst.perm_to_host));
      movdqu(xmm0, vr(va));
      pshufb(xmm0, xmm2);
      movdqu(xmm1, vr(vb));
      pshufb(xmm1, xmm2);
      pand(xmm1, xmm3);
      pandn(xmm3, xmm0);
      por(xmm1, xmm3);
      movdqu(vr(vd), xmm1);
      return true;
    }
    case id_of("vsldoi"): two_source(kConst.sldoi[vc & 15], va, vb); return true;
    case id_of("vmrghb"): two_source(kConst.mrghb, va, vb); return true;
    case id_of("vmrglb"): two_source(kConst.mrglb, va, vb); return true;
    case id_of("vmrghh"): two_source(kConst.mrghh, va, vb); return true;
    case id_of("vmrglh"): two_source(kConst.mrglh, va, vb); return true;
    case id_of("vmrghw"): two_source(kConst.mrghw, va, vb); return true;
    case id_of("vmrglw"): two_source(kConst.mrglw, va, vb); return true;
    case id_of("vspltb"): one_source(kConst.spltb[va & 15], vb); return true;
    case id_of("vsplth"): one_source(kConst.splth[va & 7], vb); return true;
    case id_of("vspltw"): one_source(kConst.spltw[va & 3], vb); return true;
    case id_of("vspltisb"):
    case id_of("vspltish"):
    case id_of("vspltisw"): {
      const int32_t simm = int32_t(va << 27) >> 27;
      uint32_t word = uint32_t(simm);
      if (o.id == id_of("vspltisb")) word = uint32_t(uint8_t(simm)) * 0x01010101u;
      if (o.id == id_of("vspltish")) word = uint32_t(uint16_t(simm)) * 0x00010001u;
      mov(eax, word);
      movd(xmm0, eax);
      pshufd(xmm0, xmm0, 0);
      movdqu(vr(vd), xmm0);
      return true;
    }
    case id_of("vaddfp"):
    case id_of("vsubfp"):
    case id_of("vmulfp128"):
    case id_of("vmaddfp"):
    case id_of("vnmsubfp"): {
      // Inputs flushed, the product (multiply-add: rounded and flushed) and the sum or
      // difference, flushed; any NaN lane (a NaN operand or an invalid operation) out of line.
      const bool madd = o.id == id_of("vmaddfp") || o.id == id_of("vnmsubfp");
      const bool subtract = o.id == id_of("vsubfp") || o.id == id_of("vnmsubfp");
      SlowPath& slow = begin_float();
      load_flushed(xmm0, va);
      load_flushed(xmm1, vb);
      if (madd) {
        load_flushed(xmm2, vc);
        mulps(xmm0, xmm2);
        flush(xmm0);
      }
      if (o.id == id_of("vmulfp128")) mulps(xmm0, xmm1);
      else if (subtract) subps(xmm0, xmm1);
      else addps(xmm0, xmm1);
      flush(xmm0);
      slow_if_nan(slow, xmm0);
      if (o.id == id_of("vnmsubfp")) pxor(xmm0, c(kConst.sign));  // -(a*c - b)
      movdqu(vr(vd), xmm0);
      bind_resume(slow);
      return true;
    }
    case id_of("vrfin"):
    case id_of("vrfiz"):
    case id_of("vrfip"):
    case id_of("vrfim"): {
      // roundps (inexact suppressed), on the flushed input; a NaN input out of line.
      const uint8_t mode = o.id == id_of("vrfin") ? 0 : o.id == id_of("vrfim") ? 1 : o.id == id_of("vrfip") ? 2 : 3;
      SlowPath& slow = begin_float();
      load_flushed(xmm0, vb);
      slow_if_nan(slow, xmm0);
      roundps(xmm0, xmm0, uint8_t(mode | 8));
      movdqu(vr(vd), xmm0);
      bind_resume(slow);
      return true;
    }
    case id_of("vmaxfp"):
    case id_of("vminfp"): {
      // maxps/minps on the flushed inputs, but +0 against -0 (equal, and not the same bits):
      // max is their AND (+0), min their OR (-0), as the interpreter; a NaN out of line.
      const bool max = o.id == id_of("vmaxfp");
      SlowPath& slow = begin_float();
      load_flushed(xmm0, va);
      load_flushed(xmm1, vb);
      movaps(xmm5, xmm0);
      cmpunordps(xmm5, xmm1);
      slow_if_any(slow, xmm5);
      movaps(xmm2, xmm0);
      cmpeqps(xmm2, xmm1);  // equal lanes: a & b (max) or a | b (min), the same bits but for zeros
      movaps(xmm3, xmm0);
      if (max) pand(xmm3, xmm1); else por(xmm3, xmm1);
      if (max) maxps(xmm0, xmm1); else minps(xmm0, xmm1);
      pand(xmm3, xmm2);
      pandn(xmm2, xmm0);
      por(xmm2, xmm3);
      movdqu(vr(vd), xmm2);
      bind_resume(slow);
      return true;
    }
    case id_of("vrefp"): {
      // 1/x correctly rounded (divps), as the interpreter's estimate; the result flushed; a NaN
      // input out of line.
      SlowPath& slow = begin_float();
      load_flushed(xmm1, vb);
      slow_if_nan(slow, xmm1);
      movdqa(xmm0, c(kConst.pow2[0]));
      divps(xmm0, xmm1);
      flush(xmm0);
      movdqu(vr(vd), xmm0);
      bind_resume(slow);
      return true;
    }
    case id_of("vmsum3fp128"):
    case id_of("vmsum4fp128"): {
      // The products of the flushed inputs, flushed, summed from word 0 on, each sum flushed
      // (vmx128_ops_xenon.cc), into every word; a NaN out of line.
      const int terms = o.id == id_of("vmsum4fp128") ? 4 : 3;
      SlowPath& slow = begin_float();
      load_flushed(xmm0, va);
      load_flushed(xmm1, vb);
      mulps(xmm0, xmm1);
      flush(xmm0);
      movaps(xmm2, xmm0);  // the sum, in word 0
      for (int k = 1; k < terms; ++k) {
        pshufd(xmm1, xmm0, uint8_t(k * 0x55));
        addss(xmm2, xmm1);
        flush(xmm2);
      }
      pshufd(xmm2, xmm2, 0);
      slow_if_nan(slow, xmm2);
      movdqu(vr(vd), xmm2);
      bind_resume(slow);
      return true;
    }
    case id_of("vpermwi128"): {
      // Word k of vD is word PERM[2k..2k+1] (the most significant pair first) of vB: pshufd.
      uint8_t imm = 0;
      for (unsigned k = 0; k < 4; ++k) imm |= uint8_t(((vc >> (6 - 2 * k)) & 3) << (2 * k));
      movdqu(xmm0, vr(vb));
      pshufd(xmm0, xmm0, imm);
      movdqu(vr(vd), xmm0);
      return true;
    }
    case id_of("vrlimi128"): {
      // vB rotated left by ROT words, its words whose MASK bit is set (bit 3: word 0) into vD.
      uint8_t rotate = 0, blend = 0;
      for (unsigned k = 0; k < 4; ++k) {
        rotate |= uint8_t(((k + vc) & 3) << (2 * k));
        blend |= uint8_t(((va >> (3 - k)) & 1) << k);
      }
      movdqu(xmm1, vr(vb));
      pshufd(xmm1, xmm1, rotate);
      movdqu(xmm0, vr(vd));
      blendps(xmm0, xmm1, blend);
      movdqu(vr(vd), xmm0);
      return true;
    }
    case id_of("vcfsx"):
      // int32 -> float rounds to nearest; the scaling by 2^-uimm is exact (vmx_float.cc).
      movdqu(xmm0, vr(vb));
      cvtdq2ps(xmm0, xmm0);
      if (va) {
        constants();
        mulps(xmm0, c(kConst.pow2_neg[va]));
      }
      movdqu(vr(vd), xmm0);
      return true;
    case id_of("vctsxs"): {
      // The flushed input times 2^uimm (exact, or infinity), truncated; 0x80000000 in any lane
      // (out of range, NaN, or exactly -2^31) out of line.
      SlowPath& slow = begin_float();
      load_flushed(xmm0, vb);
      if (va) mulps(xmm0, c(kConst.pow2[va]));
      cvttps2dq(xmm0, xmm0);
      movdqa(xmm1, xmm0);
      pcmpeqd(xmm1, c(kConst.sign));
      slow_if_any(slow, xmm1);
      movdqu(vr(vd), xmm0);
      bind_resume(slow);
      return true;
    }
    default: break;
  }
  return emit_vmx_memory(op, index, o.id, o.vd, o.ra, o.rb);
}

// lvx/lvxl and the element loads (which load the whole aligned quadword, vmx_loadstore.cc),
// lvlx/lvrx (the part of the EA's quadword left or right of the EA, by a mask per EA & 15; lvrx at
// an aligned EA reads nothing: its mask is all zeros, and where the access faults on the host the
// handler reads nothing), stvlx/stvrx (a read-modify-write of the quadword: only the bytes
// stored change), stvx/stvxl, stvewx (and their VMX128 forms, `as` the VMX op, vS
// and the GPRs decoded): an X-form EA, an access within its aligned quadword (never across a page),
// as emit_loadstore's: through the read view, a fault site, stores checking for reservations.
bool BlockEmitter::emit_vmx_memory(const JitOp& op, size_t index, isa::EntryId as, uint32_t vs, uint32_t ra, uint32_t rb) {
  const bool quad_load = as == id_of("lvx") || as == id_of("lvxl") || as == id_of("lvebx") || as == id_of("lvehx") ||
                         as == id_of("lvewx");
  const bool quad_store = as == id_of("stvx") || as == id_of("stvxl");
  const bool word_store = as == id_of("stvewx");
  const bool left = as == id_of("lvlx") || as == id_of("lvlxl"), right = as == id_of("lvrx") || as == id_of("lvrxl");
  const bool store_left = as == id_of("stvlx") || as == id_of("stvlxl");
  const bool store_right = as == id_of("stvrx") || as == id_of("stvrxl");
  const bool partial = store_left || store_right;
  if (!quad_load && !quad_store && !word_store && !left && !right && !partial) return false;
  const bool store = quad_store || word_store || partial;
  use_.accesses.push_back({-1, 0, uint8_t(word_store ? 4 : 16), store, false});
  const Xbyak::Reg64& b = gpr_reg(rb);
  if (ra) lea(ecx, ptr[gpr_reg(ra) + b]); else mov(ecx, b.cvt32());
  if (left || right || partial) {  // esi = (EA & 15) * 16: the offset of the op's masks
    ca_in_esi_ = false;  // (XER[CA] was settled before the op: emit_block)
    mov(esi, ecx);
    and_(esi, 15);
    shl(esi, 4);
  }
  and_(ecx, word_store ? ~3u : ~15u);
  SlowPath& slow = new_slow_path(index);
  if (op.checked_access) {
    // A site that kept faulting (FaultSites::kHotFaults): the page checked inline instead.
    mov(edx, ecx);
    shr(edx, Memory::kPageShift);
    mov(rax, ctx_q(offsetof(ThreadContext, jit_page_prot)));
    if (partial) {  // read and stored
      movzx(edx, byte[rax + rdx]);
      and_(edx, kPageStoreDirect | kProtRead);
      cmp(edx, kPageStoreDirect | kProtRead);
      jne(slow.entry, T_NEAR);
    } else {
      test(byte[rax + rdx], store ? uint8_t(kPageStoreDirect) : uint8_t(kProtRead));
      jz(slow.entry, T_NEAR);
    }
  }
  const auto site = [&] { access_sites_.push_back({getCurr(), &slow.entry, op.pc}); };
  if (store) {
    cmp(ctx_d(offsetof(ThreadContext, jit_reservations)), 0);
    jne(slow.entry, T_NEAR);
  }
  if (word_store) {
    // The word of vS the EA selects: (EA & 15) >> 2.
    mov(edx, ecx);
    and_(edx, 12);
    mov(eax, dword[rbx + rdx + offsetof(ThreadContext, vr) + 16 * vs]);
    bswap(eax);
    site();
    mov(dword[r12 + rcx], eax);
  } else {
    mov_address(*this, rax, &kConst);
    if (partial) {
      // The quadword read, the stored bytes merged in, written back: two accesses, each a site
      // (a page the guest may not read or store to directly faults on either, before any write).
      movdqu(xmm1, vr(vs));
      pshufb(xmm1, xword[rax + rsi + (store_left ? at(kConst.store_left) : at(kConst.store_right))]);
      site();
      movdqu(xmm0, xword[r12 + rcx]);
      pand(xmm0, xword[rax + rsi + (store_left ? at(kConst.keep_left) : at(kConst.keep_right))]);
      por(xmm0, xmm1);
      site();
      movdqu(xword[r12 + rcx], xmm0);
    } else if (store) {
      movdqu(xmm0, vr(vs));
      pshufb(xmm0, xword[rax + at(kConst.bswap_words)]);
      site();
      movdqu(xword[r12 + rcx], xmm0);
    } else if (left || right) {
      site();
      movdqu(xmm0, xword[r12 + rcx]);
      pshufb(xmm0, xword[rax + rsi + (left ? at(kConst.load_left) : at(kConst.load_right))]);
      movdqu(vr(vs), xmm0);
    } else {
      site();
      movdqu(xmm0, xword[r12 + rcx]);
      pshufb(xmm0, xword[rax + at(kConst.bswap_words)]);
      movdqu(vr(vs), xmm0);
    }
  }
  bind_resume(slow);
  return true;
}

}  // namespace hexad::cpu::jit
