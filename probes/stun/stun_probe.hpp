// The stun probe: a Binding request over UDP, TCP or TLS, and the reflexive
// address the server saw (XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS).
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_stun_probe();

} // namespace edgeprobe
