// The dns probe (see docs/probes/dns.md).
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_dns_probe();

} // namespace edgeprobe
