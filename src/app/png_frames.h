// `hexad run --frames-dir DIR`: each frame VdSwap presents (gpu::Frame) written as
// DIR/frame-NNNNNN.png (NNNNNN: the swap number, 1-based), 8-bit RGBA, through libpng.
#pragma once
#include <string>

#include "gpu/gpu_state.h"

namespace hexad::app {

// Makes `dir` (and its parents) if needed; throws hexad::Error when it is not a writable folder.
void prepare_frames_dir(const std::string& dir);
// Throws hexad::Error when the file cannot be written.
void write_frame_png(const std::string& dir, const gpu::Frame& frame);

}  // namespace hexad::app
