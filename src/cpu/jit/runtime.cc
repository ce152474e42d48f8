#include "cpu/jit/runtime.h"

#include "cpu/memory.h"

namespace hexad::cpu::jit {

namespace {
// One per host thread: a backend's run() takes it before returning to its caller.
thread_local std::exception_ptr g_foreign;
}  // namespace

void refresh_jit_values(ThreadContext& c) {
  c.refresh_cr_values();
  c.jit_reservations = *c.mem->active_reservations_counter();
}

void jit_write_word(ThreadContext* c, uint32_t addr, uint32_t value) noexcept {
  c->mem->write32(addr, value);
  c->jit_reservations = *c->mem->active_reservations_counter();
}

void return_step(ThreadContext&, const DecodedOp*) {}

uint32_t run_handler(ThreadContext* c, const JitOp* op) noexcept {
  try {
    if (op->step[0].step) {
      op->step[0].step(*c, &op->step[0]);  // sets pc itself
    } else {
      c->pc = op->pc;
      op->fn(*c, op->instr);
    }
    // The handler may have changed XER[SO] (an OE form, mtxer, mcrxr) or the reservations
    // (lwarx, stwcx., a store breaking one).
    refresh_jit_values(*c);
    return kExitNormal;
  } catch (const MemoryFault& f) {
    record_fault(*c, f);
    return kExitFault;
  } catch (const InstructionFault& f) {
    record_fault(*c, f);
    return kExitFault;
  } catch (...) {
    g_foreign = std::current_exception();
    return kExitForeign;
  }
}

std::exception_ptr take_foreign_exception() {
  std::exception_ptr e = std::move(g_foreign);
  g_foreign = nullptr;
  return e;
}

}  // namespace hexad::cpu::jit
