// The ews probe: Exchange Web Services from a client's point of view —
// Autodiscover for a mailbox (optional), then a SOAP call at the EWS URL, with
// NTLM or Basic; without credentials, "reachable" (a 401 listing schemes).
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_ews_probe();

} // namespace edgeprobe
