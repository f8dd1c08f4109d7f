// The stun module: the probe, and the STUN/TURN responder (`listen --stun`),
// which the turn probe's checks talk to as well.
#include "net/endpoint_text.hpp"
#include "probes/module.hpp"
#include "probes/stun/responder.hpp"
#include "probes/stun/stun_probe.hpp"

namespace edgeprobe {

namespace {

net::ip::udp::endpoint start_one(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  return site.start(std::make_unique<stun_responder>(site.executor(), net::ip::udp::endpoint(address, port)))
      .local_endpoint();
}

} // namespace

probe_module stun_module() {
  auto start = [](responder_site& site, const net::ip::address& address, std::uint16_t port) {
    return std::vector<std::string>{"stun " + endpoint_text(start_one(site, address, port)) +
                                    " (STUN Binding; TURN and MS-TURN Allocate challenges)"};
  };
  auto demo = [](responder_site& site) {
    return demo_vars{{"stun_port", std::to_string(start_one(site, demo_address(), 0).port())}};
  };
  return {.make_probe = make_stun_probe,
          .listen = {{"stun", "UDP ports for the STUN/TURN responder: 3478", 3478, start}},
          .demo = demo};
}

} // namespace edgeprobe
