#include "app/studio/timeline_view.h"

#include <imgui.h>

#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace hexad::app::studio {
namespace {

// A stable colour per thread: hue from the tid, so a thread keeps its colour in every run.
ImU32 thread_colour(uint32_t tid) {
  const float hue = float((tid * 0.61803398875) - int(tid * 0.61803398875));
  float r, g, b;
  ImGui::ColorConvertHSVtoRGB(hue, 0.55f, 0.85f, r, g, b);
  return ImGui::GetColorU32(ImVec4(r, g, b, 1.0f));
}

const kernel::Json* thread_in(const kernel::Json& dump, uint32_t tid) {
  if (!dump.contains("threads")) return nullptr;
  for (const kernel::Json& t : dump["threads"])
    if (t.value("tid", 0u) == tid) return &t;
  return nullptr;
}

}  // namespace

void TimelineView::draw(const RunView& view, const kernel::Json& dump) {
  const auto& slices = view.slices;
  ImGui::Checkbox("Follow", &follow_);
  ImGui::SameLine();
  if (ImGui::Button("Fit")) cycles_per_pixel_ = 0;
  ImGui::SameLine();
  ImGui::Text("%zu slices%s", slices.size(), view.recorded ? " (rebuilt from the trace's events)" : "");
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float label_w = 70, lane_h = 22;
  const float width = std::max(100.0f, ImGui::GetContentRegionAvail().x - label_w);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (slices.empty()) {
    ImGui::TextUnformatted("no slices yet");
    return;
  }
  const double lo = double(slices.front().start_cycle), hi = double(slices.back().end_cycle);
  if (cycles_per_pixel_ <= 0) {
    cycles_per_pixel_ = std::max(1e-3, (hi - lo) / width);
    first_ = lo;
  }
  if (follow_) first_ = std::max(lo, hi - cycles_per_pixel_ * width);

  ImGui::InvisibleButton("lanes", ImVec2(label_w + width, lane_h * 6));
  const bool hovered = ImGui::IsItemHovered();
  const ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    const double at = first_ + (io.MousePos.x - origin.x - label_w) * cycles_per_pixel_;
    cycles_per_pixel_ *= io.MouseWheel > 0 ? 0.8 : 1.25;
    first_ = at - (io.MousePos.x - origin.x - label_w) * cycles_per_pixel_;
    follow_ = false;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    first_ -= io.MouseDelta.x * cycles_per_pixel_;
    follow_ = false;
  }
  const double last = first_ + width * cycles_per_pixel_;
  for (int lane = 0; lane < 6; ++lane) {
    const float y = origin.y + lane * lane_h;
    const std::string label = fmt::format("core {} t{}", lane / 2, lane % 2);
    dl->AddText(ImVec2(origin.x, y + 4), ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
    dl->AddRectFilled(ImVec2(origin.x + label_w, y + 1), ImVec2(origin.x + label_w + width, y + lane_h - 1),
                      ImGui::GetColorU32(ImGuiCol_FrameBg));
  }
  // Slices are in time order per slot and nearly so overall: find the first visible one.
  auto it = std::lower_bound(slices.begin(), slices.end(), first_,
                             [](const SliceRecord& s, double c) { return double(s.end_cycle) < c; });
  const SliceRecord* hovered_slice = nullptr;
  for (; it != slices.end() && double(it->start_cycle) <= last; ++it) {
    const float x0 = origin.x + label_w + float(std::max(0.0, (double(it->start_cycle) - first_) / cycles_per_pixel_));
    const float x1 = origin.x + label_w + float(std::min(double(width), (double(it->end_cycle) - first_) / cycles_per_pixel_));
    if (x1 < x0) continue;
    const float y = origin.y + float(it->slot) * lane_h;
    dl->AddRectFilled(ImVec2(x0, y + 3), ImVec2(std::max(x1, x0 + 1), y + lane_h - 3), thread_colour(it->tid));
    if (hovered && io.MousePos.y >= y && io.MousePos.y < y + lane_h && io.MousePos.x >= x0 && io.MousePos.x <= x1 + 1)
      hovered_slice = &*it;
  }
  if (hovered_slice) {
    const kernel::Json* t = thread_in(dump, hovered_slice->tid);
    std::string text = fmt::format("thread {} on core {} thread {}\ncycles {}..{}", hovered_slice->tid,
                                   hovered_slice->slot / 2, hovered_slice->slot % 2, hovered_slice->start_cycle,
                                   hovered_slice->end_cycle);
    if (t)
      text += fmt::format("\nkey {}\nbase priority {}, effective {}\nnow {} (last run round {})",
                          t->value("key", std::string()), t->value("base_priority", 0),
                          t->value("effective_priority", 0), t->value("state", std::string()),
                          t->value("last_run_round", uint64_t(0)));
    ImGui::SetTooltip("%s", text.c_str());
  }
  ImGui::Text("cycles %.0f .. %.0f (%.2f cycles per pixel)", first_, last, cycles_per_pixel_);
}

}  // namespace hexad::app::studio
