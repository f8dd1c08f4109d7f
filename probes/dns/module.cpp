// The dns module: the probe, and a small authoritative server for the demo zone
// (`listen --dns`, and the demo's resolver).
#include "net/endpoint_text.hpp"
#include "probes/dns/dns_probe.hpp"
#include "probes/dns/responder.hpp"
#include "probes/module.hpp"

namespace edgeprobe {

namespace {

std::uint16_t start_one(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  return site.start(std::make_unique<dns_responder>(site.executor(), address, port, demo_zone())).port();
}

} // namespace

probe_module dns_module() {
  auto start = [](responder_site& site, const net::ip::address& address, std::uint16_t port) {
    return std::vector<std::string>{"dns " + endpoint_text(address, start_one(site, address, port)) +
                                    " (zone demo.edgeprobe.test)"};
  };
  auto demo = [](responder_site& site) {
    return demo_vars{{"dns_server", endpoint_text(demo_address(), start_one(site, demo_address(), 0))}};
  };
  return {.make_probe = make_dns_probe,
          .listen = {{"dns", "serve the demo DNS zone on these ports (UDP and TCP)", 53, start}},
          .demo = demo};
}

} // namespace edgeprobe
