// Every op the JIT translates natively against the interpreter's handler, on random states, in
// both modes (MSR[SF] 0 and 1): registers, CR, XER, LR, CTR, pc, counts, fault records and
// memory must come out bit-identical. Memory ops aim at the edges that matter: page ends,
// read-only and unmapped pages, reservations held, 64-bit addresses with high bits set.
#include <random>
#include <sstream>

#include "cpu/isa/isa.h"
#include "jit_test_machine.h"

using namespace jit_test;

namespace {

struct Rng {
  std::mt19937_64 g{0x6a17};
  uint64_t next() { return g(); }
  uint32_t below(uint32_t n) { return uint32_t(g() % n); }
};

uint64_t pick_value(Rng& r) {
  static constexpr uint64_t kPool[] = {
      0, 1, 2, 0xFFFFFFFFFFFFFFFFull, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000ull, 0x8000000000000000ull,
      0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFF80000000ull, 31, 32, 33, 63, 64, 0xFFFF, 0x8000,
      kData, kData + 1, kData + 2, kData + 3, kData + 4, kData + 0x80, kData + 0xFC, kData + 0x800, kData + 0xFF8, kData + 0xFFC, kData + 0xFFE,
      kData + 0xFFF, kReadOnly, kReadOnly + 0xFF8, kReadOnly + 0xFFD, kUnmapped - 2, kUnmapped,
      0xFFFFFFFF00000000ull | kData, 0x0000000100000000ull | (kData + 0x10), kCode, kCode + 0x40, kCode + 0x3FFC};
  switch (r.below(4)) {
    case 0: return r.next();
    case 1: return uint64_t(int64_t(int32_t(uint32_t(r.next()))));
    default: return kPool[r.below(std::size(kPool))];
  }
}

void randomise(ThreadContext& c, Rng& r, bool sf, Memory* mem) {
  reset_context(c, mem, sf);
  c.tid = 1;
  for (auto& g : c.gpr) g = pick_value(r);
  for (auto& f : c.fpr) f = pick_value(r);
  c.lr = pick_value(r);
  c.ctr = r.below(3) == 0 ? r.below(3) : pick_value(r);
  for (auto& f : c.cr) f = uint8_t(r.below(16));
  c.xer_so = uint8_t(r.below(2));
  c.xer_ov = uint8_t(r.below(2));
  c.xer_ca = uint8_t(r.below(2));
  c.pc = kCode;
}

// Both machines with `words` as code, `bytes` as data and the same random state from `seed`,
// no reservation held.
void load_both(Machine& a, Machine& b, const std::vector<uint32_t>& words, const std::vector<uint8_t>& bytes, uint64_t seed, bool sf) {
  for (Machine* m : {&a, &b}) {
    Rng state{std::mt19937_64(seed)};
    m->code(words);
    m->data(bytes);
    randomise(m->ctx, state, sf, &m->mem);
    m->mem.clear_reservation(2);
  }
}

// Both run for `budget`: the same count, stop reason and state.
void run_both_same(Machine& a, Machine& b, uint64_t budget) {
  const RunResult ra = a.cpu->run(a.ctx, budget);
  const RunResult rb = b.cpu->run(b.ctx, budget);
  REQUIRE(ra.retired == rb.retired);
  REQUIRE(ra.why == rb.why);
  require_same(a, b);
}

uint32_t fields(Rng& r) { return uint32_t(r.next()) & 0x03FFFFFFu; }
uint32_t d_form(uint32_t opcd, Rng& r) { return opcd << 26 | fields(r); }
uint32_t x_form(uint32_t xo, Rng& r, bool oe_bit) {
  return 31u << 26 | xo << 1 | (fields(r) & (0x03FFF801u | (oe_bit ? 0x400u : 0)));
}
// A memory access whose displacement stays near the registers' (often page-edge) values.
uint32_t mem_d(uint32_t opcd, Rng& r, uint32_t low_bits = 0) {
  static constexpr int32_t kDisp[] = {0, 1, 2, 3, 4, 8, -4, -8, 0xFFC, -0x1000, 0x7FF0, 0x1000};
  const uint32_t rt = r.below(32), ra = r.below(32);
  const int32_t d = r.below(3) ? kDisp[r.below(std::size(kDisp))] : int32_t(int16_t(r.next()));
  return opcd << 26 | rt << 21 | ra << 16 | ((uint32_t(d) & ~3u & 0xFFFF) | (low_bits ? low_bits : uint32_t(d) & 3));
}
uint32_t spr_move(uint32_t xo, Rng& r) {
  static constexpr uint32_t kSprs[] = {8, 9, 1, 272, 275, 1000};
  const uint32_t spr = kSprs[r.below(std::size(kSprs))];
  return 31u << 26 | r.below(32) << 21 | (spr & 31) << 16 | (spr >> 5) << 11 | xo << 1;
}

// One random instruction word of every native kind (and a few fallbacks around them).
uint32_t random_word(Rng& r, bool& is_branch) {
  is_branch = false;
  static constexpr uint32_t kD[] = {14, 15, 7, 10, 11, 24, 25, 26, 27, 28, 29, 20, 21, 12, 13, 8};
  static constexpr uint32_t kXo[] = {266, 40, 104, 235, 75, 11, 10, 138, 8, 136, 202, 234, 200, 232, 491};
  static constexpr uint32_t kX[] = {28, 444, 316, 60, 412, 476, 124, 284, 954, 922, 986, 26, 24, 536, 824, 0, 32};
  static constexpr uint32_t kMemD[] = {32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 50, 51, 54, 55};
  static constexpr uint32_t kMemX[] = {23, 55, 87, 119, 151, 183, 215, 247, 279, 311, 343, 375, 407, 439,
                                       21, 53, 149, 181, 341, 373, 599, 631, 727, 759,
                                       790, 534, 532, 918, 662, 660};  // the byte-reversed forms
  switch (r.below(9)) {
    case 0: return d_form(kD[r.below(std::size(kD))], r);
    case 1: return x_form(kXo[r.below(std::size(kXo))], r, true);
    case 2: return x_form(kX[r.below(std::size(kX))], r, false);
    case 3: return mem_d(kMemD[r.below(std::size(kMemD))], r);
    case 4: return mem_d(r.below(2) ? 58 : 62, r, r.below(3));  // ld/ldu/lwa, std/stdu
    case 5: {
      const uint32_t w = x_form(kMemX[r.below(std::size(kMemX))], r, false) & ~1u;
      return w;
    }
    case 6: return spr_move(r.below(2) ? 339 : 467, r);
    default: {
      is_branch = true;
      switch (r.below(4)) {
        case 0: return d_form(18, r);
        case 1: return d_form(16, r);
        case 2: return 19u << 26 | 16u << 1 | (fields(r) & 0x03FFF801u);
        default: return 19u << 26 | 528u << 1 | (fields(r) & 0x03FFF801u);
      }
    }
  }
}

constexpr uint32_t kSc = 0x44000002;

}  // namespace

TEST_CASE("jit: native ops match the interpreter on random states in both modes", "[jit]") {
  Machine a(make_interp), b(make_jit);
  Rng r;
  std::vector<uint8_t> bytes(0x1000);
  size_t cases = 0;
  for (bool sf : {false, true}) {
    for (int k = 0; k < 20000; ++k) {
      bool branch;
      const uint32_t w = random_word(r, branch);
      for (auto& x : bytes) x = uint8_t(r.next());
      const uint64_t seed = r.next();
      const bool reserve = r.below(8) == 0;
      load_both(a, b, branch ? std::vector<uint32_t>{w} : std::vector<uint32_t>{w, kSc}, bytes, seed, sf);
      if (reserve)  // another thread's reservation: stores must break it
        for (Machine* m : {&a, &b}) m->mem.reserve(2, kData + 0x80);
      INFO("word 0x" << std::hex << w << " sf " << sf);
      run_both_same(a, b, branch ? 1 : 10);
      REQUIRE(a.mem.reservation_held(2, kData + 0x80) == b.mem.reservation_held(2, kData + 0x80));
      ++cases;
    }
  }
  CHECK(cases == 40000);
  // Most of the random words ran natively (the rest: the fallback rows mixed in, OE forms,
  // invalid update forms, SPRs other than LR/CTR); each case is one translation.
  const auto& stats = static_cast<jit::JitBackend&>(*b.cpu).stats();
  CHECK(stats.blocks_translated == cases);
  CHECK(stats.native_ops > cases * 7 / 10 + cases / 2);  // the words, and the sc after every non-branch
}

namespace {

// The words of a case, for its failure message (a random block is reproducible from them).
std::string describe_words(const std::vector<uint32_t>& words) {
  std::ostringstream out;
  out << std::hex;
  for (uint32_t w : words) out << " 0x" << w;
  return out.str();
}


// The word with its register fields drawn from r3..r10 (eight registers, more than the JIT's
// GPR cache holds, so copies are reused, overwritten and evicted). SPR moves keep their SPR.
uint32_t on_few_registers(uint32_t w, Rng& r) {
  auto reg = [&] { return 3 + r.below(8); };
  const uint32_t opcd = w >> 26, xo = (w >> 1) & 0x3FF;
  w = (w & ~(31u << 21)) | reg() << 21;
  if (opcd == 31 && (xo == 339 || xo == 467)) return w;
  w = (w & ~(31u << 16)) | reg() << 16;
  if (opcd == 31) w = (w & ~(31u << 11)) | reg() << 11;
  return w;
}

}  // namespace

// Blocks of several ops: what one op leaves in host registers (GPR copies, a compare's flags)
// must be what the next reads, also after out-of-line memory paths and fallbacks; a block ends
// with a compare and a conditional branch on its CR field, back to its own start (a loop) or on.
TEST_CASE("jit: random blocks on few registers ending in compare and branch match the interpreter", "[jit]") {
  Machine a(make_interp), b(make_jit);
  Rng r{std::mt19937_64(0x51ab)};
  std::vector<uint8_t> bytes(0x1000);
  size_t loops = 0;
  for (bool sf : {false, true}) {
    for (int k = 0; k < 6000; ++k) {
      std::vector<uint32_t> words;
      const uint32_t n = 1 + r.below(8);
      while (words.size() < n) {
        bool branch;
        const uint32_t w = random_word(r, branch);
        if (!branch) words.push_back(on_few_registers(w, r));
      }
      const uint32_t crf = r.below(8), ra = 3 + r.below(8), rb = 3 + r.below(8), l = r.below(2);
      static constexpr uint32_t kCmp[] = {11u << 26, 10u << 26, 31u << 26 | 0u << 1, 31u << 26 | 32u << 1};
      const uint32_t kind = r.below(5);
      uint32_t cmp = kind < 4 ? (kCmp[kind] | crf << 23 | l << 21 | ra << 16) : 0;
      if (kind < 2) cmp |= r.below(2) ? uint32_t(r.next()) & 0xFFFF : r.below(3);
      else if (kind < 4) cmp |= rb << 11;
      else cmp = on_few_registers(31u << 26 | 316u << 1 | 1u, r);  // xor. sets CR0
      const uint32_t field = kind < 4 ? crf : 0;
      static constexpr uint32_t kBo[] = {12, 4, 12, 4, 20, 16, 0};
      const uint32_t bo = kBo[r.below(std::size(kBo))], bi = field * 4 + r.below(4);
      const bool back = r.below(3) != 0;
      const uint32_t bd = back ? uint32_t(-4 * int32_t(words.size() + 1)) & 0xFFFC : 8;
      words.push_back(cmp);
      words.push_back(16u << 26 | bo << 21 | bi << 16 | bd);
      words.push_back(kSc);
      words.push_back(kSc);
      loops += back;
      for (auto& x : bytes) x = uint8_t(r.next());
      const uint64_t seed = r.next();
      const uint64_t budget = 1 + r.below(80);
      load_both(a, b, words, bytes, seed, sf);
      INFO("case " << k << " sf " << sf << " words " << describe_words(words));
      run_both_same(a, b, budget);
    }
  }
  CHECK(loops > 6000);
}

// XER[CA] stays in a host register from one add-with-carry to the next within a block: a memory
// op in between (an update form's EA, an out-of-line access through the handler, a fault) or a
// srawi must not leave a stale carry behind.
TEST_CASE("jit: a carry kept between ops survives memory ops and srawi as the interpreter's", "[jit]") {
  Machine a(make_interp), b(make_jit);
  Rng r{std::mt19937_64(0xca11)};
  std::vector<uint8_t> bytes(0x1000);
  // Carry producers (addic, subfic, addc, subfc, adde) and consumers (adde, subfe, addze, addme).
  auto producer = [&] {
    const uint32_t rt = 3 + r.below(4), ra = 3 + r.below(4), rb = 3 + r.below(4);
    switch (r.below(5)) {
      case 0: return 12u << 26 | rt << 21 | ra << 16 | (uint32_t(r.next()) & 0xFFFF);
      case 1: return 8u << 26 | rt << 21 | ra << 16 | (uint32_t(r.next()) & 0xFFFF);
      case 2: return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | 10u << 1;
      case 3: return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | 8u << 1;
      default: return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | 138u << 1;
    }
  };
  auto consumer = [&] {
    static constexpr uint32_t kXo[] = {138, 136, 202, 234};
    return 31u << 26 | (3 + r.below(4)) << 21 | (3 + r.below(4)) << 16 | (3 + r.below(4)) << 11 | kXo[r.below(4)] << 1;
  };
  // Between them: update-form loads and stores (EA from r7..r10, often at page edges, unmapped
  // or read-only, so the out-of-line path runs), or srawi.
  auto middle = [&] {
    static constexpr uint32_t kUpdD[] = {33, 35, 37, 39, 41, 45};  // lwzu lbzu stwu stbu lhzu sthu
    const uint32_t rt = 3 + r.below(4), ra = 7 + r.below(4);
    switch (r.below(3)) {
      case 0: return kUpdD[r.below(6)] << 26 | rt << 21 | ra << 16 | (r.below(2) ? 1u : 4u);
      case 1: return 31u << 26 | rt << 21 | ra << 16 | (7 + r.below(4)) << 11 | (r.below(2) ? 55u : 183u) << 1;  // lwzux / stwux
      default: return 31u << 26 | rt << 21 | (3 + r.below(4)) << 16 | r.below(32) << 11 | 824u << 1;  // srawi
    }
  };
  size_t cases = 0;
  for (bool sf : {false, true}) {
    for (int k = 0; k < 4000; ++k) {
      const std::vector<uint32_t> words{producer(), middle(), consumer(), kSc};
      for (auto& x : bytes) x = uint8_t(r.next());
      const uint64_t seed = r.next();
      load_both(a, b, words, bytes, seed, sf);
      INFO("case " << k << " sf " << sf << " words " << std::hex << words[0] << " " << words[1] << " " << words[2]);
      run_both_same(a, b, 10);
      ++cases;
    }
  }
  CHECK(cases == 8000);
}

// The shapes rlwinm takes specialised paths for (srwi, slwi, clrlwi, rotlwi) and their
// neighbours, at every shift, with and without Rc, against the interpreter.
TEST_CASE("jit: rlwinm's shift and mask shapes at every shift match the interpreter", "[jit]") {
  Machine a(make_interp), b(make_jit);
  Rng r{std::mt19937_64(0x5717)};
  std::vector<uint8_t> bytes(0x1000, 0);
  size_t cases = 0;
  for (bool sf : {false, true}) {
    for (uint32_t n = 0; n < 32; ++n) {
      // {SH, MB, ME}: srwi n, slwi n, clrlwi n, rotlwi n, and off-by-one masks around them.
      const uint32_t shapes[][3] = {{(32 - n) & 31, n, 31}, {n, 0, 31 - n}, {0, n, 31}, {n, 0, 31},
                                    {(32 - n) & 31, (n + 1) & 31, 31}, {n, 1, 31 - n}, {n, (31 - n + 1) & 31, 31 - n}};
      for (const auto& s : shapes) {
        for (uint32_t rc = 0; rc < 2; ++rc) {
          const uint32_t w = 21u << 26 | (3 + r.below(4)) << 21 | (3 + r.below(4)) << 16 | s[0] << 11 | s[1] << 6 | s[2] << 1 | rc;
          const uint64_t seed = r.next();
          load_both(a, b, {w, kSc}, bytes, seed, sf);
          INFO("word 0x" << std::hex << w << " sf " << sf);
          run_both_same(a, b, 10);
          ++cases;
        }
      }
    }
  }
  CHECK(cases == 2 * 32 * 7 * 2);
}

// subfic and subfc carry exactly when the minuend is at least RA, unsigned, in the mode's width:
// RA at and beside the immediate or RB (equal operands carry: ~a + a + 1), with the high words
// random in 32-bit mode, every register aliasing, against the interpreter.
TEST_CASE("jit: subfic and subfc carry at the edges of their comparison as the interpreter's", "[jit]") {
  Machine a(make_interp), b(make_jit);
  Rng r{std::mt19937_64(0x50bf)};
  const std::vector<uint8_t> bytes(0x1000);
  static constexpr int32_t kImm[] = {0, 1, -1, 32, 0x7FFF, -0x8000};
  size_t cases = 0;
  for (bool sf : {false, true}) {
    for (int k = 0; k < 2000; ++k) {
      const uint32_t rt = 3 + r.below(3), ra = 3 + r.below(3), rb = 3 + r.below(3);
      const bool imm_form = r.below(2);
      const int32_t imm = kImm[r.below(std::size(kImm))];
      const uint32_t word = imm_form ? 8u << 26 | rt << 21 | ra << 16 | (uint32_t(imm) & 0xFFFF)
                                     : 31u << 26 | rt << 21 | ra << 16 | rb << 11 | 8u << 1 | r.below(2);
      load_both(a, b, {word, kSc}, bytes, r.next(), sf);
      // RA = the other operand - 1, + 0 or + 1, its high word random in 32-bit mode.
      const uint64_t other = imm_form ? uint64_t(int64_t(imm)) : pick_value(r);
      uint64_t va = other + uint64_t(int64_t(r.below(3)) - 1);
      if (!sf) va = (r.next() << 32) | uint32_t(va);
      for (Machine* m : {&a, &b}) {
        if (!imm_form) m->ctx.gpr[rb] = other;
        m->ctx.gpr[ra] = va;
      }
      INFO("case " << k << " sf " << sf << " word " << std::hex << word << " ra " << va << " other " << other);
      run_both_same(a, b, 10);
      ++cases;
    }
  }
  CHECK(cases == 4000);
}
