// The dns module: the probe, and a small authoritative server for the demo zone
// (`listen --dns`, and the demo's resolver).
#include "net/endpoint_text.hpp"
#include "probes/dns/dns_probe.hpp"
#include "probes/dns/responder.hpp"
#include "probes/module.hpp"

namespace edgeprobe {

namespace {

// `answered`: the addresses the zone's names point at, all of them served by
// responders on this machine.
std::uint16_t start_one(responder_site& site, const net::ip::address& address, std::uint16_t port,
                        const std::vector<net::ip::address>& answered) {
  return site.start(std::make_unique<dns_responder>(site.executor(), address, port, demo_zone(answered))).port();
}

} // namespace

probe_module dns_module() {
  auto start = [](responder_site& site, const net::ip::address& address, std::uint16_t port) {
    return std::vector<std::string>{"dns " + endpoint_text(address, start_one(site, address, port, {address})) +
                                    " (zone demo.edgeprobe.test)"};
  };
  auto demo = [](responder_site& site) {
    // The demo's responders listen on 127.0.0.1, and on 127.0.0.2 where a check needs two addresses.
    const std::vector<net::ip::address> answered{demo_address(), net::ip::make_address_v4("127.0.0.2")};
    return demo_vars{{"dns_server", endpoint_text(demo_address(), start_one(site, demo_address(), 0, answered))}};
  };
  return {.make_probe = make_dns_probe,
          .listen = {{"dns", "serve the demo DNS zone on these ports (UDP and TCP)", 53, start}},
          .demo = demo};
}

} // namespace edgeprobe
