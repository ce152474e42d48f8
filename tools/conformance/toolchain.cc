#include "conformance/toolchain.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "base/hexad_error.h"

extern char** environ;

namespace hexad::conformance {

namespace {

constexpr const char* kPrefix = "powerpc64-linux-gnu-";

std::string join(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) {
    if (!s.empty()) s += ' ';
    s += a;
  }
  return s;
}

std::string slurp(const std::string& path) {
  std::string out;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

}  // namespace

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/hexad-ppc-test-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) fail("cannot create a temporary directory from {}: {}", templ, std::strerror(errno));
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

ToolResult run_tool(const std::vector<std::string>& argv, const std::string& scratch) {
  ToolResult r;
  const std::string log = scratch + "/tool-output.txt";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid;
  int err = posix_spawnp(&pid, cargv[0], &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (err != 0) {
    r.output = fmt::format("cannot run {}: {}", argv[0], std::strerror(err));
    return r;
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) {
      r.output = fmt::format("waiting for {}: {}", argv[0], std::strerror(errno));
      return r;
    }
  }
  r.output = slurp(log);
  if (WIFEXITED(st)) {
    r.status = WEXITSTATUS(st);
  } else {
    r.output += fmt::format("{} was killed by signal {}\n", argv[0], WTERMSIG(st));
  }
  return r;
}

AssembledImage assemble(const std::string& source, uint32_t base, const std::string& work, bool verbose) {
  AssembledImage img;
  img.base = base;
  const std::string pre = kPrefix;
  const std::string obj = work + "/case.o", elf = work + "/case.elf", bin = work + "/case.bin";
  const std::string text_addr = fmt::format("0x{:08x}", base);
  const std::vector<std::vector<std::string>> steps = {
      // -mcell adds the lvlx/stvlx family; it does not change how anything else assembles.
      {pre + "as", "-a32", "-mregnames", "-mpower7", "-maltivec", "-mcell", "-o", obj, source},
      {pre + "ld", "-m", "elf32ppc", "-Ttext=" + text_addr, "-e", text_addr, "-o", elf, obj},
      {pre + "objcopy", "-O", "binary", "-j", ".text", elf, bin},
  };
  for (const auto& argv : steps) {
    if (verbose) std::printf("  $ %s\n", join(argv).c_str());
    ToolResult r = run_tool(argv, work);
    if (r.status != 0) {
      img.message = fmt::format("{} failed:\n{}", join(argv), r.output);
      return img;
    }
  }
  std::vector<std::string> nm = {pre + "nm", "--defined-only", elf};
  ToolResult r = run_tool(nm, work);
  if (r.status != 0) {
    img.message = fmt::format("{} failed:\n{}", join(nm), r.output);
    return img;
  }
  std::istringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    // "82010000 t test_add_1"
    std::istringstream ls(line);
    std::string addr, type, name;
    if (!(ls >> addr >> type >> name)) continue;
    char* end = nullptr;
    unsigned long v = std::strtoul(addr.c_str(), &end, 16);
    if (end == addr.c_str() || *end != '\0' || v > 0xFFFFFFFFul) continue;
    img.symbols[name] = uint32_t(v);
  }
  std::string bytes = slurp(bin);
  if (bytes.empty()) {
    img.message = "the linked image has no .text bytes";
    return img;
  }
  img.text.assign(bytes.begin(), bytes.end());
  img.ok = true;
  return img;
}

}  // namespace hexad::conformance
