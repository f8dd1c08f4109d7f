// The one explicit list of what edgeprobe ships: every probe module, in the
// order `edgeprobe probes` lists them. Adding a probe adds its folder and one
// line to modules.cpp.
#pragma once
#include "core/registry.hpp"

namespace edgeprobe {

// Every built-in probe, by name: what the cli and serve load suites against.
const registry& builtin_probes();

} // namespace edgeprobe
