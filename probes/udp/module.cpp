// The udp module: the probe, and the responder that answers each datagram with
// the address it saw and an echo (`listen --udp`).
#include "net/endpoint_text.hpp"
#include "probes/module.hpp"
#include "probes/udp/responder.hpp"
#include "probes/udp/udp_probe.hpp"

namespace edgeprobe {

namespace {

using udp = net::ip::udp;

udp::endpoint start_one(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  return site.start(std::make_unique<udp_responder>(site.executor(), udp::endpoint(address, port))).local_endpoint();
}

} // namespace

probe_module udp_module() {
  auto start = [](responder_site& site, const net::ip::address& address, std::uint16_t port) {
    return std::vector<std::string>{"udp " + endpoint_text(start_one(site, address, port)) +
                                    " (greeting + echo per datagram)"};
  };
  auto demo = [](responder_site& site) {
    return demo_vars{{"udp_port", std::to_string(start_one(site, demo_address(), 0).port())},
                     {"closed_udp_port", std::to_string(unused_port<udp>(demo_address()))}};
  };
  return {.make_probe = make_udp_probe, .listen = {{"udp", "UDP ports: 3478 or 1434,3478", 0, start}}, .demo = demo};
}

} // namespace edgeprobe
