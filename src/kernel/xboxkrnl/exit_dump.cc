#include "kernel/xboxkrnl/exit_dump.h"

#include "gpu/pm4.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/hexad_error.h"
#include "base/utf8.h"
#include "gpu/pm4.h"
#include "kernel/xboxkrnl/object_classes.h"

namespace hexad::kernel {

using cpu::sched::GuestThread;
using cpu::sched::ThreadState;

std::string hex32(uint64_t v) { return fmt::format("0x{:08x}", v); }

namespace {

// The title's own allocations listed in the dump at most; the rest are counted.
constexpr size_t kMaxListedAllocations = 256;

// The address map's regions with what is allocated and committed in each, then the title's
// allocations (virtual heaps and physical views) in address order.
Json memory_json(const GuestVm& vm) {
  Json regions = Json::array(), allocations = Json::array();
  uint64_t committed = 0, omitted = 0;
  for (const AddressRegion& r : address_map()) {
    GuestVm::RegionUse u = vm.use_of(r);
    committed += u.committed_bytes;
    regions.push_back(Json{{"name", r.name},
                           {"kind", region_kind_name(r.kind)},
                           {"base", hex32(r.base)},
                           {"size", hex32(r.size)},
                           {"page_size", hex32(r.page_size)},
                           {"allocations", u.allocations},
                           {"reserved_bytes", u.reserved_bytes},
                           {"committed_bytes", u.committed_bytes}});
    if (r.kind != RegionKind::Virtual && r.kind != RegionKind::PhysicalView) continue;
    for (const auto& [base, a] : vm.allocations(r)) {
      if (allocations.size() >= kMaxListedAllocations) {
        ++omitted;
        continue;
      }
      allocations.push_back(Json{{"region", r.name},
                                 {"base", hex32(base)},
                                 {"size", hex32(a.size)},
                                 {"committed_bytes", vm.committed_bytes(base, a.size)},
                                 {"allocation_protect", hex32(a.protect)}});
    }
  }
  return Json{{"committed_bytes", committed},
              {"physical_bytes_in_use", vm.physical_bytes_in_use()},
              {"invalid_frees", vm.invalid_frees()},
              {"regions", regions},
              {"allocations", allocations},
              {"allocations_omitted", omitted}};
}

}  // namespace

Json output_error_json(const OutputFailure& f) {
  Json e = Json::object();
  put_text(e, "file", f.file);
  put_text(e, "message", f.message);
  return e;
}

void put_text(Json& object, const std::string& key, std::string_view text) {
  if (is_valid_utf8(text)) {
    object[key] = text;
    return;
  }
  object[key] = utf8_replaced(text);
  object[key + "_hex"] = hex_bytes(text);
}

Json policy_values_json(const std::vector<cpu::sched::PolicyValue>& values) {
  Json j = Json::object();
  for (const auto& v : values) j[std::string(v.name)] = v.text.empty() ? Json(v.number) : Json(v.text);
  return j;
}

namespace {

Json object_state(const KernelObject& o) {
  Json s;
  o.cls().describe(o, s);
  return s;
}

Json wait_json(const Wait& w) {
  Json objs = Json::array();
  for (const KernelObject* o : w.objects)
    objs.push_back(Json{{"handle", hex32(o->label())},
                        {"key", o->key},
                        {"type", object_type_name(o->type)},
                        {"state", object_state(*o)}});
  return Json{{"wait", w.delay ? "delay" : w.all ? "all" : "any"},
              {"objects", objs},
              {"alertable", w.alertable},
              {"deadline_ns_or_inf", w.deadline ? Json(Kernel::cycles_to_ns(*w.deadline)) : Json("inf")}};
}

// A thread's IRQL, spinlocks, critical region and lock hazards (exports/spinlocks.cc); only
// for a thread not at rest, so dumps of titles that use none stay as they were.
Json locks_json(const ThreadLockState& l) {
  Json held = Json::array();
  for (uint32_t i = 0; i < l.held; ++i) held.push_back(hex32(l.spinlocks[i]));
  return Json{{"irql", l.irql}, {"spinlocks_held", held}, {"critical_region", l.critical_region}, {"hazards", l.hazards}};
}

Json counters_json(const cpu::sched::SchedulerCounters& c) {
  return Json{{"picks", c.picks},
              {"picks_won_by_age", c.picks_won_by_age},
              {"picks_won_by_yield", c.picks_won_by_yield},
              {"rotations", c.rotations},
              {"quantum_expiries", c.quantum_expiries},
              {"idle_skips", c.idle_skips},
              {"idle_cycles_skipped", c.idle_cycles_skipped},
              {"blocks", c.blocks},
              {"yields", c.yields},
              {"syscalls", c.syscalls}};
}

// Means are floors of sum / count (integers, so the dump is byte-identical across hosts).
Json thread_sched_json(const cpu::sched::ThreadSchedStats& st) {
  return Json{{"dispatches", st.dispatches},
              {"ready_to_running_max_cycles", st.dispatch_latency_max},
              {"ready_to_running_mean_cycles", st.dispatches ? st.dispatch_latency_sum / st.dispatches : 0},
              {"cycles_ready", st.cycles_ready},
              {"cycles_running", st.cycles_running},
              {"cycles_blocked", st.cycles_blocked},
              {"cycles_suspended", st.cycles_suspended}};
}

// What the title's video exports set up (gpu/gpu_state.h); only for titles that called one.
// The ring as the command processor read it: pointers (dwords), packet counts over the run (type-3
// by xenos.h name), draws, and the malformed packets met (the first CommandProcessor::kMalformedKept).
Json command_processor_json(const gpu::CommandProcessor& cp) {
  const gpu::PacketCounts& c = cp.total_counts();
  Json type3 = Json::object();
  for (uint32_t op = 0; op < gpu::kPm4Type3OpcodeCount; ++op) {
    if (!c.type3[op]) continue;
    const std::string_view name = gpu::pm4_opcode_name(op);
    type3[name.empty() ? fmt::format("op_0x{:02x}", op) : std::string(name)] = c.type3[op];
  }
  Json malformed = Json::array();
  for (const gpu::MalformedPacket& m : cp.malformed())
    malformed.push_back(Json{{"read_index", m.read_index}, {"header", hex32(m.header)}, {"reason", std::string(m.reason)}});
  return Json{{"read_pointer", cp.read_pointer()},
              {"write_pointer", cp.reg(gpu::kRegCpRbWptr)},
              {"batches", cp.batches()},
              {"packets", Json{{"type0", c.type0}, {"type1", c.type1}, {"type2", c.type2}, {"type3", type3}}},
              {"draws", c.draws()},
              {"malformed_count", c.malformed},
              {"malformed", malformed}};
}

Json gpu_json(const gpu::GpuState& g, const char* vblank_stopped) {
  const gpu::Frontbuffer& fb = g.last_frontbuffer();
  return Json{{"engines_initialized", g.engines_initialized()},
              {"engine_initializations", g.engine_initializations()},
              {"interrupt_callback", hex32(g.interrupt_callback())},
              {"interrupt_callback_argument", hex32(g.interrupt_callback_argument())},
              {"ring_buffer", Json{{"base", hex32(g.ring_base())},
                                   {"log2_size", g.ring_log2_size()},
                                   {"size_bytes", g.ring_size_bytes()}}},
              {"rptr_write_back", Json{{"address", hex32(g.read_pointer_write_back())},
                                       {"block_log2", g.read_pointer_write_back_block_log2()}}},
              {"system_command_buffer", hex32(g.system_command_buffer())},
              {"gpu_identifier_address", hex32(g.gpu_identifier_address())},
              {"display_mode_flags", hex32(g.display_mode_flags())},
              {"clock_gating", g.clock_gating()},
              {"gamma", Json{{"type", g.gamma().type}, {"power_bits", hex32(g.gamma().power_bits)}}},
              {"swaps", g.swap_count()},
              {"frames_presented", g.swap_count() - g.frames_unreadable()},
              {"frames_unreadable", g.frames_unreadable()},
              {"last_unreadable_reason", std::string(g.last_unreadable_reason())},
              {"vblanks", g.vblanks()},
              {"vblanks_stopped", vblank_stopped ? Json(vblank_stopped) : Json(nullptr)},
              {"mmio", Json{{"reads", g.mmio_reads()}, {"writes", g.mmio_writes()}}},
              {"command_processor", command_processor_json(g.command_processor())},
              {"last_frontbuffer", g.swap_count() ? Json{{"address", hex32(fb.address)},
                                                         {"width", fb.width},
                                                         {"height", fb.height},
                                                         {"texture_format", fb.texture_format},
                                                         {"tiled", fb.tiled},
                                                         {"color_space", fb.color_space}}
                                                  : Json(nullptr)}};
}

Json slots_json(const std::array<cpu::sched::SlotTime, cpu::sched::kSlotCount>& slots) {
  Json j = Json::array();
  for (uint32_t s = 0; s < slots.size(); ++s)
    j.push_back(Json{{"slot", s}, {"busy_cycles", slots[s].busy_cycles}, {"idle_cycles", slots[s].idle_cycles}});
  return j;
}

}  // namespace

Json build_exit_state(Kernel& k, const RunSummary& run) {
  auto& s = k.sched();
  // Import names come from the title's file: a name that is not valid UTF-8 is keyed by its
  // U+FFFD-replaced text (counts of names that replace alike add up) and listed again, raw, in
  // unimplemented_imports_hex, present only then.
  Json unimpl = Json::object(), unimpl_hex = Json::object();
  for (const auto& [name, count] : k.unimplemented_calls()) {
    if (is_valid_utf8(name)) {
      unimpl[name] = count;
      continue;
    }
    Json& replaced = unimpl[utf8_replaced(name)];
    replaced = (replaced.is_null() ? 0 : replaced.get<uint64_t>()) + count;
    unimpl_hex[hex_bytes(name)] = count;
  }
  Json r = Json::object();
  put_text(r, "image", run.image);
  r["image_sha256"] = run.image_sha256;
  r["budget"] = run.budget ? Json(run.budget) : Json(nullptr);
  r["instructions"] = s.instructions();
  r["rounds"] = s.round();
  r["guest_cycle"] = s.guest_cycle();
  r["guest_time_ns"] = Kernel::cycles_to_ns(s.guest_cycle());
  r["stop_reason"] = run.snapshot ? "snapshot" : cpu::sched::run_stop_name(run.stop);
  if (run.snapshot) r["snapshot"] = true;
  if (const auto& stop = k.system_stop()) {
    Json ss{{"kind", stop->kind}, {"tid", stop->tid}, {"code", hex32(stop->code)}};
    if (std::string_view(stop->kind) == "bugcheck") {
      ss["params"] = Json::array();
      for (uint32_t p : stop->params) ss["params"].push_back(hex32(p));
    }
    r["system_stop"] = ss;
  }
  r["scheduler"] = Json{{"quantum", s.options().quantum},
                        {"slice", s.options().slice},
                        {"aging", s.options().aging.enabled},
                        {"aging_rounds_per_bonus", s.options().aging.rounds_per_bonus},
                        {"max_age_bonus", s.options().aging.max_bonus},
                        {"policy", s.policy().name()},
                        {"policy_params", policy_values_json(s.policy().params())},
                        {"policy_counters", policy_values_json(s.policy().counter_values())},
                        {"starvation_alarm", s.options().starvation_alarm ? Json(s.options().starvation_alarm) : Json(nullptr)},
                        {"counters", counters_json(s.counters())},
                        {"slots", slots_json(s.slot_times())}};
  // A seeded run says how it was perturbed; an unperturbed dump is unchanged.
  if (const cpu::sched::SchedPerturb& p = s.perturb(); p.active()) {
    Json perturb{{"seed", p.options().seed}, {"strategy", cpu::sched::strategy_name(p.options().strategy)}};
    if (p.options().strategy == cpu::sched::PerturbStrategy::Pct) {
      perturb["depth"] = p.options().depth;
      perturb["pct_steps"] = p.options().pct_steps;
      perturb["change_points"] = p.change_points();
      perturb["demotions"] = p.demotions();
    }
    r["scheduler"]["perturbation"] = perturb;
  }
  r["unimplemented_imports"] = unimpl;
  if (!unimpl_hex.empty()) r["unimplemented_imports_hex"] = unimpl_hex;
  // Modules the title loaded, its title-terminate notifications and symbolic links: present
  // only when there are any, so the dump of a title that uses none is unchanged.
  if (Json m = k.modules().dump_json(); !m.empty()) r["modules"] = m;
  Json links = Json::array();
  for (const auto& [name, link] : k.files().links())
    if (link.created) {
      Json l = Json::object();
      put_text(l, "name", name);  // guest bytes: not always UTF-8
      put_text(l, "target", link.target);
      links.push_back(l);
    }
  if (!links.empty()) r["symbolic_links"] = links;
  r["trace_events"] = k.trace().events();
  if (run.trace_events_written) {
    r["trace_complete"] = false;
    r["trace_events_written"] = *run.trace_events_written;
  }
  if (run.output_failure) r["output_error"] = output_error_json(*run.output_failure);
  Json j;
  j["schema"] = "hexad.exit-thread-state/1";
  j["run"] = r;

  Json threads = Json::array();
  for (const auto& tp : s.threads()) {
    const GuestThread& t = *tp;
    const ThreadRecord* rec = k.thread_record(t.tid);
    Json th{{"tid", t.tid},
            {"key", rec ? Json(rec->key) : Json(nullptr)},
            {"handle", rec && rec->object ? Json(hex32(rec->object->handle)) : Json(nullptr)},
            {"state", cpu::sched::state_name(t.state())},
            {"slot", t.slot()},
            {"affinity", hex32(t.affinity)},
            {"base_priority", t.base_priority},
            {"effective_priority", s.effective_priority(t)},
            {"last_run_round", t.last_run_round},
            {"pc", hex32(t.ctx->pc)},
            {"lr", hex32(t.ctx->lr)},
            {"instructions", t.ctx->instructions},
            {"events", k.trace().events_of(t.tid)},
            {"entry", rec ? Json(hex32(rec->entry)) : Json(nullptr)},
            {"main", rec && rec->is_main},
            {"sched", thread_sched_json(s.sched_stats(t))}};
    if (t.state() == ThreadState::Exited) th["exit_code"] = t.exit_code;
    if (t.state() == ThreadState::Suspended) th["suspend_count"] = t.suspend_count();
    if (k.waits().reissue_pending(t.tid)) th["wait_reissued_on_resume"] = true;
    if (rec && rec->system_thread) th["system_thread"] = true;
    if (rec && rec->boost_disabled) th["boost_disabled"] = true;
    if (rec && rec->fpu_exceptions) th["fpu_exceptions"] = true;
    if (rec && rec->fpu_saved) th["fpu_saved"] = true;
    if (rec && rec->stack_limits)
      th["stack_limits"] = Json{{"base", hex32(rec->stack_limits->base)}, {"limit", hex32(rec->stack_limits->limit)}};
    if (rec && rec->object && rec->object->pointer_refs) th["pointer_refs"] = rec->object->pointer_refs;
    if (t.state() == ThreadState::Faulted) {
      Json fault = Json::object();
      fault["kind"] = cpu::fault_kind_name(t.ctx->fault.kind);
      put_text(fault, "message", t.ctx->fault.describe());
      th["fault"] = fault;
    }
    if (const Wait* w = k.waits().wait_of(t.tid)) th["wait"] = wait_json(*w);
    if (rec && !rec->locks.at_rest()) th["locks"] = locks_json(rec->locks);
    if (rec) {
      Json tls = Json::object();  // KeTlsSetValue's non-zero values, by slot
      for (uint32_t slot = 0; slot < kTlsSlots; ++slot)
        if (rec->tls[slot]) tls[std::to_string(slot)] = hex32(rec->tls[slot]);
      if (!tls.empty()) th["tls"] = tls;
    }
    // Deferred work still owed to the thread (present only then): its queued APCs, and for a
    // slot's DPC thread the DPCs queued on its slot (deferred.h).
    if (size_t n = k.deferred().apcs_of(t.tid)) th["apcs_queued"] = n;
    for (uint8_t slot = 0; slot < cpu::sched::kSlotCount; ++slot)
      if (k.deferred().dpc_thread(slot) == t.tid && !k.deferred().dpc_queues()[slot].empty())
        th["dpcs_queued"] = k.deferred().dpc_queues()[slot].size();
    threads.push_back(th);
  }
  j["threads"] = threads;

  Json wedges = Json::array();
  for (const auto& [id, o] : k.objects().all()) {
    if (o->waiters.empty()) continue;
    Json waiters = Json::array(), signalers = Json::array();
    for (const Wait* w : o->waiters) waiters.push_back(w->tid);
    for (uint32_t t : o->signalers) signalers.push_back(t);
    Json entry{{"handle", hex32(o->label())},
               {"key", o->key},
               {"type", object_type_name(o->type)},
               {"state", object_state(*o)},
               {"waiters_tid", waiters},
               {"signaled_by_tids", signalers}};
    if (!o->name.empty()) put_text(entry, "name", o->name);
    if (o->orphaned) entry["orphaned"] = true;  // re-initialised over its waiters: nothing can signal it
    if (o->pointer_refs) entry["pointer_refs"] = o->pointer_refs;
    wedges.push_back(entry);
  }
  j["wedge_map"] = wedges;
  j["memory"] = memory_json(k.vm());
  // Only for titles that used XAM's listeners, message boxes, loader or a scripted controller.
  if (Json xam = k.xam().dump_json(); !xam.is_null()) j["xam"] = xam;
  if (k.gpu().touched()) j["gpu"] = gpu_json(k.gpu(), k.vblank().stopped());
  return j;
}

std::string json_text(const Json& j) {
  // Text that slipped past put_text still never throws: U+FFFD, as the trace writes it.
  std::string text = j.dump(2, ' ', false, Json::error_handler_t::replace);
  text.push_back('\n');
  return text;
}

void write_json_atomically(const std::string& path, const Json& j) {
  const std::string text = json_text(j);  // before the temporary file exists: nothing to clean up if it throws
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) fail("cannot write '{}': {}", tmp, std::strerror(errno));
  int error = 0;
  if (std::fwrite(text.data(), 1, text.size(), f) != text.size() && !error) error = errno;
  if (std::fflush(f) != 0 && !error) error = errno;
  if (std::fclose(f) != 0 && !error) error = errno;
  if (!error && std::rename(tmp.c_str(), path.c_str()) != 0) error = errno;
  if (error) {
    std::remove(tmp.c_str());
    fail("cannot write '{}': {}", path, std::strerror(error));
  }
}

}  // namespace hexad::kernel
