// The six-slot timeline: six lanes (core 0-2 x thread 0-1), one coloured box per slice a thread
// ran, over guest cycles. The mouse wheel zooms around the pointer, dragging pans, "Follow" keeps
// the newest cycles in view; hovering a box shows the thread, its slot, its cycles and, from the
// dump of the moment, its priorities and state.
#pragma once
#include <cstdint>
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

 private:
  double first_ = 0;              // the cycle at the left edge
  double cycles_per_pixel_ = 0;   // 0: fit everything on the first draw
  bool follow_ = true;
  std::vector<TimelineBox> boxes_;
};

}  // namespace hexad::app::studio
