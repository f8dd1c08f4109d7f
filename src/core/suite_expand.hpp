// Step two of loading a suite: gather the variables of every file, resolve them,
// expand every string value in place, and collect the secrets that produces.
#pragma once
#include "core/load_context.hpp"

namespace edgeprobe {

// Variables: an included file's are overridden by its includer's, and all by
// load_options::vars. Keys are never expanded, nor `probe`, `include` and
// `$schema`. Every value of a key named `password` becomes a secret.
void expand_suite(load_context& ctx);

} // namespace edgeprobe
