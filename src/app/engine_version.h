// The engine version run.json records and `hexad replay` compares: the project version and the
// source revision of this build (cmake/engine_version.cmake). Fixed for a given build.
#pragma once

namespace hexad::app {

const char* engine_version();

}  // namespace hexad::app
