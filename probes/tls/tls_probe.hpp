// The tls probe: connect (the tcp probe's connection and judgement), optionally
// STARTTLS, handshake, then judge the certificate chain and the negotiation.
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_tls_probe();

} // namespace edgeprobe
