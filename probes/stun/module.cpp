// The stun module: the probe, and the STUN/TURN responder (`listen --stun`),
// which the turn probe's checks talk to as well.
#include "net/endpoint_text.hpp"
#include "probes/module.hpp"
#include "probes/stun/responder.hpp"
#include "probes/stun/stun_probe.hpp"

namespace edgeprobe {

namespace {

net::ip::udp::endpoint start_one(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  auto& r = site.adopt(std::make_unique<stun_responder>(site.executor(), net::ip::udp::endpoint(address, port)));
  r.start();
  return r.local_endpoint();
}

std::vector<std::string> start(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  return {"stun " + endpoint_text(start_one(site, address, port)) +
          " (STUN Binding; TURN and MS-TURN Allocate challenges)"};
}

std::map<std::string, std::string> demo(responder_site& site) {
  return {{"stun_port", std::to_string(start_one(site, net::ip::make_address("127.0.0.1"), 0).port())}};
}

} // namespace

probe_module stun_module() {
  return {.make_probe = make_stun_probe,
          .listen = {{"stun", "UDP ports for the STUN/TURN responder: 3478", 3478, start}},
          .demo = demo};
}

} // namespace edgeprobe
