// Step four of loading a suite: one entry of a file's `checks` → a check_spec,
// with the merged defaults applied, every key checked against the common keys and
// the probe's option specs, and the probe's own configure() run on the result.
#pragma once
#include "core/load_context.hpp"
#include "core/suite_defaults.hpp"

#include <optional>

namespace edgeprobe {

// nullopt when the entry is not even an object. Otherwise the check as far as it
// could be read: `name` is empty when missing or invalid (ctx has the errors).
std::optional<check_spec> build_check(load_context& ctx, const suite_defaults& defaults, std::size_t file,
                                      std::size_t index);

} // namespace edgeprobe
