// The udp module: the probe, and the responder that answers each datagram with
// the address it saw and an echo (`listen --udp`).
#include "net/endpoint_text.hpp"
#include "probes/module.hpp"
#include "probes/udp/responder.hpp"
#include "probes/udp/udp_probe.hpp"

#include <boost/asio/io_context.hpp>

namespace edgeprobe {

namespace {

using udp = net::ip::udp;

// A port on `address` that nothing listens on right now (bound, then released).
std::uint16_t unused_port(const net::ip::address& address) {
  net::io_context io;
  udp::socket socket(io, {address, 0});
  return socket.local_endpoint().port();
}

udp::endpoint start_one(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  auto& r = site.adopt(std::make_unique<udp_responder>(site.executor(), udp::endpoint(address, port)));
  r.start();
  return r.local_endpoint();
}

std::vector<std::string> start(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  return {"udp " + endpoint_text(start_one(site, address, port)) + " (greeting + echo per datagram)"};
}

std::map<std::string, std::string> demo(responder_site& site) {
  const auto first = net::ip::make_address("127.0.0.1");
  return {{"udp_port", std::to_string(start_one(site, first, 0).port())},
          {"closed_udp_port", std::to_string(unused_port(first))}};
}

} // namespace

probe_module udp_module() {
  return {.make_probe = make_udp_probe,
          .listen = {{"udp", "UDP ports: 3478 or 1434,3478", 0, start}},
          .demo = demo};
}

} // namespace edgeprobe
