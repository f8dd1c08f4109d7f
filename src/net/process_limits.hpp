// Process-wide resource limits the runner needs (kept in net/ with the other
// platform-specific calls).
#pragma once
#include <cstdint>

namespace edgeprobe {

// Raises the open-file soft limit as far as the hard limit allows, so a suite of
// thousands of checks never fails for lack of descriptors. Returns the new limit.
std::uint64_t raise_open_file_limit();

} // namespace edgeprobe
