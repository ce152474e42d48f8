// The six-slot timeline: six lanes (core 0-2 x thread 0-1), one coloured box per slice a thread
// ran, over guest cycles (the boxes come from view_model.h's layout_timeline). Everything fits
// until the mouse wheel zooms around the pointer or dragging pans ("Fit" again); zoomed, "Follow"
// keeps the newest cycles in view. Hovering a box shows slice_tooltip: the thread, its slot, its
// cycles, why it was picked and, from the dump of the moment, its priorities and state; clicking
// one pins that text under the lanes.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "app/studio/run_view.h"
#include "app/studio/view_model.h"

namespace hexad::app::studio {

class TimelineView {
 public:
  void reset() { *this = TimelineView{}; }
  void draw(const RunView& view, const kernel::Json& dump);
  // The boxes of the last frame drawn (the view model the lanes were drawn from).
  const std::vector<TimelineBox>& boxes() const { return boxes_; }
  // Shows a slice's hover text under the lanes until another is clicked (--script pin-slice:
  // the newest slice).
  void pin(const SliceRecord& s) { pinned_ = s; }

 private:
  double first_ = 0;              // the cycle at the left edge
  double cycles_per_pixel_ = 1;
  bool fit_ = true;      // every slice in view, until the user zooms or pans
  bool follow_ = true;   // zoomed: the newest cycles in view
  std::vector<TimelineBox> boxes_;
  std::optional<SliceRecord> pinned_;
};

}  // namespace hexad::app::studio
