// The http module: the probe only; the ews module's HTTPS responder and real
// web servers are its peers.
#include "probes/http/http_probe.hpp"
#include "probes/module.hpp"

namespace edgeprobe {

probe_module http_module() { return {.make_probe = make_http_probe}; }

} // namespace edgeprobe
