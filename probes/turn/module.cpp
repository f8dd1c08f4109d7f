// The turn module: the probe only; its checks talk to the stun module's responder.
#include "probes/module.hpp"
#include "probes/turn/turn_probe.hpp"

namespace edgeprobe {

probe_module turn_module() { return {.make_probe = make_turn_probe}; }

} // namespace edgeprobe
