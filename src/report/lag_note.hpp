// The sentence the human and html reports add when a check's time was mostly
// edgeprobe's own queue rather than the network's: without it, a busy host
// reads as a slow server.
#pragma once
#include "core/result.hpp"

#include <string>

namespace edgeprobe {

// Empty unless the check's lag is at least 10 ms and a fifth of its duration.
// "edgeprobe was busy: 140 ms of this check was its own queue (120 ms of phase tls)".
std::string lag_note(const check_result& c);

// For one phase in a verbose listing: "" without lag, else
// " (network 0.02 ms, edgeprobe's queue 171.90 ms)" or " (edgeprobe's queue 3.20 ms)".
std::string phase_lag_text(const phase& p);

} // namespace edgeprobe
