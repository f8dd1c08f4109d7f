// The tcp probe (see docs/probes/tcp.md).
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_tcp_probe();

} // namespace edgeprobe
