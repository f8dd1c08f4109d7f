// The udp probe (see docs/probes/udp.md).
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_udp_probe();

} // namespace edgeprobe
