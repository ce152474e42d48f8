// difffuzz-gen: writes one batch of random blocks as a harness assembly file plus the binary
// records (input state, output area, scratch buffer) it .incbin's.
//
//   difffuzz-gen --seed S --first G --count N --classes int,cr,... --asm OUT.S --data OUT.bin
//                [--units OUT.txt] [--replace UNITS.txt] [--bare]
//
// --bare writes the blocks alone (labels and an `sc` after each, no state load/save) for
// difffuzz-exec, which runs them in process under two execution backends.
//
// --units writes each block's units (one per line, instructions joined by " ; ", blocks
// introduced by "block G"); --replace (with --count 1) runs the given units instead of the
// generated ones, on the same seed-derived input state (used by the minimizer).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "grammar.h"
#include "harness.h"
#include "state.h"

namespace {

using namespace difffuzz;

uint64_t parse_u64(const std::string& s) {
  size_t used = 0;
  uint64_t v = std::stoull(s, &used, 0);
  if (used != s.size()) throw std::runtime_error("not a number: " + s);
  return v;
}

std::vector<Unit> read_units(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<Unit> units;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.rfind("block ", 0) == 0) continue;
    Unit u;
    size_t pos = 0;
    while (pos <= line.size()) {
      size_t end = line.find(" ; ", pos);
      if (end == std::string::npos) end = line.size();
      u.push_back(line.substr(pos, end - pos));
      pos = end + 3;
    }
    units.push_back(std::move(u));
  }
  return units;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

int run(int argc, char** argv) {
  uint64_t seed = 0, first = 0, count = 0;
  bool have_seed = false, bare = false;
  std::string classes_arg = "int,cr,ldst", asm_path, data_path, units_path, replace_path;
  for (int k = 1; k < argc; ++k) {
    std::string a = argv[k];
    auto val = [&]() -> std::string {
      if (k + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++k];
    };
    if (a == "--seed") seed = parse_u64(val()), have_seed = true;
    else if (a == "--first") first = parse_u64(val());
    else if (a == "--count") count = parse_u64(val());
    else if (a == "--classes") classes_arg = val();
    else if (a == "--asm") asm_path = val();
    else if (a == "--data") data_path = val();
    else if (a == "--units") units_path = val();
    else if (a == "--replace") replace_path = val();
    else if (a == "--bare") bare = true;
    else throw std::runtime_error("unknown option " + a);
  }
  if (!have_seed || !count || asm_path.empty() || data_path.empty())
    throw std::runtime_error("usage: difffuzz-gen --seed S [--first G] --count N [--classes LIST] --asm F.S --data F.bin [--units F.txt] [--replace F.txt] [--bare]");
  if (!replace_path.empty() && count != 1) throw std::runtime_error("--replace needs --count 1");
  const unsigned classes = parse_classes(classes_arg);

  std::vector<HarnessBlock> blocks;
  std::string data, units;
  for (uint64_t g = first; g < first + count; ++g) {
    HarnessBlock hb{g, make_block(seed, g, classes)};
    if (!replace_path.empty()) hb.block.units = read_units(replace_path);
    Record rec = make_record(seed, g);
    data.append(reinterpret_cast<const char*>(rec.data()), rec.size());
    units += "block " + std::to_string(g) + "\n";
    for (const Unit& u : hb.block.units) {
      for (size_t i = 0; i < u.size(); ++i) units += (i ? " ; " : "") + u[i];
      units += "\n";
    }
    blocks.push_back(std::move(hb));
  }
  write_file(data_path, data);
  write_file(asm_path, bare ? emit_bare(blocks) : emit_harness(blocks, classes, data_path));
  if (!units_path.empty()) write_file(units_path, units);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "difffuzz-gen: %s\n", e.what());
    return 2;
  }
}
