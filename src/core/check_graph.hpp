// Step five of loading a suite: what only the whole suite can tell — names are
// unique, every `needs` names a check, and `needs` has no cycle.
#pragma once
#include "core/load_context.hpp"

#include <cstddef>
#include <vector>

namespace edgeprobe {

struct placed_check {
  std::size_t file; // ctx.files index the check is written in
  const check_spec* spec;
};

// Checks without a name (already reported) take no part.
void check_names_and_needs(load_context& ctx, const std::vector<placed_check>& checks);

} // namespace edgeprobe
