// VMX ops under the JIT against the interpreter: every VMX and VMX128 op on random and special
// values (NaNs quiet and signalling, infinities, signed zeros, denormals, values at the edges of
// conversions and saturation), with VSCR random, vD aliasing its sources, and memory ops at page
// edges, on read-only and unmapped pages and with a reservation held. Vector registers, VSCR,
// memory, counts and faults must come out bit-identical. The ops translated natively
// (emit_vmx.cc) are listed here, and each must be.
#include <random>
#include <set>
#include <string>

#include "cpu/isa/isa.h"
#include "cpu/isa/vmx128_fields.h"
#include "jit_test_machine.h"
#include "ppc_encode.h"

using namespace jit_test;
using namespace ppc_encode;

namespace {

// What emit_vmx.cc translates natively (the vcmp* record forms excepted: they fall back).
const std::set<std::string> kNative = {
    "vaddubm", "vadduhm", "vadduwm", "vsububm", "vsubuhm", "vsubuwm", "vaddubs", "vaddsbs", "vadduhs", "vaddshs",
    "vsububs", "vsubsbs", "vsubuhs", "vsubshs", "vmaxub", "vminub", "vmaxsb", "vminsb", "vmaxuh", "vminuh",
    "vmaxsh", "vminsh", "vmaxuw", "vminuw", "vmaxsw", "vminsw", "vavgub", "vavguh", "vand", "vor", "vxor",
    "vandc", "vnor", "vsel", "vcmpequb", "vcmpequh", "vcmpequw", "vcmpgtsb", "vcmpgtsh", "vcmpgtsw",
    "vmladduhm", "vmhraddshs", "vperm", "vsldoi", "vmrghb", "vmrglb", "vmrghh", "vmrglh", "vmrghw", "vmrglw",
    "vspltb", "vsplth", "vspltw", "vspltisb", "vspltish", "vspltisw", "vaddfp", "vsubfp", "vmaddfp", "vnmsubfp",
    "vrfin", "vrfiz", "vrfip", "vrfim", "vcfsx", "vctsxs", "vmaxfp", "vminfp", "vrefp",
    "lvx", "lvxl", "lvebx", "lvehx", "lvewx", "stvx", "stvxl", "stvewx", "lvlx", "lvlxl", "lvrx", "lvrxl",
    "stvlx", "stvlxl", "stvrx", "stvrxl",
    // VMX128
    "vaddfp128", "vsubfp128", "vmulfp128", "vmaddfp128", "vmaddcfp128", "vnmsubfp128", "vrfim128", "vrfin128",
    "vrfip128", "vrfiz128", "vcfpsxws128", "vcsxwfp128", "vand128", "vandc128", "vor128", "vnor128", "vxor128",
    "vsel128", "vperm128", "vsldoi128", "vmrghw128", "vmrglw128", "vspltw128", "vspltisw128", "vcmpequw128",
    "lvx128", "lvxl128", "lvewx128", "stvx128", "stvxl128", "stvewx128", "vmaxfp128", "vminfp128", "vrefp128",
    "vmsum3fp128", "vmsum4fp128", "vpermwi128", "vrlimi128", "lvlx128", "lvlxl128", "lvrx128", "lvrxl128",
    "stvlx128", "stvlxl128", "stvrx128", "stvrxl128"};

struct Rng {
  std::mt19937_64 g;
  uint64_t next() { return g(); }
  uint32_t below(uint32_t n) { return uint32_t(g() % n); }
};

// One word of a vector register: floats of every kind, integer edges, or random bits.
uint32_t pick_word(Rng& r) {
  static constexpr uint32_t kPool[] = {
      0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x3F000000, 0xBF000000, 0x3FC00000, 0x40200000, 0xC0200000,
      0x3EFFFFFF, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001, 0xFFA00000, 0x00000001, 0x807FFFFF,
      0x00400000, 0x00800000, 0x80800000, 0x1F800000, 0x9F800000, 0x20000000, 0x7F7FFFFF, 0xFF7FFFFF, 0x4F000000,
      0xCF000000, 0x4EFFFFFF, 0xCF000001, 0x4F800000, 0x4B000000, 0x4B7FFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x80008000,
      0x7FFF7FFF, 0x80007FFF, 0x00FF00FF, 0xFF00FF00, 0x7F807F80, 0x01010101, 0x1F1F1F1F, 0x10101010, 0x0F0F0F0F,
  };
  // Signed zeros, denormals (zeros to the VMX), NaNs, infinities and one: often, so that both
  // operands of a lane are special together.
  static constexpr uint32_t kSpecial[] = {0x00000000, 0x80000000, 0x00000001, 0x80400000,
                                          0x7FC00000, 0x7F800000, 0xFF800000, 0x3F800000};
  switch (r.below(6)) {
    case 0: return uint32_t(r.next());
    case 2: return kSpecial[r.below(std::size(kSpecial))];
    case 1: {  // a float of moderate size, with low significand bits
      const uint32_t e = 100 + r.below(56);
      return (r.below(2) ? 0x80000000u : 0u) | e << 23 | (uint32_t(r.next()) & 0x7FFFFFu & ~0u << r.below(23));
    }
    default: return kPool[r.below(std::size(kPool))];
  }
}

uint64_t pick_gpr(Rng& r) {
  static constexpr uint64_t kPool[] = {kData, kData + 0x10, kData + 0x23, kData + 0xFF0, kData + 0xFFC, kData + 0xFFF,
                                       kReadOnly, kReadOnly + 0x40, kUnmapped, kUnmapped + 0x10, kCode + 0x800,
                                       0, 4, 8, 12, 16, 0x7F0, 0xFFFFFFFF00000000ull | kData};
  return r.below(8) ? kPool[r.below(std::size(kPool))] : r.next();
}

void randomise(Machine& m, Rng& r, bool sf) {
  reset_context(m.ctx, &m.mem, sf);
  m.ctx.tid = 1;
  for (auto& g : m.ctx.gpr) g = pick_gpr(r);
  for (auto& v : m.ctx.vr)
    for (auto& w : v) w = pick_word(r);
  m.ctx.vscr = r.below(2) | (r.below(2) << 16);
  for (auto& f : m.ctx.cr) f = uint8_t(r.below(16));
  m.ctx.pc = kCode;
}

// The entry's word with its operand fields random, vector registers often among v0..v5 (so that
// vD often aliases a source; a VMX128 op's register numbers have random high bits) and GPRs among
// r1..r4.
uint32_t random_word(const hexad::cpu::isa::Entry& e, Rng& r) {
  uint32_t w = e.value | (uint32_t(r.next()) & ~e.mask);
  // Only bits the entry leaves free (a VA form's vC, an X form's registers).
  const auto field = [&](int shift, uint32_t v) {
    if (!(e.mask & (31u << shift))) w = (w & ~(31u << shift)) | v << shift;
  };
  const bool memory = e.flags & (hexad::cpu::isa::kReadsMemory | hexad::cpu::isa::kWritesMemory);
  field(21, r.below(6));  // vD / vS
  if (memory) {
    field(16, r.below(5));  // RA (0: none)
    field(11, 1 + r.below(4));
  } else {
    if (r.below(4)) field(16, r.below(6));  // (else the immediate of splats and conversions)
    field(11, r.below(6));
    if (r.below(4)) field(6, r.below(6));  // a VA form's vC (vsldoi: its shift)
  }
  return w;
}

}  // namespace

TEST_CASE("jit: every VMX and VMX128 op matches the interpreter on special values, and the native ones are native", "[jit]") {
  namespace isa = hexad::cpu::isa;
  Machine a(make_interp), b(make_jit);
  Rng r{std::mt19937_64(0x7e0)};
  std::set<std::string> seen_native;
  size_t vmx_ops = 0;
  for (size_t id = 0; id < isa::kEntryCount; ++id) {
    const isa::Entry& e = isa::entry(isa::EntryId(id));
    if (e.cls != isa::kVmx && e.cls != isa::kVmx128) continue;
    ++vmx_ops;
    const std::string name = e.mnemonic;
    INFO(name);
    const uint64_t native_before = stats(b).native_ops;
    constexpr int kCases = 120;
    for (int k = 0; k < kCases; ++k) {
      const bool sf = k & 1;
      const uint32_t w = random_word(e, r);
      const uint64_t seed = r.next();
      std::vector<uint8_t> bytes(0x1000);
      for (auto& x : bytes) x = uint8_t(r.next());
      const bool reserve = r.below(6) == 0;
      for (Machine* m : {&a, &b}) {
        Rng state{std::mt19937_64(seed)};
        m->code({w, kSc});
        m->data(bytes);
        randomise(*m, state, sf);
        m->mem.clear_reservation(2);
        if (reserve) m->mem.reserve(2, kData + 0x80);
      }
      INFO("word 0x" << std::hex << w << std::dec << " sf " << sf);
      const RunResult ra = a.cpu->run(a.ctx, 10);
      const RunResult rb = b.cpu->run(b.ctx, 10);
      REQUIRE(ra.retired == rb.retired);
      REQUIRE(ra.why == rb.why);
      require_same(a, b);
      REQUIRE(a.ctx.vscr == b.ctx.vscr);
      REQUIRE(a.mem.reservation_held(2, kData + 0x80) == b.mem.reservation_held(2, kData + 0x80));
    }
    // Each case is one translation of the op and an sc (which counts as native: it ends the
    // block): the op's own native count is what is over one per case.
    const uint64_t native = stats(b).native_ops - native_before - kCases;
    // Native: every case's op (the record forms of compares aside); else none.
    if (native) seen_native.insert(name);
    if (name.rfind("vcmp", 0) == 0 && kNative.count(name)) CHECK((native > 0 && native < kCases));
    else if (kNative.count(name)) CHECK(native == kCases);
  }
  CHECK(vmx_ops > 230);  // the VMX and the VMX128 rows
  CHECK(seen_native == kNative);
}

// A VMX loop whose float ops see NaNs, infinities and denormals now and then: the checked fast
// paths and the out-of-line handler runs alternate within one unit, cut at every budget.
TEST_CASE("jit: a VMX loop mixing native ops and their out-of-line paths matches at every budget", "[jit]") {
  // r4 -> data; v0..v3 loaded from it, combined, stored back 16 bytes on; 6 iterations.
  constexpr auto vx = [](uint32_t xo, uint32_t d, uint32_t a, uint32_t b) { return 4u << 26 | d << 21 | a << 16 | b << 11 | xo; };
  constexpr auto va = [](uint32_t xo, uint32_t d, uint32_t a, uint32_t b, uint32_t c) {
    return 4u << 26 | d << 21 | a << 16 | b << 11 | c << 6 | xo;
  };
  const std::vector<uint32_t> prog = {
      lis(4, int32_t(kData >> 16)), li(5, 0), li(6, 16), li(3, 6), mtspr(9, 3),
      X(0, 4, 5, 103),         // lvx v0, r4, r5
      X(1, 4, 6, 103),         // lvx v1, r4, r6
      va(46, 2, 0, 1, 1),      // vmaddfp v2, v0, v1, v1
      vx(714, 3, 0, 2),        // vrfim v3, v2
      vx(970, 3, 4, 3),        // vctsxs v3, v3, 4
      va(33, 1, 3, 3, 1),      // vmhraddshs v1, v3, v3, v1
      va(44, 2, 2, 1, 5),      // vsldoi v2, v2, v1, 5
      X(2, 4, 6, 231),         // stvx v2, r4, r6
      X(3, 4, 5, 199),         // stvewx v3, r4, r5
      addi(4, 4, 16),
      bdnz(-40),
      kSc};
  const Setup setup = [](Machine& m) {
    std::vector<uint8_t> bytes(0x200);
    std::mt19937 g(5);
    static constexpr uint32_t kWords[] = {0x7FC00000, 0x00000001, 0x7F800000, 0x3F800000, 0xC0400000, 0x80000000,
                                          0x4F000000, 0x3FC00000, 0x00400000, 0x42F60000, 0xBF000000, 0x80008000};
    for (size_t k = 0; k < bytes.size(); k += 4) {
      const uint32_t word = g() % 3 ? kWords[g() % std::size(kWords)] : uint32_t(g());
      for (int j = 0; j < 4; ++j) bytes[k + j] = uint8_t(word >> (24 - 8 * j));
    }
    m.data(bytes);
  };
  check_every_budget(prog, false, 5 + 6 * 11 + 1, 11, 40, setup);
  check_every_budget(prog, true, 5 + 6 * 11 + 1, 12, 40, setup);
}

// stvx (and stvlx, which reads the quadword first) to the code's page keeps faulting on the host
// (the page takes no direct stores), until FaultSites::kHotFaults faults have the op translated
// again with the inline checks.
TEST_CASE("jit: a VMX store that keeps faulting on the host gets inline checks", "[jit]") {
  for (const uint32_t xo : {231u /* stvx */, 647u /* stvlx */})
  for (bool sf : {false, true}) {
    INFO("xo " << xo << " sf " << sf);
    // r5 = 3: stvlx stores 13 bytes (stvx ignores the low bits).
    const std::vector<uint32_t> prog = {lis(4, int32_t(kCode >> 16)), ori(4, 4, 0x800), li(5, 3), li(3, 500), mtspr(9, 3),
                                        X(7, 4, 5, xo), addi(6, 6, 1), bdnz(-8), kSc};
    Machine a(make_interp), b(make_jit);
    for (Machine* m : {&a, &b}) start(*m, prog, sf);
    for (int k = 0; k < 20 && b.ctx.stop != Stop::Syscall; ++k) {
      const RunResult ra = a.cpu->run(a.ctx, 300);
      const RunResult rb = b.cpu->run(b.ctx, 300);
      REQUIRE(ra.retired == rb.retired);
      require_same(a, b);
    }
    CHECK(b.ctx.stop == Stop::Syscall);
    const auto& jit = static_cast<const hexad::cpu::jit::JitBackend&>(*b.cpu);
    CHECK(jit.stats().checked_sites == 1);
    CHECK(jit.host_faults() >= hexad::cpu::jit::FaultSites::kHotFaults);
    CHECK(jit.host_faults() <= 300 / 3 + 1);
  }
}

// Another thread's reservation on the quadword a VMX store writes: the store breaks it, as
// Memory::write does, on both backends (and one elsewhere on the page is kept).
TEST_CASE("jit: VMX stores break a reservation on the bytes they write", "[jit]") {
  struct Store {
    const char* name;
    uint32_t xo;
  };
  for (const Store s : {Store{"stvx", 231}, Store{"stvxl", 487}, Store{"stvewx", 199}})
    for (const uint32_t reserved : {kData + 0x80, kData + 0x100})
      for (bool sf : {false, true}) {
        INFO(s.name << " reservation at 0x" << std::hex << reserved << " sf " << sf);
        const std::vector<uint32_t> prog = {lis(4, int32_t(kData >> 16)), ori(4, 4, 0x88), li(5, 0), X(3, 4, 5, s.xo), kSc};
        Machine a(make_interp), b(make_jit);
        for (Machine* m : {&a, &b}) {
          start(*m, prog, sf);
          m->mem.reserve(2, reserved);
        }
        run_both(a, b, {100});
        const bool hit = reserved == kData + 0x80;
        CHECK(a.mem.reservation_held(2, reserved) == !hit);
        CHECK(b.mem.reservation_held(2, reserved) == !hit);
      }
}

// vmsum3fp128/vmsum4fp128 round and flush each partial sum: products 1.5 * 2^-126 and -2^-126
// sum to a denormal, which is zero before the next term is added (vmx128_ops_xenon.cc).
TEST_CASE("jit: VMX128 dot products flush each partial sum as the interpreter", "[jit]") {
  namespace f128 = hexad::cpu::vmx128;
  for (const char* name : {"vmsum3fp128", "vmsum4fp128"}) {
    const uint32_t word = f128::find_opcode(name)->value | f128::put_vd(40) | f128::put_va(65) | f128::put_vb(100);
    for (const uint32_t third : {0x00000000u, 0x00000001u, 0x3F800000u}) {  // a third product: 0, denormal, 1
      INFO(name << " third 0x" << std::hex << third);
      Machine a(make_interp), b(make_jit);
      for (Machine* m : {&a, &b}) {
        start(*m, {word, kSc}, false);
        const uint32_t va[4] = {0x00C00000, 0x80800000, third, 0x00400000};
        const uint32_t vb[4] = {0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000};
        std::memcpy(m->ctx.vr[65], va, sizeof va);
        std::memcpy(m->ctx.vr[100], vb, sizeof vb);
      }
      run_both(a, b, {10});
      const uint32_t expect = third == 0x3F800000u ? 0x3F800000u : 0u;
      for (int k = 0; k < 4; ++k) CHECK(b.ctx.vr[40][k] == expect);
    }
  }
}

// A carry set before a native VMX op and read after it: the op's out-of-line path (a NaN, a
// conversion out of range, a store with a reservation held) calls the handler, which clobbers the
// host register the JIT keeps XER[CA] in between carrying ops. Found by difffuzz (seed 12).
TEST_CASE("jit: a carry set before a native VMX op survives its out-of-line path", "[jit]") {
  constexpr auto vx = [](uint32_t xo, uint32_t d, uint32_t a, uint32_t b) { return 4u << 26 | d << 21 | a << 16 | b << 11 | xo; };
  struct Case {
    const char* what;
    uint32_t op;
    uint32_t v2_word0;  // word 0 of v2 (the float ops' vA, the conversion's vB)
    bool reserve;
  };
  const Case cases[] = {
      {"vaddfp, fast path", vx(10, 1, 2, 3), 0x3F800000, false},
      {"vaddfp, a NaN out of line", vx(10, 1, 2, 3), 0x7FC00000, false},
      {"vctsxs, out of range out of line", vx(970, 1, 0, 2), 0x7F000000, false},
      {"stvx, a reservation held out of line", X(2, 0, 9, 231), 0, true},
  };
  for (const Case& c : cases)
    for (bool sf : {false, true}) {
      INFO(c.what << " sf " << sf);
      const std::vector<uint32_t> prog = {addc(3, 4, 5), c.op, adde(6, 7, 8), kSc};
      Machine a(make_interp), b(make_jit);
      for (Machine* m : {&a, &b}) {
        start(*m, prog, sf);
        m->ctx.gpr[4] = ~0ull, m->ctx.gpr[5] = 1;  // a carry out in both modes
        m->ctx.gpr[7] = 40, m->ctx.gpr[8] = 2;
        m->ctx.gpr[9] = kData + 0x80;
        m->ctx.vr[2][0] = c.v2_word0;
        if (c.reserve) m->mem.reserve(2, kData + 0x80);
      }
      run_both(a, b, {100});
      CHECK(b.ctx.gpr[6] == 43);
    }
}

// lvlx/lvrx (and their LRU and VMX128 forms) at every offset within a quadword; lvrx at an aligned
// EA reads nothing, so it cannot fault even on an unmapped page, where lvlx faults.
TEST_CASE("jit: lvlx and lvrx at every offset, and lvrx reading nothing at an aligned EA", "[jit]") {
  struct Load {
    const char* name;
    uint32_t xo;
  };
  const Load loads[] = {{"lvlx", 519}, {"lvlxl", 775}, {"lvrx", 551}, {"lvrxl", 807}};
  std::vector<uint8_t> bytes(0x100);
  for (size_t k = 0; k < bytes.size(); ++k) bytes[k] = uint8_t(0x11 * k + 7);
  for (const Load& l : loads)
    for (const uint32_t base : {kData + 0x40, kUnmapped + 0x40})
      for (uint32_t sh = 0; sh < 16; ++sh)
        for (bool sf : {false, true}) {
          INFO(l.name << " at 0x" << std::hex << base + sh << " sf " << sf);
          const std::vector<uint32_t> prog = {X(5, 0, 9, l.xo), kSc};
          Machine a(make_interp), b(make_jit);
          for (Machine* m : {&a, &b}) {
            start(*m, prog, sf);
            m->data(bytes);
            m->ctx.gpr[9] = base + sh;
            for (auto& w : m->ctx.vr[5]) w = 0xDEADBEEF;
          }
          run_both(a, b, {10});
          const bool reads = l.name[2] == 'l' || sh != 0;
          CHECK(b.ctx.stop == (base == kUnmapped + 0x40 && reads ? Stop::Fault : Stop::Syscall));
        }
}

// stvlx/stvrx (and their LRU forms) at every offset within a quadword: only the bytes stored
// change (the JIT reads the quadword and writes it back merged); on the read-only and unmapped
// pages they fault unless they store nothing (stvrx at an aligned EA); a reservation on the
// quadword is broken only by a store of at least one byte.
TEST_CASE("jit: stvlx and stvrx at every offset change only the bytes they store", "[jit]") {
  struct Store {
    const char* name;
    uint32_t xo;
  };
  const Store stores[] = {{"stvlx", 647}, {"stvlxl", 903}, {"stvrx", 679}, {"stvrxl", 935}};
  std::vector<uint8_t> bytes(0x100);
  for (size_t k = 0; k < bytes.size(); ++k) bytes[k] = uint8_t(0x11 * k + 7);
  for (const Store& st : stores)
    for (const uint32_t base : {kData + 0x40, kReadOnly + 0x40, kUnmapped + 0x40})
      for (uint32_t sh = 0; sh < 16; ++sh)
        for (bool reserve : {false, true}) {
          INFO(st.name << " at 0x" << std::hex << base + sh << " reservation " << reserve);
          const std::vector<uint32_t> prog = {X(5, 0, 9, st.xo), kSc};
          Machine a(make_interp), b(make_jit);
          for (Machine* m : {&a, &b}) {
            start(*m, prog, sh & 1);
            m->data(bytes);
            m->ctx.gpr[9] = base + sh;
            const uint32_t v[4] = {0xA0A1A2A3, 0xB0B1B2B3, 0xC0C1C2C3, 0xD0D1D2D3};
            std::memcpy(m->ctx.vr[5], v, sizeof v);
            if (reserve) m->mem.reserve(2, base);
          }
          run_both(a, b, {10});
          const bool writes = st.name[3] == 'l' || sh != 0;
          CHECK(b.ctx.stop == (base != kData + 0x40 && writes ? Stop::Fault : Stop::Syscall));
          if (reserve) CHECK(a.mem.reservation_held(2, base) == b.mem.reservation_held(2, base));
        }
}
