// The dns module: the probe, and a small authoritative server for the demo zone
// (`listen --dns`, and the demo's resolver).
#include "net/endpoint_text.hpp"
#include "probes/dns/dns_probe.hpp"
#include "probes/dns/responder.hpp"
#include "probes/module.hpp"

namespace edgeprobe {

namespace {

std::uint16_t start_one(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  auto& r = site.adopt(std::make_unique<dns_responder>(site.executor(), address, port, demo_zone()));
  r.start();
  return r.port();
}

std::vector<std::string> start(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  return {"dns " + endpoint_text(address, start_one(site, address, port)) + " (zone demo.edgeprobe.test)"};
}

std::map<std::string, std::string> demo(responder_site& site) {
  return {{"dns_server", "127.0.0.1:" + std::to_string(start_one(site, net::ip::make_address("127.0.0.1"), 0))}};
}

} // namespace

probe_module dns_module() {
  return {.make_probe = make_dns_probe,
          .listen = {{"dns", "serve the demo DNS zone on these ports (UDP and TCP)", 53, start}},
          .demo = demo};
}

} // namespace edgeprobe
