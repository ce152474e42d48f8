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

}  // namespace

void TimelineView::draw(const RunView& view, const kernel::Json& dump) {
  const auto& slices = view.slices;
  ImGui::Checkbox("Follow", &follow_);
  ImGui::SameLine();
  if (ImGui::Button("Fit")) fit_ = true;
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
  const TimelineViewport fit = fit_timeline(slices, width);
  if (fit_) {
    cycles_per_pixel_ = fit.cycles_per_pixel;
    first_ = fit.first_cycle;
  } else if (follow_) first_ = std::max(fit.first_cycle, fit.last_cycle() - cycles_per_pixel_ * width);

  ImGui::InvisibleButton("lanes", ImVec2(label_w + width, lane_h * kLanes));
  const bool hovered = ImGui::IsItemHovered();
  const ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    const double at = first_ + (io.MousePos.x - origin.x - label_w) * cycles_per_pixel_;
    cycles_per_pixel_ *= io.MouseWheel > 0 ? 0.8 : 1.25;
    first_ = at - (io.MousePos.x - origin.x - label_w) * cycles_per_pixel_;
    follow_ = fit_ = false;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    first_ -= io.MouseDelta.x * cycles_per_pixel_;
    follow_ = fit_ = false;
  }
  const TimelineViewport vp{first_, cycles_per_pixel_, width};
  for (uint32_t lane = 0; lane < kLanes; ++lane) {
    const float y = origin.y + float(lane) * lane_h;
    const std::string label = fmt::format("core {} t{}", lane / 2, lane % 2);
    dl->AddText(ImVec2(origin.x, y + 4), ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
    dl->AddRectFilled(ImVec2(origin.x + label_w, y + 1), ImVec2(origin.x + label_w + width, y + lane_h - 1),
                      ImGui::GetColorU32(ImGuiCol_FrameBg));
  }
  boxes_ = layout_timeline(slices, vp);
  for (const TimelineBox& b : boxes_) {
    const float y = origin.y + float(b.lane) * lane_h;
    const ImVec2 a(origin.x + label_w + b.x0, y + 3), z(origin.x + label_w + b.x1, y + lane_h - 3);
    dl->AddRectFilled(a, z, thread_colour(b.tid));
    if (b.x1 - b.x0 >= 4) dl->AddRect(a, z, IM_COL32(0, 0, 0, 110));  // wide enough to tell slices apart
  }
  if (hovered && io.MousePos.x >= origin.x + label_w) {
    const float lane = (io.MousePos.y - origin.y) / lane_h;
    const long hit = lane >= 0 && lane < kLanes ? box_at(boxes_, io.MousePos.x - origin.x - label_w, uint32_t(lane)) : -1;
    if (hit >= 0) ImGui::SetTooltip("%s", slice_tooltip(slices[boxes_[size_t(hit)].slice], dump).c_str());
    if (hit >= 0 && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[0] < 4)
      pinned_ = slices[boxes_[size_t(hit)].slice];
  }
  ImGui::Text("cycles %.0f .. %.0f (%.2f cycles per pixel)", first_, vp.last_cycle(), cycles_per_pixel_);
  if (pinned_) ImGui::TextUnformatted(slice_tooltip(*pinned_, dump).c_str());
}

}  // namespace hexad::app::studio
