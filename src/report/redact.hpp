// Removes secret values from a run's results before any reporter sees them.
#pragma once
#include "core/result.hpp"
#include "core/secrets.hpp"

namespace edgeprobe {

void redact(run_result& run, const secret_set& secrets);

} // namespace edgeprobe
