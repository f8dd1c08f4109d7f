// The http probe: an HTTP/1.1 request over TCP or TLS (the tls probe's
// handshake and certificate judgement), redirects followed hop by hop, Basic or
// NTLMv2 authentication, and expectations on status, headers, body and time.
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_http_probe();

} // namespace edgeprobe
