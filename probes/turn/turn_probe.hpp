// The turn probe: an Allocate (RFC 5766/8656, or the Edge's MS-TURN dialect).
// Without credentials the challenge proves the relay is reachable; with them it
// completes the long-term credential exchange, reports the relayed and mapped
// addresses and the lifetime, and releases the allocation.
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_turn_probe();

} // namespace edgeprobe
