#include "cpu/jit/stubs.h"

#include "cpu/jit/emitter.h"

namespace hexad::cpu::jit {

Stubs emit_stubs(CodeCache& cache, uint8_t* host_base, const uint8_t* page_prot) {
  using namespace Xbyak::util;
  Xbyak::CodeGenerator g(cache.left(), cache.cursor());
  // enter(ctx = rdi, code = rsi, left = rdx): save the callee-saved registers the blocks use,
  // keep the stack 16-byte aligned for the calls blocks make, load the fixed registers, run the
  // block.
  const Xbyak::Reg64 saved[] = {rbx, rbp, r12, r13, r14, r15};
  for (const auto& r : saved) g.push(r);
  g.sub(rsp, 8);
  g.mov(rbx, rdi);
  mov_address(g, r12, host_base);
  mov_address(g, rax, page_prot);
  g.mov(qword[rbx + offsetof(ThreadContext, jit_page_prot)], rax);
  g.mov(r14, rdx);
  g.jmp(rsi);
  g.align(16);
  const uint8_t* exit = g.getCurr();
  // ctx.instructions from the instructions left (see kLeft in emitter.h).
  g.mov(rcx, qword[rbx + offsetof(ThreadContext, run_limit)]);
  g.sub(rcx, r14);
  g.mov(qword[rbx + offsetof(ThreadContext, instructions)], rcx);
  g.add(rsp, 8);
  for (int k = 5; k >= 0; --k) g.pop(saved[k]);
  g.ret();
  // The enter stub is called (execute view); blocks are emitted against the others (write view).
  Stubs s{reinterpret_cast<EnterFn>(const_cast<uint8_t*>(cache.exec(g.getCode()))), exit, g.getSize()};
  cache.advance(g.getSize());
  s.size = cache.used();
  return s;
}

}  // namespace hexad::cpu::jit
