// The rpc-epm probe: bind to the MS-RPC endpoint mapper (TCP 135), ask where an
// interface listens (ept_map) or list every registration (ept_lookup), and
// then connect to the dynamic port it named — the firewall's classic gap.
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_epm_probe();

} // namespace edgeprobe
