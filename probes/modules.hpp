// The one explicit list of what edgeprobe ships: every probe module (see
// module.hpp), in the order `edgeprobe probes` lists them. Adding a probe adds
// its folder and one line to EDGEPROBE_MODULES in modules.cpp.
#pragma once
#include "core/registry.hpp"
#include "probes/module.hpp"

#include <vector>

namespace edgeprobe {

const std::vector<probe_module>& builtin_modules();

// Every built-in probe, by name: what the cli and serve load suites against.
const registry& builtin_probes();

} // namespace edgeprobe
