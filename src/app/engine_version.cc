#include "app/engine_version.h"

// Regenerated at every build; only this file recompiles when the version changes.
#include "hexad_engine_version.h"

namespace hexad::app {

const char* engine_version() { return HEXAD_ENGINE_VERSION; }

}  // namespace hexad::app
